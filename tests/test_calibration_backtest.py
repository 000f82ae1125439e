"""Calibrating a history generated from a known process: recovery, the scenario file, the backtest.

The truth: two project types arriving as Poisson processes, efforts
lognormal and gamma, 26 developers at 80% and 4 analysts at 70%; three
years of it recorded as a PPM export would (open projects at the export
date are censored), with timesheets and a resource list. Tolerances are
three standard errors from sampling theory for the sample sizes that the
history gives (about 140 and 30 projects per type):

- a Poisson rate over T weeks: SE = sqrt(rate / T);
- a lognormal mean by maximum likelihood (delta method):
  SE(log mean) = sqrt(s2 / n + s2^2 / (2 n)), s2 = log(1 + CV^2);
- a gamma mean: SE = sd / sqrt(n);

with n the *finished* projects only (open ones add information, so this is
conservative).
"""

from __future__ import annotations

import math

import pandas as pd
import pytest

from pmo_sim.calibration import backtest, calibrate, commented_yaml, load_history
from pmo_sim.calibration.synthetic import synthetic_history
from pmo_sim.simulation import load_scenario, parse_scenario

TRUTH = {
    "name": "truth",
    "horizon_weeks": 156,
    "roles": {
        "developer": {"headcount": 26, "availability": 0.8, "weekly_cost": 2400},
        "analyst": {"headcount": 4, "availability": 0.7, "weekly_cost": 2000},
    },
    "project_types": {
        "platform": {
            "arrivals": {"process": "poisson", "rate_per_week": 0.25},
            "phases": [{"name": "delivery", "demands": [
                {"role": "developer", "people": 2,
                 "effort": {"dist": "lognormal", "mean": 40, "sd": 16}},
                {"role": "analyst", "people": 1, "effort": {"dist": "gamma", "mean": 6, "sd": 3}},
            ]}],
        },
        "feature": {
            "arrivals": {"process": "poisson", "rate_per_week": 0.8},
            "phases": [{"name": "delivery", "demands": [
                {"role": "developer", "people": 1,
                 "effort": {"dist": "lognormal", "mean": 8, "sd": 4}},
            ]}],
        },
    },
}  # fmt: skip


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    """The generated history, timesheets and resource list as CSV files."""
    folder = tmp_path_factory.mktemp("client")
    made = synthetic_history(parse_scenario(TRUTH), seed=7)
    made.projects.to_csv(folder / "history.csv", index=False)
    made.timesheets.to_csv(folder / "timesheets.csv", index=False)
    made.resources.to_csv(folder / "resources.csv", index=False)
    return folder, made.as_of


@pytest.fixture(scope="module")
def fitted(files):
    folder, as_of = files
    history = load_history(
        folder / "history.csv",
        timesheets=folder / "timesheets.csv",
        resources=folder / "resources.csv",
        as_of=as_of,
    )
    return calibrate(history)


def _fit(fitted, type_id, role):
    return next(f for f in fitted.efforts if f.type == type_id and f.role == role)


def test_some_projects_are_open_and_kept_as_censored(fitted):
    status = fitted.history.projects["status"].value_counts()
    assert status["open"] >= 5 and status["done"] > 100
    assert sum(f.n_censored for f in fitted.efforts) >= 5


@pytest.mark.parametrize(("type_id", "rate"), [("platform", 0.25), ("feature", 0.8)])
def test_arrival_rates_recovered_within_three_standard_errors(fitted, type_id, rate):
    fit = next(a for a in fitted.arrivals if a.type == type_id)
    assert abs(fit.rate_per_week - rate) < 3 * math.sqrt(rate / fit.weeks)
    assert not fit.over_dispersed


@pytest.mark.parametrize(
    ("type_id", "role", "mean", "sd", "family"),
    [("platform", "developer", 40, 16, "lognormal"), ("feature", "developer", 8, 4, "lognormal"),
     ("platform", "analyst", 6, 3, "gamma")],
)  # fmt: skip
def test_effort_means_recovered_within_three_standard_errors(
    fitted, type_id, role, mean, sd, family
):
    fit = _fit(fitted, type_id, role)
    assert fit.method == "mle" and fit.ks_pvalue > 0.05
    n = fit.n
    if family == "lognormal":
        s2 = math.log1p((sd / mean) ** 2)
        se = math.sqrt(s2 / n + s2**2 / (2 * n))
        assert abs(math.log(fit.mean / mean)) < 3 * se
    else:
        assert abs(fit.mean - mean) < 3 * sd / math.sqrt(n)


def test_roles_and_people_per_demand_recovered(fitted):
    roles = {r.role: r for r in fitted.roles}
    assert (roles["developer"].headcount, roles["analyst"].headcount) == (26, 4)
    # Availability from timesheets: 1 - non-project hours / contracted hours, exactly.
    assert roles["developer"].availability == pytest.approx(0.8, abs=0.002)
    assert roles["analyst"].availability == pytest.approx(0.7, abs=0.002)
    assert roles["developer"].weekly_cost == 2400
    people = {k: v[0] for k, v in fitted.people.items()}
    assert people == {("platform", "delivery", "analyst"): 1,
                      ("platform", "delivery", "developer"): 2,
                      ("feature", "delivery", "developer"): 1}  # fmt: skip


