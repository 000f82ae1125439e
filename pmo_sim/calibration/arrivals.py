"""Arrival rates per project type, with their interval and a check against Poisson.

The rate is the maximum-likelihood Poisson rate, arrivals / weeks of the
window, with the exact (Garwood) 95% interval from the chi-squared
distribution. The model draws Poisson arrivals, which assumes projects
reach the PMO one at a time and independently. Many portfolios do not work
that way: projects are approved in budget rounds, so arrivals come in
batches. The check counts arrivals in 4-week periods: for Poisson counts
the variance equals the mean, and (k - 1) x variance / mean follows a
chi-squared distribution with k - 1 degrees of freedom. A small p-value
means over-dispersed (bunched) arrivals; when they also crowd into a few
months of the year, the note says they look like budget-cycle batches.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from pmo_sim.calibration.history import History
from pmo_sim.presentation import format_value

__all__ = ["BIN_WEEKS", "ArrivalFit", "fit_arrivals"]

#: Width of the periods the dispersion check counts arrivals in.
BIN_WEEKS = 4
#: p-value of the dispersion test below which arrivals are called over-dispersed.
DISPERSED_P = 0.01
_MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


@dataclass
class ArrivalFit:
    """The fitted arrival process of one project type."""

    type: str
    n: int
    weeks: float
    rate_per_week: float
    low: float
    high: float
    #: Variance / mean of 4-week counts (1 for Poisson), its test, and the verdict.
    dispersion: float = math.nan
    dispersion_p: float = math.nan
    over_dispersed: bool = False
    #: The two calendar months with most arrivals, and their share of arrivals.
    peak_months: tuple[str, ...] = ()
    peak_share: float = math.nan
    first: pd.Timestamp | None = None
    last: pd.Timestamp | None = None
    #: Arrival weeks (from the window's start), for the figure.
    weeks_of_arrival: np.ndarray = field(default_factory=lambda: np.zeros(0))
    note: str = ""

    def comment(self) -> str:
        """Where the rate came from, one line for the YAML comment."""
        known = self.first is not None and self.last is not None
        dates = f"{self.first.date()}..{self.last.date()}" if known else ""  # type: ignore[union-attr]
        test = (
            f"dispersion {self.dispersion:.2f} (p={self.dispersion_p:.2f})"
            if math.isfinite(self.dispersion)
            else "too short to test dispersion"
        )
        batched = "; OVER-DISPERSED" if self.over_dispersed else ""
        weeks = format_value(self.weeks, "weeks", spec=",.0f")
        return (
            f"n={self.n} in {weeks} weeks ({dates}); Poisson MLE, 95% "
            f"{self.low:.3f}-{self.high:.3f}; {test}{batched}"
        )


def _garwood(n: int, weeks: float) -> tuple[float, float]:
    from scipy.stats import chi2  # on use: see fitting._stats

    low = chi2.ppf(0.025, 2 * n) / (2 * weeks) if n > 0 else 0.0
    high = chi2.ppf(0.975, 2 * n + 2) / (2 * weeks)
    return float(low), float(high)


def fit_arrivals(history: History) -> list[ArrivalFit]:
    """One :class:`ArrivalFit` per project type (cancelled projects left out).

    Only projects arriving in the window (from :attr:`History.start`) count.
    """
    from scipy.stats import chi2  # on use: see fitting._stats

    projects = history.delivered
    projects = projects[projects["created"] >= history.start]
    weeks = history.window_weeks
    fits = []
    for type_id, group in projects.groupby("type", sort=True):
        at = np.sort(history.weeks(group["created"]))
        n = len(at)
        low, high = _garwood(n, weeks)
        fit = ArrivalFit(
            type=str(type_id), n=n, weeks=weeks, rate_per_week=n / weeks, low=low, high=high,
            first=group["created"].min(), last=group["created"].max(), weeks_of_arrival=at,
        )  # fmt: skip
        bins = int(weeks // BIN_WEEKS)
        if bins >= 5 and n > 0:
            counts = np.histogram(at, bins=bins, range=(0, bins * BIN_WEEKS))[0]
            fit.dispersion = float(counts.var(ddof=1) / counts.mean())
            fit.dispersion_p = float(chi2.sf((bins - 1) * fit.dispersion, bins - 1))
            fit.over_dispersed = fit.dispersion_p < DISPERSED_P
        months = pd.to_datetime(group["created"]).dt.month.value_counts()
        top = months.nlargest(2)
        fit.peak_months = tuple(_MONTHS[m - 1] for m in top.index)
        fit.peak_share = float(top.sum() / n) if n else math.nan
        if fit.over_dispersed:
            fit.note = (
                f"Arrivals of {type_id} are bunched: counts per {BIN_WEEKS} weeks vary "
                f"{fit.dispersion:.1f} times as much as Poisson arrivals would "
                f"(p={fit.dispersion_p:.3g}). The model's Poisson arrivals understate the bunching."
            )
            if fit.peak_share > 0.4 and weeks >= 52:
                peak = format_value(fit.peak_share, "share", spec=".0%")
                fit.note += (
                    f" {peak} arrive in {' and '.join(fit.peak_months)}, as when "
                    "projects are approved in budget rounds: consider entering the next round "
                    "as pipeline projects at its date rather than relying on the rate."
                )
        fits.append(fit)
    return fits
