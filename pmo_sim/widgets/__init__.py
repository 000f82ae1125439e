"""The live workshop: capture answers, watch the results, play with capacity.

Each widget is one call in a notebook (``notebooks/workshop.ipynb``), in
JupyterLab or served as a page by Voila:

* :func:`capture_form` records answers into an SQLite file per engagement,
  committing every click and keystroke (:class:`pmo_sim.assessment.AnswerStore`);
* :func:`live_results` shows tier, index and the radar per group as answers arrive;
* :func:`whatif_dashboard` re-runs the capacity simulation as sliders move;
* :func:`room_panel` shows the room's join code, QR code and live board (the
  participants answer on their phones through ``pmo-sim workshop serve``).

``pmo-sim assess workshop.sqlite`` scores the same file
(:func:`pmo_sim.assessment.load_workshop`).
"""

from pmo_sim.widgets.capture import CaptureForm, capture_form
from pmo_sim.widgets.facilitator import RoomPanel, room_panel
from pmo_sim.widgets.live import LiveResults, live_results
from pmo_sim.widgets.whatif import WhatIfDashboard, whatif_dashboard

__all__ = [
    "CaptureForm",
    "LiveResults",
    "RoomPanel",
    "WhatIfDashboard",
    "capture_form",
    "live_results",
    "room_panel",
    "whatif_dashboard",
]
