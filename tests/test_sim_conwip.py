"""Calibration against a published multi-project study: capping active projects (CONWIP).

Anavi-Isakow and Golany (International Journal of Project Management 21(1), 2003,
"Managing multi-project environments through constant work-in-process") simulate a
multi-project organisation in which projects wait in a backlog and are released so
that the number of active projects stays constant; capping active projects kept the
load on shared resources stable and shortened project durations, while a cap set too
low starves the resources. This test reproduces that qualitative shape with the
model's multitasking mechanism (docs/business-case.md records what it gives):

- people spread over work (up to 5 demands each, Weinberg's switching loss), no cap:
  switching eats capacity and lead times run away;
- a cap near the knee (9 projects for 3 analysts and 6 developers): mean lead time
  falls to a small fraction, and throughput stays within a few per cent of the
  arrival rate (nothing is lost);
- a cap far below the knee (4): people are idle while work waits, throughput falls.
"""

from __future__ import annotations

import pytest

from pmo_sim.executor import LocalExecutor
from pmo_sim.simulation import mean_interval, parse_scenario, simulate

RATE = 0.9  # projects per week: load 0.6 on both roles
WEEKS_PER_YEAR = 52


def _scenario(wip_limit: int | None) -> dict:
    policy: dict = {"priority": "fifo", "multitasking": {"max_assignments": 5}}
    if wip_limit is not None:
        policy["wip_limit"] = wip_limit
    return {
        "horizon_weeks": 1300,
        "warmup_weeks": 300,
        "roles": {
            "analyst": {"headcount": 3, "availability": 1.0},
            "developer": {"headcount": 6, "availability": 1.0},
        },
        "project_types": {
            "project": {
                "arrivals": {"process": "poisson", "rate_per_week": RATE},
                "phases": [
                    {
                        "name": "analysis",
                        "demands": [
                            {"role": "analyst", "effort": {"dist": "exponential", "mean": 2.0}}
                        ],
                    },
                    {
                        "name": "build",
                        "demands": [
                            {"role": "developer", "effort": {"dist": "exponential", "mean": 4.0}}
                        ],
                    },
                ],
            }
        },
        "policy": policy,
    }


@pytest.fixture(scope="module")
def runs():
    with LocalExecutor(2) as executor:
        return {
            cap: simulate(parse_scenario(_scenario(cap)), 10, 3, executor=executor, detail=False)
            for cap in (None, 9, 4)
        }


def _interval(run, metric):
    mean, low, high, _, _ = mean_interval(run.metrics[metric])
    return mean, low, high


def test_a_cap_near_the_knee_shortens_lead_time_a_lot(runs):
    capped, _, capped_high = _interval(runs[9], "lead_time_mean")
    free, free_low, _ = _interval(runs[None], "lead_time_mean")
    assert capped_high < free_low
    assert capped < 0.25 * free


def test_a_cap_near_the_knee_keeps_throughput_within_a_few_per_cent(runs):
    arrivals = RATE * WEEKS_PER_YEAR
    capped, low, _ = _interval(runs[9], "throughput_per_year")
    assert low >= 0.97 * arrivals  # nothing of note is lost
    assert capped >= _interval(runs[None], "throughput_per_year")[0]


def test_too_tight_a_cap_cuts_throughput(runs):
    tight, _, tight_high = _interval(runs[4], "throughput_per_year")
    knee, knee_low, _ = _interval(runs[9], "throughput_per_year")
    assert tight_high < knee_low
    assert tight < 0.9 * knee
