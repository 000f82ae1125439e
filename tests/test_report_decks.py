"""Decks: every report kind as an editable PowerPoint file, read back with python-pptx.

Each check reopens the saved bytes: the tier and index on the summary slide,
native charts whose type and series are the result JSON's numbers, text that
stays text (a hostile client name is never a link or a field), pictures only
with alt text, a firm's template honoured, the same bytes from the same
results, and (where LibreOffice is installed) every slide rendered to PNG.
"""

# ruff: noqa: F811 (fixtures imported from tests.deliverable_fixtures)
from __future__ import annotations

import io
import json
import math
import shutil
import subprocess

import pytest
from pptx import Presentation
from pptx.enum.chart import XL_CHART_TYPE
from pptx.enum.shapes import MSO_SHAPE_TYPE
from pptx.oxml.ns import qn

from pmo_sim.assessment.groups import group_label
from pmo_sim.reporting.deck_assessment import assessment_deck
from pmo_sim.reporting.deck_business_case import business_case_deck
from pmo_sim.reporting.deck_capacity import capacity_deck
from pmo_sim.reporting.deck_template import build_template, default_template
from tests.conftest import ROOT
from tests.deliverable_fixtures import (  # noqa: F401
    HOSTILE_CLIENT,
    assessment,
    business_case,
    capacity_results,
    hostile_responses,
)

ARTIFACTS = ROOT / "tests" / "artifacts" / "slides"


def _shown(score: float) -> str:
    """A score as every report shows it: truncated toward its tier (2.996 reads 2.99)."""
    return f"{math.floor(round(score, 9) * 100) / 100:.2f}"


def _open(data: bytes):
    return Presentation(io.BytesIO(data))


def _texts(slide) -> str:
    parts = []
    for shape in slide.shapes:
        if shape.has_text_frame:
            parts.append(shape.text_frame.text)
        if shape.has_table:
            parts.extend(c.text for row in shape.table.rows for c in row.cells)
    return "\n".join(parts)


def _charts(slide) -> list:
    return [s.chart for s in slide.shapes if s.has_chart]


def _slide(prs, title_start: str):
    for slide in prs.slides:
        title = slide.shapes.title
        if title is not None and title.text_frame.text.startswith(title_start):
            return slide
    raise AssertionError(f"no slide titled {title_start!r}")


def _error_bars(series) -> tuple[list[float], list[float]]:
    bars = series._element.find(qn("c:errBars"))
    values = []
    for tag in ("c:plus", "c:minus"):
        pts = bars.find(qn(tag)).findall(f".//{qn('c:pt')}")
        values.append([float(p.find(qn("c:v")).text) for p in pts])
    return values[0], values[1]


@pytest.fixture(scope="module")
def assessment_prs(assessment):
    return assessment_deck(assessment)


def test_assessment_summary_slide_states_tier_and_index_with_interval(assessment, assessment_prs):
    data = json.loads(json.dumps(assessment.to_dict()))
    prs = _open(assessment_prs)
    title = _texts(prs.slides[0])
    assert HOSTILE_CLIENT in title  # read back as the very characters typed
    assert f"Tier {data['tier']}: {data['tier_name']}" in title
    summary = _texts(_slide(prs, "Executive summary"))
    lo, hi = data["index_interval"]
    assert f"Tier {data['tier']}: {data['tier_name']}" in summary
    shown = f"Maturity index {_shown(data['index'])} (90% interval {_shown(lo)} to {_shown(hi)}"
    assert shown in summary
    blocking = {d["name"] for d in data["dimensions"] if d["blocking"]}
    assert f"Held back from tier {data['tier'] + 1} by:" in summary
    assert any(name in summary for name in blocking)


