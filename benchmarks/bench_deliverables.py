"""Benchmark: building each report's deck and workbook, against the naive ways in the same run.

Run: ``.venv/bin/python benchmarks/bench_deliverables.py`` (``make bench`` runs every
benchmark). The results are the demo batch's: Northgate's assessment (with its trend),
its capacity scenarios (baseline, hire developers, WIP limit, WSJF; 20 replications)
and its business case (20 replications). Timed, best of three:

* **deck** (:mod:`pmo_sim.reporting.deck_assessment`, ``deck_capacity``,
  ``deck_business_case``): every slide with native charts, tables and pictures,
  saved with reproducible bytes; against **figures as PNG**, the same report's
  matplotlib figures rendered to PNG (what pasting pictures into slides would cost);
* **workbook** (:mod:`pmo_sim.reporting.sheets`): every sheet as an Excel table with
  formats and colour scales; against **pandas to_excel**, the same tables written with
  ``DataFrame.to_excel`` (openpyxl, no formatting).

No issue sets a target; the figures show what a deck or a workbook adds to a report.
"""

from __future__ import annotations

import io
import sys
import time
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from pmo_sim.assessment import assess_file
from pmo_sim.business_case import business_case_files
from pmo_sim.presentation import figure_png
from pmo_sim.reporting import plots
from pmo_sim.reporting.deck_assessment import assessment_deck
from pmo_sim.reporting.deck_business_case import business_case_deck
from pmo_sim.reporting.deck_capacity import capacity_deck
from pmo_sim.reporting.sheets import (
    assessment_sheets,
    assessment_workbook,
    business_case_sheets,
    business_case_workbook,
    capacity_sheets,
    capacity_workbook,
)
from pmo_sim.simulation import simulate_files

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "questionnaires" / "examples"
SCENARIOS = ["baseline", "hire_developers", "wip_limit", "priority_wsjf"]
REPEATS = 3


def best(fn) -> float:
    times = []
    for _ in range(REPEATS):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def figures(make) -> None:
    for fig in make():
        if fig is not None:
            figure_png(fig, dpi=150, bbox_inches="tight")
            fig.clear()


def to_excel(sheets) -> None:
    buf = io.BytesIO()
    with pd.ExcelWriter(buf, engine="openpyxl") as writer:
        for sheet in sheets:
            sheet.frame.to_excel(writer, sheet_name=sheet.name[:31], index=False)


def main() -> None:
    a = assess_file(
        EXAMPLES / "northgate_survey_export.xlsx",
        previous=EXAMPLES / "northgate_previous_long.csv",
        client="Northgate Insurance",
        seed=20261121,
    )
    results = simulate_files([ROOT / "scenarios" / f"{s}.yaml" for s in SCENARIOS], 20, 20261121)
    case = business_case_files(
        EXAMPLES / "northgate_long.csv", ROOT / "scenarios" / "baseline.yaml", replications=20
    )
    first = next(iter(results.values()))
    rows = [
        (
            "assessment",
            lambda: assessment_deck(a),
            lambda: [
                plots.dimension_bars(a),
                plots.group_radar(a),
                plots.group_heatmap(a),
                plots.perception_gap_chart(a),
                plots.trend_chart(a),
            ],
            lambda: assessment_workbook(a),
            lambda: assessment_sheets(a),
        ),
        (
            "capacity (4 scenarios x 20)",
            lambda: capacity_deck(results, "Northgate Insurance"),
            lambda: [
                plots.demand_capacity_heatmap(first),
                plots.utilisation_chart(results),
                plots.flow_chart(results),
                plots.pipeline_roadmap(first),
            ],
            lambda: capacity_workbook(results, "Northgate Insurance"),
            lambda: capacity_sheets(results),
        ),
        (
            "business case (20)",
            lambda: business_case_deck(case),
            lambda: [],
            lambda: business_case_workbook(case),
            lambda: business_case_sheets(case),
        ),
    ]
    print(f"{'report':28} {'deck s':>8} {'PNGs s':>8} {'ratio':>6}   {'xlsx s':>8} "
          f"{'to_excel s':>10} {'ratio':>6}")  # fmt: skip
    for name, deck, figs, book, sheets in rows:
        d = best(deck)
        f = best(lambda figs=figs: figures(figs))
        w = best(book)
        built = sheets()
        x = best(lambda built=built: to_excel(built))
        ratio = f"{d / f:6.2f}" if f > 0.001 else "     -"
        print(f"{name:28} {d:8.2f} {f:8.2f} {ratio}   {w:8.2f} {x:10.2f} {w / x:6.2f}")
    cells = sum(s.frame.size for s in capacity_sheets(results))
    print(f"capacity workbook: {cells:,} cells")


if __name__ == "__main__":
    main()
