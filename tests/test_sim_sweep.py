"""Sweeps: what the progress callback is told adds up to the replications run."""

from __future__ import annotations

from pmo_sim.executor import LocalExecutor
from pmo_sim.simulation import load_scenario
from pmo_sim.simulation.sweep import parse_grid, sweep
from tests.conftest import ROOT


def test_progress_counts_replications_and_reaches_the_total():
    # The CLI's bar has total = combinations x replications; it is fed per chunk.
    scenario = load_scenario(
        ROOT / "scenarios/validation/mmc.yaml", ["horizon_weeks=60", "warmup_weeks=0"]
    )
    axes = parse_grid(
        ["roles.server.headcount=5,6", "project_types.job.arrivals.rate_per_week=3,4"]
    )
    fed: list[int] = []
    with LocalExecutor(1) as executor:
        result = sweep(scenario, axes, 3, executor=executor, progress=fed.append)
    assert len(result.points) == 4
    assert sum(fed) == 4 * 3
    assert all(n >= 1 for n in fed)
