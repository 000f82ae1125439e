"""The whole room answers at once: participant pages on phones, a facilitator's board.

``pmo-sim workshop serve acme.sqlite`` starts one small web server (Starlette
on uvicorn) on the engagement's answer file. Participants scan the QR code,
type the join code, their name (or stay anonymous) and their group, and
answer dimension by dimension; each answer is committed to the same SQLite
file the capture form writes (:class:`~pmo_sim.assessment.store.AnswerStore`).
The facilitator's page shows the code, the QR code and the results as they
build up, scored by :func:`~pmo_sim.assessment.score_answers`.

* :mod:`~pmo_sim.room.access`: join code, facilitator secret, participant tokens;
* :mod:`~pmo_sim.room.lock`: one server per answer file;
* :mod:`~pmo_sim.room.forms`: what a browser may send;
* :mod:`~pmo_sim.room.board`, :mod:`~pmo_sim.room.radar`, :mod:`~pmo_sim.room.pages`:
  what the facilitator sees (the notebook's :func:`~pmo_sim.widgets.room_panel` too);
* :mod:`~pmo_sim.room.app`: the routes; :mod:`~pmo_sim.room.server`: starting it.
"""

from pmo_sim.room.access import RoomKeys, load_keys
from pmo_sim.room.app import RoomConfig, create_app
from pmo_sim.room.board import Board, room_board
from pmo_sim.room.lock import ServerLock
from pmo_sim.room.server import RoomLinks, serve

__all__ = [
    "Board",
    "RoomConfig",
    "RoomKeys",
    "RoomLinks",
    "ServerLock",
    "create_app",
    "load_keys",
    "room_board",
    "serve",
]