def test_assessment_charts_are_native_and_carry_the_result_json(assessment, assessment_prs):
    data = json.loads(json.dumps(assessment.to_dict()))
    dims = data["dimensions"]
    prs = _open(assessment_prs)

    [bars] = _charts(_slide(prs, "Dimension scores"))
    assert bars.chart_type == XL_CHART_TYPE.COLUMN_CLUSTERED
    column, target = bars.plots[0], bars.plots[1]
    assert list(column.categories) == [d["name"] for d in dims]
    assert list(column.series[0].values) == pytest.approx([d["score"] for d in dims], abs=1e-6)
    # the target is a line over the columns, at the target tier everywhere
    assert target._element.tag == qn("c:lineChart")
    assert list(target.series[0].values) == [data["target_tier"]] * len(dims)
    plus, minus = _error_bars(column.series[0])
    assert plus == pytest.approx([d["interval"][1] - d["score"] for d in dims], abs=1e-6)
    assert minus == pytest.approx([d["score"] - d["interval"][0] for d in dims], abs=1e-6)

    [radar] = _charts(_slide(prs, "How each stakeholder group"))
    assert radar.chart_type == XL_CHART_TYPE.RADAR
    by_name = {s.name: list(s.values) for s in radar.plots[0].series}
    assert set(by_name) == {group_label(g) for g in data["groups"]} | {"overall"}
    for group, scores in data["groups"].items():
        expected = [scores.get(d["id"]) for d in dims]
        assert by_name[group_label(group)] == pytest.approx(expected, abs=1e-6)
    assert by_name["overall"] == pytest.approx([d["score"] for d in dims], abs=1e-6)

    [trend] = _charts(_slide(prs, "Trend"))
    before = {d["name"]: d["previous_score"] for d in data["trend"]["dimensions"]}
    series = {s.name: list(s.values) for s in trend.plots[0].series}
    assert series["before"] == pytest.approx([before[c] for c in trend.plots[0].categories])


def test_assessment_heatmap_and_roadmap_are_tables_of_text(assessment, assessment_prs):
    prs = _open(assessment_prs)
    heat = next(s for s in _slide(prs, "Where each group places").shapes if s.has_table).table
    groups = list(dict.fromkeys(assessment.groups["group"]))
    assert [c.text for c in heat.rows[0].cells] == [
        "dimension",
        *(group_label(g) for g in groups),
        "overall",
    ]
    first = assessment.dimensions.iloc[0]
    assert heat.cell(1, 0).text == first["name"]
    assert heat.cell(1, len(groups) + 1).text == _shown(first["score"])
    roadmap = next(s for s in _slide(prs, "Roadmap to tier").shapes if s.has_table).table
    top = assessment.roadmap.sort_values(["rank", "step_tier"]).iloc[0]
    assert roadmap.cell(1, 1).text == top["name"]
    assert roadmap.cell(1, 4).text == f"tier {int(top['step_tier'])}: {top['recommendation']}"


def test_text_from_inputs_is_never_a_link_or_a_field(assessment_prs):
    prs = _open(assessment_prs)
    for slide in prs.slides:
        xml = slide._element.xml
        assert "hlinkClick" not in xml and "<a:fld" not in xml
        for shape in slide.shapes:  # no "Click to add text" left anywhere
            if shape.is_placeholder:
                assert shape.text_frame.text.strip()


def test_capacity_deck_matches_capacity_json(capacity_results):
    summaries = {n: r.summary_dict() for n, r in capacity_results.items()}
    prs = _open(capacity_deck(capacity_results, "Acme"))
    [util] = _charts(_slide(prs, "Utilisation by role"))
    assert util.chart_type == XL_CHART_TYPE.COLUMN_CLUSTERED
    roles = list(next(iter(capacity_results.values())).scenario.roles)
    for series in util.plots[0].series:
        metrics = summaries[series.name]["metrics"]
        assert list(series.values) == pytest.approx(
            [metrics[f"utilisation.{r}"]["mean"] for r in roles]
        )
        plus, _ = _error_bars(series)
        assert plus == pytest.approx(
            [
                metrics[f"utilisation.{r}"]["high"] - metrics[f"utilisation.{r}"]["mean"]
                for r in roles
            ]
        )
    assert list(util.plots[1].series[0].values) == [0.85] * len(roles)

    [lead] = _charts(_slide(prs, "Lead times"))
    mean = {s.name: list(s.values) for s in lead.plots[0].series}["mean lead time (weeks)"]
    assert mean == pytest.approx(
        [s["metrics"]["lead_time_mean"]["mean"] for s in summaries.values()]
    )

    [flow] = _charts(_slide(prs, "Projects in progress"))
    assert flow.chart_type == XL_CHART_TYPE.XY_SCATTER_LINES_NO_MARKERS
    baseline = next(iter(capacity_results.values()))
    wip = baseline.weekly_portfolio.groupby("week")["wip"].mean()
    assert list(flow.plots[0].series[0].values) == pytest.approx(list(wip))

    names = list(capacity_results)
    compared = _texts(_slide(prs, f"{names[1]} compared with {names[0]}"))
    assert "difference (95% interval)" in compared and "verdict" in compared
    pictures = [
        s for slide in prs.slides for s in slide.shapes if s.shape_type == MSO_SHAPE_TYPE.PICTURE
    ]
    assert pictures, "the heatmap and the Gantt are pictures"
    for pic in pictures:
        assert len(pic._element.nvPicPr.cNvPr.get("descr", "")) > 30


