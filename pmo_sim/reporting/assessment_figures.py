"""The assessment report's figures: scores by dimension and group, gaps, the trend.

Each function takes an :class:`~pmo_sim.assessment.Assessment` and returns a
matplotlib ``Figure``; scores written on a figure are truncated toward their
tier, as everywhere (:func:`pmo_sim.presentation.score_text`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
import seaborn as sns
from matplotlib.figure import Figure

from pmo_sim.assessment.groups import group_label
from pmo_sim.presentation import score_text
from pmo_sim.reporting.figure_style import GROUP_PALETTE, TIER_COLOURS
from pmo_sim.reporting.figure_style import figure_style as _style

if TYPE_CHECKING:
    from pmo_sim.assessment import Assessment

__all__ = [
    "dimension_bars",
    "group_heatmap",
    "group_radar",
    "perception_gap_chart",
    "trend_chart",
]


def _group_table(assessment: Assessment) -> tuple[pd.DataFrame, list[str]]:
    """Scores as dimension (rows, questionnaire order) x group (columns, as they came)."""
    groups = list(dict.fromkeys(assessment.groups["group"]))
    table = assessment.groups.pivot(index="dimension", columns="group", values="score")
    return table.reindex(index=assessment.dimensions["dimension"], columns=groups), groups


def _short(name: str, width: int = 18) -> str:
    import textwrap

    return "\n".join(textwrap.wrap(name, width)) or name


def group_radar(assessment: Assessment) -> Figure:
    """Dimension scores per respondent group on one radar, with the overall score."""
    dims = assessment.dimensions
    labels = [_short(n, 16) for n in dims["name"]]
    angles = np.linspace(0, 2 * np.pi, len(dims), endpoint=False)
    closed = np.append(angles, angles[0])
    table, groups = _group_table(assessment)
    colours = sns.color_palette(GROUP_PALETTE, len(groups))
    with _style():
        fig = Figure(figsize=(8.5, 7.5))
        ax = fig.add_subplot(projection="polar")
        for group, colour in zip(groups, colours, strict=True):
            values = table[group].to_numpy(dtype=float)
            values = np.append(values, values[0])
            ax.plot(closed, values, color=colour, linewidth=1.6, label=group_label(group))
            ax.fill(closed, np.nan_to_num(values), color=colour, alpha=0.06)
        overall = np.append(dims["score"].to_numpy(float), dims["score"].iloc[0])
        ax.plot(closed, overall, color="black", linewidth=2.4, linestyle="--", label="overall")
        ax.set_xticks(angles)
        ax.set_xticklabels(labels, fontsize=8)
        ax.set_ylim(0, 4)
        ax.set_yticks([1, 2, 3, 4])
        ax.set_yticklabels(["1", "2", "3", "4"], fontsize=7, color="grey")
        ax.legend(loc="upper right", bbox_to_anchor=(1.32, 1.1), fontsize=8, frameon=False)
        ax.set_title("Dimension scores by respondent group (0-4)", pad=24)
        fig.tight_layout()
    return fig


def group_heatmap(assessment: Assessment) -> Figure:
    """Dimension x group scores, coloured by tier band; empty cells where a group did not answer."""
    dims = assessment.dimensions
    table, groups = _group_table(assessment)
    table.index = list(dims["name"])
    table.columns = [group_label(g).replace(" ", "\n") for g in groups]
    table["overall"] = dims["score"].to_numpy(float)
    with _style():
        fig = Figure(figsize=(1.6 + 1.25 * table.shape[1], 1.0 + 0.42 * len(table)))
        ax = fig.add_subplot()
        sns.heatmap(
            table.astype(float), vmin=0, vmax=4, cmap="RdYlGn", fmt="",
            # scores truncated toward their tier, as everywhere (2.996 is "2.99", tier 2)
            annot=table.astype(float).map(lambda v: "" if v != v else score_text(v)).to_numpy(),
            linewidths=0.5, cbar_kws={"label": "score (0-4)"}, ax=ax,
        )  # fmt: skip
        ax.set_xlabel("")
        ax.set_ylabel("")
        ax.tick_params(axis="x", labelrotation=0)
        ax.set_title("Where each group places the PMO")
        fig.tight_layout()
    return fig


def dimension_bars(assessment: Assessment) -> Figure:
    """Each dimension's score with its interval, against the tier lines and the target."""
    dims = assessment.dimensions.iloc[::-1]
    y = np.arange(len(dims))
    with _style():
        fig = Figure(figsize=(8.5, 1.0 + 0.42 * len(dims)))
        ax = fig.add_subplot()
        colours = [TIER_COLOURS[int(t)] for t in dims["tier"]]
        ax.barh(y, dims["score"], color=colours, alpha=0.85)
        err = np.vstack(
            [dims["score"] - dims["interval_low"], dims["interval_high"] - dims["score"]]
        )
        ax.errorbar(
            dims["score"],
            y,
            xerr=np.clip(err, 0, None),
            fmt="none",
            ecolor="black",
            capsize=3,
            linewidth=1,
        )
        for tier in range(1, 5):
            ax.axvline(tier, color="grey", linewidth=0.6, linestyle=":")
        ax.axvline(assessment.target_tier, color="#2f6690", linewidth=2, label="target tier")
        ax.set_yticks(y)
        ax.set_yticklabels(dims["name"])
        ax.set_xlim(0, 4.05)
        ax.set_xlabel("score (0-4), bars show the 90% interval")
        ax.legend(loc="lower right", frameon=True)
        ax.set_title("Dimension scores and the gap to the target tier")
        fig.tight_layout()
    return fig


