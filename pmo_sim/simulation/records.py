"""From one finished replication to compact arrays: projects, weekly figures, metrics.

The model logs every change of a pool (busy, headcount, waiting people) and
of the portfolio (backlog, WIP) as a step function of time. Integrating a
step function between two instants is exact, so weekly averages, window
utilisation and Little's law on the recorded data hold to rounding error,
not to a sampling approximation. What leaves the worker is arrays, not the
event log.
"""

from __future__ import annotations

import math
from operator import attrgetter
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from numpy.typing import ArrayLike

    from pmo_sim.simulation.model import PortfolioModel
    from pmo_sim.simulation.plan import Plan

__all__ = [
    "WEEKS_PER_YEAR",
    "Step",
    "project_arrays",
    "realised_benefit",
    "replication_metrics",
    "week_edges",
    "weekly_arrays",
]

WEEKS_PER_YEAR = 52.0


class Step:
    """A step function from a log ``(times, values)``, ready to integrate many times.

    ``values[i]`` holds from ``times[i]`` until the next time; ``times`` is
    non-decreasing and starts at 0; the last value holds for ever.

    >>> Step([0, 2, 5], [1, 3, 0]).area([1, 4, 10]).tolist()
    [1.0, 8.0, 11.0]
    """

    def __init__(self, times: ArrayLike, values: ArrayLike) -> None:
        self.t = np.asarray(times, dtype=float)
        self.v = np.asarray(values, dtype=float)
        self.cum = np.concatenate(([0.0], np.cumsum(np.diff(self.t) * self.v[:-1])))

    def area(self, points: ArrayLike) -> np.ndarray:
        """Integral from 0 to each of ``points``."""
        points = np.asarray(points, dtype=float)
        idx = np.searchsorted(self.t, points, side="right") - 1
        return self.cum[idx] + self.v[idx] * (points - self.t[idx])

    def mean_between(self, edges: np.ndarray) -> np.ndarray:
        """Time-average over each interval between consecutive ``edges``."""
        return np.diff(self.area(edges)) / np.diff(edges)


def week_edges(horizon: float) -> np.ndarray:
    """0, 1, 2, ... up to the horizon (the last week may be partial)."""
    return np.append(np.arange(math.ceil(horizon), dtype=float), float(horizon))


def realised_benefit(benefit: np.ndarray, finish: np.ndarray, points: np.ndarray) -> np.ndarray:
    """Benefit realised by each of ``points``: sum of benefit x (point - finish) once finished."""
    done = np.isfinite(finish)
    f = finish[done]
    order = np.argsort(f, kind="stable")
    f = f[order]
    b = benefit[done][order]
    cb = np.concatenate(([0.0], np.cumsum(b)))
    cbf = np.concatenate(([0.0], np.cumsum(b * f)))
    k = np.searchsorted(f, points, side="right")
    return points * cb[k] - cbf[k]


def project_arrays(model: PortfolioModel) -> dict[str, np.ndarray]:
    """One array per project column, in arrival order (see ``docs/simulation.md``)."""
    plan = model.plan
    ps = model.projects
    horizon = plan.horizon
    names = (
        "arrival",
        "admitted",
        "start",
        "finish",
        "due",
        "planned_effort",
        "effort",
        "cost",
        "stopped",
    )
    rows = np.array(list(map(attrgetter("source", "seq", *names, "benefit"), ps)), dtype=float)
    rows = rows.reshape(len(ps), len(names) + 3)
    out: dict[str, np.ndarray] = {
        "source": rows[:, 0].astype(np.int32),
        "seq": rows[:, 1].astype(np.int64),
    }
    for j, name in enumerate(names, start=2):
        out[name] = rows[:, j].copy()
    out["benefit_per_week"] = rows[:, -1].copy()
    values = [*(t.value for t in plan.types), *(p.value for p in reversed(plan.pipeline))]
    # source -1 - k is pipeline project k; index from the end of ``values``.
    idx = out["source"]
    out["cost_of_delay"] = np.array([v.cost_of_delay for v in values])[idx]
    out["strategic_score"] = np.array([v.strategic_score for v in values])[idx]
    out["lead_time"] = out["finish"] - out["arrival"]
    out["wait"] = out["start"] - out["arrival"]
    out["benefit"] = np.where(
        np.isfinite(out["finish"]), out["benefit_per_week"] * (horizon - out["finish"]), 0.0
    )
    until = np.where(np.isfinite(out["finish"]), out["finish"], horizon)
    out["delay_cost"] = out["cost_of_delay"] * (until - out["arrival"])
    due = out["due"]
    with np.errstate(invalid="ignore"):
        late_known = np.isfinite(due) & (np.isfinite(out["finish"]) | (due <= horizon))
        out["on_time"] = np.where(late_known, (out["finish"] <= due).astype(float), np.nan)
    return out


def _shares(plan: Plan, source: np.ndarray) -> np.ndarray:
    values = [*(t.value for t in plan.types), *(p.value for p in reversed(plan.pipeline))]
    table = np.array([v.shares for v in values], dtype=float)
    table = table.reshape(len(values), len(plan.objectives))
    return table[source]


