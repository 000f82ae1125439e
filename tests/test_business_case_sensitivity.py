"""What the business case hangs on: one-at-a-time sensitivity, tornado data, break-even."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from pmo_sim.business_case import (
    ASSUMPTIONS,
    ClientPosition,
    load_practices,
    run_business_case,
    run_sensitivity,
)
from pmo_sim.business_case.sensitivity import _break_even
from pmo_sim.executor import LocalExecutor
from pmo_sim.simulation import parse_scenario
from tests.test_business_case import team_scenario
from tests.test_business_case_cli import inputs  # noqa: F401  (fixture)

BY_NAME = {a.name: a for a in ASSUMPTIONS}


def test_break_even_is_where_the_difference_crosses_zero_by_hand():
    # Differences -1, +1, +3 at 0.1, 0.2, 0.3: zero at 0.15 (linear between the first two);
    # above it the target is ahead.
    grid = pd.DataFrame({"value": [0.1, 0.2, 0.3], "difference": [-1.0, 1.0, 3.0]})
    point, words = _break_even(BY_NAME["switching_loss"], grid, 1.0, 0.2)
    assert point == pytest.approx(0.15)
    assert words.startswith("The case holds as long as switching loss with 2 demands is above 15%")
    # Falling the other way: ahead below the crossing.
    grid["difference"] = [3.0, 1.0, -1.0]
    point, words = _break_even(BY_NAME["switching_loss"], grid, 1.0, 0.2)
    assert point == pytest.approx(0.25) and "is below 25%" in words
    # No crossing: says so, with the range.
    grid["difference"] = [1.0, 2.0, 3.0]
    point, words = _break_even(BY_NAME["switching_loss"], grid, 2.0, 0.2)
    assert point is None and "whole plausible range" in words and "5%" not in words


@pytest.fixture(scope="module")
def case_and_sensitivity():
    with LocalExecutor(1) as executor:
        case = run_business_case(
            ClientPosition(tier=2, tier_name="", dimension_tiers={}),
            parse_scenario(team_scenario(4)),
            load_practices(),
            target_tier=3,
            replications=4,
            seed=5,
            executor=executor,
        )
        return case, run_sensitivity(case, executor=executor, grid_points=3)


def test_every_applicable_assumption_is_varied_and_sorted_by_swing(case_and_sensitivity):
    case, s = case_and_sensitivity
    # The bundled tiers 2 and 3 both spread people, and tier 3 has a capacity check and a
    # derived WIP limit: every assumption applies.
    assert list(s.table.name) == sorted(
        s.table.name, key=lambda n: -float(s.table.set_index("name").loc[n, "swing"])
    )
    assert set(s.table.name) == set(BY_NAME)
    today = case.results["today"].metrics.benefit_total.to_numpy()
    target = case.results["target"].metrics.benefit_total.to_numpy()
    assert s.base_difference == pytest.approx(float(np.mean(target - today)))
    assert s.grid.value.is_monotonic_increasing and len(s.grid) >= 3
    json.dumps(s.to_dict(), allow_nan=False)  # JSON-ready


def test_benefits_gain_moves_the_difference_exactly_as_arithmetic_says(case_and_sensitivity):
    # Realised benefit is planned benefit x the share; the share changes nothing in the
    # schedule, so the target's benefit at share today + g is its benefit x (today + g) /
    # target share, and the difference follows by hand.
    case, s = case_and_sensitivity
    row = s.table.set_index("name").loc["benefits_gain"]
    today_share = case.scenarios["today"].policy.benefits_realised
    target_share = case.scenarios["target"].policy.benefits_realised
    today = case.results["today"].metrics.benefit_total.to_numpy()
    target = case.results["target"].metrics.benefit_total.to_numpy()
    for g, got in ((row.low, row.difference_low), (row.high, row.difference_high)):
        expected = np.mean(target * (today_share + g) / target_share - today)
        assert got == pytest.approx(expected, rel=1e-9)


def test_cli_sensitivity_writes_the_tornado(cli, inputs, tmp_path):  # noqa: F811
    scenario, assessment = inputs
    out = tmp_path / "out"
    args = ["business-case", "--assessment", assessment, "--scenario", scenario]
    args += ["--target-tier", "3", "-n", "3", "-w", "1", "--sensitivity"]
    result = cli(*args, "--format", "json", "--out", out)
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    names = [row["name"] for row in data["sensitivity"]["assumptions"]]
    assert "switching_loss" in names and data["sensitivity"]["break_even_words"]
    assert (out / "tornado.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert "difference_low" in (out / "sensitivity.csv").read_text(encoding="utf-8")
    table = cli(*args)
    assert "What the answer hangs on" in table.stdout
    assert data["sensitivity"]["break_even_words"] in table.stdout


def test_tiers_that_simulate_alike_have_nothing_to_vary():
    with LocalExecutor(1) as executor:
        case = run_business_case(
            ClientPosition(tier=1, tier_name="", dimension_tiers={}),
            parse_scenario(team_scenario(4)),
            load_practices(),
            target_tier=2,
            replications=2,
            executor=executor,
        )
        s = run_sensitivity(case, executor=executor)
    assert case.same_practices and s.table.empty and s.base_difference == 0
    assert "simulate alike" in s.break_even_words


def test_deck_and_workbook_show_what_the_answer_hangs_on(case_and_sensitivity):
    import io

    from openpyxl import load_workbook
    from pptx import Presentation

    from pmo_sim.reporting.deck_business_case import business_case_deck
    from pmo_sim.reporting.sheets import business_case_workbook

    case, s = case_and_sensitivity
    assert case.sensitivity is s  # kept on the case for the deliverables and the JSON
    assert case.to_dict()["sensitivity"]["break_even_words"] == s.break_even_words
    deck = Presentation(io.BytesIO(business_case_deck(case, "Team")))
    titles = [sl.shapes.title.text for sl in deck.slides if sl.shapes.title is not None]
    slide = deck.slides[titles.index("What the answer hangs on")]
    chart = next(sh.chart for sh in slide.shapes if sh.has_chart)
    assert len(chart.plots[0].categories) == len(s.table)
    text = " ".join(sh.text_frame.text for sh in slide.shapes if sh.has_text_frame)
    as_run = f"{s.base_difference:+,.0f}"  # the benefit difference as run, money format
    assert s.break_even_words in text and f"benefit difference is {as_run};" in text
    book = load_workbook(io.BytesIO(business_case_workbook(case, "Team")))
    sheet = book["what it hangs on"]
    assert sheet.max_row == len(s.table) + 1
    assert book["break-even"]["A2"].value == s.break_even_words


def test_assumption_values_are_written_through_the_units():
    shown = {a.name: (a.show(a.low), a.show(a.high)) for a in ASSUMPTIONS}
    assert shown["switching_loss"] == ("5%", "30%")
    assert shown["max_assignments"] == ("2", "5")
    assert shown["estimate_bias"] == ("1.00", "1.27")
    assert shown["wip_limit"] == ("0.6", "1.4")
    assert shown["capacity_check_weeks"] == ("26", "52")
    # A break-even between grid points: four significant figures, not six.
    assert BY_NAME["capacity_check_weeks"].show(38.666667) == "38.67"
    assert BY_NAME["switching_loss"].show(float("nan")) == "-"


def test_tornado_gives_each_end_its_own_half_row_so_same_side_ends_stay_apart():
    # Base difference 6.0. Switching loss: both ends below the base (4.5 at the low end,
    # 5.6 at the high end), so full-height bars would cover each other; the cap: one end
    # each side. Each end is drawn from the base to its value, low above high.
    from pmo_sim.business_case.sensitivity import Sensitivity
    from pmo_sim.reporting.business_case_sections import tornado_chart

    table = pd.DataFrame(
        {
            "name": ["max_assignments", "switching_loss"],
            "label": ["most demands per person", "switching loss with 2 demands"],
            "base": [3.0, 0.2],
            "low": [2.0, 0.05],
            "high": [5.0, 0.3],
            "difference_low": [4.2, 4.5],
            "difference_high": [10.4, 5.6],
            "swing": [6.2, 1.1],
            "range_words": ["2 to 5", "5% to 30%"],
        }
    )
    fig = tornado_chart(Sensitivity(6.0, table, None, "no crossing"))
    ax = fig.axes[0]
    bars = [(p.get_x(), p.get_width(), p.get_y(), p.get_height()) for p in ax.patches]
    # Drawn bottom row first: switching loss (row 0), then the cap (row 1).
    expected = [(6.0, -1.5, 0.17), (6.0, -0.4, -0.17), (6.0, -1.8, 1.17), (6.0, 4.4, 0.83)]
    assert len(bars) == 4
    for (x, width, y, height), (x0, w0, centre) in zip(bars, expected, strict=True):
        assert x == pytest.approx(x0)
        assert width == pytest.approx(w0)
        assert y + height / 2 == pytest.approx(centre)
        assert height == pytest.approx(0.32)
    # The two halves of a row never overlap.
    assert bars[0][2] >= bars[1][2] + bars[1][3]
    labels = {t.get_text(): t.xy for t in ax.texts if t.get_text() in ("5%", "30%", "2", "5")}
    assert labels["5%"] == pytest.approx((4.5, 0.17))
    assert labels["30%"] == pytest.approx((5.6, -0.17))
    assert labels["5"] == pytest.approx((10.4, 0.83))
    assert any(t.get_text() == "as run: +6" for t in ax.texts)
