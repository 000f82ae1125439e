"""Intervals across replications: the mean and its 95% Student-t interval.

Replications are independent, so the mean of a metric over n replications
has a t-distributed error with n - 1 degrees of freedom; compared scenarios
share their random numbers, so their paired differences are treated the
same way. The t quantile is computed here (regularised incomplete beta by
continued fraction, then bisection) because SciPy is not a dependency.

Every interval the kit shows, in a table or as a chart's band, comes from
here: :func:`mean_interval` for one set of values, :func:`intervals` per
column of a replications table, :func:`band` per row of means and spreads.

With few replications a t-interval of a bounded figure can reach past what
the figure can be (a share below 0%, a wait below zero weeks). Interval ends
are clipped to the metric's possible range where they are *shown*
(:func:`clip_interval`, and ``domain`` of :func:`band`); the raw numbers in
results files are left as computed.
"""

from __future__ import annotations

import math
from functools import lru_cache
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    import pandas as pd
    from numpy.typing import ArrayLike

__all__ = [
    "UNBOUNDED",
    "band",
    "clip_interval",
    "half_width",
    "intervals",
    "mean_interval",
    "t_quantile",
]

#: The possible range of a figure that can take any value.
UNBOUNDED: tuple[float, float] = (-math.inf, math.inf)


def _betacf(a: float, b: float, x: float) -> float:
    """Continued fraction for the incomplete beta (modified Lentz)."""
    tiny = 1e-300
    qab, qap, qam = a + b, a + 1.0, a - 1.0
    c, d = 1.0, 1.0 - qab * x / qap
    d = 1.0 / (d if abs(d) > tiny else tiny)
    h = d
    for m in range(1, 300):
        m2 = 2 * m
        for num in (
            m * (b - m) * x / ((qam + m2) * (a + m2)),
            -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2)),
        ):
            d = 1.0 + num * d
            d = 1.0 / (d if abs(d) > tiny else tiny)
            c = 1.0 + num / c
            c = c if abs(c) > tiny else tiny
            h *= d * c
        if abs(d * c - 1.0) < 1e-15:
            break
    return h


def _betainc(a: float, b: float, x: float) -> float:
    """Regularised incomplete beta I_x(a, b)."""
    if x <= 0:
        return 0.0
    if x >= 1:
        return 1.0
    ln = math.lgamma(a + b) - math.lgamma(a) - math.lgamma(b) + a * math.log(x) + b * math.log1p(-x)
    if x < (a + 1) / (a + b + 2):
        return math.exp(ln) * _betacf(a, b, x) / a
    return 1.0 - math.exp(ln) * _betacf(b, a, 1.0 - x) / b


def _t_cdf(t: float, df: float) -> float:
    tail = 0.5 * _betainc(df / 2, 0.5, df / (df + t * t))
    return 1.0 - tail if t >= 0 else tail


@lru_cache(maxsize=1024)
def t_quantile(p: float, df: float) -> float:
    """The ``p`` quantile of Student's t with ``df`` degrees of freedom."""
    if not 0 < p < 1 or df <= 0:
        raise ValueError("need 0 < p < 1 and df > 0")
    if p < 0.5:
        return -t_quantile(1 - p, df)
    lo, hi = 0.0, 1.0
    while _t_cdf(hi, df) < p:
        hi *= 2
    for _ in range(200):
        mid = (lo + hi) / 2
        if _t_cdf(mid, df) < p:
            lo = mid
        else:
            hi = mid
        if hi - lo < 1e-13 * max(1.0, hi):
            break
    return (lo + hi) / 2


def mean_interval(values: ArrayLike, level: float = 0.95) -> tuple[float, float, float, float, int]:
    """``(mean, low, high, sd, n)`` over the finite values; the interval is NaN when n < 2."""
    x = np.asarray(values, dtype=float)
    x = x[np.isfinite(x)]
    n = len(x)
    if n == 0:
        return math.nan, math.nan, math.nan, math.nan, 0
    mean = float(x.mean())
    if n < 2:
        return mean, math.nan, math.nan, math.nan, n
    sd = float(x.std(ddof=1))
    half = t_quantile(0.5 + level / 2, n - 1) * sd / math.sqrt(n)
    return mean, mean - half, mean + half, sd, n


def half_width(sd: np.ndarray | float, n: np.ndarray | float, level: float = 0.95) -> np.ndarray:
    """Half the width of the t-interval of a mean of ``n`` values of spread ``sd``.

    Vectorised over ``sd`` and ``n``; NaN where ``n < 2``.

    >>> round(float(half_width(1.0, 10)), 4)  # t(0.975, 9) / sqrt(10)
    0.7154
    """
    sd = np.asarray(sd, dtype=float)
    n = np.asarray(n, dtype=float)
    p = 0.5 + level / 2
    shape = np.broadcast(sd, n).shape
    t = np.array(
        [t_quantile(p, k - 1) if k > 1 else math.nan for k in np.broadcast_to(n, shape).flat]
    ).reshape(shape)
    with np.errstate(invalid="ignore", divide="ignore"):
        return t * sd / np.sqrt(n)


def clip_interval(
    low: float, high: float, domain: tuple[float, float] = UNBOUNDED
) -> tuple[float, float]:
    """Interval ends as shown: clipped to ``domain``, the metric's possible range.

    A share's interval of 3 replications, -0.110 to 0.177, is shown from 0:

    >>> clip_interval(-0.110, 0.177, (0.0, 1.0))
    (0.0, 0.177)
    >>> clip_interval(float("nan"), 2.0, (0.0, math.inf))
    (nan, 2.0)
    """
    lo, hi = domain
    return (
        min(max(low, lo), hi) if not math.isnan(low) else low,
        min(max(high, lo), hi) if not math.isnan(high) else high,
    )


def band(
    mean: pd.Series,
    sd: pd.Series,
    n: pd.Series,
    level: float = 0.95,
    domain: tuple[float, float] = UNBOUNDED,
) -> tuple[pd.Series, pd.Series]:
    """``(low, high)`` of the t-interval around ``mean``, row by row (for chart bands).

    A row of one replication has no spread to show: its band is the mean itself. The
    band is clipped to ``domain``, the figure's possible range.
    """
    half = np.nan_to_num(half_width(sd.to_numpy(), n.to_numpy(), level), nan=0.0)
    lo, hi = domain
    return (mean - half).clip(lo, hi), (mean + half).clip(lo, hi)


def intervals(frame: pd.DataFrame, level: float = 0.95) -> pd.DataFrame:
    """Per column of ``frame`` (one row per replication): metric, mean, low, high, n.

    NaN values are left out column by column, as :func:`mean_interval` does.
    """
    import pandas as pd

    values = frame.to_numpy(dtype=float)
    finite = np.isfinite(values)
    n = finite.sum(axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = np.where(n > 0, np.where(finite, values, 0).sum(axis=0) / n, np.nan)
        squares = np.where(finite, (values - mean) ** 2, 0).sum(axis=0)
        sd = np.where(n > 1, np.sqrt(squares / (n - 1)), np.nan)
    half = half_width(sd, n, level)
    return pd.DataFrame(
        {"metric": frame.columns, "mean": mean, "low": mean - half, "high": mean + half, "n": n}
    )
