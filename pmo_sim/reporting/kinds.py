"""Report kinds: what a client report is made from and which notebook makes it.

A consultant asks for "the assessment report for Acme" or "the business case
for Northgate". Each kind here is a name, a title, the notebook that makes it
and an *engagement* model (pydantic): the inputs it takes, their defaults and
how they are validated. The manifest's ``kind:`` key, the ``pmo-sim report
KIND`` commands, the batch runner and the index page are all derived from
:data:`REPORT_KINDS`, so a new kind is one engagement model, one notebook
whose parameters are the model's fields, and one :func:`register_report_kind`.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any, ClassVar, Literal

from pydantic import Field, field_validator

from pmo_sim.errors import InputError, Problem, load_all
from pmo_sim.files import slugify
from pmo_sim.inputs import InputModel, missing_file
from pmo_sim.reporting.deliverables import (
    DEFAULT_FORMATS,
    FORMATS,
    parse_formats,
    template_problem,
)
from pmo_sim.seeds import DEFAULT_SEED

__all__ = [
    "REPORT_KINDS",
    "AssessmentEngagement",
    "BusinessCaseEngagement",
    "CapacityEngagement",
    "EngagementBase",
    "ReportKind",
    "register_report_kind",
    "report_kind",
]


class EngagementBase(InputModel):
    """What every engagement has: the client, an optional folder name and the seed.

    A subclass adds ``kind: Literal["NAME"]`` and its inputs; every field but
    ``kind`` and ``id`` is passed to the notebook as a parameter of that name.
    """

    #: Fields that are not notebook parameters.
    NOT_PARAMETERS: ClassVar[frozenset[str]] = frozenset({"kind", "id"})

    kind: str
    client: str = Field(min_length=1, description="Client name as it appears in the report.")
    id: str | None = Field(None, description="Folder name; default: the client name, slugified.")
    seed: int = Field(DEFAULT_SEED, ge=0, description="Seed for intervals and simulations.")
    formats: list[str] = Field(
        default_factory=lambda: list(DEFAULT_FORMATS),
        description="Files to make, comma-separated: " + ", ".join(FORMATS) + " (html always).",
    )
    pptx_template: Path | None = Field(
        None, description="A firm's PowerPoint template (.pptx) for the deck's layouts and theme."
    )

    @field_validator("formats", mode="before")
    @classmethod
    def _known_formats(cls, value: Any) -> list[str]:
        return parse_formats(value)

    @property
    def slug(self) -> str:
        """The client's folder name."""
        return slugify(self.id or self.client)

    def input_paths(self) -> dict[str, Path]:
        """Input files by field name (``scenarios[0]`` for lists), for checks and staleness."""
        out: dict[str, Path] = {}
        for name in type(self).model_fields:
            value = getattr(self, name)
            if isinstance(value, Path):
                out[name] = value
            elif isinstance(value, list) and value and all(isinstance(v, Path) for v in value):
                out.update({f"{name}[{i}]": p for i, p in enumerate(value)})
        return out

    def parameters(self) -> dict[str, Any]:
        """The notebook parameters (plain JSON values: paths as strings)."""
        return self.model_dump(mode="json", exclude=set(self.NOT_PARAMETERS))

    def read_inputs(self) -> None:
        """Read and check every input the notebook will read, before any kernel starts.

        Raises :class:`~pmo_sim.errors.InputError` naming every bad file. A
        kind reads its files as its notebook does; the base only checks
        that each exists and is a file, and that a deck template opens.
        """
        problems = [
            Problem(name, reason)
            for name, path in self.input_paths().items()
            if (reason := missing_file(path)) is not None
        ]
        if self.pptx_template is not None and self.pptx_template.is_file():
            bad = template_problem(self.pptx_template)
            if bad:
                problems.append(Problem("pptx_template", f"{self.pptx_template}: {bad}"))
        if problems:
            raise InputError(f"{self.client} ({self.kind})", problems)


