"""The result of scoring one assessment: tidy tables for analysis, a dict for JSON.

Everything a report needs is here: the tier and the index with their
interval, per-dimension scores with spread and flags, group scores for the
radar and the heatmap, perception gaps, the roadmap, the comments for the
appendix, and the accounting of which answers were used. Notebooks read the
DataFrames; ``pmo-sim assess --format json`` prints :meth:`Assessment.to_dict`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from pmo_sim.assessment.trend import Trend

__all__ = ["Assessment"]

_JSON_DECIMALS = 6


@dataclass(frozen=True)
class Assessment:
    """A scored assessment.

    Tables are tidy DataFrames; their columns:

    * ``dimensions``: ``dimension``, ``name``, ``weight``, ``score``, ``tier``,
      ``tier_name``, ``interval_low``, ``interval_high``, ``std``, ``range``,
      ``min``, ``max``, ``n_respondents``, ``n_answers``, ``flagged``
      (std > 1.0), ``blocking`` (holds back the next tier), ``gap_to_target``;
    * ``groups``: ``group``, ``dimension``, ``score``, ``n_respondents``;
    * ``respondents``: ``respondent``, ``group``, ``dimension``, ``score``, ``n_answers``;
    * ``questions``: ``dimension``, ``question``, ``text``, ``weight``,
      ``score``, ``std``, ``n_respondents``, ``n_not_answered``;
    * ``question_groups``: ``dimension``, ``question``, ``group``, ``score``, ``n_respondents``;
    * ``perception_gaps``: ``dimension``, ``group_a``, ``group_b``,
      ``score_a``, ``score_b``, ``gap`` (a - b), ``flagged`` (|gap| >= 1.0);
    * ``blocking``: ``dimension``, ``name``, ``score``, ``tier``, ``next_tier``, ``shortfall``;
    * ``roadmap``: see :func:`pmo_sim.assessment.roadmap.roadmap`;
    * ``comments``: ``dimension``, ``question``, ``text``, ``respondent``,
      ``group``, ``level`` (NaN if not answered), ``comment``.
    """

    tier: int
    tier_name: str
    index: float
    index_interval: tuple[float, float]
    target_tier: int
    dimensions: pd.DataFrame
    groups: pd.DataFrame
    respondents: pd.DataFrame
    questions: pd.DataFrame
    question_groups: pd.DataFrame
    perception_gaps: pd.DataFrame
    blocking: pd.DataFrame
    roadmap: pd.DataFrame
    comments: pd.DataFrame
    explanation: str
    answers_used: int
    answers_skipped: int
    skipped_reasons: dict[str, int]
    group_sizes: dict[str, int]
    weighting: str
    seed: int
    n_boot: int
    confidence: float
    questionnaire_title: str
    questionnaire_version: str
    client: str | None = None
    assessed_on: str | None = None
    source: str | None = None
    trend: Trend | None = None
    warnings: tuple[str, ...] = field(default_factory=tuple)

    @property
    def n_respondents(self) -> int:
        """Respondents whose answers were scored."""
        return sum(self.group_sizes.values())

    def tables(self) -> dict[str, pd.DataFrame]:
        """The tidy tables written as CSV by ``pmo-sim assess --out``."""
        out = {
            "dimensions": self.dimensions,
            "groups": self.groups,
            "questions": self.questions,
            "question_groups": self.question_groups,
            "perception_gaps": self.perception_gaps,
            "roadmap": self.roadmap,
        }
        if self.trend is not None:
            out["trend"] = self.trend.dimensions
        return out

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready data (floats rounded to 6 decimals, NaN as None)."""
        dims = self.dimensions
        return {
            "client": self.client,
            "assessed_on": self.assessed_on,
            "source": self.source,
            "questionnaire": {
                "title": self.questionnaire_title,
                "version": self.questionnaire_version,
            },
            "weighting": self.weighting,
            "seed": self.seed,
            "bootstrap": {"resamples": self.n_boot, "confidence": self.confidence},
            "tier": self.tier,
            "tier_name": self.tier_name,
            "index": _num(self.index),
            "index_interval": [_num(v) for v in self.index_interval],
            "explanation": self.explanation,
            "n_respondents": self.n_respondents,
            "respondents_by_group": dict(self.group_sizes),
            "dimensions": [
                {
                    "id": row.dimension,
                    "name": row.name,
                    "weight": _num(row.weight),
                    "score": _num(row.score),
                    "tier": _int(row.tier),
                    "tier_name": row.tier_name,
                    "interval": [_num(row.interval_low), _num(row.interval_high)],
                    "std": _num(row.std),
                    "range": _num(row.range),
                    "n_respondents": int(row.n_respondents),
                    "flagged": bool(row.flagged),
                    "blocking": bool(row.blocking),
                    "gap_to_target": _num(row.gap_to_target),
                }
                for row in dims.itertuples(index=False)
            ],
            "groups": {
                group: {row.dimension: _num(row.score) for row in part.itertuples(index=False)}
                for group, part in self.groups.groupby("group", sort=False)
            },
            "perception_gaps": _records(self.perception_gaps),
            "blocking": list(self.blocking["dimension"]),
            "blocking_detail": _records(self.blocking),
            "target_tier": self.target_tier,
            "roadmap": self._roadmap_dict(),
            "trend": self._trend_dict(),
            "answers_used": self.answers_used,
            "answers_skipped": self.answers_skipped,
            "skipped_reasons": dict(self.skipped_reasons),
            "warnings": list(self.warnings),
        }

    def _roadmap_dict(self) -> list[dict[str, Any]]:
        items = []
        for _, steps in self.roadmap.groupby("rank", sort=True):
            first = steps.iloc[0]
            items.append(
                {
                    "rank": int(first["rank"]),
                    "dimension": first["dimension"],
                    "name": first["name"],
                    "score": _num(first["score"]),
                    "tier": _int(first["tier"]),
                    "target": int(first["target"]),
                    "gap": _num(first["gap"]),
                    "weight": _num(first["weight"]),
                    "priority": _num(first["priority"]),
                    "recommendations": [
                        {"tier": int(s.step_tier), "text": s.recommendation}
                        for s in steps.itertuples(index=False)
                    ],
                }
            )
        return items

    def _trend_dict(self) -> dict[str, Any] | None:
        if self.trend is None:
            return None
        t = self.trend
        return {
            "previous_assessed_on": t.previous_assessed_on,
            "previous_tier": t.previous_tier,
            "tier": t.tier,
            "tier_change": t.tier_change,
            "previous_index": _num(t.previous_index),
            "index": _num(t.index),
            "index_change": _num(t.index_change),
            "dimensions": _records(t.dimensions),
        }


def _num(value: Any) -> float | None:
    if value is None:
        return None
    value = float(value)
    return None if math.isnan(value) else round(value, _JSON_DECIMALS)


def _int(value: Any) -> int | None:
    num = _num(value)
    return None if num is None else int(num)


_INTEGER_SUFFIXES = ("tier", "tier_change", "n_respondents", "rank")


def _records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """Rows as dicts of plain Python values, floats rounded, NaN as None."""
    out = []
    for record in frame.to_dict(orient="records"):
        clean: dict[str, Any] = {}
        for key, value in record.items():
            if isinstance(value, bool) or not isinstance(value, int | float):
                clean[key] = value
                continue
            num = _num(value)
            clean[key] = int(num) if num is not None and key.endswith(_INTEGER_SUFFIXES) else num
        out.append(clean)
    return out
