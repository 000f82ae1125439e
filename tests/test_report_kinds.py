"""Report kinds are a registry: manifest, batch, CLI and index all follow it."""

from __future__ import annotations

import ast
import json
from typing import Literal

import pytest
from conftest import ROOT, run_cli

from pmo_sim.errors import InputError
from pmo_sim.reporting.kinds import (
    REPORT_KINDS,
    EngagementBase,
    ReportKind,
    register_report_kind,
)
from pmo_sim.reporting.manifest import load_manifest
from pmo_sim.reporting.runner import NOTEBOOKS


def _notebook_parameters(path) -> set[str]:
    nb = json.loads(path.read_text(encoding="utf-8"))
    cell = next(c for c in nb["cells"] if "parameters" in c["metadata"].get("tags", []))
    tree = ast.parse("".join(cell["source"]))
    return {t.id for node in tree.body if isinstance(node, ast.Assign) for t in node.targets}


@pytest.mark.parametrize("name", list(REPORT_KINDS))
def test_each_notebook_takes_exactly_its_kinds_inputs(name):
    kind = REPORT_KINDS[name]
    fields = set(kind.engagement.model_fields) - kind.engagement.NOT_PARAMETERS
    assert _notebook_parameters(NOTEBOOKS / kind.notebook) == fields | {"output_dir"}
    assert kind.argument in fields


def test_every_kind_has_a_report_command():
    done = run_cli("report", "--help")
    assert done.returncode == 0
    for name in REPORT_KINDS:
        assert name.replace("_", "-") in done.stdout


def test_report_command_reports_every_bad_option_at_once(tmp_path):
    done = run_cli(
        "report", "business-case", tmp_path / "none.json", "--client", "Acme",
        "--scenario", ROOT / "scenarios" / "baseline.yaml", "--target-tier", "7", "-n", "1",
    )  # fmt: skip
    assert done.returncode == 2
    assert "--target-tier: Input should be less than or equal to 4" in done.stderr
    assert "--replications: Input should be greater than or equal to 2" in done.stderr
    assert "Traceback" not in done.stderr


class OnePagerEngagement(EngagementBase):
    """A one-page note: the smallest report a kind can be."""

    kind: Literal["one_pager"]
    note: str


@pytest.fixture
def one_pager(tmp_path):
    import nbformat
    from nbformat.v4 import new_code_cell, new_notebook

    nb = new_notebook()
    nb.metadata["kernelspec"] = {"name": "pmo-sim", "display_name": "pmo-sim", "language": "python"}
    params = new_code_cell("client = ''\nseed = 0\nnote = ''\noutput_dir = '.'")
    params.metadata["tags"] = ["parameters"]
    nb.cells = [params, new_code_cell("print(f'{client}: {note} (seed {seed})')")]
    path = tmp_path / "one_pager.ipynb"
    nbformat.write(nb, str(path))
    assert "one_pager" not in REPORT_KINDS
    yield register_report_kind(
        ReportKind("one_pager", "one-page note", str(path), OnePagerEngagement, "note")
    )
    del REPORT_KINDS["one_pager"]


def test_a_registered_kind_is_valid_in_a_manifest_and_made_by_the_batch(one_pager, tmp_path):
    from pmo_sim.reporting.batch import run_batch

    manifest = tmp_path / "m.yaml"
    manifest.write_text(
        "engagements:\n"
        "  - {client: Acme, kind: one_pager, note: hello, seed: 7}\n"
        "  - {client: Beta, kind: one_pager}\n"  # line 3: no note
    )
    with pytest.raises(InputError) as info:
        load_manifest(manifest)
    assert [str(p) for p in info.value.problems] == ["engagements[1].note (line 3): Field required"]

    manifest.write_text("engagements:\n  - {client: Acme, kind: one_pager, note: hello, seed: 7}\n")
    result = run_batch(load_manifest(manifest), tmp_path / "out")
    [outcome] = result.outcomes
    assert outcome.status == "done", outcome.error
    html = outcome.html.read_text(encoding="utf-8")
    assert "Acme: hello (seed 7)" in html
    assert "<title>Acme: one-page note report</title>" in html
    assert "one-page note" in result.index.read_text(encoding="utf-8")


def test_an_unknown_kind_names_the_registered_ones(tmp_path):
    manifest = tmp_path / "m.yaml"
    manifest.write_text("engagements:\n  - {client: Acme, kind: audit}\n")
    with pytest.raises(InputError) as info:
        load_manifest(manifest)
    text = str(info.value)
    assert "engagements[0].kind (line 2)" in text
    for name in REPORT_KINDS:
        assert repr(name) in text
