"""Does the fitted scenario reproduce the client's own past? The backtest.

The history's window is simulated from the fitted scenario, starting from
the work in progress at the window's start (projects arrived and not
finished then, entered as pipeline projects with the share of their effort
left), for as many weeks as the window lasts. Replications give, for each
figure, a simulated 90% band (5th to 95th percentile); the actual figure
from the history is inside or it is not:

- ``throughput``: projects finished in each complete 13-week quarter;
- ``lead time``: median and 85th percentile of created-to-finish weeks, over
  projects that arrived in the window and finished in it (the same
  selection on both sides, so censoring treats them alike);
- ``WIP``: projects in progress (started, not finished) at each quarter's end;
- ``utilisation``: per role and quarter, busy FTE / (headcount x
  availability), where timesheets give the actual hours on projects.

With 90% bands about one figure in ten falls outside by chance alone; the
verdict says the model does not reproduce its history when clearly more do
(a binomial tail below 5%), or when a lead-time figure does.
"""

from __future__ import annotations

import copy
import math
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats

from pmo_sim.calibration.calibrate import Calibration, wip_pipeline
from pmo_sim.simulation import parse_scenario, simulate

__all__ = ["QUARTER_WEEKS", "Backtest", "backtest"]

QUARTER_WEEKS = 13
BAND = (5, 95)


@dataclass
class Backtest:
    """Simulated bands against actual figures, one row per figure."""

    #: ``group``, ``label``, ``week`` (end of the period), ``actual``, ``low``, ``median``,
    #: ``high``, ``inside``.
    figures: pd.DataFrame
    replications: int
    seed: int
    start: pd.Timestamp
    weeks: float
    #: Lead times of the window's finished projects: actual, and one replication's pooled.
    actual_lead_times: np.ndarray
    simulated_lead_times: np.ndarray

    @property
    def inside(self) -> int:
        """Figures inside their band."""
        return int(self.figures["inside"].sum())

    @property
    def reproduces(self) -> bool:
        """True when the misses are no more than chance explains and lead times are inside."""
        n = len(self.figures)
        lead = self.figures[self.figures["group"] == "lead time"]
        chance = stats.binom.cdf(self.inside, n, 0.9) >= 0.05 if n else False
        return bool(chance and lead["inside"].all())

    def verdict(self) -> str:
        """The backtest in one plain sentence or two."""
        n = len(self.figures)
        head = (
            f"{self.inside} of {n} actual figures fall inside the simulated 90% bands "
            f"(about {0.9 * n:.0f} expected by chance alone)."
        )
        outside = self.figures[~self.figures["inside"]]
        if self.reproduces:
            return head + " The fitted scenario reproduces the history."
        missed = ", ".join(f"{r.group} {r.label}" for r in outside.itertuples())
        return head + f" The fitted scenario does NOT reproduce the history: outside are {missed}."


def _band(values: np.ndarray) -> tuple[float, float, float]:
    values = values[np.isfinite(values)]
    if not len(values):
        return math.nan, math.nan, math.nan
    low, high = np.percentile(values, BAND)
    return float(low), float(np.median(values)), float(high)


def _row(group: str, label: str, week: float, actual: float, sims: np.ndarray) -> dict:
    low, median, high = _band(sims)
    inside = bool(math.isfinite(actual) and math.isfinite(low) and low <= actual <= high)
    return {"group": group, "label": label, "week": week, "actual": actual, "low": low,
            "median": median, "high": high, "inside": inside}  # fmt: skip


def _quantiles(values: np.ndarray) -> tuple[float, float]:
    if not len(values):
        return math.nan, math.nan
    return float(np.median(values)), float(np.percentile(values, 85))


