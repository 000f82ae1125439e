"""Client reports: notebooks run with papermill, exported to self-contained HTML.

:func:`run_batch` makes many reports from a manifest; :mod:`.plots` holds
the figures the notebooks show; :mod:`.narrative` the prose.
"""

from pmo_sim.reporting.batch import REPORT_KINDS, BatchResult, run_batch
from pmo_sim.reporting.html import escape, notebook_to_html
from pmo_sim.reporting.manifest import Manifest, load_manifest
from pmo_sim.reporting.runner import execute_report

__all__ = [
    "REPORT_KINDS",
    "BatchResult",
    "Manifest",
    "escape",
    "execute_report",
    "load_manifest",
    "notebook_to_html",
    "run_batch",
]
