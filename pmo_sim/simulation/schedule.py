"""When the named pipeline projects start and finish, across replications.

A sponsor asks "when will the ERP upgrade be done?". Over the replications,
each pipeline project has a distribution of start and finish weeks; the
schedule gives its median and 85th percentile (a date to commit to with
85% confidence), computed from :attr:`SimulationResult.projects`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

if TYPE_CHECKING:
    from pmo_sim.simulation.results import SimulationResult

__all__ = ["pipeline_schedule"]


def pipeline_schedule(result: SimulationResult) -> pd.DataFrame:
    """Per pipeline project: arrival, median and 85th-percentile start and finish (weeks).

    Projects not finished by the horizon count as finishing at the horizon,
    so the percentiles are lower bounds in that case; ``finished_share`` says
    how often the project was delivered within the horizon.
    """
    projects = result.projects
    named = projects[projects["pipeline"].astype(bool)]
    if named.empty:
        return pd.DataFrame()
    horizon = result.scenario.horizon_weeks
    named = named.assign(
        start_h=named["start"].fillna(horizon),
        finish_h=named["finish"].fillna(horizon),
        finished=named["finish"].notna(),
    )
    grouped = named.groupby("project_id", sort=False)
    table = pd.DataFrame(
        {
            "arrival": grouped["arrival"].median(),
            "start_p50": grouped["start_h"].median(),
            "start_p85": grouped["start_h"].quantile(0.85),
            "finish_p50": grouped["finish_h"].median(),
            "finish_p85": grouped["finish_h"].quantile(0.85),
            "finished_share": grouped["finished"].mean(),
        }
    ).reset_index()
    return table.sort_values("arrival", kind="stable").reset_index(drop=True)
