"""Options shared by several commands, so they read the same everywhere."""

from __future__ import annotations

import typer

from pmo_sim.executor import Executor, make_executor

#: Most replications a command runs (a manifest's engagements have the same bound).
MAX_REPLICATIONS = 100_000

WORKERS = typer.Option(
    None, "--workers", "-w", min=1, help="Local worker processes (default: the number of cores)."
)
SCHEDULER = typer.Option(
    None, "--scheduler", help="Run on an existing Dask cluster, e.g. tcp://10.0.0.5:8786."
)
DASK_LOCAL = typer.Option(
    None, "--dask-local", min=1, help="Start a Dask LocalCluster of N workers for this run."
)


GROUP_COLUMN = typer.Option(
    None,
    "--group-column",
    help="The column holding each respondent's group (header text, or a Qualtrics export tag). "
    "Default: 'group', else 'role'.",
)
MAPPING = typer.Option(
    None,
    "--mapping",
    help="Import profile YAML for this engagement's export: group column, group labels, "
    "answer codes, columns to ignore (docs/questionnaire.md).",
)


def executor_from(workers: int | None, scheduler: str | None, dask_local: int | None) -> Executor:
    """The executor for the three options above (local processes unless Dask is asked for)."""
    if sum(x is not None for x in (workers, scheduler, dask_local)) > 1:
        raise typer.BadParameter("give only one of --workers, --scheduler, --dask-local")
    return make_executor(workers=workers, scheduler=scheduler, dask_local=dask_local)
