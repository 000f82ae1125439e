"""The look shared by every report figure, and how a notebook shows one.

Figures are built with the object-oriented API (``Figure()``, not
``pyplot``), so they are never registered with pyplot: nothing stays open
after use, nothing leaks between reports, and the functions are safe in
worker processes. Seaborn supplies the styling; text is drawn literally
(:func:`pmo_sim.presentation.plain_text`).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

import seaborn as sns

from pmo_sim.presentation import figure_png, plain_text

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = ["GROUP_PALETTE", "TIER_COLOURS", "figure_style", "show"]

TIER_COLOURS = ["#b3261e", "#e8871e", "#e9c46a", "#2a9d8f", "#264653"]
GROUP_PALETTE = "colorblind"


@contextmanager
def figure_style() -> Iterator[None]:
    """The report style: white grid, notebook context, names drawn as written."""
    with (
        plain_text(),
        sns.axes_style("whitegrid"),
        sns.plotting_context("notebook", font_scale=0.9),
    ):
        yield


def show(fig: Figure) -> None:
    """Display a figure in a notebook (as an inline PNG) and release it."""
    from IPython.display import Image, display

    display(Image(data=figure_png(fig, bbox_inches="tight"), format="png"))
    fig.clear()
