"""Batch manifests are validated like every input: every problem, with path and line."""

from __future__ import annotations

import pytest

from pmo_sim.errors import InputError
from pmo_sim.files import slugify
from pmo_sim.reporting.manifest import load_manifest


def test_relative_paths_resolve_from_the_manifest_folder(tmp_path):
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "acme.csv").write_text("respondent,group\n")
    (tmp_path / "m.yaml").write_text(
        "engagements:\n  - client: Acme\n    kind: assessment\n    responses: data/acme.csv\n"
    )
    manifest = load_manifest(tmp_path / "m.yaml")
    (engagement,) = manifest.engagements
    assert engagement.responses == (tmp_path / "data" / "acme.csv").resolve()
    assert engagement.slug == "acme"


def test_every_problem_is_listed_with_its_line(tmp_path):
    (tmp_path / "a.csv").write_text("x\n")
    (tmp_path / "m.yaml").write_text(
        "engagements:\n"
        "  - client: Acme\n"  # line 2
        "    kind: assessment\n"
        "    responses: missing.csv\n"  # line 4: file not found
        "  - client: Beta\n"
        "    kind: audit\n"  # line 6: unknown kind
        "    responses: a.csv\n"
        "  - client: Gamma\n"
        "    kind: capacity\n"
        "    scenarios: []\n"  # line 10: needs at least one
    )
    with pytest.raises(InputError) as info:
        load_manifest(tmp_path / "m.yaml")
    text = str(info.value)
    assert "engagements[1]" in text and "line 6" in text
    assert "engagements[2].scenarios" in text and "line 10" in text
    # a schema error does not hide a missing file (issue 17): all three at once
    assert len(info.value.problems) == 3
    assert "engagements[0].responses (line 4): file not found" in text


def test_missing_inputs_and_duplicates_are_reported_together(tmp_path):
    (tmp_path / "a.csv").write_text("x\n")
    (tmp_path / "m.yaml").write_text(
        "engagements:\n"
        "  - client: Acme\n"
        "    kind: assessment\n"
        "    responses: missing.csv\n"  # line 4
        "  - client: ACME\n"  # same slug and kind as the first
        "    kind: assessment\n"
        "    responses: a.csv\n"
    )
    with pytest.raises(InputError) as info:
        load_manifest(tmp_path / "m.yaml")
    locations = [p.location for p in info.value.problems]
    assert locations == ["engagements[0].responses (line 4)", "engagements[1] (line 5)"]


def test_slugs_are_safe_folder_names():
    assert slugify("<script>alert(1)</script>") == "script-alert-1-script"
    assert slugify("Société Générale / Paris") == "societe-generale-paris"
    assert slugify("!!!") == "client"
