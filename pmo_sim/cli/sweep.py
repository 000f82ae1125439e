"""``pmo-sim sweep``: every combination of a grid of levers, with the cheapest that meets a goal."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import typer

from pmo_sim.cli.options import (
    DASK_LOCAL,
    MAX_REPLICATIONS,
    SCHEDULER,
    WORKERS,
    check_out,
    executor_from,
)
from pmo_sim.seeds import DEFAULT_SEED


def sweep_command(
    scenario: Path = typer.Argument(..., help="Scenario YAML file to sweep."),
    grid: list[str] = typer.Option(
        ..., "--grid", help="PATH=V1,V2,... one per lever, e.g. policy.wip_limit=6,8,12,none."
    ),
    replications: int = typer.Option(
        30, "--replications", "-n", min=2, max=MAX_REPLICATIONS, help="Per combination."
    ),
    seed: int = typer.Option(
        DEFAULT_SEED, "--seed", min=0, help="Common random numbers across combinations."
    ),
    target: str | None = typer.Option(
        None, "--target", help="Goal on a metric's mean, e.g. 'lead_time_mean<=26'."
    ),
    metric: str = typer.Option(
        "lead_time_mean", "--metric", help="Metric shown in the heatmap (default: the target's)."
    ),
    overrides: list[str] = typer.Option([], "--set", help="Fixed overrides for every point."),
    out: Path = typer.Option(..., "--out", help="Folder for sweep.csv, sweep.json, heatmap."),
    workers: int | None = WORKERS,
    scheduler: str | None = SCHEDULER,
    dask_local: int | None = DASK_LOCAL,
) -> None:
    """Simulate every combination of the --grid values on common random numbers."""
    from tqdm import tqdm

    from pmo_sim.errors import InputError, Problem, load_all
    from pmo_sim.files import frame_csv, write_all
    from pmo_sim.simulation import load_scenario
    from pmo_sim.simulation.metrics import describe_metric
    from pmo_sim.simulation.sweep import (
        metric_problem,
        parse_grid,
        parse_target,
        sweep,
        sweep_variants,
    )

    # Every input and option is checked before the first replication runs.
    loaded = load_all(
        {
            "scenario": lambda: load_scenario(scenario, overrides),
            "grid": lambda: parse_grid(grid),
            "target": lambda: parse_target(target) if target else None,
            "out": lambda: check_out(out),
        }
    )
    base, axes, goal = loaded["scenario"], loaded["grid"], loaded["target"]
    shown = goal.metric if goal is not None and metric == "lead_time_mean" else metric
    wrong = [
        Problem(option, reason)
        for option, name in (("--target", goal.metric if goal else None), ("--metric", shown))
        if name is not None and (reason := metric_problem(name, base)) is not None
    ]
    if wrong:
        raise InputError(f"sweep of {scenario}", wrong)
    points = len(sweep_variants(base, axes)[0])
    executor = executor_from(workers, scheduler, dask_local)
    try:
        with tqdm(
            total=points * replications, desc="sweep", unit="rep", disable=not sys.stderr.isatty()
        ) as bar:
            result = sweep(base, axes, replications, seed, executor=executor, progress=bar.update)
    finally:
        executor.close()
    names = result.metric_names
    for option, name in (("--target", goal.metric if goal else None), ("--metric", shown)):
        if name is not None and name not in names:
            # A metric this scenario does not produce (such as stopped without rebalancing).
            raise InputError(option, f"this scenario has no {name!r}; known: {', '.join(names)}")
    table = result.table()
    best = result.cheapest(goal) if goal is not None else None
    document = {
        "scenario": base.name,
        "replications": replications,
        "seed": seed,
        "axes": {a.path: list(a.values) for a in axes},
        "target": str(goal) if goal else None,
        "cheapest": (
            {
                **{a.path: best[a.path] for a in axes},
                "weekly_cost": float(best["weekly_cost"]),
                f"{goal.metric}_mean": float(best[f"{goal.metric}_mean"]),
            }
            if best is not None and goal is not None
            else None
        ),
        "metrics": {m: describe_metric(m).description for m in names},
    }
    files: dict[str, str | bytes] = {
        "sweep.csv": frame_csv(table),
        "sweep.json": json.dumps(document, indent=2) + "\n",
    }
    if len(axes) >= 2:
        from pmo_sim.presentation import figure_png
        from pmo_sim.reporting.plots import sweep_heatmap

        fig = sweep_heatmap(table, axes[0].path, axes[1].path, shown)
        files[f"sweep_{shown}.png"] = figure_png(fig, metadata={"Software": None})
    write_all(out, files)

    key = f"{shown}_mean"
    typer.echo(f"{len(table)} combinations x {replications} replications (seed {seed})\n")
    cols = [a.path for a in axes] + ["weekly_cost", key, f"{shown}_low", f"{shown}_high"]
    typer.echo(table[cols].to_string(index=False, float_format=lambda v: f"{v:,.2f}"))
    if goal is not None:
        if best is None:
            typer.echo(f"\nno combination meets {goal} (on the mean)")
        else:
            from pmo_sim.simulation.metrics import format_metric

            combo = ", ".join(f"{a.path}={best[a.path]}" for a in axes)
            typer.echo(
                f"\ncheapest combination meeting {goal}: {combo} "
                f"(weekly cost {best['weekly_cost']:,.0f}; {goal.metric} mean "
                f"{format_metric(goal.metric, best[f'{goal.metric}_mean'])})"
            )
    typer.echo(f"\nwritten to {out}")


def register(app: typer.Typer) -> None:
    """Add this module's commands to ``app``."""
    app.command("sweep")(sweep_command)
