"""Which kind of file is this: ``pmo-sim validate`` tells each input from its content.

A YAML file by its top-level keys, a table by its header row (each table kind
of :data:`pmo_sim.cli.formats.FORMATS` recognises its own); survey responses
are the table that nothing else recognises. Files given together are checked
together: timesheets against the resource list.
"""

from __future__ import annotations

import csv
import importlib
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest

from pmo_sim.cli import main
from pmo_sim.cli.formats import FORMATS, detect_kind
from tests.conftest import ROOT
from tests.test_calibration_history import JIRA

SURVEYS = ROOT / "questionnaires" / "examples"
HISTORY = ROOT / "scenarios" / "examples"

#: Each bundled example, its kind, and what the examples' README says to read it with.
EXAMPLES: dict[str, tuple[str, list[str]]] = {
    "corvel_excel_semicolon.csv": ("responses", []),
    "corvel_excel_unicode.txt": ("responses", []),
    "corvel_google_forms.csv": ("responses", []),
    "corvel_limesurvey.csv": ("responses", ["--mapping", "corvel_limesurvey_mapping.yaml"]),
    "corvel_limesurvey_mapping.yaml": ("mapping", []),
    "corvel_microsoft_forms.xlsx": ("responses", ["--group-column", "Which group are you in?"]),
    "corvel_qualtrics.csv": ("responses", ["--group-column", "Q_role"]),
    "corvel_qualtrics_mapping.yaml": ("mapping", []),
    "corvel_qualtrics_numeric.tsv": ("responses", ["--mapping", "corvel_qualtrics_mapping.yaml"]),
    "corvel_surveymonkey.csv": ("responses", ["--mapping", "corvel_surveymonkey_mapping.yaml"]),
    "corvel_surveymonkey_mapping.yaml": ("mapping", []),
    "harbourline_long.csv": ("responses", []),
    "harbourline_wide.csv": ("responses", []),
    "northgate_long.csv": ("responses", []),
    "northgate_previous_long.csv": ("responses", []),
    "northgate_survey_export.xlsx": ("responses", []),
    "northgate_wide.csv": ("responses", []),
    "vantor_long.csv": ("responses", []),
    "vantor_wide.csv": ("responses", []),
    "harbourline_history.csv": ("history", []),
    "harbourline_resources.csv": ("resources", []),
    "harbourline_timesheets.csv": ("timesheets", []),
    "harbourline_truth.yaml": ("scenario", []),
}
#: Not inputs: the generators' answer key (who answered what level) and their scripts.
NOT_INPUTS = {"corvel_truth.csv", "README.md"}


