"""``pmo-sim simulate`` and ``pmo-sim compare``: capacity scenarios from the command line.

``simulate`` runs one scenario's replications and prints the summary (a
table, or JSON with ``--format json``); ``--out DIR`` also writes the tidy
tables, the summary and the resolved scenario, each to a temporary name
renamed into place. ``compare`` runs several scenarios (files, or one file
with several ``--set`` variants) on common random numbers and prints each
difference from the first with its 95% interval.
"""

from __future__ import annotations

import gc
import json
import sys
from contextlib import contextmanager
from enum import StrEnum
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from pmo_sim.cli.options import (
    DASK_LOCAL,
    MAX_REPLICATIONS,
    SCHEDULER,
    WORKERS,
    check_out,
    executor_from,
)
from pmo_sim.cli.tables import interval_text, text_table
from pmo_sim.errors import load_all
from pmo_sim.seeds import DEFAULT_SEED

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

    import pandas as pd

    from pmo_sim.simulation import Scenario, SimulationResult


class OutputFormat(StrEnum):
    """What the command prints: a table for people, JSON for machines."""

    table = "table"
    json = "json"


_REPLICATIONS = typer.Option(
    30, "--replications", "-n", min=1, max=MAX_REPLICATIONS, help="Monte Carlo replications."
)
_SEED = typer.Option(
    DEFAULT_SEED, "--seed", min=0, help="Seed: the same seed gives the same results."
)
_FORMAT = typer.Option(OutputFormat.table, "--format", help="table (for people) or json.")


@contextmanager
def _progress(total: int, desc: str) -> Iterator[Callable[[int], None] | None]:
    """A tqdm bar on stderr when it is a terminal and the run is more than a moment."""
    if total < 2 or not sys.stderr.isatty():
        yield None
        return
    from tqdm import tqdm

    with tqdm(total=total, desc=desc, unit="rep", file=sys.stderr, leave=False) as bar:
        yield bar.update


def _write_outputs(directory: Path, files: dict[str, str | pd.DataFrame]) -> None:
    from pmo_sim.files import write_all

    write_all(directory, files)


def _summary_table(result: SimulationResult) -> str:
    from pmo_sim.simulation.metrics import format_metric

    s = result.scenario
    head = (
        f"{s.name or 'scenario'}: {result.n} replications, seed {result.seed}, "
        f"weeks {s.warmup_weeks:g}-{s.horizon_weeks:g}"
    )
    rows = [
        [
            r.metric,
            format_metric(r.metric, r.mean),
            interval_text(r.metric, r.low, r.high),
            r.unit,
        ]
        for r in result.summary().itertuples()
    ]
    return head + "\n\n" + text_table(rows, ["metric", "mean", "95% interval", "unit"], {1, 2})


def _output_files(
    result: SimulationResult, summary: dict, scenario_yaml: str, parquet: bool
) -> dict[str, str | pd.DataFrame]:
    """The files of ``simulate --out``: the tables (written by pyarrow), summary, scenario."""
    tables = {
        "projects": result.projects,
        "weekly": result.weekly_roles,
        "portfolio": result.weekly_portfolio,
        "benefits": result.weekly_benefits,
    }
    files: dict[str, str | pd.DataFrame] = {f"{k}.csv": v for k, v in tables.items()}
    if parquet:
        files.update({f"{k}.parquet": v for k, v in tables.items()})
    files["summary.json"] = json.dumps(summary, indent=2) + "\n"
    files["scenario.yaml"] = scenario_yaml
    return files


def _frame_csv(frame: pd.DataFrame) -> str:
    from pmo_sim.files import frame_csv

    return frame_csv(frame)


def simulate_command(
    scenario: Path = typer.Argument(..., help="Scenario YAML file."),
    replications: int = _REPLICATIONS,
    seed: int = _SEED,
    workers: int | None = WORKERS,
    scheduler: str | None = SCHEDULER,
    dask_local: int | None = DASK_LOCAL,
    overrides: list[str] = typer.Option(
        [], "--set", help="Override a field: PATH=VALUE, e.g. roles.developer.headcount=12."
    ),
    output: OutputFormat = _FORMAT,
    out: Path | None = typer.Option(
        None,
        "--out",
        help="Write projects.csv, weekly.csv, portfolio.csv, benefits.csv, summary.json "
        "and scenario.yaml here.",
    ),
    parquet: bool = typer.Option(
        False,
        "--parquet",
        help="With --out, also write each table as Parquet beside its CSV (typed columns, "
        "for pandas, DuckDB or Power BI).",
    ),
) -> None:
    """Simulate a capacity scenario and summarise it with 95% intervals."""
    from pmo_sim.simulation import dump_scenario, load_scenario, simulate

    resolved = load_all(
        {"scenario": lambda: load_scenario(scenario, overrides), "out": lambda: check_out(out)}
    )["scenario"]
    # The libraries are loaded: take their objects out of the garbage collector's
    # sight, so its passes over the large results do not walk them again and again.
    gc.freeze()
    executor = executor_from(workers, scheduler, dask_local)
    try:
        with _progress(replications, resolved.name or scenario.stem) as progress:
            result = simulate(
                resolved, replications, seed, executor=executor, detail=out is not None,
                progress=progress,
            )  # fmt: skip
    finally:
        executor.close()
    summary = result.summary_dict()
    if out is not None:
        _write_outputs(out, _output_files(result, summary, dump_scenario(resolved), parquet))
    if output is OutputFormat.json:
        typer.echo(json.dumps(summary, indent=2))
    else:
        typer.echo(_summary_table(result))
        if out is not None:
            typer.echo(f"\nwritten to {out}")


