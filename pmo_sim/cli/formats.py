"""Which kind of file is this? A registry of the kit's input formats, for ``pmo-sim validate``.

It lives with the command line because its loaders come from every layer
(assessment, simulation, business case, reporting). Each format names a
loader (``"module:function"``, imported on use so that ``pmo-sim validate``
on a questionnaire does not import SimPy) that takes a
path and returns the validated object or raises
:class:`~pmo_sim.errors.InputError`. Kinds are detected from the content
when not given: a YAML mapping's top-level keys, or a table for responses.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pmo_sim.errors import InputError
from pmo_sim.inputs import load_yaml

__all__ = ["FORMATS", "Format", "detect_kind", "load_any"]


@dataclass(frozen=True)
class Format:
    """An input format: its loader and the top-level YAML keys that identify it."""

    kind: str
    loader: str
    yaml_keys: frozenset[str] = frozenset()
    description: str = ""
    #: Keyword options the loader takes (e.g. ``mapping`` for responses); others are not passed.
    options: frozenset[str] = frozenset()

    def load(self, path: Path, **options: Any) -> Any:
        """Load ``path``, passing those ``options`` the loader takes (and that are set)."""
        module, func = self.loader.split(":")
        fn: Callable[..., Any] = getattr(importlib.import_module(module), func)
        given = {k: v for k, v in options.items() if k in self.options and v is not None}
        return fn(path, **given)


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
        "MS Project Excel); give --kind history",
    )
)

_TABLE_SUFFIXES = {".csv", ".tsv", ".txt", ".xlsx", ".xlsm", ".sqlite", ".db"}


def detect_kind(path: str | Path) -> str:
    """Guess the format of ``path`` from its suffix and top-level keys."""
    path = Path(path)
    if path.suffix.lower() in _TABLE_SUFFIXES:
        return "responses"
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
    ``mapping`` for responses) and are ignored by the others.
    """
    path = Path(path)
    if kind is None:
        kind = detect_kind(path)
    if kind not in FORMATS:
        raise InputError(path, f"unknown kind {kind!r}; choose from {', '.join(FORMATS)}")
    return kind, FORMATS[kind].load(path, **options)
