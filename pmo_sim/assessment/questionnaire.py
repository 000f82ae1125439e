"""The maturity questionnaire: dimensions, questions, answer options and recommendations.

A questionnaire is a YAML file. Each *dimension* (say "resource and capacity
management") holds *questions*; every question offers five answer options,
one per level 0-4, whose text describes what the practice looks like at that
tier, so a respondent picks the sentence that best matches their organisation
rather than a bare number. Each dimension also carries, per tier 1-4, a short
recommendation of what to put in place to reach that tier; the roadmap quotes
them. Weights (default 1) let a consultant make a question or a dimension
count more.
"""

from __future__ import annotations

from collections import defaultdict
from functools import cached_property
from pathlib import Path

import pandas as pd
from pydantic import (
    ConfigDict,
    Field,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)

from pmo_sim.assessment.text import fold
from pmo_sim.bundled import bundled
from pmo_sim.errors import InputError, Problem
from pmo_sim.inputs import InputModel, YamlDoc, load_yaml, problems_from_validation

__all__ = [
    "DEFAULT_QUESTIONNAIRE",
    "LEVELS",
    "TIERS",
    "TIER_NAMES",
    "Dimension",
    "Question",
    "Questionnaire",
    "load_questionnaire",
]

#: Answer levels on every question; level n describes the practice at tier n.
LEVELS: tuple[int, ...] = (0, 1, 2, 3, 4)
#: Tiers a PMO can reach (tier 0 means no PMO practice to speak of).
TIERS: tuple[int, ...] = (1, 2, 3, 4)
#: Names of the tiers; each tier includes everything below it.
TIER_NAMES: dict[int, str] = {
    0: "Ad hoc",
    1: "Supportive",
    2: "Controlling",
    3: "Portfolio",
    4: "Strategic",
}

#: The bundled strategic PMO questionnaire (a copy of ``questionnaires/strategic_pmo.yaml``).
DEFAULT_QUESTIONNAIRE: Path = bundled("questionnaires/strategic_pmo.yaml")

_ID_PATTERN = r"^[A-Za-z][A-Za-z0-9_.-]*$"


class _Strict(InputModel):
    model_config = ConfigDict(frozen=True, str_strip_whitespace=True)


class Question(_Strict):
    """One question: its text, weight, and the practice described at each level 0-4."""

    id: str = Field(pattern=_ID_PATTERN)
    text: str = Field(min_length=1)
    weight: float = Field(default=1.0, gt=0)
    options: dict[int, str]

    @field_validator("options")
    @classmethod
    def _every_level_once(cls, options: dict[int, str]) -> dict[int, str]:
        missing = [lvl for lvl in LEVELS if lvl not in options]
        extra = sorted(lvl for lvl in options if lvl not in LEVELS)
        problems = []
        if missing:
            problems.append(f"missing level(s) {', '.join(map(str, missing))}")
        if extra:
            problems.append(f"level(s) {', '.join(map(str, extra))} outside the scale 0-4")
        blank = [lvl for lvl, text in options.items() if not str(text).strip()]
        if blank:
            problems.append(f"level(s) {', '.join(map(str, blank))} have no text")
        texts = [_fold(t) for t in options.values()]
        if len(set(texts)) != len(texts):
            problems.append("two levels have the same text, so a text answer would be ambiguous")
        if problems:
            raise ValueError("; ".join(problems) + " (every question needs levels 0, 1, 2, 3, 4)")
        return dict(sorted(options.items()))


class Dimension(_Strict):
    """A practice area scored on its own; its tier is the floor of its score."""

    id: str = Field(pattern=_ID_PATTERN)
    name: str = Field(min_length=1)
    description: str = ""
    weight: float = Field(default=1.0, gt=0)
    questions: list[Question] = Field(min_length=1)
    recommendations: dict[int, str]

    @field_validator("recommendations")
    @classmethod
    def _one_per_tier(cls, recs: dict[int, str]) -> dict[int, str]:
        missing = [t for t in TIERS if not str(recs.get(t, "")).strip()]
        extra = sorted(t for t in recs if t not in TIERS)
        problems = []
        if missing:
            problems.append(f"missing recommendation for tier(s) {', '.join(map(str, missing))}")
        if extra:
            problems.append(f"tier(s) {', '.join(map(str, extra))} outside 1-4")
        if problems:
            raise ValueError("; ".join(problems))
        return dict(sorted(recs.items()))


