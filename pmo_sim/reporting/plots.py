"""Every report figure in one import, for the notebooks: ``from pmo_sim.reporting import plots``.

The figures live by domain: :mod:`.assessment_figures` (scores, groups,
gaps, trend) and :mod:`.capacity_figures` (load, flow, lead times,
benefits, roadmap, sweeps), in the style of :mod:`.figure_style`; the
pipeline schedule is computed in :mod:`pmo_sim.simulation.schedule`. Each
function returns a matplotlib ``Figure``; :func:`show` displays one in a
notebook.
"""

from __future__ import annotations

from pmo_sim.reporting.assessment_figures import (
    dimension_bars,
    group_heatmap,
    group_radar,
    perception_gap_chart,
    trend_chart,
)
from pmo_sim.reporting.capacity_figures import (
    benefits_chart,
    demand_capacity_heatmap,
    flow_chart,
    lead_time_distribution,
    pipeline_roadmap,
    sweep_heatmap,
    utilisation_chart,
)
from pmo_sim.reporting.figure_style import show
from pmo_sim.simulation.schedule import pipeline_schedule

__all__ = [
    "benefits_chart",
    "demand_capacity_heatmap",
    "dimension_bars",
    "flow_chart",
    "group_heatmap",
    "group_radar",
    "lead_time_distribution",
    "perception_gap_chart",
    "pipeline_roadmap",
    "pipeline_schedule",
    "show",
    "sweep_heatmap",
    "trend_chart",
    "utilisation_chart",
]
