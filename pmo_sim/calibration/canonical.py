"""Reading a project history: any recognised export, checked as the canonical format.

The canonical columns (CSV or XLSX, one row per project; headers matched
ignoring case):

========================  ==========================================================
``project_id``            required, unique
``name``                  optional
``type``                  project type or category (default: one type, ``project``)
``created``               required: the date the project was raised or approved
``approved``              optional; when given it is the arrival date instead
``start``                 date work started (blank: not started)
``finish``                date it finished (blank while open)
``status``                ``done``, ``open`` or ``cancelled`` (and common synonyms);
                          blank: ``done`` if it has a finish date, else ``open``
``effort_unit``           ``hours``, ``person-days`` or ``person-weeks``, per row
                          (or ``effort_unit:`` in the mapping file)
``planned_effort``        total planned effort, or ``planned_effort.ROLE`` per role, or
                          ``planned_effort.PHASE.ROLE`` per phase and role
``actual_effort``         the same for actual effort
``planned_benefit``        benefit per year once delivered (money); fitted per type
``objective``             the strategic objective the project serves; gives alignment
``budget``, ``actual_cost``   optional, kept
========================  ==========================================================

Every problem (finish before start, unknown unit, negative effort, a date
that is not a date, an unknown status, a duplicate id) is reported with its
row and column, all at once, in one :class:`~pmo_sim.errors.InputError`.
"""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd

from pmo_sim.calibration.history import (
    STATUSES,
    History,
    parse_date,
    parse_effort_unit,
    slug,
    to_person_weeks,
)
from pmo_sim.calibration.layouts import LAYOUTS, Converted, PersonRoles, detect_layout
from pmo_sim.calibration.mapping import HistoryMapping
from pmo_sim.errors import InputError, Problem
from pmo_sim.inputs import read_table, table_location
from pmo_sim.presentation import format_value

__all__ = ["CANONICAL_COLUMNS", "read_history"]

CANONICAL_COLUMNS = (
    "project_id", "name", "type", "created", "approved", "start", "finish", "status",
    "effort_unit", "planned_effort", "actual_effort", "budget", "actual_cost",
    "planned_benefit", "objective",
)  # fmt: skip
_EFFORT = ("planned_effort", "actual_effort")
#: The phase of efforts given without one (``actual_effort.ROLE``).
PHASE = "delivery"
_DATES = ("created", "approved", "start", "finish")
#: Money columns: ``planned_benefit`` is the benefit per year once delivered.
_MONEY = ("budget", "actual_cost", "planned_benefit")


def _apply_mapping(frame: pd.DataFrame, mapping: HistoryMapping) -> pd.DataFrame:
    keep = [c for c in frame.columns if not mapping.ignores(c)]
    frame = frame[keep].rename(columns={c: mapping.rename(c) for c in keep})
    for column, _ in mapping.values.items():
        if column in frame.columns:
            frame[column] = [mapping.value(column, str(v)) for v in frame[column]]
    return frame


def _choose_layout(frame: pd.DataFrame, mapping: HistoryMapping, path: Path) -> str:
    if mapping.layout is not None:
        return mapping.layout
    found = detect_layout(list(frame.columns))
    if len(found) == 1:
        return found[0]
    if not found:
        expected = "; ".join(f"{n}: {', '.join(lay.signature)}" for n, lay in LAYOUTS.items())
        raise InputError(
            path,
            f"cannot tell what export this is; the headers of a recognised layout are "
            f"({expected}). Rename columns in a mapping file (columns:) or set its layout:",
        )
    raise InputError(
        path, f"headers fit several layouts ({', '.join(found)}); say which with layout: in a "
        "mapping file",
    )  # fmt: skip