class Questionnaire(_Strict):
    """A validated questionnaire; ids are unique across dimensions and questions."""

    title: str = Field(min_length=1)
    version: str = "1"
    description: str = ""
    dimensions: list[Dimension] = Field(min_length=1)

    @model_validator(mode="after")
    def _unique_ids(self, info: ValidationInfo) -> Questionnaire:
        # The file loader reports repeats itself, with each repeat's path and line.
        if not (info.context or {}).get("repeats_checked"):
            repeats = _repeated_ids(self.model_dump())
            if repeats:
                raise ValueError("; ".join(f"{loc}: {msg}" for loc, msg in repeats))
        return self

    @cached_property
    def questions(self) -> dict[str, Question]:
        """Questions by id, in questionnaire order."""
        return {q.id: q for d in self.dimensions for q in d.questions}

    @cached_property
    def dimension_of(self) -> dict[str, str]:
        """Dimension id of each question id."""
        return {q.id: d.id for d in self.dimensions for q in d.questions}

    @cached_property
    def dimension_by_id(self) -> dict[str, Dimension]:
        """Dimensions by id, in questionnaire order."""
        return {d.id: d for d in self.dimensions}

    def question_table(self) -> pd.DataFrame:
        """One row per question, with its dimension's name and weight.

        Columns: ``dimension``, ``question``, ``text``, ``question_weight``,
        ``dimension_weight``, ``dimension_name``.
        """
        rows = [
            {
                "dimension": d.id,
                "dimension_name": d.name,
                "dimension_weight": d.weight,
                "question": q.id,
                "text": q.text,
                "question_weight": q.weight,
            }
            for d in self.dimensions
            for q in d.questions
        ]
        return pd.DataFrame(rows)


def _fold(text: str) -> str:
    """Compare texts the way a person would: case, spaces and curly quotes do not matter."""
    return fold(text)


def _repeated_ids(data: object) -> list[tuple[list[str | int], str]]:
    """Locations of repeated dimension and question ids in raw questionnaire data."""
    if not isinstance(data, dict) or not isinstance(data.get("dimensions"), list):
        return []
    seen_dims: dict[str, int] = {}
    seen_questions: dict[str, tuple[int, int]] = {}
    out: list[tuple[list[str | int], str]] = []
    for i, dim in enumerate(data["dimensions"]):
        if not isinstance(dim, dict):
            continue
        did = str(dim.get("id", "")).strip()
        if did:
            if did in seen_dims:
                first = seen_dims[did]
                out.append(
                    (["dimensions", i, "id"], f"repeated id {did!r} (first at dimensions[{first}])")
                )
            else:
                seen_dims[did] = i
        questions = dim.get("questions")
        if not isinstance(questions, list):
            continue
        for j, q in enumerate(questions):
            qid = str(q.get("id", "")).strip() if isinstance(q, dict) else ""
            if not qid:
                continue
            if qid in seen_questions:
                fi, fj = seen_questions[qid]
                loc: list[str | int] = ["dimensions", i, "questions", j, "id"]
                out.append(
                    (loc, f"repeated id {qid!r} (first at dimensions[{fi}].questions[{fj}])")
                )
            else:
                seen_questions[qid] = (i, j)
    return out


def _located(doc: YamlDoc, loc: list[str | int], message: str) -> Problem:
    where = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in loc).lstrip(".")
    line = doc.line_of(loc)
    return Problem(f"{where} (line {line})" if line is not None else where, message)


def load_questionnaire(path: str | Path | None = None) -> Questionnaire:
    """Load and validate a questionnaire file (the bundled one when ``path`` is None).

    Raises :class:`~pmo_sim.errors.InputError` listing every problem at once:
    a missing level, a repeated id, a weight <= 0, an unknown field, each with
    its field path and YAML line.
    """
    doc = load_yaml(DEFAULT_QUESTIONNAIRE if path is None else path)
    problems = [_located(doc, loc, msg) for loc, msg in _repeated_ids(doc.data)]
    try:
        questionnaire = Questionnaire.model_validate(doc.data, context={"repeats_checked": True})
    except ValidationError as exc:
        problems += problems_from_validation(exc, doc)
    if problems:
        raise InputError(doc.path, _sorted_by_line(problems))
    return questionnaire


def _sorted_by_line(problems: list[Problem]) -> list[Problem]:
    def line(p: Problem) -> int:
        marker = p.location.rfind("(line ")
        return int(p.location[marker + 6 : -1]) if marker >= 0 else 0

    by_line: dict[int, list[Problem]] = defaultdict(list)
    for p in problems:
        by_line[line(p)].append(p)
    return [p for key in sorted(by_line) for p in by_line[key]]
