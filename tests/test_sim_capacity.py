"""Validation 6d and the capacity mechanisms: hiring up and down, WIP limit, budget cap."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sim_helpers import by_id, one_person_scenario, run_model

from pmo_sim.simulation import parse_scenario, simulate
from pmo_sim.simulation.records import Step


def _scenario_with_hiring(dev_plan, analyst_plan, rate=1.2):
    return parse_scenario(
        {
            "horizon_weeks": 60,
            "roles": {
                "developer": {"headcount": 4, "availability": 0.7, "hiring": dev_plan},
                "analyst": {"headcount": 2, "availability": 0.9, "hiring": analyst_plan},
            },
            "project_types": {
                "feature": {
                    "arrivals": {"process": "poisson", "rate_per_week": rate},
                    "phases": [
                        {
                            "name": "analyse",
                            "demands": [
                                {
                                    "role": "analyst",
                                    "effort": {"dist": "uniform", "min": 0.5, "max": 2},
                                }
                            ],
                        },
                        {
                            "name": "build",
                            "demands": [
                                {
                                    "role": "developer",
                                    "people": 2,
                                    "effort": {"dist": "exponential", "mean": 3},
                                },
                                {"role": "analyst", "effort": 0.5},
                            ],
                        },
                    ],
                }
            },
        }
    )


plans = st.lists(
    st.tuples(st.floats(0.5, 55, allow_nan=False).map(lambda w: round(w, 2)), st.integers(2, 7)),
    max_size=4,
    unique_by=lambda t: t[0],
).map(lambda steps: [{"week": w, "headcount": h} for w, h in steps])


@settings(max_examples=20, deadline=None)
@given(plans, plans.map(lambda p: [{**s, "headcount": max(1, s["headcount"] - 2)} for s in p]))
def test_busy_never_exceeds_capacity_with_hiring_plans(dev_plan, analyst_plan):
    scenario = _scenario_with_hiring(dev_plan, analyst_plan)
    # At every instant, in the raw logs: busy people <= headcount.
    model = run_model(scenario, seed=3)
    for pool in model.pools:
        busy = Step(*pool.busy_log)
        head = Step(*pool.headcount_log)
        times = np.union1d(busy.t, head.t)
        idx_b = np.searchsorted(busy.t, times, side="right") - 1
        idx_h = np.searchsorted(head.t, times, side="right") - 1
        assert (busy.v[idx_b] <= head.v[idx_h]).all()
        assert (busy.v >= 0).all()
    # And in the weekly tables.
    weekly = simulate(scenario, replications=2, seed=3, workers=1).weekly_roles
    assert (weekly.busy_fte <= weekly.capacity_fte + 1e-9).all()
    assert (weekly.utilisation.dropna() <= 1 + 1e-12).all()


def test_a_reduction_takes_effect_as_people_free_up():
    # Three people all busy 0-10; the plan cuts to one at week 2 and adds two at week 20.
    # Nobody is pulled off work: the cut lands at week 10. D (arrives 12) starts at once.
    scenario = parse_scenario(
        {
            "horizon_weeks": 30,
            "roles": {
                "person": {
                    "headcount": 3,
                    "availability": 1,
                    "hiring": [{"week": 2, "headcount": 1}, {"week": 20, "change": 2}],
                }
            },
            "project_types": {
                "job": {"phases": [{"name": "work", "demands": [{"role": "person", "effort": 10}]}]}
            },
            "pipeline": [
                {"id": "A", "type": "job", "arrival": 0},
                {"id": "B", "type": "job", "arrival": 0},
                {"id": "C", "type": "job", "arrival": 0},
                {"id": "D", "type": "job", "arrival": 12, "effort_scale": 0.1},
            ],
        }
    )
    result = simulate(scenario, 1, workers=1)
    assert by_id(result.projects, "finish") == {"A": 10, "B": 10, "C": 10, "D": 13}
    assert by_id(result.projects, "start")["D"] == 12
    headcount = result.weekly_roles.set_index("week").headcount
    assert (headcount.loc[0:9] == 3).all()
    assert (headcount.loc[10:19] == 1).all()
    assert (headcount.loc[20:29] == 3).all()


def test_a_reduction_with_work_waiting_keeps_only_the_new_headcount_busy():
    # Two people, three 4-week jobs at 0; cut to one at week 1. A and B run 0-4; at 4
    # one person leaves, the other takes C: 4-8.
    scenario = one_person_scenario([{"id": i, "effort": 4} for i in "ABC"], headcount=2, horizon=12)
    data = scenario.model_dump(mode="json")
    data["roles"]["person"]["hiring"] = [{"week": 1, "headcount": 1}]
    result = simulate(parse_scenario(data), 1, workers=1)
    assert by_id(result.projects, "start") == {"A": 0, "B": 0, "C": 4}
    assert by_id(result.projects, "finish") == {"A": 4, "B": 4, "C": 8}


def test_a_demand_larger_than_the_planned_headcount_steps_aside():
    # Headcount 2 cut to 1 at week 0.5: B needs 2 people and cannot run until the plan
    # restores 2 at week 5; meanwhile C (1 person) is not blocked behind it.
    scenario = one_person_scenario(
        [
            {"id": "B", "effort": 2, "people": 2, "arrival": 1},
            {"id": "C", "effort": 1, "arrival": 2},
        ],
        headcount=2,
        horizon=20,
    )
    data = scenario.model_dump(mode="json")
    data["roles"]["person"]["hiring"] = [{"week": 0.5, "headcount": 1}, {"week": 5, "headcount": 2}]
    projects = simulate(parse_scenario(data), 1, workers=1).projects
    assert by_id(projects, "start") == {"B": 5, "C": 2}
    assert by_id(projects, "finish") == {"B": 6, "C": 3}


def test_wip_limit_holds_projects_in_the_intake_backlog():
    # WIP limit 1, two people: B waits for A to finish although a person is free.
    scenario = one_person_scenario(
        [{"id": "A", "effort": 3}, {"id": "B", "effort": 2}], headcount=2, wip_limit=1
    )
    projects = simulate(scenario, 1, workers=1).projects
    assert by_id(projects, "admitted") == {"A": 0, "B": 3}
    assert by_id(projects, "finish") == {"A": 3, "B": 5}


@pytest.mark.parametrize("limit", [1, 3, 5])
def test_wip_never_exceeds_the_limit(limit):
    scenario = _scenario_with_hiring([], [], rate=1.5)
    scenario = parse_scenario(scenario.model_dump(mode="json"), {"policy.wip_limit": limit})
    result = simulate(scenario, 2, seed=11, workers=1)
    for _, projects in result.projects.groupby("replication"):
        # Sweep admissions (+1) and finishes (-1) in time order, finishes first at ties.
        events = [(t, 1) for t in projects.admitted.dropna()]
        events += [(t, -1) for t in projects.finish.dropna()]
        level = peak = 0
        for _, step in sorted(events, key=lambda e: (e[0], e[1])):
            level += step
            peak = max(peak, level)
        assert peak == limit  # reached, never exceeded
    assert (result.weekly_portfolio.wip <= limit + 1e-9).all()


def test_budget_cap_defers_admission_to_next_quarter():
    # Cost 100 per person-week; each project's planned cost is 10 x 100 = 1,000; the cap
    # of 1,500 per 13-week quarter admits one project a quarter.
    scenario = one_person_scenario(
        [{"id": i, "effort": 10} for i in "ABC"], headcount=3, budget_per_quarter=1500
    )
    projects = simulate(scenario, 1, workers=1).projects
    assert by_id(projects, "admitted") == {"A": 0, "B": 13, "C": 26}
    assert by_id(projects, "cost") == {"A": 1000, "B": 1000, "C": 1000}
