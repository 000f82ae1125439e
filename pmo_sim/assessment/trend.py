"""Change since an earlier assessment of the same client.

A client assessed last year wants to know what moved. Dimensions are
matched by id; a dimension present in only one assessment is shown with the
other side empty rather than dropped.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from pmo_sim.assessment.dimension_scores import DECIMALS

__all__ = ["Trend", "compare"]


@dataclass(frozen=True)
class Trend:
    """Overall and per-dimension change from ``previous`` to now.

    ``dimensions`` columns: ``dimension``, ``name``, ``previous_score``,
    ``score``, ``change``, ``previous_tier``, ``tier``, ``tier_change``.
    """

    previous_tier: int
    tier: int
    previous_index: float
    index: float
    previous_assessed_on: str | None
    dimensions: pd.DataFrame

    @property
    def tier_change(self) -> int:
        """Tiers gained (negative: lost) since the previous assessment."""
        return self.tier - self.previous_tier

    @property
    def index_change(self) -> float:
        """Change of the maturity index since the previous assessment."""
        return round(self.index - self.previous_index, DECIMALS)


def compare(
    previous_dimensions: pd.DataFrame,
    dimensions: pd.DataFrame,
    *,
    previous_tier: int,
    tier: int,
    previous_index: float,
    index: float,
    previous_assessed_on: str | None = None,
) -> Trend:
    """Match two ``dimensions`` tables (``dimension``, ``name``, ``score``, ``tier``) by id."""
    keep = ["dimension", "name", "score", "tier"]
    merged = pd.merge(
        previous_dimensions[keep],
        dimensions[keep],
        on="dimension",
        how="outer",
        suffixes=("_previous", ""),
        sort=False,
    )
    order = list(dict.fromkeys([*dimensions["dimension"], *previous_dimensions["dimension"]]))
    merged = merged.set_index("dimension").loc[order].reset_index()
    table = pd.DataFrame(
        {
            "dimension": merged["dimension"],
            "name": merged["name"].fillna(merged["name_previous"]),
            "previous_score": merged["score_previous"],
            "score": merged["score"],
            "change": (merged["score"] - merged["score_previous"]).round(DECIMALS),
            "previous_tier": merged["tier_previous"],
            "tier": merged["tier"],
            "tier_change": merged["tier"] - merged["tier_previous"],
        }
    )
    return Trend(
        previous_tier=int(previous_tier),
        tier=int(tier),
        previous_index=float(previous_index),
        index=float(index),
        previous_assessed_on=previous_assessed_on,
        dimensions=table,
    )
