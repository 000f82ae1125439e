"""``make demo``: the kit's main job end to end on the bundled examples.

Each step is a real ``pmo-sim`` command, printed before it runs: validate
the bundled inputs (each file's kind told from its content), score the
example assessments (one of them a client's Qualtrics export read through an
import profile), simulate and compare the bundled scenarios, sweep two
levers, fit a scenario to the bundled client history and backtest it, make
Northgate's business case with its tornado (what the answer hangs on), then
batch-generate the client reports and print the path of the report index.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path

from pmo_sim.cli import main as cli

ROOT = Path(__file__).resolve().parents[1]


def _run(title: str, args: list[str]) -> None:
    print(f"\n=== {title}\n$ pmo-sim {' '.join(args)}", flush=True)
    code = cli(args)
    if code != 0:
        raise SystemExit(f"demo step failed ({title}): exit {code}")


def step_validate(_out: Path) -> None:
    """Validate every bundled questionnaire and scenario, and the client history's tables.

    The history, resource list and timesheets are told apart by their header rows; given
    together, the timesheets are checked against the resource list.
    """
    patterns = ("questionnaires/*.yaml", "scenarios/*.yaml", "scenarios/*/*.yaml",
                "scenarios/examples/*.csv")  # fmt: skip
    files = sorted(str(p.relative_to(ROOT)) for pattern in patterns for p in ROOT.glob(pattern))
    if files:
        _run("Validate the bundled inputs", ["validate", *files])


def step_assess(out: Path) -> None:
    """Score the example workshops."""
    ex = "questionnaires/examples"
    _run(
        "Score a tier-1 client's workshop (long CSV)",
        ["assess", f"{ex}/harbourline_long.csv", "--out", str(out / "assessment" / "harbourline")],
    )
    _run(
        "Score a survey export (XLSX) with a perception gap, against last year's assessment",
        [
            "assess", f"{ex}/northgate_survey_export.xlsx", "--client", "Northgate Insurance",
            "--date", "2025-03-18", "--previous", f"{ex}/northgate_previous_long.csv",
            "--out", str(out / "assessment" / "northgate"),
        ],
    )  # fmt: skip
    _run(
        "Score a client's own Qualtrics export as it came (numeric codes, UTF-16 TSV), "
        "with the engagement's import profile",
        [
            "assess", f"{ex}/corvel_qualtrics_numeric.tsv",
            "--mapping", f"{ex}/corvel_qualtrics_mapping.yaml", "--client", "Corvel Utilities",
            "--out", str(out / "assessment" / "corvel"),
        ],
    )  # fmt: skip


def step_simulate(out: Path) -> None:
    """Simulate and compare the bundled scenarios, and sweep two levers."""
    _run(
        "Simulate the baseline portfolio (50 replications)",
        ["simulate", "scenarios/baseline.yaml", "-n", "50", "--out", str(out / "simulation")],
    )
    _run(
        "Compare the levers on common random numbers",
        [
            "compare", "scenarios/baseline.yaml", "scenarios/hire_developers.yaml",
            "scenarios/wip_limit.yaml", "scenarios/priority_wsjf.yaml", "scenarios/budget_cap.yaml",
            "-n", "30",
        ],
    )  # fmt: skip
    _run(
        "Sweep developer headcount x WIP limit: the cheapest mix that meets a lead-time goal",
        [
            "sweep", "scenarios/baseline.yaml", "--grid", "roles.developer.headcount=30,36,42",
            "--grid", "policy.wip_limit=30,none", "-n", "20", "--target", "lead_time_mean<=32",
            "--out", str(out / "sweep"),
        ],
    )  # fmt: skip


def step_calibrate(out: Path) -> None:
    """Fit a scenario to the bundled Harbourline history and backtest it."""
    ex = "scenarios/examples"
    _run(
        "Fit a scenario to a client's own project history and backtest it",
        [
            "calibrate", f"{ex}/harbourline_history.csv",
            "--timesheets", f"{ex}/harbourline_timesheets.csv",
            "--resources", f"{ex}/harbourline_resources.csv",
            "--as-of", "2025-12-29", "--out", str(out / "calibration"),
        ],
    )  # fmt: skip
    print(f"\nCalibration report: {out / 'calibration' / 'calibration.html'}")


def step_business_case(out: Path) -> None:
    """Make Northgate's business case and its sensitivity."""
    target = out / "business_case" / "northgate"
    _run(
        "Northgate's business case (tier 2 -> 3) and what it hangs on (tornado, break-even)",
        [
            "business-case", "--assessment", "questionnaires/examples/northgate_long.csv",
            "--scenario", "scenarios/baseline.yaml", "-n", "10", "--sensitivity",
            "--out", str(target),
        ],
    )  # fmt: skip
    print(f"\nTornado chart: {target / 'tornado.png'}")


def step_batch(out: Path) -> None:
    """Batch-generate the client reports and print the index."""
    _run(
        "Batch-generate the client reports (papermill, in parallel)",
        ["batch", "notebooks/demo_batch.yaml", "--out", str(out / "reports")],
    )
    reports = out / "reports"
    for label, suffix in (("Decks (PowerPoint)", "pptx"), ("Workbooks (Excel)", "xlsx")):
        made = sorted(reports.glob(f"*/*.{suffix}"))
        print(f"\n{label}:", *(f"  {p}" for p in made), sep="\n")
    print(f"\nReport index: {reports / 'index.html'}")


STEPS: list[Callable[[Path], None]] = [
    step_validate, step_assess, step_simulate, step_calibrate, step_business_case, step_batch,
]  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    """Run every step into ``--out`` (default ``out``); return the exit status."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", default="out", type=Path)
    args = parser.parse_args(argv)
    out = args.out.resolve()
    os.chdir(ROOT)  # the bundled examples are named relative to the repository
    out.mkdir(parents=True, exist_ok=True)
    start = time.perf_counter()
    for step in STEPS:
        step(out)
    print(f"\nDemo finished in {time.perf_counter() - start:.1f} s; everything is under {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
