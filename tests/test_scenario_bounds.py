"""Numbers in scenarios are finite and the work they imply is bounded, before anything runs."""

from __future__ import annotations

import time

import pytest

from pmo_sim.cli import main
from pmo_sim.errors import InputError
from pmo_sim.simulation import load_scenario, parse_scenario

SMALL = {
    "horizon_weeks": 10,
    "roles": {"dev": {"headcount": 2, "availability": 1}},
    "project_types": {
        "feature": {
            "arrivals": {"process": "poisson", "rate_per_week": 2, "start_week": 0},
            "phases": [
                {"name": "build", "demands": [{"role": "dev", "effort": 1}] * 2},
                {"name": "test", "demands": [{"role": "dev", "effort": 1}]},
            ],
        }
    },
    "pipeline": [{"id": "P1", "type": "feature", "arrival": 0}],
}


def test_expected_events_by_hand():
    # 2 arrivals/week x 10 weeks x 3 demands + 1 pipeline project x 3 demands = 63.
    assert parse_scenario(SMALL).expected_events() == pytest.approx(63)
    arrivals_end = {"project_types.feature.arrivals.end_week": 4}
    # arrivals on for 4 weeks only: 2 x 4 x 3 + 3 = 27.
    assert parse_scenario(SMALL, arrivals_end).expected_events() == pytest.approx(27)


def test_max_events_is_the_explicit_override():
    with pytest.raises(InputError, match="implies about 63 demands per replication"):
        parse_scenario(SMALL, {"max_events": 62})
    assert parse_scenario(SMALL, {"max_events": 63}).max_events == 63


@pytest.mark.parametrize(
    ("override", "message"),
    [
        ("horizon_weeks=.inf", "horizon_weeks (from --set): Input should be a finite number"),
        ("horizon_weeks=1000000000", "less than or equal to 5200"),
        ("horizon_weeks=.nan", "finite number"),
        ("project_types.digital_product.arrivals.rate_per_week=1e6", "demands per replication"),
        ("project_types.digital_product.arrivals.rate_per_week=.inf", "finite number"),
        ("project_types.digital_product.arrivals.every_weeks=.inf", "finite number"),
        ("roles.developer.headcount=.inf", "roles.developer.headcount (from --set)"),
        ("roles.developer.weekly_cost=.inf", "roles.developer.weekly_cost (from --set)"),
        ("objectives.revenue_growth.weight=.nan", "finite number"),
        ("policy.budget_per_quarter=.inf", "finite number"),
        ("max_events=.inf", "finite number"),
    ],
)
def test_absurd_numbers_exit_2_within_seconds(root, capsys, override, message):
    start = time.perf_counter()
    code = main(["simulate", str(root / "scenarios/baseline.yaml"), "--set", override])
    err = capsys.readouterr().err
    assert code == 2, err
    assert time.perf_counter() - start < 5
    assert message in err and "scenarios/baseline.yaml" in err and "Traceback" not in err


def test_infinite_numbers_in_the_file_are_found_with_their_line(tmp_path):
    path = tmp_path / "s.yaml"
    path.write_text(
        "horizon_weeks: .inf\n"
        "roles:\n  dev: {headcount: .inf, availability: 1, weekly_cost: .inf}\n"
        "project_types:\n  f:\n    arrivals: {process: poisson, rate_per_week: .inf}\n"
        "    phases: [{name: a, demands: [{role: dev, effort: 1}]}]\n",
        "utf-8",
    )
    with pytest.raises(InputError) as info:
        load_scenario(path)
    assert [p.location for p in info.value.problems] == [
        "horizon_weeks (line 1)",
        "roles.dev.headcount (line 3)",
        "roles.dev.weekly_cost (line 3)",
        "project_types.f.arrivals.rate_per_week (line 6)",
    ]


def test_one_infinite_headcount_does_not_hide_the_other_files(root, tmp_path, capsys):
    bad = tmp_path / "bad.yaml"
    bad.write_text("extends: " + str(root / "scenarios/baseline.yaml") +
                   "\nroles:\n  developer: {headcount: .inf}\n", "utf-8")  # fmt: skip
    worse = tmp_path / "worse.yaml"
    worse.write_text("horizon_weeks: [\n", "utf-8")
    assert main(["validate", str(bad), str(worse)]) == 2
    err = capsys.readouterr().err
    assert "bad.yaml, roles.developer.headcount (line 3)" in err and "worse.yaml" in err
    assert main(["compare", str(bad), str(root / "scenarios/baseline.yaml")]) == 2
    assert "roles.developer.headcount" in capsys.readouterr().err


def test_business_case_refuses_an_absurd_scenario(root, tmp_path, capsys):
    scenario = tmp_path / "s.yaml"
    scenario.write_text(
        "extends: " + str(root / "scenarios/baseline.yaml") + "\nhorizon_weeks: 1000000000\n",
        "utf-8",
    )
    args = [
        "business-case",
        "--assessment",
        str(root / "questionnaires/examples/northgate_long.csv"),
    ]
    assert main([*args, "--scenario", str(scenario)]) == 2
    assert "horizon_weeks (line 2)" in capsys.readouterr().err