def backtest(
    calibration: Calibration,
    replications: int = 200,
    seed: int = 1,
    *,
    start: pd.Timestamp | None = None,
    workers: int | None = None,
) -> Backtest:
    """Simulate the history's window from the fitted scenario and compare (module docstring)."""
    history = calibration.history
    t0 = history.start if start is None else pd.Timestamp(start)
    weeks = (history.as_of - t0).days / 7.0
    data = copy.deepcopy(calibration.data)
    data["horizon_weeks"] = weeks
    data["name"] = f"Backtest of {history.source}"
    pipeline = wip_pipeline(history, t0, set(data["project_types"]))
    data.pop("pipeline", None)
    if pipeline:
        data["pipeline"] = pipeline
    result = simulate(parse_scenario(data), replications, seed, workers=workers)
    sim = result.projects
    actual = history.delivered.copy()
    for column in ("created", "start", "finish"):
        actual[column] = history.weeks(actual[column], t0)
    rows = []
    quarters = int(weeks // QUARTER_WEEKS)
    by_rep = [g for _, g in sim.groupby("replication", sort=True)]
    for q in range(quarters):
        a, b = q * QUARTER_WEEKS, (q + 1) * QUARTER_WEEKS
        label = f"Q{q + 1} (to {(t0 + pd.Timedelta(weeks=b)).date()})"
        done = ((actual["finish"] >= a) & (actual["finish"] < b)).sum()
        sims = np.array([((g["finish"] >= a) & (g["finish"] < b)).sum() for g in by_rep])
        rows.append(_row("throughput", label, b, float(done), sims.astype(float)))
    for q in range(quarters):
        b = (q + 1) * QUARTER_WEEKS
        label = f"end of Q{q + 1}"
        running = ((actual["start"] <= b) & ~(actual["finish"] <= b)).sum()
        sims = np.array([((g["start"] <= b) & ~(g["finish"] <= b)).sum() for g in by_rep])
        rows.append(_row("WIP", label, b, float(running), sims.astype(float)))
    in_window = actual[(actual["created"] >= 0) & actual["finish"].notna()]
    lead = (in_window["finish"] - in_window["created"]).to_numpy()
    sim_leads = [
        g.loc[~g["pipeline"] & g["finish"].notna(), "lead_time"].to_numpy() for g in by_rep
    ]
    sim_q = np.array([_quantiles(x) for x in sim_leads])
    actual_q = _quantiles(lead)
    rows.append(_row("lead time", "median", weeks, actual_q[0], sim_q[:, 0]))
    rows.append(_row("lead time", "85th percentile", weeks, actual_q[1], sim_q[:, 1]))
    rows += _utilisation(calibration, result.weekly_roles, t0, quarters)
    return Backtest(
        figures=pd.DataFrame(rows), replications=replications, seed=seed, start=t0,
        weeks=weeks, actual_lead_times=lead, simulated_lead_times=np.concatenate(sim_leads),
    )  # fmt: skip


def _utilisation(
    calibration: Calibration, weekly: pd.DataFrame, t0: pd.Timestamp, quarters: int
) -> list[dict]:
    history = calibration.history
    sheets = history.timesheets
    if sheets is None or sheets.empty:
        return []
    projects = set(history.projects["project_id"])
    booked = sheets[sheets["project_id"].isin(projects)].copy()
    booked["w"] = history.weeks(booked["week"], t0)
    rows = []
    for role in calibration.roles:
        mine = booked[booked["role"] == role.role]
        if mine.empty:
            continue
        capacity = role.headcount * role.availability
        sim = weekly[weekly["role"] == role.role]
        for q in range(quarters):
            a, b = q * QUARTER_WEEKS, (q + 1) * QUARTER_WEEKS
            hours = mine.loc[(mine["w"] >= a) & (mine["w"] < b), "hours"].sum()
            actual = hours / history.hours_per_week / QUARTER_WEEKS / capacity
            part = sim[(sim["week"] >= a) & (sim["week"] < b)]
            sims = part.groupby("replication")["busy_fte"].mean().to_numpy() / capacity
            rows.append(_row(f"utilisation {role.role}", f"Q{q + 1}", b, float(actual), sims))
    return rows
