"""One presentation layer: how the kit shows numbers, scores, verdicts and intervals.

Whatever shows a result to a person (the terminal, an HTML report, a live
widget, a deck or a workbook) formats it here, so the same figure reads the
same everywhere: :func:`format_value` per unit, :func:`score_text` truncated
toward its tier, :func:`verdict` for differences, :func:`intervals` and
:func:`band` for the 95% t-interval of tables and charts, :func:`json_clean`
for results files, :func:`plain_text` and :func:`figure_png` for figures whose labels are clients'
names. It is the lowest layer beside :mod:`pmo_sim.errors`:
everything may import it, it imports nothing of the kit's.
"""

from pmo_sim.presentation.figures import figure_png, plain_text
from pmo_sim.presentation.intervals import (
    UNBOUNDED,
    band,
    clip_interval,
    half_width,
    intervals,
    mean_interval,
    t_quantile,
)
from pmo_sim.presentation.jsonable import JSON_DECIMALS, json_clean
from pmo_sim.presentation.scores import (
    score_text,
    shortfall_text,
    shown_score,
    shown_shortfall,
)
from pmo_sim.presentation.units import MISSING, UNITS, Unit, format_value, register_unit
from pmo_sim.presentation.verdicts import NO_CLEAR_DIFFERENCE, verdict

__all__ = [
    "JSON_DECIMALS",
    "MISSING",
    "NO_CLEAR_DIFFERENCE",
    "UNBOUNDED",
    "UNITS",
    "Unit",
    "band",
    "clip_interval",
    "figure_png",
    "format_value",
    "half_width",
    "intervals",
    "json_clean",
    "mean_interval",
    "plain_text",
    "register_unit",
    "score_text",
    "shortfall_text",
    "shown_score",
    "shown_shortfall",
    "t_quantile",
    "verdict",
]
