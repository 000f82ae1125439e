"""Validation 6e and common random numbers: same seed, same bytes; variants see the same demand."""

from __future__ import annotations

import numpy as np

from pmo_sim.simulation import compare, load_scenario, simulate
from pmo_sim.simulation.plan import compile_plan
from pmo_sim.simulation.replications import estimated_seconds, plan_chunks
from pmo_sim.simulation.streams import replication_seed

TABLES = ("projects", "weekly", "portfolio", "benefits")
OUTPUTS = (*(f"{t}.{kind}" for t in TABLES for kind in ("csv", "parquet")), "summary.json")


def test_same_seed_gives_identical_files_with_one_and_two_workers(cli, root, tmp_path):
    scenario = root / "scenarios" / "baseline.yaml"
    plan = compile_plan(load_scenario(scenario))
    assert len(plan_chunks(6, estimated_seconds(plan), 2)) >= 2  # really split over workers
    for workers in ("1", "2"):
        result = cli(
            "simulate",
            scenario,
            "-n",
            "6",
            "--seed",
            "42",
            "-w",
            workers,
            "--out",
            tmp_path / workers,
            "--parquet",
        )
        assert result.returncode == 0, result.stderr
    for name in OUTPUTS:
        assert (tmp_path / "1" / name).read_bytes() == (tmp_path / "2" / name).read_bytes(), name


def test_replication_seed_is_the_spawned_child():
    children = np.random.SeedSequence(7).spawn(4)
    for i, child in enumerate(children):
        assert (replication_seed(7, i).generate_state(4) == child.generate_state(4)).all()


def test_a_replication_does_not_depend_on_how_many_run(root):
    scenario = load_scenario(root / "scenarios" / "baseline.yaml")
    three = simulate(scenario, 3, seed=8, workers=1).metrics
    five = simulate(scenario, 5, seed=8, workers=1).metrics
    assert three.equals(five.iloc[:3])


def test_variants_see_the_same_arrivals_efforts_and_benefits(root):
    base = load_scenario(root / "scenarios" / "baseline.yaml")
    wsjf = load_scenario(root / "scenarios" / "priority_wsjf.yaml")
    a = simulate(base, 2, seed=3, workers=1).projects.set_index(["replication", "project_id"])
    b = simulate(wsjf, 2, seed=3, workers=1).projects.set_index(["replication", "project_id"])
    assert a.index.equals(b.index)
    for column in ("arrival", "effort", "benefit_per_week", "due"):
        assert a[column].equals(b[column]), column
    assert not a.start.equals(b.start)  # the policy did change who went first


def test_comparing_a_scenario_with_itself_gives_exactly_zero(root):
    scenario = load_scenario(root / "scenarios" / "baseline.yaml")
    runs = {
        "a": simulate(scenario, 3, seed=4, workers=1, detail=False),
        "b": simulate(scenario, 3, seed=4, workers=1, detail=False),
    }
    frame = compare(runs).dropna(subset=["difference"])
    assert (frame.difference == 0).all() and (frame.low == 0).all() and (frame.high == 0).all()
