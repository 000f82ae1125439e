"""What to do next: the dimensions holding back the next tier, and a roadmap to a target.

The overall tier is a weakest-link gate, so the explanation a client needs
is "which dimensions keep us from the next tier, and by how far". The
roadmap lists every dimension below the target tier, most urgent first:
urgency is the distance to the target times the dimension's weight. Each
entry quotes the questionnaire's recommendation for every tier still to
climb in that dimension.
"""

from __future__ import annotations

import pandas as pd

from pmo_sim.assessment.dimension_scores import DECIMALS
from pmo_sim.assessment.questionnaire import TIER_NAMES, Questionnaire
from pmo_sim.presentation import score_text, shortfall_text

__all__ = ["blocking_dimensions", "explain", "roadmap"]


def blocking_dimensions(dimensions: pd.DataFrame, tier: int) -> pd.DataFrame:
    """Dimensions below ``tier + 1``, with ``shortfall = tier + 1 - score``, largest first.

    ``dimensions`` needs ``dimension``, ``name``, ``score`` and ``tier``.
    Empty at tier 4, where there is no next tier.
    """
    columns = ["dimension", "name", "score", "tier", "next_tier", "shortfall"]
    if tier >= 4:
        return pd.DataFrame(columns=columns)
    held = dimensions[dimensions["tier"] <= tier].copy()
    held["next_tier"] = tier + 1
    held["shortfall"] = (tier + 1 - held["score"]).round(DECIMALS)
    held = held.sort_values("shortfall", ascending=False, kind="stable")
    return held[columns].reset_index(drop=True)


def roadmap(dimensions: pd.DataFrame, questionnaire: Questionnaire, target: int) -> pd.DataFrame:
    """One row per (dimension, tier to climb) for dimensions scoring below ``target``.

    Columns: ``rank``, ``dimension``, ``name``, ``score``, ``tier``,
    ``target``, ``gap`` (target - score), ``weight``, ``priority``
    (gap x weight), ``step_tier`` and ``recommendation`` (what to put in
    place to reach ``step_tier``). Ranked by priority, ties in questionnaire
    order.
    """
    below = dimensions[dimensions["score"].round(DECIMALS) < target].copy()
    below["target"] = target
    below["gap"] = (target - below["score"]).round(DECIMALS)
    below["priority"] = (below["gap"] * below["weight"]).round(DECIMALS)
    below = below.sort_values("priority", ascending=False, kind="stable")
    below["rank"] = range(1, len(below) + 1)
    rows = []
    for item in below.itertuples(index=False):
        recs = questionnaire.dimension_by_id[item.dimension].recommendations
        for step in range(int(item.tier) + 1, target + 1):
            rows.append({**_fields(item), "step_tier": step, "recommendation": recs[step]})
    columns = [
        "rank", "dimension", "name", "score", "tier", "target", "gap", "weight", "priority",
        "step_tier", "recommendation",
    ]  # fmt: skip
    return pd.DataFrame(rows, columns=columns)


def _fields(item: object) -> dict:
    names = ["rank", "dimension", "name", "score", "tier", "target", "gap", "weight", "priority"]
    return {n: getattr(item, n) for n in names}


def explain(tier: int, blocking: pd.DataFrame, index: float) -> str:
    """Two or three sentences a client can read: the tier, what holds back the next one."""
    text = (
        f"The PMO works at tier {tier} ({TIER_NAMES[tier]}): its weakest dimensions reach tier "
        f"{tier}. The maturity index, the weighted average of all dimensions, is "
        f"{score_text(index)}."
    )
    if tier >= 4:
        return text + " Every dimension reaches tier 4."
    if blocking.empty:
        return text
    parts = [
        f"{row.name} ({shortfall_text(row.shortfall)} short)"
        for row in blocking.itertuples(index=False)
    ]
    listed = parts if len(parts) <= 5 else [*parts[:5], f"{len(parts) - 5} more"]
    noun = "dimension holds" if len(parts) == 1 else f"{len(parts)} dimensions hold"
    return text + (
        f" Tier {tier + 1} ({TIER_NAMES[tier + 1]}) needs every dimension at {tier + 1}.00 or "
        f"above; {noun} it back: {', '.join(listed)}."
    )
