"""The practices file: what each maturity tier means for the simulation.

A tier's practices are the portfolio policy the simulation can model: the
priority rule, the WIP limit (a number, or derived from capacity), the
capacity check at intake, stage-gate rebalancing, how people are spread
over work (multitasking), how good the estimates are, how many poor
proposals are screened out and how much of the planned benefit is
realised. A practice left out of a tier (None) keeps what the scenario says. ``governed_by`` names,
for each practice, the assessment dimension whose tier decides it, so a
client's practices follow their dimension scores rather than only the
overall tier (:func:`resolve_practices`). Fields are documented in
``docs/business-case.md``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from pydantic import ConfigDict, Field, field_validator

from pmo_sim.bundled import bundled
from pmo_sim.errors import InputError, Problem
from pmo_sim.inputs import InputModel, YamlDoc, load_yaml, none_word, validate_model
from pmo_sim.simulation.priorities import PriorityName
from pmo_sim.simulation.scenario import Estimates, Rebalancing

__all__ = [
    "DEFAULT_PRACTICES",
    "PRACTICES",
    "TIERS",
    "PracticeChoice",
    "Practices",
    "TierMultitasking",
    "TierPractices",
    "load_practices",
    "resolve_practices",
]

#: The bundled practices file (a copy of ``scenarios/practices.yaml``).
DEFAULT_PRACTICES: Path = bundled("scenarios/practices.yaml")

TIERS = (0, 1, 2, 3, 4)

#: The practices, in the order they are reported; each maps to a ``policy`` field.
PRACTICES = (
    "priority",
    "wip_limit",
    "capacity_check_weeks",
    "rebalancing",
    "multitasking",
    "estimates",
    "selection_share",
    "benefits_realised",
)


class _Model(InputModel):
    model_config = ConfigDict(frozen=True)


class TierMultitasking(_Model):
    """How a tier spreads people over work: the cap per person, and optionally the curve.

    ``switching_loss`` left out keeps the scenario's curve (or Weinberg's when the
    scenario has none): how much switching costs is a fact about the work, not a
    practice.
    """

    max_assignments: int | None = Field(default=3, ge=1)
    switching_loss: list[float] | None = None

    @field_validator("max_assignments", "switching_loss", mode="before")
    @classmethod
    def _none(cls, value: Any) -> Any:
        return none_word(value)


class TierPractices(_Model):
    """The simulated practices of one tier (a field left out keeps the scenario's policy)."""

    description: str = ""
    priority: PriorityName = "fifo"
    #: A number, ``capacity`` (derived from the scenario's capacity) or None.
    wip_limit: int | Literal["capacity"] | None = None
    #: With ``wip_limit: capacity``: limit = ceil(headroom x Little's-law WIP).
    wip_headroom: float = Field(default=1.5, gt=0)
    capacity_check_weeks: float | None = Field(default=None, gt=0)
    rebalancing: Rebalancing | None = None
    #: Resource spreading (a mapping), ``single`` (one demand per person), or None.
    multitasking: TierMultitasking | Literal["single"] | None = None
    estimates: Estimates | None = None
    selection_share: float | None = Field(default=None, ge=0, lt=1)
    benefits_realised: float | None = Field(default=None, ge=0, le=1)

    @field_validator("wip_limit", "capacity_check_weeks", "rebalancing", mode="before")
    @classmethod
    def _none(cls, value: Any) -> Any:
        return none_word(value)

    @field_validator("wip_limit")
    @classmethod
    def _positive(cls, value: int | str | None) -> int | str | None:
        if isinstance(value, int) and value < 1:
            raise ValueError("wip_limit must be at least 1, 'capacity' or none")
        return value


class Practices(_Model):
    """A whole practices file: one entry per tier 0-4 and the governing dimensions."""

    description: str = ""
    tiers: dict[int, TierPractices]
    governed_by: dict[str, str | None] = Field(default_factory=dict)
    #: Where each practice's figures come from, a sentence per practice (for the report).
    sources: dict[str, str] = Field(default_factory=dict)

    @field_validator("governed_by", "sources", mode="before")
    @classmethod
    def _known_practices(cls, value: Any) -> Any:
        if isinstance(value, dict):
            unknown = [k for k in value if k not in PRACTICES]
            if unknown:
                raise ValueError(
                    f"unknown practice(s) {', '.join(map(repr, unknown))}; "
                    f"known: {', '.join(PRACTICES)}"
                )
            return {k: none_word(v) if isinstance(v, str) else v for k, v in value.items()}
        return value


def load_practices(path: str | Path | None = None) -> Practices:
    """Read and validate a practices file (the bundled one by default).

    Raises :class:`InputError` naming the file and every problem with its
    field path and line.
    """
    path = Path(path) if path is not None else DEFAULT_PRACTICES
    doc = load_yaml(path)
    if not isinstance(doc.data, dict):
        raise InputError(path, "a practices file must be a YAML mapping with a 'tiers' key")
    problems = _tier_problems(doc)
    try:
        practices = validate_model(Practices, doc)
    except InputError as exc:
        # Tiers are keyed by number: say ``tiers.2``, not ``tiers[2]`` (which reads as a list).
        problems = [
            Problem(re.sub(r"^tiers\[(\d+)\]", r"tiers.\1", p.location), p.message)
            for p in exc.problems
        ] + problems
    if problems:
        raise InputError(path, problems)
    return practices


def _tier_problems(doc: YamlDoc) -> list[Problem]:
    """Every tier 0-4 needs an entry, and no other tier exists."""
    tiers = doc.data.get("tiers")
    if not isinstance(tiers, dict):
        return []
    keys = {str(k).strip() for k in tiers}
    missing = [t for t in TIERS if str(t) not in keys]
    extra = sorted(k for k in keys if k not in {str(t) for t in TIERS})
    where = f"tiers (line {doc.line_of(['tiers'])})"
    problems = []
    if missing:
        problems.append(Problem(where, f"every tier 0-4 needs an entry; missing: {missing}"))
    if extra:
        problems.append(Problem(where, f"tiers run from 0 to 4; unknown: {', '.join(extra)}"))
    return problems


@dataclass(frozen=True)
class PracticeChoice:
    """One practice of one arm of the business case, and why it was chosen."""

    #: One of :data:`PRACTICES`.
    practice: str
    #: The tier whose practice is used.
    tier: int
    #: The governing dimension, or None when the overall tier decides.
    dimension: str | None
    #: The practices of that tier (the value is ``getattr(source, practice)``).
    source: TierPractices

    @property
    def value(self) -> Any:
        """The practice's setting at the chosen tier (its ``policy`` value)."""
        return getattr(self.source, self.practice)


def resolve_practices(
    practices: Practices,
    tier: int,
    dimension_tiers: dict[str, int | None],
    floor: int | None = None,
) -> dict[str, PracticeChoice]:
    """Each practice at the tier of its governing dimension (or ``tier`` without one).

    ``floor`` lifts every dimension to at least that tier: the target arm,
    where the client has reached the target tier in every dimension.
    """
    out = {}
    for practice in PRACTICES:
        dimension = practices.governed_by.get(practice)
        level = dimension_tiers.get(dimension) if dimension is not None else None
        if level is None:
            dimension, level = None, tier
        if floor is not None:
            level = max(level, floor)
        level = min(max(int(level), TIERS[0]), TIERS[-1])
        out[practice] = PracticeChoice(practice, level, dimension, practices.tiers[level])
    return out