def _variants(scenarios: list[Path], overrides: list[str]) -> list[tuple[str, Path, list[str]]]:
    """(label, file, overrides) for each scenario to run; the first is the baseline."""
    if len(scenarios) > 1:
        labels = [p.stem for p in scenarios]
        labels = [
            f"{label}#{i + 1}" if labels.count(label) > 1 else label
            for i, label in enumerate(labels)
        ]
        return [(label, p, overrides) for label, p in zip(labels, scenarios, strict=True)]
    if not overrides:
        raise typer.BadParameter(
            "give two or more scenario files, or one file and one --set per variant",
            param_hint="SCENARIOS",
        )
    base = scenarios[0]
    out: list[tuple[str, Path, list[str]]] = [(base.stem, base, [])]
    for text in overrides:
        parts = [p.strip() for p in text.split(";") if p.strip()]
        out.append((text, base, parts))
    return out


def _load_all(variants: list[tuple[str, Path, list[str]]]) -> dict[str, Scenario]:
    from pmo_sim.simulation import load_scenario

    return load_all(
        {label: partial(load_scenario, path, overrides) for label, path, overrides in variants}
    )


def _comparison_table(frame: pd.DataFrame) -> str:
    from pmo_sim.presentation import verdict
    from pmo_sim.simulation.metrics import format_metric

    blocks = []
    for name, part in frame.groupby("scenario", sort=False):
        rows = []
        for r in part.itertuples():
            rows.append(
                [
                    r.metric,
                    format_metric(r.metric, r.baseline_mean),
                    format_metric(r.metric, r.scenario_mean),
                    format_metric(r.metric, r.difference, difference=True),
                    interval_text(r.metric, r.low, r.high, difference=True),
                    verdict(r.low, r.high, r.better),
                ]
            )
        header = ["metric", "baseline", "scenario", "difference", "95% interval", ""]
        title = f"{name} vs {part.baseline.iloc[0]}"
        blocks.append(f"{title}\n\n" + text_table(rows, header, {1, 2, 3, 4}))
    return "\n\n".join(blocks)


def compare_command(
    scenarios: list[Path] = typer.Argument(..., help="Scenario files; the first is the baseline."),
    overrides: list[str] = typer.Option(
        [],
        "--set",
        help="With several files: overrides for all of them. With one file: one variant per "
        "--set (join several overrides with ';').",
    ),
    replications: int = _REPLICATIONS,
    seed: int = _SEED,
    workers: int | None = WORKERS,
    scheduler: str | None = SCHEDULER,
    dask_local: int | None = DASK_LOCAL,
    output: OutputFormat = _FORMAT,
    out: Path | None = typer.Option(
        None, "--out", help="Write comparison.csv and comparison.json here."
    ),
) -> None:
    """Compare scenarios on common random numbers: each one's difference from the first."""
    from pmo_sim.simulation import compare, simulate

    variants = _variants(scenarios, overrides)
    loaded = load_all({"scenarios": lambda: _load_all(variants), "out": lambda: check_out(out)})[
        "scenarios"
    ]
    results = {}
    executor = executor_from(workers, scheduler, dask_local)
    try:
        with _progress(replications * len(loaded), "compare") as progress:
            for label, scenario in loaded.items():
                results[label] = simulate(
                    scenario, replications, seed, executor=executor, detail=False,
                    progress=progress,
                )  # fmt: skip
    finally:
        executor.close()
    frame = compare(results)
    payload = {
        "baseline": next(iter(loaded)),
        "replications": replications,
        "seed": seed,
        "differences": json.loads(frame.to_json(orient="records")),
    }
    if out is not None:
        _write_outputs(
            out,
            {
                "comparison.csv": _frame_csv(frame),
                "comparison.json": json.dumps(payload, indent=2) + "\n",
            },
        )
    if output is OutputFormat.json:
        typer.echo(json.dumps(payload, indent=2))
    else:
        typer.echo(
            f"{len(loaded)} scenarios, {replications} replications each on common random "
            f"numbers (seed {seed}); difference = scenario - baseline\n"
        )
        typer.echo(_comparison_table(frame))


def register(app: typer.Typer) -> None:
    """Add this module's commands to ``app``."""
    app.command("simulate")(simulate_command)
    app.command("compare")(compare_command)
