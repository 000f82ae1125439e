"""Fitting effort and arrivals: maximum likelihood held against sampling theory.

Tolerances are three standard errors, worked out from theory for the
sample at hand (the observed Fisher information of the censored likelihood,
or the Poisson variance of a count), so a correct estimator fails about
three times in a thousand and a biased one fails visibly.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from pmo_sim.calibration import SMALL_SAMPLE, fit_arrivals, fit_effort
from pmo_sim.calibration.history import History


def _censored_lognormal(seed: int, n: int, mu: float, sigma: float, horizon: float):
    """Efforts X with independent censoring C ~ U(0, horizon): (finished, open lower bounds)."""
    rng = np.random.default_rng(seed)
    x = rng.lognormal(mu, sigma, n)
    c = rng.uniform(0, horizon, n)
    return x[x <= c], c[x > c]


def _observed_information_se(x: np.ndarray, c: np.ndarray, mu: float, sigma: float):
    """Standard errors of (mu, sigma) from the Hessian of the censored log-likelihood."""

    def loglik(theta):
        m, s = theta
        return np.sum(stats.norm.logpdf(np.log(x), m, s) - np.log(x)) + np.sum(
            stats.norm.logsf(np.log(c), m, s)
        )

    theta = np.array([mu, sigma])
    h = 1e-4
    hess = np.zeros((2, 2))
    for i in range(2):
        for j in range(2):
            e_i, e_j = np.eye(2)[i] * h, np.eye(2)[j] * h
            hess[i, j] = (
                loglik(theta + e_i + e_j) - loglik(theta + e_i - e_j)
                - loglik(theta - e_i + e_j) + loglik(theta - e_i - e_j)
            ) / (4 * h * h)  # fmt: skip
    return np.sqrt(np.diag(np.linalg.inv(-hess)))


def test_censored_lognormal_recovers_the_truth_and_dropping_open_projects_would_not():
    mu, sigma = math.log(30), 0.5
    x, c = _censored_lognormal(3, 300, mu, sigma, horizon=80)
    assert 40 < len(c) < 150  # a realistic share of open projects
    fit = fit_effort(x, c)
    assert fit.method == "mle" and fit.family == "lognormal"
    s2 = math.log1p((fit.sd / fit.mean) ** 2)
    mu_hat, sigma_hat = math.log(fit.mean) - s2 / 2, math.sqrt(s2)
    se_mu, se_sigma = _observed_information_se(x, c, mu_hat, sigma_hat)
    assert abs(mu_hat - mu) < 3 * se_mu
    assert abs(sigma_hat - sigma) < 3 * se_sigma
    # The naive mean of finished projects only is biased low, far beyond sampling error.
    true_mean = math.exp(mu + sigma**2 / 2)
    naive_se = x.std(ddof=1) / math.sqrt(len(x))
    assert x.mean() < true_mean - 3 * naive_se


@pytest.mark.parametrize(
    ("draw", "family"),
    [
        (lambda rng: rng.lognormal(3, 0.8, 400), "lognormal"),
        (lambda rng: rng.exponential(10, 400), "exponential"),
        (lambda rng: rng.gamma(2, 5, 400), "gamma"),
    ],
)
def test_aic_picks_the_family_that_made_a_large_sample(draw, family):
    fit = fit_effort(draw(np.random.default_rng(11)), np.array([]))
    assert fit.family == family
    assert fit.aic[family] == min(fit.aic.values())
    assert fit.ks_pvalue > 0.05
    assert list(fit.qq.columns) == ["theoretical", "observed", "open"] and len(fit.qq) == 400


def test_exponential_fit_is_the_closed_form_with_censoring():
    x, c = np.array([2.0, 4.0, 6.0]), np.array([10.0])
    fit = fit_effort(np.r_[x, x, x, x], np.r_[c, c])  # 12 finished, 2 open
    # MLE mean of a censored exponential = total exposure / events = (48 + 20) / 12.
    assert fit.aic["exponential"] == pytest.approx(2 - 2 * (-12 * math.log(68 / 12) - 12), rel=1e-9)


def test_no_family_fits_two_clusters_so_efforts_are_resampled():
    rng = np.random.default_rng(5)
    x = np.r_[rng.normal(2, 0.1, 60), rng.normal(20, 0.5, 60)]
    fit = fit_effort(x, np.array([]))
    assert fit.method == "empirical"
    assert fit.distribution["dist"] == "empirical"
    assert sorted(fit.distribution["values"]) == pytest.approx(sorted(x), abs=1e-4)
    assert "resampled" in fit.comment()


def test_small_samples_get_the_wide_default_and_say_so():
    fit = fit_effort(np.array([4.0, 5.0, 6.0, 5.0]), np.array([3.0]))
    assert SMALL_SAMPLE == 10
    assert fit.method == "small-sample"
    assert fit.distribution == {"dist": "lognormal", "mean": 5.0, "sd": 5.0}  # CV 1: sd = mean
    assert "small sample" in fit.comment() and "only 4 finished" in fit.note


def _history(created: list[pd.Timestamp], as_of: str) -> History:
    projects = pd.DataFrame(
        {
            "project_id": [f"P{i}" for i in range(len(created))],
            "name": "",
            "type": "change",
            "created": created,
            "start": pd.NaT,
            "finish": pd.NaT,
            "status": "open",
            "objective": "",
            "row": range(2, len(created) + 2),
        }
    )
    efforts = pd.DataFrame(columns=["project_id", "phase", "role", "planned", "actual", "censored"])
    return History(projects, efforts, pd.Timestamp(as_of))


def test_arrival_rate_and_interval_match_poisson_theory():
    rng = np.random.default_rng(2)
    start = pd.Timestamp("2022-01-03")
    gaps = rng.exponential(1 / 0.6, 400)  # 0.6 a week
    weeks = np.cumsum(gaps)
    weeks = weeks[weeks < 156]
    created = [start + pd.Timedelta(days=float(w) * 7) for w in weeks]
    as_of = (created[0] + pd.Timedelta(weeks=156)).date().isoformat()
    (fit,) = fit_arrivals(_history(created, as_of))
    assert fit.n == len(weeks)
    assert abs(fit.rate_per_week - 0.6) < 3 * math.sqrt(0.6 / fit.weeks)
    assert fit.low < fit.rate_per_week < fit.high
    # Garwood interval for n events: chi2 quantiles / 2T.
    assert fit.high == pytest.approx(stats.chi2.ppf(0.975, 2 * fit.n + 2) / (2 * fit.weeks))
    assert not fit.over_dispersed
    assert fit.note == ""


def test_budget_round_batches_are_flagged_as_over_dispersed():
    created = []
    for year in (2022, 2023, 2024):
        for month in (1, 7):  # two approval rounds a year, 12 projects each
            created += [pd.Timestamp(year, month, 10 + d % 5) for d in range(12)]
    (fit,) = fit_arrivals(_history(created, "2024-12-31"))
    assert fit.over_dispersed and fit.dispersion > 5
    assert fit.peak_months == ("Jan", "Jul") and fit.peak_share == 1.0
    assert "budget rounds" in fit.note and "OVER-DISPERSED" in fit.comment()


def test_gamma_and_empirical_distributions_sample_what_they_say():
    from pmo_sim.simulation.distributions import distribution_to_dict, parse_distribution

    rng = np.random.default_rng(9)
    gamma = parse_distribution({"dist": "gamma", "mean": 10, "sd": 5})
    x = gamma.sample(rng, 20_000)
    assert gamma.mean == 10
    assert abs(x.mean() - 10) < 3 * 5 / math.sqrt(len(x))
    assert abs(x.std() - 5) < 0.15  # SE of the sd of 20,000 gamma(4, 2.5) draws: about 0.033
    values = [2.0, 3.5, 9.0]
    empirical = parse_distribution({"dist": "empirical", "values": values})
    draws = empirical.sample(rng, 3_000)
    assert set(draws.tolist()) == set(values) and empirical.mean == pytest.approx(14.5 / 3)
    assert distribution_to_dict(empirical) == {"dist": "empirical", "values": values}
    with pytest.raises(ValueError, match="non-empty list"):
        parse_distribution({"dist": "empirical", "values": []})
    with pytest.raises(ValueError, match="values must be >= 0"):
        parse_distribution({"dist": "empirical", "values": [1, -2]})
