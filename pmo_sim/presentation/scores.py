"""Maturity scores as shown: truncated toward the tier they belong to.

A dimension at 2.996 is tier 2 (the tier is the score rounded down, see
``docs/scoring.md``). Rounded to two decimals it would print as "3.00" and
read as tier 3; so shown scores are *truncated* (2.99), and what is still
missing to a tier is rounded *up* (0.01 short, never "0.00 short"), so that
the shown score plus the shown shortfall is the next tier exactly. Scores
are first rounded at nine decimals, as the scoring does, so that 3 x (1/3)
counts as 1.
"""

from __future__ import annotations

import math

from pmo_sim.presentation.units import MISSING

__all__ = ["SCORE_DECIMALS", "score_text", "shortfall_text", "shown_score", "shown_shortfall"]

#: Decimals of a shown score.
SCORE_DECIMALS = 2
# The scoring compares scores at nine decimals (pmo_sim.assessment.dimension_scores.DECIMALS).
_COMPARED_AT = 9


def _missing(value: float | None) -> bool:
    return value is None or not math.isfinite(float(value))


def shown_score(value: float) -> float:
    """The score as shown: truncated (toward its tier) to two decimals; NaN stays NaN.

    >>> shown_score(2.996), shown_score(2.9999), shown_score(3.0), shown_score(3 * (1 / 3) * 3)
    (2.99, 2.99, 3.0, 3.0)
    """
    if _missing(value):
        return math.nan
    scale = 10**SCORE_DECIMALS
    return math.floor(round(float(value), _COMPARED_AT) * scale) / scale


def shown_shortfall(value: float) -> float:
    """How far a score is below a tier or target, as shown: rounded up to two decimals.

    >>> shown_shortfall(3 - 2.996), shown_shortfall(0.5), shown_shortfall(0.0)
    (0.01, 0.5, 0.0)
    """
    if _missing(value):
        return math.nan
    scale = 10**SCORE_DECIMALS
    return math.ceil(round(float(value), _COMPARED_AT) * scale) / scale


def score_text(value: float | None) -> str:
    """A score for display (``"2.99"`` for 2.996); ``"-"`` when there is none."""
    return MISSING if _missing(value) else f"{shown_score(value):.{SCORE_DECIMALS}f}"  # type: ignore[arg-type]


def shortfall_text(value: float | None) -> str:
    """A shortfall or gap for display (``"0.01"`` for 0.004); ``"-"`` when there is none."""
    return MISSING if _missing(value) else f"{shown_shortfall(value):.{SCORE_DECIMALS}f}"  # type: ignore[arg-type]
