"""Effort distributions fitted to the history: maximum likelihood, AIC, a check, QQ data.

For each project type, phase and role, the efforts of the projects that
used the role are fitted by maximum likelihood (``scipy.stats``) with every
family in :data:`FAMILIES` that the scenario format can express. Open
projects are *right-censored* observations: their effort so far is a lower
bound, and the likelihood counts it as "at least this much" (its survival
probability) rather than dropping it (which would bias the fit towards small
projects, since big ones are the ones still running).

The family with the lowest AIC (2k - 2 log L) is kept, then checked with a
Kolmogorov-Smirnov test. Finished projects alone are a biased sample (the
big ones are still open), so each open project's effort is imputed from the
fitted distribution beyond its lower bound and the test runs on the
completed sample; the statistic and p-value are the medians over
:data:`IMPUTATIONS` imputations (a fixed seed: the same data give the same
figures). When even the best family is rejected (p < 0.05) the effort is
resampled from the observations (``empirical``; open projects at their
effort so far, a lower bound). With fewer than :data:`SMALL_SAMPLE` finished projects no
fit is trusted: the default is a lognormal with the sample mean and a
coefficient of variation of at least 1, wider than project efforts usually
are (0.3-0.8), and the report says so.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd


def _stats() -> Any:
    """``scipy.stats``, imported on first use (it takes most of a second).

    Telling a history by its header (``pmo-sim validate``) loads this package
    without fitting anything.
    """
    from scipy import stats

    return stats


__all__ = ["FAMILIES", "SMALL_SAMPLE", "EffortFit", "Family", "fit_effort"]

#: Fewer finished projects than this: the small-sample default, not a fit.
SMALL_SAMPLE = 10
#: KS p-value below which the best family is rejected for resampling.
REJECT_P = 0.05
#: Imputations of open projects' efforts for the KS test.
IMPUTATIONS = 25


@dataclass(frozen=True)
class Family:
    """A distribution family: its scipy model and how a fit becomes a scenario distribution."""

    name: str
    fit: Callable[[np.ndarray, np.ndarray], Any]
    #: Free parameters (for AIC).
    n_params: int
    #: The scenario's ``{dist: ...}`` for a frozen scipy distribution.
    to_scenario: Callable[[Any], dict[str, Any]]
    #: Whether the fit can be used (the scenario's normal is truncated at 0).
    usable: Callable[[Any], bool] = lambda _frozen: True


def _censored(x: np.ndarray, c: np.ndarray) -> Any:
    return _stats().CensoredData(uncensored=x, right=c) if len(c) else x


def _fit_lognormal(x: np.ndarray, c: np.ndarray) -> Any:
    if not len(c):  # closed form, the same as scipy's numerical answer
        logs = np.log(x)
        return _stats().lognorm(logs.std(), scale=math.exp(logs.mean()))
    s, _, scale = _stats().lognorm.fit(_censored(x, c), floc=0)
    return _stats().lognorm(s, scale=scale)


def _fit_gamma(x: np.ndarray, c: np.ndarray) -> Any:
    a, _, scale = _stats().gamma.fit(_censored(x, c), floc=0)
    return _stats().gamma(a, scale=scale)


def _fit_exponential(x: np.ndarray, c: np.ndarray) -> Any:
    # Censored exponential MLE in closed form: total exposure over the number of events.
    return _stats().expon(scale=(x.sum() + c.sum()) / len(x))


def _fit_normal(x: np.ndarray, c: np.ndarray) -> Any:
    loc, scale = _stats().norm.fit(_censored(x, c))
    return _stats().norm(loc, scale)


def _mean_sd(frozen: Any) -> dict[str, float]:
    return {"mean": float(frozen.mean()), "sd": float(frozen.std())}


FAMILIES: dict[str, Family] = {
    f.name: f
    for f in (
        Family("lognormal", _fit_lognormal, 2, lambda d: {"dist": "lognormal", **_mean_sd(d)}),
        Family("gamma", _fit_gamma, 2, lambda d: {"dist": "gamma", **_mean_sd(d)}),
        Family(
            "exponential", _fit_exponential, 1,
            lambda d: {"dist": "exponential", "mean": float(d.mean())},
        ),
        Family(
            "normal", _fit_normal, 2,
            lambda d: {"dist": "normal", "mean": float(d.mean()), "sd": float(d.std())},
            # The scenario's normal redraws negatives: only usable when that is negligible.
            usable=lambda d: float(d.cdf(0)) < 0.01,
        ),
    )
}  # fmt: skip


@dataclass
class EffortFit:
    """The fitted effort of one demand (type, phase, role), with its evidence."""

    type: str
    phase: str
    role: str
    #: Finished projects (uncensored) and open ones (censored) in the fit.
    n: int
    n_censored: int
    #: ``mle`` (a family's fit), ``empirical`` or ``small-sample``.
    method: str
    family: str
    distribution: dict[str, Any]
    mean: float
    sd: float
    #: AIC of every family that could be fitted.
    aic: dict[str, float] = field(default_factory=dict)
    ks_statistic: float = math.nan
    ks_pvalue: float = math.nan
    #: Quantile pairs (``theoretical``, ``observed``, ``open``) for the best family; open
    #: projects at their conditional median beyond the effort so far.
    qq: pd.DataFrame = field(default_factory=pd.DataFrame)
    #: The family the QQ data and the KS test are about.
    qq_family: str = ""
    note: str = ""
    #: The finished projects' efforts (for the backtest's parameter uncertainty).
    finished: np.ndarray = field(default_factory=lambda: np.zeros(0))

    def comment(self) -> str:
        """Where the number came from, one line for the YAML comment."""
        head = f"n={self.n}" + (f" (+{self.n_censored} open, censored)" if self.n_censored else "")
        if self.method == "small-sample":
            return f"{head}; small sample (< {SMALL_SAMPLE}): lognormal default, CV >= 1"
        test = f"KS D={self.ks_statistic:.3f} p={self.ks_pvalue:.2f}"
        if self.method == "empirical":
            return f"{head}; no family fits ({self.qq_family} {test}): resampled"
        return f"{head}; {self.family} MLE, AIC {self.aic[self.family]:.1f}; {test}"


def _loglik(frozen: Any, x: np.ndarray, c: np.ndarray) -> float:
    return float(np.sum(frozen.logpdf(x)) + (np.sum(frozen.logsf(c)) if len(c) else 0.0))


def _beyond(frozen: Any, c: np.ndarray, u: np.ndarray) -> np.ndarray:
    """Quantile ``u`` of the fitted distribution conditioned on exceeding ``c``."""
    low = frozen.cdf(c)
    return frozen.ppf(np.minimum(low + u * (1 - low), 1 - 1e-12))


def _ks(frozen: Any, x: np.ndarray, c: np.ndarray) -> tuple[float, float]:
    """Median KS statistic and p-value over imputations of the open projects' efforts."""
    if not len(c):
        ks = _stats().kstest(x, frozen.cdf)
        return float(ks.statistic), float(ks.pvalue)
    rng = np.random.default_rng(0)
    results = [
        _stats().kstest(np.r_[x, _beyond(frozen, c, rng.uniform(size=len(c)))], frozen.cdf)
        for _ in range(IMPUTATIONS)
    ]
    return (
        float(np.median([r.statistic for r in results])),
        float(np.median([r.pvalue for r in results])),
    )


