"""``pmo-sim validate``: check input files and list every problem in each."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from pathlib import Path

import typer

from pmo_sim.cli.formats import FORMATS, load_any
from pmo_sim.cli.options import GROUP_COLUMN, MAPPING
from pmo_sim.errors import load_all


def validate(
    paths: list[Path] = typer.Argument(..., help="Files to check."),
    kind: str | None = typer.Option(
        None, "--kind", help=f"Force the kind: {', '.join(FORMATS)}. Default: from the content."
    ),
    group_column: str | None = GROUP_COLUMN,
    mapping: Path | None = MAPPING,
) -> None:
    """Check questionnaires, scenarios, responses and manifests; list every problem."""
    profile = None
    if mapping is not None:
        from pmo_sim.assessment.profile import load_survey_profile
        from pmo_sim.assessment.questionnaire import load_questionnaire

        profile = load_survey_profile(mapping, load_questionnaire())

    def check(path: Path) -> None:
        found, loaded = load_any(path, kind, group_column=group_column, mapping=profile)
        typer.echo(f"ok   {path} ({found})")
        inspection = getattr(loaded, "inspection", None)
        if inspection is not None:
            typer.echo("     " + inspection.headline().replace("\n", "\n     "))
        for warning in getattr(loaded, "warnings", ()):
            typer.echo("     warning: " + warning.replace("\n", "\n     "))

    checks: dict[Path, Callable[[], None]] = {path: partial(check, path) for path in paths}
    load_all(checks)


def register(app: typer.Typer) -> None:
    """Add ``validate`` to the CLI."""
    app.command("validate")(validate)