def test_business_case_deck_matches_business_case_json(business_case):
    data = json.loads(json.dumps(business_case.to_dict()))
    prs = _open(business_case_deck(business_case))
    table = next(s for s in _slide(prs, "What tier").shapes if s.has_table).table
    rows = [[c.text for c in row.cells] for row in list(table.rows)[1:]]
    assert [(r[0], r[-1]) for r in rows] == [(h["measure"], h["verdict"]) for h in data["headline"]]
    [objectives] = _charts(_slide(prs, "Benefits realised by strategic objective"))
    today, target = objectives.plots[0].series
    assert list(today.values) == pytest.approx([o["today"] for o in data["by_objective"]])
    assert list(target.values) == pytest.approx([o["target"] for o in data["by_objective"]])
    [over_time] = _charts(_slide(prs, "Benefits realised over time"))
    final = [list(s.values)[-1] for s in over_time.plots[0].series]
    for arm, value in zip(("today", "target"), final, strict=True):
        weekly = business_case.results[arm].weekly_portfolio
        assert value == pytest.approx(
            weekly[weekly["week"] == weekly["week"].max()]["benefit_cumulative"].mean()
        )
    assumptions = "\n".join(
        _texts(s) for s in prs.slides if s.shapes.title.text_frame.text.startswith("Assumptions")
    )
    for line in data["assumptions"]:
        assert line in assumptions


def test_a_firms_template_gives_its_layouts_and_theme(tmp_path, assessment):
    firm = Presentation()  # python-pptx's plain 4:3 template stands in for a firm's
    firm.slide_layouts[0].name  # noqa: B018 - the template's own names are kept
    sample = firm.slides.add_slide(firm.slide_layouts[1])
    sample.shapes.title.text = "FIRM SAMPLE SLIDE"
    path = tmp_path / "firm.pptx"
    firm.save(path)
    prs = _open(assessment_deck(assessment, "Acme", template=path))
    assert (prs.slide_width, prs.slide_height) == (firm.slide_width, firm.slide_height)
    assert all("FIRM SAMPLE SLIDE" not in _texts(s) for s in prs.slides)
    assert prs.slides[0].slide_layout.name == "Title Slide"
    assert {s.slide_layout.name for s in list(prs.slides)[1:]} == {"Title Only"}
    theme = prs.slide_master.part.part_related_by(
        "http://schemas.openxmlformats.org/officeDocument/2006/relationships/theme"
    )
    assert b'name="Office Theme"' in theme.blob
    default = _open(assessment_deck(assessment, "Acme"))
    assert default.slide_width / default.slide_height == pytest.approx(16 / 9, abs=1e-3)


def test_same_results_same_bytes_and_the_template_is_its_script(assessment, assessment_prs):
    assert assessment_deck(assessment) == assessment_prs
    assert build_template() == default_template()


def _render(pptx: bytes, folder, stem: str) -> list:
    folder.mkdir(parents=True, exist_ok=True)
    source = folder / f"{stem}.pptx"
    source.write_bytes(pptx)
    for old in folder.glob(f"{stem}-*.png"):
        old.unlink()
    profile = (folder / ".lo-profile").resolve().as_uri()
    subprocess.run(
        ["soffice", f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf",
         "--outdir", str(folder), str(source)],
        check=True, capture_output=True, timeout=180,
    )  # fmt: skip
    subprocess.run(
        ["gs", "-q", "-dSAFER", "-sDEVICE=png16m", "-r60", "-dTextAlphaBits=4",
         "-dGraphicsAlphaBits=4", "-o", str(folder / f"{stem}-%02d.png"),
         str(folder / f"{stem}.pdf")],
        check=True, capture_output=True, timeout=180,
    )  # fmt: skip
    return sorted(folder.glob(f"{stem}-*.png"))


@pytest.mark.slow
@pytest.mark.skipif(
    shutil.which("soffice") is None or shutil.which("gs") is None,
    reason="rendering needs LibreOffice (Debian libreoffice-impress) and Ghostscript",
)
def test_every_slide_renders_to_png(assessment_prs, capacity_results, business_case):
    """The decks render in LibreOffice; the PNGs stay in tests/artifacts/slides/ to look at."""
    from PIL import Image

    decks = {
        "assessment": assessment_prs,
        "capacity": capacity_deck(capacity_results, "Acme"),
        "business_case": business_case_deck(business_case),
    }
    for stem, data in decks.items():
        pngs = _render(data, ARTIFACTS, stem)
        assert len(pngs) == len(_open(data).slides), stem
        for png in pngs:
            with Image.open(png) as image:
                lo, hi = image.convert("L").getextrema()
            assert lo < 128 < hi, f"{png.name} is blank"
