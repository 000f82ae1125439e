"""Which kind of file is this? A registry of the kit's input formats, for ``pmo-sim validate``.

It lives with the command line because its loaders come from every layer
(assessment, simulation, business case, reporting). Each format names a
loader (``"module:function"``, imported on use so that ``pmo-sim validate``
on a questionnaire does not import SimPy) that takes a
path and returns the validated object or raises
:class:`~pmo_sim.errors.InputError`. Kinds are detected from the content
when not given: a YAML mapping's top-level keys; a table's header row, which
each table kind recognises with its own function (``recognises``, named and
imported on use like the loader). A table no kind recognises is survey
responses, the fallback; one that two kinds recognise is refused, naming
them and ``--kind``.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pmo_sim.errors import InputError, Problem
from pmo_sim.inputs import load_yaml, read_header

__all__ = ["FALLBACK_TABLE_KIND", "FORMATS", "Format", "detect_kind", "load_any"]


def _resolve(spec: str) -> Callable[..., Any]:
    """The function named ``"module:function"``, imported now."""
    module, func = spec.split(":")
    fn: Callable[..., Any] = getattr(importlib.import_module(module), func)
    return fn


@dataclass(frozen=True)
class Format:
    """An input format: its loader and how to recognise it (YAML keys, or a table's header)."""

    kind: str
    loader: str
    yaml_keys: frozenset[str] = frozenset()
    description: str = ""
    #: Keyword options the loader takes (e.g. ``mapping`` for responses); others are not passed.
    options: frozenset[str] = frozenset()
    #: For a table kind, ``"module:function"`` taking the header row's names (a list of
    #: str) and returning a true value when they are this kind's; imported on use.
    recognises: str = ""

    def load(self, path: Path, **options: Any) -> Any:
        """Load ``path``, passing those ``options`` the loader takes (and that are set)."""
        given = {k: v for k, v in options.items() if k in self.options and v is not None}
        return _resolve(self.loader)(path, **given)

    def fits(self, headers: list[str]) -> bool:
        """Whether a table with these header names is of this kind (False if it has no test)."""
        return bool(self.recognises) and bool(_resolve(self.recognises)(headers))


FORMATS: dict[str, Format] = {}


def register(fmt: Format) -> None:
    FORMATS[fmt.kind] = fmt


register(
    Format(
        "questionnaire",
        "pmo_sim.assessment.questionnaire:load_questionnaire",
        frozenset({"dimensions"}),
        "maturity questionnaire (YAML)",
    )
)
register(
    Format(
        "responses",
        "pmo_sim.assessment.responses:load_responses",
        description="survey answers (a survey tool's export, long or wide CSV/XLSX, or a "
        "workshop .sqlite)",
        options=frozenset({"group_column", "mapping"}),
    )
)
register(
    Format(
        "mapping",
        "pmo_sim.assessment.profile:load_survey_profile",
        frozenset({"group_column", "groups", "codes", "ignore_columns", "not_answered"}),
        "import profile for a survey export (--mapping YAML)",
    )
)
register(
    Format(
        "scenario",
        "pmo_sim.simulation.scenario_files:load_scenario",
        frozenset({"roles", "project_types", "extends"}),
        "capacity scenario (YAML)",
    )
)
register(
    Format(
        "manifest",
        "pmo_sim.reporting.manifest:load_manifest",
        frozenset({"engagements"}),
        "batch manifest (YAML)",
    )
)
register(
    Format(
        "practices",
        "pmo_sim.business_case:load_practices",
        frozenset({"tiers"}),
        "tier practices for the business case (YAML)",
    )
)
register(
    Format(
        "history",
        "pmo_sim.calibration:read_history",
        description="project history for calibration (canonical CSV/XLSX, Jira CSV, "
        "MS Project Excel), told by the headers of a recognised export",
        recognises="pmo_sim.calibration.layouts:detect_layout",
    )
)
register(
    Format(
        "resources",
        "pmo_sim.calibration.resources:read_resources",
        description="resource list for calibration (role, and person, fte, weekly_cost)",
        recognises="pmo_sim.calibration.resources:is_resource_list",
    )
)
register(
    Format(
        "timesheets",
        "pmo_sim.calibration.resources:read_timesheets",
        description="timesheets for calibration (person or role, project, week, hours); "
        "people are checked against a resource list given in the same call",
        options=frozenset({"roles_of"}),
        recognises="pmo_sim.calibration.resources:is_timesheet",
    )
)

#: The kind of a table that no table kind recognises, and of a workshop database.
FALLBACK_TABLE_KIND = "responses"
_TABLE_SUFFIXES = {".csv", ".tsv", ".txt", ".xlsx", ".xlsm"}
_DATABASE_SUFFIXES = {".sqlite", ".db"}


def _table_kind(path: Path) -> str:
    """The kind whose ``recognises`` accepts the header row; the fallback when none does."""
    try:
        headers = read_header(path)
    except InputError:
        # Unreadable here: the fallback's loader reads more encodings and says why, where.
        return FALLBACK_TABLE_KIND
    found = [f.kind for f in FORMATS.values() if f.fits(headers)]
    if len(found) > 1:
        choices = " or ".join(f"--kind {k}" for k in found)
        raise InputError(
            path,
            [
                Problem(
                    "row 1 (header)",
                    f"the headers fit more than one kind of table ({', '.join(found)}); "
                    f"say which with {choices}",
                )
            ],
        )
    return found[0] if found else FALLBACK_TABLE_KIND


def detect_kind(path: str | Path) -> str:
    """The format of ``path``: from a table's header row, or a YAML file's top-level keys."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix in _DATABASE_SUFFIXES:
        return FALLBACK_TABLE_KIND  # a live workshop's answer database
    if suffix in _TABLE_SUFFIXES:
        return _table_kind(path)
    doc = load_yaml(path)
    if not isinstance(doc.data, dict):
        raise InputError(path, "expected a YAML mapping at the top level")
    keys = set(doc.data)
    best = max(FORMATS.values(), key=lambda f: len(f.yaml_keys & keys))
    if not best.yaml_keys & keys:
        known = ", ".join(
            f"{f.kind} ({'/'.join(sorted(f.yaml_keys))})" for f in FORMATS.values() if f.yaml_keys
        )
        raise InputError(
            path, f"cannot tell what kind of file this is; expected top-level keys of: {known}"
        )
    return best.kind


def load_any(path: str | Path, kind: str | None = None, **options: Any) -> tuple[str, Any]:
    """Load and validate ``path`` as ``kind`` (detected when None).

    ``options`` go to loaders that take them (``group_column`` and
    ``mapping`` for responses, ``roles_of`` for timesheets) and are ignored
    by the others.
    """
    path = Path(path)
    if kind is None:
        kind = detect_kind(path)
    if kind not in FORMATS:
        raise InputError(path, f"unknown kind {kind!r}; choose from {', '.join(FORMATS)}")
    return kind, FORMATS[kind].load(path, **options)
