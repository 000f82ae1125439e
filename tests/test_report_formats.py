"""Formats: ``pmo-sim report --formats`` and the manifest's ``formats`` make decks and workbooks.

A real batch (papermill kernels, real files) asked for every kernel-made
format; the deck and the workbook are read back against the result JSON
written beside them; index.html links every file; bad formats and bad
templates are refused, with their place, before any kernel starts.
"""

from __future__ import annotations

import io
import json
import math
import re

import pytest
from openpyxl import load_workbook
from pptx import Presentation

from pmo_sim.reporting.deliverables import FORMATS, parse_formats
from pmo_sim.reporting.pdf import find_chromium
from tests.conftest import ROOT, run_cli

EXAMPLES = ROOT / "questionnaires" / "examples"
SCENARIOS = ROOT / "scenarios"
EVIL = "<script>alert(1)</script>"
#: The PDF is printed with Chromium: asked for only where it is installed.
PDF = find_chromium() is not None


def test_formats_parse_comma_lists_and_always_include_html():
    assert parse_formats("pptx,xlsx") == ["html", "pptx", "xlsx"]
    assert parse_formats(["PDF", " xlsx "]) == ["html", "xlsx", "pdf"]
    assert parse_formats(None) == ["html"]
    with pytest.raises(
        ValueError, match="unknown format 'docx'; choose from html, pptx, xlsx, pdf"
    ):
        parse_formats("html,docx")
    assert list(FORMATS) == ["html", "pptx", "xlsx", "pdf"]


def test_bad_formats_and_templates_are_refused_before_any_kernel(tmp_path):
    not_a_deck = tmp_path / "firm.pptx"
    not_a_deck.write_text("this is not a presentation", encoding="utf-8")
    manifest = tmp_path / "m.yaml"
    responses = EXAMPLES / "harbourline_long.csv"
    head = f"engagements:\n  - client: Acme\n    kind: assessment\n    responses: {responses}\n"
    manifest.write_text(head + "    formats: [html, docx]\n", encoding="utf-8")
    done = run_cli("batch", manifest, "--out", tmp_path / "out")
    assert done.returncode == 2, done.stderr
    assert "engagements[0].formats (line 5): unknown format 'docx'" in done.stderr
    # In a batch, a bad template fails its engagement before its kernel starts.
    manifest.write_text(head + "    pptx_template: firm.pptx\n", encoding="utf-8")
    done = run_cli("batch", manifest, "--out", tmp_path / "out")
    assert done.returncode == 1, done.stderr
    assert "Acme (assessment): pptx_template:" in done.stderr
    assert "not a PowerPoint .pptx file" in done.stderr
    assert "Traceback" not in done.stderr
    assert not list((tmp_path / "out").glob("*/assessment.*"))
    done = run_cli(
        "report", "assessment", responses, "--client", "Acme", "--pptx-template", not_a_deck,
        "--out", tmp_path / "one",
    )  # fmt: skip
    assert done.returncode == 2, done.stderr
    assert "--pptx-template" in done.stderr and "not a PowerPoint .pptx file" in done.stderr

    done = run_cli(
        "report", "assessment", EXAMPLES / "harbourline_long.csv", "--client", "Acme",
        "--formats", "html,docx", "--out", tmp_path / "out",
    )  # fmt: skip
    assert done.returncode == 2
    assert "--formats" in done.stderr and "unknown format 'docx'" in done.stderr


def test_manifest_defaults_apply_to_every_engagement_unless_it_says_otherwise(tmp_path):
    from pmo_sim.errors import InputError
    from pmo_sim.reporting.manifest import load_manifest

    Presentation().save(tmp_path / "firm.pptx")
    responses = EXAMPLES / "harbourline_long.csv"
    manifest = tmp_path / "m.yaml"
    manifest.write_text(
        "defaults:\n  formats: [pptx, xlsx]\n  pptx_template: firm.pptx\n"
        "engagements:\n"
        f"  - {{client: Acme, kind: assessment, responses: {responses}}}\n"
        f"  - {{client: Beta, kind: assessment, responses: {responses}, formats: [pdf]}}\n",
        encoding="utf-8",
    )
    acme, beta = load_manifest(manifest).engagements
    assert acme.formats == ["html", "pptx", "xlsx"]
    assert beta.formats == ["html", "pdf"]
    assert acme.pptx_template == beta.pptx_template == tmp_path / "firm.pptx"
    manifest.write_text(
        manifest.read_text(encoding="utf-8").replace("firm.pptx", "gone.pptx"), encoding="utf-8"
    )
    with pytest.raises(InputError) as info:
        load_manifest(manifest)
    assert [str(p).split(":")[0] for p in info.value.problems] == [
        "defaults.pptx_template (line 3)"
    ]