def _qq(frozen: Any, x: np.ndarray, c: np.ndarray) -> pd.DataFrame:
    values = np.r_[x, _beyond(frozen, c, np.full(len(c), 0.5))] if len(c) else x
    open_ = np.r_[np.zeros(len(x), bool), np.ones(len(c), bool)]
    order = np.argsort(values, kind="stable")
    positions = (np.arange(1, len(values) + 1) - 0.5) / len(values)
    return pd.DataFrame(
        {"theoretical": frozen.ppf(positions), "observed": values[order], "open": open_[order]}
    )


def fit_effort(
    observed: np.ndarray, censored: np.ndarray, *, type: str = "", phase: str = "", role: str = ""
) -> EffortFit:
    """Fit one demand's effort: ``observed`` from finished projects, ``censored`` lower bounds.

    Zero efforts (the role did not work on the project) and censored zeros
    (no information) must be removed by the caller.
    """
    x = np.asarray(observed, dtype=float)
    c = np.asarray(censored, dtype=float)
    key: dict[str, Any] = {"type": type, "phase": phase, "role": role}
    key |= {"n": len(x), "n_censored": len(c), "finished": x}
    if len(x) < SMALL_SAMPLE:
        values = x if len(x) else c
        mean = float(values.mean())
        sd = max(float(values.std(ddof=1)) if len(values) > 1 else 0.0, mean)
        return EffortFit(
            **key, method="small-sample", family="lognormal",
            distribution={"dist": "lognormal", "mean": mean, "sd": sd}, mean=mean, sd=sd,
            note=f"only {len(x)} finished projects: lognormal with the sample mean and a "
            f"coefficient of variation of at least 1 (a wide default, not a fit)",
        )  # fmt: skip
    fits: dict[str, Any] = {}
    aic: dict[str, float] = {}
    for name, family in FAMILIES.items():
        try:
            frozen = family.fit(x, c)
        except (ValueError, RuntimeError, FloatingPointError):
            continue
        if not family.usable(frozen):
            continue
        ll = _loglik(frozen, x, c)
        if math.isfinite(ll):
            fits[name] = frozen
            aic[name] = 2 * family.n_params - 2 * ll
    best = min(aic, key=aic.__getitem__)
    frozen = fits[best]
    d, p = _ks(frozen, x, c)
    common = {"aic": aic, "ks_statistic": d, "ks_pvalue": p, "qq": _qq(frozen, x, c),
              "qq_family": best}  # fmt: skip
    if p < REJECT_P:
        kept = [round(float(v), 4) for v in np.sort(np.r_[x, c])]
        return EffortFit(
            **key, method="empirical", family="empirical",
            distribution={"dist": "empirical", "values": kept},
            mean=float(x.mean()), sd=float(x.std(ddof=1)), **common,
            note=f"no family fits (best, {best}: KS p={p:.3f}); efforts are resampled from "
            "the projects (open ones at their effort so far)",
        )  # fmt: skip
    dist = FAMILIES[best].to_scenario(frozen)
    return EffortFit(
        **key, method="mle", family=best, distribution=dist,
        mean=float(frozen.mean()), sd=float(frozen.std()), **common,
    )  # fmt: skip
