"""Calibration speed: import, fit and backtest the bundled history, against plain replications.

Run as ``.venv/bin/python benchmarks/bench_calibration.py`` (``make bench``). The
reference in the same run is the same number of plain replications of the fitted
backtest scenario (``simulate``, one process): the backtest draws fresh parameters
for each replication, so it builds a scenario per replication, and the ratio shows
what that costs. Each timing is the best of two rounds (the machine may be shared).
"""

from __future__ import annotations

import copy
import time
from pathlib import Path

from pmo_sim.calibration import backtest, calibrate, load_history
from pmo_sim.calibration.calibrate import wip_pipeline
from pmo_sim.simulation import parse_scenario, simulate

ROOT = Path(__file__).resolve().parents[1]
EX = ROOT / "scenarios" / "examples"
REPLICATIONS = 200


def _best(fn, rounds: int = 2) -> tuple[float, object]:
    best, out = float("inf"), None
    for _ in range(rounds):
        start = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - start)
    return best, out


def main() -> None:
    """Time each step and print the ratio to the reference."""
    import pandas as pd

    as_of = pd.Timestamp("2025-12-29")
    t_load, history = _best(
        lambda: load_history(
            EX / "harbourline_history.csv", timesheets=EX / "harbourline_timesheets.csv",
            resources=EX / "harbourline_resources.csv", as_of=as_of,
        )
    )  # fmt: skip
    t_fit, fitted = _best(lambda: calibrate(history))
    t_back, result = _best(lambda: backtest(fitted, REPLICATIONS, 1))
    data = copy.deepcopy(fitted.data)
    data["horizon_weeks"] = history.window_weeks
    data.pop("pipeline", None)
    pipeline = wip_pipeline(history, history.start, set(data["project_types"]))
    if pipeline:
        data["pipeline"] = pipeline
    plain = parse_scenario(data)
    t_ref, _ = _best(lambda: simulate(plain, REPLICATIONS, 1, workers=1, detail=True))
    n = len(history.projects)
    print(f"harbourline_history.csv: {n} projects, {len(history.timesheets)} timesheet rows")
    print(f"  import and validate (3 files):      {t_load:6.2f} s")
    print(f"  fit (arrivals, {len(fitted.efforts)} efforts, roles):  {t_fit:6.2f} s")
    print(f"  backtest, {REPLICATIONS} replications:        {t_back:6.2f} s  ({result.inside} of "
          f"{len(result.figures)} figures inside)")  # fmt: skip
    print(f"  reference: {REPLICATIONS} plain replications: {t_ref:6.2f} s")
    print(f"  ratio backtest / plain replications: {t_back / t_ref:.2f}x")


if __name__ == "__main__":
    main()
