"""The facilitator's board inside JupyterLab: join code, QR code and live results in a notebook.

For a facilitator who runs the workshop from the notebook (with the capacity
what-if beside it) rather than from the board's page: the same join box and
the same board as ``/facilitator``, read straight from the answer file and
redrawn when it changes, whether answers come from the room server, a capture
form or another notebook.

>>> room_panel("acme.sqlite")  # doctest: +SKIP
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import ipywidgets as w

from pmo_sim.assessment.questionnaire import Questionnaire
from pmo_sim.assessment.store import AnswerStore
from pmo_sim.room.access import load_keys
from pmo_sim.room.board import Board, room_board
from pmo_sim.room.pages import board_css, board_html, joinbox_html
from pmo_sim.room.server import DEFAULT_PORT, lan_address
from pmo_sim.widgets.scheduling import Poller

__all__ = ["RoomPanel", "room_panel"]


class RoomPanel:
    """The join box and the live board of one answer file, as ipywidgets.

    ``refresh()`` redraws now; ``poll()`` redraws only if the file changed.
    :attr:`board` is the latest :class:`~pmo_sim.room.board.Board`.
    """

    def __init__(self, store: AnswerStore, joinbox: str, *, poll_seconds: float = 2.0) -> None:
        self.store = store
        #: The latest board drawn.
        self.board: Board | None = None
        self.joinbox = w.HTML(f"<style>{board_css()}</style>{joinbox}")
        self.joinbox.layout = w.Layout(width="300px", flex="none")
        self.results = w.HTML()
        self.results.layout = w.Layout(flex="1 1 auto")
        self.widget = w.HBox([self.joinbox, self.results], layout=w.Layout(flex_flow="row wrap"))
        self.widget.add_class("pmo-room")
        self.poller = Poller(poll_seconds, self.poll)
        self.refresh()
        self.poller.start()

    def poll(self) -> None:
        """Redraw if the answer file changed (in any process) since the last redraw."""
        if self.board is None or self.store.change_count() != self.board.version:
            self.refresh()

    def refresh(self) -> None:
        """Count, rescore and redraw the board."""
        self.board = room_board(
            self.store.respondents(),
            self.store.answers_frame(),
            self.store.questionnaire,
            version=self.store.change_count(),
        )
        self.results.value = f'<div class="pmo-board">{board_html(self.board)}</div>'

    def close(self) -> None:
        """Stop polling and close the answer file."""
        self.poller.stop()
        self.store.close()

    def _repr_mimebundle_(self, **kwargs: Any) -> Any:
        return self.widget._repr_mimebundle_(**kwargs)


def room_panel(
    database: str | Path,
    questionnaire: Questionnaire | str | Path | None = None,
    *,
    link: str | None = None,
    title: str = "",
    poll_seconds: float = 2.0,
) -> RoomPanel:
    """The join code, QR code and live board of ``database`` (created when missing).

    ``link`` is the participant link; by default the one the room server last
    printed for this file, else this machine's address on the default port.
    """
    store = AnswerStore(database, questionnaire)
    keys = load_keys(database)
    link = link or keys.participant_link or f"http://{lan_address()}:{DEFAULT_PORT}/j/{keys.code}"
    return RoomPanel(store, joinbox_html(keys, link, title), poll_seconds=poll_seconds)
