"""The capacity what-if dashboard without a browser: levers, multitasking, re-runs, saving."""

from __future__ import annotations

import asyncio
import html
import re

import pytest

from pmo_sim.presentation import intervals
from pmo_sim.simulation import apply_overrides, load_scenario, mean_interval, simulate
from pmo_sim.simulation.overrides import parse_override
from pmo_sim.simulation.scenario import Multitasking
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


# -- multitasking: the toggle, the cap and the switching loss -------------------------------

WEINBERG = [0.0, 0.2, 0.4, 0.6, 0.75]


def _set_lines(dashboard) -> list[str]:
    view = html.unescape(re.sub(r"<[^>]+>", "\n", dashboard.overrides_view.value))
    return [line.removeprefix("--set ") for line in view.splitlines() if line.startswith("--set")]


@pytest.fixture
def spread_path(baseline_path, tmp_path):
    """The baseline with people already spread over up to 3 demands, losing 10% with two."""
    path = tmp_path / "spread.yaml"
    path.write_text(
        f"extends: {baseline_path}\nname: Spread\n"
        "policy:\n  multitasking: {max_assignments: 3, switching_loss: [0, 0.1, 0.3]}\n"
    )
    return path


def test_multitasking_controls_start_from_the_scenario(dashboard, spread_path, tmp_path):
    mt = dashboard.multitasking
    # The baseline is single-tasking: off, showing the defaults it would turn on.
    assert not mt.enabled.value
    assert (mt.max_assignments.value, mt.loss_two.value) == (5, 0.2)
    assert mt.max_assignments.disabled and mt.loss_two.disabled
    assert "one demand at a time" in mt.curve_view.value
    spread = whatif_dashboard(spread_path, replications=REPS, delay=0, save_dir=tmp_path)
    spread = spread.multitasking
    assert spread.enabled.value and not spread.loss_two.disabled
    assert (spread.max_assignments.value, spread.loss_two.value) == (3, 0.1)
    assert spread.max_assignments.options[0] == ("no cap", 0)
    assert "0.0%, 10.0%, 30.0% (the scenario's curve" in html.unescape(spread.curve_view.value)


def test_turning_multitasking_on_and_off(dashboard):
    dashboard.multitasking.enabled.value = True
    expected = {"max_assignments": 5, "switching_loss": WEINBERG}
    assert dashboard.overrides == {"policy.multitasking": expected}
    assert dashboard.variant.scenario.policy.multitasking == Multitasking(**expected)
    assert dashboard.baseline_result.scenario.policy.multitasking is None
    # The "what changed" line is one --set the CLI reads back as the same override.
    [line] = _set_lines(dashboard)
    assert parse_override(line) == ("policy.multitasking", expected)
    table = dashboard.differences.value
    assert "time lost to switching: Software developer" in table
    dashboard.multitasking.enabled.value = False
    assert dashboard.overrides == {}
    assert dashboard.variant is dashboard.baseline_result
    assert "time lost to switching" not in dashboard.differences.value


def test_switching_loss_is_bounded_by_the_curve(dashboard):
    # Up to 2 demands per person, 30% lost with two: a person loses 0 or 30% of the time,
    # so each role's share of busy time lost lies between the two.
    mt = dashboard.multitasking
    mt.enabled.value = True
    mt.max_assignments.value = 2
    mt.loss_two.value = 0.3
    assert dashboard.variant.scenario.policy.multitasking.switching_loss[:2] == [0.0, 0.3]
    lost = dashboard.variant.metrics.filter(like="switching_loss.")
    assert len(lost.columns) == len(dashboard.baseline.roles)
    assert ((lost >= 0) & (lost <= 0.3)).all().all()
    assert 0 < _mean(dashboard.variant, "switching_loss.developer") < 0.3
    # Single-tasking loses nothing: the baseline column reads 0.0% for the developers.
    row = re.search(r"switching: Software developer</td>(.*?)</tr>", dashboard.differences.value)
    assert re.findall(r">([^<]+)</td>", row.group(1))[0] == "0.0%"
    # One demand per person never switches: nothing lost, whatever the curve says of two.
    mt.max_assignments.value = 1
    lost = dashboard.variant.metrics.filter(like="switching_loss.")
    assert (lost.fillna(0) == 0).all().all()
    assert "time lost to switching:" not in dashboard.differences.value


def test_changing_a_scenario_that_already_spreads_people(spread_path, tmp_path):
    dashboard = whatif_dashboard(spread_path, replications=REPS, delay=0, save_dir=tmp_path)
    mt = dashboard.multitasking
    assert dashboard.overrides == {}
    mt.max_assignments.value = 0
    # 20% lost with two instead of 10%: the scenario's curve [0, 0.1, 0.3] times 2.
    mt.loss_two.value = 0.2
    assert dashboard.overrides == {
        "policy.multitasking.max_assignments": None,
        "policy.multitasking.switching_loss": [0.0, 0.2, 0.6],
    }
    assert "x 2.00" in mt.curve_view.value
    assert dashboard.variant.scenario.policy.multitasking == Multitasking(
        max_assignments=None, switching_loss=[0.0, 0.2, 0.6]
    )
    mt.enabled.value = False
    assert dashboard.overrides == {"policy.multitasking": None}
    assert _set_lines(dashboard) == ["policy.multitasking=none"]
    assert dashboard.variant.scenario.policy.multitasking is None
    # The baseline still loses time to switching: its rows stay, the what-if's read 0.0%.
    assert "time lost to switching: Software developer" in dashboard.differences.value
    dashboard.reset()
    assert dashboard.overrides == {} and mt.enabled.value and mt.loss_two.value == 0.1


def test_saved_multitasking_reloads_as_shown(dashboard, spread_path, tmp_path):
    mt = dashboard.multitasking
    mt.enabled.value = True
    mt.max_assignments.value = 3
    mt.loss_two.value = 0.3
    path = dashboard.save()
    assert path == tmp_path / "what-if-multitasking.yaml"
    assert "--set policy.multitasking={max_assignments: 3" in path.read_text()
    # Weinberg's curve times 1.5, the fifth entry held at 95%.
    assert load_scenario(path).policy.multitasking == Multitasking(
        max_assignments=3, switching_loss=[0.0, 0.3, 0.6, 0.9, 0.95]
    )
    # One field changed on a scenario that extends another: the rest of its setting is kept.
    spread = whatif_dashboard(spread_path, replications=REPS, delay=0, save_dir=tmp_path)
    spread.multitasking.max_assignments.value = 2
    saved = load_scenario(spread.save())
    assert saved.policy.multitasking == Multitasking(
        max_assignments=2, switching_loss=[0.0, 0.1, 0.3]
    )
