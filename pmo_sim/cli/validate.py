"""``pmo-sim validate``: check input files and list every problem in each."""

from __future__ import annotations

from pathlib import Path

import typer

from pmo_sim.errors import load_all
from pmo_sim.formats import FORMATS, load_any


def validate(
    paths: list[Path] = typer.Argument(..., help="Files to check."),
    kind: str | None = typer.Option(
        None, "--kind", help=f"Force the kind: {', '.join(FORMATS)}. Default: from the content."
    ),
) -> None:
    """Check questionnaires, scenarios, responses and manifests; list every problem."""

    def check(path: Path) -> None:
        found, _ = load_any(path, kind)
        typer.echo(f"ok   {path} ({found})")

    load_all({path: (lambda path=path: check(path)) for path in paths})


def register(app: typer.Typer) -> None:
    app.command("validate")(validate)
