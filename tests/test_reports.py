"""Client reports: notebooks through papermill, batches, escaping, atomic outputs, skipping."""

from __future__ import annotations

import json
import re

import pandas as pd
import pytest

from pmo_sim.reporting.runner import execute_report
from tests.conftest import ROOT

pytestmark = pytest.mark.slow

EXAMPLES = ROOT / "questionnaires" / "examples"
EVIL = "<script>alert(1)</script>"


def _external_sources(html: str) -> list[str]:
    return re.findall(r'(?:src|href)="(https?://[^"]*)"', html)


def test_capacity_notebook_runs_and_embeds_its_figures():
    run = execute_report(
        "capacity_scenarios.ipynb",
        {
            "client": "Acme",
            "scenarios": [
                str(ROOT / "scenarios/baseline.yaml"),
                str(ROOT / "scenarios/hire_developers.yaml"),
            ],
            "replications": 4,
            "seed": 3,
        },
        "Acme capacity",
    )
    assert run.ok, run.error
    assert run.html.count("data:image/png;base64") >= 6
    assert "Bottleneck" in run.html and "developer" in run.html
    assert _external_sources(run.html) == []  # reads offline: nothing from a CDN
    summary = json.loads(run.files["capacity.json"])
    assert set(summary) == {"Baseline", "Hire 4 developers"}


@pytest.fixture(scope="module")
def batch_run(tmp_path_factory):
    from tests.conftest import run_cli

    work = tmp_path_factory.mktemp("batch")
    broken = work / "broken.csv"
    broken.write_text(
        "respondent,group,question,answer\nr1,executive,no_such_question,7\n", encoding="utf-8"
    )
    manifest = work / "manifest.yaml"
    manifest.write_text(
        "title: Test batch\n"
        "engagements:\n"
        "  - client: Harbourline Logistics\n"
        "    kind: assessment\n"
        f"    responses: {EXAMPLES / 'harbourline_long.csv'}\n"
        "  - client: Broken Ltd\n"
        "    kind: assessment\n"
        "    responses: broken.csv\n"
        f"  - client: '{EVIL}'\n"
        "    kind: assessment\n"
        f"    responses: {EXAMPLES / 'vantor_wide.csv'}\n",
        encoding="utf-8",
    )
    out = work / "out"
    result = run_cli("batch", manifest, "--out", out, "--workers", "2", timeout=600)
    return manifest, out, result


def test_batch_reports_each_engagement_and_lists_the_failure(batch_run):
    _, out, result = batch_run
    assert result.returncode == 1
    assert "2 made, 0 up to date, 1 failed" in result.stdout
    assert "Broken Ltd" in result.stderr and "no_such_question" in result.stderr
    assert sorted(p.relative_to(out).as_posix() for p in out.glob("*/*.html")) == [
        "harbourline-logistics/assessment.html",
        "script-alert-1-script/assessment.html",
    ]
    # Bad input is found before any kernel starts: no notebook is run or kept for it.
    assert "bad input" in result.stderr
    assert not (out / "failed").exists()
    assert not list(out.rglob("*.tmp")) and not (out / "broken-ltd").exists()


def test_reports_state_the_tier_and_embed_figures(batch_run):
    _, out, _ = batch_run
    html = (out / "harbourline-logistics" / "assessment.html").read_text()
    assert "Tier 1: Supportive" in html
    assert html.count("data:image/png;base64") >= 4
    assert _external_sources(html) == []
    data = json.loads((out / "harbourline-logistics" / "assessment.json").read_text())
    assert data["tier"] == 1


def test_input_text_is_escaped_everywhere(batch_run):
    _, out, _ = batch_run
    report = (out / "script-alert-1-script" / "assessment.html").read_text()
    index = (out / "index.html").read_text()
    for page in (report, index):
        assert EVIL not in page
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_summary_benchmarks_the_assessments(batch_run):
    _, out, _ = batch_run
    summary = pd.read_csv(out / "summary.csv")
    assert list(summary["client"]) == ["Harbourline Logistics", EVIL]
    assert list(summary["tier"]) == [1, 3]
    assert {"client", "date", "tier", "index", "alignment", "portfolio"} <= set(summary.columns)
    assert "data:image/png;base64" in (out / "index.html").read_text()  # benchmark chart


def test_rerun_skips_up_to_date_reports_unless_forced(batch_run):
    from tests.conftest import run_cli

    manifest, out, _ = batch_run
    before = (out / "harbourline-logistics" / "assessment.html").stat().st_mtime_ns
    again = run_cli("batch", manifest, "--out", out, "--workers", "1", timeout=600)
    assert "0 made, 2 up to date, 1 failed" in again.stdout
    assert (out / "harbourline-logistics" / "assessment.html").stat().st_mtime_ns == before
    forced = run_cli("batch", manifest, "--out", out, "--force", timeout=600)
    assert "2 made, 0 up to date, 1 failed" in forced.stdout
    assert (out / "harbourline-logistics" / "assessment.html").stat().st_mtime_ns > before


def test_pdf_is_printed_with_chromium(batch_run, tmp_path):
    from pmo_sim.reporting.pdf import find_chromium, html_to_pdf

    if find_chromium() is None:
        pytest.skip("no Chromium on PATH (Debian: apt-get install chromium)")
    _, out, _ = batch_run
    pdf = html_to_pdf(out / "harbourline-logistics" / "assessment.html", tmp_path / "r.pdf")
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF") and len(data) > 20_000


def test_every_notebook_runs_top_to_bottom_under_papermill(tmp_path):
    """The workshop notebook too: papermill with the explicit kernel, parameters injected."""
    import papermill as pm

    from pmo_sim.reporting.runner import KERNEL_NAME

    database = tmp_path / "w.sqlite"
    pm.execute_notebook(
        str(ROOT / "notebooks" / "workshop.ipynb"),
        str(tmp_path / "workshop.ipynb"),
        parameters={
            "DATABASE": str(database),
            "SCENARIO": str(ROOT / "scenarios" / "baseline.yaml"),
            "SAVE_DIR": str(tmp_path),
        },
        kernel_name=KERNEL_NAME,
        progress_bar=False,
    )
    assert database.exists()  # the capture form created the engagement's answer file


def test_a_cell_past_its_timeout_fails_the_report_and_keeps_the_notebook(tmp_path):
    import time

    import nbformat
    from nbformat.v4 import new_code_cell, new_notebook

    nb = new_notebook()
    nb.metadata["kernelspec"] = {"name": "pmo-sim", "display_name": "pmo-sim", "language": "python"}
    params = new_code_cell("output_dir = '.'")
    params.metadata["tags"] = ["parameters"]
    nb.cells = [params, new_code_cell("import time\ntime.sleep(60)")]
    path = tmp_path / "slow.ipynb"
    nbformat.write(nb, str(path))
    start = time.monotonic()
    run = execute_report(path, {}, "slow", timeout=3)
    assert not run.ok
    assert "Timeout" in run.error or "timed out" in run.error
    assert run.executed_notebook is not None
    assert time.monotonic() - start < 45
