"""One workflow from a consultant's files to a validated history.

:func:`load_history` reads the history export, the optional mapping file,
resource list and timesheets, and reports every problem in every file at
once (:func:`pmo_sim.errors.load_all`) before any fitting starts. When the
history has no effort per role, the timesheets give it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pandas as pd

from pmo_sim.calibration.canonical import read_history
from pmo_sim.calibration.history import History
from pmo_sim.calibration.mapping import HistoryMapping, load_mapping
from pmo_sim.calibration.resources import (
    booked_efforts,
    person_roles,
    read_resources,
    read_timesheets,
)
from pmo_sim.errors import InputError, load_all

__all__ = ["load_history"]


def load_history(
    history: str | Path,
    *,
    timesheets: str | Path | None = None,
    resources: str | Path | None = None,
    mapping: str | Path | None = None,
    as_of: pd.Timestamp | None = None,
) -> History:
    """Read and validate the history and its companions; every problem in every file at once."""
    early: dict[str, object] = {}
    failed: list[InputError] = []
    for key, path, loader in (
        ("mapping", mapping, load_mapping),
        ("resources", resources, read_resources),
    ):
        if path is not None:
            try:
                early[key] = loader(path)
            except InputError as exc:
                failed.append(exc)
    the_mapping = early.get("mapping")
    the_mapping = the_mapping if isinstance(the_mapping, HistoryMapping) else None
    res = early.get("resources")
    res = res if isinstance(res, pd.DataFrame) else None
    roles = person_roles(res)
    date_format = the_mapping.date_format if the_mapping else None
    loaders: dict[str, Callable[[], History | pd.DataFrame]] = {
        "history": lambda: read_history(history, the_mapping, roles, as_of)
    }
    if timesheets is not None:
        # Without a resource list (None), a person's role cannot be known: the problem says so.
        known = roles if res is not None else None
        loaders["timesheets"] = lambda: read_timesheets(timesheets, known, date_format)

    def fail(exc: InputError) -> Callable[[], History]:
        def raise_it() -> History:
            raise exc

        return raise_it

    loaded = load_all({**{f"early{i}": fail(e) for i, e in enumerate(failed)}, **loaders})
    result = loaded["history"]
    assert isinstance(result, History)
    sheets = loaded.get("timesheets")
    if not isinstance(sheets, pd.DataFrame):
        return replace(result, resources=res)
    if set(result.efforts["role"]) <= {"team"}:
        # The history has no effort per role: the timesheets say who worked how much on what.
        efforts = booked_efforts(sheets, result.projects, result.hours_per_week)
        note = (
            "Effort per role from the timesheets (the history has none): "
            f"{len(efforts)} project-role totals."
        )
        return replace(
            result, resources=res, timesheets=sheets, efforts=efforts,
            notes=(*result.notes, note),
        )  # fmt: skip
    return replace(result, resources=res, timesheets=sheets)
