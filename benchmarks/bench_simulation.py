"""Simulation speed: the model against a bare SimPy M/M/c loop, and baseline x 100 replications.

Run as ``.venv/bin/python benchmarks/bench_simulation.py`` (``make bench``). Targets
(issue 4): the model within 1.5x of bare SimPy on the same number of M/M/c jobs, and
100 replications of ``scenarios/baseline.yaml`` in under 5 s on a 2-core machine.
Target (issue 15): the whole ``pmo-sim simulate ... --out DIR`` process on 300,000
projects (start-up, reading the scenario, simulating, writing every table) within 1.5x
of the bare SimPy loop on as many jobs, timed in the same run.
Each timing is the best of two rounds, taken alternately, because the machine
may be shared; CPU seconds are printed beside wall seconds for the same reason.
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import simpy

from pmo_sim.executor import default_workers
from pmo_sim.simulation import load_scenario, mmc_wait, simulate
from pmo_sim.simulation.model import paused_gc
from pmo_sim.simulation.plan import compile_plan
from pmo_sim.simulation.replications import run_replication

ROOT = Path(__file__).resolve().parents[1]
# Scenarios are bounded to 100 years (5,200 weeks), so the queue is scaled up rather than run
# longer: 40 arrivals a week on 50 servers is still utilisation 0.8; 200,000 jobs in 5,000 weeks.
LAM, MU, C = 40.0, 1.0, 50
JOBS = 200_000


def bare_simpy_mmc(n: int, seed: int = 1, lam: float = LAM, c: int = C) -> float:
    """The textbook SimPy M/M/c: a source process, a process per job, a Resource."""
    rng = np.random.default_rng(seed)
    gaps = rng.exponential(1 / lam, n).tolist()
    service = rng.exponential(1 / MU, n).tolist()
    env = simpy.Environment()
    servers = simpy.Resource(env, c)
    waits = []

    def job(i):
        arrived = env.now
        with servers.request() as request:
            yield request
            waits.append(env.now - arrived)
            yield env.timeout(service[i])

    def source():
        for i in range(n):
            yield env.timeout(gaps[i])
            env.process(job(i))

    env.process(source())
    env.run()
    return sum(waits) / n


#: The whole command: 60 projects a week for 5,000 weeks on 75 people (utilisation 0.8).
COMMAND_LAMBDA, COMMAND_C, COMMAND_WEEKS = 60.0, 75, 5000


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def whole_command(out: Path) -> tuple[float, float]:
    """Wall and CPU seconds of one ``pmo-sim simulate --out`` process (one worker)."""
    command = [
        sys.executable, "-m", "pmo_sim", "simulate",
        str(ROOT / "scenarios" / "validation" / "mmc.yaml"),
        "--set", f"horizon_weeks={COMMAND_WEEKS}", "--set", "warmup_weeks=0",
        "--set", f"project_types.job.arrivals.rate_per_week={COMMAND_LAMBDA:g}",
        "--set", f"roles.server.headcount={COMMAND_C}",
        "-n", "1", "--workers", "1", "--out", str(out),
    ]  # fmt: skip
    cpu = _children_cpu()
    start = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, env={**os.environ})
    return time.perf_counter() - start, _children_cpu() - cpu


def command_against_bare() -> float:
    """Time the whole command and the bare loop alternately; print them; return the ratio."""
    with tempfile.TemporaryDirectory(prefix="pmo-bench-") as folder:
        out = Path(folder) / "out"
        runs, bare_runs = [], []
        for _ in range(2):
            runs.append(whole_command(out))
            n = sum(1 for _ in (out / "projects.csv").open("rb")) - 1
            cpu = time.process_time()
            start = time.perf_counter()
            bare_simpy_mmc(n, lam=COMMAND_LAMBDA, c=COMMAND_C)
            bare_runs.append((time.perf_counter() - start, time.process_time() - cpu))
        sizes = {p.name: p.stat().st_size for p in out.iterdir()}
    (wall, cpu), (bare_wall, bare_cpu) = min(runs), min(bare_runs)
    ratio = wall / bare_wall
    print(
        f"pmo-sim simulate --out, {n:,} projects (lambda {COMMAND_LAMBDA:g}, c {COMMAND_C}), "
        f"{sizes['projects.csv'] / 1e6:.0f} MB projects.csv:"
    )
    print(f"  whole process:   {wall:6.2f} s wall, {cpu:6.2f} s CPU")
    print(f"  bare SimPy loop: {bare_wall:6.2f} s wall, {bare_cpu:6.2f} s CPU")
    print(
        f"  ratio whole / bare: {ratio:.2f}x wall, {cpu / bare_cpu:.2f}x CPU "
        f"(target <= 1.5x): {'ok' if ratio <= 1.5 else 'MISSED'}"
    )
    return ratio


def model_mmc(plan) -> tuple[int, float]:
    result = run_replication(plan, seed=1, replication=0, detail=True)
    projects = result.projects
    return len(projects["arrival"]), float(np.nanmean(projects["wait"]))


def main() -> int:
    horizon = JOBS / LAM
    scenario = load_scenario(
        ROOT / "scenarios" / "validation" / "mmc.yaml",
        {
            "horizon_weeks": horizon,
            "warmup_weeks": 0,
            "project_types.job.arrivals.rate_per_week": LAM,
            "roles.server.headcount": C,
        },
    )
    plan = compile_plan(scenario)
    model_times, bare_times, bare_nogc_times = [], [], []
    for _ in range(2):
        start = time.perf_counter()
        n, model_wait = model_mmc(plan)
        model_times.append(time.perf_counter() - start)
        start = time.perf_counter()
        bare_wait = bare_simpy_mmc(n)
        bare_times.append(time.perf_counter() - start)
        # The model pauses the cyclic GC during a run; time bare SimPy that way too.
        with paused_gc():
            start = time.perf_counter()
            bare_simpy_mmc(n)
            bare_nogc_times.append(time.perf_counter() - start)
    model_s, bare_s, bare_nogc_s = min(model_times), min(bare_times), min(bare_nogc_times)
    ratio = model_s / bare_s
    print(
        f"M/M/c (lambda {LAM:g}, mu {MU:g}, c {C}), {n:,} projects; Erlang C Wq = "
        f"{mmc_wait(LAM, MU, C):.4f}"
    )
    print(
        f"  model (records and weekly tables): {model_s:6.2f} s  "
        f"({n / model_s:,.0f} projects/s, mean wait {model_wait:.4f})"
    )
    print(
        f"  bare SimPy loop:                   {bare_s:6.2f} s  "
        f"({n / bare_s:,.0f} jobs/s, mean wait {bare_wait:.4f})"
    )
    print(
        f"  bare SimPy loop, GC paused too:    {bare_nogc_s:6.2f} s  "
        f"({n / bare_nogc_s:,.0f} jobs/s; model / this: {model_s / bare_nogc_s:.2f}x)"
    )
    print(
        f"  ratio model / bare: {ratio:.2f}x (target <= 1.5x): {'ok' if ratio <= 1.5 else 'MISSED'}"
    )

    command_against_bare()

    baseline = load_scenario(ROOT / "scenarios" / "baseline.yaml")
    workers = default_workers()
    start = time.perf_counter()
    result = simulate(baseline, replications=100, seed=1, workers=workers)
    elapsed = time.perf_counter() - start
    start = time.perf_counter()
    frames = (result.projects, result.weekly_roles, result.weekly_portfolio, result.summary())
    tables = time.perf_counter() - start
    print(
        f"baseline.yaml x 100 replications on {workers} worker(s): {elapsed:.2f} s "
        f"(target < 5 s): {'ok' if elapsed < 5 else 'MISSED'}; "
        f"{len(frames[0]):,} project rows, then {tables:.2f} s to build the DataFrames"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
