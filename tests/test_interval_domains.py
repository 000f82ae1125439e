"""Shown interval ends stay within what a metric can be; raw results keep the t-interval."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from pmo_sim.cli.tables import interval_text
from pmo_sim.presentation import band, clip_interval, intervals
from pmo_sim.simulation.metrics import describe_metric


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
