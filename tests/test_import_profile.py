"""The import profile (``--mapping FILE.yaml``): validated like every input."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from pmo_sim.assessment import load_questionnaire
from pmo_sim.assessment.profile import SurveyProfile, TableProfile, load_survey_profile
from pmo_sim.calibration import HistoryMapping
from pmo_sim.errors import InputError

QUESTIONNAIRE = load_questionnaire()
ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "questionnaires" / "examples" / "corvel_google_forms.csv"


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "mapping.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_the_issue_example_loads(tmp_path):
    path = write(
        tmp_path,
        """\
group_column: "Which group are you in?"
groups:
  Exec: executive
  CIO: executive
  PMO Lead: pmo
  project mgr: project_manager
  Prefer not to say: null
codes:
  first_level: 1
ignore_columns: [Department]
not_answered: ["Prefer not to say", "Don't know"]
questions: {"Q7": AL3}
""",
    )
    profile = load_survey_profile(path, QUESTIONNAIRE)
    assert profile.first_level == 1 and profile.code_table is None
    assert profile.group_for("cio") == (True, "executive")
    assert profile.group_for("Prefer not to say") == (True, None)
    assert profile.group_for("Board") == (False, None)
    assert profile.ignores("department") and profile.questions == {"Q7": "AL3"}


def test_a_codes_table_with_integer_keys_reads_as_text(tmp_path):
    path = write(tmp_path, "codes: {1: 0, 2: 1, A3: 2, Don't know: null}\n")
    profile = load_survey_profile(path)
    assert profile.code_table == {"1": 0, "2": 1, "a3": 2, "don't know": None}


BAD = {
    "unknown key": ("group_colum: Role\n", ["group_colum (line 1)", "Extra inputs"]),
    "level out of range": (
        "codes: {A1: 0, A6: 7}\n",
        ["codes.A6 (line 1)", "less than or equal to 4"],
    ),
    "first_level and a table": (
        "codes:\n  first_level: 1\n  A1: 0\n",
        ["codes (line 1)", "either first_level or a table"],
    ),
    "first_level 2": ("codes: {first_level: 2}\n", ["codes (line 1)", "first_level must be 0"]),
    "unknown question id": (
        "questions:\n  Q7: AL33\n",
        ["questions (line 1)", "'AL33'", "did you mean 'AL3'"],
    ),
    "blank group": ('groups:\n  Exec: " "\n', ["groups (line 1)", "blank"]),
    "unknown layout": ("layout: typeform\n", ["layout (line 1)", "unknown layout 'typeform'"]),
    "ignore is not a list": ("ignore_columns: 3\n", ["ignore_columns (line 1)"]),
    "duplicate key": (
        "groups:\n  CIO: executive\n  CIO: pmo\n",
        ["line 3", "duplicate key 'CIO'"],
    ),
}


@pytest.mark.parametrize("case", list(BAD))
def test_each_mistake_is_named_with_its_field_path_and_line(tmp_path, case):
    text, fragments = BAD[case]
    with pytest.raises(InputError) as caught:
        load_survey_profile(write(tmp_path, text), QUESTIONNAIRE)
    message = str(caught.value)
    assert "mapping.yaml" in message
    for fragment in fragments:
        assert fragment in message


def test_several_mistakes_are_reported_at_once_with_exit_2(tmp_path):
    path = write(tmp_path, "group_colum: Role\ncodes: {A1: 9}\nlayout: typeform\n")
    result = subprocess.run(
        [sys.executable, "-m", "pmo_sim", "assess", str(EXAMPLE), "--mapping", str(path)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert "mapping.yaml: 3 problems" in result.stderr
    for where in ("group_colum (line 1)", "codes.A1 (line 2)", "layout (line 3)"):
        assert where in result.stderr


def test_validate_recognises_a_mapping_file(tmp_path):
    path = write(tmp_path, "group_column: Role\ncodes: {first_level: 1}\n")
    result = subprocess.run(
        [sys.executable, "-m", "pmo_sim", "validate", str(path)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0 and "(mapping)" in result.stdout


def test_the_table_profile_is_the_generic_base():
    # Other imports (project histories) extend TableProfile with their own fields.
    assert issubclass(SurveyProfile, TableProfile)
    assert set(TableProfile.model_fields) == {"ignore_columns", "sheet", "layout"}
    assert issubclass(HistoryMapping, TableProfile)
    assert TableProfile(sheet=2).sheet_index == 1
