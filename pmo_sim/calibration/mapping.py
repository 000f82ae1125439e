"""The history mapping file: what a client's export means, where the file cannot say.

A Planview or Smartsheet export calls the approval date "Gate 1 passed",
writes statuses as "Live" and "Closed - Benefits tracking", gives effort in
hours without saying so and has thirty columns the kit does not need. The
consultant writes that down once per engagement and passes it as
``--mapping FILE.yaml``; it has the same shape as the survey import profile
(``ignore_columns``, ``sheet``, ``layout``, renames, value maps)::

    columns:                       # header in the file -> canonical column
      Programme: type
      Gate 1 passed: created
      Go-live: finish
    values:                        # canonical column -> {typed value: canonical value}
      status: {Live: open, "Closed - Benefits tracking": done}
    ignore_columns: [Sponsor, RAG]
    effort_unit: hours             # when the file has no effort_unit column
    date_format: "%d/%m/%Y"        # day-first dates are never guessed
    hours_per_week: 37.5
    as_of: 2025-11-28              # the export date (default: the latest date in the file)

It is loaded through :func:`pmo_sim.inputs.load_yaml` and validated like
every input: every problem at once, with its field path and line.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import date
from pathlib import Path

from pydantic import Field, field_validator

from pmo_sim.assessment.profile import TableProfile
from pmo_sim.calibration.history import parse_effort_unit
from pmo_sim.inputs import load_yaml, validate_model

__all__ = ["HistoryMapping", "load_mapping"]


class HistoryMapping(TableProfile):
    """An engagement's mapping for a project-history export (the ``--mapping`` file).

    ``ignore_columns``, ``sheet`` and ``layout`` come from the survey import's
    :class:`~pmo_sim.assessment.profile.TableProfile`, and headers and values
    are compared the same way (case, typographic quotes and spaces forgiven).
    """

    #: Header as typed in the file -> canonical column (or a recognised export's column).
    columns: dict[str, str] = Field(default_factory=dict)
    #: Canonical column -> {value as typed: canonical value}.
    values: dict[str, dict[str, str]] = Field(default_factory=dict)
    #: Unit of effort cells when the file has no ``effort_unit`` column.
    effort_unit: str | None = None
    #: ``strptime`` format of dates that are not ISO (``2024-03-05``).
    date_format: str | None = None
    hours_per_week: float = Field(default=40.0, gt=0, le=80)
    #: The export date; default: the latest date in the file.
    as_of: date | None = None

    @classmethod
    def known_layouts(cls) -> Collection[str]:
        """The history layouts of :data:`pmo_sim.calibration.layouts.LAYOUTS`."""
        from pmo_sim.calibration.layouts import LAYOUTS

        return LAYOUTS

    @field_validator("effort_unit")
    @classmethod
    def _unit(cls, value: str | None) -> str | None:
        if value is not None and parse_effort_unit(value) is None:
            raise ValueError(f"unknown unit {value!r}; use hours, person-days or person-weeks")
        return value

    def rename(self, header: str) -> str:
        """The column a header stands for after the mapping's renames."""
        for typed, canonical in self.columns.items():
            if self.key(typed) == self.key(header):
                return canonical
        return header

    def value(self, column: str, text: str) -> str:
        """A cell's value after the mapping's value map for its (canonical) column."""
        table = self.values.get(column)
        if table:
            for typed, canonical in table.items():
                if self.key(typed) == self.key(text):
                    return canonical
        return text


def load_mapping(path: str | Path) -> HistoryMapping:
    """Load and validate a history ``--mapping`` file; every problem at once."""
    return validate_model(HistoryMapping, load_yaml(path))
