"""The what-if dashboard's chart: a variant's metrics beside the baseline's, with intervals.

Three panels a room can read from the back of the room: utilisation per
role, lead time (mean and 85th percentile), and benefits per objective and
in total. Baseline bars are grey, the variant's blue; whiskers are 95%
intervals over the replications; hovering a bar shows its figures, written
as every table writes them (:meth:`pmo_sim.simulation.MetricInfo.show`,
interval ends clipped to what the metric can be: a utilisation's interval
stops at 100%).

The chart is written as SVG text rather than drawn with matplotlib: it takes
milliseconds instead of a third of a second (the dashboard must redraw within
one), and stays sharp on any projector because the browser scales it.
"""

from __future__ import annotations

import html
import math
import textwrap

import pandas as pd

from pmo_sim.simulation.metrics import describe_metric

__all__ = ["BASELINE_COLOUR", "SATURATION", "VARIANT_COLOUR", "WhatIfChart", "nice_ticks"]

BASELINE_COLOUR = "#9aa5b1"
VARIANT_COLOUR = "#2f6690"
#: Utilisation above this leaves no slack for the unplanned: queues grow fast.
SATURATION = 0.85

_WIDTH, _HEIGHT = 1120, 330
_TOP, _BOTTOM = 46, 270  # plot area of every panel, in SVG units
_FONT = "font-family='DejaVu Sans, Arial, sans-serif'"


def nice_ticks(top: float, count: int = 5) -> list[float]:
    """Round tick values from 0 to at least ``top`` (steps of 1, 2, 2.5 or 5 x 10^k)."""
    if not math.isfinite(top) or top <= 0:
        return [0.0, 1.0]
    raw = top / count
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw)
    n = math.ceil(top / step - 1e-9)
    return [i * step for i in range(n + 1)]


def _label(value: float) -> str:
    return f"{value:g}"


def _text(
    x: float, y: float, text: str, size: int = 11, anchor: str = "middle", **extra: object
) -> str:
    attrs = " ".join(f"{k.replace('_', '-')}='{v}'" for k, v in extra.items())
    lines = text.split("\n")
    if len(lines) == 1:
        body = html.escape(text)
    else:
        body = "".join(
            f"<tspan x='{x:.1f}' dy='{0 if i == 0 else 1.15}em'>{html.escape(line)}</tspan>"
            for i, line in enumerate(lines)
        )
    return (
        f"<text x='{x:.1f}' y='{y:.1f}' font-size='{size}' text-anchor='{anchor}' "
        f"{_FONT} {attrs}>{body}</text>"
    )


Triple = tuple[float, float, float]
Figures = dict[str, Triple]
"""A summary table as ``{metric: (mean, low, high)}``."""


def _figures(summary: pd.DataFrame) -> Figures:
    columns = (summary[c].to_numpy(float) for c in ("mean", "low", "high"))
    return {m: tuple(v) for m, *v in zip(summary["metric"], *columns, strict=True)}


