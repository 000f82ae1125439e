"""Capacity scenarios: the YAML a consultant edits, validated into pydantic models.

A scenario describes an organisation's people (roles with headcount,
availability, weekly cost and a hiring plan), the work that reaches them
(project types with an arrival process, phases of demands for people, and
the value they deliver; plus an explicit pipeline of named projects), the
strategic objectives that value serves, and the portfolio policy (priority
rule, WIP limit, quarterly budget). Every field is documented in
``docs/scenarios.md``.

Validation reports every problem at once, each with its dotted field path
and YAML line: cross-references (a demand's role, an alignment's objective,
a pipeline project's type) are checked in the same pydantic pass through the
validation context built by :func:`validation_context`. Reading a scenario
from its files (``extends``, a pipeline file, ``--set`` overrides) is
:mod:`pmo_sim.simulation.scenario_files`.
"""

from __future__ import annotations

from collections.abc import Mapping
from contextlib import suppress
from typing import Annotated, Any, Literal

from pydantic import (
    ConfigDict,
    Field,
    PlainSerializer,
    PlainValidator,
    ValidationInfo,
    field_validator,
    model_validator,
)

from pmo_sim.inputs import InputModel, none_word
from pmo_sim.simulation.distributions import (
    Distribution,
    distribution_to_dict,
    parse_distribution,
)
from pmo_sim.simulation.priorities import PriorityName

__all__ = [
    "DEFAULT_MAX_EVENTS",
    "MAX_HORIZON_WEEKS",
    "NEUTRAL_POLICY",
    "WEINBERG_SWITCHING_LOSS",
    "Arrivals",
    "Demand",
    "Estimates",
    "HiringStep",
    "Multitasking",
    "Objective",
    "Phase",
    "PipelineProject",
    "Policy",
    "ProjectType",
    "Rebalancing",
    "Role",
    "Scenario",
    "Value",
    "validation_context",
]

Dist = Annotated[
    Distribution,
    PlainValidator(parse_distribution),
    PlainSerializer(distribution_to_dict),
]
"""A distribution field: a number (fixed) or ``{dist: NAME, ...params}``."""


class _Model(InputModel):
    model_config = ConfigDict(frozen=True)


class Objective(_Model):
    """A strategic objective; ``weight`` says how much it counts in strategic scores."""

    weight: float = Field(ge=0)
    description: str = ""

    @model_validator(mode="before")
    @classmethod
    def _shorthand(cls, value: Any) -> Any:
        return {"weight": value} if isinstance(value, int | float) else value


class HiringStep(_Model):
    """From ``week`` on, the role's headcount becomes ``headcount``, or changes by ``change``."""

    week: float = Field(ge=0)
    headcount: int | None = Field(default=None, ge=0)
    change: int | None = None

    @model_validator(mode="after")
    def _one_of(self) -> HiringStep:
        if (self.headcount is None) == (self.change is None):
            raise ValueError("give either headcount (the new total) or change (+/- people)")
        return self


class Role(_Model):
    """A skill pool: people who can take one kind of demand."""

    name: str = ""
    headcount: int = Field(ge=0)
    availability: float = Field(gt=0, le=1)
    weekly_cost: float = Field(default=0, ge=0)
    hiring: list[HiringStep] = Field(default_factory=list)

    @model_validator(mode="after")
    def _plan(self) -> Role:
        weeks = [step.week for step in self.hiring]
        if len(set(weeks)) != len(weeks):
            raise ValueError("hiring has two steps in the same week")
        for week, level in self.headcount_plan()[1:]:
            if level < 0:
                raise ValueError(f"hiring takes headcount below 0 at week {week:g}")
        return self

    def headcount_plan(self) -> list[tuple[float, int]]:
        """``(week, headcount)`` from week 0, one entry per hiring step in time order."""
        plan = [(0.0, self.headcount)]
        level = self.headcount
        for step in sorted(self.hiring, key=lambda s: s.week):
            level = step.headcount if step.headcount is not None else level + (step.change or 0)
            plan.append((step.week, level))
        return plan


class Demand(_Model):
    """``people`` people of ``role`` for ``effort`` person-weeks of project work."""

    role: str
    people: int = Field(default=1, ge=1)
    effort: Dist

    @field_validator("role")
    @classmethod
    def _known_role(cls, role: str, info: ValidationInfo) -> str:
        roles = (info.context or {}).get("roles")
        if roles is not None and role not in roles:
            raise ValueError(f"unknown role {role!r}; known roles: {', '.join(roles) or '(none)'}")
        return role

    @field_validator("people")
    @classmethod
    def _fits_role(cls, people: int, info: ValidationInfo) -> int:
        most = (info.context or {}).get("max_headcount", {}).get(info.data.get("role"))
        if most is not None and people > most:
            raise ValueError(
                f"needs {people} people at once but role {info.data['role']!r} "
                f"never has more than {most}"
            )
        return people


