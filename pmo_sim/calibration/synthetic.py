"""A project history generated from a known process, for tests and the bundled example.

One replication of the capacity model is run on a *truth* scenario (known
arrival rates, effort distributions, headcount and availability) and what a
PPM tool would have recorded is written down: each project's created,
start and finish dates, its status (open at the export date: a censored
observation), its planned and actual effort per role in hours, and weekly
timesheets and a resource list. Calibrating that history must give back the
truth within the sampling error, and the backtest must reproduce it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from pmo_sim.simulation import Scenario
from pmo_sim.simulation.model import PortfolioModel
from pmo_sim.simulation.plan import compile_plan
from pmo_sim.simulation.streams import replication_seed

__all__ = ["SyntheticHistory", "synthetic_history"]


@dataclass
class SyntheticHistory:
    """The generated files' contents (canonical columns) and the export date."""

    projects: pd.DataFrame
    timesheets: pd.DataFrame
    resources: pd.DataFrame
    as_of: pd.Timestamp


def synthetic_history(
    truth: Scenario, seed: int = 1, start: str = "2023-01-02", hours_per_week: float = 40.0
) -> SyntheticHistory:
    """Run ``truth`` once and record it as a PPM export would (see the module docstring)."""
    plan = compile_plan(truth)
    model = PortfolioModel(plan, replication_seed(seed, 0)).run()
    origin = pd.Timestamp(start)
    horizon = plan.horizon
    pool_role = {id(pool): (r.id, r.availability) for pool, r in zip(model.pools, plan.roles,
                                                                      strict=True)}  # fmt: skip
    weeks = int(np.ceil(horizon))
    booked: dict[tuple[str, str], np.ndarray] = {}
    rows = []

    def day(week: float) -> str:
        return (
            "" if week != week else (origin + pd.Timedelta(days=round(week * 7))).date().isoformat()
        )

    for project in model.projects:
        if project.source < 0:  # a pipeline project: a batch approved at a known date
            pp = plan.pipeline[-1 - project.source]
            ptype, phases, pid = plan.types[pp.type], pp.phases, pp.id
        else:
            ptype = plan.types[project.source]
            phases, pid = ptype.phases, f"{ptype.id.upper()}-{project.seq:03d}"
        finished = project.finish == project.finish
        row: dict[str, Any] = {
            "project_id": pid,
            "name": f"{ptype.id.replace('_', ' ')} project {pid}",
            "type": ptype.id,
            "created": day(project.arrival),
            "start": day(project.start),
            "finish": day(project.finish) if finished else "",
            "status": "done" if finished else "open",
            "effort_unit": "hours",
        }
        for phase, demands in zip(project.phases, phases, strict=True):
            for work, demand in zip(phase, demands, strict=True):
                role, availability = pool_role[id(work.pool)]
                if work.state == 0:
                    done, began = 0.0, horizon
                else:
                    began = work.end - work.duration
                    done = min(work.end, horizon) - began
                rate = work.people * availability  # person-weeks of work per week
                effort = done * rate
                key = f"actual_effort.{role}"
                row[key] = round(row.get(key, 0.0) + effort * hours_per_week, 1)
                planned = f"planned_effort.{role}"
                row[planned] = round(row.get(planned, 0.0) + demand.planned * hours_per_week, 1)
                first, last = int(began), int(np.ceil(min(work.end, horizon)))
                for w in range(first, min(last, weeks)):
                    overlap = min(w + 1, began + done) - max(w, began)
                    if overlap > 0:
                        hours = booked.setdefault((role, row["project_id"]), np.zeros(weeks))
                        hours[w] += overlap * rate * hours_per_week
        rows.append(row)
    sheet_rows = []
    for r in plan.roles:
        headcount = r.headcount_plan[0][1]
        bau = headcount * hours_per_week * (1 - r.availability)
        for w in range(weeks):
            sheet_rows.append(
                {"role": r.id, "project": "BAU", "week": day(w), "hours": round(bau, 1)}
            )
    for (role, pid), hours in booked.items():
        for w in np.flatnonzero(hours > 0.05).tolist():
            sheet_rows.append({"role": role, "project": pid, "week": day(w),
                               "hours": round(float(hours[w]), 1)})  # fmt: skip
    resources = pd.DataFrame(
        [{"role": r.id, "fte": r.headcount_plan[0][1], "weekly_cost": r.weekly_cost}
         for r in plan.roles]
    )  # fmt: skip
    projects = pd.DataFrame(rows).fillna(0.0)
    return SyntheticHistory(
        projects=projects,
        timesheets=pd.DataFrame(sheet_rows),
        resources=resources,
        as_of=origin + pd.Timedelta(days=round(horizon * 7)),
    )
