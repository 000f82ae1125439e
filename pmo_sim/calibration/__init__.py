"""Scenarios from a client's own history: import, fit, write, and backtest.

A consultant has the client's project list and timesheets, exported from
Jira, Microsoft Project or a spreadsheet. :func:`load_history` reads and
validates them (every problem at once, by row and column);
:func:`calibrate` fits arrival rates, effort distributions and roles into a
scenario whose every number says where it came from
(:func:`commented_yaml` writes it); :func:`backtest` simulates the history's
window from that scenario and says whether the client's actual figures fall
inside the simulated 90% bands. ``docs/calibration.md`` describes the
formats and the methods.
"""

from pmo_sim.calibration.arrivals import ArrivalFit, fit_arrivals
from pmo_sim.calibration.backtest import Backtest, backtest
from pmo_sim.calibration.calibrate import Calibration, calibrate
from pmo_sim.calibration.canonical import CANONICAL_COLUMNS, read_history
from pmo_sim.calibration.commented_yaml import commented_yaml
from pmo_sim.calibration.fitting import FAMILIES, SMALL_SAMPLE, EffortFit, fit_effort
from pmo_sim.calibration.history import History
from pmo_sim.calibration.layouts import LAYOUTS
from pmo_sim.calibration.mapping import HistoryMapping, load_mapping
from pmo_sim.calibration.synthetic import SyntheticHistory, synthetic_history
from pmo_sim.calibration.workflow import load_history

__all__ = [
    "CANONICAL_COLUMNS",
    "FAMILIES",
    "LAYOUTS",
    "SMALL_SAMPLE",
    "ArrivalFit",
    "Backtest",
    "Calibration",
    "EffortFit",
    "History",
    "HistoryMapping",
    "SyntheticHistory",
    "backtest",
    "calibrate",
    "commented_yaml",
    "fit_arrivals",
    "fit_effort",
    "load_history",
    "load_mapping",
    "read_history",
    "synthetic_history",
]
