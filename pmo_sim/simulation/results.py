"""Simulation results as tidy DataFrames, summaries with intervals, and comparisons.

:class:`SimulationResult` holds the compact per-replication results and
builds, on demand, one DataFrame per table (columns documented in
``docs/simulation.md``): ``projects``, ``weekly_roles``,
``weekly_portfolio``, ``weekly_benefits``, ``metrics`` (one row per
replication) and :meth:`SimulationResult.summary` (mean and 95% interval per
metric). :func:`compare` gives the difference of each metric between
scenarios run on common random numbers, with its interval.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from functools import cached_property
from typing import TYPE_CHECKING, Any, Protocol, cast

import numpy as np
import pandas as pd

from pmo_sim.presentation import mean_interval
from pmo_sim.simulation.metrics import describe_metric
from pmo_sim.simulation.records import week_edges

if TYPE_CHECKING:
    from pmo_sim.simulation.plan import Plan
    from pmo_sim.simulation.replications import ReplicationResult
    from pmo_sim.simulation.scenario import Scenario

__all__ = ["PROJECT_COLUMNS", "SimulationResult", "compare"]


class _Detailed(Protocol):
    """A replication run with ``detail=True``: its tables are there."""

    replication: int
    metrics: dict[str, float]
    projects: dict[str, np.ndarray]
    weekly: dict[str, Any]


PROJECT_COLUMNS = (
    "replication",
    "project_id",
    "type",
    "pipeline",
    "status",
    "arrival",
    "admitted",
    "start",
    "finish",
    "due",
    "lead_time",
    "wait",
    "on_time",
    "planned_effort",
    "effort",
    "cost",
    "benefit_per_week",
    "benefit",
    "cost_of_delay",
    "delay_cost",
    "strategic_score",
    "stopped",
)


def _json_number(x: float) -> float | None:
    return None if x is None or not math.isfinite(x) else float(x)


class SimulationResult:
    """Results of ``n`` replications of one scenario for one seed."""

    def __init__(
        self, scenario: Scenario, seed: int, plan: Plan, replications: list[ReplicationResult]
    ) -> None:
        self.scenario = scenario
        self.seed = seed
        self.plan = plan
        self.replications = replications

    @property
    def n(self) -> int:
        """Number of replications."""
        return len(self.replications)

    def _detailed(self) -> list[_Detailed]:
        if any(r.projects is None or r.weekly is None for r in self.replications):
            raise ValueError("this result was run with detail=False: only metrics are kept")
        return cast("list[_Detailed]", self.replications)

    @cached_property
    def metrics(self) -> pd.DataFrame:
        """One row per replication, one column per metric."""
        frame = pd.DataFrame([r.metrics for r in self.replications])
        frame.insert(0, "replication", [r.replication for r in self.replications])
        return frame

    def summary(self, level: float = 0.95) -> pd.DataFrame:
        """Per metric: mean, interval ``low``-``high`` at ``level``, sd, n, unit, description."""
        rows = []
        for metric in self.metrics.columns[1:]:
            mean, low, high, sd, n = mean_interval(self.metrics[metric], level)
            info = describe_metric(metric)
            rows.append(
                {
                    "metric": metric,
                    "mean": mean,
                    "low": low,
                    "high": high,
                    "sd": sd,
                    "n": n,
                    "unit": info.unit,
                    "description": info.description,
                }
            )
        return pd.DataFrame(rows)

    def summary_dict(self, level: float = 0.95) -> dict[str, Any]:
        """The summary as JSON-ready data (NaN as null)."""
        return {
            "scenario": self.scenario.name,
            "replications": self.n,
            "seed": self.seed,
            "horizon_weeks": self.scenario.horizon_weeks,
            "warmup_weeks": self.scenario.warmup_weeks,
            "level": level,
            "metrics": {
                row.metric: {
                    "mean": _json_number(row.mean),
                    "low": _json_number(row.low),
                    "high": _json_number(row.high),
                    "unit": row.unit,
                }
                for row in self.summary(level).itertuples()
            },
        }

    @cached_property
    def projects(self) -> pd.DataFrame:
        """One row per project per replication, in arrival order (columns: PROJECT_COLUMNS)."""
        reps = self._detailed()
        plan = self.plan
        cols = {k: np.concatenate([r.projects[k] for r in reps]) for k in reps[0].projects}
        counts = [len(r.projects["source"]) for r in reps]
        source = cols["source"]
        pipeline = source < 0
        type_of_source = [t.id for t in plan.types] + [
            plan.types[p.type].id for p in reversed(plan.pipeline)
        ]
        types = np.array(type_of_source, dtype=object)[source] if len(source) else np.array([])
        pipeline_ids = np.array([p.id for p in reversed(plan.pipeline)] or [""], dtype=object)
        ids = np.array(
            [f"{t}-{q:04d}" for t, q in zip(types.tolist(), cols["seq"].tolist(), strict=True)],
            dtype=object,
        )
        if pipeline.any():
            ids[pipeline] = pipeline_ids[source[pipeline] + len(plan.pipeline)]
        status = np.select(
            [
                np.isfinite(cols["stopped"]),
                np.isfinite(cols["finish"]),
                np.isfinite(cols["start"]),
                np.isfinite(cols["admitted"]),
            ],
            ["stopped", "finished", "in progress", "admitted"],
            "backlog",
        )
        frame = pd.DataFrame(
            {
                "replication": np.repeat([r.replication for r in reps], counts),
                "project_id": ids,
                "type": types,
                "pipeline": pipeline,
                "status": status,
                **{k: cols[k] for k in PROJECT_COLUMNS[5:]},
            },
            # The columns are fresh arrays: keep them as they are rather than copy 300,000
            # rows of every float column into one block.
            copy=False,
        )
        return frame

    def _weeks(self) -> np.ndarray:
        return week_edges(self.plan.horizon)[:-1]

    @cached_property
    def weekly_roles(self) -> pd.DataFrame:
        """Per replication, week and role: headcount, capacity, busy and queued FTE, utilisation."""
        reps = self._detailed()
        weeks = self._weeks()
        roles = [r.id for r in self.plan.roles]
        n_roles, n_weeks = len(roles), len(weeks)
        data = {
            k: np.concatenate([r.weekly["roles"][k].ravel() for r in reps])
            for k in ("headcount", "capacity_fte", "busy_fte", "queued_fte")
        }
        with np.errstate(invalid="ignore", divide="ignore"):
            utilisation = np.where(
                data["capacity_fte"] > 0, data["busy_fte"] / data["capacity_fte"], np.nan
            )
        return pd.DataFrame(
            {
                "replication": np.repeat([r.replication for r in reps], n_roles * n_weeks),
                "week": np.tile(weeks, n_roles * len(reps)),
                "role": np.tile(np.repeat(np.array(roles, dtype=object), n_weeks), len(reps)),
                "headcount": data["headcount"],
                "capacity_fte": data["capacity_fte"],
                "busy_fte": data["busy_fte"],
                "utilisation": utilisation,
                "queued_fte": data["queued_fte"],
                "demand_fte": data["busy_fte"] + data["queued_fte"],
            }
        )

    @cached_property
    def weekly_portfolio(self) -> pd.DataFrame:
        """Per replication and week: backlog, WIP, flow counts, spend, cumulative benefit."""
        reps = self._detailed()
        weeks = self._weeks()
        keys = ("backlog", "wip", "arrivals", "admitted", "started", "finished", "spend")
        frame = pd.DataFrame(
            {
                "replication": np.repeat([r.replication for r in reps], len(weeks)),
                "week": np.tile(weeks, len(reps)),
                **{k: np.concatenate([r.weekly["portfolio"][k] for r in reps]) for k in keys},
            }
        )
        frame["benefit_cumulative"] = np.concatenate(
            [r.weekly["portfolio"]["benefit_cumulative"] for r in reps]
        )
        return frame

    @cached_property
    def weekly_benefits(self) -> pd.DataFrame:
        """Per replication, week and objective: benefit realised by the end of the week."""
        reps = self._detailed()
        weeks = self._weeks()
        objectives = list(self.plan.objectives)
        return pd.DataFrame(
            {
                "replication": np.repeat(
                    [r.replication for r in reps], len(objectives) * len(weeks)
                ),
                "week": np.tile(weeks, len(objectives) * len(reps)),
                "objective": np.tile(
                    np.repeat(np.array(objectives, dtype=object), len(weeks)), len(reps)
                ),
                "benefit_cumulative": np.concatenate([r.weekly["benefits"].ravel() for r in reps])
                if objectives
                else np.array([], dtype=float),
            }
        )


def compare(
    results: Mapping[str, SimulationResult], baseline: str | None = None, level: float = 0.95
) -> pd.DataFrame:
    """Each scenario's metrics minus the baseline's, paired by replication.

    The scenarios must have been run with the same seed and number of
    replications, so that replication ``i`` of each saw the same arrivals,
    efforts and benefits (common random numbers): the paired differences
    then have far narrower intervals than independent runs would.
    Columns: scenario, baseline, metric, baseline_mean, scenario_mean,
    difference, low, high, n, unit, better.
    """
    names = list(results)
    if not names:
        raise ValueError("nothing to compare")
    baseline = baseline or names[0]
    base = results[baseline]
    rows = []
    for name in names:
        if name == baseline:
            continue
        other = results[name]
        if other.seed != base.seed or other.n != base.n:
            raise ValueError(
                f"{name!r} and {baseline!r} must share seed and replications "
                "for common random numbers"
            )
        a = base.metrics.set_index("replication")
        b = other.metrics.set_index("replication")
        for metric in [m for m in a.columns if m in b.columns]:
            diff = b[metric] - a[metric]
            mean, low, high, _, n = mean_interval(diff, level)
            info = describe_metric(metric)
            rows.append(
                {
                    "scenario": name,
                    "baseline": baseline,
                    "metric": metric,
                    "baseline_mean": mean_interval(a[metric])[0],
                    "scenario_mean": mean_interval(b[metric])[0],
                    "difference": mean,
                    "low": low,
                    "high": high,
                    "n": n,
                    "unit": info.unit,
                    "better": info.better,
                }
            )
    return pd.DataFrame(rows)
