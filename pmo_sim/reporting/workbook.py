"""A workbook the client's PMO keeps working in: one sheet per tidy table.

Each :class:`Sheet` becomes an Excel table (filter buttons, banded rows)
with a frozen header row, number formats per column and, where a column is
a score or a share, a conditional colour scale. Every text cell is written
as a string, explicitly: a comment that starts with ``=`` stays the words
the respondent typed and is never a formula. Written with XlsxWriter (about
twice as fast as openpyxl for the capacity workbook's hundreds of thousands
of cells); the per-kind sheets are in :mod:`.sheets`; workbooks are
byte-for-byte reproducible.
"""

from __future__ import annotations

import io
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
import xlsxwriter

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


class _Formats:
    """XlsxWriter formats, made once per workbook and shared by every cell that needs one."""

    def __init__(self, book: xlsxwriter.Workbook) -> None:
        self._book = book
        self._made: dict[tuple[str | None, bool], Any] = {}

    def get(self, number: str | None = None, wrap: bool = False) -> Any:
        """The format of a number format and text wrapping (None: the default format)."""
        key = (number, wrap)
        if key not in self._made:
            props: dict[str, Any] = {}
            if number:
                props["num_format"] = number
            if wrap:
                props.update(text_wrap=True, valign="top")
            self._made[key] = self._book.add_format(props) if props else None
        return self._made[key]


def _write(ws: Any, row: int, col: int, value: Any, number: Any, text: Any) -> None:
    """Numbers as numbers, missing as empty, everything else as text (never a formula)."""
    if value is None or value is pd.NA:
        return
    if hasattr(value, "item"):  # numpy scalar
        value = value.item()
    if isinstance(value, bool):
        ws.write_boolean(row, col, value)
    elif isinstance(value, int | float):
        if math.isnan(value):
            return
        if math.isinf(value):
            ws.write_string(row, col, str(value), text)
        else:
            ws.write_number(row, col, value, number)
    else:
        ws.write_string(row, col, str(value), text)


def _fill(ws: Any, sheet: Sheet, formats: _Formats, taken: set[str]) -> None:
    frame = sheet.frame.reset_index(drop=True)
    columns = [str(c) for c in frame.columns]
    widths = []
    for j, name in enumerate(columns):
        texts = frame.iloc[:500, j].astype(str)
        longest = max([len(name), *texts.str.len().tolist()])
        widths.append(sheet.widths.get(name, min(max(longest + 2, 8), 60)))
        ws.set_column(j, j, widths[-1])
    ws.freeze_panes(1, 0)
    if frame.empty:
        bold = formats._book.add_format({"bold": True})
        for j, name in enumerate(columns):
            ws.write_string(0, j, name, bold)
        if sheet.note:
            ws.write_string(1, 0, sheet.note)
        return
    numbers = [
        formats.get(sheet.formats.get(name) or _default_format(frame.iloc[:, j]))
        for j, name in enumerate(columns)
    ]
    texts = [formats.get(wrap=w >= 60) for w in widths]
    for i, row in enumerate(frame.itertuples(index=False, name=None), start=1):
        for j, value in enumerate(row):
            _write(ws, i, j, value, numbers[j], texts[j])
    last_row = len(frame)
    for j, name in enumerate(columns):
        scale = sheet.scales.get(name)
        if scale:
            s = SCALES[scale]
            ws.conditional_format(
                1, j, last_row, j,
                {
                    "type": "3_color_scale",
                    "min_type": "num", "min_value": s.low, "min_color": f"#{s.colours[0]}",
                    "mid_type": "num", "mid_value": s.mid, "mid_color": f"#{s.colours[1]}",
                    "max_type": "num", "max_value": s.high, "max_color": f"#{s.colours[2]}",
                },
            )  # fmt: skip
    # The table writes the header row itself, as text.
    ws.add_table(
        0, 0, last_row, len(columns) - 1,
        {
            "name": _table_name(sheet.name, taken),
            "style": "Table Style Medium 2",
            "columns": [{"header": name} for name in columns],
        },
    )  # fmt: skip


def workbook_bytes(sheets: Sequence[Sheet], title: str = "") -> bytes:
    """The sheets as an ``.xlsx`` (reproducible bytes), in the order given."""
    buf = io.BytesIO()
    book = xlsxwriter.Workbook(
        buf,
        {
            "in_memory": True,
            # Inputs are text, whatever they look like: no formulas, links or numbers made of them.
            "strings_to_formulas": False,
            "strings_to_urls": False,
            "strings_to_numbers": False,
        },
    )
    book.set_properties({"title": title, "author": "pmo-sim", "created": FIXED_DATE})
    formats = _Formats(book)
    taken: set[str] = set()
    for sheet in sheets:
        _fill(book.add_worksheet(sheet.name[:31]), sheet, formats, taken)
    book.close()
    return reproducible_zip(buf.getvalue())
