"""Parameter sweeps: every combination of a grid of overrides, on common random numbers.

``roles.developer.headcount=20,25,30`` x ``policy.wip_limit=6,8,12,none``
gives twelve scenario variants. All of them run the same replications with
the same seed, so they see the same arrivals, efforts and benefits and
their differences come from the levers alone. The chunks of every variant
go to one executor together, so a sweep keeps every worker (local or Dask)
busy until the end; results are put back by task index, so they do not
depend on the executor.
"""

from __future__ import annotations

import contextlib
import itertools
import json
import math
import operator
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import pandas as pd

from pmo_sim.errors import InputError, Problem
from pmo_sim.executor import Executor, LocalExecutor
from pmo_sim.inputs import yaml_value
from pmo_sim.presentation import mean_interval
from pmo_sim.seeds import DEFAULT_SEED
from pmo_sim.simulation.metrics import METRICS
from pmo_sim.simulation.replications import (
    Chunk,
    ReplicationResult,
    _plan_from_json,
    estimated_seconds,
    plan_chunks,
    run_chunk,
)
from pmo_sim.simulation.scenario import Scenario
from pmo_sim.simulation.scenario_files import apply_overrides

if TYPE_CHECKING:
    from pmo_sim.simulation.results import SimulationResult

__all__ = [
    "GridAxis",
    "SweepResult",
    "Target",
    "metric_problem",
    "parse_grid",
    "parse_target",
    "sweep",
    "sweep_variants",
]


@dataclass(frozen=True)
class GridAxis:
    """One swept override path and its values (as typed, e.g. ``"none"``)."""

    path: str
    values: tuple[str, ...]


_OPS = {"<=": operator.le, "<": operator.lt, ">=": operator.ge, ">": operator.gt}


@dataclass(frozen=True)
class Target:
    """A goal such as ``lead_time_mean<=26``, checked on a metric's mean."""

    metric: str
    op: str
    value: float

    def met(self, mean: float) -> bool:
        """True when ``mean`` meets the target (a missing mean never does)."""
        return bool(pd.notna(mean) and _OPS[self.op](mean, self.value))

    def __str__(self) -> str:
        return f"{self.metric}{self.op}{self.value:g}"


def _split_values(raw: str) -> list[str]:
    """``"6,8,{dist: fixed, value: 3}"`` split on the commas outside brackets and quotes."""
    values, depth, quote, current = [], 0, "", ""
    for char in raw:
        if quote:
            quote = "" if char == quote else quote
        elif char in "\"'":
            quote = char
        elif char in "[{":
            depth += 1
        elif char in "]}":
            depth -= 1
        elif char == "," and depth == 0:
            values.append(current.strip())
            current = ""
            continue
        current += char
    values.append(current.strip())
    return values


def parse_grid(specs: Sequence[str]) -> list[GridAxis]:
    """``["a.b=1,2,3", ...]`` as axes; raises InputError naming every bad ``--grid``.

    Each value is read as YAML (``none``, ``12``, ``{dist: fixed, value: 3}``)
    here, before anything runs; an empty value (``6,8,``) is an error, not
    silently dropped.
    """
    axes: list[GridAxis] = []
    problems: list[Problem] = []
    for spec in specs:
        path, sep, raw = spec.partition("=")
        path = path.strip()
        where = f"--grid {spec}"
        if not sep or not path or not raw.strip():
            problems.append(
                Problem(where, "expected PATH=V1,V2,... such as policy.wip_limit=6,8,none")
            )
            continue
        values = _split_values(raw)
        bad = False
        for i, value in enumerate(values):
            if not value:
                reason = f"value {i + 1} is empty (a stray comma?); write none for no limit"
                problems.append(Problem(where, reason))
                bad = True
                continue
            try:
                yaml_value(value)
            except InputError as exc:
                reason = "; ".join(str(p) for p in exc.problems)
                problems.append(Problem(where, f"cannot read the value {value!r}: {reason}"))
                bad = True
        repeated = sorted({v for v in values if v and values.count(v) > 1})
        if repeated:
            problems.append(Problem(where, f"value given twice: {', '.join(repeated)}"))
            bad = True
        if path in {a.path for a in axes}:
            problems.append(Problem(where, "this path is already swept"))
        elif not bad:
            axes.append(GridAxis(path, tuple(values)))
    if problems:
        raise InputError("--grid", problems)
    return axes


_TARGET = re.compile(r"^\s*([A-Za-z_][\w.]*)\s*(<=|>=|<|>)\s*(\S+)\s*$")


def parse_target(text: str, metrics: Sequence[str] | None = None) -> Target:
    """``"lead_time_mean<=26"`` as a Target; raises InputError when malformed."""
    match = _TARGET.match(text)
    value = math.nan
    if match:
        with contextlib.suppress(ValueError):
            value = float(match.group(3))
    if not match or not math.isfinite(value):
        raise InputError(
            "--target", f"expected METRIC<=VALUE (or <, >=, >) with a finite number, got {text!r}"
        )
    metric, op = match.group(1), match.group(2)
    if metrics is not None and metric not in metrics:
        known = ", ".join(metrics)
        raise InputError("--target", f"unknown metric {metric!r}; known: {known}")
    return Target(metric, op, value)


