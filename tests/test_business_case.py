"""The business case: practices mapping, derived WIP limit, gains only where capacity binds."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from pmo_sim.business_case import (
    ClientPosition,
    capacity_wip,
    load_practices,
    resolve_practices,
    run_business_case,
)
from pmo_sim.errors import InputError
from pmo_sim.executor import LocalExecutor
from pmo_sim.simulation import parse_scenario


def team_scenario(headcount: int, horizon: float = 104) -> dict:
    """One role of ``headcount`` people; a valuable and a minor project type, 0.4/week each.

    Each project is one demand of exponential effort (mean 4.5 person-weeks) for one
    person: the team's load is 0.8 x 4.5 = 3.6 people busy on average.
    """
    demand = [{"role": "team", "effort": {"dist": "exponential", "mean": 4.5}}]
    return {
        "name": f"team of {headcount}",
        "horizon_weeks": horizon,
        "objectives": {"growth": 1.0, "housekeeping": 0.1},
        "roles": {"team": {"headcount": headcount, "availability": 1.0, "weekly_cost": 100}},
        "project_types": {
            name: {
                "arrivals": {"process": "poisson", "rate_per_week": 0.4},
                "phases": [{"name": "work", "demands": demand}],
                "value": {
                    "benefit_per_week": benefit,
                    "cost_of_delay_per_week": benefit,
                    "alignment": {objective: 1.0},
                },
            }
            for name, benefit, objective in (
                ("valuable", 10000, "growth"),
                ("minor", 1000, "housekeeping"),
            )
        },
    }


def position(tier: int, **dimensions: int) -> ClientPosition:
    return ClientPosition(tier=tier, tier_name="", dimension_tiers=dict(dimensions))


@pytest.fixture(scope="module")
def practices():
    return load_practices()


@pytest.fixture(scope="module")
def ordering_practices():
    """The practices file of before issue 12: only priority, WIP, capacity check, rebalancing.

    The tests of how ordering and intake gates pay use it, so that multitasking, estimates,
    selection and benefits realised (tested on their own) do not blur what they check.
    """
    return load_practices(Path(__file__).parent / "golden" / "practices_pre_i12.yaml")


@pytest.fixture(scope="module")
def executor():
    with LocalExecutor(1) as ex:
        yield ex


# -- the mapping -------------------------------------------------------------------------


def test_bundled_tiers_map_as_documented(practices):
    for tier in (0, 1, 2):
        t = practices.tiers[tier]
        assert (t.priority, t.wip_limit, t.capacity_check_weeks, t.rebalancing) == (
            "fifo",
            None,
            None,
            None,
        )
    t3, t4 = practices.tiers[3], practices.tiers[4]
    assert (t3.priority, t3.wip_limit, t3.capacity_check_weeks, t3.rebalancing) == (
        "strategic_score",
        "capacity",
        39,
        None,
    )
    assert (t4.priority, t4.wip_limit, t4.capacity_check_weeks) == ("wsjf", "capacity", 39)
    assert (t4.rebalancing.action, t4.rebalancing.overrun) == ("stop", 0.25)
    # Issue 12's practices: the same spreading everywhere; plans, selection and benefits
    # improve from tier 3; tiers 0-2 do not differ in anything simulated.
    for tier in (0, 1, 2):
        t = practices.tiers[tier]
        assert t.model_dump(exclude={"description"}) == practices.tiers[0].model_dump(
            exclude={"description"}
        )
    assert {practices.tiers[t].multitasking.max_assignments for t in range(5)} == {3}
    assert [practices.tiers[t].estimates.bias for t in (2, 3, 4)] == [1.27, 1.2, 1.1]
    assert [practices.tiers[t].selection_share for t in (2, 3, 4)] == [0, 0.05, 0.10]
    assert [practices.tiers[t].benefits_realised for t in (2, 3, 4)] == [0.8, 0.85, 0.9]
    assert set(practices.sources) == {
        "multitasking",
        "estimates",
        "selection_share",
        "benefits_realised",
    }


def test_each_practice_follows_its_governing_dimension(practices):
    # Overall tier 3, but resource management scored tier 1: no capacity check today.
    today = resolve_practices(practices, 3, {"prioritisation": 3, "capacity": 1, "portfolio": 3})
    assert today["priority"].value == "strategic_score"
    assert today["capacity_check_weeks"].value is None
    assert today["capacity_check_weeks"].dimension == "capacity"
    # Overall tier 1 but prioritisation at tier 4: wsjf is already in place.
    assert resolve_practices(practices, 1, {"prioritisation": 4})["priority"].value == "wsjf"
    # A dimension the assessment lacks falls back to the overall tier.
    missing = resolve_practices(practices, 3, {})
    assert missing["capacity_check_weeks"].value == 39
    assert missing["capacity_check_weeks"].dimension is None
    # At the target every dimension is at least the target tier; higher ones stay.
    target = resolve_practices(practices, 2, {"prioritisation": 4, "capacity": 1}, floor=3)
    assert target["priority"].value == "wsjf"
    assert target["capacity_check_weeks"].value == 39
    assert target["rebalancing"].value is None


def test_capacity_wip_is_littles_law_at_the_bottleneck():
    # 10 people, 1 project a week of 5 person-weeks for one person: load 5/10 = 0.5,
    # a project takes 5 weeks, 1 x 5 = 5 in progress at today's rate; at full pace 5 / 0.5 = 10;
    # with headroom 1.5 the limit is 15.
    scenario = parse_scenario(
        {
            "horizon_weeks": 52,
            "roles": {"r": {"headcount": 10, "availability": 1.0}},
            "project_types": {
                "t": {
                    "arrivals": {"process": "poisson", "rate_per_week": 1.0},
                    "phases": [{"name": "p", "demands": [{"role": "r", "effort": 5}]}],
                }
            },
        }
    )
    assert capacity_wip(scenario, 1.5)[0] == 15
    assert capacity_wip(scenario, 1.0)[0] == 10


def test_capacity_wip_of_work_too_large_to_count_is_no_limit_said_so():
    # Effort 1e308 person-weeks on 10 people with availability 0.5: a project takes 2e308
    # weeks, which is past the largest float, so the projects in progress are infinite and
    # no limit can be sized (it used to crash converting infinity to an integer).
    scenario = parse_scenario(
        {
            "horizon_weeks": 52,
            "roles": {"r": {"headcount": 10, "availability": 0.5}},
            "project_types": {
                "t": {
                    "arrivals": {"process": "poisson", "rate_per_week": 0.5},
                    "phases": [{"name": "p", "demands": [{"role": "r", "effort": 1e308}]}],
                }
            },
        }
    )
    limit, words = capacity_wip(scenario, 1.5)
    assert limit is None and "too large" in words


def test_the_arms_run_the_mapped_policies(ordering_practices, executor):
    scenario = parse_scenario(team_scenario(4))
    case = run_business_case(
        position(1, capacity=1, prioritisation=1, portfolio=1),
        scenario,
        ordering_practices,
        target_tier=4,
        replications=2,
        executor=executor,
    )
    today, target = case.scenarios["today"].policy, case.scenarios["target"].policy
    assert (today.priority, today.wip_limit, today.capacity_check_weeks, today.rebalancing) == (
        "fifo",
        None,
        None,
        None,
    )
    # WIP: 0.8 projects/week x 4.5 weeks = 3.6 in progress, load 3.6 / 4 = 0.9, 1.5 x 4 = 6.
    assert (target.priority, target.wip_limit, target.capacity_check_weeks) == ("wsjf", 6, 39)
    assert target.rebalancing.action == "stop"
    assert case.stopped()["today"] is None
    assert case.to_dict()["practices"]["target"]["wip_limit"]["value"] == 6


def test_same_practices_show_no_difference_by_construction(ordering_practices, executor):
    case = run_business_case(
        position(1), parse_scenario(team_scenario(4)), ordering_practices, target_tier=2,
        replications=3, executor=executor,
    )  # fmt: skip
    assert case.same_practices
    assert (case.differences["difference"].fillna(0) == 0).all()
    assert "no difference by construction" in case.findings()[0]


# -- what the simulation shows -----------------------------------------------------------


@pytest.mark.parametrize("target_tier", [3, 4])
def test_congested_portfolio_gains_benefits(ordering_practices, executor, target_tier):
    # 4 people carrying 3.6 on average (90%): queues form, and who goes first matters.
    case = run_business_case(
        position(1), parse_scenario(team_scenario(4)), ordering_practices, target_tier=target_tier,
        replications=20, seed=7, executor=executor,
    )  # fmt: skip
    head = case.headline().set_index("metric")
    benefit = head.loc["benefit_total"]
    assert benefit["low"] > 0, benefit
    by_objective = case.by_objective().set_index("metric")
    assert by_objective.loc["benefit.growth", "low"] > 0
    assert by_objective.loc["benefit.housekeeping", "high"] < 0  # the price: minor work waits


def test_ample_capacity_shows_no_invented_gain(ordering_practices, executor):
    # 12 people carrying 3.6 on average (30%): hardly anything ever waits.
    case = run_business_case(
        position(1), parse_scenario(team_scenario(12)), ordering_practices, target_tier=4,
        replications=20, seed=7, executor=executor,
    )  # fmt: skip
    benefit = case.headline().set_index("metric").loc["benefit_total"]
    assert benefit["low"] <= 0 <= benefit["high"], benefit
    assert not case.same_practices
    assert math.isfinite(benefit["difference"])


# -- bad input ---------------------------------------------------------------------------


def test_bad_practices_file_reports_every_problem_with_its_line(tmp_path):
    path = tmp_path / "practices.yaml"
    path.write_text(
        "tiers:\n"
        "  0: {priority: fifo}\n"
        "  1: {priority: fifo}\n"
        "  2: {priority: loudest_sponsor}\n"
        "  3: {priority: fifo, wip_limit: 0}\n"
        "governed_by:\n"
        "  prioritisation_rule: prioritisation\n",
        encoding="utf-8",
    )
    with pytest.raises(InputError) as info:
        load_practices(path)
    err = info.value
    assert err.path == str(path)
    text = str(err)
    assert "tiers.2.priority (line 4)" in text
    assert "tiers.3.wip_limit (line 5)" in text
    assert "tiers (line 1): every tier 0-4 needs an entry; missing: [4]" in text
    assert "prioritisation_rule" in text
    assert len(err.problems) == 4
