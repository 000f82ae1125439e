"""Client reports: notebooks run with papermill, exported to self-contained HTML.

:func:`run_batch` makes many reports from a manifest; :mod:`.plots` holds
the figures the notebooks show; :mod:`.assessment_sections` and
:mod:`.capacity_sections` the prose. Names are imported on first use, so a
report notebook that needs only the figures does not pay for nbformat and
papermill (seconds at import) in its kernel.
"""

from __future__ import annotations

import importlib
from typing import Any

__all__ = [
    "REPORT_KINDS",
    "BatchResult",
    "Manifest",
    "ReportKind",
    "escape",
    "execute_report",
    "load_manifest",
    "notebook_to_html",
    "register_report_kind",
    "run_batch",
]

_WHERE = {
    "REPORT_KINDS": "kinds",
    "ReportKind": "kinds",
    "register_report_kind": "kinds",
    "BatchResult": "batch",
    "run_batch": "batch",
    "Manifest": "manifest",
    "load_manifest": "manifest",
    "escape": "html",
    "notebook_to_html": "html",
    "execute_report": "runner",
}


def __getattr__(name: str) -> Any:
    if name in _WHERE:
        return getattr(importlib.import_module(f"pmo_sim.reporting.{_WHERE[name]}"), name)
    raise AttributeError(f"module 'pmo_sim.reporting' has no attribute {name!r}")
