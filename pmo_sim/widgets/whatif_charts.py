"""The what-if dashboard's figure: a variant's metrics beside the baseline's, with intervals.

Three panels a room can read from the back: utilisation per role, lead
time (mean and 85th percentile), and benefits per objective and in total.
Baseline bars are grey, the variant's blue; whiskers are 95% intervals over
the replications. The figure is built once (object-oriented matplotlib, no
pyplot) and :meth:`WhatIfChart.update` only moves bars and whiskers before
rendering, so a redraw costs a fraction of a second.
"""

from __future__ import annotations

import io
import textwrap

import matplotlib

matplotlib.use("Agg", force=False)
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.collections import LineCollection
from matplotlib.container import BarContainer
from matplotlib.figure import Figure

__all__ = ["BASELINE_COLOUR", "SATURATION", "VARIANT_COLOUR", "WhatIfChart"]

BASELINE_COLOUR = "#9aa5b1"
VARIANT_COLOUR = "#2f6690"
#: Utilisation above this leaves no slack for the unplanned: queues grow fast.
SATURATION = 0.85
_WIDTH = 0.38


class _Panel:
    """Paired bars (baseline, what-if) with whiskers for a list of metrics on one axes."""

    def __init__(
        self, ax: Axes, metrics: list[str], labels: list[str], scale: float, horizontal: bool
    ) -> None:
        self.ax = ax
        self.metrics = metrics
        self.scale = scale
        self.horizontal = horizontal
        pos = np.arange(len(metrics), dtype=float)
        zeros = np.zeros(len(metrics))
        self.bars: list[BarContainer] = []
        self.whiskers: list[LineCollection] = []
        self.centres: list[np.ndarray] = []
        for offset, colour, name in (
            (-_WIDTH / 2, BASELINE_COLOUR, "baseline"),
            (_WIDTH / 2, VARIANT_COLOUR, "what-if"),
        ):
            at = pos + offset
            if horizontal:
                bars = ax.barh(at, zeros, _WIDTH, color=colour, label=name)
            else:
                bars = ax.bar(at, zeros, _WIDTH, color=colour, label=name)
            whiskers = LineCollection([], colors="black", linewidths=0.9)
            ax.add_collection(whiskers)
            self.bars.append(bars)
            self.whiskers.append(whiskers)
            self.centres.append(at)
        if horizontal:
            ax.set_yticks(pos, labels, fontsize=8)
            ax.set_ylim(len(metrics) - 0.5, -0.5)  # first metric on top
        else:
            ax.set_xticks(pos, labels, fontsize=8)
            ax.set_xlim(-0.6, len(metrics) - 0.4)

    def update(self, summaries: tuple[pd.DataFrame, pd.DataFrame]) -> float:
        """Set bars and whiskers from two summary tables; return the largest value drawn."""
        top = 0.0
        for bars, whiskers, centres, summary in zip(
            self.bars, self.whiskers, self.centres, summaries, strict=True
        ):
            table = summary.set_index("metric").reindex(self.metrics)
            mean = np.nan_to_num(table["mean"].to_numpy(float)) / self.scale
            low = table["low"].to_numpy(float) / self.scale
            high = table["high"].to_numpy(float) / self.scale
            segments = []
            for rect, c, m, lo, hi in zip(bars, centres, mean, low, high, strict=True):
                if self.horizontal:
                    rect.set_width(m)
                else:
                    rect.set_height(m)
                if np.isfinite(lo) and np.isfinite(hi):
                    cap = _WIDTH / 5
                    line = [(lo, c), (hi, c)] if self.horizontal else [(c, lo), (c, hi)]
                    ends = [
                        [(v, c - cap), (v, c + cap)]
                        if self.horizontal
                        else [(c - cap, v), (c + cap, v)]
                        for v in (lo, hi)
                    ]
                    segments += [line, *ends]
                    top = max(top, hi)
                top = max(top, m)
            whiskers.set_segments(segments)
        return top


class WhatIfChart:
    """The dashboard's three panels, updated in place.

    ``role_names`` maps role ids to the names shown (in that order);
    ``objectives`` are the strategic objective ids, for the benefits panel.
    """

    def __init__(self, role_names: dict[str, str], objectives: list[str]) -> None:
        self.figure = Figure(figsize=(12, 3.8))
        self.figure.subplots_adjust(left=0.12, right=0.99, bottom=0.2, top=0.88, wspace=0.3)
        util, lead, benefit = self.figure.subplots(
            1, 3, gridspec_kw={"width_ratios": [1.25, 0.75, 1.2]}
        )
        roles = list(role_names)
        self.utilisation = _Panel(
            util, [f"utilisation.{r}" for r in roles], [role_names[r] for r in roles], 0.01, True
        )
        util.axvline(SATURATION * 100, color="#b3261e", linewidth=0.8, linestyle=":")
        util.set_xlim(0, 100)
        util.set_xlabel("utilisation, % of available time (dotted: 85%)", fontsize=8)
        util.set_title("Utilisation by role", fontsize=10)
        util.legend(loc="lower right", fontsize=7, frameon=True)

        self.lead_time = _Panel(
            lead, ["lead_time_mean", "lead_time_p85"], ["mean", "85th percentile"], 1.0, False
        )
        lead.set_ylabel("weeks, arrival to finish", fontsize=8)
        lead.set_title("Lead time", fontsize=10)

        labels = [textwrap.fill(o.replace("_", " "), 12) for o in objectives] + ["total"]
        self.benefits = _Panel(
            benefit, [f"benefit.{o}" for o in objectives] + ["benefit_total"], labels, 1e6, False
        )
        benefit.set_ylabel("millions over the horizon", fontsize=8)
        benefit.set_title("Benefits realised", fontsize=10)

        for ax in (util, lead, benefit):
            ax.tick_params(labelsize=8)
            ax.grid(axis="x" if ax is util else "y", color="#e0e0e0", linewidth=0.6)
            ax.set_axisbelow(True)
            for side in ("top", "right"):
                ax.spines[side].set_visible(False)
        self.figure.text(
            0.01, 0.02, "Bars: mean over replications; whiskers: 95% interval.", fontsize=7
        )

    @property
    def metrics(self) -> list[str]:
        """The summary metrics the chart shows."""
        return [m for p in (self.utilisation, self.lead_time, self.benefits) for m in p.metrics]

    def update(self, baseline: pd.DataFrame, variant: pd.DataFrame) -> None:
        """Show two summary tables (``metric``, ``mean``, ``low``, ``high``, as in
        ``SimulationResult.summary()``): the baseline's and the variant's."""
        pair = (baseline, variant)
        self.utilisation.update(pair)
        for panel in (self.lead_time, self.benefits):
            top = panel.update(pair)
            panel.ax.set_ylim(0, top * 1.12 if top > 0 else 1)

    def png(self, dpi: int = 72) -> bytes:
        """The figure as PNG bytes (for an ``ipywidgets.Image``)."""
        buf = io.BytesIO()
        self.figure.savefig(buf, format="png", dpi=dpi)
        return buf.getvalue()
