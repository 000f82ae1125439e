"""Plain-text tables for the terminal, shared by the simulation commands.

Numbers are written by :mod:`pmo_sim.presentation` (through each metric's
catalogue entry), so the terminal shows a figure as the reports do.
"""

from __future__ import annotations

__all__ = ["interval_text", "text_table"]


def text_table(rows: list[list[str]], header: list[str], right: set[int]) -> str:
    """Columns padded to width; the columns in ``right`` are right-aligned."""
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]

    def line(cells: list[str]) -> str:
        return "  ".join(
            c.rjust(w) if i in right else c.ljust(w)
            for i, (c, w) in enumerate(zip(cells, widths, strict=True))
        ).rstrip()

    return "\n".join([line(header), line(["-" * w for w in widths]), *map(line, rows)])


def interval_text(metric: str, low: float, high: float, *, difference: bool = False) -> str:
    """A 95% interval of ``metric`` as ``"low .. high"``."""
    from pmo_sim.simulation.metrics import describe_metric

    low_text, high_text = describe_metric(metric).show_interval(low, high, difference=difference)
    return f"{low_text} .. {high_text}"