class _Panel:
    """Paired bars (baseline, what-if) with whiskers for some metrics, in a box of the SVG."""

    def __init__(
        self,
        title: str,
        metrics: list[str],
        labels: list[str],
        axis_label: str,
        left: float,
        right: float,
        scale: float = 1.0,
        horizontal: bool = False,
        fixed_top: float | None = None,
        suffix: str = "",
    ) -> None:
        self.title = title
        self.metrics = metrics
        self.labels = labels
        self.axis_label = axis_label
        self.left, self.right = left, right
        self.scale = scale
        self.horizontal = horizontal
        self.fixed_top = fixed_top
        #: Words after a figure in a tooltip when its format does not say the unit (" weeks").
        self.suffix = suffix

    def svg(self, baseline: Figures, variant: Figures) -> str:
        missing = (math.nan, math.nan, math.nan)
        # Per metric: (mean, low, high) of the baseline and of the variant, unscaled.
        pairs = [[s.get(m, missing) for s in (baseline, variant)] for m in self.metrics]
        if self.fixed_top is not None:
            ticks = nice_ticks(self.fixed_top)
        else:
            top = max(
                (v / self.scale for pair in pairs for f in pair for v in f if math.isfinite(v)),
                default=1.0,
            )
            ticks = nice_ticks(top * 1.05)
        hi = ticks[-1]
        parts = [_text((self.left + self.right) / 2, 16, self.title, 14, font_weight="bold")]
        if self.horizontal:
            parts += self._horizontal(pairs, ticks, hi)
        else:
            parts += self._vertical(pairs, ticks, hi)
        return "".join(parts)

    def tooltip(self, metric: str, label: str, figures: Triple) -> str:
        """A bar's hover text: its mean and 95% interval in the metric's own format."""
        info = describe_metric(metric)
        mean, low, high = figures
        tip = f"{label}: {info.show(mean)}{self.suffix}"
        if math.isfinite(low) and math.isfinite(high):
            shown_low, shown_high = info.show_interval(low, high)
            tip += f" (95% interval {shown_low} to {shown_high}{self.suffix})"
        return tip

    def _bar(self, x: float, y: float, w: float, h: float, colour: str, tip: str) -> str:
        return (
            f"<rect x='{x:.1f}' y='{y:.1f}' width='{max(w, 0):.1f}' height='{max(h, 0):.1f}' "
            f"fill='{colour}'><title>{html.escape(tip)}</title></rect>"
        )

    def _horizontal(self, pairs: list[list[Triple]], ticks: list[float], hi: float) -> list[str]:
        x0, x1 = self.left + 150, self.right
        band = (_BOTTOM - _TOP) / len(self.metrics)
        bar = band * 0.36

        def sx(v: float) -> float:
            return x0 + (x1 - x0) * min(max(v / self.scale, 0), hi) / hi

        parts = []
        for t in ticks:
            x = sx(t * self.scale)
            parts.append(
                f"<line x1='{x:.1f}' y1='{_TOP}' x2='{x:.1f}' y2='{_BOTTOM}' stroke='#e4e4e4'/>"
            )
            parts.append(_text(x, _BOTTOM + 14, _label(t), 10))
        sat = sx(SATURATION * 100 * self.scale)
        parts.append(
            f"<line x1='{sat:.1f}' y1='{_TOP}' x2='{sat:.1f}' y2='{_BOTTOM}' stroke='#b3261e' "
            "stroke-dasharray='2,3'/>"
        )
        for i, (metric, label, pair) in enumerate(
            zip(self.metrics, self.labels, pairs, strict=True)
        ):
            centre = _TOP + band * (i + 0.5)
            parts.append(_text(x0 - 6, centre + 4, label, 11, "end"))
            for j, (figures, colour, who) in enumerate(
                zip(pair, (BASELINE_COLOUR, VARIANT_COLOUR), ("baseline", "what-if"), strict=True)
            ):
                y = centre - bar + j * bar
                mean, low, high = figures
                width = sx(mean) - x0 if math.isfinite(mean) else 0
                tip = self.tooltip(metric, f"{label}, {who}", figures)
                parts.append(self._bar(x0, y, width, bar - 1, colour, tip))
                if math.isfinite(low) and math.isfinite(high):
                    c = y + (bar - 1) / 2
                    a, b = sx(low), sx(high)
                    parts.append(
                        f"<path d='M{a:.1f},{c:.1f}H{b:.1f}M{a:.1f},{c - 3:.1f}V{c + 3:.1f}"
                        f"M{b:.1f},{c - 3:.1f}V{c + 3:.1f}' stroke='black' stroke-width='1'/>"
                    )
        parts.append(f"<line x1='{x0}' y1='{_TOP}' x2='{x0}' y2='{_BOTTOM}' stroke='#333'/>")
        parts.append(_text((x0 + x1) / 2, _BOTTOM + 32, self.axis_label, 11))
        return parts

    def _vertical(self, pairs: list[list[Triple]], ticks: list[float], hi: float) -> list[str]:
        x0, x1 = self.left + 46, self.right
        band = (x1 - x0) / len(self.metrics)
        bar = min(band * 0.36, 46)

        def sy(v: float) -> float:
            return _BOTTOM - (_BOTTOM - _TOP) * min(max(v / self.scale, 0), hi) / hi

        parts = []
        for t in ticks:
            y = sy(t * self.scale)
            parts.append(f"<line x1='{x0}' y1='{y:.1f}' x2='{x1}' y2='{y:.1f}' stroke='#e4e4e4'/>")
            parts.append(_text(x0 - 5, y + 4, _label(t), 10, "end"))
        for i, (metric, label, pair) in enumerate(
            zip(self.metrics, self.labels, pairs, strict=True)
        ):
            centre = x0 + band * (i + 0.5)
            parts.append(_text(centre, _BOTTOM + 15, label, 10))
            for j, (figures, colour, who) in enumerate(
                zip(pair, (BASELINE_COLOUR, VARIANT_COLOUR), ("baseline", "what-if"), strict=True)
            ):
                x = centre - bar + j * bar
                mean, low, high = figures
                y = sy(mean) if math.isfinite(mean) else _BOTTOM
                who_label = f"{label.replace(chr(10), ' ')}, {who}"
                tip = self.tooltip(metric, who_label, figures)
                parts.append(self._bar(x, y, bar - 1, _BOTTOM - y, colour, tip))
                if math.isfinite(low) and math.isfinite(high):
                    c = x + (bar - 1) / 2
                    a, b = sy(low), sy(high)
                    parts.append(
                        f"<path d='M{c:.1f},{a:.1f}V{b:.1f}M{c - 4:.1f},{a:.1f}H{c + 4:.1f}"
                        f"M{c - 4:.1f},{b:.1f}H{c + 4:.1f}' stroke='black' stroke-width='1'/>"
                    )
        parts.append(f"<line x1='{x0}' y1='{_BOTTOM}' x2='{x1}' y2='{_BOTTOM}' stroke='#333'/>")
        mid = (_TOP + _BOTTOM) / 2
        parts.append(_text(self.left + 10, mid, self.axis_label, 11,
                           transform=f"rotate(-90 {self.left + 10} {mid})"))  # fmt: skip
        return parts