class Phase(_Model):
    """A step of a project; its demands run in parallel and it ends when all have ended."""

    name: str
    demands: list[Demand] = Field(min_length=1)


class Arrivals(_Model):
    """How projects of a type arrive: ``poisson``, ``interval`` or ``none``."""

    process: Literal["poisson", "interval", "none"] = "none"
    rate_per_week: float | None = Field(default=None, gt=0)
    every_weeks: float | None = Field(default=None, gt=0)
    start_week: float = Field(default=0, ge=0)
    end_week: float | None = Field(default=None, ge=0)

    @model_validator(mode="after")
    def _params(self) -> Arrivals:
        if self.process == "poisson" and self.rate_per_week is None:
            raise ValueError("poisson arrivals need rate_per_week")
        if self.process == "interval" and self.every_weeks is None:
            raise ValueError("interval arrivals need every_weeks")
        if self.process != "poisson" and self.rate_per_week is not None:
            raise ValueError(f"rate_per_week applies to poisson arrivals, not {self.process}")
        if self.process != "interval" and self.every_weeks is not None:
            raise ValueError(f"every_weeks applies to interval arrivals, not {self.process}")
        if self.end_week is not None and self.end_week < self.start_week:
            raise ValueError("end_week is before start_week")
        return self

    @property
    def expected_per_week(self) -> float:
        """Mean arrivals per week while the process is on."""
        if self.process == "poisson":
            return self.rate_per_week or 0.0
        if self.process == "interval":
            return 1 / (self.every_weeks or 1.0)
        return 0.0


def _check_alignment(alignment: dict[str, float], info: ValidationInfo) -> dict[str, float]:
    objectives = (info.context or {}).get("objectives")
    problems = []
    for key, share in alignment.items():
        if objectives is not None and key not in objectives:
            known = ", ".join(objectives) or "(none)"
            problems.append(f"unknown objective {key!r}; known objectives: {known}")
        if not 0 <= share <= 1:
            problems.append(f"alignment with {key!r} must lie in [0, 1] (got {share:g})")
    if problems:
        raise ValueError("; ".join(problems))
    return alignment


class Value(_Model):
    """What a project of this type is worth and how urgent it is."""

    benefit_per_week: Dist = Field(default_factory=lambda: parse_distribution(0))
    cost_of_delay_per_week: float = Field(default=0, ge=0)
    alignment: dict[str, float] = Field(default_factory=dict)
    due_within_weeks: float | None = Field(default=None, gt=0)

    _alignment = field_validator("alignment")(_check_alignment)


class ProjectType(_Model):
    """A kind of project: how often it arrives, its phases, its value."""

    description: str = ""
    arrivals: Arrivals = Field(default_factory=Arrivals)
    phases: list[Phase] = Field(min_length=1)
    value: Value = Field(default_factory=Value)

    @field_validator("phases")
    @classmethod
    def _unique_phase_names(cls, phases: list[Phase]) -> list[Phase]:
        names = [p.name for p in phases]
        dupes = sorted({n for n in names if names.count(n) > 1})
        if dupes:
            raise ValueError(f"phase names must be unique; repeated: {', '.join(dupes)}")
        return phases


class PipelineProject(_Model):
    """A named project known in advance: its type, arrival week and own figures."""

    id: str = Field(min_length=1)
    type: str
    arrival: float = Field(ge=0)
    name: str = ""
    due: float | None = Field(default=None, ge=0)
    effort_scale: float = Field(default=1, gt=0)
    effort: dict[str, Dist] = Field(default_factory=dict)
    benefit_per_week: Dist | None = None
    cost_of_delay_per_week: float | None = Field(default=None, ge=0)
    alignment: dict[str, float] | None = None

    @field_validator("id", "type", mode="before")
    @classmethod
    def _text(cls, value: Any) -> Any:
        return (
            str(value) if isinstance(value, int | float) and not isinstance(value, bool) else value
        )

    @field_validator("type")
    @classmethod
    def _known_type(cls, type_id: str, info: ValidationInfo) -> str:
        types = (info.context or {}).get("types")
        if types is not None and type_id not in types:
            raise ValueError(
                f"unknown project type {type_id!r}; known types: {', '.join(types) or '(none)'}"
            )
        return type_id

    @field_validator("effort")
    @classmethod
    def _known_demands(cls, effort: dict[str, Distribution], info: ValidationInfo) -> dict:
        keys = (info.context or {}).get("types", {}).get(info.data.get("type"))
        if keys is not None:
            unknown = [k for k in effort if k not in keys]
            if unknown:
                raise ValueError(
                    f"no demand {', '.join(map(repr, unknown))} in type {info.data['type']!r}; "
                    f"use PHASE.ROLE, one of: {', '.join(keys)}"
                )
        return effort

    @field_validator("alignment")
    @classmethod
    def _alignment(cls, alignment: dict | None, info: ValidationInfo) -> dict | None:
        return None if alignment is None else _check_alignment(alignment, info)


