"""Recognised exports: each layout turns a tool's export into canonical history rows.

A layout is an entry in :data:`LAYOUTS`: the headers that identify it and a
function from the export's table (all text, headers already renamed by the
mapping file) to a table in the canonical columns (see
:mod:`pmo_sim.calibration.canonical`), one row per project. Each canonical
row keeps ``_row``, the export row it came from, so that every problem is
reported where the consultant can find it. Adding a tool is one function and
one :func:`register` call.

- ``canonical``: the documented format itself.
- ``jira``: a Jira issue export (CSV); epics are projects, their child
  issues' ``Time Spent`` (seconds, as Jira writes it) is the effort.
- ``msproject``: a Microsoft Project task list exported to Excel; outline
  level 1 tasks are projects, the ``Work`` of the tasks under them the effort;
  when a project groups its tasks under level 2 summary tasks, those are its
  phases.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime

import pandas as pd

from pmo_sim.calibration.history import parse_date, slug
from pmo_sim.errors import Problem
from pmo_sim.inputs import table_location

__all__ = ["LAYOUTS", "Converted", "Layout", "detect_layout", "register"]

#: Roles of people named in an export (person -> role id), from the resource list.
PersonRoles = Mapping[str, str]


@dataclass
class Converted:
    """A layout's output: canonical rows, the problems found, and notes for the reader."""

    frame: pd.DataFrame
    problems: list[Problem]
    notes: list[str]
    #: Canonical column -> the export's header, for locating problems.
    headers: dict[str, str]


@dataclass(frozen=True)
class Layout:
    """A recognised export: its identifying headers and its converter."""

    name: str
    description: str
    #: Headers (compared ignoring case and spaces/underscores) that must all be present.
    signature: tuple[str, ...]
    convert: Callable[[pd.DataFrame, PersonRoles, str | None], Converted]


LAYOUTS: dict[str, Layout] = {}


def register(layout: Layout) -> None:
    """Add a layout to :data:`LAYOUTS`."""
    LAYOUTS[layout.name] = layout


def _key(header: str) -> str:
    return re.sub(r"[\s_]+", " ", str(header).strip()).casefold()


def detect_layout(headers: list[str]) -> list[str]:
    """Names of the layouts whose signature headers are all present."""
    present = {_key(h) for h in headers}
    return [n for n, lay in LAYOUTS.items() if all(_key(s) in present for s in lay.signature)]


def _column(frame: pd.DataFrame, *names: str) -> str | None:
    """The frame's header matching any of ``names`` (ignoring case, spaces, underscores)."""
    wanted = {_key(n) for n in names}
    return next((c for c in frame.columns if _key(c) in wanted), None)


def _canonical(frame: pd.DataFrame, _roles: PersonRoles, _date_format: str | None) -> Converted:
    # Headers are matched ignoring case and surrounding spaces; problems name them as typed.
    names = {str(c).strip().casefold(): c for c in frame.columns}
    out = frame.rename(columns={c: str(c).strip().casefold() for c in frame.columns})
    out["_row"] = range(len(out))
    return Converted(out, [], [], names)


register(
    Layout(
        "canonical",
        "pmo-sim's project history (CSV/XLSX, documented in docs/calibration.md)",
        ("project_id", "created"),
        _canonical,
    )
)

# -- Jira -------------------------------------------------------------------------------------

#: Jira's default CSV date form, e.g. ``05/Mar/24 2:13 PM``.
JIRA_DATE = "%d/%b/%y %I:%M %p"
_CANCELLED_RESOLUTIONS = {"won't do", "won't fix", "cancelled", "canceled", "duplicate"}


def _jira_date(text: str, date_format: str | None) -> pd.Timestamp | None:
    text = text.strip()
    for fmt in (date_format, JIRA_DATE, "%d/%b/%y %H:%M"):
        if fmt:
            try:
                return pd.Timestamp(datetime.strptime(text, fmt))
            except ValueError:
                pass
    return parse_date(text)


