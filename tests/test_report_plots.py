"""Report figures: built from results, numbers that match the data, nothing left open."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib.figure import Figure

from pmo_sim.assessment import assess_file
from pmo_sim.assessment.groups import group_label
from pmo_sim.reporting import plots
from pmo_sim.simulation import parse_scenario, simulate
from tests.conftest import ROOT

EXAMPLES = ROOT / "questionnaires" / "examples"

# One analyst, availability 1, fixed efforts, fifo: the schedule follows by hand.
#   A arrives 0, effort 2  -> starts 0, finishes 2
#   B arrives 1, effort 3  -> waits for A, starts 2, finishes 5
#   C arrives 1, effort 1  -> arrived with B, fifo by arrival then order: starts 5, finishes 6
TINY = {
    "name": "Tiny",
    "horizon_weeks": 20,
    "roles": {"analyst": {"headcount": 1, "availability": 1.0, "weekly_cost": 100}},
    "objectives": {"growth": {"weight": 1}},
    "project_types": {
        "study": {
            "arrivals": {"process": "none"},
            "phases": [
                {"name": "work", "demands": [{"role": "analyst", "people": 1, "effort": 1}]}
            ],
            "value": {"benefit_per_week": 10, "alignment": {"growth": 1}},
        }
    },
    "pipeline": [
        {"id": "A", "type": "study", "arrival": 0, "effort_scale": 2},
        {"id": "B", "type": "study", "arrival": 1, "effort_scale": 3},
        {"id": "C", "type": "study", "arrival": 1, "effort_scale": 1},
    ],
    "policy": {"priority": "fifo"},
}


@pytest.fixture(scope="module")
def assessment():
    return assess_file(
        EXAMPLES / "northgate_long.csv",
        previous=EXAMPLES / "northgate_previous_long.csv",
        n_boot=200,
    )


@pytest.fixture(scope="module")
def tiny():
    return simulate(parse_scenario(TINY), replications=3, seed=1, workers=1)


def test_pipeline_schedule_matches_the_hand_schedule(tiny):
    table = plots.pipeline_schedule(tiny).set_index("project_id")
    assert list(table.index) == ["A", "B", "C"]
    assert table.loc["A", ["start_p50", "finish_p50"]].tolist() == [0, 2]
    assert table.loc["B", ["start_p50", "finish_p50"]].tolist() == [2, 5]
    assert table.loc["C", ["start_p50", "finish_p50"]].tolist() == [5, 6]
    # fixed efforts: every replication is the same, so the 85th percentile is the median
    assert (table["finish_p85"] == table["finish_p50"]).all()
    assert (table["finished_share"] == 1).all()


def test_heatmap_cells_are_the_group_scores(assessment):
    fig = plots.group_heatmap(assessment)
    values = np.array([float(t.get_text()) for t in fig.axes[0].texts])
    groups = list(dict.fromkeys(assessment.groups["group"]))
    table = assessment.groups.pivot(index="dimension", columns="group", values="score")
    table = table.reindex(index=assessment.dimensions["dimension"], columns=groups)
    table["overall"] = assessment.dimensions["score"].to_numpy()
    np.testing.assert_allclose(values, table.to_numpy().ravel(), atol=0.051)  # shown to 0.1


def test_radar_has_one_line_per_group_and_the_overall(assessment):
    fig = plots.group_radar(assessment)
    labels = [t.get_text() for t in fig.axes[0].get_legend().get_texts()]
    groups = [group_label(g) for g in dict.fromkeys(assessment.groups["group"])]
    assert labels == [*groups, "overall"]


def test_every_figure_is_a_figure_and_nothing_stays_open(assessment, tiny):
    plt.close("all")
    results = {"Tiny": tiny}
    figures = [
        plots.group_radar(assessment),
        plots.group_heatmap(assessment),
        plots.dimension_bars(assessment),
        plots.perception_gap_chart(assessment),
        plots.trend_chart(assessment),
        plots.demand_capacity_heatmap(tiny),
        plots.utilisation_chart(results),
        plots.flow_chart(results),
        plots.lead_time_distribution(results),
        plots.benefits_chart(tiny),
        plots.pipeline_roadmap(tiny),
    ]
    assert all(isinstance(f, Figure) for f in figures)
    assert plt.get_fignums() == []  # built without pyplot: nothing to close, nothing leaks


def test_trend_chart_needs_a_previous_assessment():
    alone = assess_file(EXAMPLES / "harbourline_long.csv", n_boot=100)
    assert plots.trend_chart(alone) is None
