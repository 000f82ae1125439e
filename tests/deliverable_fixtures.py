"""Results to build decks and workbooks from: one of each report kind, small and seeded."""

from __future__ import annotations

import csv

import pytest

from tests.conftest import ROOT

EXAMPLES = ROOT / "questionnaires" / "examples"
#: A client name and a comment no deliverable may interpret.
HOSTILE_CLIENT = '=HYPERLINK("http://evil.example","<script>alert(1)</script>")'
HOSTILE_COMMENT = '=HYPERLINK("http://evil.example","click") <script>alert(2)</script>'


@pytest.fixture(scope="session")
def hostile_responses(tmp_path_factory):
    """Northgate's long CSV with a hostile client name and one hostile comment."""
    path = tmp_path_factory.mktemp("hostile") / "responses.csv"
    with (EXAMPLES / "northgate_long.csv").open(encoding="utf-8", newline="") as src:
        rows = list(csv.DictReader(src))
    for row in rows:
        row["client"] = HOSTILE_CLIENT
    rows[0]["comment"] = HOSTILE_COMMENT
    with path.open("w", encoding="utf-8", newline="") as dst:
        writer = csv.DictWriter(dst, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return path


@pytest.fixture(scope="session")
def assessment(hostile_responses):
    from pmo_sim.assessment import assess_file

    return assess_file(
        hostile_responses, previous=EXAMPLES / "northgate_previous_long.csv", seed=5, n_boot=200
    )


@pytest.fixture(scope="session")
def capacity_results():
    from pmo_sim.simulation import simulate_files

    scenarios = [ROOT / "scenarios" / "baseline.yaml", ROOT / "scenarios" / "wip_limit.yaml"]
    return simulate_files(scenarios, replications=4, seed=11)


@pytest.fixture(scope="session")
def business_case():
    from pmo_sim.business_case import business_case_files

    return business_case_files(
        EXAMPLES / "northgate_long.csv",
        ROOT / "scenarios" / "baseline.yaml",
        replications=4,
        seed=3,
    )
