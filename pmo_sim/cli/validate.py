"""``pmo-sim validate``: check input files and list every problem in each."""

from __future__ import annotations

from pathlib import Path

import typer

from pmo_sim.errors import InputError
from pmo_sim.formats import FORMATS, load_any


def validate(
    paths: list[Path] = typer.Argument(..., help="Files to check."),
    kind: str | None = typer.Option(
        None, "--kind", help=f"Force the kind: {', '.join(FORMATS)}. Default: from the content."
    ),
) -> int:
    """Check questionnaires, scenarios, responses and manifests; list every problem."""
    failed: list[InputError] = []
    for path in paths:
        try:
            found, _ = load_any(path, kind)
        except InputError as exc:
            failed.append(exc)
        else:
            typer.echo(f"ok   {path} ({found})")
    if len(failed) == 1:
        raise failed[0]
    if failed:
        for exc in failed:
            typer.secho(f"FAIL {exc}", fg="red", err=True)
        raise InputError(None, f"{len(failed)} of {len(paths)} files have problems (listed above)")
    return 0


def register(app: typer.Typer) -> None:
    app.command("validate")(validate)
