"""Sweep speed-up: 24 combinations x 200 replications of baseline.yaml, 1 vs 2 local workers.

Both runs use the same seed and must give identical tables (checked); the
speed-up is printed (target: at least 1.8x on 2 cores).

Run: ``.venv/bin/python benchmarks/bench_sweep.py [--replications 200]``
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import pandas as pd

from pmo_sim.executor import LocalExecutor
from pmo_sim.simulation import load_scenario
from pmo_sim.simulation.sweep import parse_grid, sweep

ROOT = Path(__file__).resolve().parents[1]
GRID = [
    "roles.developer.headcount=30,34,38,42",
    "policy.wip_limit=15,20,25,30,40,none",
]  # 4 x 6 = 24 combinations


def timed(workers: int, replications: int) -> tuple[float, pd.DataFrame]:
    scenario = load_scenario(ROOT / "scenarios" / "baseline.yaml")
    axes = parse_grid(GRID)
    with LocalExecutor(workers) as executor:
        if workers > 1:  # start the pool outside the timing, as a long session would have it
            list(executor.imap(abs, list(range(workers * 2))))
        start = time.perf_counter()
        table = sweep(scenario, axes, replications, seed=2026, executor=executor).table()
    return time.perf_counter() - start, table


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--replications", type=int, default=200)
    args = parser.parse_args()
    n = 24 * args.replications
    t1, table1 = timed(1, args.replications)
    print(f"1 worker : {t1:7.2f} s  ({n / t1:,.0f} replications/s)", flush=True)
    t2, table2 = timed(2, args.replications)
    print(f"2 workers: {t2:7.2f} s  ({n / t2:,.0f} replications/s)")
    pd.testing.assert_frame_equal(table1, table2, check_exact=True)
    print("tables identical with 1 and 2 workers: yes")
    print(f"speed-up: {t1 / t2:.2f}x (target >= 1.8x on 2 cores)")


if __name__ == "__main__":
    main()
