"""A workbook the client's PMO keeps working in: one sheet per tidy table.

Each :class:`Sheet` becomes an Excel table (filter buttons, banded rows)
with a frozen header row, number formats per column and, where a column is
a score or a share, a conditional colour scale. Every text cell is written
as a string, explicitly: a comment that starts with ``=`` stays the words
the respondent typed and is never a formula. The per-kind sheets are in
:mod:`.sheets`; workbooks are byte-for-byte reproducible.
"""

from __future__ import annotations

import io
import math
import re
import warnings
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import Cell
from openpyxl.formatting.rule import ColorScaleRule
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.table import Table, TableColumn, TableStyleInfo
from openpyxl.writer.excel import ExcelWriter

from pmo_sim.reporting.office import FIXED_DATE, reproducible_zip

__all__ = ["SCALES", "Scale", "Sheet", "workbook_bytes"]


@dataclass(frozen=True)
class Scale:
    """A three-colour scale from ``low`` through ``mid`` to ``high`` (numbers, not ranks)."""

    low: float
    mid: float
    high: float
    colours: tuple[str, str, str] = ("F8696B", "FFEB84", "63BE7B")


#: The colour scales the sheets use, by meaning.
SCALES: dict[str, Scale] = {
    # maturity scores: red at 0, amber at 2, green at 4
    "score": Scale(0, 2, 4),
    # utilisation: green when there is slack, red near 100% (queues explode above ~85%)
    "utilisation": Scale(0.5, 0.85, 1.0, ("63BE7B", "FFEB84", "F8696B")),
    # a perception gap or a change: red far below zero, white at zero, blue far above
    "gap": Scale(-2, 0, 2, ("F8696B", "FFFFFF", "5A8AC6")),
}


@dataclass
class Sheet:
    """One table of the workbook.

    Attributes:
        name: sheet name (at most 31 characters; Excel's limit).
        frame: the tidy table; its columns become the header row.
        formats: number format per column (default: ``0.00`` for floats, ``0`` for integers).
        scales: colour scale name (a key of :data:`SCALES`) per column.
        widths: column width (characters) per column, where the default guess is poor.
        note: what the sheet says under its header when the table is empty.
    """

    name: str
    frame: pd.DataFrame
    formats: dict[str, str] = field(default_factory=dict)
    scales: dict[str, str] = field(default_factory=dict)
    widths: dict[str, float] = field(default_factory=dict)
    note: str = ""


def _table_name(sheet: str, taken: set[str]) -> str:
    base = re.sub(r"[^A-Za-z0-9_]", "_", sheet).strip("_") or "table"
    if not base[0].isalpha():
        base = f"t_{base}"
    name, n = base, 2
    while name.lower() in taken:
        name, n = f"{base}_{n}", n + 1
    taken.add(name.lower())
    return name


def _default_format(series: pd.Series) -> str | None:
    if pd.api.types.is_bool_dtype(series):
        return None
    if pd.api.types.is_integer_dtype(series):
        return "0"
    if pd.api.types.is_float_dtype(series):
        finite = series[np.isfinite(series)]
        # a tier or a count that is float only because some are missing
        return "0" if len(finite) and (finite == finite.round()).all() else "0.00"
    return None


def _cell_writer(ws: Any, fmt: str | None) -> Callable[[object], Any]:
    """A function turning one value into what a write-only row takes (value or styled cell)."""

    def write(value: Any) -> Any:
        if value is None or value is pd.NA:
            return None
        if hasattr(value, "item"):  # numpy scalar
            value = value.item()
        if isinstance(value, bool):
            return value
        if isinstance(value, int | float):
            if not math.isfinite(value):
                return None if math.isnan(value) else _text(ws, str(value))
            if fmt is None:
                return value
            cell = WriteOnlyCell(ws, value)
            cell.number_format = fmt
            return cell
        return _text(ws, str(value))

    return write


def _text(ws: Any, text: str) -> Cell:
    cell = WriteOnlyCell(ws, text)
    cell.data_type = "s"  # openpyxl would take "=..." for a formula
    return cell


def _fill(ws: Any, sheet: Sheet, taken: set[str]) -> None:
    frame = sheet.frame.reset_index(drop=True)
    columns = [str(c) for c in frame.columns]
    widths = []
    for j, name in enumerate(columns):
        texts = frame.iloc[:500, j].astype(str)
        longest = max([len(name), *texts.str.len().tolist()])
        widths.append(sheet.widths.get(name, min(max(longest + 2, 8), 60)))
        ws.column_dimensions[get_column_letter(j + 1)].width = widths[-1]
    bold = Font(bold=True)
    header = []
    for name in columns:
        cell = _text(ws, name)
        cell.font = bold
        header.append(cell)
    ws.append(header)
    if frame.empty:
        if sheet.note:
            ws.append([_text(ws, sheet.note)])
        return
    writers = [
        _cell_writer(ws, sheet.formats.get(name) or _default_format(frame.iloc[:, j]))
        for j, name in enumerate(columns)
    ]
    wrap = Alignment(wrap_text=True, vertical="top")
    wrapped = {j for j, w in enumerate(widths) if w >= 60}
    for row in frame.itertuples(index=False, name=None):
        cells = [write(value) for write, value in zip(writers, row, strict=True)]
        for j in wrapped:
            if isinstance(cells[j], Cell):
                cells[j].alignment = wrap
        ws.append(cells)
    last_row = len(frame) + 1
    for j, name in enumerate(columns, start=1):
        scale = sheet.scales.get(name)
        if scale:
            letter = get_column_letter(j)
            s = SCALES[scale]
            ws.conditional_formatting.add(
                f"{letter}2:{letter}{last_row}",
                ColorScaleRule(
                    start_type="num",
                    start_value=s.low,
                    start_color=s.colours[0],
                    mid_type="num",
                    mid_value=s.mid,
                    mid_color=s.colours[1],
                    end_type="num",
                    end_value=s.high,
                    end_color=s.colours[2],
                ),
            )
    ref = f"A1:{get_column_letter(len(columns))}{last_row}"
    table = Table(displayName=_table_name(sheet.name, taken), ref=ref)
    table.tableStyleInfo = TableStyleInfo(name="TableStyleMedium2", showRowStripes=True)
    # write-only sheets cannot read the header back, so the table is told its columns
    for j, name in enumerate(columns, start=1):
        table.tableColumns.append(TableColumn(id=j, name=name))
    with warnings.catch_warnings():  # openpyxl warns in write-only mode even when they are given
        warnings.filterwarnings("ignore", "In write-only mode", UserWarning)
        ws.add_table(table)


def workbook_bytes(sheets: Sequence[Sheet], title: str = "") -> bytes:
    """The sheets as an ``.xlsx`` (reproducible bytes), in the order given."""
    wb = Workbook(write_only=True)
    taken: set[str] = set()
    for sheet in sheets:
        ws = wb.create_sheet(sheet.name[:31])
        ws.freeze_panes = "A2"
        _fill(ws, sheet, taken)
    props = wb.properties
    props.title = title
    props.creator = props.lastModifiedBy = "pmo-sim"
    props.created = props.modified = FIXED_DATE
    buf = io.BytesIO()
    # ExcelWriter directly: openpyxl's save_workbook stamps the time of saving.
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, allowZip64=True) as archive:
        ExcelWriter(wb, archive).save()
    return reproducible_zip(buf.getvalue())
