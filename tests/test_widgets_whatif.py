"""The capacity what-if dashboard driven without a browser: levers, re-runs, saving."""

from __future__ import annotations

import asyncio

import pytest

from pmo_sim.presentation import intervals
from pmo_sim.simulation import apply_overrides, load_scenario, mean_interval, simulate
from pmo_sim.widgets import whatif_dashboard

# Few replications keep the suite quick; the dashboard logic does not depend on the number.
REPS = 4


@pytest.fixture(scope="module")
def baseline_path(root):
    return root / "scenarios" / "baseline.yaml"


@pytest.fixture
def dashboard(baseline_path, tmp_path):
    return whatif_dashboard(baseline_path, replications=REPS, delay=0, save_dir=tmp_path)


def _mean(result, metric):
    return float(result.metrics[metric].mean())


def test_opens_on_the_baseline(dashboard):
    assert dashboard.overrides == {}
    assert "none: this is the baseline" in dashboard.overrides_view.value
    assert dashboard.runs == 1
    assert dashboard.chart.value.startswith("<svg class='pmo-whatif-chart'")
    assert "Utilisation by role" in dashboard.chart.value
    assert dashboard.variant.n == REPS
    assert "projects delivered per year" in dashboard.differences.value


def test_a_headcount_change_reruns_and_matches_the_simulation(dashboard, baseline_path):
    before = dashboard.chart.value
    dashboard.headcount["developer"].value = 44
    assert dashboard.overrides == {"roles.developer.headcount": 44}
    assert "--set roles.developer.headcount=44" in dashboard.overrides_view.value
    assert dashboard.runs == 2
    assert dashboard.chart.value != before
    # The figures are the simulation's own: the same run outside the dashboard agrees.
    expected = simulate(
        load_scenario(baseline_path, {"roles.developer.headcount": 44}), REPS, 1, workers=1,
        detail=False,
    )  # fmt: skip
    assert _mean(dashboard.variant, "utilisation.developer") == pytest.approx(
        _mean(expected, "utilisation.developer")
    )
    assert _mean(dashboard.variant, "utilisation.developer") < _mean(
        dashboard.baseline_result, "utilisation.developer"
    )
    assert "better" in dashboard.differences.value


def test_policy_levers_and_replications(dashboard):
    dashboard.wip_limit.value = 25
    dashboard.priority.value = "wsjf"
    assert dashboard.overrides == {"policy.wip_limit": 25, "policy.priority": "wsjf"}
    assert dashboard.variant.scenario.policy.wip_limit == 25
    assert dashboard.variant.scenario.policy.priority == "wsjf"
    dashboard.replications.value = REPS + 2
    assert dashboard.variant.n == REPS + 2 == dashboard.baseline_result.n
    dashboard.wip_limit.value = 0
    assert "policy.wip_limit" not in dashboard.overrides


def test_reset_returns_to_the_baseline(dashboard):
    dashboard.headcount["tester"].value = 30
    dashboard.priority.value = "earliest_due"
    dashboard.reset()
    assert dashboard.overrides == {}
    assert dashboard.variant is dashboard.baseline_result


def test_headcount_cannot_go_below_what_one_demand_needs(dashboard):
    # A digital product's build needs 4 developers at once.
    assert dashboard.headcount["developer"].min == 4


def test_save_writes_a_scenario_that_loads_as_the_one_shown(dashboard, tmp_path):
    dashboard.headcount["developer"].value = 40
    dashboard.wip_limit.value = 20
    dashboard.save_name.value = "More developers, WIP 20"
    path = dashboard.save()
    assert path == tmp_path / "more-developers-wip-20.yaml"
    assert "Saved" in dashboard.status.value
    text = path.read_text()
    assert "extends:" in text and "--set roles.developer.headcount=40" in text
    saved = load_scenario(path)
    assert saved.name == "More developers, WIP 20"
    assert saved.roles["developer"].headcount == 40
    assert saved.policy.wip_limit == 20
    shown = apply_overrides(dashboard.baseline, dashboard.overrides)
    assert saved.model_dump(exclude={"name", "description"}) == shown.model_dump(
        exclude={"name", "description"}
    )
    # Nothing is overwritten: saving again makes a second file.
    again = dashboard.save()
    assert again == tmp_path / "more-developers-wip-20-2.yaml"
    assert path.read_text() == text


def test_changes_are_debounced_on_the_event_loop(baseline_path, tmp_path):
    async def room():
        dashboard = whatif_dashboard(baseline_path, replications=REPS, delay=0.2)
        for headcount in range(37, 45):  # a slider dragged across eight positions
            dashboard.headcount["developer"].value = headcount
            await asyncio.sleep(0.01)
        assert dashboard.runs == 1 and "Re-running" in dashboard.status.value
        await asyncio.sleep(0.3)
        while dashboard.runs == 1:
            await asyncio.sleep(0.05)
        assert dashboard.runs == 2  # one re-run, for the last position
        assert dashboard.variant.scenario.roles["developer"].headcount == 44

    asyncio.run(room())


def test_intervals_are_the_simulations_own(dashboard):
    metrics = dashboard.variant.metrics.drop(columns="replication")
    table = intervals(metrics).set_index("metric")
    for metric in ("utilisation.developer", "lead_time_p85", "benefit_total", "backlog_mean"):
        mean, low, high, _, n = mean_interval(metrics[metric])
        row = table.loc[metric]
        assert (row["n"], row["mean"]) == (n, pytest.approx(mean))
        if low == low:
            assert (row["low"], row["high"]) == (pytest.approx(low), pytest.approx(high))