class AssessmentEngagement(EngagementBase):
    """A maturity assessment report from a survey export or workshop database."""

    kind: Literal["assessment"]
    responses: Path = Field(description="Survey export (CSV/XLSX) or workshop database.")
    questionnaire: Path | None = Field(None, description="Questionnaire YAML (default: bundled).")
    previous: Path | None = Field(None, description="An earlier assessment, for the trend.")
    target_tier: int | None = Field(None, ge=1, le=4, description="Tier to aim for.")
    weighting: Literal["groups", "respondents"] = Field(
        "groups", description="Weigh stakeholder groups equally, or every respondent."
    )
    group_column: str | None = Field(
        None, description="The export's group column, when it has no 'group' or 'role' column."
    )
    mapping: Path | None = Field(
        None, description="Import profile YAML for the survey export (docs/questionnaire.md)."
    )

    def read_inputs(self) -> None:
        """Read the questionnaire, the mapping and every responses file as the notebook will."""
        from pmo_sim.assessment import load_questionnaire, load_responses, load_survey_profile

        super().read_inputs()
        questions = load_questionnaire(self.questionnaire)
        profile = load_survey_profile(self.mapping, questions) if self.mapping else None
        files = {"responses": self.responses, "previous": self.previous}
        load_all(
            {
                name: partial(
                    load_responses,
                    path,
                    questions,
                    client=self.client,
                    group_column=self.group_column,
                    mapping=profile,
                )
                for name, path in files.items()
                if path is not None
            }
        )


class CapacityEngagement(EngagementBase):
    """A capacity scenarios report: one or more scenarios on common random numbers."""

    kind: Literal["capacity"]
    scenarios: list[Path] = Field(min_length=1, description="Scenario YAML files to compare.")
    replications: int = Field(30, ge=2, le=100_000, description="Monte Carlo replications.")
    overrides: list[str] = Field(
        default_factory=list, description="Override PATH=VALUE for every scenario."
    )

    def read_inputs(self) -> None:
        """Read every scenario with the overrides, as the notebook will."""
        from pmo_sim.simulation import load_scenario

        super().read_inputs()
        load_all({path: partial(load_scenario, path, self.overrides) for path in self.scenarios})


class BusinessCaseEngagement(EngagementBase):
    """The PMO business case: today's tier against the target tier's practices."""

    kind: Literal["business_case"]
    assessment: Path = Field(description="Assessment results JSON or a responses file.")
    scenario: Path = Field(description="The client's capacity scenario (YAML).")
    target_tier: int | None = Field(
        None, ge=1, le=4, description="Tier to aim for (default: the next one)."
    )
    practices: Path | None = Field(None, description="Practices YAML (default: bundled).")
    replications: int = Field(30, ge=2, le=100_000, description="Monte Carlo replications.")
    sensitivity: bool = Field(
        True, description="Vary each assumption over its range: tornado and break-even."
    )

    def read_inputs(self) -> None:
        """Read the assessment, the scenario and the practices, as the notebook will."""
        from pmo_sim.business_case import load_practices, read_position
        from pmo_sim.simulation import load_scenario

        super().read_inputs()
        load_all(
            {
                "assessment": lambda: read_position(self.assessment),
                "scenario": lambda: load_scenario(self.scenario),
                "practices": lambda: load_practices(self.practices),
            }
        )


@dataclass(frozen=True)
class ReportKind:
    """A kind of client report: its name, title, notebook and engagement model."""

    #: The manifest's ``kind:`` and the command ``pmo-sim report NAME``.
    name: str
    #: In titles and the index page: "maturity assessment" -> "Acme: maturity assessment report".
    title: str
    #: The notebook under ``notebooks/`` that makes it.
    notebook: str
    #: The pydantic model of its inputs (``kind: Literal[name]``).
    engagement: type[EngagementBase]
    #: The input taken as the positional argument of ``pmo-sim report NAME``.
    argument: str

    def report_title(self, client: str) -> str:
        """The HTML title of one client's report."""
        return f"{client}: {self.title} report"


#: Every report kind by name, in the order they are listed.
REPORT_KINDS: dict[str, ReportKind] = {}


def register_report_kind(kind: ReportKind) -> ReportKind:
    """Add ``kind`` to :data:`REPORT_KINDS` (a kind of the same name is replaced)."""
    REPORT_KINDS[kind.name] = kind
    return kind


def report_kind(name: str) -> ReportKind:
    """The kind called ``name``; ValueError naming the known kinds otherwise."""
    try:
        return REPORT_KINDS[name]
    except KeyError:
        raise ValueError(
            f"unknown report kind {name!r}; choose from {', '.join(map(repr, REPORT_KINDS))}"
        ) from None


register_report_kind(
    ReportKind(
        "assessment",
        "maturity assessment",
        "maturity_assessment.ipynb",
        AssessmentEngagement,
        "responses",
    )
)
register_report_kind(
    ReportKind(
        "capacity",
        "capacity scenarios",
        "capacity_scenarios.ipynb",
        CapacityEngagement,
        "scenarios",
    )
)
register_report_kind(
    ReportKind(
        "business_case",
        "business case",
        "business_case.ipynb",
        BusinessCaseEngagement,
        "assessment",
    )
)
