"""Is a difference better, worse, or not clear? The words every comparison uses.

A difference between two scenarios (or today and the target tier) is
*clear* when its 95% interval leaves out zero. Then, for a metric where
higher is better (benefits), up is "better"; where lower is better (lead
time), up is "worse"; for a metric with no better direction (spend) the
words are "higher" and "lower".
"""

from __future__ import annotations

import math

__all__ = ["BETTER", "NO_CLEAR_DIFFERENCE", "verdict"]

#: The directions a metric can have: higher is better, lower is better, or neither ("").
BETTER = ("higher", "lower", "")
NO_CLEAR_DIFFERENCE = "no clear difference"


def verdict(low: float, high: float, better: str) -> str:
    """The verdict on a difference: "better", "worse", "higher", "lower" or "no clear difference".

    >>> verdict(0.5, 2.0, "higher"), verdict(0.5, 2.0, "lower"), verdict(-1.0, 2.0, "higher")
    ('better', 'worse', 'no clear difference')
    >>> verdict(-3.0, -1.0, "")
    'lower'
    """
    if better not in BETTER:
        raise ValueError(f"better must be one of {BETTER}, not {better!r}")
    if not (math.isfinite(low) and math.isfinite(high)) or low <= 0 <= high:
        return NO_CLEAR_DIFFERENCE
    up = low > 0
    if better == "higher":
        return "better" if up else "worse"
    if better == "lower":
        return "worse" if up else "better"
    return "higher" if up else "lower"