# Complexity: Jira's export: a branch per field it may carry.
def _jira(frame: pd.DataFrame, roles: PersonRoles, date_format: str | None) -> Converted:  # noqa: C901
    col = {
        "key": _column(frame, "Issue key"),
        "id": _column(frame, "Issue id"),
        "type": _column(frame, "Issue Type"),
        "parent": _column(frame, "Parent id", "Parent"),
        "epic": _column(frame, "Custom field (Epic Link)", "Epic Link"),
        "summary": _column(frame, "Summary"),
        "status": _column(frame, "Status"),
        "category": _column(frame, "Status Category"),
        "resolution": _column(frame, "Resolution"),
        "created": _column(frame, "Created"),
        "resolved": _column(frame, "Resolved"),
        "start": _column(frame, "Custom field (Start date)", "Start date"),
        "spent": _column(frame, "Time Spent"),
        "estimate": _column(frame, "Original Estimate"),
        "assignee": _column(frame, "Assignee"),
        "labels": _column(frame, "Labels"),
        "ptype": _column(frame, "type"),
    }
    problems: list[Problem] = []
    notes: list[str] = []
    text = frame.astype(str).apply(lambda s: s.str.strip())

    def cell(i: int, name: str) -> str:
        c = col[name]
        return "" if c is None else text.at[i, c]

    def when(i: int, name: str) -> pd.Timestamp | None:
        raw = cell(i, name)
        if not raw:
            return None
        parsed = _jira_date(raw, date_format)
        if parsed is None:
            problems.append(
                Problem(table_location(i, col[name]), f"not a date: {raw!r} (Jira writes "
                        "05/Mar/24 2:13 PM; give date_format in a mapping file otherwise)")
            )  # fmt: skip
        return parsed

    def seconds(i: int, name: str) -> float:
        raw = cell(i, name)
        if not raw:
            return 0.0
        try:
            value = float(raw)
        except ValueError:
            problems.append(Problem(table_location(i, col[name]), f"not a number: {raw!r}"))
            return 0.0
        if value < 0:
            problems.append(Problem(table_location(i, col[name]), f"negative effort ({raw})"))
            return 0.0
        return value

    epics = [i for i in range(len(frame)) if cell(i, "type").casefold() == "epic"]
    if not epics:
        problems.append(Problem("", "no rows with Issue Type 'Epic': epics are the projects"))
        return Converted(pd.DataFrame(), problems, notes, {})
    owner: dict[str, int] = {}
    for i in epics:
        for ref in (cell(i, "key"), cell(i, "id")):
            if ref:
                owner[ref] = i
    efforts: dict[int, dict[str, list[float]]] = {i: {} for i in epics}
    first_child: dict[int, pd.Timestamp] = {}
    orphans = 0
    for i in range(len(frame)):
        epic = i if i in efforts else owner.get(cell(i, "parent"))
        if epic is None:
            epic = owner.get(cell(i, "epic"))
        if epic is None:
            orphans += 1
            continue
        person = cell(i, "assignee")
        role = roles.get(person, "team") if person else "team"
        spent, planned = seconds(i, "spent"), seconds(i, "estimate")
        total = efforts[epic].setdefault(slug(role, "team"), [0.0, 0.0])
        total[0] += planned
        total[1] += spent
        if epic != i:
            created = when(i, "created")
            if created is not None and (epic not in first_child or created < first_child[epic]):
                first_child[epic] = created
    if orphans:
        notes.append(f"Jira: {orphans} issues belong to no epic and are left out.")
    rows = []
    role_ids = sorted({r for e in efforts.values() for r in e})
    for i in epics:
        resolution = cell(i, "resolution").casefold()
        done = cell(i, "category").casefold() == "done" or bool(cell(i, "resolved"))
        status = "cancelled" if resolution in _CANCELLED_RESOLUTIONS else "done" if done else "open"
        start = when(i, "start") or first_child.get(i)
        finish = when(i, "resolved") if status != "open" else None
        ptype = cell(i, "ptype") or (cell(i, "labels").split(" ")[0] if cell(i, "labels") else "")
        row = {
            "_row": i,
            "project_id": cell(i, "key"),
            "name": cell(i, "summary"),
            "type": ptype or "epic",
            "created": _iso(when(i, "created")),
            "start": _iso(start),
            "finish": _iso(finish),
            "status": status,
            "effort_unit": "seconds",
        }
        for role in role_ids:
            planned, spent = efforts[i].get(role, [0.0, 0.0])
            row[f"planned_effort.{role}"] = f"{planned:.0f}"
            row[f"actual_effort.{role}"] = f"{spent:.0f}"
        rows.append(row)
    if not col["ptype"] and not col["labels"]:
        notes.append("Jira: no Labels column; every epic is of one type, 'epic'.")
    headers = {"project_id": col["key"] or "", "created": col["created"] or ""}
    headers |= {"finish": col["resolved"] or "", "start": col["start"] or col["created"] or ""}
    return Converted(pd.DataFrame(rows), problems, notes, headers)


