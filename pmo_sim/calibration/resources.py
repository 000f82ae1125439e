"""The people behind the history: a resource list and timesheets.

A **resource list** (CSV/XLSX) has one row per person or per role:
``role`` (required), ``person`` (optional), ``fte`` (default 1) and
``weekly_cost`` (cost of one full-time person for a week, default 0). It
sets each role's headcount (the sum of FTE, rounded) and cost, and says which
role each person named in an export or a timesheet belongs to.

**Timesheets** (CSV/XLSX) have one row per booking: ``person`` or ``role``,
``project`` (a project id from the history; any other code, such as BAU,
support or leave, is time *not* available for projects), ``week`` (the
date of the period, ISO) and ``hours``. They give each role's availability
and the effort actually booked per quarter, for the backtest; when the
history itself has no effort per role, the hours booked to each project by
each role are its effort (:func:`booked_efforts`).

:func:`is_resource_list` and :func:`is_timesheet` tell either table by its
header row, for ``pmo-sim validate``.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from pathlib import Path

import pandas as pd

from pmo_sim.calibration.history import parse_date, slug
from pmo_sim.errors import InputError, Problem
from pmo_sim.inputs import read_table, table_location

__all__ = [
    "RESOURCE_COLUMNS",
    "TIMESHEET_COLUMNS",
    "booked_efforts",
    "is_resource_list",
    "is_timesheet",
    "person_roles",
    "read_resources",
    "read_timesheets",
]

#: A resource list's columns; ``role`` is the one required.
RESOURCE_COLUMNS = ("person", "role", "fte", "weekly_cost")
#: A timesheet's columns: ``project``, ``week``, ``hours``, and ``person`` or ``role``.
TIMESHEET_COLUMNS = ("person", "role", "project", "week", "hours")
_TIMESHEET_REQUIRED = ("project", "week", "hours")


def _keys(headers: Iterable[object]) -> set[str]:
    return {str(h).strip().casefold() for h in headers}


def is_resource_list(headers: Iterable[object]) -> bool:
    """Whether a table's header row is a resource list's: ``role`` and only resource columns."""
    keys = _keys(headers)
    return "role" in keys and keys <= set(RESOURCE_COLUMNS)


def is_timesheet(headers: Iterable[object]) -> bool:
    """Whether a header row is a timesheet's: ``project``, ``week``, ``hours``, person or role.

    Other columns do not stop it being one: :func:`read_timesheets` then names them.
    """
    keys = _keys(headers)
    return set(_TIMESHEET_REQUIRED) <= keys and bool(keys & {"person", "role"})


def _number(text: str, where: str, problems: list[Problem], default: float) -> float:
    if not text:
        return default
    try:
        value = float(text.replace(",", ""))
    except ValueError:
        problems.append(Problem(where, f"not a number: {text!r}"))
        return default
    if not math.isfinite(value) or value < 0:
        problems.append(Problem(where, f"must be a number >= 0 (got {text})"))
        return default
    return value


def _columns(frame: pd.DataFrame) -> dict[str, str]:
    return {str(c).strip().casefold(): c for c in frame.columns}


def read_resources(path: str | Path) -> pd.DataFrame:
    """The resource list as ``person``, ``role`` (an id), ``fte``, ``weekly_cost``."""
    path = Path(path)
    frame = read_table(path)
    cols = _columns(frame)
    problems: list[Problem] = []
    for key, header in cols.items():
        if key not in RESOURCE_COLUMNS:
            problems.append(Problem(f"row 1, column {header!r}", "not a resource column; expected "
                                    "person, role, fte, weekly_cost"))  # fmt: skip
    if "role" not in cols:
        problems.append(Problem("row 1", "missing column 'role'"))
    if problems:
        raise InputError(path, problems)
    rows = []
    for i, record in enumerate(frame.to_dict(orient="records")):
        cell = {k: str(record[h]).strip() for k, h in cols.items()}
        if not cell["role"]:
            problems.append(Problem(table_location(i, cols["role"]), "role is blank"))
            continue
        fte = _number(cell.get("fte", ""), table_location(i, cols.get("fte")), problems, 1.0)
        cost = _number(
            cell.get("weekly_cost", ""), table_location(i, cols.get("weekly_cost")), problems, 0.0
        )
        rows.append(
            {"person": cell.get("person", ""), "role": slug(cell["role"], "team"), "fte": fte,
             "weekly_cost": cost}
        )  # fmt: skip
    if problems:
        raise InputError(path, problems)
    return pd.DataFrame(rows, columns=["person", "role", "fte", "weekly_cost"])


def person_roles(resources: pd.DataFrame | None) -> dict[str, str]:
    """Person -> role id, from a resource list (empty without one)."""
    if resources is None:
        return {}
    return {p: r for p, r in zip(resources["person"], resources["role"], strict=True) if p}


def read_timesheets(
    path: str | Path,
    roles_of: Mapping[str, str] | None = None,
    date_format: str | None = None,
) -> pd.DataFrame:
    """Timesheet bookings as ``role``, ``project_id``, ``week`` (Timestamp), ``hours``.

    A ``person`` column is turned into roles through ``roles_of`` (the
    resource list's :func:`person_roles`; None when no resource list was
    given); a person missing from it is a problem, once per person at the
    first row naming them (once in all without a resource list), as is a bad
    date or a negative number of hours.
    """
    path = Path(path)
    frame = read_table(path)
    cols = _columns(frame)
    problems: list[Problem] = []
    for required in _TIMESHEET_REQUIRED:
        if required not in cols:
            problems.append(Problem("row 1", f"missing column {required!r}"))
    if "person" not in cols and "role" not in cols:
        problems.append(Problem("row 1", "needs a person or a role column"))
    for key, header in cols.items():
        if key not in TIMESHEET_COLUMNS:
            problems.append(Problem(f"row 1, column {header!r}", "not a timesheet column; "
                                    "expected person or role, project, week, hours"))  # fmt: skip
    if problems:
        raise InputError(path, problems)
    rows = []
    #: Person without a role -> (first row index, rows naming them).
    unknown: dict[str, list[int]] = {}
    for i, record in enumerate(frame.to_dict(orient="records")):
        cell = {k: str(record[h]).strip() for k, h in cols.items()}
        role = cell.get("role", "")
        if not role:
            person = cell.get("person", "")
            if not person:
                problems.append(Problem(table_location(i), "no person or role given"))
                continue
            role = (roles_of or {}).get(person, "")
            if not role:
                unknown.setdefault(person, []).append(i)
                continue
        week = parse_date(cell["week"], date_format)
        if week is None:
            problems.append(Problem(table_location(i, cols["week"]), f"not a date: "
                                    f"{cell['week']!r} (use YYYY-MM-DD)"))  # fmt: skip
            continue
        hours = _number(cell["hours"], table_location(i, cols["hours"]), problems, 0.0)
        rows.append({"role": slug(role, "team"), "project_id": cell["project"], "week": week,
                     "hours": hours})  # fmt: skip
    problems += _people_without_roles(unknown, roles_of, cols.get("person", "person"))
    if problems:
        raise InputError(path, problems)
    return pd.DataFrame(rows, columns=["role", "project_id", "week", "hours"])


def _people_without_roles(
    unknown: dict[str, list[int]], roles_of: Mapping[str, str] | None, column: str
) -> list[Problem]:
    """Problems for the people whose role is not known, each at the first row naming them.

    Without a resource list the fix is one action for all of them, so it is one problem.
    """
    if not unknown:
        return []
    if roles_of is None:
        first, *others = unknown
        if others:
            more = "person" if len(others) == 1 else "people"
            who = f"person {first!r} and {len(others)} other {more} need"
        else:
            who = f"person {first!r} needs"
        return [
            Problem(
                table_location(unknown[first][0], column),
                f"{who} --resources: the resource list says each person's role; give it "
                "to calibrate with --resources, or to validate in the same call "
                "(pmo-sim validate RESOURCES.csv TIMESHEETS.csv)",
            )
        ]
    problems = []
    for person, rows in unknown.items():
        also = f" (and {len(rows) - 1} more rows)" if len(rows) > 1 else ""
        message = f"person {person!r}{also} has no role in the resource list"
        problems.append(Problem(table_location(rows[0], column), message))
    return problems


def booked_efforts(
    sheets: pd.DataFrame, projects: pd.DataFrame, hours_per_week: float
) -> pd.DataFrame:
    """Effort per project and role from timesheet hours, in the history's ``efforts`` columns.

    An open project's hours so far are a lower bound (``censored``), as in the history.
    """
    status = projects.set_index("project_id")["status"]
    booked = sheets[sheets["project_id"].isin(status.index)]
    total = booked.groupby(["project_id", "role"], sort=False)["hours"].sum().reset_index()
    return pd.DataFrame(
        {
            "project_id": total["project_id"],
            "phase": "delivery",
            "role": total["role"],
            "planned": math.nan,
            "actual": total["hours"] / hours_per_week,
            "censored": total["project_id"].map(status).eq("open"),
        }
    )
