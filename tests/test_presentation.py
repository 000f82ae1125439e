"""One presentation layer: scores never cross a tier, numbers read the same everywhere."""

from __future__ import annotations

import dataclasses
import math

import numpy as np
import pandas as pd
import pytest
from conftest import ROOT

from pmo_sim.presentation import (
    band,
    format_value,
    intervals,
    json_clean,
    mean_interval,
    score_text,
    shortfall_text,
    shown_score,
    verdict,
)


@pytest.mark.parametrize(
    ("score", "shown", "short_of_3"),
    [
        (2.996, "2.99", "0.01"),  # rounded it would read "3.00, 0.00 short of tier 3"
        (2.9999, "2.99", "0.01"),
        (2.5, "2.50", "0.50"),
        (2.123456, "2.12", "0.88"),  # 2.12 + 0.88 = 3.00: shown figures add up
        (sum([1 / 3] * 9), "3.00", "0.00"),  # 2.9999999999999996 is 3 at nine decimals
    ],
)
def test_scores_are_truncated_toward_their_tier_and_shortfalls_rounded_up(score, shown, short_of_3):
    assert score_text(score) == shown
    assert shortfall_text(3 - score) == short_of_3
    # the shown score never reaches a tier the score does not
    assert math.floor(shown_score(score)) == math.floor(round(score, 9))


def test_a_missing_score_is_a_dash():
    assert score_text(float("nan")) == score_text(None) == "-"


def test_numbers_by_unit():
    assert format_value(0.8731, "share") == "87.3%"
    assert format_value(0.021, "share", difference=True) == "+2.1 pts"
    assert format_value(-0.0004, "share", difference=True) == "-0.0 pts"
    assert format_value(1_250_000.4, "money") == "1,250,000"
    assert format_value(-2500, "money", difference=True) == "-2,500"
    assert format_value(12.345, "weeks") == "12.3"
    assert format_value(0.0, "weeks", difference=True) == "+0.0"
    assert format_value(math.inf, "weeks") == "-"


def test_verdicts():
    assert verdict(0.1, 2.0, "higher") == "better"
    assert verdict(-2.0, -0.1, "higher") == "worse"
    assert verdict(0.1, 2.0, "lower") == "worse"
    assert verdict(-2.0, -0.1, "lower") == "better"
    assert verdict(0.1, 2.0, "") == "higher"
    assert verdict(-0.1, 2.0, "higher") == "no clear difference"
    assert verdict(math.nan, math.nan, "higher") == "no clear difference"
    with pytest.raises(ValueError):
        verdict(0, 1, "sideways")


def test_chart_bands_are_the_tables_t_interval():
    # Four replications of a weekly series: the band at each week is the t-interval (df 3),
    # t(0.975, 3) = 3.1824, not 1.96.
    rng = np.random.default_rng(7)
    frame = pd.DataFrame({"week": np.repeat([0, 1, 2], 4), "backlog": rng.normal(10, 2, 12)})
    stats = frame.groupby("week")["backlog"].agg(["mean", "std", "count"])
    low, high = band(stats["mean"], stats["std"], stats["count"])
    for week, values in frame.groupby("week")["backlog"]:
        mean, lo, hi, sd, _ = mean_interval(values)
        assert (low[week], high[week]) == (pytest.approx(lo), pytest.approx(hi))
        assert hi - mean == pytest.approx(3.1824 * sd / 2, rel=1e-4)
    wide = intervals(frame.pivot(columns="week", values="backlog").apply(
        lambda c: c.dropna().reset_index(drop=True)))  # fmt: skip
    assert wide["low"].tolist() == pytest.approx(low.tolist())


def test_json_is_plain():
    cleaned = json_clean({"a": np.float64(1.23456789), "b": np.int64(3), "c": [math.nan, 1e400]})
    assert cleaned == {"a": 1.234568, "b": 3, "c": [None, None]}
    assert type(cleaned["b"]) is int


