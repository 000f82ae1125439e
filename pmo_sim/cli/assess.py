"""``pmo-sim assess``: score a maturity workshop's responses on tiers 1-4.

Reads a responses file (long or wide CSV/XLSX, or a workshop database) against a questionnaire
(the bundled strategic PMO one by default), scores it and prints a table
or JSON. ``--out DIR`` also writes ``assessment.json`` and tidy CSVs; the
files are written only after every input has been read and scored, each to
a temporary name first and then renamed, so a bad input leaves DIR as it was.
"""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from pmo_sim.cli.options import GROUP_COLUMN, MAPPING, check_out
from pmo_sim.errors import InputError, load_all
from pmo_sim.seeds import DEFAULT_SEED

if TYPE_CHECKING:
    from pmo_sim.assessment import Assessment


class Weighting(StrEnum):
    """How the index weighs respondents: each group equally, or each respondent."""

    groups = "groups"
    respondents = "respondents"


class OutputFormat(StrEnum):
    """What the command prints: a table for people, JSON for machines."""

    table = "table"
    json = "json"


def assess(
    responses: Path = typer.Argument(
        ...,
        help="Responses: a survey tool's export (Qualtrics, SurveyMonkey, Microsoft Forms, "
        "Google Forms, LimeSurvey), long or wide CSV/XLSX, or a workshop .sqlite.",
    ),
    questionnaire: Path | None = typer.Option(
        None, "--questionnaire", "-q", help="Questionnaire YAML. Default: the bundled one."
    ),
    target_tier: int | None = typer.Option(
        None, "--target-tier", min=1, max=4, help="Tier for the roadmap. Default: the next tier."
    ),
    previous: Path | None = typer.Option(
        None, "--previous", help="An earlier responses file of the same client, for the trend."
    ),
    weighting: Weighting = typer.Option(
        Weighting.groups,
        "--weighting",
        help="groups: each group counts once; respondents: plain mean over people.",
    ),
    seed: int = typer.Option(
        DEFAULT_SEED, "--seed", min=0, help="Seed for the bootstrap intervals."
    ),
    output: OutputFormat = typer.Option(OutputFormat.table, "--format", help="table or json."),
    out: Path | None = typer.Option(
        None, "--out", help="Also write assessment.json and tidy CSVs into this directory."
    ),
    group_column: str | None = GROUP_COLUMN,
    mapping: Path | None = MAPPING,
    client: str | None = typer.Option(None, "--client", help="Client name (overrides the file)."),
    assessed_on: str | None = typer.Option(
        None, "--date", help="Assessment date YYYY-MM-DD (overrides the file)."
    ),
    resamples: int = typer.Option(
        1000, "--resamples", min=100, help="Bootstrap resamples for the intervals."
    ),
) -> None:
    """Score maturity-workshop responses: tier, index, consensus, gaps, roadmap."""
    # Imported here: `pmo-sim` starts without pandas for the commands that do not need it.
    from pmo_sim.assessment import format_summary
    from pmo_sim.assessment.workflow import load_for_assessment, score_loaded

    loaded = load_all(
        {
            "inputs": lambda: load_for_assessment(
                responses,
                questionnaire=questionnaire,
                previous=previous,
                group_column=group_column,
                client=client,
                assessed_on=assessed_on,
                mapping=mapping,
            ),
            "out": lambda: check_out(out),
        }
    )
    questions, current, earlier = loaded["inputs"]
    result = score_loaded(
        questions,
        current,
        earlier,
        target_tier=target_tier,
        weighting=weighting.value,
        seed=seed,
        n_boot=resamples,
    )
    document = json.dumps(result.to_dict(), indent=2, ensure_ascii=False) + "\n"
    if out is not None:
        written = write_outputs(out, result, document)
        typer.echo(f"wrote {len(written)} files to {out}", err=True)
    # Which layout was read and which columns were skipped: on stderr when stdout is JSON.
    if current.inspection is not None:
        typer.echo(current.inspection.headline(), err=output is OutputFormat.json)
    if output is OutputFormat.json:
        typer.echo(document, nl=False)
    else:
        typer.echo(format_summary(result), nl=False)


def write_outputs(directory: Path, result: Assessment, document: str) -> list[Path]:
    """Write ``assessment.json`` and one CSV per tidy table, each renamed into place."""
    from pmo_sim.files import frame_csv, write_all

    files = {"assessment.json": document}
    for name, table in result.tables().items():
        files[f"{name}.csv"] = frame_csv(table)
    try:
        return write_all(directory, files)
    except OSError as exc:
        raise InputError(directory, f"cannot write outputs ({exc})") from None


def register(app: typer.Typer) -> None:
    """Add this module's commands to ``app``."""
    app.command("assess")(assess)