def test_scenario_yaml_loads_back_and_every_fitted_number_says_where_it_came_from(fitted, tmp_path):
    text = commented_yaml(fitted.data, fitted.comments, "fitted")
    path = tmp_path / "scenario.yaml"
    path.write_text(text, encoding="utf-8")
    assert load_scenario(path) == fitted.scenario
    lines = text.splitlines()
    efforts = [line for line in lines if line.strip().startswith("effort:")]
    assert len(efforts) == 3 and all("# n=" in line and "KS D=" in line for line in efforts)
    rates = [line for line in lines if "rate_per_week" in line]
    assert len(rates) == 2 and all("Poisson MLE, 95%" in line for line in rates)
    for key in ("headcount:", "availability:", "people:"):
        assert all("  # " in line for line in lines if line.strip().startswith(key))


def test_backtest_puts_the_actual_figures_inside_the_simulated_bands(fitted):
    result = backtest(fitted, replications=200, seed=1)
    figures = result.figures
    assert set(figures["group"]) >= {"throughput", "WIP", "lead time", "utilisation developer"}
    lead = figures[figures["group"] == "lead time"]
    assert lead["inside"].all()
    assert figures["inside"].mean() >= 0.8  # 90% expected; a binomial tail allows a few misses
    assert result.reproduces and "reproduces the history" in result.verdict()


