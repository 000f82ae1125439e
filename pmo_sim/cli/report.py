"""``pmo-sim report`` (one client report) and ``pmo-sim batch`` (many at once)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from pmo_sim.cli.options import DASK_LOCAL, SCHEDULER, WORKERS, executor_from
from pmo_sim.errors import InputError

if TYPE_CHECKING:
    from pmo_sim.reporting.batch import BatchResult
    from pmo_sim.reporting.manifest import Manifest

report_app = typer.Typer(
    help="Make one client report (HTML) from a notebook.", no_args_is_help=True
)


def _check_pdf(pdf: bool) -> None:
    if pdf:
        from pmo_sim.reporting.pdf import find_chromium

        if find_chromium() is None:
            raise InputError("--pdf", "needs Chromium on PATH (Debian: apt-get install chromium)")


def _finish(result: BatchResult) -> None:
    done = sum(o.status == "done" for o in result.outcomes)
    skipped = sum(o.status == "skipped" for o in result.outcomes)
    typer.echo(
        f"\n{done} made, {skipped} up to date, {len(result.failed)} failed "
        f"in {result.seconds:.1f} s"
    )
    for o in result.outcomes:
        if o.status != "failed" and o.html is not None:
            typer.echo(f"  {o.status:8} {o.html}")
    for o in result.failed:
        typer.secho(f"  FAILED   {o.client} ({o.kind}): {o.error}", fg="red", err=True)
        if o.failed_notebook:
            typer.echo(f"           executed notebook kept: {o.failed_notebook}", err=True)
    typer.echo(f"index: {result.index}")
    if result.failed:
        raise typer.Exit(1)


def _run(manifest: Manifest, out: Path, executor, force: bool, pdf: bool, timeout: int) -> None:
    from tqdm import tqdm

    from pmo_sim.reporting.batch import run_batch

    _check_pdf(pdf)
    with tqdm(
        total=len(manifest.engagements),
        desc="reports",
        unit="report",
        disable=not sys.stderr.isatty(),
    ) as bar:
        try:
            result = run_batch(
                manifest,
                out,
                executor=executor,
                force=force,
                timeout=timeout,
                progress=bar.update,
                pdf=pdf,
            )
        finally:
            executor.close()
    _finish(result)


@report_app.command("assessment")
def report_assessment(
    responses: Path = typer.Argument(..., help="Survey export (CSV/XLSX) or workshop database."),
    client: str = typer.Option(..., "--client", help="Client name for the report."),
    out: Path = typer.Option(Path("reports"), "--out", help="Folder for the report."),
    questionnaire: Path | None = typer.Option(None, help="Questionnaire YAML (default: bundled)."),
    previous: Path | None = typer.Option(None, help="An earlier assessment, for the trend."),
    target_tier: int | None = typer.Option(None, min=1, max=4, help="Tier to aim for."),
    seed: int = typer.Option(20261121, help="Seed for the bootstrap intervals."),
    force: bool = typer.Option(False, "--force", help="Remake even if up to date."),
    pdf: bool = typer.Option(False, "--pdf", help="Also print the report to PDF (Chromium)."),
) -> None:
    """A maturity assessment report for one client."""
    from pmo_sim.reporting.manifest import AssessmentEngagement, Manifest

    engagement = AssessmentEngagement(
        kind="assessment",
        client=client,
        responses=responses.resolve(),
        questionnaire=questionnaire.resolve() if questionnaire else None,
        previous=previous.resolve() if previous else None,
        target_tier=target_tier,
        seed=seed,
    )
    _check_inputs(engagement)
    manifest = Manifest(title=f"{client}: reports", engagements=[engagement])
    _run(manifest, out, executor_from(1, None, None), force, pdf, 900)


@report_app.command("capacity")
def report_capacity(
    scenarios: list[Path] = typer.Argument(..., help="Scenario YAML files to compare."),
    client: str = typer.Option(..., "--client", help="Client name for the report."),
    out: Path = typer.Option(Path("reports"), "--out", help="Folder for the report."),
    replications: int = typer.Option(30, min=2, help="Monte Carlo replications per scenario."),
    seed: int = typer.Option(20261121, help="Seed (common random numbers across scenarios)."),
    overrides: list[str] = typer.Option([], "--set", help="Override PATH=VALUE for all."),
    force: bool = typer.Option(False, "--force", help="Remake even if up to date."),
    pdf: bool = typer.Option(False, "--pdf", help="Also print the report to PDF (Chromium)."),
) -> None:
    """A capacity scenarios report for one client."""
    from pmo_sim.reporting.manifest import CapacityEngagement, Manifest

    engagement = CapacityEngagement(
        kind="capacity",
        client=client,
        scenarios=[s.resolve() for s in scenarios],
        replications=replications,
        seed=seed,
        overrides=overrides,
    )
    _check_inputs(engagement)
    manifest = Manifest(title=f"{client}: reports", engagements=[engagement])
    _run(manifest, out, executor_from(1, None, None), force, pdf, 900)


def _check_inputs(engagement) -> None:
    for path in engagement.input_paths().values():
        if not path.exists():
            raise InputError(path, "file not found")


def batch(
    manifest: Path = typer.Argument(..., help="Batch manifest (YAML) listing the engagements."),
    out: Path = typer.Option(..., "--out", help="Folder for the reports and index.html."),
    workers: int | None = WORKERS,
    scheduler: str | None = SCHEDULER,
    dask_local: int | None = DASK_LOCAL,
    force: bool = typer.Option(False, "--force", help="Remake reports that are up to date."),
    pdf: bool = typer.Option(False, "--pdf", help="Also print each report to PDF (Chromium)."),
    timeout: int = typer.Option(900, help="Seconds a notebook cell may run."),
) -> None:
    """Make every report a manifest lists, several at once; index.html links them."""
    from pmo_sim.reporting.manifest import load_manifest

    loaded = load_manifest(manifest)
    _run(loaded, out, executor_from(workers, scheduler, dask_local), force, pdf, timeout)


def register(app: typer.Typer) -> None:
    app.add_typer(report_app, name="report")
    app.command("batch")(batch)
