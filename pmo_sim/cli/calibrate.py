"""``pmo-sim calibrate``: a scenario fitted to the client's own history, and its backtest.

Reads the history export (canonical CSV/XLSX, Jira CSV, Microsoft Project
Excel, or anything with a ``--mapping`` file), the optional timesheets and
resource list, reports every problem in every file at once (exit 2), then
fits, backtests and writes ``scenario.yaml`` (each fitted number followed by
a comment with its source), ``calibration.html``, ``backtest.csv`` and
``fits.csv`` into ``--out``, all renamed into place together.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from pmo_sim.cli.options import check_out
from pmo_sim.errors import InputError, load_all
from pmo_sim.seeds import DEFAULT_SEED

if TYPE_CHECKING:
    import pandas as pd


def _date(text: str | None, option: str) -> pd.Timestamp | None:
    if text is None:
        return None
    import pandas as pd

    try:
        return pd.Timestamp(datetime.strptime(text, "%Y-%m-%d"))
    except ValueError:
        raise InputError(option, f"not a date in the form YYYY-MM-DD: {text!r}") from None


def calibrate_command(
    history: Path = typer.Argument(..., help="Project history export (CSV/XLSX)."),
    out: Path = typer.Option(..., "--out", help="Folder for scenario.yaml and the report."),
    timesheets: Path | None = typer.Option(None, "--timesheets", help="Timesheets (CSV/XLSX)."),
    resources: Path | None = typer.Option(None, "--resources", help="Resource list (CSV/XLSX)."),
    mapping: Path | None = typer.Option(None, "--mapping", help="Mapping file (YAML)."),
    as_of: str | None = typer.Option(None, "--as-of", help="Export date, YYYY-MM-DD."),
    window_from: str | None = typer.Option(
        None,
        "--from",
        help="Start of the history window (YYYY-MM-DD; default: the first arrival): arrivals "
        "count from here, and the backtest starts here from the work in progress then.",
    ),
    replications: int = typer.Option(200, "--replications", "-n", min=10, help="Backtest runs."),
    seed: int = typer.Option(DEFAULT_SEED, "--seed", help="Seed of the backtest."),
) -> None:
    """Fit a scenario to a client's project history and backtest it against that history."""
    import pandas as pd

    from pmo_sim.calibration import backtest, calibrate, commented_yaml, load_history
    from pmo_sim.files import frame_csv, write_all
    from pmo_sim.reporting.calibration_report import calibration_page

    start = _date(window_from, "--from")
    inputs = load_all(
        {
            "history": lambda: load_history(
                history,
                timesheets=timesheets,
                resources=resources,
                mapping=mapping,
                as_of=_date(as_of, "--as-of"),
            ),
            "out": lambda: check_out(out),  # before any fitting or backtest runs
        }
    )
    loaded = inputs["history"]
    if start is not None:
        if not loaded.start <= start <= loaded.as_of - pd.Timedelta(weeks=13):
            raise InputError(
                "--from",
                f"{start.date()} must lie in the history ({loaded.start.date()} to "
                f"{loaded.as_of.date()}) and at least 13 weeks before its end",
            )
        loaded = replace(loaded, window_from=start)
    fitted = calibrate(loaded)
    result = backtest(fitted, replications, seed)
    header = (
        f"Scenario fitted by pmo-sim calibrate to {loaded.source} "
        f"({loaded.start.date()} to {loaded.as_of.date()}).\n"
        "Each fitted number is followed by its source: n, dates, fit and test statistic.\n"
        f"Backtest: {result.verdict()}"
    )
    fits = [
        {"type": f.type, "phase": f.phase, "role": f.role, "n": f.n, "n_censored": f.n_censored,
         "method": f.method, "family": f.family, "mean": f.mean, "sd": f.sd,
         "ks_statistic": f.ks_statistic, "ks_pvalue": f.ks_pvalue,
         **{f"aic_{k}": v for k, v in f.aic.items()}}
        for f in fitted.efforts
    ]  # fmt: skip
    write_all(
        out,
        {
            "scenario.yaml": commented_yaml(fitted.data, fitted.comments, header),
            "calibration.html": calibration_page(fitted, result),
            # Type, phase and role names come from the client's export: no live formulas.
            "backtest.csv": frame_csv(result.figures),
            "fits.csv": frame_csv(pd.DataFrame(fits)),
        },
    )
    typer.echo(
        f"{len(loaded.projects)} projects ({loaded.layout}), {len(fitted.efforts)} effort fits, "
        f"{len(fitted.roles)} roles"
    )
    for note in fitted.notes:
        typer.echo(f"  note: {note}")
    typer.echo(result.verdict())
    typer.echo(f"written to {out}: scenario.yaml, calibration.html, backtest.csv, fits.csv")


def register(app: typer.Typer) -> None:
    """Add ``calibrate`` to the CLI."""
    app.command("calibrate")(calibrate_command)
