"""Does the fitted scenario reproduce the client's own past? The backtest.

The history's window is simulated from the fitted scenario, starting from
the work in progress at the window's start (projects arrived and not
finished then, entered as pipeline projects with the share of their effort
left), for as many weeks as the window lasts. Replications give, for each
figure, a simulated 90% band (5th to 95th percentile); the actual figure
from the history is inside or it is not. The bands carry the uncertainty of
the fitted numbers as well as the model's randomness: each replication
draws its own arrival rates (from the Gamma sampling distribution of a
Poisson rate, n events in T weeks) and effort means and spreads (scaled by
a bootstrap resample of the finished projects), as a fresh history of the
same size would give. Figures:

- ``throughput``: projects finished in each complete 13-week quarter;
- ``lead time``: median and 85th percentile of created-to-finish weeks, over
  projects that arrived in the window and finished in it (the same
  selection on both sides, so censoring treats them alike);
- ``WIP``: projects in progress (started, not finished) at each quarter's end;
- ``utilisation``: per role and quarter, busy FTE / (headcount x
  availability), where timesheets give the actual hours on projects.

With 90% bands about one figure in ten falls outside by chance alone, and
misses come in runs (a busy quarter is followed by a busy quarter). So the
verdict compares the history with the model's own replications: each
replication is scored against the same bands, and the history is out of
line when fewer than 5% of replications miss as many figures as it does.
"""

from __future__ import annotations

import copy
import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from pmo_sim.calibration.calibrate import Calibration, wip_pipeline
from pmo_sim.presentation import format_value
from pmo_sim.seeds import DEFAULT_SEED
from pmo_sim.simulation import parse_scenario, simulate

__all__ = ["QUARTER_WEEKS", "Backtest", "backtest"]

QUARTER_WEEKS = 13
BAND = (5, 95)


@dataclass
class Backtest:
    """Simulated bands against actual figures, one row per figure."""

    #: ``group``, ``label``, ``week`` (end of the period), ``unit`` (projects, weeks or
    #: share), ``actual``, ``low``, ``median``, ``high``, ``inside``.
    figures: pd.DataFrame
    replications: int
    seed: int
    start: pd.Timestamp
    weeks: float
    #: Lead times of the window's finished projects: actual, and all replications' pooled.
    actual_lead_times: np.ndarray
    simulated_lead_times: np.ndarray
    #: Figures outside the bands in each replication (scored like the history).
    simulated_misses: np.ndarray

    @property
    def inside(self) -> int:
        """Figures inside their band."""
        return int(self.figures["inside"].sum())

    @property
    def misses(self) -> int:
        """Actual figures outside their band."""
        return len(self.figures) - self.inside

    @property
    def p_value(self) -> float:
        """Share of replications missing at least as many figures as the history."""
        return float(np.mean(self.simulated_misses >= self.misses))

    @property
    def reproduces(self) -> bool:
        """True when the history misses no more figures than 95% of the model's own runs."""
        return bool(len(self.figures) and self.p_value >= 0.05)

    def verdict(self) -> str:
        """The backtest in plain sentences."""
        n = len(self.figures)
        share = format_value(self.p_value, "share", spec=".0%")
        head = (
            f"{self.inside} of {n} actual figures fall inside the simulated 90% bands; the "
            f"model's own replications miss {np.median(self.simulated_misses):.0f} on median, "
            f"and {share} of them miss at least as many as the history does."
        )
        if self.reproduces:
            outside = self.figures[~self.figures["inside"]]
            tail = "; outside: " + ", ".join(f"{r.group} {r.label}" for r in outside.itertuples())
            return (
                head
                + " The fitted scenario reproduces the history"
                + (tail + "." if len(outside) else ".")
            )
        outside = self.figures[~self.figures["inside"]]
        missed = ", ".join(f"{r.group} {r.label}" for r in outside.itertuples())
        return head + f" The fitted scenario does NOT reproduce the history: outside are {missed}."


def _perturbed(calibration: Calibration, data: dict, rng: np.random.Generator) -> dict:
    """The backtest scenario with fitted numbers redrawn from their sampling distributions."""
    out = copy.deepcopy(data)
    for fit in calibration.arrivals:
        ptype = out["project_types"].get(fit.type)
        if ptype is not None and fit.n > 0:
            ptype["arrivals"]["rate_per_week"] = float(rng.gamma(fit.n, 1 / fit.weeks))
    demands = {(f.type, f.phase, f.role): f for f in calibration.efforts}
    for type_id, ptype in out["project_types"].items():
        for phase, demand in ((p["name"], d) for p in ptype["phases"] for d in p["demands"]):
            found = demands.get((type_id, phase, demand["role"]))
            effort = demand["effort"]
            if found is None or len(found.finished) < 2 or not isinstance(effort, dict):
                continue
            x = found.finished
            resample = rng.choice(x, len(x))
            if effort["dist"] == "empirical":
                values = effort["values"]
                effort["values"] = [float(v) for v in rng.choice(values, len(values))]
                continue
            if "mean" in effort:
                effort["mean"] = effort["mean"] * float(resample.mean() / x.mean())
            if "sd" in effort and x.std() > 0:
                effort["sd"] = effort["sd"] * float(resample.std() / x.std())
    return out


