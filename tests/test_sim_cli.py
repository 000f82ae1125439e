"""``pmo-sim simulate`` and ``pmo-sim compare`` outputs."""

from __future__ import annotations

import json

import pandas as pd

from pmo_sim.simulation import load_scenario


def test_simulate_writes_tables_summary_and_resolved_scenario(cli, root, tmp_path):
    out = tmp_path / "run"
    result = cli(
        "simulate",
        root / "scenarios" / "baseline.yaml",
        "-n",
        "3",
        "-w",
        "1",
        "--set",
        "policy.wip_limit=20",
        "--out",
        out,
    )
    assert result.returncode == 0, result.stderr
    assert "lead_time_mean" in result.stdout and "95% interval" in result.stdout
    projects = pd.read_csv(out / "projects.csv")
    required = [
        "replication",
        "project_id",
        "type",
        "arrival",
        "start",
        "finish",
        "lead_time",
        "wait",
    ]
    assert set(required) <= set(projects.columns)
    assert set(projects.replication) == {0, 1, 2}
    weekly = pd.read_csv(out / "weekly.csv")
    assert list(weekly.columns[:6]) == [
        "replication",
        "week",
        "role",
        "headcount",
        "capacity_fte",
        "busy_fte",
    ]
    assert "utilisation" in weekly.columns
    assert len(weekly) == 3 * 156 * 8
    summary = json.loads((out / "summary.json").read_text())
    metrics = summary["metrics"]
    for name in (
        "throughput_per_year",
        "lead_time_mean",
        "lead_time_p85",
        "wait_mean",
        "utilisation.developer",
        "on_time_share",
        "benefit_total",
        "benefit.revenue_growth",
        "spend",
    ):
        assert {"mean", "low", "high"} <= set(metrics[name]), name
        assert metrics[name]["low"] <= metrics[name]["mean"] <= metrics[name]["high"]
    assert load_scenario(out / "scenario.yaml").policy.wip_limit == 20
    assert not list(out.glob(".*tmp"))  # no temporary files left behind


def test_parquet_beside_the_csv_holds_the_same_table(cli, root, tmp_path):
    from pmo_sim.simulation import load_scenario, simulate

    out = tmp_path / "run"
    done = cli("simulate", root / "scenarios" / "baseline.yaml", "-n", "2", "-w", "1",
               "--seed", "5", "--out", out, "--parquet")  # fmt: skip
    assert done.returncode == 0, done.stderr
    expected = simulate(load_scenario(root / "scenarios" / "baseline.yaml"), 2, 5, workers=1)
    for name, frame in (("projects", expected.projects), ("weekly", expected.weekly_roles)):
        parquet = pd.read_parquet(out / f"{name}.parquet")
        csv = pd.read_csv(out / f"{name}.csv")
        assert list(parquet.columns) == list(frame.columns) == list(csv.columns)
        pd.testing.assert_frame_equal(parquet, frame, check_dtype=False)
        numeric = frame.select_dtypes("number").columns
        pd.testing.assert_frame_equal(csv[numeric], frame[numeric], check_dtype=False)
    assert not (tmp_path / "plain").exists()
    done = cli("simulate", root / "scenarios" / "baseline.yaml", "-n", "2", "-w", "1",
               "--out", tmp_path / "plain")  # fmt: skip
    assert sorted(p.suffix for p in (tmp_path / "plain").iterdir()) == [
        ".csv", ".csv", ".csv", ".csv", ".json", ".yaml"
    ]  # fmt: skip


def test_simulate_json_goes_to_stdout(cli, root):
    result = cli(
        "simulate",
        root / "scenarios" / "validation" / "mmc.yaml",
        "-n",
        "2",
        "--set",
        "horizon_weeks=300",
        "--set",
        "warmup_weeks=50",
        "--format",
        "json",
    )
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["replications"] == 2 and "utilisation.server" in data["metrics"]


def test_compare_files_and_set_variants(cli, root, tmp_path):
    scenarios = root / "scenarios"
    result = cli(
        "compare",
        scenarios / "baseline.yaml",
        scenarios / "hire_developers.yaml",
        "-n",
        "8",
        "--out",
        tmp_path,
    )
    assert result.returncode == 0, result.stderr
    assert "hire_developers vs baseline" in result.stdout
    frame = pd.read_csv(tmp_path / "comparison.csv")
    arrivals = frame.set_index("metric").loc["arrivals"]
    assert arrivals.difference == 0 and arrivals.low == 0  # common random numbers
    util = frame.set_index("metric").loc["utilisation.developer"]
    assert util.high < 0  # four more developers: lower utilisation, beyond doubt
    variants = cli(
        "compare",
        scenarios / "baseline.yaml",
        "--set",
        "policy.priority=wsjf",
        "--set",
        "policy.wip_limit=30; policy.priority=strategic_score",
        "-n",
        "3",
        "--format",
        "json",
    )
    assert variants.returncode == 0, variants.stderr
    labels = {d["scenario"] for d in json.loads(variants.stdout)["differences"]}
    assert labels == {
        "policy.priority=wsjf",
        "policy.wip_limit=30; policy.priority=strategic_score",
    }


def test_compare_needs_something_to_compare(cli, root):
    result = cli("compare", root / "scenarios" / "baseline.yaml")
    assert result.returncode == 2 and "Traceback" not in result.stderr
