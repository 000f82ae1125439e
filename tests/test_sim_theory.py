"""Validation 6a: the model's M/M/c queue against Erlang C, and the formulas themselves."""

from __future__ import annotations

import math

import pytest

from pmo_sim.presentation import t_quantile
from pmo_sim.simulation import load_scenario, mean_interval, mmc_wait, simulate
from pmo_sim.simulation.theory import erlang_c, mmc_utilisation

MMC = "scenarios/validation/mmc.yaml"
LAMBDA = "project_types.job.arrivals.rate_per_week"
MEAN_SERVICE = "project_types.job.phases.service.demands.server.effort.mean"
SERVERS = "roles.server.headcount"


def test_erlang_c_by_hand():
    # M/M/1: P(wait) = rho and Wq = rho / (mu - lam).
    assert erlang_c(0.6, 1, 1) == pytest.approx(0.6)
    assert mmc_wait(0.6, 1, 1) == pytest.approx(0.6 / 0.4)
    # M/M/2, lam = 1, mu = 1: a = 1, rho = 1/2; C = (a^2/2 / (1/2)) / (1 + a + 1) = 1/3,
    # Wq = C / (2 - 1) = 1/3.
    assert erlang_c(1, 1, 2) == pytest.approx(1 / 3)
    assert mmc_wait(1, 1, 2) == pytest.approx(1 / 3)
    # The project's measured reference value (NOTES.md): lam 4, mu 1, c 5.
    assert mmc_wait(4, 1, 5) == pytest.approx(0.5541, abs=5e-5)
    assert mmc_utilisation(4, 1, 5) == pytest.approx(0.8)
    with pytest.raises(ValueError, match="unstable"):
        mmc_wait(5, 1, 5)


def test_t_quantiles_match_the_tables():
    assert t_quantile(0.975, 1) == pytest.approx(12.7062, abs=1e-4)
    assert t_quantile(0.975, 9) == pytest.approx(2.2622, abs=1e-4)
    assert t_quantile(0.975, 29) == pytest.approx(2.0452, abs=1e-4)
    assert t_quantile(0.95, 4) == pytest.approx(2.1318, abs=1e-4)
    assert t_quantile(0.975, 1e7) == pytest.approx(1.96, abs=1e-3)
    assert t_quantile(0.025, 9) == pytest.approx(-2.2622, abs=1e-4)


def test_mean_interval_by_hand():
    mean, low, high, sd, n = mean_interval([1.0, 2.0, 3.0, 4.0])
    # sd = sqrt(5/3); half-width = t(0.975, 3) * sd / 2 with t = 3.1824.
    assert (mean, n) == (2.5, 4)
    assert sd == pytest.approx(math.sqrt(5 / 3))
    assert high - mean == pytest.approx(3.1824 * math.sqrt(5 / 3) / 2, abs=1e-3)
    assert mean - low == pytest.approx(high - mean)


@pytest.mark.parametrize(
    ("lam", "mu", "c", "horizon"),
    [
        (4.0, 1.0, 5, 1200),  # rho 0.8, Wq 0.554 (the reference case)
        (0.6, 1.0, 1, 3000),  # M/M/1, rho 0.6, Wq 1.5
        (1.0, 0.25, 6, 1500),  # rho 2/3, service mean 4 weeks, Wq 0.57
    ],
)
def test_mmc_mean_wait_matches_erlang_c(root, lam, mu, c, horizon):
    warmup = 100
    scenario = load_scenario(
        root / MMC,
        {
            LAMBDA: lam,
            MEAN_SERVICE: 1 / mu,
            SERVERS: c,
            "horizon_weeks": horizon,
            "warmup_weeks": warmup,
        },
    )
    result = simulate(scenario, replications=20, seed=2024, workers=2)
    projects = result.projects
    # Arrivals from warm-up until well before the horizon: all have started, none censored.
    window = projects[(projects.arrival >= warmup) & (projects.arrival <= horizon - 60)]
    assert window.start.notna().all()
    per_replication = window.groupby("replication").wait.mean()
    _, low, high, _, n = mean_interval(per_replication)
    expected = mmc_wait(lam, mu, c)
    assert n == 20
    assert low <= expected <= high, (expected, low, high)
    assert high - low < 0.3 * expected  # the interval is tight enough to mean something
    # Utilisation of the role is lam / (c mu) within its interval.
    util = result.summary().set_index("metric").loc["utilisation.server"]
    assert util.low <= mmc_utilisation(lam, mu, c) <= util.high
