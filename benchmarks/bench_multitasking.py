"""Multitasking speed: baseline.yaml x 100 replications with and without resource spreading.

Run as ``.venv/bin/python benchmarks/bench_multitasking.py`` (``make bench``). Target
(issue 12): the multitasking model (``policy.multitasking``, people on up to 3 demands,
Weinberg's switching loss) within 2x of today's model on the same 100 replications of
``scenarios/baseline.yaml``, in the same run. Each timing is the best of three rounds,
taken alternately, because the machine may be shared; both use the same worker pool,
already started, so process start-up is in neither.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from pmo_sim.executor import LocalExecutor, default_workers
from pmo_sim.simulation import apply_overrides, load_scenario, simulate
from pmo_sim.simulation.plan import compile_plan
from pmo_sim.simulation.replications import run_replication

ROOT = Path(__file__).resolve().parents[1]
REPLICATIONS = 100
TARGET = 2.0
ROUNDS = 3


def _timed(scenario, executor) -> tuple[float, int, float]:
    start = time.perf_counter()
    result = simulate(scenario, REPLICATIONS, seed=1, executor=executor, detail=False)
    elapsed = time.perf_counter() - start
    return (
        elapsed,
        int(result.metrics.finished.sum()),
        float(result.metrics.throughput_per_year.mean()),
    )


def _in_process(scenario) -> float:
    plan = compile_plan(scenario)
    start = time.perf_counter()
    for r in range(REPLICATIONS):
        run_replication(plan, 1, r, detail=True)
    return time.perf_counter() - start


def main() -> int:
    """Time both models on the same replications and print the ratio against the target."""
    workers = min(2, default_workers())
    today = load_scenario(ROOT / "scenarios" / "baseline.yaml")
    spread = apply_overrides(today, {"policy.multitasking": {"max_assignments": 3}})
    with LocalExecutor(workers) as executor:
        simulate(today, 2 * workers, seed=9, executor=executor, detail=False)  # warm the pool
        times: dict[str, list[float]] = {"today": [], "multitasking": []}
        info = {}
        for _ in range(ROUNDS):
            for label, scenario in (("today", today), ("multitasking", spread)):
                elapsed, finished, per_year = _timed(scenario, executor)
                times[label].append(elapsed)
                info[label] = (finished, per_year)
    serial: dict[str, list[float]] = {"today": [], "multitasking": []}
    for _ in range(ROUNDS):
        serial["today"].append(_in_process(today))
        serial["multitasking"].append(_in_process(spread))
    best = {k: min(v) for k, v in times.items()}
    ratio = best["multitasking"] / best["today"]
    print(f"baseline.yaml x {REPLICATIONS} replications on {workers} worker(s), best of {ROUNDS}:")
    for label in ("today", "multitasking"):
        finished, per_year = info[label]
        print(
            f"  {label + ' model:':20s} {best[label]:5.2f} s  "
            f"({finished:,} projects finished, {per_year:.1f} a year)"
        )
    verdict = "ok" if ratio <= TARGET else "SLOWER THAN TARGET"
    print(f"  ratio multitasking / today: {ratio:.2f}x (target <= {TARGET:g}x): {verdict}")
    one = {k: min(v) for k, v in serial.items()}
    print(
        f"in this process, one core, with the weekly tables: today {one['today']:.2f} s, "
        f"multitasking {one['multitasking']:.2f} s, ratio {one['multitasking'] / one['today']:.2f}x"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