def perception_gap_chart(assessment: Assessment) -> Figure:
    """Per dimension, each group's score on one line: long lines are perception gaps."""
    dims = assessment.dimensions
    table, groups = _group_table(assessment)
    colours = sns.color_palette(GROUP_PALETTE, len(groups))
    flagged = set(
        assessment.perception_gaps.loc[assessment.perception_gaps["flagged"], "dimension"]
    )
    y = np.arange(len(dims))[::-1]
    with _style():
        fig = Figure(figsize=(8.5, 1.2 + 0.42 * len(dims)))
        ax = fig.add_subplot()
        lo = table.min(axis=1).to_numpy(float)
        hi = table.max(axis=1).to_numpy(float)
        ax.hlines(y, lo, hi, color="#9aa5b1", linewidth=2)
        for group, colour in zip(groups, colours, strict=True):
            ax.scatter(table[group], y, color=colour, s=45, zorder=3, label=group_label(group))
        ax.set_yticks(y)
        ax.set_yticklabels(
            [
                f"{n}  ⚑" if d in flagged else n
                for d, n in zip(dims["dimension"], dims["name"], strict=True)
            ]
        )
        ax.set_xlim(0, 4.05)
        ax.set_xlabel("score (0-4); ⚑ marks a gap of a full tier or more between two groups")
        ax.legend(loc="lower right", fontsize=8)
        ax.set_title("Perception gaps between stakeholder groups")
        fig.tight_layout()
    return fig


def trend_chart(assessment: Assessment) -> Figure | None:
    """Previous and current score per dimension; None without a previous assessment."""
    if assessment.trend is None:
        return None
    t = assessment.trend.dimensions.iloc[::-1]
    y = np.arange(len(t))
    with _style():
        fig = Figure(figsize=(8.5, 1.0 + 0.42 * len(t)))
        ax = fig.add_subplot()
        ax.hlines(y, t["previous_score"], t["score"], color="#9aa5b1", linewidth=2)
        ax.scatter(t["previous_score"], y, color="#9aa5b1", s=40, label="previous", zorder=3)
        ax.scatter(t["score"], y, color="#2f6690", s=50, label="now", zorder=3)
        ax.set_yticks(y)
        ax.set_yticklabels(t["name"])
        ax.set_xlim(0, 4.05)
        ax.set_xlabel("score (0-4)")
        ax.legend(loc="lower right")
        ax.set_title("Change since the previous assessment")
        fig.tight_layout()
    return fig