class Rebalancing(_Model):
    """Stage-gate review: an overrunning project is stopped or deferred for better work.

    At the end of each phase but the last, a project whose actual effort so far
    exceeds its planned effort so far by more than ``overrun`` (0.25 = 25%) is
    re-forecast (its remaining planned effort scaled by the overrun seen); if the
    priority rule then ranks it below the first project waiting at intake, it is
    stopped (never delivered) or deferred (back to the intake backlog).
    """

    action: Literal["stop", "defer"] = "stop"
    overrun: float = Field(default=0.25, ge=0)


WEINBERG_SWITCHING_LOSS = (0.0, 0.2, 0.4, 0.6, 0.75)
"""Share of a person's time lost to switching with 1, 2, 3, 4, 5 concurrent assignments.

Weinberg's rule of thumb (Quality Software Management vol. 1, 1992): time per
project 100%, 40%, 20%, 10%, 5% with 1-5 projects, i.e. 0%, 20%, 40%, 60% and
75% of the time lost. Beyond five the last value holds.
"""


class Multitasking(_Model):
    """Resource spreading: people allocated to several demands at once, losing time to switching.

    A demand that finds nobody free is given the least-allocated people who
    hold fewer than ``max_assignments`` demands (none: no cap). A person with
    ``n`` assignments splits their time equally between them and loses
    ``switching_loss[n - 1]`` of it (the last entry holds beyond the list).
    """

    max_assignments: int | None = Field(default=5, ge=1)
    switching_loss: list[float] = Field(
        default_factory=lambda: list(WEINBERG_SWITCHING_LOSS), min_length=1
    )

    _none = field_validator("max_assignments", mode="before")(
        classmethod(lambda _cls, v: none_word(v))
    )

    @field_validator("switching_loss")
    @classmethod
    def _shares(cls, losses: list[float]) -> list[float]:
        bad = [f"{x:g}" for x in losses if not 0 <= x < 1]
        if bad:
            raise ValueError(f"each loss must lie in [0, 1) (got {', '.join(bad)})")
        return losses


class Estimates(_Model):
    """How the PMO's planned efforts relate to the actual ones.

    ``bias`` is actual / planned effort on average (1.27: actuals 27% above plan);
    ``spread`` is the standard deviation of each demand's own estimate error
    (a lognormal factor of mean 1). Actual efforts are the scenario's; only the
    planned figures the PMO decides on change. Neutral: bias 1, spread 0.
    """

    bias: float = Field(default=1.0, gt=0)
    spread: float = Field(default=0.0, ge=0)


class Policy(_Model):
    """How the portfolio chooses and limits work."""

    priority: PriorityName = "fifo"
    wip_limit: int | None = Field(default=None, ge=1)
    budget_per_quarter: float | None = Field(default=None, gt=0)
    #: Capacity-checked intake: a project is admitted only if every role it needs then has
    #: at most this many weeks of planned work committed (admitted, not yet done).
    capacity_check_weeks: float | None = Field(default=None, gt=0)
    rebalancing: Rebalancing | None = None
    #: Resource spreading with switching loss (None: one demand per person at a time).
    multitasking: Multitasking | None = None
    estimates: Estimates = Field(default_factory=Estimates)
    #: Share of recurring proposals, lowest value for money first, that are not approved.
    selection_share: float = Field(default=0.0, ge=0, lt=1)
    #: Share of each delivered project's benefit actually realised.
    benefits_realised: float = Field(default=1.0, ge=0, le=1)

    _none = field_validator(
        "wip_limit",
        "budget_per_quarter",
        "capacity_check_weeks",
        "rebalancing",
        "multitasking",
        mode="before",
    )(classmethod(lambda _cls, v: none_word(v)))


#: Longest horizon a scenario may have: 100 years of weeks (weekly tables get a row per week).
MAX_HORIZON_WEEKS = 5200
#: Work one replication may imply unless the scenario says otherwise (``max_events``):
#: expected demands started over the horizon. The bundled baseline implies about 1,300.
DEFAULT_MAX_EVENTS = 1_000_000


NEUTRAL_POLICY: dict[str, Any] = {
    "multitasking": None,
    "estimates": {"bias": 1.0, "spread": 0.0},
    "selection_share": 0.0,
    "benefits_realised": 1.0,
}
"""The policy fields of issue 12 at their neutral values: the model behaves as before them."""