def _iso(value: pd.Timestamp | None) -> str:
    return "" if value is None else value.isoformat()


register(
    Layout(
        "jira",
        "Jira issue export (CSV): epics are projects, child issues' Time Spent the effort",
        ("Issue key", "Issue Type", "Created"),
        _jira,
    )
)

# -- Microsoft Project ------------------------------------------------------------------------

_WORK = re.compile(r"^\s*([0-9][0-9,]*\.?[0-9]*)\s*([a-z]*)\s*$", re.IGNORECASE)
#: Person-weeks per unit of a Microsoft Project duration/work suffix (8-hour day, 5-day week).
_WORK_UNITS = {
    "": None, "h": 1 / 40, "hr": 1 / 40, "hrs": 1 / 40, "hour": 1 / 40, "hours": 1 / 40,
    "d": 1 / 5, "day": 1 / 5, "days": 1 / 5, "w": 1.0, "wk": 1.0, "wks": 1.0, "week": 1.0,
    "weeks": 1.0, "mo": 52 / 12, "mon": 52 / 12, "mons": 52 / 12, "min": 1 / 2400,
    "mins": 1 / 2400,
}  # fmt: skip


# Complexity: MS Project's export: a branch per field it may carry.
def _msproject(frame: pd.DataFrame, roles: PersonRoles, date_format: str | None) -> Converted:  # noqa: C901
    col = {
        "name": _column(frame, "Name", "Task Name"),
        "id": _column(frame, "ID", "Unique ID"),
        "level": _column(frame, "Outline Level"),
        "start": _column(frame, "Start", "Start Date"),
        "finish": _column(frame, "Finish", "Finish Date"),
        "actual_finish": _column(frame, "Actual Finish"),
        "complete": _column(frame, "% Complete", "Percent Complete"),
        "work": _column(frame, "Work"),
        "actual_work": _column(frame, "Actual Work"),
        "baseline": _column(frame, "Baseline Work"),
        "resources": _column(frame, "Resource Names"),
        "created": _column(frame, "Created"),
        "ptype": _column(frame, "type"),
    }
    problems: list[Problem] = []
    notes: list[str] = []
    text = frame.astype(str).apply(lambda s: s.str.strip())

    def cell(i: int, name: str) -> str:
        c = col[name]
        value = "" if c is None else text.at[i, c]
        return "" if value.upper() == "NA" else value

    def when(i: int, name: str) -> str:
        raw = cell(i, name)
        if not raw:
            return ""
        parsed = parse_date(raw, date_format)
        if parsed is None:
            problems.append(
                Problem(table_location(i, col[name]), f"not a date: {raw!r} (Excel date cells "
                        "are read as dates; give date_format in a mapping file for text dates)")
            )  # fmt: skip
            return ""
        return parsed.isoformat()

    def work(i: int, name: str) -> float:
        raw = cell(i, name)
        if not raw:
            return 0.0
        match = _WORK.match(raw)
        factor = _WORK_UNITS.get(match.group(2).lower()) if match else None
        if match is None or (match.group(2) and factor is None):
            problems.append(Problem(table_location(i, col[name]), f"unknown work {raw!r}; "
                                    "expected a number with hrs, days, wks or mons"))  # fmt: skip
            return 0.0
        if factor is None:
            problems.append(Problem(table_location(i, col[name]), f"work {raw!r} has no unit "
                                    "(write 120 hrs, 15 days or 3 wks)"))  # fmt: skip
            return 0.0
        return float(match.group(1).replace(",", "")) * factor

    levels = []
    for i in range(len(frame)):
        try:
            levels.append(int(float(cell(i, "level") or "nan")))
        except ValueError:
            problems.append(Problem(table_location(i, col["level"]), "outline level must be a "
                                    f"whole number (got {cell(i, 'level')!r})"))  # fmt: skip
            levels.append(0)
    rows: list[dict[str, str | int]] = []
    # (phase, role) -> [planned, actual]; phases are the level-2 tasks of a project that
    # groups its tasks under them, else the project is one phase.
    per_role: dict[tuple[str, str], list[float]] = {}
    phase, grouped = "", False
    spent_col = "actual_work" if col["actual_work"] else "work"

    def close_project() -> None:
        if not rows:
            return
        totals: dict[str, list[float]] = {}
        for (name, role), amounts in per_role.items():
            key = f"{slug(name, 'phase')}.{role}" if grouped else role
            total = totals.setdefault(key, [0.0, 0.0])
            total[0] += amounts[0]
            total[1] += amounts[1]
        for key, (planned, actual) in totals.items():
            rows[-1][f"planned_effort.{key}"] = f"{planned:.6g}"
            rows[-1][f"actual_effort.{key}"] = f"{actual:.6g}"

    for i, level in enumerate(levels):
        if level == 1:
            close_project()
            per_role, phase, grouped = {}, "", False
            complete = cell(i, "complete").rstrip("%").strip()
            if col["complete"] or col["actual_finish"]:
                done = bool(cell(i, "actual_finish")) or complete in {"100", "100.0"}
                status = "done" if done else "open"
            else:
                status = ""  # decided from the finish date against the as-of date
            rows.append(
                {
                    "_row": i,
                    "project_id": cell(i, "id") or cell(i, "name"),
                    "name": cell(i, "name"),
                    "type": cell(i, "ptype") or "project",
                    "created": when(i, "created") or when(i, "start"),
                    "start": when(i, "start"),
                    "finish": (when(i, "actual_finish") or when(i, "finish"))
                    if status != "open"
                    else "",
                    "status": status,
                    "effort_unit": "weeks",
                }
            )
        elif level > 1 and rows:
            if level == 2:
                phase = cell(i, "name")
            grouped = grouped or level > 2
            leaf = i + 1 >= len(levels) or levels[i + 1] <= level
            if not leaf:
                continue
            names = [re.sub(r"\[.*?\]", "", n).strip() for n in cell(i, "resources").split(",")]
            names = [n for n in names if n] or ["team"]
            planned = work(i, "baseline") if col["baseline"] else work(i, "work")
            actual = work(i, spent_col)
            for person in names:
                role = slug(roles.get(person, person), "team")
                total = per_role.setdefault((phase, role), [0.0, 0.0])
                total[0] += planned / len(names)
                total[1] += actual / len(names)
    close_project()
    if not rows:
        problems.append(Problem("", "no tasks at outline level 1: those are the projects"))
    if not col["ptype"]:
        notes.append("Microsoft Project: no type column; every project is of one type, 'project'.")
    if not (col["complete"] or col["actual_finish"]):
        notes.append(
            "Microsoft Project: no % Complete or Actual Finish column; a project is taken as "
            "done when its Finish is on or before the as-of date."
        )
    frame_out = pd.DataFrame(rows).fillna("")
    headers = {k: col[k] or "" for k in ("start", "finish", "created")}
    return Converted(frame_out, problems, notes, headers | {"project_id": col["name"] or ""})


register(
    Layout(
        "msproject",
        "Microsoft Project task list exported to Excel: outline level 1 tasks are projects",
        ("Name", "Start", "Finish", "Outline Level"),
        _msproject,
    )
)
