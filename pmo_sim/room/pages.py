"""The room's HTML: one template environment, and the pieces both the page and the notebook show.

Templates live in ``pmo_sim/room/templates`` and are rendered with Jinja2's
autoescaping on, so every name, group and comment that came from a
participant is text, never markup. :func:`board_html` and
:func:`joinbox_html` are what the facilitator's page and the JupyterLab
panel (:func:`~pmo_sim.widgets.room_panel`) have in common.
"""

from __future__ import annotations

from functools import cache
from importlib import resources

import jinja2

from pmo_sim.assessment.groups import group_label
from pmo_sim.presentation import score_text
from pmo_sim.room.access import RoomKeys
from pmo_sim.room.board import Board
from pmo_sim.room.qr import qr_svg
from pmo_sim.room.radar import group_colours, radar_svg

__all__ = ["board_css", "board_html", "joinbox_html", "templates"]


@cache
def templates() -> jinja2.Environment:
    """The room's template environment (autoescaping, strict about missing names)."""
    env = jinja2.Environment(
        loader=jinja2.FunctionLoader(
            lambda name: (resources.files("pmo_sim.room") / "templates" / name).read_text("utf-8")
        ),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["group_label"] = lambda g: group_label(str(g))
    env.filters["score"] = score_text
    return env


def board_html(board: Board) -> str:
    """The board's counts, tier, radar, flags and gaps as an HTML fragment (``.pmo-board``)."""
    colours = group_colours([g.group for g in board.groups])
    result = board.assessment
    return (
        templates()
        .get_template("board.html")
        .render(
            board=board,
            result=result,
            radar=radar_svg(result, colours) if result is not None else "",
            gaps=board.flagged_gaps(),
            colours=colours,
        )
    )


def joinbox_html(keys: RoomKeys, link: str, title: str = "", qr: str | None = None) -> str:
    """The join code, the QR code of ``link`` and the address to type (``.pmo-joinbox``)."""
    return (
        templates()
        .get_template("joinbox.html")
        .render(
            title=title,
            qr=qr if qr is not None else qr_svg(link),
            link=link,
            display_code=keys.display_code,
        )
    )


@cache
def board_css() -> str:
    """The stylesheet of the board and the join box (all rules scoped to their classes)."""
    return (resources.files("pmo_sim.room") / "static" / "board.css").read_text("utf-8")