class Scenario(_Model):
    """A whole capacity scenario, validated."""

    name: str = ""
    description: str = ""
    horizon_weeks: float = Field(gt=0, le=MAX_HORIZON_WEEKS)
    #: Bound on :meth:`expected_events`; raise it for a truly large portfolio.
    max_events: int = Field(default=DEFAULT_MAX_EVENTS, ge=1)
    warmup_weeks: float = Field(default=0, ge=0)
    objectives: dict[str, Objective] = Field(default_factory=dict)
    roles: dict[str, Role] = Field(min_length=1)
    project_types: dict[str, ProjectType] = Field(min_length=1)
    pipeline: list[PipelineProject] = Field(default_factory=list)
    policy: Policy = Field(default_factory=Policy)

    @model_validator(mode="after")
    def _consistent(self) -> Scenario:
        if self.warmup_weeks >= self.horizon_weeks:
            raise ValueError(
                f"warmup_weeks ({self.warmup_weeks:g}) must be less than "
                f"horizon_weeks ({self.horizon_weeks:g})"
            )
        ids = [p.id for p in self.pipeline]
        dupes = sorted({i for i in ids if ids.count(i) > 1})
        if dupes:
            raise ValueError(f"pipeline project ids must be unique; repeated: {', '.join(dupes)}")
        events = self.expected_events()
        if events > self.max_events:
            by_type = {t: self._type_events(t) for t in self.project_types}
            most = max(by_type, key=by_type.__getitem__)
            raise ValueError(
                f"this scenario implies about {events:,.0f} demands per replication "
                f"(arrivals over {self.horizon_weeks:,g} weeks x demands per project; "
                f"{by_type[most]:,.0f} from project type {most!r}), more than the "
                f"{self.max_events:,} allowed (max_events): shorten horizon_weeks or lower "
                "the arrival rates, or set max_events to a larger bound if you mean it"
            )
        return self

    def _type_events(self, type_id: str) -> float:
        project_type = self.project_types[type_id]
        arrivals = project_type.arrivals
        end = self.horizon_weeks
        if arrivals.end_week is not None:
            end = min(end, arrivals.end_week)
        weeks = max(0.0, end - arrivals.start_week)
        demands = sum(len(phase.demands) for phase in project_type.phases)
        return arrivals.expected_per_week * weeks * demands

    def expected_events(self) -> float:
        """Demands one replication is expected to start: the work the scenario implies.

        For each project type, the expected arrivals while its process is on
        within the horizon times its demands per project; plus the pipeline's.
        """
        total = sum(self._type_events(t) for t in self.project_types)
        for project in self.pipeline:
            project_type = self.project_types.get(project.type)
            if project_type is not None:
                total += sum(len(phase.demands) for phase in project_type.phases)
        return total

    def strategic_score(self, alignment: Mapping[str, float]) -> float:
        """Sum over objectives of weight x alignment."""
        return sum(self.objectives[k].weight * a for k, a in alignment.items())


def _max_headcount(raw: Any) -> int | None:
    """Most people a raw role ever has, or None when the data is too broken to tell."""
    try:
        level = int(raw["headcount"])
        most = level
        for step in sorted(raw.get("hiring") or [], key=lambda s: float(s["week"])):
            if step.get("headcount") is not None:
                level = int(step["headcount"])
            else:
                level += int(step.get("change") or 0)
            most = max(most, level)
        return most
    except (KeyError, TypeError, ValueError, AttributeError, OverflowError):
        return None


def validation_context(data: Any) -> dict[str, Any]:
    """Names that cross-references must match, read leniently from raw scenario data.

    Passed as pydantic's validation context, so that a demand's role, an
    alignment's objective or a pipeline project's type is checked in the same
    pass as everything else.
    """
    if not isinstance(data, dict):
        return {}
    ctx: dict[str, Any] = {}
    roles = data.get("roles")
    if isinstance(roles, dict):
        ctx["roles"] = [str(r) for r in roles]
        ctx["max_headcount"] = {
            str(r): m for r, raw in roles.items() if (m := _max_headcount(raw)) is not None
        }
    objectives = data.get("objectives", {})
    if isinstance(objectives, dict):
        ctx["objectives"] = [str(o) for o in objectives]
    types = data.get("project_types")
    if isinstance(types, dict):
        ctx["types"] = {}
        for type_id, raw in types.items():
            keys = None
            with suppress(KeyError, TypeError):
                keys = [f"{p['name']}.{d['role']}" for p in raw["phases"] for d in p["demands"]]
            ctx["types"][str(type_id)] = keys
    return ctx
