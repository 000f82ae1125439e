"""Make the bundled fictional client history: Harbourline Logistics, three years of projects.

    .venv/bin/python scenarios/examples/make_harbourline_history.py

Runs the process in ``harbourline_truth.yaml`` once (seed 2026) through
:func:`pmo_sim.calibration.synthetic_history` and writes what the client's
PPM tool would export, in the canonical history format
(``docs/calibration.md``):

- ``harbourline_history.csv``: one row per project, efforts per role in
  hours; projects still running on the export date (2025-12-29) are open;
- ``harbourline_timesheets.csv``: hours per role, project (or ``BAU`` for
  run-the-business time) and week;
- ``harbourline_resources.csv``: FTE and weekly cost per role.

To make it look like a real portfolio, one finished digital product in
twelve is marked cancelled (its finish date becomes the cancellation date),
chosen with a fixed seed. Infrastructure projects arrive in a January
budget round each year, so the calibration flags their arrivals as bunched.
The output is byte-identical on every run.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from pmo_sim.calibration import synthetic_history
from pmo_sim.simulation import load_scenario

HERE = Path(__file__).resolve().parent
SEED = 2026


def main() -> None:
    """Write the three files next to this script."""
    made = synthetic_history(load_scenario(HERE / "harbourline_truth.yaml"), seed=SEED)
    projects = made.projects
    rng = np.random.default_rng(SEED)
    done = projects.index[(projects["type"] == "digital_product") & (projects["status"] == "done")]
    cancelled = rng.choice(done, size=max(1, len(done) // 12), replace=False)
    projects.loc[cancelled, "status"] = "cancelled"
    projects.to_csv(HERE / "harbourline_history.csv", index=False, lineterminator="\n")
    made.timesheets.to_csv(HERE / "harbourline_timesheets.csv", index=False, lineterminator="\n")
    made.resources.to_csv(HERE / "harbourline_resources.csv", index=False, lineterminator="\n")
    print(f"{len(projects)} projects, {len(made.timesheets)} timesheet rows; as of {made.as_of.date()}")


if __name__ == "__main__":
    main()
