"""An explicit pipeline of projects from a CSV or XLSX file, one project a row.

Columns: ``id``, ``type``, ``arrival`` (week), and optionally ``name``,
``due`` (week), ``effort_scale``, ``benefit_per_week``,
``cost_of_delay_per_week``, ``alignment.OBJECTIVE`` (0-1) and
``effort.PHASE.ROLE`` (person-weeks, fixed). Blank cells keep the project
type's figure. Each problem is reported by row and column.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import ValidationError

from pmo_sim.errors import InputError, Problem
from pmo_sim.inputs import read_table, table_location
from pmo_sim.simulation.scenario import PipelineProject

__all__ = ["read_pipeline"]

_PLAIN = {"id", "type", "arrival", "name", "due", "effort_scale", "benefit_per_week"}
_PLAIN |= {"cost_of_delay_per_week"}
_TEXT = {"id", "type", "name"}
_NESTED = ("alignment.", "effort.")


def _cell(column: str, text: str) -> Any:
    if column in _TEXT:
        return text
    try:
        return float(text)
    except ValueError:
        return text  # validation names the cell and says what was expected


def read_pipeline(
    path: Path, sheet: str | int, context: dict[str, Any]
) -> tuple[list[dict[str, Any]], list[Problem]]:
    """Rows of the pipeline file as pipeline-project mappings, and every problem found.

    Rows with problems are left out of the returned list, so that the
    scenario's own validation does not report them a second time.
    """
    try:
        frame = read_table(path, sheet)
    except InputError as exc:
        return [], [Problem(f"pipeline file {path.name}", str(p)) for p in exc.problems]
    problems = []
    for column in frame.columns:
        if column not in _PLAIN and not column.startswith(_NESTED):
            problems.append(
                Problem(
                    f"{path.name} row 1, column {column!r}",
                    "not a pipeline column; expected id, type, arrival, name, due, effort_scale, "
                    "benefit_per_week, cost_of_delay_per_week, alignment.OBJECTIVE or "
                    "effort.PHASE.ROLE",
                )
            )
    for required in ("id", "type", "arrival"):
        if required not in frame.columns:
            problems.append(Problem(f"{path.name} row 1", f"missing column {required!r}"))
    if problems:
        return [], problems
    rows = []
    for index, record in enumerate(frame.to_dict(orient="records")):
        row: dict[str, Any] = {}
        for column, text in record.items():
            text = str(text).strip()
            if not text:
                continue
            prefix, _, rest = column.partition(".")
            if rest:
                row.setdefault(prefix, {})[rest] = _cell(column, text)
            else:
                row[column] = _cell(column, text)
        try:
            PipelineProject.model_validate(row, context=context)
        except ValidationError as exc:
            for err in exc.errors(include_url=False):
                loc = [str(p) for p in err["loc"]]
                column = ".".join(loc[:2]) if loc and loc[0] in {"alignment", "effort"} else loc[0]
                where = f"{path.name} {table_location(index, column)}"
                problems.append(Problem(where, err["msg"].removeprefix("Value error, ")))
            continue
        rows.append(row)
    return rows, problems