def metric_problem(name: str, scenario: Scenario) -> str | None:
    """Why ``name`` cannot be a metric of ``scenario`` (None when it can), before any run.

    A name is a metric of the catalogue (``lead_time_mean``) or a per-role or
    per-objective one (``utilisation.developer``, ``benefit.revenue_growth``).
    """
    head, dot, rest = name.partition(".")
    per_item: dict[str, Mapping[str, object]] = {
        "utilisation": scenario.roles,
        "benefit": scenario.objectives,
    }
    if not dot and name in METRICS and name not in per_item:
        return None
    if dot and head in per_item:
        if rest in per_item[head]:
            return None
        kind = "role" if head == "utilisation" else "objective"
        known = ", ".join(per_item[head]) or "(none)"
        return f"no {kind} {rest!r} in the scenario; known: {known}"
    examples = [m for m in METRICS if m not in per_item]
    examples += [f"utilisation.{r}" for r in list(scenario.roles)[:1]]
    examples += [f"benefit.{o}" for o in list(scenario.objectives)[:1]]
    return f"unknown metric {name!r}; known: {', '.join(examples)}, ..."


def _weekly_cost(scenario: Scenario) -> float:
    """People cost per week at the starting headcount (hiring plans aside)."""
    return float(sum(role.headcount * role.weekly_cost for role in scenario.roles.values()))


@dataclass
class SweepResult:
    """Per combination: the overrides, the weekly cost and each metric's mean and interval."""

    axes: list[GridAxis]
    points: list[dict[str, str]]
    results: list[SimulationResult]
    replications: int
    seed: int
    level: float = 0.95

    def table(self) -> pd.DataFrame:
        """Tidy: one row per combination; ``METRIC_mean``, ``METRIC_low``, ``METRIC_high``."""
        rows = []
        for point, result in zip(self.points, self.results, strict=True):
            row: dict[str, Any] = dict(point)
            row["weekly_cost"] = _weekly_cost(result.scenario)
            metrics = result.metrics
            for metric in metrics.columns[1:]:
                mean, low, high, _, _ = mean_interval(metrics[metric], self.level)
                row[f"{metric}_mean"], row[f"{metric}_low"], row[f"{metric}_high"] = mean, low, high
            rows.append(row)
        return pd.DataFrame(rows)

    @property
    def metric_names(self) -> list[str]:
        """The metrics each combination was measured on."""
        return list(self.results[0].metrics.columns[1:]) if self.results else []

    def cheapest(self, target: Target) -> pd.Series | None:
        """The combination with the lowest weekly cost whose mean meets ``target``."""
        table = self.table()
        ok = table[[target.met(v) for v in table[f"{target.metric}_mean"]]]
        if ok.empty:
            return None
        return ok.sort_values(["weekly_cost", f"{target.metric}_mean"], kind="stable").iloc[0]


def sweep_variants(
    scenario: Scenario, axes: Sequence[GridAxis]
) -> tuple[list[dict[str, str]], list[Scenario]]:
    """Every combination of ``axes`` (as typed) and its validated scenario, before any run.

    Raises InputError naming every combination that is not a valid scenario.
    """
    points = [
        dict(zip([a.path for a in axes], combo, strict=True))
        for combo in itertools.product(*(a.values for a in axes))
    ]
    variants: list[Scenario] = []
    problems: list[Problem] = []
    for point in points:
        overrides = {path: yaml_value(value) for path, value in point.items()}
        try:
            variants.append(apply_overrides(scenario, overrides))
        except InputError as exc:
            label = ", ".join(f"{k}={v}" for k, v in point.items())
            problems += [Problem(f"--grid {label}", str(p)) for p in exc.problems]
    if problems:
        raise InputError("--grid", problems)
    return points, variants


def sweep(
    scenario: Scenario,
    axes: Sequence[GridAxis],
    replications: int = 30,
    seed: int = DEFAULT_SEED,
    *,
    executor: Executor | None = None,
    progress: Callable[[int], None] | None = None,
) -> SweepResult:
    """Run every combination of ``axes`` over ``scenario``; see the module docstring.

    ``progress(n)`` is called as each chunk of ``n`` replications finishes, so
    the calls add up to ``len(points) x replications``.
    """
    points, variants = sweep_variants(scenario, axes)

    own = executor is None
    executor = executor or LocalExecutor()
    try:
        tasks: list[Chunk] = []
        owners: list[int] = []
        for i, variant in enumerate(variants):
            text = json.dumps(variant.model_dump(mode="json"))
            seconds = estimated_seconds(_plan_from_json(text))
            for reps in plan_chunks(replications, seconds, executor.workers):
                tasks.append(Chunk(text, seed, reps, detail=False))
                owners.append(i)
        chunks: list[list[ReplicationResult]] = [[] for _ in tasks]
        for index, chunk in executor.imap(run_chunk, tasks):
            chunks[index] = chunk
            if progress is not None:
                progress(len(chunk))  # replications, as the bar counts them
    finally:
        if own:
            executor.close()

    from pmo_sim.simulation.results import SimulationResult

    gathered: list[list] = [[] for _ in variants]
    for owner, chunk in zip(owners, chunks, strict=True):
        gathered[owner].extend(chunk)
    results = [
        SimulationResult(v, seed, _plan_from_json(json.dumps(v.model_dump(mode="json"))), g)
        for v, g in zip(variants, gathered, strict=True)
    ]
    return SweepResult(list(axes), points, results, replications, seed)