def _csv(path: Path, header: list[str], rows: list[list[str]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def _bundled() -> list[Path]:
    files = sorted([*SURVEYS.iterdir(), *HISTORY.iterdir()])
    return [f for f in files if f.suffix != ".py" and f.name not in NOT_INPUTS]


def test_every_bundled_example_is_told_by_its_content_and_validates(capsys):
    files = _bundled()
    assert sorted(f.name for f in files) == sorted(EXAMPLES)  # a new example needs a line here
    plain = [f for f in files if not EXAMPLES[f.name][1]]
    # Together, so that the timesheets are checked against the harbourline resource list.
    assert main(["validate", *map(str, plain)]) == 0
    lines = capsys.readouterr().out.splitlines()
    for f in plain:
        assert f"ok   {f} ({EXAMPLES[f.name][0]})" in lines
    for f in files:
        kind, options = EXAMPLES[f.name]
        if options:
            options = [str(SURVEYS / o) if o.endswith(".yaml") else o for o in options]
            assert main(["validate", str(f), *options]) == 0, f.name
            assert f"ok   {f} ({kind})" in capsys.readouterr().out


def test_jira_and_ms_project_exports_are_histories(tmp_path):
    jira = _csv(tmp_path / "jira.csv", JIRA, [["x"] * len(JIRA)])
    book = openpyxl.Workbook()
    book.active.append(["ID", "Name", "Duration", "Start", "Finish", "% Complete", "Work",
                        "Resource Names", "Outline Level"])  # fmt: skip
    book.active.append([1, "ERP upgrade", "60 days", "2024-01-08", "2024-03-29", "100%", "", "", 1])
    plan = tmp_path / "plan.xlsx"
    book.save(plan)
    assert detect_kind(jira) == "history"
    assert detect_kind(plan) == "history"


def test_a_table_two_kinds_recognise_is_refused_naming_both(tmp_path, capsys):
    both = _csv(tmp_path / "both.csv", ["project_id", "created", "role", "project", "week",
                                        "hours"], [["A-1", "2024-01-08", "dev", "A-1",
                                                    "2024-01-08", "8"]])  # fmt: skip
    assert main(["validate", str(both)]) == 2
    err = capsys.readouterr().err
    assert "both.csv: row 1 (header): the headers fit more than one kind of table" in err
    assert "(history, timesheets)" in err and "--kind history or --kind timesheets" in err
    # Said which, it is read as that: the timesheet reader names the history's columns.
    assert main(["validate", "--kind", "timesheets", str(both)]) == 2
    assert "column 'project_id': not a timesheet column" in capsys.readouterr().err


def test_kind_forces_and_unknown_headers_are_still_responses(tmp_path, capsys):
    odd = _csv(tmp_path / "odd.csv", ["colour", "flavour"], [["red", "sour"]])
    assert detect_kind(odd) == "responses"
    assert main(["validate", str(odd)]) == 2
    assert "no group column 'group' or 'role'" in capsys.readouterr().err
    history = HISTORY / "harbourline_history.csv"
    assert main(["validate", "--kind", "responses", str(history)]) == 2
    assert "column 'project_id': unknown question column" in capsys.readouterr().err


def test_timesheet_people_are_checked_against_the_resource_list_given_with_them(tmp_path, capsys):
    sheets = _csv(tmp_path / "t.csv", ["person", "project", "week", "hours"],
                  [["Ann Lee", "A-1", "2024-01-08", "20"], ["Zed", "A-1", "2024-01-08", "4"],
                   ["Zed", "A-1", "2024-01-15", "4"]])  # fmt: skip
    people = _csv(tmp_path / "r.csv", ["person", "role"], [["Ann Lee", "developer"]])
    assert main(["validate", str(people), str(sheets)]) == 2
    captured = capsys.readouterr()
    assert f"ok   {people} (resources)" in captured.out
    assert "t.csv: row 3, column 'person': person 'Zed' (and 1 more rows) has no role" in (
        captured.err
    )
    assert main(["validate", str(sheets)]) == 2
    err = capsys.readouterr().err
    assert "row 2, column 'person': person 'Ann Lee' and 1 other person need --resources" in err
    assert "pmo-sim validate RESOURCES.csv TIMESHEETS.csv" in err


def test_an_unreadable_table_gets_its_loaders_own_error(tmp_path, capsys):
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"not a workbook")
    assert main(["validate", str(broken)]) == 2
    assert "is it really .xlsx?" in capsys.readouterr().err
    # A history saved in Windows-1252 is still told by its headers; its reader names the byte.
    latin = tmp_path / "h.csv"
    latin.write_bytes("project_id,created,name\nA-1,2024-01-08,Café\n".encode("cp1252"))
    assert detect_kind(latin) == "history"
    assert main(["validate", str(latin)]) == 2
    assert "h.csv: line 2, column 19: the file is not UTF-8 text" in capsys.readouterr().err


def test_every_format_names_functions_that_exist():
    # Loaders and recognisers are named as strings (imported lazily); a move must not strand one.
    for fmt in FORMATS.values():
        for spec in filter(None, (fmt.loader, fmt.recognises)):
            module, func = spec.split(":")
            assert callable(getattr(importlib.import_module(module), func)), fmt.kind


def test_validating_a_questionnaire_imports_no_simulation():
    code = (
        "import sys; from pmo_sim.cli import main; "
        "rc = main(['validate', 'questionnaires/strategic_pmo.yaml']); "
        "print(rc, sorted(m for m in ('simpy', 'scipy') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert out.stdout.strip().splitlines()[-1] == "0 []"


def test_telling_a_table_by_its_header_leaves_scipy_unimported():
    # The history check loads the calibration package; its fitting imports scipy.stats (most
    # of a second) only when something is fitted.
    code = (
        "import sys; from pmo_sim.cli import main; "
        "rc = main(['validate', 'questionnaires/examples/northgate_long.csv', "
        "'scenarios/examples/harbourline_history.csv']); "
        "print(rc, 'scipy' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert out.stdout.strip().splitlines()[-1] == "0 False"


@pytest.mark.parametrize(
    ("header", "kind"),
    [
        (["role", "fte"], "resources"),
        (["Role", "Person", "FTE", "weekly_cost"], "resources"),
        (["role", "fte", "location"], "responses"),  # not only resource columns
        (["role", "project", "week", "hours"], "timesheets"),
        (["person", "project", "week", "hours", "comment"], "timesheets"),
        (["project", "week", "hours"], "responses"),  # neither person nor role
    ],
)
def test_resource_lists_and_timesheets_are_told_by_their_columns(tmp_path, header, kind):
    path = _csv(tmp_path / "t.csv", header, [["1"] * len(header)])
    assert detect_kind(path) == kind
