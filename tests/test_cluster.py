"""Scale-out on a real Dask cluster: a scheduler and two worker processes on 127.0.0.1.

Cluster results must equal the local executor's for the same seed; a worker
killed mid-sweep costs only its chunks; an unreachable scheduler is a clear
error within seconds.
"""

from __future__ import annotations

import json
import os
import time

import pandas as pd
import pytest

from pmo_sim.cluster import DaskExecutor
from pmo_sim.errors import InputError
from pmo_sim.executor import LocalExecutor, run_all
from pmo_sim.simulation import load_scenario
from pmo_sim.simulation.sweep import parse_grid, sweep
from tests.cluster_fixtures import Cluster, dask_cluster, free_port  # noqa: F401
from tests.conftest import ROOT

pytestmark = pytest.mark.slow

GRID = ["roles.developer.headcount=30,42", "policy.wip_limit=20,none"]


def _pid_square(x: int) -> tuple[int, int]:
    time.sleep(0.05)
    return x * x, os.getpid()


def test_cluster_runs_tasks_on_both_workers_in_task_order(dask_cluster):  # noqa: F811
    tasks = list(range(30))
    with DaskExecutor(scheduler=dask_cluster.address) as ex:
        assert ex.workers == 2
        results = run_all(ex, _pid_square, tasks)
    assert [r[0] for r in results] == [x * x for x in tasks]
    assert len({pid for _, pid in results}) == 2  # both workers took part


def test_sweep_on_the_cluster_equals_the_local_sweep(dask_cluster):  # noqa: F811
    scenario = load_scenario(ROOT / "scenarios" / "baseline.yaml")
    axes = parse_grid(GRID)
    with LocalExecutor(1) as local:
        expected = sweep(scenario, axes, 6, seed=11, executor=local).table()
    with DaskExecutor(scheduler=dask_cluster.address) as ex:
        got = sweep(scenario, axes, 6, seed=11, executor=ex).table()
    pd.testing.assert_frame_equal(got, expected, check_exact=True)
    assert len(got) == 4


def test_unreachable_scheduler_is_a_clear_error_within_seconds():
    address = f"tcp://127.0.0.1:{free_port()}"
    start = time.monotonic()
    with pytest.raises(InputError, match="cannot reach the Dask scheduler"):
        DaskExecutor(scheduler=address)
    assert time.monotonic() - start < 15


def test_cli_with_unreachable_scheduler_exits_2_quickly(cli):
    address = f"tcp://127.0.0.1:{free_port()}"
    start = time.monotonic()
    result = cli("simulate", ROOT / "scenarios/validation/mmc.yaml", "-n", "4",
                 "--scheduler", address)  # fmt: skip
    assert result.returncode == 2
    assert "cannot reach the Dask scheduler" in result.stderr
    assert "Traceback" not in result.stderr
    assert time.monotonic() - start < 30


def test_a_worker_killed_mid_sweep_costs_only_its_chunks():
    cluster = Cluster().start(2)
    try:
        scenario = load_scenario(ROOT / "scenarios" / "baseline.yaml")
        axes = parse_grid(GRID)
        with LocalExecutor(1) as local:
            expected = sweep(scenario, axes, 12, seed=5, executor=local).table()
        killed = []

        def kill_first_worker(_n: int) -> None:
            if not killed:
                Cluster.kill(cluster.workers[0])
                killed.append(True)

        with DaskExecutor(scheduler=cluster.address) as ex:
            got = sweep(scenario, axes, 12, seed=5, executor=ex, progress=kill_first_worker).table()
        assert killed
        assert cluster.workers[0].poll() is not None  # really dead
        pd.testing.assert_frame_equal(got, expected, check_exact=True)
    finally:
        cluster.stop()


def test_sweep_cli_writes_table_heatmap_and_cheapest(cli, tmp_path, dask_cluster):  # noqa: F811
    out = tmp_path / "sweep"
    result = cli(
        "sweep", ROOT / "scenarios/baseline.yaml", "--grid", GRID[0], "--grid", GRID[1],
        "-n", "6", "--seed", "3", "--target", "lead_time_mean<=1000", "--out", out,
        "--scheduler", dask_cluster.address,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    table = pd.read_csv(out / "sweep.csv")
    assert len(table) == 4
    assert {"weekly_cost", "lead_time_mean_mean", "lead_time_mean_low"} <= set(table.columns)
    document = json.loads((out / "sweep.json").read_text())
    # every combination meets a loose target, so the cheapest is the smallest headcount
    assert document["cheapest"]["weekly_cost"] == table["weekly_cost"].min()
    assert (out / "sweep_lead_time_mean.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_batch_runs_on_the_cluster_and_reports_come_back(cli, tmp_path, dask_cluster):  # noqa: F811
    examples = ROOT / "questionnaires" / "examples"
    manifest = tmp_path / "m.yaml"
    manifest.write_text(
        "engagements:\n"
        f"  - {{client: Harbourline, kind: assessment,\n"
        f"      responses: {examples / 'harbourline_long.csv'}}}\n"
        f"  - {{client: Vantor, kind: assessment, responses: {examples / 'vantor_long.csv'}}}\n"
    )
    out = tmp_path / "out"
    result = cli("batch", manifest, "--out", out, "--scheduler", dask_cluster.address)
    assert result.returncode == 0, result.stderr
    for slug, tier in [("harbourline", 1), ("vantor", 3)]:
        assert (out / slug / "assessment.html").exists()
        assert json.loads((out / slug / "assessment.json").read_text())["tier"] == tier
    assert (out / "index.html").exists()
