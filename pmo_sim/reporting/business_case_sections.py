"""The prose and the figure of the business case report, as escaped HTML and a Figure.

Sections take a :class:`~pmo_sim.business_case.BusinessCase` (made from the
files by :func:`pmo_sim.business_case.business_case_files`); :func:`headline`
gives the one-minute answer (the key differences with 95% intervals);
:func:`practices_section`, :func:`objectives_section` and
:func:`assumptions_section` the detail; :func:`cumulative_benefits_chart`
the benefits realised week by week under both practice sets.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

import matplotlib.ticker
import numpy as np
import pandas as pd
import seaborn as sns
from matplotlib.figure import Figure

from pmo_sim.presentation import format_value, plain_text
from pmo_sim.reporting.assessment_sections import table
from pmo_sim.reporting.html import escape
from pmo_sim.simulation.metrics import format_metric

if TYPE_CHECKING:
    from pmo_sim.business_case import BusinessCase, Sensitivity

__all__ = [
    "assumptions_section",
    "cumulative_benefits_chart",
    "headline",
    "objectives_section",
    "practices_section",
    "save_results",
    "sensitivity_section",
    "tornado_chart",
]

_SHOWN = ["benefit_total", "lead_time_mean", "on_time_share", "delay_cost", "throughput_per_year"]


def save_results(
    case: BusinessCase, output_dir: str | Path, sensitivity: Sensitivity | None = None
) -> Path:
    """Write ``business_case.json`` (the CLI's JSON) into ``output_dir``."""
    path = Path(output_dir) / "business_case.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    document = case.to_dict()
    if sensitivity is not None and case.sensitivity is None:
        document["sensitivity"] = sensitivity.to_dict()
    text = json.dumps(document, indent=2, ensure_ascii=False, allow_nan=False) + "\n"
    path.write_text(text, encoding="utf-8")
    return path


def _difference(metric: str, r: Any) -> str:
    """``+1,234 (+200 to +2,300)``: a difference and its 95% interval."""
    d, lo, hi = (
        format_metric(metric, r[k], difference=True) for k in ("difference", "low", "high")
    )
    return f"{d} ({lo} to {hi})"


def headline(case: BusinessCase, client: str | None = None) -> str:
    """Title, the question, and the key differences with their intervals, in a table."""
    p = case.position
    name = client or p.client or "the client"
    head = case.headline().set_index("metric")
    rows = []
    for metric in _SHOWN:
        if metric not in head.index:
            continue
        r = head.loc[metric]
        rows.append(
            {
                "measure": r["measure"],
                "today's practices": format_metric(metric, r["today"]),
                f"tier {case.target_tier} practices": format_metric(metric, r["target"]),
                "difference (95% interval)": _difference(metric, r),
                "verdict": r["verdict"],
            }
        )
    findings = "".join(f"<li>{escape(f)}</li>" for f in case.findings())
    return f"""
<h1>PMO business case: {escape(name)}</h1>
<p>The assessment puts the PMO at tier {p.tier} ({escape(p.tier_name)}). What would working at
tier {case.target_tier} change in what the portfolio delivers? The client's own portfolio
(scenario <i>{escape(case.scenario_name)}</i>) was simulated {case.replications} times under
today's practices and {case.replications} times under the target tier's, on the same random
numbers: the same projects arrive with the same efforts and benefits, so each difference comes
from the practices alone.</p>
{table(pd.DataFrame(rows))}
<ul>{findings}</ul>
"""


def practices_section(case: BusinessCase) -> str:
    """What is simulated today and at the target, practice by practice."""
    frame = case.practice_table().rename(
        columns={
            "today_tier": "tier today",
            "today": "today",
            "target_tier": "tier at target",
            "target": "at the target",
            "decided_by": "decided by the dimension",
        }
    )
    return (
        "<h2>What changes</h2><p>Each practice follows the tier the client scored on the "
        "dimension that governs it.</p>" + table(frame)
    )


def objectives_section(case: BusinessCase) -> str:
    """Benefits per strategic objective and utilisation per role, with intervals."""
    parts = []
    for title, frame in (
        ("Benefits realised by strategic objective", case.by_objective()),
        ("Utilisation by role", case.utilisation()),
        ("Time lost to switching between assignments, by role", case.switching()),
    ):
        if frame.empty:
            continue
        shown = pd.DataFrame(
            {
                "": frame["measure"],
                "today": [
                    format_metric(m, v)
                    for m, v in zip(frame["metric"], frame["today"], strict=True)
                ],
                "target": [
                    format_metric(m, v)
                    for m, v in zip(frame["metric"], frame["target"], strict=True)
                ],
                "difference (95% interval)": [
                    _difference(r["metric"], r) for _, r in frame.iterrows()
                ],
                "verdict": frame["verdict"],
            }
        )
        parts.append(f"<h2>{escape(title)}</h2>" + table(shown))
    return "\n".join(parts)


def assumptions_section(case: BusinessCase) -> str:
    """The assumptions in plain words."""
    items = "".join(f"<li>{escape(a)}</li>" for a in case.assumptions())
    return f"<h2>Assumptions</h2><ul>{items}</ul>"


def cumulative_benefits_chart(case: BusinessCase) -> Figure:
    """Cumulative benefits realised per week under both practice sets (mean, 95% band)."""
    colours = sns.color_palette("deep", 2)
    labels = {
        "today": f"today's practices (tier {case.position.tier})",
        "target": f"tier {case.target_tier} practices",
    }
    with (
        plain_text(),
        sns.axes_style("whitegrid"),
        sns.plotting_context("notebook", font_scale=0.9),
    ):
        fig = Figure(figsize=(10, 4.5))
        ax = fig.add_subplot()
        for (arm, result), colour in zip(case.results.items(), colours, strict=True):
            stats = result.weekly_portfolio.groupby("week")["benefit_cumulative"].agg(
                ["mean", "std", "count"]
            )
            half = 1.96 * stats["std"].fillna(0) / np.sqrt(stats["count"])
            ax.plot(stats.index, stats["mean"], color=colour, label=labels[arm], linewidth=1.8)
            ax.fill_between(
                stats.index,
                stats["mean"] - half,
                stats["mean"] + half,
                color=colour,
                alpha=0.2,
                linewidth=0,
            )
        ax.set_xlabel("week")
        ax.set_ylabel("benefits realised (cumulative)")
        ax.yaxis.set_major_formatter(matplotlib.ticker.EngFormatter())
        ax.legend(fontsize=8, loc="upper left")
        ax.set_title("Benefits realised under both practice sets (mean, 95% band)")
        fig.tight_layout()
    return fig


def _money(value: float) -> str:
    return format_metric("benefit_total", value, difference=True)


def sensitivity_section(sensitivity: Sensitivity) -> str:
    """What the answer hangs on: the break-even and each assumption's range and effect."""
    rows = []
    for r in sensitivity.table.itertuples():
        rows.append(
            {
                "assumption": r.label,
                "as run": _shown(r.name, r.base),
                "range tried": f"{_shown(r.name, r.low)} to {_shown(r.name, r.high)}",
                "benefit difference at the ends": (
                    f"{_money(r.difference_low)} / {_money(r.difference_high)}"
                ),
                "why this range": r.range_words,
            }
        )
    return (
        "<h2>What the answer hangs on</h2>"
        f"<p>The benefit difference as run is {escape(_money(sensitivity.base_difference))}. "
        "Each assumption below was moved on its own to the ends of its plausible range, "
        "with both runs repeated on the same random numbers; the chart below shows how far "
        "each one moves the answer, the most influential first. The longest bars are the "
        "assumptions to discuss first.</p>"
        f"<p><b>{escape(sensitivity.break_even_words)}</b></p>" + table(pd.DataFrame(rows))
    )


def _shown(name: str, value: float) -> str:
    from pmo_sim.business_case import ASSUMPTIONS

    for a in ASSUMPTIONS:
        if a.name == name:
            return a.show(value)
    return format_value(value)


def tornado_chart(sensitivity: Sensitivity) -> Figure:
    """Tornado of the benefit difference: each assumption at the low and high end of its range."""
    frame = sensitivity.table.iloc[::-1]  # most influential on top
    base = sensitivity.base_difference
    colours = sns.color_palette("deep", 2)
    with (
        plain_text(),
        sns.axes_style("whitegrid"),
        sns.plotting_context("notebook", font_scale=0.9),
    ):
        fig = Figure(figsize=(10, 0.6 * len(frame) + 1.8))
        ax = fig.add_subplot()
        ys = np.arange(len(frame))
        # Each end gets its own half of the row (low above, high below), so two ends on
        # the same side of the result as run never hide each other or their labels.
        for y, r in zip(ys, frame.itertuples(), strict=True):
            for end, value, colour, offset in (
                ("low", r.difference_low, colours[0], 0.17),
                ("high", r.difference_high, colours[1], -0.17),
            ):
                ax.barh(y + offset, value - base, left=base, color=colour, height=0.32)
                ax.annotate(
                    _shown(r.name, getattr(r, end)),
                    (value, y + offset),
                    xytext=(4 if value >= base else -4, 0),
                    textcoords="offset points",
                    ha="left" if value >= base else "right",
                    va="center",
                    fontsize=8,
                )
        ax.axvline(base, color="black", linewidth=1)
        ax.annotate(
            f"as run: {format_metric('benefit_total', base, difference=True)}",
            (base, 1.0),
            xycoords=("data", "axes fraction"),
            xytext=(0, 3),
            textcoords="offset points",
            ha="center",
            va="bottom",
            fontsize=8,
        )
        ax.grid(axis="y", visible=False)
        ax.axvline(0, color="grey", linewidth=1, linestyle="--")
        ax.set_yticks(ys)
        ax.set_yticklabels([str(label) for label in frame["label"]], fontsize=8)
        ax.xaxis.set_major_formatter(matplotlib.ticker.EngFormatter())
        ax.set_xlabel(
            "benefit difference, target - today (low end of each range: blue, above; high: orange)"
        )
        ax.set_title("What the business case hangs on (one assumption at a time)", pad=16)
        ax.margins(x=0.15)
        fig.tight_layout()
    return fig
