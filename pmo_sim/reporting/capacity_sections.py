"""The prose of the capacity scenarios report, as escaped HTML fragments.

Runs the scenarios on common random numbers (:func:`run_scenarios`), then
each function writes one section: the headline per scenario, the
comparison table with intervals, the bottleneck role in words.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from pmo_sim.reporting.assessment_sections import table
from pmo_sim.reporting.html import escape

if TYPE_CHECKING:
    from pmo_sim.executor import Executor
    from pmo_sim.simulation import SimulationResult

__all__ = [
    "bottleneck",
    "bottleneck_section",
    "comparison_section",
    "headline",
    "run_scenarios",
    "save_results",
]

_KEY_METRICS = [
    ("throughput_per_year", "projects delivered per year", "{:.1f}"),
    ("lead_time_mean", "mean lead time (weeks)", "{:.1f}"),
    ("lead_time_p85", "85th-percentile lead time (weeks)", "{:.1f}"),
    ("wait_mean", "mean wait to start (weeks)", "{:.1f}"),
    ("on_time_share", "on-time share", "{:.0%}"),
    ("wip_mean", "projects in progress (mean)", "{:.1f}"),
    ("backlog_mean", "projects waiting at intake (mean)", "{:.1f}"),
    ("benefit_total", "benefits realised", "{:,.0f}"),
    ("spend", "labour spend", "{:,.0f}"),
]


def run_scenarios(
    scenarios: Sequence[str | Path],
    replications: int = 30,
    seed: int = 1,
    overrides: Sequence[str] = (),
    executor: Executor | None = None,
) -> dict[str, SimulationResult]:
    """Simulate each scenario file on the same seed (common random numbers), by name."""
    from pmo_sim.simulation import load_scenario, simulate

    results: dict[str, SimulationResult] = {}
    for path in scenarios:
        scenario = load_scenario(path, list(overrides))
        name = scenario.name
        while name in results:
            name += "'"
        results[name] = simulate(scenario, replications, seed, executor=executor)
    return results


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
    for label, metric_id, fmt in [(m[1], m[0], m[2]) for m in _KEY_METRICS]:
        row = {"measure": label}
        for name, result in results.items():
            rec = _metric(result, metric_id)
            if pd.isna(rec["mean"]):
                row[name] = "n/a"
                continue
            row[name] = (
                f"{fmt.format(rec['mean'])} ({fmt.format(rec['low'])} to {fmt.format(rec['high'])})"
            )
        rows.append(row)
    warmup = (
        f" (the first {s.warmup_weeks:g} weeks are warm-up and not counted)"
        if s.warmup_weeks
        else ""
    )
    roles = ", ".join(f"{escape(r)} {escape(v.headcount)}" for r, v in list(s.roles.items()))
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
    keep = {m[0]: m[1] for m in _KEY_METRICS}
    frame = frame[frame["metric"].isin(keep)].copy()

    def verdict(row: pd.Series) -> str:
        if row["low"] <= 0 <= row["high"]:
            return "no clear difference"
        up = row["low"] > 0
        if row["better"] == "higher":
            return "better" if up else "worse"
        if row["better"] == "lower":
            return "worse" if up else "better"
        return "higher" if up else "lower"

    frame["verdict"] = frame.apply(verdict, axis=1)
    formats = {m[0]: m[2] for m in _KEY_METRICS}
    for col in ["baseline_mean", "scenario_mean", "difference", "low", "high"]:
        frame[col] = [
            formats[m].format(v) if pd.notna(v) else "n/a"
            for m, v in zip(frame["metric"], frame[col], strict=True)
        ]
    frame["metric"] = frame["metric"].map(keep)
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
    ].rename(columns={"low": "95% low", "high": "95% high", "baseline_mean": "baseline"})
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