@pytest.fixture(scope="module")
def edge_assessment():
    """A tier-2 assessment whose weakest dimension is at 2.996 and index at 2.9999."""
    from pmo_sim.assessment.workflow import assess_file

    a = assess_file(ROOT / "questionnaires/examples/northgate_long.csv", n_boot=50)
    dims = a.dimensions.copy()
    first = dims.index[dims["dimension"] == a.blocking["dimension"].iloc[0]][0]
    dims.loc[first, "score"] = 2.996
    blocking = a.blocking.copy()
    blocking.loc[0, "score"] = 2.996
    blocking.loc[0, "shortfall"] = round(3 - 2.996, 9)
    return dataclasses.replace(
        a, dimensions=dims, blocking=blocking, index=2.9999, index_interval=(2.996, 2.9999)
    ), str(dims.loc[first, "name"])


def test_terminal_html_and_widget_show_the_same_truncated_scores(edge_assessment):
    from pmo_sim.assessment.summary import format_summary
    from pmo_sim.reporting.assessment_sections import executive_summary
    from pmo_sim.widgets.live import _dimension_table, _headline

    a, name = edge_assessment
    text = format_summary(a)
    html = executive_summary(a)
    widget = _headline(a) + _dimension_table(a)
    for shown in (text, html, widget):
        assert "index 2.99" in shown
        # never a rounded-up 2.996 or 2.9999 (the rule "at least 3.00" is not a score)
        rule_free = shown.replace("at 3.00 or", "").replace("at least 3.00", "")
        assert "3.00" not in rule_free
    assert f"{name}</b>: 2.99, 0.01 short of tier 3" in html
    assert "90% interval 2.99 to\n2.99" in html
    assert f"<td>{name}</td><td style='text-align:right'>2.99</td>" in widget
    [row] = [line for line in text.splitlines() if line.startswith(name[:30]) and "  " in line]
    assert " 2.99 " in row


def test_report_tables_right_align_figures_and_left_align_words_all_escaped():
    from pmo_sim.reporting.assessment_sections import table

    frame = pd.DataFrame(
        {
            "measure": ["mean lead time", "<b>odd</b>"],
            "today": [50.5, float("nan")],
            "difference": ["-4.5 (-8.5 .. -0.5)", "+0.1 pts"],
            "verdict": ["better", None],
            "practice": ["Work is started at once", "- a dash, then words"],
        }
    )
    html = table(frame, floatfmt="{:.1f}")
    assert html.startswith('<table class="pmo-table"><thead><tr><th>measure</th>')
    # today and difference hold figures only (blank cells do not count); the rest are words,
    # "-" followed by a space included.
    assert '<th class="num">today</th><th class="num">difference</th><th>verdict</th>' in html
    assert '<td class="num">50.5</td><td class="num">-4.5 (-8.5 .. -0.5)</td>' in html
    odd = '<td>&lt;b&gt;odd&lt;/b&gt;</td><td class="num"></td><td class="num">+0.1 pts</td>'
    assert odd in html
    assert "<td></td><td>- a dash, then words</td>" in html
    assert "<b>" not in html


def test_capacity_report_names_its_columns_and_roles_in_words():
    from pmo_sim.reporting.capacity_sections import comparison_section, headline
    from pmo_sim.simulation import apply_overrides, load_scenario, simulate

    base = load_scenario(ROOT / "scenarios/baseline.yaml")
    hired = apply_overrides(base, {"roles.developer.headcount": 40})
    results = {
        "Baseline": simulate(base, 2, seed=3, workers=1),
        "More developers": simulate(hired, 2, seed=3, workers=1),
    }
    summary = headline("Acme", results)
    assert "business analyst 16, architect 6," in summary and "business_analyst" not in summary
    compared = comparison_section(results)
    assert '<th class="num">baseline</th><th class="num">this scenario</th>' in compared
    assert "scenario_mean" not in compared
