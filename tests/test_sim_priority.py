"""Validation 6c and the priority rules: who gets a freed person, worked out by hand."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sim_helpers import by_id, one_person_scenario

from pmo_sim.simulation import simulate


def _total_delay_cost(order, efforts, cods):
    """Sum of cost of delay x finish time for one person doing ``order`` from time 0."""
    t = total = 0.0
    for i in order:
        t += efforts[i]
        total += cods[i] * t
    return total


@settings(max_examples=25, deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(1, 20), st.integers(0, 50)),
        min_size=2,
        max_size=7,
    )
)
def test_wsjf_has_the_lowest_total_cost_of_delay_of_all_orders(jobs):
    efforts = [float(e) for e, _ in jobs]
    cods = [float(c) for _, c in jobs]
    best = min(
        _total_delay_cost(order, efforts, cods)
        for order in itertools.permutations(range(len(jobs)))
    )
    scenario = one_person_scenario(
        [{"id": f"P{i}", "effort": e, "cod": c} for i, (e, c) in enumerate(jobs)],
        priority="wsjf",
    )
    projects = simulate(scenario, replications=1, workers=1).projects
    assert projects.finish.notna().all()
    total = float((projects.cost_of_delay * projects.finish).sum())
    assert total == pytest.approx(best, rel=1e-12, abs=1e-9)
    # delay_cost records the same quantity per project (arrival is 0).
    assert float(projects.delay_cost.sum()) == pytest.approx(best, rel=1e-12, abs=1e-9)


def test_fifo_keeps_arrival_order():
    scenario = one_person_scenario(
        [
            {"id": "A", "effort": 4, "arrival": 0},
            {"id": "B", "effort": 1, "arrival": 1, "cod": 99},
            {"id": "C", "effort": 2, "arrival": 2},
        ]
    )
    start = by_id(simulate(scenario, 1, workers=1).projects, "start")
    assert start == {"A": 0, "B": 4, "C": 5}


@pytest.mark.parametrize(
    ("priority", "expected_order"),
    [
        # scores 0.2, 0.9, 0.5: the highest strategic score first
        ("strategic_score", ["B", "C", "A"]),
        # due 30, 10, 20: the earliest due first
        ("earliest_due", ["B", "C", "A"]),
        # benefit per effort: 100/2 = 50, 90/3 = 30, 300/5 = 60
        ("value_per_effort", ["C", "A", "B"]),
        # cost of delay per effort: 10/2 = 5, 30/3 = 10, 20/5 = 4
        ("wsjf", ["B", "A", "C"]),
        ("fifo", ["A", "B", "C"]),
    ],
)
def test_each_rule_orders_waiting_work_as_worked_out_by_hand(priority, expected_order):
    # All three arrive at 0 with one person: the order of starts is the rule's order.
    projects = [
        {"id": "A", "effort": 2, "score": 0.2, "due": 30, "benefit": 100, "cod": 10},
        {"id": "B", "effort": 3, "score": 0.9, "due": 10, "benefit": 90, "cod": 30},
        {"id": "C", "effort": 5, "score": 0.5, "due": 20, "benefit": 300, "cod": 20},
    ]
    start = by_id(simulate(one_person_scenario(projects, priority), 1, workers=1).projects, "start")
    assert sorted(start, key=start.get) == expected_order


def test_a_demand_for_two_waits_for_two_and_is_not_overtaken():
    # Two people. A holds one person 0-4. B (needs both, 2 weeks) arrives at 1 and waits;
    # C (one person, 1 week) arrives at 2: a person is free, but B is ahead of it, so C
    # waits too (no partial seizing, no overtaking). At 4, B gets both until 6; then C.
    scenario = one_person_scenario(
        [
            {"id": "A", "effort": 4, "arrival": 0},
            {"id": "B", "effort": 4, "people": 2, "arrival": 1},
            {"id": "C", "effort": 1, "arrival": 2},
        ],
        headcount=2,
    )
    projects = simulate(scenario, 1, workers=1).projects
    assert by_id(projects, "start") == {"A": 0, "B": 4, "C": 6}
    assert by_id(projects, "finish") == {"A": 4, "B": 6, "C": 7}


@pytest.fixture
def shortest_first():
    """A rule registered only for the test: least remaining planned effort first."""
    from pmo_sim.simulation import PRIORITY_RULES, PriorityRule, register_priority_rule

    assert "shortest_first" not in PRIORITY_RULES
    yield register_priority_rule(
        PriorityRule(
            "shortest_first",
            "shortest job first",
            "the project with the least planned work left gets people first",
            lambda p: p.remaining,
        )
    )
    del PRIORITY_RULES["shortest_first"]


def test_a_registered_rule_is_valid_in_a_scenario_and_runs_in_the_model(shortest_first):
    # One person, all three ready at week 0: shortest first is B (1), C (2), A (4).
    scenario = one_person_scenario(
        [{"id": "A", "effort": 4}, {"id": "B", "effort": 1}, {"id": "C", "effort": 2}],
        priority="shortest_first",
    )
    assert scenario.policy.priority == "shortest_first"
    start = by_id(simulate(scenario, 1, workers=1).projects, "start")
    assert start == {"B": 0, "C": 1, "A": 3}


def test_a_registered_rule_reaches_practices_widgets_and_prose(shortest_first):
    from pmo_sim.business_case.practices import PracticeChoice, TierPractices
    from pmo_sim.business_case.prose import describe_practice
    from pmo_sim.widgets.whatif import WhatIfDashboard

    tier = TierPractices(priority="shortest_first")
    assert tier.priority == "shortest_first"
    assert describe_practice(PracticeChoice("priority", 2, None, tier), None) == (
        "The project with the least planned work left gets people first."
    )
    scenario = one_person_scenario([{"id": "A", "effort": 1}])
    dashboard = WhatIfDashboard(scenario, replications=2)
    assert ("shortest job first", "shortest_first") in dashboard.priority.options


def test_an_unknown_rule_is_refused_naming_the_registered_ones():
    from pmo_sim.errors import InputError

    with pytest.raises(InputError) as info:
        one_person_scenario([{"id": "A", "effort": 1}], priority="loudest_sponsor")
    text = str(info.value)
    assert "unknown priority rule 'loudest_sponsor'" in text
    assert "'fifo', 'strategic_score', 'wsjf', 'value_per_effort', 'earliest_due'" in text


def test_the_scenario_docs_list_every_registered_rule():
    from conftest import ROOT

    from pmo_sim.simulation import PRIORITY_RULES

    text = (ROOT / "docs" / "scenarios.md").read_text(encoding="utf-8")
    for name in PRIORITY_RULES:
        assert f"| `{name}` |" in text