def _band(values: np.ndarray) -> tuple[float, float, float]:
    values = values[np.isfinite(values)]
    if not len(values):
        return math.nan, math.nan, math.nan
    low, high = np.percentile(values, BAND)
    return float(low), float(np.median(values)), float(high)


_UNITS = {"throughput": "projects", "WIP": "projects", "lead time": "weeks"}


def _row(group: str, label: str, week: float, actual: float, sims: np.ndarray) -> dict:
    low, median, high = _band(sims)
    inside = bool(math.isfinite(actual) and math.isfinite(low) and low <= actual <= high)
    with np.errstate(invalid="ignore"):
        sim_inside = (sims >= low) & (sims <= high)
    return {
        "group": group,
        "label": label,
        "week": week,
        "unit": _UNITS.get(group, "share"),
        "actual": actual,
        "low": low,
        "median": median,
        "high": high,
        "inside": inside,
        "_sim_inside": sim_inside,
    }


def _quantiles(values: np.ndarray) -> tuple[float, float]:
    if not len(values):
        return math.nan, math.nan
    return float(np.median(values)), float(np.percentile(values, 85))


def backtest(
    calibration: Calibration,
    replications: int = 200,
    seed: int = DEFAULT_SEED,
    *,
    start: pd.Timestamp | None = None,
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
    rng = np.random.default_rng(seed)
    projects, weekly = [], []
    for i in range(replications):
        one = simulate(parse_scenario(_perturbed(calibration, data, rng)), 1, seed + i, workers=1)
        projects.append(one.projects.assign(replication=i))
        weekly.append(one.weekly_roles.assign(replication=i))
    sim = pd.concat(projects, ignore_index=True)
    weekly_roles = pd.concat(weekly, ignore_index=True)
    actual = history.delivered.copy()
    for column in ("created", "start", "finish"):
        actual[column] = history.weeks(actual[column], t0)
    rows = []
    quarters = int(weeks // QUARTER_WEEKS)
    rep = sim["replication"].to_numpy()
    start_w, finish_w = sim["start"].to_numpy(float), sim["finish"].to_numpy(float)

    def per_replication(mask: np.ndarray) -> np.ndarray:
        return np.bincount(rep[mask], minlength=replications).astype(float)

    for q in range(quarters):
        a, b = q * QUARTER_WEEKS, (q + 1) * QUARTER_WEEKS
        label = f"Q{q + 1} (to {(t0 + pd.Timedelta(weeks=b)).date()})"
        done = ((actual["finish"] >= a) & (actual["finish"] < b)).sum()
        sims = per_replication((finish_w >= a) & (finish_w < b))
        rows.append(_row("throughput", label, b, float(done), sims))
    for q in range(quarters):
        b = (q + 1) * QUARTER_WEEKS
        label = f"end of Q{q + 1}"
        running = ((actual["start"] <= b) & ~(actual["finish"] <= b)).sum()
        sims = per_replication((start_w <= b) & ~(finish_w <= b))
        rows.append(_row("WIP", label, b, float(running), sims))
    by_rep = [g for _, g in sim.groupby("replication", sort=True)]
    in_window = actual[(actual["created"] >= 0) & actual["finish"].notna()]
    lead = (in_window["finish"] - in_window["created"]).to_numpy()
    sim_leads = [
        g.loc[~g["pipeline"] & g["finish"].notna(), "lead_time"].to_numpy() for g in by_rep
    ]
    sim_q = np.array([_quantiles(x) for x in sim_leads])
    actual_q = _quantiles(lead)
    rows.append(_row("lead time", "median", weeks, actual_q[0], sim_q[:, 0]))
    rows.append(_row("lead time", "85th percentile", weeks, actual_q[1], sim_q[:, 1]))
    rows += _utilisation(calibration, weekly_roles, t0, quarters)
    sim_inside = np.array([r.pop("_sim_inside") for r in rows]).reshape(len(rows), replications)
    return Backtest(
        figures=pd.DataFrame(rows), replications=replications, seed=seed, start=t0,
        weeks=weeks, actual_lead_times=lead, simulated_lead_times=np.concatenate(sim_leads),
        simulated_misses=(~sim_inside).sum(axis=0),
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
