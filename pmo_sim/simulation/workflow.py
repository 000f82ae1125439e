"""From scenario files to simulation results in one call, for the CLI and the report notebook.

Every file is read and validated first (all bad files reported at once, by
:func:`~pmo_sim.errors.load_all`), then each scenario is simulated on the
same seed, so they share their random numbers and their differences come
from the decisions, not from luck.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from pmo_sim.errors import load_all
from pmo_sim.seeds import DEFAULT_SEED
from pmo_sim.simulation.replications import simulate
from pmo_sim.simulation.scenario_files import load_scenario

if TYPE_CHECKING:
    from pmo_sim.executor import Executor
    from pmo_sim.simulation.results import SimulationResult

__all__ = ["simulate_files"]


def simulate_files(
    scenarios: Sequence[str | Path],
    replications: int = 30,
    seed: int = DEFAULT_SEED,
    overrides: Sequence[str] = (),
    executor: Executor | None = None,
) -> dict[str, SimulationResult]:
    """Simulate each scenario file on the same seed (common random numbers), by name.

    ``overrides`` (``PATH=VALUE``) apply to every scenario. Names that repeat
    get a prime (``baseline'``).
    """
    loaded = load_all(
        {i: partial(load_scenario, path, list(overrides)) for i, path in enumerate(scenarios)}
    )
    results: dict[str, SimulationResult] = {}
    for i in range(len(scenarios)):
        scenario = loaded[i]
        name = scenario.name
        while name in results:
            name += "'"
        results[name] = simulate(scenario, replications, seed, executor=executor)
    return results
