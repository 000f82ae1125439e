"""The live radar as SVG: one line per group and the overall score, drawn in the browser.

The report's radar is a matplotlib figure; on the facilitator's page an SVG
of a few kilobytes is sharper on a projector, redraws without a round trip
through matplotlib, and keeps the server small. Every text in it (group and
dimension names come from input files) is escaped.
"""

from __future__ import annotations

import math
import textwrap
from html import escape

from pmo_sim.assessment.groups import group_label
from pmo_sim.assessment.questionnaire import TIER_NAMES
from pmo_sim.assessment.result import Assessment

__all__ = ["GROUP_COLOURS", "group_colours", "radar_svg"]

#: Seaborn's "colorblind" palette (the report's radar uses it too), as hex.
GROUP_COLOURS = (
    "#0173b2",
    "#de8f05",
    "#029e73",
    "#d55e00",
    "#cc78bc",
    "#ca9161",
    "#fbafe4",
    "#949494",
    "#ece133",
    "#56b4e9",
)

_SIZE = 560


def group_colours(groups: list[str]) -> dict[str, str]:
    """A colour per group, in order, so the radar and the tables agree."""
    return {g: GROUP_COLOURS[i % len(GROUP_COLOURS)] for i, g in enumerate(groups)}


#: Room left and right of the square for the dimension names.
_MARGIN = 115
_RADIUS = 175
_LABEL_GAP = 22
#: Line height of the dimension names (font 15 px).
_LINE = 16


def _point(angle: float, value: float) -> tuple[float, float]:
    r = _RADIUS * max(0.0, min(value, 4.0)) / 4.0
    return _SIZE / 2 + r * math.sin(angle), _SIZE / 2 - r * math.cos(angle)


def _polyline(angles: list[float], values: list[float]) -> str:
    """Points of a closed line; a dimension a group did not answer is drawn at the centre."""
    pts = [_point(a, 0.0 if math.isnan(v) else v) for a, v in zip(angles, values, strict=True)]
    return " ".join(f"{x:.1f},{y:.1f}" for x, y in pts)


def _label(angle: float, name: str) -> str:
    x, y = _point(angle, 4.0)
    x += _LABEL_GAP * math.sin(angle)
    y -= _LABEL_GAP * math.cos(angle)
    sin = math.sin(angle)
    anchor = "middle" if abs(sin) < 0.2 else ("start" if sin > 0 else "end")
    lines = textwrap.wrap(name, 17)[:3]
    # Names above the radar grow upwards, those beside it are centred on their axis.
    dy0 = (
        -(len(lines) - 1) * _LINE / 2
        if abs(math.cos(angle)) < 0.5
        else (-(len(lines) - 1) * _LINE if math.cos(angle) > 0 else 0)
    )
    spans = "".join(
        f'<tspan x="{x:.1f}" dy="{dy0 if i == 0 else _LINE}">{escape(line)}</tspan>'
        for i, line in enumerate(lines)
    )
    return f'<text y="{y + 4:.1f}" text-anchor="{anchor}" class="axis">{spans}</text>'


def radar_svg(assessment: Assessment, colours: dict[str, str] | None = None) -> str:
    """The radar of ``assessment``: rings at tiers 1-4, one line per group, overall dashed.

    ``colours`` maps group to colour (default: :func:`group_colours` of the scored groups).
    """
    dims = assessment.dimensions
    n = len(dims)
    angles = [2 * math.pi * i / n for i in range(n)]
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" '
        f'viewBox="{-_MARGIN} 0 {_SIZE + 2 * _MARGIN} {_SIZE}" '
        'class="radar" role="img" aria-label="Dimension scores by group">',
        "<style>.axis{font:15px sans-serif;fill:#333}.ring{font:12px sans-serif;fill:#777}</style>",
    ]
    for tier in (1, 2, 3, 4):
        ring = [_point(a, tier) for a in angles]
        pts = " ".join(f"{x:.1f},{y:.1f}" for x, y in ring)
        parts.append(f'<polygon points="{pts}" fill="none" stroke="#ddd"/>')
        x, y = _point(0.0, tier)
        parts.append(
            f'<text x="{x + 3:.1f}" y="{y - 2:.1f}" class="ring">{tier} '
            f"{escape(TIER_NAMES[tier])}</text>"
        )
    for a, name in zip(angles, dims["name"], strict=True):
        x, y = _point(a, 4.0)
        parts.append(
            f'<line x1="{_SIZE / 2}" y1="{_SIZE / 2}" x2="{x:.1f}" y2="{y:.1f}" stroke="#eee"/>'
        )
        parts.append(_label(a, str(name)))
    table = assessment.groups.pivot(index="dimension", columns="group", values="score")
    groups = list(assessment.group_sizes)
    colours = colours or group_colours(groups)
    legend = []
    for group in groups:
        colour = colours.get(group, "#949494")
        values = [float(table.at[d, group]) for d in dims["dimension"]]
        parts.append(
            f'<polygon points="{_polyline(angles, values)}" fill="{colour}" fill-opacity="0.07" '
            f'stroke="{colour}" stroke-width="2"><title>{escape(group_label(group))}'
            "</title></polygon>"
        )
        legend.append((colour, group_label(group), ""))
    overall = [float(v) for v in dims["score"]]
    parts.append(
        f'<polygon points="{_polyline(angles, overall)}" fill="none" stroke="#111" '
        'stroke-width="2.5" stroke-dasharray="6 4"><title>overall</title></polygon>'
    )
    legend.append(("#111", "overall", ' stroke-dasharray="6 4"'))
    for i, (colour, label, dash) in enumerate(legend):
        y = 14 + 18 * i
        x = 4 - _MARGIN
        parts.append(
            f'<line x1="{x}" y1="{y}" x2="{x + 20}" y2="{y}" stroke="{colour}" '
            f'stroke-width="2.5"{dash}/>'
            f'<text x="{x + 26}" y="{y + 4}" class="axis">{escape(label)}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)
