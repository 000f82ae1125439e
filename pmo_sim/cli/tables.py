"""Plain-text tables for the terminal, shared by the simulation commands."""

from __future__ import annotations

import math

__all__ = ["fmt_value", "text_table"]


def fmt_value(value: float | None, unit: str) -> str:
    """A number as people read it: shares as %, share differences as points, money with commas."""
    if value is None or not math.isfinite(value):
        return "-"
    if unit == "share":
        return f"{value:.1%}"
    if unit == "pts":  # a difference of shares, in percentage points
        return f"{value * 100:+.1f} pts"
    if unit == "money" or abs(value) >= 1000:
        return f"{value:,.0f}"
    return f"{value:.2f}"


def text_table(rows: list[list[str]], header: list[str], right: set[int]) -> str:
    """Columns padded to width; the columns in ``right`` are right-aligned."""
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]

    def line(cells: list[str]) -> str:
        return "  ".join(
            c.rjust(w) if i in right else c.ljust(w)
            for i, (c, w) in enumerate(zip(cells, widths, strict=True))
        ).rstrip()

    return "\n".join([line(header), line(["-" * w for w in widths]), *map(line, rows)])
