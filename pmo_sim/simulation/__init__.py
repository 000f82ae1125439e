"""Capacity simulation: can the organisation's people deliver its portfolio?

A scenario (YAML, :func:`load_scenario`) describes roles, project types,
the pipeline, objectives and the portfolio policy; :func:`simulate` runs
Monte Carlo replications of the SimPy model on common random numbers and
returns a :class:`SimulationResult` of tidy DataFrames; :func:`compare`
gives the difference between scenarios with intervals. :mod:`.theory`
holds the queueing formulas the model is validated against.
"""

from pmo_sim.presentation import mean_interval
from pmo_sim.simulation.metrics import METRICS, describe_metric
from pmo_sim.simulation.priorities import (
    PRIORITY_RULES,
    PriorityRule,
    priority_rule,
    register_priority_rule,
)
from pmo_sim.simulation.replications import (
    Chunk,
    ReplicationResult,
    run_chunk,
    run_replication,
    simulate,
)
from pmo_sim.simulation.results import PROJECT_COLUMNS, SimulationResult, compare
from pmo_sim.simulation.scenario import Scenario
from pmo_sim.simulation.scenario_files import (
    apply_overrides,
    dump_scenario,
    load_scenario,
    parse_scenario,
)
from pmo_sim.simulation.theory import (
    erlang_c,
    mmc_utilisation,
    mmc_wait,
    ps_sojourn,
    ps_sojourn_of_size,
)
from pmo_sim.simulation.workflow import simulate_files

__all__ = [
    "METRICS",
    "PRIORITY_RULES",
    "PROJECT_COLUMNS",
    "Chunk",
    "PriorityRule",
    "ReplicationResult",
    "Scenario",
    "SimulationResult",
    "apply_overrides",
    "compare",
    "describe_metric",
    "dump_scenario",
    "erlang_c",
    "load_scenario",
    "mean_interval",
    "mmc_utilisation",
    "mmc_wait",
    "parse_scenario",
    "priority_rule",
    "ps_sojourn",
    "ps_sojourn_of_size",
    "register_priority_rule",
    "run_chunk",
    "run_replication",
    "simulate",
    "simulate_files",
]
