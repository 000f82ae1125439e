"""A batch re-run remakes a report when anything that shapes it changed, the kit included."""

from __future__ import annotations

import shutil

import pytest

from pmo_sim.bundled import package_digest
from pmo_sim.reporting import batch
from pmo_sim.reporting.manifest import load_manifest
from tests.conftest import ROOT


def test_the_package_digest_follows_the_content_of_every_file(tmp_path):
    copy = tmp_path / "pmo_sim"
    shutil.copytree(ROOT / "pmo_sim", copy, ignore=shutil.ignore_patterns("__pycache__"))
    before = package_digest(copy)
    assert package_digest(copy) == before
    (copy / "__pycache__").mkdir()
    (copy / "__pycache__" / "x.cpython-311.pyc").write_bytes(b"compiled")
    assert package_digest(copy) == before  # byte code is not the kit
    module = copy / "simulation" / "model.py"
    module.write_text(module.read_text() + "\n# edited\n")
    edited = package_digest(copy)
    assert edited != before
    notebook = copy / "data" / "notebooks" / "capacity_scenarios.ipynb"
    notebook.write_bytes(notebook.read_bytes().replace(b"Parameters", b"Parameter", 1))
    assert package_digest(copy) not in {before, edited}


@pytest.fixture
def engagement(tmp_path):
    (tmp_path / "answers.csv").write_bytes(
        (ROOT / "questionnaires/examples/harbourline_long.csv").read_bytes()
    )
    (tmp_path / "batch.yaml").write_text(
        "engagements:\n  - client: Acme\n    kind: assessment\n    responses: answers.csv\n"
    )
    return load_manifest(tmp_path / "batch.yaml").engagements[0]


def test_the_fingerprint_follows_the_kit_not_only_its_version(engagement, monkeypatch):
    today = batch.fingerprint(engagement)
    assert batch.fingerprint(engagement) == today
    # Same version string, different code: a kit edited (or rebuilt) since the report.
    monkeypatch.setattr(batch, "package_digest", lambda: "another kit")
    assert batch.fingerprint(engagement) != today


def test_the_fingerprint_follows_the_inputs(engagement):
    today = batch.fingerprint(engagement)
    with open(engagement.responses, "a", encoding="utf-8") as f:
        f.write("\n")
    assert batch.fingerprint(engagement) != today
