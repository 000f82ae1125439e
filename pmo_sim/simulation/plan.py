"""A validated scenario compiled into what the model needs: indices, tuples, means.

The pydantic scenario is the consultant's view (ids, nested mappings); the
plan is the model's (role indices, per-demand durations factors, planned
figures, objective shares), built once per chunk of replications so that
no replication repeats the work.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from pmo_sim.simulation.distributions import Distribution, LogNormal
from pmo_sim.simulation.scenario import Arrivals, ProjectType, Scenario

__all__ = [
    "DemandPlan",
    "MultitaskingPlan",
    "PipelinePlan",
    "Plan",
    "RolePlan",
    "TypePlan",
    "compile_plan",
    "selection_threshold",
]

QUARTER_WEEKS = 13.0
"""Budget caps apply per quarter of 13 weeks, counted from week 0."""


@dataclass(frozen=True)
class RolePlan:
    """A role as the model runs it: availability, weekly cost, headcount steps."""

    id: str
    availability: float
    weekly_cost: float
    #: ``(week, headcount)`` steps, the first at week 0.
    headcount_plan: tuple[tuple[float, int], ...]


@dataclass(frozen=True)
class DemandPlan:
    """One demand of a phase as the model runs it: role index, people, effort."""

    #: ``phase.role``, the key pipeline projects use to override the effort.
    key: str
    role: int
    people: int
    effort: Distribution
    #: Multiplies the sampled effort (a pipeline project's ``effort_scale``).
    scale: float
    #: Planned effort in person-weeks: the distribution's mean x scale.
    planned: float


@dataclass(frozen=True)
class _Value:
    benefit: Distribution
    planned_benefit: float
    cost_of_delay: float
    #: Share of the benefit credited to each objective (sums to 1, or all 0).
    shares: tuple[float, ...]
    strategic_score: float


@dataclass(frozen=True)
class TypePlan:
    """A project type as the model runs it: arrivals, phases, value."""

    id: str
    arrivals: Arrivals
    phases: tuple[tuple[DemandPlan, ...], ...]
    value: _Value
    due_within: float | None


@dataclass(frozen=True)
class PipelinePlan:
    """A named pipeline project as the model runs it."""

    id: str
    type: int
    arrival: float
    due: float | None
    phases: tuple[tuple[DemandPlan, ...], ...]
    value: _Value


@dataclass(frozen=True)
class MultitaskingPlan:
    """Resource spreading: the cap per person and the productive share per assignment count."""

    #: Most demands one person holds at once (None: no cap).
    max_assignments: int | None
    #: ``1 - switching loss`` with 1, 2, ... assignments; the last entry holds beyond.
    efficiency: tuple[float, ...]


@dataclass(frozen=True)
class Plan:
    """A scenario compiled for the model: indices and numbers, no validation left."""

    horizon: float
    warmup: float
    objectives: tuple[str, ...]
    roles: tuple[RolePlan, ...]
    types: tuple[TypePlan, ...]
    pipeline: tuple[PipelinePlan, ...]
    priority: str
    wip_limit: int | None
    budget_per_quarter: float | None
    #: Weeks of planned work per role that intake may commit (None: no capacity check).
    capacity_check_weeks: float | None = None
    #: ``(action, overrun)`` of the stage-gate review, or None.
    rebalancing: tuple[str, float] | None = None
    multitasking: MultitaskingPlan | None = None
    #: Actual / planned effort on average, and the spread of each demand's estimate error.
    estimate_bias: float = 1.0
    estimate_spread: float = 0.0
    #: Share of recurring proposals declined, and the value-for-money score below which
    #: a proposal without a deadline is declined (None: no screening).
    selection_share: float = 0.0
    selection_threshold: float | None = None
    #: Share of a delivered project's benefit realised.
    benefits_realised: float = 1.0

    @property
    def expected_projects(self) -> float:
        """Projects one replication is expected to create (for sizing chunks)."""
        total = float(len(self.pipeline))
        for t in self.types:
            end = min(t.arrivals.end_week or self.horizon, self.horizon)
            total += t.arrivals.expected_per_week * max(0.0, end - t.arrivals.start_week)
        return total


def _value(
    scenario: Scenario, benefit: Distribution, cod: float, alignment: dict[str, float]
) -> _Value:
    objectives = list(scenario.objectives)
    total = sum(alignment.values())
    shares = tuple((alignment.get(o, 0.0) / total) if total > 0 else 0.0 for o in objectives)
    return _Value(
        benefit=benefit,
        planned_benefit=benefit.mean,
        cost_of_delay=cod,
        shares=shares,
        strategic_score=scenario.strategic_score(alignment),
    )


#: Proposals drawn (in total, over the recurring types) to place the selection threshold.
_SELECTION_DRAWS = 20000


def selection_threshold(
    types: tuple[TypePlan, ...], share: float, bias: float = 1.0, spread: float = 0.0
) -> float | None:
    """The value-for-money score below which ``share`` of screenable proposals fall.

    A proposal's score is its benefit per week x its strategic score / its planned
    effort (benefit per planned person-week, weighted by alignment): low value and
    unaligned work score lowest. Screenable proposals are recurring ones without a
    deadline; the quantile is over their expected mix (types weighted by arrival
    rate), estimated from a fixed-seed sample so the threshold is the same in every
    run. None when ``share`` is 0 or nothing is screenable.
    """
    if share <= 0:
        return None
    pool = [t for t in types if t.due_within is None and t.arrivals.expected_per_week > 0]
    total_rate = sum(t.arrivals.expected_per_week for t in pool)
    if not pool or total_rate <= 0:
        return None
    rng = np.random.default_rng(20261201)
    noise = LogNormal(1.0, spread) if spread > 0 else None
    scores = []
    for t in pool:
        n = max(1, round(_SELECTION_DRAWS * t.arrivals.expected_per_week / total_rate))
        benefit = t.value.benefit.sample(rng, n)
        planned = np.zeros(n)
        for phase in t.phases:
            for d in phase:
                factor = noise.sample(rng, n) if noise is not None else 1.0
                planned += d.planned / bias * factor
        scores.append(benefit * t.value.strategic_score / np.maximum(planned, 1e-12))
    return float(np.quantile(np.concatenate(scores), share))


def compile_plan(scenario: Scenario) -> Plan:
    """The model's view of a validated scenario."""
    role_index = {r: i for i, r in enumerate(scenario.roles)}
    roles = tuple(
        RolePlan(r, role.availability, role.weekly_cost, tuple(role.headcount_plan()))
        for r, role in scenario.roles.items()
    )
    type_index = {t: i for i, t in enumerate(scenario.project_types)}

    def phases_of(
        ptype: ProjectType,
        overrides: Mapping[str, Distribution] | None = None,
        scale: float = 1.0,
    ) -> tuple[tuple[DemandPlan, ...], ...]:
        out = []
        for phase in ptype.phases:
            demands = []
            for d in phase.demands:
                key = f"{phase.name}.{d.role}"
                dist = (overrides or {}).get(key, d.effort)
                demands.append(
                    DemandPlan(key, role_index[d.role], d.people, dist, scale, dist.mean * scale)
                )
            out.append(tuple(demands))
        return tuple(out)

    types = tuple(
        TypePlan(
            id=t,
            arrivals=ptype.arrivals,
            phases=phases_of(ptype),
            value=_value(
                scenario,
                ptype.value.benefit_per_week,
                ptype.value.cost_of_delay_per_week,
                ptype.value.alignment,
            ),
            due_within=ptype.value.due_within_weeks,
        )
        for t, ptype in scenario.project_types.items()
    )
    pipeline = []
    for p in sorted(scenario.pipeline, key=lambda p: p.arrival):
        ptype = scenario.project_types[p.type]
        tv = ptype.value
        pipeline.append(
            PipelinePlan(
                id=p.id,
                type=type_index[p.type],
                arrival=p.arrival,
                due=p.due,
                phases=phases_of(ptype, p.effort, p.effort_scale),
                value=_value(
                    scenario,
                    p.benefit_per_week if p.benefit_per_week is not None else tv.benefit_per_week,
                    p.cost_of_delay_per_week
                    if p.cost_of_delay_per_week is not None
                    else tv.cost_of_delay_per_week,
                    p.alignment if p.alignment is not None else tv.alignment,
                ),
            )
        )
    policy = scenario.policy
    mt = policy.multitasking
    return Plan(
        horizon=scenario.horizon_weeks,
        warmup=scenario.warmup_weeks,
        objectives=tuple(scenario.objectives),
        roles=roles,
        types=types,
        pipeline=tuple(pipeline),
        priority=scenario.policy.priority,
        wip_limit=scenario.policy.wip_limit,
        budget_per_quarter=scenario.policy.budget_per_quarter,
        capacity_check_weeks=scenario.policy.capacity_check_weeks,
        rebalancing=None
        if scenario.policy.rebalancing is None
        else (scenario.policy.rebalancing.action, scenario.policy.rebalancing.overrun),
        multitasking=None
        if mt is None
        else MultitaskingPlan(mt.max_assignments, tuple(1 - x for x in mt.switching_loss)),
        estimate_bias=policy.estimates.bias,
        estimate_spread=policy.estimates.spread,
        selection_share=policy.selection_share,
        selection_threshold=selection_threshold(
            types, policy.selection_share, policy.estimates.bias, policy.estimates.spread
        ),
        benefits_realised=policy.benefits_realised,
    )