def read_history(
    path: str | Path,
    mapping: HistoryMapping | None = None,
    person_roles: PersonRoles | None = None,
    as_of: pd.Timestamp | None = None,
) -> History:
    """Read and validate a project history (canonical, Jira, Microsoft Project, or mapped).

    ``person_roles`` maps people named in the export to roles (from the
    resource list); ``as_of`` is the export date (default: the mapping's, else
    the latest date in the file). Raises :class:`InputError` with every problem.
    """
    path = Path(path)
    mapping = mapping or HistoryMapping()
    frame = _apply_mapping(read_table(path, mapping.sheet_index), mapping)
    layout = _choose_layout(frame, mapping, path)
    converted = LAYOUTS[layout].convert(frame, person_roles or {}, mapping.date_format)
    if as_of is None and mapping.as_of is not None:
        as_of = pd.Timestamp(mapping.as_of)
    return _validate(path, layout, converted, mapping, as_of)


# Complexity: one check per canonical history column, all problems collected.
def _validate(  # noqa: C901
    path: Path,
    layout: str,
    converted: Converted,
    mapping: HistoryMapping,
    as_of: pd.Timestamp | None,
) -> History:
    frame, problems, notes = converted.frame, list(converted.problems), list(converted.notes)
    if problems and frame.empty:
        raise InputError(path, problems)
    columns = [str(c) for c in frame.columns if c != "_row"]
    for column in columns:
        base = column.split(".", 1)[0]
        if base not in CANONICAL_COLUMNS or ("." in column and base not in _EFFORT):
            problems.append(
                Problem(
                    f"row 1, column {column!r}",
                    "not a history column; expected one of " + ", ".join(CANONICAL_COLUMNS)
                    + " (or planned_effort.ROLE / actual_effort.ROLE); rename it or list it "
                    "under ignore_columns in a mapping file",
                )
            )  # fmt: skip
    for required in ("project_id", "created"):
        if required not in frame.columns:
            problems.append(Problem("row 1", f"missing column {required!r}"))
    effort_columns = [c for c in columns if c.split(".", 1)[0] in _EFFORT]
    if effort_columns and "effort_unit" not in frame.columns and mapping.effort_unit is None:
        problems.append(
            Problem(
                "row 1",
                "the effort unit is not declared: add an effort_unit column (hours, "
                "person-days, person-weeks) or effort_unit: in a mapping file",
            )
        )
    if problems:
        raise InputError(path, problems)

    def where(index: int, column: str) -> str:
        row = int(frame.at[index, "_row"])
        return table_location(row, converted.headers.get(column) or column)

    def bad(index: int, column: str, message: str) -> None:
        problems.append(Problem(where(index, column), message))

    records, efforts = [], []
    seen: dict[str, int] = {}
    dates_seen: list[pd.Timestamp] = []
    for index in frame.index:
        cell = {c: str(frame.at[index, c]).strip() for c in columns}
        pid = cell.get("project_id", "")
        if not pid:
            bad(index, "project_id", "project_id is blank")
            continue
        if pid in seen:
            bad(index, "project_id", f"duplicate project_id {pid!r}")
        seen[pid] = index
        dates: dict[str, pd.Timestamp | None] = {}
        for column in _DATES:
            text = cell.get(column, "")
            dates[column] = parse_date(text, mapping.date_format) if text else None
            if text and dates[column] is None:
                form = mapping.date_format or "YYYY-MM-DD"
                bad(
                    index,
                    column,
                    f"not a date in the form {form}: {text!r} (give date_format in a mapping file)",
                )
            if dates[column] is not None:
                dates_seen.append(dates[column])
        if dates["created"] is None and not cell.get("created"):
            bad(index, "created", "created date is blank")
        arrival = dates["approved"] or dates["created"]
        start, finish = dates["start"], dates["finish"]
        if start is not None and finish is not None and finish < start:
            bad(index, "finish", f"finish {finish.date()} is before start {start.date()}")
        elif arrival is not None and finish is not None and finish < arrival:
            bad(
                index,
                "finish",
                f"finish {finish.date()} is before the project was created ({arrival.date()})",
            )
        raw_status = cell.get("status", "")
        status = STATUSES.get(raw_status.casefold()) if raw_status else ""
        if status is None:
            bad(
                index,
                "status",
                f"unknown status {raw_status!r}; "
                "use done, open or cancelled (or map it under values: "
                "status: in a mapping file)",
            )
        elif status == "done" and finish is None:
            bad(index, "finish", "the project is done but has no finish date")
        elif status == "open" and finish is not None:
            bad(
                index,
                "finish",
                "the project is open but has a finish date; blank it or set the status",
            )
        money: dict[str, float] = {}
        for column in _MONEY:
            text = cell.get(column, "").replace(",", "")
            if not text:
                money[column] = math.nan
                continue
            try:
                money[column] = float(text)
            except ValueError:
                money[column] = math.nan
                bad(index, column, f"not a number: {cell[column]!r}")
                continue
            if not math.isfinite(money[column]) or money[column] < 0:
                bad(index, column, f"must be a number >= 0 (got {cell[column]})")
        unit_text = cell.get("effort_unit", "") or (mapping.effort_unit or "")
        unit = parse_effort_unit(unit_text) if unit_text else None
        if effort_columns and unit is None:
            bad(
                index,
                "effort_unit",
                f"unknown effort unit {unit_text!r}; use hours, person-days or person-weeks",
            )
        per_role: dict[tuple[str, str], dict[str, float]] = {}
        for column in effort_columns:
            kind, _, rest = column.partition(".")
            phase, _, role = rest.rpartition(".")
            text = cell.get(column, "")
            if not text:
                continue
            try:
                amount = float(text.replace(",", ""))
            except ValueError:
                bad(index, column, f"not a number: {text!r}")
                continue
            if not math.isfinite(amount) or amount < 0:
                bad(
                    index,
                    column,
                    f"negative effort ({text})" if amount < 0 else f"not a finite number: {text!r}",
                )
                continue
            if unit is not None:
                weeks = to_person_weeks(amount, unit, mapping.hours_per_week)
                key = (
                    slug(phase, PHASE) if phase else PHASE,
                    slug(role, "team") if role else "team",
                )
                per_role.setdefault(key, {})[kind] = weeks
        records.append(
            {
                "project_id": pid,
                "name": cell.get("name", ""),
                "type": cell.get("type", "") or "project",
                "created": arrival,
                "start": start,
                "finish": finish,
                "status": status,
                "objective": cell.get("objective", ""),
                **money,
                "row": int(frame.at[index, "_row"]) + 2,
            }
        )
        for (phase, role), amounts in per_role.items():
            efforts.append(
                {
                    "project_id": pid,
                    "phase": phase,
                    "role": role,
                    "planned": amounts.get("planned_effort", math.nan),
                    "actual": amounts.get("actual_effort", math.nan),
                }
            )
    if problems:
        raise InputError(path, problems)
    if not records:
        raise InputError(path, "no projects in the file")
    projects = pd.DataFrame(records)
    if as_of is None:
        as_of = max(dates_seen)
        notes.append(f"As-of date not given: taken as the latest date in the file, {as_of.date()}.")
    late = projects[(projects["created"] > as_of) | (projects["finish"] > as_of)]
    if len(late):
        raise InputError(path, [Problem(f"row {r}", f"dated after the as-of date {as_of.date()}")
                                for r in late["row"]])  # fmt: skip
    first = projects["created"].min()
    weeks = (as_of - first).days / 7.0
    if weeks < 4:
        raise InputError(
            path,
            f"the history covers {format_value(weeks, 'weeks')} weeks "
            f"(first arrival {first.date()}, as of "
            f"{as_of.date()}): too short to fit anything; give --as-of the export date",
        )
    undecided = projects["status"] == ""
    projects.loc[undecided, "status"] = ["done" if f is not None and not pd.isna(f) else "open"
                                         for f in projects.loc[undecided, "finish"]]  # fmt: skip
    projects["type"] = projects["type"].map(lambda t: slug(t, "project"))
    effort_frame = pd.DataFrame(
        efforts, columns=["project_id", "phase", "role", "planned", "actual"]
    )
    status = projects.set_index("project_id")["status"]
    effort_frame["censored"] = effort_frame["project_id"].map(status).eq("open")
    if "type" not in frame.columns:
        notes.append("No type column: every project is of one type, 'project'.")
    return History(
        projects=projects,
        efforts=effort_frame,
        as_of=pd.Timestamp(as_of),
        source=path.name,
        layout=layout,
        hours_per_week=mapping.hours_per_week,
        notes=tuple(notes),
    )
