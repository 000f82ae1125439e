"""Completion dates as survey tools and Excel write them, read without guessing the order.

``2025-03-18 09:41``, ``18.03.2025``, ``03/18/2025``, ``3/18/25 9:41``,
``2025/03/18 9:41:22 AM GMT+1``: the date part is found by pattern, and the
order of day and month in ``a/b/yyyy`` is decided for the whole column, as
its author's locale decided it: a first part above 12 means day first, a
second part above 12 month first. A column in which every date could be
read either way gives no date (the caller says so and asks for ``--date``)
rather than a guess. Dotted dates (``18.03.2025``) are day first, as every
locale that writes them.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass

__all__ = ["ColumnDates", "read_dates"]

_ISO = re.compile(r"(\d{4})[-/](\d{1,2})[-/](\d{1,2})(?:$|[ T])")
_DOTTED = re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{2}|\d{4})(?:$|[ ,])")
_SLASHED = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{2}|\d{4})(?:$|[ ,])")


@dataclass(frozen=True)
class ColumnDates:
    """The dates of one column: ``dates`` (None where blank or unreadable), and how read.

    ``order`` is ``"iso"``, ``"day first"``, ``"month first"`` or
    ``"ambiguous"`` (slashed dates that fit both orders: ``dates`` are None).
    ``unreadable`` lists the values that are no date at all.
    """

    dates: list[dt.date | None]
    order: str
    unreadable: list[str]

    @property
    def latest(self) -> dt.date | None:
        """The last date in the column (the assessment's date), or None."""
        known = [d for d in self.dates if d is not None]
        return max(known) if known else None


def _year(text: str) -> int:
    year = int(text)
    return year + 2000 if year < 100 else year


def read_dates(values: Iterable[str]) -> ColumnDates:
    """Read a column of date or date-time texts."""
    values = [str(v).strip() for v in values]
    slashed = [_SLASHED.match(v) for v in values]
    firsts = [int(m.group(1)) for m in slashed if m]
    seconds = [int(m.group(2)) for m in slashed if m]
    order = "iso"
    if firsts:
        if any(f > 12 for f in firsts):
            order = "day first"
        elif any(s > 12 for s in seconds):
            order = "month first"
        else:
            order = "ambiguous"
    dates: list[dt.date | None] = []
    unreadable: list[str] = []
    for value, slash in zip(values, slashed, strict=True):
        if not value:
            dates.append(None)
            continue
        parts: tuple[int, int, int] | None = None
        if m := _ISO.match(value):
            parts = (int(m.group(1)), int(m.group(2)), int(m.group(3)))
        elif m := _DOTTED.match(value):
            parts = (_year(m.group(3)), int(m.group(2)), int(m.group(1)))
        elif slash and order != "ambiguous":
            a, b, year = int(slash.group(1)), int(slash.group(2)), _year(slash.group(3))
            parts = (year, b, a) if order == "day first" else (year, a, b)
        elif slash:
            dates.append(None)
            continue
        try:
            dates.append(dt.date(*parts) if parts else None)
        except ValueError:
            parts = None
            dates.append(None)
        if parts is None:
            unreadable.append(value)
    return ColumnDates(dates, order, unreadable)
