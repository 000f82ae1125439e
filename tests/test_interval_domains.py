"""Shown interval ends stay within what a metric can be; raw results keep the t-interval."""

# ruff: noqa: F811 (fixtures imported from tests.deliverable_fixtures)

from __future__ import annotations

import io
import math
import re
from dataclasses import replace

import pandas as pd
import pytest

from pmo_sim.cli.tables import interval_text
from pmo_sim.presentation import band, clip_interval, intervals
from pmo_sim.simulation.metrics import describe_metric
from tests.deliverable_fixtures import business_case  # noqa: F401


def test_a_share_of_three_replications_is_shown_from_zero():
    # On-time shares 0, 0, 0.1: mean 0.0333, sd 0.05774, t(0.975, 2) = 4.3027,
    # half-width 4.3027 * 0.05774 / sqrt(3) = 0.1434: the raw interval is -0.1101 to 0.1768.
    raw = intervals(pd.DataFrame({"on_time_share": [0.0, 0.0, 0.1]})).iloc[0]
    assert raw["low"] == pytest.approx(-0.1101, abs=1e-4)
    assert raw["high"] == pytest.approx(0.1768, abs=1e-4)
    assert interval_text("on_time_share", raw["low"], raw["high"]) == "0.0% .. 17.7%"
    # A difference of shares may be negative: not clipped.
    assert interval_text("on_time_share", -0.05, 0.02, difference=True) == "-5.0 pts .. +2.0 pts"


def test_waits_and_per_role_shares_use_their_family_domain():
    assert describe_metric("wait_mean").show_interval(-2.8, 4.0) == ("0.0", "4.0")
    assert describe_metric("utilisation.developer").show_interval(0.9, 1.04) == ("90.0%", "100.0%")
    # Benefits may be negative in a scenario: shown as computed.
    assert describe_metric("benefit_total").show_interval(-500.0, 900.0) == ("-500", "900")


def test_clipping_keeps_missing_ends_and_chart_bands_clip_too():
    low, high = clip_interval(math.nan, -1.0, (0.0, math.inf))
    assert math.isnan(low) and high == 0.0
    lo, hi = band(pd.Series([0.5]), pd.Series([1.0]), pd.Series([3]), domain=(0.0, math.inf))
    # half-width 4.3027 * 1 / sqrt(3) = 2.484
    assert lo.iloc[0] == 0.0 and hi.iloc[0] == pytest.approx(2.984, abs=1e-3)


# The same three replications of a utilisation, 0.9, 1.0 and 1.0: mean 0.96667, sd 0.057735,
# half-width 4.3027 * 0.057735 / sqrt(3) = 0.14342, so the raw interval is 0.8232 to 1.1101.
NEAR_FULL = [0.9, 1.0, 1.0]


def test_whatif_tooltips_write_interval_ends_as_the_tables_do():
    from pmo_sim.widgets.whatif_charts import WhatIfChart

    # Lead times 0, 0, 3: mean 1, sd sqrt(3), half-width 4.3027: raw -3.30 to 5.30.
    # Benefits -100, 0, 100: mean 0, sd 100, half-width 248.4: negative ends are kept.
    runs = pd.DataFrame(
        {
            "utilisation.developer": NEAR_FULL,
            "lead_time_mean": [0.0, 0.0, 3.0],
            "benefit_total": [-100.0, 0.0, 100.0],
        }
    )
    svg = WhatIfChart({"developer": "Developer"}, []).svg(intervals(runs), intervals(runs))
    tips = re.findall(r"<title>([^<]*)</title>", svg)
    assert "Developer, baseline: 96.7% (95% interval 82.3% to 100.0%)" in tips
    assert "mean, what-if: 1.0 weeks (95% interval 0.0 to 5.3 weeks)" in tips
    assert "total, baseline: 0 (95% interval -248 to 248)" in tips


def test_deck_utilisation_whiskers_stop_at_full_utilisation(root):
    from pptx import Presentation
    from pptx.oxml.ns import qn

    from pmo_sim.reporting.deck_capacity import capacity_deck
    from pmo_sim.simulation import SimulationResult, load_scenario, simulate

    run = simulate(load_scenario(root / "scenarios" / "baseline.yaml"), 3, 1, workers=1)
    replications = [
        replace(r, metrics={**r.metrics, "utilisation.developer": u})
        for r, u in zip(run.replications, NEAR_FULL, strict=True)
    ]
    result = SimulationResult(run.scenario, run.seed, run.plan, replications)
    prs = Presentation(io.BytesIO(capacity_deck({"Saturated": result})))
    [chart] = [
        shape.chart
        for slide in prs.slides
        for shape in slide.shapes
        if shape.has_chart and slide.shapes.title.text_frame.text.startswith("Utilisation")
    ]
    series = chart.plots[0].series[0]
    developer = list(run.scenario.roles).index("developer")
    bars = series._element.find(qn("c:errBars"))
    plus, minus = (
        float(bars.find(qn(tag)).findall(f".//{qn('c:pt')}")[developer].find(qn("c:v")).text)
        for tag in ("c:plus", "c:minus")
    )
    assert series.values[developer] == pytest.approx(0.96667, abs=1e-5)
    assert plus == pytest.approx(1 - 0.96667, abs=1e-5)  # to 100%, not to 111%
    assert minus == pytest.approx(0.14342, abs=1e-5)


def test_business_case_utilisation_whiskers_stay_within_0_and_100_percent(business_case):
    from pptx import Presentation
    from pptx.oxml.ns import qn

    from pmo_sim.reporting.deck_business_case import _arms_chart
    from pmo_sim.reporting.slides import Deck

    # The target's whisker is today + the interval of the difference: developers 0.95 +
    # [-0.02, +0.12] = 0.93 to 1.07, shown to 100%; testers 0.50 + [-0.60, +0.10] = -0.10
    # to 0.60, shown from 0%.
    frame = pd.DataFrame(
        {
            "metric": ["utilisation.developer", "utilisation.tester"],
            "measure": ["developer", "tester"],
            "today": [0.95, 0.50],
            "target": [0.97, 0.45],
            "low": [-0.02, -0.60],
            "high": [0.12, 0.10],
        }
    )
    deck = Deck(title="whiskers")
    _arms_chart(deck, business_case, frame, "Utilisation by role", "0%")
    [chart] = [s.chart for s in Presentation(io.BytesIO(deck.to_bytes())).slides[0].shapes
               if s.has_chart]  # fmt: skip
    bars = chart.plots[0].series[1]._element.find(qn("c:errBars"))
    plus, minus = (
        [float(p.find(qn("c:v")).text) for p in bars.find(qn(tag)).findall(f".//{qn('c:pt')}")]
        for tag in ("c:plus", "c:minus")
    )
    assert plus == pytest.approx([1.0 - 0.97, 0.60 - 0.45])
    assert minus == pytest.approx([0.97 - 0.93, 0.45 - 0.0])
