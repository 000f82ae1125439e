"""Multitasking: shared attention, switching loss, and processor sharing in the limit.

Hand-worked schedules check the allocation and the pace of each assignment;
with no switching loss and no cap, one person is an M/G/1 processor-sharing
queue, checked against its mean sojourn ``1 / (mu - lam)`` and the size law
``x / (1 - rho)`` over replications.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sim_helpers import by_id, one_person_scenario, run_model
from test_sim_capacity import _scenario_with_hiring, plans

from pmo_sim.errors import InputError
from pmo_sim.simulation import (
    apply_overrides,
    load_scenario,
    mean_interval,
    parse_scenario,
    ps_sojourn,
    ps_sojourn_of_size,
    simulate,
)
from pmo_sim.simulation.model import PortfolioModel
from pmo_sim.simulation.plan import compile_plan
from pmo_sim.simulation.records import Step
from pmo_sim.simulation.streams import replication_seed

MMC = "scenarios/validation/mmc.yaml"
NO_LOSS = {"max_assignments": None, "switching_loss": [0.0]}


def _projects(scenario):
    return simulate(scenario, replications=1, seed=1, workers=1).projects


def test_two_projects_share_one_person_and_lose_a_fifth_of_her_time():
    # Two projects of 1 person-week each at week 0; with two assignments 20% is lost, so
    # each advances at (1 - 0.2) / 2 = 0.4 per week and both finish at 1 / 0.4 = 2.5.
    scenario = one_person_scenario(
        [{"id": "A", "effort": 1}, {"id": "B", "effort": 1}],
        multitasking={"max_assignments": 5, "switching_loss": [0, 0.2]},
    )
    run = simulate(scenario, replications=1, seed=1, workers=1)
    projects = run.projects
    assert by_id(projects, "finish") == pytest.approx({"A": 2.5, "B": 2.5})
    # Each booked half of her 2.5 weeks at 100 per week: switching time is paid for.
    assert by_id(projects, "cost") == pytest.approx({"A": 125.0, "B": 125.0})
    # A fifth of her busy time went to switching.
    assert run.metrics["switching_loss.person"].iloc[0] == pytest.approx(0.2)


def test_the_other_assignment_speeds_up_when_one_ends():
    # A = 1, B = 3 person-weeks: both at 0.4/week until A ends at 2.5 (B has 3 - 1 = 2 left),
    # then B alone at full pace: 2.5 + 2 = 4.5.
    scenario = one_person_scenario(
        [{"id": "A", "effort": 1}, {"id": "B", "effort": 3}],
        multitasking={"max_assignments": None, "switching_loss": [0, 0.2]},
    )
    assert by_id(_projects(scenario), "finish") == pytest.approx({"A": 2.5, "B": 4.5})


def test_least_allocated_people_are_chosen_and_a_pair_moves_at_its_people_s_pace():
    # Two people. X (1 person, 2 person-weeks) takes person 0 at week 0. Y (2 people,
    # 2 person-weeks: 1 week at full pace) arrives at week 0 too and gets persons 0 and 1:
    # person 0 now has two assignments (pace 0.4 each), person 1 one (pace 1), so Y moves
    # at (0.4 + 1) / 2 = 0.7 and ends at 1 / 0.7. X has then done 0.4 / 0.7 and ends
    # 2 - 0.4 / 0.7 weeks later at full pace. Person 0 lost 20% of her time while on two.
    scenario = one_person_scenario(
        [{"id": "X", "effort": 2}, {"id": "Y", "effort": 2, "people": 2}],
        headcount=2,
        multitasking={"max_assignments": 2, "switching_loss": [0, 0.2]},
    )
    run = simulate(scenario, replications=1, seed=1, workers=1)
    finish = by_id(run.projects, "finish")
    assert finish["Y"] == pytest.approx(1 / 0.7)
    assert finish["X"] == pytest.approx(1 / 0.7 + 2 - 0.4 / 0.7)
    # Busy person-weeks: person 0 until X ends, person 1 until Y ends; lost: 0.2 x 1 / 0.7.
    busy = finish["X"] + finish["Y"]
    lost = 0.2 * finish["Y"]
    assert run.metrics["switching_loss.person"].iloc[0] == pytest.approx(lost / busy)


def test_the_cap_makes_work_wait_and_one_assignment_each_is_single_tasking():
    jobs = [{"id": f"P{i}", "effort": e} for i, e in enumerate([2, 1, 3, 0.5, 1.5])]
    single = by_id(_projects(one_person_scenario(jobs, headcount=2)), "finish")
    capped = by_id(
        _projects(
            one_person_scenario(
                jobs, headcount=2, multitasking={"max_assignments": 1, "switching_loss": [0.3]}
            )
        ),
        "finish",
    )
    # With one assignment each nobody switches: the schedule is the single-tasking one
    # (the loss of a single assignment, 30% here, only slows everything by 1 / 0.7).
    assert capped == pytest.approx({k: v / 0.7 for k, v in single.items()})


def test_switching_loss_must_be_a_share():
    with pytest.raises(InputError, match="switching_loss"):
        one_person_scenario([{"id": "A", "effort": 1}], multitasking={"switching_loss": [0, 1.2]})


@pytest.fixture(scope="module")
def ps_run(root):
    """One person, Poisson arrivals 0.6/week, exponential effort of mean 1, no loss, no cap."""
    scenario = load_scenario(
        root / MMC,
        {
            "project_types.job.arrivals.rate_per_week": 0.6,
            "roles.server.headcount": 1,
            "horizon_weeks": 2200,
            "warmup_weeks": 200,
            "policy.multitasking": NO_LOSS,
        },
    )
    result = simulate(scenario, replications=20, seed=12, workers=2)
    p = result.projects
    return p[(p.arrival >= 200) & (p.arrival <= 2100)]


def test_mm1_processor_sharing_mean_time_in_system(ps_run):
    assert ps_run.finish.notna().all()
    per_rep = ps_run.groupby("replication").lead_time.mean()
    _, low, high, _, n = mean_interval(per_rep)
    expected = ps_sojourn(0.6, 1.0)  # 1 / (1 - 0.6) = 2.5 weeks
    assert n == 20
    assert low <= expected <= high, (expected, low, high)
    assert high - low < 0.25 * expected


def test_mg1_processor_sharing_time_is_proportional_to_size(ps_run):
    # E[T | x] = x / (1 - rho) for every size: the ratio T / x averages 1 / (1 - rho) = 2.5
    # for small and for large projects alike (under first come, first served a large
    # project's ratio would be far lower: its wait is shared by a long service).
    ratio = ps_run.lead_time / ps_run.effort
    for name, part in (("small", ps_run.effort < 0.7), ("large", ps_run.effort > 2.0)):
        per_rep = ratio[part].groupby(ps_run.replication[part]).mean()
        _, low, high, _, _ = mean_interval(per_rep)
        expected = ps_sojourn_of_size(1.0, 0.6)
        assert low <= expected <= high, (name, expected, low, high)


def test_fixed_sizes_take_x_over_one_minus_rho(root):
    # M/D/1-PS: every project 1 person-week. PS insensitivity: still 1 / (1 - rho) = 2.5
    # (first come, first served would give 1 + rho / (2 (1 - rho)) = 1.75).
    scenario = parse_scenario(
        {
            "horizon_weeks": 2200,
            "warmup_weeks": 200,
            "roles": {"server": {"headcount": 1, "availability": 1.0}},
            "project_types": {
                "job": {
                    "arrivals": {"process": "poisson", "rate_per_week": 0.6},
                    "phases": [{"name": "service", "demands": [{"role": "server", "effort": 1.0}]}],
                }
            },
            "policy": {"multitasking": NO_LOSS},
        }
    )
    p = simulate(scenario, replications=16, seed=5, workers=2).projects
    p = p[(p.arrival >= 200) & (p.arrival <= 2100)]
    _, low, high, _, _ = mean_interval(p.groupby("replication").lead_time.mean())
    assert low <= ps_sojourn_of_size(1.0, 0.6) <= high, (low, high)
    assert high < 1.75 or low > 1.75


def _two_types(policy: dict, spread: float = 0.0) -> dict:
    """A valuable and a poor project type, 0.5/week each, one person-week each, two people."""
    demand = [{"role": "team", "effort": 1.0}]

    def benefit(mean):
        return {"dist": "lognormal", "mean": mean, "sd": spread * mean} if spread else mean

    return {
        "horizon_weeks": 200,
        "objectives": {"growth": 1.0},
        "roles": {"team": {"headcount": 2, "availability": 1.0, "weekly_cost": 100}},
        "project_types": {
            name: {
                "arrivals": {"process": "poisson", "rate_per_week": 0.5},
                "phases": [{"name": "work", "demands": demand}],
                "value": {"benefit_per_week": benefit(mean), "alignment": {"growth": 1.0}},
            }
            for name, mean in (("good", 1000), ("poor", 100))
        },
        "policy": policy,
    }


def test_selection_declines_the_lowest_value_for_money_share():
    # Score = benefit x strategic score (1) / planned effort (1) = the benefit. A screen of
    # 0.4 declines exactly the proposals whose benefit is below the mix's 40% quantile, and
    # every other proposal arrives as before (same streams, same draws).
    plain = simulate(parse_scenario(_two_types({}, spread=0.3)), 8, seed=3, workers=1)
    scenario = parse_scenario(_two_types({"selection_share": 0.4}, spread=0.3))
    level = compile_plan(scenario).selection_threshold
    screened = simulate(scenario, 8, seed=3, workers=1)
    p, q = plain.projects, screened.projects
    kept = p[p.benefit_per_week >= level]
    assert (q.project_id.to_numpy() == kept.project_id.to_numpy()).all()
    assert (q.benefit_per_week.to_numpy() == kept.benefit_per_week.to_numpy()).all()
    declined = (p.benefit_per_week < level).groupby(p.replication).sum().to_numpy()
    assert (screened.metrics.declined.to_numpy() == declined).all()
    assert declined.sum() / len(p) == pytest.approx(0.4, abs=0.04)  # sd about 0.012
    assert set(p[p.benefit_per_week < level].type) == {"poor"}


def test_benefits_realised_and_biased_estimates_change_only_what_they_say():
    base = simulate(parse_scenario(_two_types({})), 1, seed=3, workers=1).projects
    other = simulate(
        parse_scenario(
            _two_types({"benefits_realised": 0.6, "estimates": {"bias": 1.25, "spread": 0}})
        ),
        1,
        seed=3,
        workers=1,
    ).projects
    assert other.benefit_per_week.to_numpy() == pytest.approx(0.6 * base.benefit_per_week)
    assert other.planned_effort.to_numpy() == pytest.approx(base.planned_effort / 1.25)
    assert (other.effort.to_numpy() == base.effort.to_numpy()).all()  # actuals unchanged
    assert (other.finish.to_numpy() == base.finish.to_numpy()).all()  # fifo: same schedule


def test_estimate_noise_spreads_planned_effort_around_mean_over_bias():
    scenario = parse_scenario(_two_types({"estimates": {"bias": 1.0, "spread": 0.3}}))
    planned = simulate(scenario, 2, seed=3, workers=1).projects.planned_effort
    assert planned.std() == pytest.approx(0.3, rel=0.15)
    assert planned.mean() == pytest.approx(1.0, rel=0.05)


@settings(max_examples=15, deadline=None)
@given(plans, st.sampled_from([1, 2, 3, None]))
def test_people_time_is_conserved_and_capacity_never_exceeded(dev_plan, cap):
    # Random hiring up and down under multitasking: at every instant busy people <= headcount
    # and nobody holds more than the cap; every person-week booked is paid for exactly once
    # (labour spend from the busy log = the sum of the projects' costs, work in progress
    # at the horizon included).
    scenario = apply_overrides(
        _scenario_with_hiring(dev_plan, []),
        {"policy.multitasking": {"max_assignments": cap, "switching_loss": [0, 0.2, 0.4]}},
    )
    model = run_model(scenario, seed=4)
    for pool in model.pools:
        busy, head = Step(*pool.busy_log), Step(*pool.headcount_log)
        times = np.union1d(busy.t, head.t)
        b = busy.v[np.searchsorted(busy.t, times, side="right") - 1]
        h = head.v[np.searchsorted(head.t, times, side="right") - 1]
        assert (b <= h).all() and (b >= 0).all()
        assert cap is None or max(pool.load) <= cap
    run = simulate(scenario, replications=1, seed=4, workers=1)
    assert run.metrics.spend.iloc[0] == pytest.approx(run.projects.cost.sum(), rel=1e-9)


def _open_by_count(pool) -> int:
    full = pool.max_assignments or float("inf")
    return sum(1 for p in pool.payroll if p not in pool.leaving and pool.load[p] < full)


@settings(max_examples=10, deadline=None)
@given(plans, st.sampled_from([1, 2, None]))
def test_the_count_of_people_able_to_take_more_is_kept_exactly(dev_plan, cap):
    # The pool keeps a running count of people who can take one more demand, so a request
    # for more people than that fails without a scan; hiring, leavers, starts and ends
    # must keep it equal to a count made from scratch after every event.
    scenario = apply_overrides(
        _scenario_with_hiring(dev_plan, [{"week": 20, "change": -1}, {"week": 40, "change": 2}]),
        {"policy.multitasking": {"max_assignments": cap}},
    )
    model = PortfolioModel(compile_plan(scenario), replication_seed(4, 0))
    env = model.env
    while env.peek() < scenario.horizon_weeks:
        env.step()
        for pool in model.pools:
            assert pool.open == _open_by_count(pool)
            assert pool.free == {p for p in pool.payroll if pool.load[p] == 0} - pool.leaving


def test_bad_policy_values_are_all_reported_with_their_field_paths():
    with pytest.raises(InputError) as info:
        one_person_scenario(
            [{"id": "A", "effort": 1}],
            multitasking={"max_assignments": 0, "switching_loss": []},
            estimates={"bias": 0, "spread": -1},
            selection_share=1.0,
            benefits_realised=1.5,
        )
    text = str(info.value)
    for path in (
        "policy.multitasking.max_assignments",
        "policy.multitasking.switching_loss",
        "policy.estimates.bias",
        "policy.estimates.spread",
        "policy.selection_share",
        "policy.benefits_realised",
    ):
        assert path in text, path
