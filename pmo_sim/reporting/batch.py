"""Many client reports at once: a manifest in, a folder of reports out.

Each engagement becomes one notebook run on an executor (local processes by
default, a Dask cluster when asked). One failing engagement never stops the
others; its executed notebook is kept under ``failed/`` for diagnosis. A
report whose inputs, parameters, notebook and kit (every file of the
installed package, not only its version) have not changed since it was made
is skipped unless ``force``. At the end, ``index.html`` links every
report and ``summary.csv`` benchmarks the assessments across clients.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pmo_sim._version import __version__
from pmo_sim.bundled import package_digest
from pmo_sim.errors import InputError
from pmo_sim.files import atomic_write_bytes, atomic_write_text
from pmo_sim.reporting.kinds import report_kind
from pmo_sim.reporting.manifest import Engagement, Manifest
from pmo_sim.reporting.runner import NOTEBOOKS, ReportRun, execute_report, publish

__all__ = ["BatchResult", "EngagementOutcome", "engagement_parameters", "run_batch"]


def engagement_parameters(engagement: Engagement) -> dict[str, Any]:
    """The notebook parameters for an engagement (plain JSON-able values)."""
    return engagement.parameters()


def fingerprint(engagement: Engagement) -> str:
    """Changes whenever anything that shapes the report changes.

    That is its parameters, its input files, its notebook and the kit itself:
    the content of every file of the installed package, not just the version.
    """
    digest = hashlib.sha256()
    digest.update(__version__.encode())
    digest.update(package_digest().encode())
    digest.update(json.dumps(engagement_parameters(engagement), sort_keys=True).encode())
    digest.update((NOTEBOOKS / report_kind(engagement.kind).notebook).read_bytes())
    for name, path in sorted(engagement.input_paths().items()):
        digest.update(name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def render_engagement(task: dict[str, Any]) -> ReportRun:
    """Worker side: run one engagement's notebook (a plain-data task, picklable)."""
    return execute_report(task["notebook"], task["parameters"], task["title"], task["timeout"])


@dataclass
class EngagementOutcome:
    """One line of the batch summary."""

    client: str
    kind: str
    slug: str
    status: str  # done, skipped (up to date), failed
    html: Path | None = None
    error: str = ""
    failed_notebook: Path | None = None
    seconds: float = 0.0
    #: Every file of the report besides its HTML (results, deck, workbook, PDF).
    files: list[Path] = field(default_factory=list)
    #: The formats asked for (:data:`~pmo_sim.reporting.deliverables.FORMATS`).
    formats: list[str] = field(default_factory=lambda: ["html"])


@dataclass
class BatchResult:
    """What a batch produced."""

    out: Path
    outcomes: list[EngagementOutcome]
    index: Path
    summary: Path
    seconds: float

    @property
    def failed(self) -> list[EngagementOutcome]:
        """The engagements whose report failed."""
        return [o for o in self.outcomes if o.status == "failed"]


def _made_files(dest: Path, stem: str, formats: list[str], pdf: bool) -> list[Path]:
    """The files an up-to-date report already has beside its HTML."""
    wanted = [f for f in formats if f != "html"] + (["pdf"] if pdf and "pdf" not in formats else [])
    names = [f"{stem}.json", *(f"{stem}.{f}" for f in wanted)]
    return [dest / n for n in names if (dest / n).exists()]


def _publish(run: ReportRun, out: Path, outcome: EngagementOutcome, digest: str, pdf: bool) -> None:
    """Write one engagement's report (or keep its failed notebook) and record the outcome."""
    dest = out / outcome.slug
    outcome.seconds = run.seconds
    if run.ok:
        outcome.html = publish(run, dest, outcome.kind)
        outcome.files = [dest / name for name in run.files]
        outcome.status = "done"
        if pdf or "pdf" in outcome.formats:
            from pmo_sim.reporting.pdf import html_to_pdf

            outcome.files.append(html_to_pdf(outcome.html, outcome.html.with_suffix(".pdf")))
        atomic_write_text(dest / f".{outcome.kind}.fingerprint", digest)
    else:
        outcome.status, outcome.error = "failed", run.error
        if run.executed_notebook is not None:
            kept = out / "failed" / f"{outcome.slug}-{outcome.kind}.ipynb"
            atomic_write_bytes(kept, run.executed_notebook)
            outcome.failed_notebook = kept


def run_batch(
    manifest: Manifest,
    out: Path,
    executor: Any = None,
    force: bool = False,
    timeout: int = 900,
    progress: Callable[[int], None] | None = None,
    pdf: bool = False,
) -> BatchResult:
    """Produce every report of ``manifest`` under ``out``; see the module docstring."""
    from pmo_sim.executor import LocalExecutor
    from pmo_sim.reporting.index import write_index

    start = time.perf_counter()
    out = out.resolve()
    out.mkdir(parents=True, exist_ok=True)
    outcomes: list[EngagementOutcome] = []
    tasks: list[dict[str, Any]] = []
    pending: list[tuple[EngagementOutcome, str]] = []
    for engagement in manifest.engagements:
        dest = out / engagement.slug
        stem = engagement.kind
        outcome = EngagementOutcome(
            engagement.client, engagement.kind, engagement.slug, "pending",
            formats=list(engagement.formats),
        )  # fmt: skip
        outcomes.append(outcome)
        try:
            # Bad inputs fail this engagement here, before a kernel starts; others go on.
            engagement.read_inputs()
        except InputError as exc:
            outcome.status, outcome.error = "failed", f"bad input: {exc}"
            if progress is not None:
                progress(1)
            continue
        stamp = dest / f".{stem}.fingerprint"
        digest = fingerprint(engagement)
        html = dest / f"{stem}.html"
        if not force and html.exists() and stamp.exists() and stamp.read_text() == digest:
            outcome.status, outcome.html = "skipped", html
            outcome.files = _made_files(dest, stem, outcome.formats, pdf)
            if progress is not None:
                progress(1)
            continue
        kind = report_kind(engagement.kind)
        tasks.append(
            {
                "notebook": kind.notebook,
                "parameters": engagement_parameters(engagement),
                "title": kind.report_title(engagement.client),
                "timeout": timeout,
            }
        )
        pending.append((outcome, digest))

    own = executor is None
    executor = executor or LocalExecutor()
    try:
        # Publish each report as soon as it arrives: a long batch that is stopped keeps
        # every report already made, and never a partial one.
        for i, run in executor.imap(render_engagement, tasks):
            outcome, digest = pending[i]
            _publish(run, out, outcome, digest, pdf)
            if progress is not None:
                progress(1)
    finally:
        if own:
            executor.close()
    index, summary = write_index(out, manifest.title, outcomes)
    return BatchResult(out, outcomes, index, summary, time.perf_counter() - start)