class WhatIfChart:
    """The dashboard's three panels as one SVG.

    ``role_names`` maps role ids to the names shown (in that order);
    ``objectives`` are the strategic objective ids, for the benefits panel.
    """

    def __init__(self, role_names: dict[str, str], objectives: list[str]) -> None:
        roles = list(role_names)
        labels = [textwrap.fill(o.replace("_", " "), 12) for o in objectives] + ["total"]
        self.panels = [
            _Panel(
                "Utilisation by role", [f"utilisation.{r}" for r in roles],
                [role_names[r] for r in roles], "% of available time (dotted: 85%)",
                0, 470, scale=0.01, horizontal=True, fixed_top=100,
            ),
            _Panel(
                "Lead time (weeks)", ["lead_time_mean", "lead_time_p85"],
                ["mean", "85th percentile"], "weeks, arrival to finish", 500, 740, suffix=" weeks",
            ),
            _Panel(
                "Benefits realised", [f"benefit.{o}" for o in objectives] + ["benefit_total"],
                labels, "millions over the horizon", 770, _WIDTH - 10, scale=1e6,
            ),
        ]  # fmt: skip

    @property
    def metrics(self) -> list[str]:
        """The summary metrics the chart shows."""
        return [m for panel in self.panels for m in panel.metrics]

    def svg(self, baseline: pd.DataFrame, variant: pd.DataFrame) -> str:
        """The chart for the baseline's and the variant's summary tables.

        Each table has ``metric``, ``mean``, ``low`` and ``high``, as in
        ``SimulationResult.summary()``.
        """
        legend = (
            f"<rect x='{_WIDTH - 250}' y='{_HEIGHT - 16}' width='12' height='12' "
            f"fill='{BASELINE_COLOUR}'/>"
            + _text(_WIDTH - 234, _HEIGHT - 6, "baseline", 11, "start")
            + f"<rect x='{_WIDTH - 170}' y='{_HEIGHT - 16}' width='12' height='12' "
            f"fill='{VARIANT_COLOUR}'/>"
            + _text(_WIDTH - 154, _HEIGHT - 6, "what-if", 11, "start")
            + _text(
                4,
                _HEIGHT - 6,
                "Bars: mean over replications; whiskers: 95% interval.",
                10,
                "start",
                fill="#555",
            )
        )
        base, var = _figures(baseline), _figures(variant)
        body = "".join(panel.svg(base, var) for panel in self.panels)
        return (
            f"<svg class='pmo-whatif-chart' xmlns='http://www.w3.org/2000/svg' "
            f"viewBox='0 0 {_WIDTH} {_HEIGHT}' width='100%' style='max-width:{_WIDTH}px'>"
            f"{body}{legend}</svg>"
        )
