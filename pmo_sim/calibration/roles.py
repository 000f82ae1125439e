"""Roles fitted from the history: headcount, availability, weekly cost, people per demand.

- **Headcount** is the resource list's FTE per role, rounded; without a
  list, the most people the history shows busy at once (each project's
  effort on the role spread evenly over its start-to-finish weeks).
- **Availability** (the share of a person's time for project work) is, from
  timesheets, 1 - hours booked to non-project codes / contracted hours
  (FTE x hours per week x weeks booked); without timesheets
  :data:`DEFAULT_AVAILABILITY`.
- **People per demand** is the median over finished projects of effort /
  (duration x availability), rounded, at least 1: how many people worked on
  the project at once (with phases, each phase's share of the duration is
  its largest effort's share).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from pmo_sim.calibration.history import History

__all__ = ["DEFAULT_AVAILABILITY", "RoleFit", "fit_roles", "people_per_demand"]

#: Availability assumed without timesheets: a common planning figure (80% project time).
DEFAULT_AVAILABILITY = 0.8


@dataclass
class RoleFit:
    """A role's fitted figures and where each came from."""

    role: str
    headcount: int
    availability: float
    weekly_cost: float
    headcount_source: str
    availability_source: str
    cost_source: str


def _durations(history: History) -> pd.Series:
    done = history.projects[history.projects["status"] == "done"].dropna(subset=["start"])
    weeks = (done["finish"] - done["start"]).dt.total_seconds() / (7 * 86400.0)
    return pd.Series(weeks.to_numpy(), index=done["project_id"]).clip(lower=1.0)


def _phase_shares(efforts: pd.DataFrame, phase: str) -> pd.Series:
    """Per project, the phase's share of its duration: its largest effort over the phases'."""
    largest = efforts.groupby(["project_id", "phase"])["actual"].max().unstack(fill_value=0.0)
    if phase not in largest.columns or largest.shape[1] == 1:
        return pd.Series(1.0, index=largest.index)
    return (largest[phase] / largest.sum(axis=1)).where(lambda s: s > 0)


def people_per_demand(
    history: History, type_id: str, role: str, availability: float, phase: str = "delivery"
) -> tuple[int, int]:
    """(people, projects used): median effort / (duration x availability), at least 1.

    With several phases, a phase's duration is taken as the project's in proportion to the
    phase's largest effort (the phases run one after another).
    """
    durations = _durations(history)
    ids = history.projects.loc[history.projects["type"] == type_id, "project_id"]
    eff = history.efforts[history.efforts["project_id"].isin(ids)]
    rows = eff[(eff["role"] == role) & (eff["phase"] == phase) & (eff["actual"] > 0)]
    rows = rows[rows["project_id"].isin(durations.index)]
    if rows.empty:
        return 1, 0
    shares = _phase_shares(eff, phase)
    spans = durations[rows["project_id"]].to_numpy() * shares[rows["project_id"]].to_numpy()
    people = rows["actual"].to_numpy() / (np.maximum(spans, 1.0) * availability)
    return max(1, round(float(np.nanmedian(people)))), len(rows)


def _busy_people(history: History, role: str, availability: float) -> float:
    """Most people of ``role`` busy at once, each project's effort spread over its weeks."""
    p = history.projects.set_index("project_id")
    eff = history.efforts[(history.efforts["role"] == role) & (history.efforts["actual"] > 0)]
    weeks = math.ceil(history.window_weeks) + 1
    load = np.zeros(weeks)
    for pid, effort in zip(eff["project_id"], eff["actual"], strict=True):
        start = p.at[pid, "start"]
        if pd.isna(start):
            continue
        end = p.at[pid, "finish"] if not pd.isna(p.at[pid, "finish"]) else history.as_of
        a, b = history.weeks(pd.Series([start, end]))
        if b <= 0:
            continue  # finished before the window
        a, b = max(0, int(a)), max(max(0, int(a)) + 1, math.ceil(b))
        load[a:b] += effort / (b - a) / availability
    return float(load.max()) if len(load) else 0.0


def fit_roles(history: History, roles: list[str]) -> list[RoleFit]:
    """Headcount, availability and cost for each role named in the efforts."""
    res, sheets = history.resources, history.timesheets
    fits = []
    for role in roles:
        availability, a_source = DEFAULT_AVAILABILITY, "default (no timesheets)"
        fte = None
        if res is not None and (res["role"] == role).any():
            mine = res[res["role"] == role]
            fte = float(mine["fte"].sum())
            cost = float(np.average(mine["weekly_cost"], weights=mine["fte"])) if fte else 0.0
            c_source = f"resource list, {len(mine)} rows"
        else:
            cost, c_source = 0.0, "not given (no resource list row)"
        if sheets is not None and fte:
            mine = sheets[sheets["role"] == role]
            if len(mine):
                projects = set(history.projects["project_id"])
                other = float(mine.loc[~mine["project_id"].isin(projects), "hours"].sum())
                n_weeks = mine["week"].nunique()
                contracted = fte * history.hours_per_week * n_weeks
                availability = min(1.0, max(0.05, 1 - other / contracted))
                a_source = (
                    f"timesheets, {n_weeks} weeks: {other:,.0f} non-project hours of "
                    f"{contracted:,.0f} contracted"
                )
        if fte is not None:
            headcount, h_source = max(1, round(fte)), f"resource list: {fte:g} FTE"
        else:
            busy = _busy_people(history, role, availability)
            headcount = max(1, math.ceil(busy - 1e-9))
            h_source = f"no resource list: most people busy at once in the history ({busy:.1f})"
        fits.append(
            RoleFit(role, headcount, round(availability, 3), round(cost, 2), h_source, a_source,
                    c_source)
        )  # fmt: skip
    return fits
