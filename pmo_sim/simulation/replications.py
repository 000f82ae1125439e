"""Monte Carlo replications: seeds, chunks of work for the executor, compact results.

Replication ``i`` depends only on ``(scenario, seed, i)``; replications are
grouped into chunks of roughly 0.2-1 s of work, each a picklable
:class:`Chunk` of plain data, and run through :mod:`pmo_sim.executor`. The
results are put back in replication order, so the output is byte-identical
whatever the number of workers or the executor.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from pmo_sim.executor import Executor, LocalExecutor
from pmo_sim.seeds import DEFAULT_SEED
from pmo_sim.simulation.model import PortfolioModel, paused_gc
from pmo_sim.simulation.plan import Plan, compile_plan
from pmo_sim.simulation.records import project_arrays, replication_metrics, weekly_arrays
from pmo_sim.simulation.scenario import Scenario
from pmo_sim.simulation.scenario_files import parse_scenario
from pmo_sim.simulation.streams import replication_seed

if TYPE_CHECKING:
    import numpy as np

    from pmo_sim.simulation.results import SimulationResult

__all__ = [
    "Chunk",
    "ReplicationResult",
    "plan_chunks",
    "run_chunk",
    "run_replication",
    "simulate",
]

#: Rough cost of one demand in the model, for sizing chunks (seconds).
_SECONDS_PER_DEMAND = 2.5e-5
_TARGET_CHUNK_SECONDS = 0.4


@dataclass
class ReplicationResult:
    """What one replication sends back: its metrics and, with ``detail``, its tables."""

    replication: int
    metrics: dict[str, float]
    #: Project columns (see :func:`pmo_sim.simulation.records.project_arrays`), or None.
    projects: dict[str, np.ndarray] | None = None
    #: Weekly arrays (roles x weeks, portfolio, benefits), or None.
    weekly: dict[str, Any] | None = None


@dataclass(frozen=True)
class Chunk:
    """A task for an executor: some replications of one scenario, as plain data."""

    scenario_json: str
    seed: int
    replications: tuple[int, ...]
    detail: bool = True


@lru_cache(maxsize=8)
def _plan_from_json(text: str) -> Plan:
    return compile_plan(parse_scenario(json.loads(text)))


def run_replication(
    plan: Plan, seed: int, replication: int, detail: bool = True
) -> ReplicationResult:
    """Run replication ``replication`` of ``plan`` for ``seed``."""
    with paused_gc():
        model = PortfolioModel(plan, replication_seed(seed, replication)).run()
        projects = project_arrays(model)
        metrics = replication_metrics(model, projects)
        weekly = weekly_arrays(model, projects) if detail else None
        _drop(model)
        del model  # freed by reference counting before the collector runs again
    return ReplicationResult(replication, metrics, projects if detail else None, weekly)


def _drop(model: PortfolioModel) -> None:
    """Free the model's projects now, by reference counting.

    Each project and its demands point at each other, so on their own they
    wait for the cyclic garbage collector: with 300,000 projects that is a
    million objects and a full second of collection at some later moment
    (often at exit). Cutting the project -> demands link frees them at once.
    """
    for project in model.projects:
        project.phases = []
    model.projects = []


def run_chunk(chunk: Chunk) -> list[ReplicationResult]:
    """Run a chunk's replications (the function the executor maps over chunks)."""
    plan = _plan_from_json(chunk.scenario_json)
    return [run_replication(plan, chunk.seed, r, chunk.detail) for r in chunk.replications]


def estimated_seconds(plan: Plan) -> float:
    """Rough time of one replication, for chunk sizing only (never affects results)."""
    demands_per_project = max((sum(len(ph) for ph in t.phases) for t in plan.types), default=1)
    return 1e-3 + _SECONDS_PER_DEMAND * plan.expected_projects * demands_per_project


def plan_chunks(replications: int, seconds_each: float, workers: int) -> list[tuple[int, ...]]:
    """Consecutive replication numbers in chunks of about 0.4 s, at least one per worker."""
    size = max(1, round(_TARGET_CHUNK_SECONDS / max(seconds_each, 1e-9)))
    size = min(size, max(1, math.ceil(replications / max(1, workers))))
    return [tuple(range(i, min(i + size, replications))) for i in range(0, replications, size)]


def simulate(
    scenario: Scenario,
    replications: int = 30,
    seed: int = DEFAULT_SEED,
    *,
    workers: int | None = None,
    executor: Executor | None = None,
    detail: bool = True,
    progress: Callable[[int], None] | None = None,
) -> SimulationResult:
    """Run ``replications`` replications of ``scenario`` and gather the results.

    ``executor`` (default: local processes, ``workers`` of them) runs the
    chunks; ``detail=False`` keeps only per-replication metrics (for sweeps);
    ``progress(n)`` is called as each chunk of ``n`` replications finishes.
    """
    from pmo_sim.simulation.results import SimulationResult

    if replications < 1:
        raise ValueError("replications must be at least 1")
    # Dict order is meaningful (roles, types, objectives are listed as written): no sort_keys.
    text = json.dumps(scenario.model_dump(mode="json"))
    plan = _plan_from_json(text)
    own = executor is None
    executor = executor or LocalExecutor(workers)
    try:
        chunks = [
            Chunk(text, seed, reps, detail)
            for reps in plan_chunks(replications, estimated_seconds(plan), executor.workers)
        ]
        gathered: list[list[ReplicationResult] | None] = [None] * len(chunks)
        for index, result in executor.imap(run_chunk, chunks):
            gathered[index] = result
            if progress is not None:
                progress(len(result))
    finally:
        if own:
            executor.close()
    results = [r for chunk in gathered for r in chunk or []]
    return SimulationResult(scenario, seed, plan, results)
