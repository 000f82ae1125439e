"""Names with ``$`` (or anything else) are drawn as text in every figure, never as mathtext."""

from __future__ import annotations

import warnings

import pandas as pd
import pytest
from matplotlib.figure import Figure
from matplotlib.text import Text

from pmo_sim.assessment import assess_file
from pmo_sim.presentation import figure_png, plain_text
from pmo_sim.reporting import plots
from pmo_sim.reporting.index import _benchmark_chart
from pmo_sim.simulation import load_scenario, simulate

FUND = "Fund 50$% - 20$%"
GROUP = r"R&D $\undefinedmacro{x}$ team"
PNG = b"\x89PNG\r\n\x1a\n"


def test_matplotlib_alone_would_fail_on_these_names():
    # What the helper is for: with mathtext on, the group name stops the drawing.
    fig = Figure()
    fig.add_subplot().set_title(GROUP)
    with pytest.raises(ValueError):
        fig.savefig(__import__("io").BytesIO(), format="png")


def test_figure_png_draws_dollars_literally_even_in_late_tick_labels():
    fig = Figure()
    ax = fig.add_subplot()
    ax.bar([FUND, GROUP], [1, 2])  # category tick labels are made while drawing
    ax.set_title(GROUP)
    assert figure_png(fig).startswith(PNG)
    assert all(not t.get_parse_math() for t in fig.findobj(Text))


@pytest.fixture(scope="module")
def dollar_assessment(root, tmp_path_factory):
    frame = pd.read_csv(root / "questionnaires/examples/northgate_long.csv", dtype=str).fillna("")
    first = frame["group"].iloc[0]
    frame.loc[frame["group"] == first, "group"] = GROUP
    path = tmp_path_factory.mktemp("dollars") / "responses.csv"
    frame.to_csv(path, index=False)
    return assess_file(path, client=FUND, n_boot=100)


@pytest.mark.parametrize(
    "chart", ["group_radar", "group_heatmap", "dimension_bars", "perception_gap_chart"]
)
def test_assessment_charts_with_dollar_names(dollar_assessment, chart):
    assert GROUP in set(dollar_assessment.groups["group"])
    fig = getattr(plots, chart)(dollar_assessment)
    assert figure_png(fig, bbox_inches="tight").startswith(PNG)


def test_capacity_charts_with_dollar_names(root, tmp_path):
    text = (root / "scenarios/baseline.yaml").read_text(encoding="utf-8")
    text = text.replace("name: Baseline", f"name: '{FUND}'")
    text = text.replace("{name: Software developer,", "{name: 'Dev $\\\\frac{a}$',")
    path = tmp_path / "s.yaml"
    path.write_text(text, encoding="utf-8")
    result = simulate(load_scenario(path), 2, 1)
    results = {result.scenario.name: result}
    for fig in (
        plots.utilisation_chart(results),
        plots.flow_chart(results),
        plots.demand_capacity_heatmap(result),
        plots.pipeline_roadmap(result),
    ):
        assert figure_png(fig, bbox_inches="tight").startswith(PNG)


def test_batch_index_chart_with_a_dollar_client():
    summary = pd.DataFrame(
        {
            "client": [FUND, GROUP],
            "date": ["", ""],
            "tier": [2, 3],
            "index": [2.1, 3.2],
            "alignment": [2.0, 3.5],
            "governance": [1.5, 2.5],
        }
    )
    with warnings.catch_warnings():
        # Two dimensions and long names: the figure is still sized for its labels, so
        # matplotlib's tight layout applies (it warns when it cannot).
        warnings.simplefilter("error")
        uri = _benchmark_chart(summary)
    assert uri.startswith("data:image/png;base64,")


def test_plain_text_covers_layout_before_saving():
    with plain_text():
        fig = Figure()
        fig.add_subplot().set_xlabel(GROUP)
        fig.tight_layout()  # measures the text: would parse mathtext
    assert figure_png(fig).startswith(PNG)


def test_every_figure_is_rendered_through_figure_png(root):
    # savefig elsewhere would draw names as mathtext again.
    offenders = [
        f"{path.relative_to(root)}:{n}"
        for path in sorted((root / "pmo_sim").rglob("*.py"))
        if path.name != "figures.py"
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if ".savefig(" in line
    ]
    assert offenders == [], "render figures with pmo_sim.presentation.figure_png"