def test_backtest_says_so_when_the_scenario_does_not_reproduce_the_history(fitted):
    halved = {**fitted.data, "roles": {r: {**v, "headcount": max(1, v["headcount"] // 3)}
                                       for r, v in fitted.data["roles"].items()}}  # fmt: skip
    wrong = type(fitted)(**{**fitted.__dict__, "data": halved})
    result = backtest(wrong, replications=50, seed=1)
    assert not result.reproduces
    assert "does NOT reproduce" in result.verdict()


def test_calibrate_command_writes_the_scenario_and_report(files, cli, tmp_path):
    folder, as_of = files
    out = tmp_path / "out"
    run = cli(
        "calibrate", folder / "history.csv", "--timesheets", folder / "timesheets.csv",
        "--resources", folder / "resources.csv", "--as-of", as_of.date().isoformat(),
        "--out", out, "-n", "60",
    )  # fmt: skip
    assert run.returncode == 0, run.stderr
    assert "reproduces the history" in run.stdout
    assert sorted(p.name for p in out.iterdir()) == [
        "backtest.csv",
        "calibration.html",
        "fits.csv",
        "scenario.yaml",
    ]
    load_scenario(out / "scenario.yaml")
    page = (out / "calibration.html").read_text(encoding="utf-8")
    assert "Backtest" in page and page.count("data:image/png;base64,") == 4


def test_calibrate_command_bad_rows_exit_2_with_row_and_column(cli, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "project_id,type,created,start,finish,status,effort_unit,actual_effort\n"
        "X-1,change,2024-01-08,2024-03-01,2024-02-01,done,hours,10\n"
        "X-2,change,2024-01-08,2024-01-09,2024-02-01,done,fortnights,1\n"
        "X-3,change,2024-01-08,2024-01-09,2024-02-01,done,hours,-4\n",
        encoding="utf-8",
    )
    run = cli("calibrate", bad, "--out", tmp_path / "out")
    assert run.returncode == 2
    assert "Traceback" not in run.stderr
    assert "bad.csv: 3 problems" in run.stderr
    for where in ("row 2, column 'finish'", "row 3, column 'effort_unit'",
                  "row 4, column 'actual_effort'"):  # fmt: skip
        assert where in run.stderr
    assert not (tmp_path / "out").exists()


def test_calibrate_refuses_an_unusable_out_with_the_history_problems_before_fitting(cli, tmp_path):
    # --out is a file and the history has a bad row: both reported at once, exit 2, before
    # any fitting or backtest (a file as --out used to fail at the very end, with a traceback).
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "project_id,type,created,start,finish,status,effort_unit,actual_effort\n"
        "X-1,change,2024-01-08,2024-03-01,2024-02-01,done,hours,10\n",
        encoding="utf-8",
    )
    out = tmp_path / "out.txt"
    out.write_text("keep me", encoding="utf-8")
    run = cli("calibrate", bad, "--out", out)
    assert run.returncode == 2, run.stderr
    assert "Traceback" not in run.stderr
    assert "2 files" in run.stderr and "row 2, column 'finish'" in run.stderr
    assert "--out: this is a file; give a folder for the outputs" in run.stderr
    assert out.read_text(encoding="utf-8") == "keep me"


def test_hostile_text_from_the_export_stays_text_in_yaml_and_html(files, tmp_path):
    from pmo_sim.reporting.calibration_report import calibration_page

    folder, as_of = files
    table = pd.read_csv(folder / "history.csv", dtype=str, keep_default_na=False)
    evil = 'Evil\n# headcount: 999\nroles: {x: 1} <script>alert("x")</script>'
    table.loc[table["status"] == "open", "name"] = evil
    path = tmp_path / "a<b>.csv"
    table.to_csv(path, index=False)
    fitted = calibrate(load_history(path, as_of=as_of))
    assert any(p["name"] == evil for p in fitted.data["pipeline"])
    yaml_path = tmp_path / "scenario.yaml"
    yaml_path.write_text(commented_yaml(fitted.data, fitted.comments), encoding="utf-8")
    assert load_scenario(yaml_path) == fitted.scenario  # the name is a quoted string, nothing more
    page = calibration_page(fitted, None)
    assert "a&lt;b&gt;.csv" in page and "<b>.csv" not in page


def test_without_effort_in_the_history_the_timesheets_give_it(files, fitted, tmp_path):
    folder, as_of = files
    table = pd.read_csv(folder / "history.csv", dtype=str, keep_default_na=False)
    bare = table[[c for c in table.columns if "effort" not in c]]
    bare.to_csv(tmp_path / "bare.csv", index=False)
    history = load_history(
        tmp_path / "bare.csv", timesheets=folder / "timesheets.csv",
        resources=folder / "resources.csv", as_of=as_of,
    )  # fmt: skip
    assert any("Effort per role from the timesheets" in n for n in history.notes)
    booked = history.efforts.set_index(["project_id", "role"])["actual"]
    recorded = fitted.history.efforts.set_index(["project_id", "role"])["actual"]
    recorded = recorded[recorded > 0]
    # The timesheets book each project's effort week by week, to 0.1 hour per week.
    assert booked.reindex(recorded.index).to_numpy() == pytest.approx(recorded.to_numpy(), abs=0.1)


def test_planned_benefits_and_objectives_give_the_value_section(files, tmp_path):
    import numpy as np

    folder, as_of = files
    table = pd.read_csv(folder / "history.csv", dtype=str, keep_default_na=False)
    rng = np.random.default_rng(4)
    s2 = math.log1p(0.5**2)  # yearly benefit lognormal: mean 52,000, CV 0.5
    table["planned_benefit"] = rng.lognormal(math.log(52_000) - s2 / 2, math.sqrt(s2), len(table))
    table["objective"] = ["Grow revenue" if i % 4 else "Stay compliant" for i in range(len(table))]
    table.to_csv(tmp_path / "valued.csv", index=False)
    fitted = calibrate(load_history(tmp_path / "valued.csv", as_of=as_of))
    feature = fitted.data["project_types"]["feature"]["value"]
    n = int((fitted.history.delivered["type"] == "feature").sum())
    se = math.sqrt(s2 / n + s2**2 / (2 * n))  # lognormal mean by MLE, log scale
    assert abs(math.log(feature["benefit_per_week"]["mean"] / 1000)) < 3 * se
    expected = fitted.history.delivered.query("type == 'feature'")["objective"]
    share = (expected == "Grow revenue").mean()
    assert feature["alignment"]["grow_revenue"] == pytest.approx(share, abs=1e-3)
    compliant = fitted.data["objectives"]["stay_compliant"]
    assert compliant == {"weight": 1.0, "description": "Stay compliant"}
    text = commented_yaml(fitted.data, fitted.comments)
    assert "planned benefit per year / 52" in text
    path = tmp_path / "scenario.yaml"
    path.write_text(text, encoding="utf-8")
    assert load_scenario(path) == fitted.scenario


def test_a_later_window_counts_arrivals_from_there_and_starts_from_its_wip(fitted):
    from dataclasses import replace

    start = fitted.history.start + pd.Timedelta(weeks=52)
    later = calibrate(replace(fitted.history, window_from=start))
    for fit in later.arrivals:
        rate = {"platform": 0.25, "feature": 0.8}[fit.type]
        assert fit.weeks == pytest.approx(fitted.history.window_weeks - 52, abs=0.2)
        assert abs(fit.rate_per_week - rate) < 3 * math.sqrt(rate / fit.weeks)
        assert fit.first >= start
    result = backtest(later, replications=100, seed=1)
    first_wip = result.figures.query("group == 'WIP'").iloc[0]
    assert first_wip["low"] > 0  # the backtest starts from the projects running at week 52
    assert result.reproduces


def test_same_seed_same_backtest_and_same_scenario_text(fitted):
    first = backtest(fitted, replications=40, seed=3)
    second = backtest(fitted, replications=40, seed=3)
    pd.testing.assert_frame_equal(first.figures, second.figures)
    again = calibrate(fitted.history)
    assert commented_yaml(again.data, again.comments) == commented_yaml(
        fitted.data, fitted.comments
    )
