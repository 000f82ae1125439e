"""``pmo-sim inspect``: what the kit will read from a survey export, before it scores anything.

Prints the file's encoding and separator, the survey tool recognised, the
header rows used, every column and what it maps to (question, group,
metadata ignored, unmatched), the group labels with their respondent
counts, how coded answers are read, and which rows are skipped and why.
Problems are listed too, but do not stop the listing: inspecting a file
that is not right yet is the point. The exit status is 2 when there are
problems, so scripts can use it as a check.
"""

from __future__ import annotations

from pathlib import Path

import typer

from pmo_sim.cli.options import GROUP_COLUMN, MAPPING


def inspect(
    responses: Path = typer.Argument(..., help="A survey export or responses file (CSV/TSV/XLSX)."),
    questionnaire: Path | None = typer.Option(
        None, "--questionnaire", "-q", help="Questionnaire YAML. Default: the bundled one."
    ),
    group_column: str | None = GROUP_COLUMN,
    mapping: Path | None = MAPPING,
) -> None:
    """Show how a survey export will be read: layout, columns, groups, coding, skipped rows."""
    from pmo_sim.assessment.inspection import format_inspection
    from pmo_sim.assessment.profile import load_survey_profile
    from pmo_sim.assessment.questionnaire import load_questionnaire
    from pmo_sim.assessment.responses import inspect_responses
    from pmo_sim.errors import InputError

    questions = load_questionnaire(questionnaire)
    if responses.suffix.lower() in {".sqlite", ".db"}:
        raise InputError(responses, "inspect reads survey exports; a workshop database needs none")
    profile = load_survey_profile(mapping, questions) if mapping is not None else None
    strict = inspect_responses(
        responses, questions, group_column=group_column, mapping=profile, strict=False
    )
    assert strict.inspection is not None
    typer.echo(format_inspection(strict.inspection), nl=False)
    if strict.warnings:
        typer.echo("\nproblems and warnings:")
        for warning in strict.warnings:
            typer.echo("  - " + warning.replace("\n", "\n    "))
    # Exit 2 exactly when assess would refuse the file.
    try:
        inspect_responses(responses, questions, group_column=group_column, mapping=profile)
    except InputError as exc:
        typer.echo(
            f"\n{exc.total} problem(s): assess would refuse {responses}",
            err=True,
        )
        raise typer.Exit(2) from None


def register(app: typer.Typer) -> None:
    """Add ``inspect`` to the CLI."""
    app.command("inspect")(inspect)
