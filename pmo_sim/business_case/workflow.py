"""From files to a business case in one call, for the CLI and the report notebook.

Reads the assessment (a results JSON or a responses file), the client's
scenario and the practices file (the bundled one by default), all before
anything runs, so every bad file is reported at once; then simulates both
arms on common random numbers (:func:`run_business_case`).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from pmo_sim.business_case.case import BusinessCase, run_business_case
from pmo_sim.business_case.client import read_position
from pmo_sim.business_case.practices import DEFAULT_PRACTICES, load_practices
from pmo_sim.errors import load_all
from pmo_sim.seeds import DEFAULT_SEED
from pmo_sim.simulation import load_scenario

if TYPE_CHECKING:
    from pmo_sim.executor import Executor

__all__ = ["business_case_files"]


def business_case_files(
    assessment: str | Path,
    scenario: str | Path,
    *,
    practices: str | Path | None = None,
    target_tier: int | None = None,
    replications: int = 30,
    seed: int = DEFAULT_SEED,
    executor: Executor | None = None,
) -> BusinessCase:
    """The business case of an assessment file on a scenario file (see the module docstring)."""
    loaded = load_all(
        {
            "position": lambda: read_position(assessment),
            "scenario": lambda: load_scenario(scenario),
            "practices": lambda: load_practices(practices),
        }
    )
    return run_business_case(
        loaded["position"],
        loaded["scenario"],
        loaded["practices"],
        target_tier=target_tier,
        replications=replications,
        seed=seed,
        executor=executor,
        practices_source=str(practices) if practices else DEFAULT_PRACTICES.name,
    )
