"""The capacity and business-case reports' figures: load, flow, lead times, benefits, roadmap.

Each function takes simulation results (or a sweep table) and returns a
matplotlib ``Figure``. Bands are the 95% Student-t interval across
replications, the same as the tables (:func:`pmo_sim.presentation.band`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

import matplotlib.ticker
import numpy as np
import pandas as pd
import seaborn as sns
from matplotlib.figure import Figure

from pmo_sim.presentation import UNBOUNDED, band, clip_interval
from pmo_sim.reporting.figure_style import figure_style as _style
from pmo_sim.simulation.metrics import describe_metric
from pmo_sim.simulation.schedule import pipeline_schedule

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.typing import ColorType

    from pmo_sim.simulation import SimulationResult

__all__ = [
    "benefits_chart",
    "demand_capacity_heatmap",
    "flow_chart",
    "lead_time_distribution",
    "pipeline_roadmap",
    "sweep_heatmap",
    "utilisation_chart",
]


def _period(weeks: pd.Series, width: int = 4) -> pd.Series:
    return (weeks // width) * width


def demand_capacity_heatmap(result: SimulationResult, period_weeks: int = 4) -> Figure:
    """Demand over capacity per role and period (mean over replications): red is overload.

    Demand counts the FTE busy plus the FTE queued for the role, so a value
    above 1 means work waited for people of that role in that period.
    """
    weekly = result.weekly_roles
    frame = weekly.assign(period=_period(weekly["week"], period_weeks))
    agg = frame.groupby(["role", "period"], sort=False)[["demand_fte", "capacity_fte"]].sum()
    ratio = (agg["demand_fte"] / agg["capacity_fte"].where(agg["capacity_fte"] > 0)).unstack()
    ratio = ratio.reindex(list(dict.fromkeys(weekly["role"])))
    ratio.index = [r.replace("_", " ") for r in ratio.index]
    with _style():
        fig = Figure(figsize=(11, 1.4 + 0.45 * len(ratio)))
        ax = fig.add_subplot()
        sns.heatmap(
            ratio.astype(float), vmin=0, vmax=2, center=1, cmap="RdBu_r", ax=ax,
            cbar_kws={"label": "demand / capacity"}, linewidths=0.2,
        )  # fmt: skip
        ticks = ax.get_xticks()
        labels = [str(int(float(t.get_text()))) for t in ax.get_xticklabels()]
        ax.set_xticks(ticks[:: max(1, len(ticks) // 13)])
        ax.set_xticklabels(labels[:: max(1, len(ticks) // 13)], rotation=0)
        ax.set_xlabel(f"week ({period_weeks}-week periods)")
        ax.set_ylabel("")
        ax.set_title(f"Demand against capacity by role: {result.scenario.name}")
        fig.tight_layout()
    return fig


def utilisation_chart(results: Mapping[str, SimulationResult]) -> Figure:
    """Mean utilisation per role with its 95% interval (within 0-100%), one bar per scenario."""
    rows = []
    for name, result in results.items():
        summary = result.summary()
        for rec in summary[summary["metric"].str.startswith("utilisation.")].itertuples():
            role = rec.metric.split(".", 1)[1].replace("_", " ")
            low, high = clip_interval(rec.low, rec.high, describe_metric(rec.metric).domain)
            rows.append({"scenario": name, "role": role, "mean": rec.mean, "low": low,
                         "high": high})  # fmt: skip
    frame = pd.DataFrame(rows)
    roles = list(dict.fromkeys(frame["role"]))
    names = list(results)
    height = 0.8 / max(1, len(names))
    colours = sns.color_palette("deep", len(names))
    with _style():
        fig = Figure(figsize=(9, 1.2 + 0.5 * len(roles) * max(1, len(names) / 2)))
        ax = fig.add_subplot()
        for i, (name, colour) in enumerate(zip(names, colours, strict=True)):
            part = frame[frame["scenario"] == name].set_index("role").reindex(roles)
            y = np.arange(len(roles)) + i * height
            ax.barh(y, part["mean"], height=height, color=colour, label=name)
            err = np.vstack([part["mean"] - part["low"], part["high"] - part["mean"]])
            ax.errorbar(part["mean"], y, xerr=np.clip(err, 0, None), fmt="none",
                        ecolor="black", capsize=2, linewidth=0.8)  # fmt: skip
        ax.set_yticks(np.arange(len(roles)) + height * (len(names) - 1) / 2)
        ax.set_yticklabels(roles)
        ax.invert_yaxis()
        ax.axvline(0.85, color="#b3261e", linestyle=":", linewidth=1)
        ax.set_xlim(0, 1.02)
        ax.set_xlabel("utilisation (busy people / headcount); dotted line: 85%")
        ax.legend(loc="lower right", fontsize=8)
        ax.set_title("Utilisation by role (95% intervals)")
        fig.tight_layout()
    return fig


def _band(
    ax: Axes,
    frame: pd.DataFrame,
    column: str,
    label: str,
    colour: ColorType,
    domain: tuple[float, float] = UNBOUNDED,
) -> None:
    stats = frame.groupby("week")[column].agg(["mean", "std", "count"])
    # The same Student-t interval as the tables, not a normal 1.96, within what can happen.
    low, high = band(stats["mean"], stats["std"], stats["count"], domain=domain)
    ax.plot(stats.index, stats["mean"], color=colour, label=label, linewidth=1.6)
    ax.fill_between(stats.index, low, high, color=colour, alpha=0.2, linewidth=0)


def flow_chart(results: Mapping[str, SimulationResult]) -> Figure:
    """Intake backlog and work in progress over time, mean with 95% band, per scenario."""
    colours = sns.color_palette("deep", len(results))
    with _style():
        fig = Figure(figsize=(10, 6.5))
        top, bottom = fig.subplots(2, 1, sharex=True)
        for (name, result), colour in zip(results.items(), colours, strict=True):
            weekly = result.weekly_portfolio
            _band(top, weekly, "wip", name, colour, describe_metric("wip_mean").domain)
            _band(bottom, weekly, "backlog", name, colour, describe_metric("backlog_mean").domain)
        top.set_ylabel("projects in progress")
        bottom.set_ylabel("projects waiting at intake")
        bottom.set_xlabel("week")
        top.legend(fontsize=8)
        top.set_title("Work in progress and intake backlog (mean, 95% band)")
        fig.tight_layout()
    return fig


def lead_time_distribution(results: Mapping[str, SimulationResult]) -> Figure:
    """Distribution of lead times of finished projects, all replications pooled."""
    frames = []
    for name, result in results.items():
        projects = result.projects
        done = projects[projects["finish"].notna()]
        frames.append(pd.DataFrame({"scenario": name, "lead_time": done["lead_time"]}))
    data = pd.concat(frames, ignore_index=True)
    with _style():
        fig = Figure(figsize=(9, 4.2))
        ax = fig.add_subplot()
        sns.ecdfplot(data=data, x="lead_time", hue="scenario", ax=ax)
        ax.axhline(0.85, color="grey", linestyle=":", linewidth=1)
        ax.set_xlabel("lead time, arrival to delivery (weeks)")
        ax.set_ylabel("share of projects delivered within")
        ax.set_title("Lead time distribution (dotted line: 85th percentile)")
        fig.tight_layout()
    return fig


def benefits_chart(result: SimulationResult) -> Figure:
    """Cumulative benefit realised per strategic objective over time, mean with 95% band."""
    weekly = result.weekly_benefits
    objectives = list(dict.fromkeys(weekly["objective"]))
    colours = sns.color_palette("deep", len(objectives))
    with _style():
        fig = Figure(figsize=(10, 4.5))
        ax = fig.add_subplot()
        for objective, colour in zip(objectives, colours, strict=True):
            part = weekly[weekly["objective"] == objective]
            _band(ax, part, "benefit_cumulative", objective.replace("_", " "), colour)
        ax.set_xlabel("week")
        ax.set_ylabel("benefit realised (cumulative)")
        ax.yaxis.set_major_formatter(matplotlib.ticker.EngFormatter())
        ax.legend(fontsize=8)
        ax.set_title(f"Benefits realised by strategic objective: {result.scenario.name}")
        fig.tight_layout()
    return fig


def pipeline_roadmap(result: SimulationResult) -> Figure | None:
    """Gantt of the named pipeline projects: median and 85th-percentile start and finish."""
    table = pipeline_schedule(result)
    if table.empty:
        return None
    y = np.arange(len(table))[::-1]
    with _style():
        fig = Figure(figsize=(10, 1.2 + 0.45 * len(table)))
        ax = fig.add_subplot()
        ax.barh(y, table["finish_p50"] - table["start_p50"], left=table["start_p50"],
                color="#2f6690", height=0.5, label="median start to median finish")  # fmt: skip
        ax.barh(y, table["finish_p85"] - table["finish_p50"], left=table["finish_p50"],
                color="#9ecae1", height=0.5, label="up to 85th-percentile finish")  # fmt: skip
        ax.scatter(table["start_p85"], y, marker="|", s=200, color="black",
                   label="85th-percentile start", zorder=3)  # fmt: skip
        ax.scatter(table["arrival"], y, marker=".", s=60, color="grey", label="arrival", zorder=3)
        ax.set_yticks(y)
        ax.set_yticklabels(table["project_id"])
        ax.axvline(result.scenario.horizon_weeks, color="#b3261e", linestyle=":", linewidth=1)
        ax.set_xlabel("week")
        ax.legend(fontsize=8, loc="lower right")
        ax.set_title("Portfolio roadmap of the pipeline projects, across replications")
        fig.tight_layout()
    return fig


def sweep_heatmap(table: pd.DataFrame, x: str, y: str, metric: str, label: str = "") -> Figure:
    """Mean of ``metric`` over two swept paths; with more axes, the best over the rest.

    ``table`` is :meth:`pmo_sim.simulation.sweep.SweepResult.table`. Cells
    keep the order the values were given in (``none`` last if typed last).
    """
    from pmo_sim.simulation.metrics import describe_metric

    column = f"{metric}_mean"
    better = describe_metric(metric).better
    agg = "max" if better == "higher" else "min"
    order_x = list(dict.fromkeys(table[x]))
    order_y = list(dict.fromkeys(table[y]))
    grid = table.pivot_table(index=y, columns=x, values=column, aggfunc=agg)
    grid = grid.reindex(index=order_y, columns=order_x)
    with _style():
        fig = Figure(figsize=(1.8 + 1.1 * len(order_x), 1.4 + 0.6 * len(order_y)))
        ax = fig.add_subplot()
        sns.heatmap(
            grid.astype(float), annot=True, fmt=".3g", ax=ax, linewidths=0.5,
            cmap="RdYlGn_r" if better == "lower" else "RdYlGn",
            cbar_kws={"label": label or metric},
        )  # fmt: skip
        ax.set_xlabel(x)
        ax.set_ylabel(y)
        ax.tick_params(axis="x", labelrotation=0)
        ax.tick_params(axis="y", labelrotation=0)
        ax.set_title(f"Mean {metric} across the sweep")
        fig.tight_layout()
    return fig