def weekly_arrays(model: PortfolioModel, projects: dict[str, np.ndarray]) -> dict:
    """Weekly figures: per role ``(roles, weeks)`` arrays, portfolio and benefits per week."""
    plan = model.plan
    edges = week_edges(plan.horizon)
    length = np.diff(edges)
    roles: dict[str, list[np.ndarray]] = {
        k: [] for k in ("headcount", "busy", "waiting", "capacity_fte", "busy_fte", "queued_fte")
    }
    spend = np.zeros(len(length))
    for pool, role in zip(model.pools, plan.roles, strict=True):
        for key, log in (
            ("busy", pool.busy_log),
            ("headcount", pool.headcount_log),
            ("waiting", pool.waiting_log),
        ):
            roles[key].append(Step(*log).mean_between(edges))
        a = role.availability
        roles["capacity_fte"].append(roles["headcount"][-1] * a)
        roles["busy_fte"].append(roles["busy"][-1] * a)
        roles["queued_fte"].append(roles["waiting"][-1] * a)
        spend += roles["busy_fte"][-1] * role.weekly_cost * length
    role_arrays = {k: np.vstack(v) for k, v in roles.items()}
    portfolio = {
        "backlog": Step(*model.backlog_log).mean_between(edges),
        "wip": Step(*model.wip_log).mean_between(edges),
        "spend": spend,
    }
    for name, column in (
        ("arrivals", "arrival"),
        ("admitted", "admitted"),
        ("started", "start"),
        ("finished", "finish"),
    ):
        times = projects[column]
        portfolio[name] = np.histogram(times[np.isfinite(times)], bins=edges)[0]
    ends = edges[1:]
    b = projects["benefit_per_week"]
    total = realised_benefit(b, projects["finish"], ends)
    shares = _shares(plan, projects["source"])
    per_objective = np.vstack(
        [
            realised_benefit(b * shares[:, j], projects["finish"], ends)
            for j in range(shares.shape[1])
        ]
        or [np.zeros(len(ends))]
    )[: len(plan.objectives)]
    portfolio["benefit_cumulative"] = total
    return {"roles": role_arrays, "portfolio": portfolio, "benefits": per_objective}


def _mean_or_nan(x: np.ndarray) -> float:
    return float(x.mean()) if len(x) else math.nan


def replication_metrics(model: PortfolioModel, projects: dict[str, np.ndarray]) -> dict:
    """The replication's summary figures over the window from warm-up to horizon."""
    plan = model.plan
    w, h = plan.warmup, plan.horizon
    span = h - w
    window = np.array([w, h])
    arrival = projects["arrival"]
    finish = projects["finish"]
    after = arrival >= w
    done = after & np.isfinite(finish)
    lead = projects["lead_time"][done]
    waits = projects["wait"][after & np.isfinite(projects["start"])]
    on_time = projects["on_time"][after]
    on_time = on_time[np.isfinite(on_time)]
    out = {
        "arrivals": float(after.sum()),
        "finished": float(((finish >= w) & (finish <= h)).sum()),
    }
    out["throughput_per_year"] = out["finished"] / span * WEEKS_PER_YEAR
    out["lead_time_mean"] = _mean_or_nan(lead)
    out["lead_time_p85"] = float(np.percentile(lead, 85)) if len(lead) else math.nan
    out["wait_mean"] = _mean_or_nan(waits)
    out["on_time_share"] = _mean_or_nan(on_time)
    out["wip_mean"] = float(Step(*model.wip_log).mean_between(window)[0])
    out["backlog_mean"] = float(Step(*model.backlog_log).mean_between(window)[0])
    spend = 0.0
    for pool, role in zip(model.pools, plan.roles, strict=True):
        busy = np.diff(Step(*pool.busy_log).area(window))[0]
        head = np.diff(Step(*pool.headcount_log).area(window))[0]
        out[f"utilisation.{role.id}"] = float(busy / head) if head > 0 else math.nan
        productive_log = getattr(pool, "productive_log", None)
        if productive_log is not None:
            productive = np.diff(Step(*productive_log).area(window))[0]
            out[f"switching_loss.{role.id}"] = (
                float(1 - productive / busy) if busy > 0 else math.nan
            )
        spend += busy * role.availability * role.weekly_cost
    out["spend"] = float(spend)
    b = projects["benefit_per_week"]
    out["benefit_total"] = float(np.diff(realised_benefit(b, finish, window))[0])
    shares = _shares(plan, projects["source"])
    for j, objective in enumerate(plan.objectives):
        out[f"benefit.{objective}"] = float(
            np.diff(realised_benefit(b * shares[:, j], finish, window))[0]
        )
    until = np.where(np.isfinite(finish), finish, h)
    overlap = np.clip(until, w, h) - np.clip(arrival, w, h)
    out["delay_cost"] = float((projects["cost_of_delay"] * overlap).sum())
    if plan.rebalancing is not None:
        stopped = projects["stopped"]
        out["stopped"] = float(((stopped >= w) & (stopped <= h)).sum())
    if plan.selection_threshold is not None:
        declined = np.asarray(model.declined, dtype=float)
        out["declined"] = float(((declined >= w) & (declined <= h)).sum())
    return out
