"""Numbers as people read them: each unit's format, for values and for differences.

A utilisation of 0.8731 reads as "87.3%", and a change of it from one
scenario to another as "+2.1 pts", not "+2.1%"; money reads as "1,250,000";
weeks and projects with one decimal. Units are registered in :data:`UNITS`;
a metric (:mod:`pmo_sim.simulation.metrics`) names its unit and may carry
its own format spec. The CLI, the HTML reports, the widgets and the
deliverables all format through :func:`format_value`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

__all__ = ["MISSING", "UNITS", "Unit", "format_value", "register_unit"]

#: What a missing or undefined number (NaN, None, infinite) is shown as.
MISSING = "-"


@dataclass(frozen=True)
class Unit:
    """How numbers of one unit are written."""

    name: str
    #: Format spec of a value (``",.0f"``, ``".1%"``).
    spec: str
    #: Format spec of a difference, after multiplying by ``difference_scale``.
    difference_spec: str = ""
    difference_scale: float = 1.0
    #: Written after a difference: ``" pts"`` for shares.
    difference_suffix: str = ""
    #: The unit as a column heading shows it ("" when the format says it, as "%" does).
    label: str = ""


#: Every unit by name; a metric with a unit not listed here is written with ``.2f``.
UNITS: dict[str, Unit] = {}


def register_unit(unit: Unit) -> Unit:
    """Add ``unit`` to :data:`UNITS` (a unit of the same name is replaced)."""
    UNITS[unit.name] = unit
    return unit


register_unit(Unit("share", ".1%", ".1f", 100.0, " pts"))
register_unit(Unit("money", ",.0f", label="money"))
register_unit(Unit("weeks", ",.1f", label="weeks"))
register_unit(Unit("projects", ",.1f", label="projects"))
register_unit(Unit("projects/year", ",.1f", label="projects/year"))
register_unit(Unit("FTE", ",.1f", label="FTE"))

_PLAIN = Unit("", ",.2f")


def format_value(
    value: float | None, unit: str = "", *, difference: bool = False, spec: str = ""
) -> str:
    """``value`` in ``unit``'s format; ``difference=True`` signs it (and shares go to points).

    ``spec`` overrides the unit's format of a value (a metric's own format).

    >>> format_value(0.8731, "share"), format_value(0.021, "share", difference=True)
    ('87.3%', '+2.1 pts')
    >>> format_value(1250000, "money"), format_value(-3.25, "weeks", difference=True)
    ('1,250,000', '-3.2')
    >>> format_value(float("nan"), "weeks")
    '-'
    """
    if value is None:
        return MISSING
    value = float(value)
    if not math.isfinite(value):
        return MISSING
    info = UNITS.get(unit, _PLAIN)
    if not difference:
        return format(value, spec or info.spec)
    body = (info.difference_spec or spec or info.spec).lstrip("+")
    scaled = value * info.difference_scale
    if round(scaled, 12) == 0:
        scaled = 0.0  # no "-0.0"
    return format(scaled, "+" + body) + info.difference_suffix
