"""Validation 6b: Little's law holds exactly on a run that starts and ends empty."""

from __future__ import annotations

import numpy as np
import pytest

from pmo_sim.simulation import parse_scenario, simulate

SCENARIO = {
    "horizon_weeks": 400,
    "roles": {
        "analyst": {"headcount": 2, "availability": 0.5},
        "developer": {"headcount": 6, "availability": 0.8},
    },
    "project_types": {
        "feature": {
            # Arrivals stop at week 150; by week 400 every project has finished.
            "arrivals": {"process": "poisson", "rate_per_week": 0.8, "end_week": 150},
            "phases": [
                {
                    "name": "design",
                    "demands": [{"role": "analyst", "effort": {"dist": "exponential", "mean": 1}}],
                },
                {
                    "name": "build",
                    "demands": [
                        {
                            "role": "developer",
                            "people": 2,
                            "effort": {"dist": "triangular", "min": 2, "mode": 4, "max": 9},
                        },
                        {"role": "analyst", "effort": 0.5},
                    ],
                },
            ],
        },
    },
}


@pytest.mark.parametrize("wip_limit", [None, 3])
def test_littles_law_on_recorded_data(wip_limit):
    scenario = parse_scenario(SCENARIO, {"policy.wip_limit": wip_limit})
    result = simulate(scenario, replications=3, seed=5, workers=1)
    horizon = scenario.horizon_weeks
    for rep, projects in result.projects.groupby("replication"):
        weekly = result.weekly_portfolio[result.weekly_portfolio.replication == rep]
        assert projects.finish.notna().all()  # ends empty
        assert weekly.wip.iloc[-1] == 0 and weekly.backlog.iloc[-1] == 0
        # Weekly values are time-averages over one-week bins: sum x 1 week = integral.
        in_system = float((weekly.wip + weekly.backlog).sum())
        throughput = len(projects) / horizon
        # L = lambda W: time-average number in system = throughput x mean lead time.
        assert in_system / horizon == pytest.approx(
            throughput * projects.lead_time.mean(), rel=1e-9
        )
        # The same for each stage: WIP (admitted to finish) and the intake backlog.
        assert float(weekly.wip.sum()) == pytest.approx(
            float((projects.finish - projects.admitted).sum()), rel=1e-9
        )
        assert float(weekly.backlog.sum()) == pytest.approx(
            float((projects.admitted - projects.arrival).sum()), rel=1e-9, abs=1e-9
        )
        if wip_limit is None:
            assert np.allclose(projects.admitted, projects.arrival)
        else:
            assert float(weekly.backlog.sum()) > 0


def test_busy_people_integral_equals_effort():
    # Another conservation law: busy FTE integrated over time is the effort done.
    scenario = parse_scenario(SCENARIO)
    result = simulate(scenario, replications=2, seed=9, workers=1)
    for rep, projects in result.projects.groupby("replication"):
        weekly = result.weekly_roles[result.weekly_roles.replication == rep]
        assert float(weekly.busy_fte.sum()) == pytest.approx(float(projects.effort.sum()), rel=1e-9)
