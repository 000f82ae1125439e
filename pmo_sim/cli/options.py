"""Options shared by several commands, so they read the same everywhere."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import typer

from pmo_sim.errors import InputError, Problem
from pmo_sim.executor import Executor, make_executor

__all__ = [
    "DASK_LOCAL",
    "GROUP_COLUMN",
    "MAPPING",
    "MAX_REPLICATIONS",
    "SCHEDULER",
    "WORKERS",
    "check_out",
    "executor_from",
]

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


def check_out(out: Path | None, option: str = "--out") -> None:
    """Refuse an output folder that cannot be written, before any work starts.

    ``out`` may not exist yet (it is made when the outputs are written), but
    it must not be a file, and the nearest folder that exists must be
    writable. Nothing is left behind by the check.
    """
    if out is None:
        return
    try:
        _check_out(out, option)
    except OSError as exc:  # a name too long, a folder that cannot be searched
        raise InputError(
            str(out)[:200], [Problem(option, f"cannot use this path ({exc.strerror or exc})")]
        ) from None


def _check_out(out: Path, option: str) -> None:
    if out.exists() and not out.is_dir():
        raise InputError(out, [Problem(option, "this is a file; give a folder for the outputs")])
    existing = out
    while not existing.exists() and existing != existing.parent:
        existing = existing.parent
    if not existing.is_dir():
        raise InputError(
            out, [Problem(option, f"{existing} is a file, so no folder can be made under it")]
        )
    try:
        fd, probe = tempfile.mkstemp(prefix=".pmo-sim-check-", dir=existing)
        os.close(fd)
        os.unlink(probe)
    except OSError as exc:
        raise InputError(
            out, [Problem(option, f"cannot write in {existing} ({exc.strerror or exc})")]
        ) from None
