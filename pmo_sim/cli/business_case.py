"""``pmo-sim business-case``: today's practices against the target tier's, on one scenario.

Reads the assessment (results JSON or responses file), the capacity scenario
and the practices file, runs both arms on common random numbers and prints
the headline differences with 95% intervals (a table, or JSON with
``--format json``). ``--out DIR`` writes ``business_case.json`` and
``business_case.csv`` after everything has run, each under a temporary name
renamed into place, so bad input leaves DIR as it was. ``--sensitivity``
varies each assumption over its plausible range (common random numbers),
prints the tornado as a table and the break-even, adds ``sensitivity`` to
the JSON, and with ``--out`` writes ``sensitivity.csv`` and ``tornado.png``.
"""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from pmo_sim.cli.options import MAX_REPLICATIONS, check_out
from pmo_sim.cli.tables import interval_text, text_table
from pmo_sim.seeds import DEFAULT_SEED

if TYPE_CHECKING:
    import pandas as pd
    from matplotlib.figure import Figure

    from pmo_sim.business_case import BusinessCase, Sensitivity


class OutputFormat(StrEnum):
    """What the command prints: a table for people, JSON for machines."""

    table = "table"
    json = "json"


def _rows(frame: pd.DataFrame) -> list[list[str]]:
    from pmo_sim.simulation.metrics import format_metric

    rows = []
    for r in frame.itertuples():
        rows.append(
            [
                r.measure,
                format_metric(r.metric, r.today),
                format_metric(r.metric, r.target),
                format_metric(r.metric, r.difference, difference=True),
                interval_text(r.metric, r.low, r.high, difference=True),
                r.verdict,
            ]
        )
    return rows


def business_case_table(case: BusinessCase) -> str:
    """The business case for people: practices, headline, objectives, utilisation, notes."""
    p = case.position
    who = p.client or Path(p.source).stem
    lines = [
        f"{who}: tier {p.tier} ({p.tier_name}) today, target tier {case.target_tier}; "
        f"scenario '{case.scenario_name}', {case.replications} replications on "
        f"common random numbers (seed {case.seed}); difference = target - today",
        "",
    ]
    practices = case.practice_table()
    for r in practices.itertuples():
        lines.append(f"{r.practice} (decided by {r.decided_by})")
        lines.append(f"  today  (tier {r.today_tier}): {r.today}")
        lines.append(f"  target (tier {r.target_tier}): {r.target}")
    header = ["measure", "today", "target", "difference", "95% interval", ""]
    for title, frame in (
        ("", case.headline()),
        ("Benefits realised by strategic objective", case.by_objective()),
        ("Utilisation by role", case.utilisation()),
        ("Time lost to switching between assignments, by role", case.switching()),
    ):
        if frame.empty:
            continue
        lines += ["", title] if title else [""]
        if title:
            lines.append("")
        lines.append(text_table(_rows(frame), header, {1, 2, 3, 4}))
    lines += ["", *(f"- {f}" for f in case.findings())]
    return "\n".join(lines)


def sensitivity_table(sensitivity: Sensitivity) -> str:
    """The tornado as text: each assumption's range and the benefit difference at its ends."""
    from pmo_sim.business_case import ASSUMPTIONS
    from pmo_sim.simulation.metrics import format_metric

    show = {a.name: a.show for a in ASSUMPTIONS}
    rows = [
        [
            r.label,
            show[r.name](r.base),
            f"{show[r.name](r.low)} .. {show[r.name](r.high)}",
            format_metric("benefit_total", r.difference_low, difference=True),
            format_metric("benefit_total", r.difference_high, difference=True),
        ]
        for r in sensitivity.table.itertuples()
    ]
    header = ["assumption", "as run", "range", "difference at low", "at high"]
    as_run = format_metric("benefit_total", sensitivity.base_difference, difference=True)
    if sensitivity.table.empty:
        return sensitivity.break_even_words
    return "\n".join(
        [
            "What the answer hangs on (benefit difference, target - today, one assumption at a "
            f"time; as run: {as_run})",
            "",
            text_table(rows, header, {1, 2, 3, 4}),
            "",
            sensitivity.break_even_words,
        ]
    )


def business_case_command(
    assessment: Path = typer.Option(
        ...,
        "--assessment",
        help="Assessment results JSON (pmo-sim assess --format json) or a responses file.",
    ),
    scenario: Path = typer.Option(..., "--scenario", help="The client's capacity scenario YAML."),
    target_tier: int | None = typer.Option(
        None, "--target-tier", min=1, max=4, help="Target tier. Default: the next tier."
    ),
    replications: int = typer.Option(
        30,
        "--replications",
        "-n",
        min=2,
        max=MAX_REPLICATIONS,
        help="Monte Carlo replications per arm.",
    ),
    seed: int = typer.Option(
        DEFAULT_SEED, "--seed", min=0, help="Seed: the same seed gives the same results."
    ),
    practices: Path | None = typer.Option(
        None, "--practices", help="Practices per tier (YAML). Default: scenarios/practices.yaml."
    ),
    workers: int | None = typer.Option(
        None, "--workers", "-w", min=1, help="Worker processes. Default: the cores available."
    ),
    output: OutputFormat = typer.Option(OutputFormat.table, "--format", help="table or json."),
    out: Path | None = typer.Option(
        None, "--out", help="Write business_case.json and business_case.csv here."
    ),
    sensitivity: bool = typer.Option(
        False,
        "--sensitivity",
        help="Vary each assumption over its plausible range: tornado and break-even.",
    ),
) -> None:
    """The PMO business case: simulate today's practices and the target tier's."""
    from pmo_sim.business_case import business_case_files, run_sensitivity
    from pmo_sim.executor import LocalExecutor
    from pmo_sim.files import atomic_write_text, write_csv

    check_out(out)  # before any replication runs
    with LocalExecutor(workers) as executor:
        case = business_case_files(
            assessment,
            scenario,
            practices=practices,
            target_tier=target_tier,
            replications=replications,
            seed=seed,
            executor=executor,
        )
        hangs_on = run_sensitivity(case, executor=executor) if sensitivity else None
    document = json.dumps(case.to_dict(), indent=2, ensure_ascii=False, allow_nan=False) + "\n"
    if out is not None:
        import pandas as pd

        frame = pd.concat(
            [
                f
                for f in (
                    case.headline(),
                    case.by_objective(),
                    case.utilisation(),
                    case.switching(),
                )
                if not f.empty
            ],
            ignore_index=True,
        )
        write_csv(out / "business_case.csv", frame)
        if hangs_on is not None and not hangs_on.table.empty:
            from pmo_sim.files import atomic_write_bytes
            from pmo_sim.reporting.business_case_sections import tornado_chart

            write_csv(out / "sensitivity.csv", hangs_on.table)
            atomic_write_bytes(out / "tornado.png", _png(tornado_chart(hangs_on)))
        atomic_write_text(out / "business_case.json", document)
    if output is OutputFormat.json:
        typer.echo(document, nl=False)
    else:
        typer.echo(business_case_table(case))
        if hangs_on is not None:
            typer.echo("\n" + sensitivity_table(hangs_on))
        if out is not None:
            typer.echo(f"\nwritten to {out}")


def _png(fig: Figure) -> bytes:
    from pmo_sim.presentation import figure_png

    return figure_png(fig, metadata={"Software": None})


def register(app: typer.Typer) -> None:
    """Add this module's commands to ``app``."""
    app.command("business-case")(business_case_command)
