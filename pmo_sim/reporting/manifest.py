"""Batch manifests: which client reports to produce, from which inputs.

A manifest is YAML with a list of ``engagements``; each names a ``client``,
a report ``kind`` (assessment, capacity, business_case) and that kind's
inputs and parameters. Relative paths are taken from the manifest's folder.
Every problem in the file (unknown field, missing input file, duplicate
report) is reported at once, with its field path and line.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from pmo_sim.errors import InputError, Problem
from pmo_sim.inputs import load_yaml, problems_from_validation

__all__ = [
    "AssessmentEngagement",
    "BusinessCaseEngagement",
    "CapacityEngagement",
    "Engagement",
    "Manifest",
    "load_manifest",
    "slugify",
]


def slugify(text: str) -> str:
    """A safe folder name for a client: ASCII letters, digits and dashes."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^A-Za-z0-9]+", "-", ascii_text).strip("-").lower()
    return slug or "client"


class _Base(BaseModel):
    model_config = ConfigDict(extra="forbid")

    client: str = Field(min_length=1, description="Client name as it appears in the report.")
    id: str | None = Field(None, description="Folder name; default: the client name, slugified.")
    seed: int = Field(20261121, description="Seed for intervals and simulations.")

    @property
    def slug(self) -> str:
        return slugify(self.id or self.client)

    def input_paths(self) -> dict[str, Path]:
        """Input files by field name (for existence checks and staleness)."""
        raise NotImplementedError


class AssessmentEngagement(_Base):
    """A maturity assessment report from a survey export or workshop database."""

    kind: Literal["assessment"]
    responses: Path
    questionnaire: Path | None = None
    previous: Path | None = None
    target_tier: int | None = Field(None, ge=1, le=4)
    weighting: Literal["groups", "respondents"] = "groups"

    def input_paths(self) -> dict[str, Path]:
        named = {
            "responses": self.responses,
            "questionnaire": self.questionnaire,
            "previous": self.previous,
        }
        return {k: v for k, v in named.items() if v is not None}


class CapacityEngagement(_Base):
    """A capacity scenarios report: one or more scenarios on common random numbers."""

    kind: Literal["capacity"]
    scenarios: list[Path] = Field(min_length=1)
    replications: int = Field(30, ge=2, le=100_000)
    overrides: list[str] = Field(default_factory=list)

    def input_paths(self) -> dict[str, Path]:
        return {f"scenarios[{i}]": p for i, p in enumerate(self.scenarios)}


class BusinessCaseEngagement(_Base):
    """The PMO business case: today's tier against the target tier's practices."""

    kind: Literal["business_case"]
    assessment: Path
    scenario: Path
    target_tier: int | None = Field(None, ge=1, le=4)
    practices: Path | None = None
    replications: int = Field(30, ge=2, le=100_000)

    def input_paths(self) -> dict[str, Path]:
        named = {
            "assessment": self.assessment,
            "scenario": self.scenario,
            "practices": self.practices,
        }
        return {k: v for k, v in named.items() if v is not None}


Engagement = Annotated[
    AssessmentEngagement | CapacityEngagement | BusinessCaseEngagement,
    Field(discriminator="kind"),
]


class Manifest(BaseModel):
    """A batch of engagements; ``base`` is the folder relative paths start from."""

    model_config = ConfigDict(extra="forbid")

    title: str = "Client reports"
    engagements: list[Engagement] = Field(min_length=1)
    base: Path = Path(".")


def _resolve(engagement: Any, base: Path) -> None:
    for name, value in list(engagement.__dict__.items()):
        if isinstance(value, Path) and not value.is_absolute():
            setattr(engagement, name, (base / value).resolve())
        elif isinstance(value, list) and value and isinstance(value[0], Path):
            setattr(engagement, name, [(base / p).resolve() for p in value])


def load_manifest(path: str | Path) -> Manifest:
    """Load and check a batch manifest; raise InputError listing every problem."""
    path = Path(path)
    doc = load_yaml(path)
    if not isinstance(doc.data, dict):
        raise InputError(path, "expected a mapping with a list of 'engagements'")
    base = path.resolve().parent
    try:
        manifest = Manifest.model_validate({**doc.data, "base": base})
    except ValidationError as exc:
        raise InputError(path, problems_from_validation(exc, doc)) from None
    problems: list[Problem] = []
    seen: dict[tuple[str, str], int] = {}
    for i, engagement in enumerate(manifest.engagements):
        _resolve(engagement, base)
        for field_name, file in engagement.input_paths().items():
            if not file.exists():
                loc = ["engagements", i, *re.split(r"[\[\]]+", field_name.rstrip("]"))]
                loc = [int(p) if str(p).isdigit() else p for p in loc if p != ""]
                line = doc.line_of(loc)
                where = f"engagements[{i}].{field_name}" + (f" (line {line})" if line else "")
                problems.append(Problem(where, f"file not found: {file}"))
        key = (engagement.slug, engagement.kind)
        if key in seen:
            line = doc.line_of(["engagements", i])
            problems.append(
                Problem(
                    f"engagements[{i}]" + (f" (line {line})" if line else ""),
                    f"same client and kind as engagements[{seen[key]}] "
                    f"({engagement.client!r}, {engagement.kind}); give one an 'id'",
                )
            )
        else:
            seen[key] = i
    if problems:
        raise InputError(path, problems)
    return manifest