@pytest.fixture(scope="module")
def made(tmp_path_factory):
    work = tmp_path_factory.mktemp("formats")
    firm = Presentation()  # a 4:3 template standing in for a consultancy's own
    firm.save(work / "firm.pptx")
    manifest = work / "manifest.yaml"
    manifest.write_text(
        "title: Deliverables\n"
        "engagements:\n"
        f"  - client: '{EVIL}'\n"
        "    id: evil\n"
        "    kind: assessment\n"
        f"    responses: {EXAMPLES / 'northgate_long.csv'}\n"
        "    formats: [pptx, xlsx]\n"
        "  - client: Acme\n"
        "    kind: capacity\n"
        f"    scenarios: [{SCENARIOS / 'baseline.yaml'}, {SCENARIOS / 'wip_limit.yaml'}]\n"
        "    replications: 3\n"
        "    formats: pptx,xlsx\n"
        "    pptx_template: firm.pptx\n"
        "  - client: Acme\n"
        "    kind: business_case\n"
        f"    assessment: {EXAMPLES / 'northgate_long.csv'}\n"
        f"    scenario: {SCENARIOS / 'baseline.yaml'}\n"
        "    replications: 3\n"
        f"    formats: [xlsx, pptx{', pdf' if PDF else ''}]\n",
        encoding="utf-8",
    )
    out = work / "out"
    done = run_cli("batch", manifest, "--out", out, "--workers", "2", timeout=900)
    return work, manifest, out, done


@pytest.mark.slow
def test_batch_makes_decks_and_workbooks_that_match_the_results(made):
    work, _, out, done = made
    assert done.returncode == 0, done.stderr
    for folder, kind in (("evil", "assessment"), ("acme", "capacity"), ("acme", "business_case")):
        for suffix in ("html", "json", "pptx", "xlsx"):
            assert (out / folder / f"{kind}.{suffix}").is_file(), f"{folder}/{kind}.{suffix}"
    assert not list(out.rglob(".*.tmp")), "nothing half-written is left behind"

    results = json.loads((out / "evil" / "assessment.json").read_text(encoding="utf-8"))
    deck = Presentation(out / "evil" / "assessment.pptx")
    assert EVIL in deck.slides[0].shapes[1].text_frame.text  # the name, as plain text
    summary = "\n".join(s.text_frame.text for s in deck.slides[1].shapes if s.has_text_frame)
    assert f"Tier {results['tier']}: {results['tier_name']}" in summary
    shown = math.floor(round(results["index"], 9) * 100) / 100  # truncated toward its tier
    assert f"Maturity index {shown:.2f}" in summary
    chart = next(s.chart for s in deck.slides[2].shapes if s.has_chart)
    assert list(chart.plots[0].series[0].values) == pytest.approx(
        [d["score"] for d in results["dimensions"]], abs=1e-6
    )
    book = load_workbook(out / "evil" / "assessment.xlsx")
    rows = list(book["dimensions"].iter_rows(min_row=2, values_only=True))
    header = [c.value for c in book["dimensions"][1]]
    assert [r[header.index("score")] for r in rows] == pytest.approx(
        [d["score"] for d in results["dimensions"]], abs=1e-6
    )

    capacity = json.loads((out / "acme" / "capacity.json").read_text(encoding="utf-8"))
    firm = Presentation(work / "firm.pptx")
    cap_deck = Presentation(out / "acme" / "capacity.pptx")
    assert (cap_deck.slide_width, cap_deck.slide_height) == (firm.slide_width, firm.slide_height)
    cap_book = load_workbook(out / "acme" / "capacity.xlsx", read_only=True)
    means = [
        r[2]
        for r in cap_book["summary"].iter_rows(min_row=2, values_only=True)
        if r[0] == "Baseline" and r[1] == "lead_time_mean"
    ]
    assert means == pytest.approx([capacity["Baseline"]["metrics"]["lead_time_mean"]["mean"]])

    case = json.loads((out / "acme" / "business_case.json").read_text(encoding="utf-8"))
    case_book = load_workbook(io.BytesIO((out / "acme" / "business_case.xlsx").read_bytes()))
    verdicts = [r[-1] for r in case_book["headline"].iter_rows(min_row=2, values_only=True)]
    assert verdicts == [h["verdict"] for h in case["headline"]]


@pytest.mark.slow
def test_index_links_every_file_of_every_engagement_also_when_up_to_date(made):
    _, manifest, out, done = made
    assert done.returncode == 0, done.stderr
    expected = {
        f"{folder}/{kind}.{suffix}"
        for folder, kind in (
            ("evil", "assessment"),
            ("acme", "capacity"),
            ("acme", "business_case"),
        )
        for suffix in ("html", "json", "pptx", "xlsx")
    } | ({"acme/business_case.pdf"} if PDF else set())
    page = (out / "index.html").read_text(encoding="utf-8")
    assert set(re.findall(r'href="([^"]+\.(?:html|json|pptx|xlsx|pdf))"', page)) == expected
    assert EVIL not in page
    again = run_cli("batch", manifest, "--out", out)
    assert again.returncode == 0 and "0 made, 3 up to date" in again.stdout
    page = (out / "index.html").read_text(encoding="utf-8")
    assert set(re.findall(r'href="([^"]+\.(?:html|json|pptx|xlsx|pdf))"', page)) == expected
