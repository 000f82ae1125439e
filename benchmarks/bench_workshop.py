"""What-if dashboard: from a control change to the redrawn charts, against the report's run.

The dashboard is opened on ``scenarios/baseline.yaml`` with its default
(quick) settings and driven on a real asyncio event loop, as in a Jupyter or
Voila kernel: a control is changed and the clock stops when the new charts
and table are in the widgets. That time includes the debounce delay, the
simulation of the new scenario and the drawing. Each change goes to a new
value, so no cached result is reused. The reference, in the same run, is the
same scenario simulated at the report's default settings (30 replications
with detailed tables, worker processes on all cores), printed as a ratio.
Target: a redraw within 1 s on 2 cores.

Run: ``.venv/bin/python benchmarks/bench_workshop.py [--changes 8]``
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import time
from pathlib import Path

from pmo_sim.simulation import load_scenario, simulate
from pmo_sim.widgets import whatif_dashboard
from pmo_sim.widgets.whatif import DEFAULT_DELAY, DEFAULT_REPLICATIONS

ROOT = Path(__file__).resolve().parents[1]
BASELINE = ROOT / "scenarios" / "baseline.yaml"
TARGET_SECONDS = 1.0
REPORT_REPLICATIONS = 30


def _changes(dashboard, n: int):
    """``n`` control changes of the kinds the room makes, each to a value not seen before
    (chosen when the change is made: the next lever depends on where the last one left it)."""
    roles = list(dashboard.headcount)
    for i in range(n):
        if i % 4 == 3:
            yield "WIP limit", dashboard.wip_limit, 20 + i
        elif i % 4 == 2:
            rules = [o[1] for o in dashboard.priority.options if o[1] != dashboard.priority.value]
            yield "priority rule", dashboard.priority, rules[i % len(rules)]
        else:
            role = roles[i % len(roles)]
            slider = dashboard.headcount[role]
            yield f"headcount {role}", slider, slider.value + 1


async def _measure(n: int) -> tuple[list[tuple[str, float, float]], float]:
    started = time.perf_counter()
    dashboard = whatif_dashboard(BASELINE, save_dir=ROOT / "out")
    opened = time.perf_counter() - started
    timings = []
    for label, control, value in _changes(dashboard, n):
        runs = dashboard.runs
        start = time.perf_counter()
        control.value = value
        while dashboard.runs == runs:
            await asyncio.sleep(0.002)
        timings.append((label, time.perf_counter() - start, dashboard.last_seconds))
    return timings, opened


def reference() -> float:
    scenario = load_scenario(BASELINE)
    start = time.perf_counter()
    simulate(scenario, REPORT_REPLICATIONS, 1)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--changes", type=int, default=8, help="control changes to time")
    args = parser.parse_args()

    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    print(f"what-if dashboard on {BASELINE.relative_to(ROOT)}, {cores} cores")
    print(
        f"dashboard defaults: {DEFAULT_REPLICATIONS} replications in-process, "
        f"debounce {DEFAULT_DELAY:.2f} s"
    )
    timings, opened = asyncio.run(_measure(args.changes))
    print(f"opening the dashboard (baseline run and first drawing): {opened:.2f} s")
    print(f"{'change':<38} {'to redraw':>10} {'of which run+draw':>18}")
    for label, total, run in timings:
        print(f"{label:<38} {total:>9.2f}s {run:>17.2f}s")
    totals = [t for _, t, _ in timings]
    median, worst = statistics.median(totals), max(totals)
    ref = reference()
    verdict = "met" if worst <= TARGET_SECONDS else "MISSED"
    print(f"control change to redraw: median {median:.2f} s, worst {worst:.2f} s "
          f"(target {TARGET_SECONDS:.0f} s: {verdict})")  # fmt: skip
    print(
        f"reference, report settings ({REPORT_REPLICATIONS} replications, detail, all cores): "
        f"{ref:.2f} s; ratio reference / dashboard median: {ref / median:.1f}x"
    )


if __name__ == "__main__":
    main()
