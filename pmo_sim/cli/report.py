"""``pmo-sim report`` (one client report) and ``pmo-sim batch`` (many at once)."""

from __future__ import annotations

import inspect
import sys
from collections.abc import Callable
from pathlib import Path
from types import UnionType
from typing import TYPE_CHECKING, Any, Literal, Union, get_args, get_origin

import typer

from pmo_sim.cli.options import DASK_LOCAL, SCHEDULER, WORKERS, check_out, executor_from
from pmo_sim.errors import InputError, Problem, load_all

if TYPE_CHECKING:
    from pmo_sim.executor import Executor
    from pmo_sim.reporting.batch import BatchResult
    from pmo_sim.reporting.kinds import EngagementBase, ReportKind
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


def _run(
    manifest: Manifest, out: Path, executor: Executor, force: bool, pdf: bool, timeout: int
) -> None:
    from tqdm import tqdm

    from pmo_sim.reporting.batch import run_batch

    _check_pdf(pdf or any("pdf" in e.formats for e in manifest.engagements))
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


#: More option names for fields, as the other commands spell them.
_ALIASES = {"replications": ["-n"], "overrides": ["--set"]}
#: Options every ``report KIND`` command has, besides the kind's own inputs.
_COMMON = ("out", "force", "pdf")


def _cli_type(annotation: Any) -> Any:
    """The type typer parses a field as (``Literal`` and bounds are left to pydantic)."""
    origin, args = get_origin(annotation), get_args(annotation)
    if origin is Literal:
        return str
    if origin in (Union, UnionType) and type(None) in args:
        rest = [a for a in args if a is not type(None)]
        return _cli_type(rest[0]) | None if len(rest) == 1 else str
    if origin is list:
        return list[_cli_type(args[0])]  # type: ignore[misc]
    return annotation


def _kind_command(kind: ReportKind) -> Callable[..., None]:
    """A ``pmo-sim report NAME`` command whose options are the kind's engagement fields."""
    model = kind.engagement
    params = []
    for name, info in model.model_fields.items():
        if name in model.NOT_PARAMETERS and name != "id":
            continue
        help_text = info.description or ""
        if get_origin(info.annotation) is Literal:
            help_text += f" One of: {', '.join(map(str, get_args(info.annotation)))}."
        if name == kind.argument:
            default: Any = typer.Argument(..., help=help_text)
        else:
            flags = [f"--{name.replace('_', '-')}", *_ALIASES.get(name, [])]
            if info.is_required():
                default = typer.Option(..., *flags, help=help_text)
            else:
                value = info.get_default(call_default_factory=True)
                default = typer.Option(value, *flags, help=help_text)
        params.append(
            inspect.Parameter(
                name, inspect.Parameter.KEYWORD_ONLY, default=default,
                annotation=_cli_type(info.annotation),
            )
        )  # fmt: skip
    params += [
        inspect.Parameter(
            "out", inspect.Parameter.KEYWORD_ONLY,
            default=typer.Option(Path("reports"), "--out", help="Folder for the report."),
            annotation=Path,
        ),
        inspect.Parameter(
            "force", inspect.Parameter.KEYWORD_ONLY,
            default=typer.Option(False, "--force", help="Remake even if up to date."),
            annotation=bool,
        ),
        inspect.Parameter(
            "pdf", inspect.Parameter.KEYWORD_ONLY,
            default=typer.Option(False, "--pdf", help="Also print the report to PDF (Chromium)."),
            annotation=bool,
        ),
    ]  # fmt: skip

    def command(**values: Any) -> None:
        from pydantic import ValidationError

        from pmo_sim.inputs import problems_from_validation
        from pmo_sim.reporting.manifest import Manifest

        out, force, pdf = (values.pop(k) for k in _COMMON)
        fields = {k: _absolute(v) for k, v in values.items()}
        try:
            engagement = model.model_validate({"kind": kind.name, **fields})
        except ValidationError as exc:
            problems = [
                Problem("--" + p.location.replace("_", "-"), p.message)
                for p in problems_from_validation(exc)
            ]
            raise InputError(f"pmo-sim report {kind.name}", problems) from None
        _check_inputs(engagement, out)
        manifest = Manifest(title=f"{engagement.client}: reports", engagements=[engagement])
        _run(manifest, out, executor_from(1, None, None), force, pdf, 900)

    command.__signature__ = inspect.Signature(params)  # type: ignore[attr-defined]
    command.__doc__ = f"A {kind.title} report for one client."
    command.__name__ = f"report_{kind.name}"
    return command


def _check_inputs(engagement: EngagementBase, out: Path) -> None:
    """Every input read and checked, and ``--out`` writable, before any kernel starts."""
    from pmo_sim.reporting.kinds import report_kind

    argument = report_kind(engagement.kind).argument

    def read() -> None:
        try:
            engagement.read_inputs()
        except InputError as exc:
            if exc.path != f"{engagement.client} ({engagement.kind})":
                raise
            # Missing files: name them as the command line does.
            raise InputError(
                f"pmo-sim report {engagement.kind}",
                [
                    Problem(
                        p.location
                        if p.location.split("[")[0] == argument
                        else f"--{p.location.replace('_', '-')}",
                        p.message,
                    )
                    for p in exc.problems
                ],
            ) from None

    load_all({"inputs": read, "out": lambda: check_out(out)})


def _absolute(value: Any) -> Any:
    if isinstance(value, Path):
        return value.resolve()
    if isinstance(value, list):
        return [_absolute(v) for v in value]
    return value


def batch(
    manifest: Path = typer.Argument(..., help="Batch manifest (YAML) listing the engagements."),
    out: Path = typer.Option(..., "--out", help="Folder for the reports and index.html."),
    workers: int | None = WORKERS,
    scheduler: str | None = SCHEDULER,
    dask_local: int | None = DASK_LOCAL,
    force: bool = typer.Option(False, "--force", help="Remake reports that are up to date."),
    pdf: bool = typer.Option(False, "--pdf", help="Also print each report to PDF (Chromium)."),
    timeout: int = typer.Option(900, min=1, help="Seconds a notebook cell may run."),
) -> None:
    """Make every report a manifest lists, several at once; index.html links them."""
    from pmo_sim.reporting.manifest import load_manifest

    loaded = load_all({"manifest": lambda: load_manifest(manifest), "out": lambda: check_out(out)})[
        "manifest"
    ]
    _run(loaded, out, executor_from(workers, scheduler, dask_local), force, pdf, timeout)


def register(app: typer.Typer) -> None:
    """Add this module's commands to ``app``."""
    from pmo_sim.reporting.kinds import REPORT_KINDS

    for kind in REPORT_KINDS.values():
        report_app.command(kind.name.replace("_", "-"))(_kind_command(kind))
    app.add_typer(report_app, name="report")
    app.command("batch")(batch)
