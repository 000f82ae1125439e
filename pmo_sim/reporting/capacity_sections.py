"""The prose of the capacity scenarios report, as escaped HTML fragments.

Takes the results of :func:`pmo_sim.simulation.simulate_files` (the
scenarios on common random numbers); each function writes one section: the
headline per scenario, the comparison table with intervals, the bottleneck
role in words. Labels, units, formats and verdicts come from the metric
catalogue and :mod:`pmo_sim.presentation`.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from pmo_sim.presentation import MISSING, verdict
from pmo_sim.reporting.assessment_sections import table
from pmo_sim.reporting.html import escape
from pmo_sim.simulation.metrics import describe_metric, format_metric

if TYPE_CHECKING:
    from pmo_sim.simulation import SimulationResult

__all__ = [
    "KEY_METRICS",
    "bottleneck",
    "bottleneck_section",
    "comparison_section",
    "headline",
    "save_results",
]

#: The metrics the report leads with, in the order a sponsor asks about them.
KEY_METRICS = (
    "throughput_per_year",
    "lead_time_mean",
    "lead_time_p85",
    "wait_mean",
    "on_time_share",
    "wip_mean",
    "backlog_mean",
    "benefit_total",
    "spend",
)


def save_results(results: dict[str, SimulationResult], output_dir: str | Path) -> Path:
    """Write ``capacity.json``: each scenario's summary (mean and 95% interval per metric)."""
    path = Path(output_dir) / "capacity.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    document = {name: r.summary_dict() for name, r in results.items()}
    path.write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return path


def _metric(result: SimulationResult, metric: str) -> pd.Series:
    summary = result.summary().set_index("metric")
    return summary.loc[metric]


def bottleneck(result: SimulationResult) -> tuple[str, float, float]:
    """The role with the highest mean utilisation: (role, utilisation, queued FTE on average)."""
    summary = result.summary()
    util = summary[summary["metric"].str.startswith("utilisation.")]
    top = util.sort_values("mean", ascending=False).iloc[0]
    role = top["metric"].split(".", 1)[1]
    weekly = result.weekly_roles
    queued = float(weekly.loc[weekly["role"] == role, "queued_fte"].mean())
    return role, float(top["mean"]), queued


def headline(client: str, results: dict[str, SimulationResult]) -> str:
    """Title, what was simulated, and each scenario's key figures with 95% intervals."""
    first = next(iter(results.values()))
    s = first.scenario
    rows = []
    for metric_id in KEY_METRICS:
        info = describe_metric(metric_id)
        row = {"measure": info.label}
        for name, result in results.items():
            rec = _metric(result, metric_id)
            if pd.isna(rec["mean"]):
                row[name] = MISSING
                continue
            mean = info.show(rec["mean"])
            low, high = info.show_interval(rec["low"], rec["high"])
            row[name] = f"{mean} ({low} to {high})"
        rows.append(row)
    warmup = (
        f" (the first {s.warmup_weeks:g} weeks are warm-up and not counted)"
        if s.warmup_weeks
        else ""
    )
    # Roles as the per-role rows of the tables name them ("business analyst").
    roles = ", ".join(
        f"{escape(r.replace('_', ' '))} {escape(v.headcount)}" for r, v in s.roles.items()
    )
    return f"""
<h1>Capacity scenarios: {escape(client)}</h1>
<p>{len(results)} scenario(s) simulated over {s.horizon_weeks:g} weeks{warmup},
{first.n} replications each
on common random numbers: every scenario sees the same project arrivals, efforts and benefits,
so the differences between them come from the decisions, not from luck.
Baseline headcount: {roles}.</p>
<p>Each figure is the mean across replications with its 95% interval.</p>
{table(pd.DataFrame(rows))}
"""


def comparison_section(results: dict[str, SimulationResult]) -> str:
    """Each scenario against the first, metric by metric, with the interval of the difference."""
    from pmo_sim.simulation import compare

    if len(results) < 2:
        return ""
    frame = compare(results)
    frame = frame[frame["metric"].isin(KEY_METRICS)].copy()
    frame["verdict"] = [
        verdict(lo, hi, better)
        for lo, hi, better in zip(frame["low"], frame["high"], frame["better"], strict=True)
    ]
    for col in ["baseline_mean", "scenario_mean", "difference", "low", "high"]:
        difference = col in {"difference", "low", "high"}
        frame[col] = [
            format_metric(m, v, difference=difference)
            for m, v in zip(frame["metric"], frame[col], strict=True)
        ]
    frame["metric"] = [describe_metric(m).label for m in frame["metric"]]
    shown = frame[
        [
            "scenario",
            "metric",
            "baseline_mean",
            "scenario_mean",
            "difference",
            "low",
            "high",
            "verdict",
        ]
    ].rename(
        columns={
            "low": "95% low",
            "high": "95% high",
            "baseline_mean": "baseline",
            "scenario_mean": "this scenario",
        }
    )
    return (
        f"<h2>Scenarios compared with {escape(next(iter(results)))}</h2>"
        "<p>A difference whose interval excludes zero is one the simulation is confident about; "
        "one that includes zero may be noise.</p>" + table(shown)
    )


def bottleneck_section(results: dict[str, SimulationResult]) -> str:
    """The bottleneck role of each scenario, in words."""
    parts = ["<h2>Bottleneck</h2><ul>"]
    for name, result in results.items():
        role, util, queued = bottleneck(result)
        pressure = (
            "work regularly waits for these people"
            if queued > 0.5
            else "queues for them stay short"
        )
        parts.append(
            f"<li><b>{escape(name)}</b>: {escape(role.replace('_', ' '))} is the busiest role "
            f"({util:.0%} utilised on average, {queued:.1f} FTE of work queued for it on "
            f"average): {pressure}. Adding capacity elsewhere will not speed up delivery until "
            "this role has slack.</li>"
        )
    parts.append("</ul>")
    return "\n".join(parts)
