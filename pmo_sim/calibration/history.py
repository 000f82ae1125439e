"""A client's project history, as pmo-sim reads it: projects, their effort, and the window.

Picture the export a PMO hands over on a USB stick: one row per project,
when it was approved, when work started and finished (blank while it is
still running), its status, and how much effort it took. :class:`History`
is that list after validation, in three tidy tables:

- ``projects``: one row per project (``project_id``, ``name``, ``type``,
  ``created``, ``start``, ``finish``, ``status`` one of ``done``, ``open`` or
  ``cancelled``, ``objective``, ``budget``, ``actual_cost``, ``planned_benefit``
  (per year; NaN when not given), ``row``: the spreadsheet row it came from);
- ``efforts``: one row per project, phase and role (``planned`` and
  ``actual`` in person-weeks, ``censored`` when the project is still open so
  the actual effort is only a lower bound);
- optional ``timesheets`` (``role``, ``project_id``, ``week``, ``hours``)
  and ``resources`` (``role``, ``fte``, ``weekly_cost``).

Dates are pandas Timestamps; :meth:`History.weeks` turns them into weeks
from the window's start, the simulation's clock.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime

import numpy as np
import pandas as pd

from pmo_sim.files import slugify

__all__ = [
    "EFFORT_UNITS",
    "STATUSES",
    "History",
    "parse_date",
    "parse_effort_unit",
    "slug",
    "to_person_weeks",
]

#: Person-weeks per unit of effort, by the names a file may use. ``hours`` and
#: ``person-days`` depend on the working week (``hours_per_week``, 5 days).
EFFORT_UNITS: dict[str, str] = {
    "hours": "hours",
    "hour": "hours",
    "hrs": "hours",
    "hr": "hours",
    "h": "hours",
    "person-hours": "hours",
    "person-days": "days",
    "person-day": "days",
    "days": "days",
    "day": "days",
    "d": "days",
    "pd": "days",
    "person-weeks": "weeks",
    "person-week": "weeks",
    "weeks": "weeks",
    "week": "weeks",
    "wks": "weeks",
    "wk": "weeks",
    "w": "weeks",
    "pw": "weeks",
    "seconds": "seconds",
}

#: Canonical statuses and the words that mean them (case-insensitive).
STATUSES: dict[str, str] = {
    **dict.fromkeys(["done", "finished", "completed", "complete", "closed", "delivered"], "done"),
    **dict.fromkeys(["cancelled", "canceled", "stopped", "abandoned", "won't do"], "cancelled"),
    **dict.fromkeys(
        [
            "open", "active", "in progress", "in flight", "on hold", "approved", "not started",
            "proposed", "planned", "to do", "backlog",
        ],
        "open",
    ),
}  # fmt: skip


def slug(text: str, default: str = "item") -> str:
    """A scenario id from a client's label: lower case ASCII, digits and underscores."""
    return slugify(str(text), fallback=default).replace("-", "_")


def parse_effort_unit(text: str) -> str | None:
    """``hours``, ``days``, ``weeks`` or ``seconds`` for a unit name; None when unknown."""
    return EFFORT_UNITS.get(str(text).strip().lower())


def to_person_weeks(amount: float, unit: str, hours_per_week: float) -> float:
    """``amount`` of ``unit`` (see :data:`EFFORT_UNITS`) in person-weeks."""
    days_per_week = 5.0
    factor = {
        "weeks": 1.0,
        "days": 1.0 / days_per_week,
        "hours": 1.0 / hours_per_week,
        "seconds": 1.0 / (3600.0 * hours_per_week),
    }[unit]
    return amount * factor


_ISO = re.compile(r"^\d{4}-\d{2}-\d{2}([ T]\d{2}:\d{2}(:\d{2}(\.\d+)?)?)?$")


def parse_date(text: str, date_format: str | None = None) -> pd.Timestamp | None:
    """A date from ISO text (``2024-03-05``, as spreadsheets export dates) or ``date_format``.

    Returns None when the text is not a date in that form: the caller names the
    cell. Day-first and month-first forms (``03/04/2024``) are never guessed;
    they need an explicit ``date_format``.
    """
    text = str(text).strip()
    try:
        if date_format:
            return pd.Timestamp(datetime.strptime(text, date_format))
        if _ISO.match(text):
            return pd.Timestamp(text)
    except ValueError:
        return None
    return None


@dataclass(frozen=True)
class History:
    """A validated project history (see the module docstring for the columns)."""

    projects: pd.DataFrame
    efforts: pd.DataFrame
    #: The export date: open projects are censored here, and the window ends here.
    as_of: pd.Timestamp
    #: File the history came from, and the layout it was read as.
    source: str = ""
    layout: str = "canonical"
    timesheets: pd.DataFrame | None = None
    resources: pd.DataFrame | None = None
    #: Working hours in a full-time week (for hours and timesheets).
    hours_per_week: float = 40.0
    #: Things the import decided that the reader should know.
    notes: tuple[str, ...] = field(default_factory=tuple)
    #: Start of the window when not the first arrival: arrivals count from here, and projects
    #: open then are the work in progress the backtest starts from.
    window_from: pd.Timestamp | None = None

    @property
    def start(self) -> pd.Timestamp:
        """The window's start: ``window_from`` if set, else the earliest arrival."""
        if self.window_from is not None:
            return self.window_from
        return pd.Timestamp(self.projects["created"].min())

    @property
    def window_weeks(self) -> float:
        """Length of the history window in weeks."""
        return (self.as_of - self.start).days / 7.0

    def weeks(self, dates: pd.Series, origin: pd.Timestamp | None = None) -> np.ndarray:
        """Weeks from ``origin`` (default the window's start) for each date; NaN for blanks."""
        origin = self.start if origin is None else origin
        delta = pd.to_datetime(dates) - origin
        return (delta.dt.total_seconds() / (7 * 86400.0)).to_numpy(dtype=float)

    @property
    def delivered(self) -> pd.DataFrame:
        """Projects that are not cancelled (cancelled work is reported, not modelled)."""
        return self.projects[self.projects["status"] != "cancelled"]
