"""Reading project histories: the canonical format, recognised exports, mapping files, bad rows.

Each export is written here from the tool's documented columns (Jira's CSV
export writes time-tracking fields in seconds and dates as 05/Mar/24 2:13
PM; Microsoft Project's Excel task list has Name, Start, Finish, Work,
Resource Names and Outline Level) and must import without edits.
"""

from __future__ import annotations

import csv
from datetime import datetime
from pathlib import Path

import openpyxl
import pytest

from pmo_sim.calibration import load_history
from pmo_sim.errors import InputError


def _csv(path: Path, header: list[str], rows: list[list[object]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(header)
        writer.writerows(rows)
    return path


CANONICAL = ["Project_ID", "name", "type", "created", "Start", "finish", "status", "effort_unit",
             "actual_effort.developer", "planned_effort.developer"]  # fmt: skip


def test_canonical_history_with_an_open_project_kept_as_censored(tmp_path):
    path = _csv(
        tmp_path / "history.csv",
        CANONICAL,
        [
            ["A-1", "Billing", "Platform", "2024-01-08", "2024-01-15", "2024-04-01", "done",
             "person-days", "60", "50"],
            ["A-2", "CRM", "Platform", "2024-02-05", "2024-02-12", "", "in progress", "hours",
             "400", ""],
            ["A-3", "Old idea", "Platform", "2024-03-04", "", "2024-03-20", "cancelled",
             "person-weeks", "1.5", ""],
        ],
    )  # fmt: skip
    history = load_history(path, as_of=None)
    p = history.projects.set_index("project_id")
    assert list(p["status"]) == ["done", "open", "cancelled"]
    assert set(p["type"]) == {"platform"}
    assert history.as_of.date().isoformat() == "2024-04-01"  # the latest date in the file
    e = history.efforts.set_index("project_id")
    assert e.at["A-1", "actual"] == pytest.approx(12.0)  # 60 person-days / 5
    assert e.at["A-1", "planned"] == pytest.approx(10.0)
    assert e.at["A-2", "actual"] == pytest.approx(10.0)  # 400 hours / 40
    assert bool(e.at["A-2", "censored"]) and not bool(e.at["A-1", "censored"])
    assert any("As-of date" in n for n in history.notes)


def test_bad_rows_are_all_reported_with_row_and_column(tmp_path):
    path = _csv(
        tmp_path / "history.csv",
        CANONICAL,
        [
            ["B-1", "", "x", "2024-01-08", "2024-03-01", "2024-02-01", "done", "hours", "10", ""],
            ["B-2", "", "x", "2024-01-08", "2024-01-09", "2024-02-01", "done", "parsecs", "1", ""],
            ["B-3", "", "x", "2024-01-08", "2024-01-09", "2024-02-01", "done", "hours", "-5", ""],
            ["B-4", "", "x", "2024-13-45", "", "", "open", "hours", "", ""],
        ],
    )
    with pytest.raises(InputError) as err:
        load_history(path)
    where = [p.location for p in err.value.problems]
    assert where == [
        "row 2, column 'finish'",
        "row 3, column 'effort_unit'",
        "row 4, column 'actual_effort.developer'",
        "row 5, column 'created'",
    ]
    assert "finish 2024-02-01 is before start 2024-03-01" in err.value.message
    assert "negative effort (-5)" in err.value.message


def test_undeclared_unit_and_unknown_columns_are_refused_not_guessed(tmp_path):
    path = _csv(tmp_path / "h.csv", ["project_id", "created", "actual_effort", "sponsor"],
                [["C-1", "2024-01-08", "5", "Ann"]])  # fmt: skip
    with pytest.raises(InputError) as err:
        load_history(path)
    text = err.value.message
    assert "column 'sponsor'" in text and "ignore_columns" in text
    assert "effort unit is not declared" in text


def test_a_mapping_file_reads_any_other_export(tmp_path):
    path = _csv(
        tmp_path / "planview.csv",
        ["Ref", "Programme", "Gate 1", "Kick-off", "Go-live", "State", "Hours booked", "RAG"],
        [
            ["PV-1", "Digital", "08/01/2024", "15/01/2024", "01/04/2024", "Closed", "800", "G"],
            ["PV-2", "Digital", "05/02/2024", "12/02/2024", "", "Live", "120", "A"],
        ],
    )
    mapping = tmp_path / "mapping.yaml"
    mapping.write_text(
        "columns: {Ref: project_id, Programme: type, Gate 1: created, Kick-off: start,\n"
        "          Go-live: finish, State: status, Hours booked: actual_effort}\n"
        "values:\n  status: {Closed: done, Live: open}\n"
        "ignore_columns: [RAG]\neffort_unit: hours\ndate_format: '%d/%m/%Y'\n"
        "hours_per_week: 37.5\nas_of: 2024-04-30\n",
        encoding="utf-8",
    )
    history = load_history(path, mapping=mapping)
    assert list(history.projects["status"]) == ["done", "open"]
    assert history.as_of.date().isoformat() == "2024-04-30"
    assert history.efforts["actual"].tolist() == pytest.approx([800 / 37.5, 120 / 37.5])
    assert set(history.efforts["role"]) == {"team"}


def test_a_bad_mapping_file_is_reported_with_its_field_and_line(tmp_path):
    path = _csv(tmp_path / "h.csv", ["project_id", "created"], [["D-1", "2024-01-08"]])
    mapping = tmp_path / "mapping.yaml"
    mapping.write_text("effort_unit: furlongs\nlayout: planview\nhours_per_week: 0\n")
    with pytest.raises(InputError) as err:
        load_history(path, mapping=mapping)
    text = err.value.message
    assert "effort_unit (line 1): unknown unit 'furlongs'" in text
    assert "layout (line 2): unknown layout 'planview'" in text
    assert "hours_per_week (line 3)" in text


JIRA = ["Summary", "Issue key", "Issue id", "Parent id", "Issue Type", "Status", "Project key",
        "Project name", "Priority", "Resolution", "Assignee", "Reporter", "Created", "Updated",
        "Resolved", "Labels", "Original Estimate", "Remaining Estimate", "Time Spent",
        "Status Category", "Custom field (Epic Link)", "Custom field (Epic Name)"]  # fmt: skip


def _jira_row(**cells: str) -> list[str]:
    return [cells.get(h, "") for h in JIRA]


def test_jira_export_epics_become_projects_with_effort_per_role(tmp_path):
    rows = [
        _jira_row(**{"Summary": "Payments revamp", "Issue key": "PAY-1", "Issue id": "10001",
                     "Issue Type": "Epic", "Status": "Done", "Resolution": "Done",
                     "Created": "08/Jan/24 9:15 AM", "Resolved": "28/Mar/24 4:40 PM",
                     "Labels": "platform", "Status Category": "Done"}),
        _jira_row(**{"Summary": "API", "Issue key": "PAY-2", "Issue id": "10002",
                     "Parent id": "10001", "Issue Type": "Story", "Assignee": "Ann Lee",
                     "Created": "15/Jan/24 10:00 AM", "Original Estimate": "288000",
                     "Time Spent": "360000"}),
        _jira_row(**{"Summary": "Screens", "Issue key": "PAY-3", "Issue id": "10003",
                     "Issue Type": "Story", "Assignee": "Raj Patel",
                     "Created": "22/Jan/24 11:30 AM", "Time Spent": "144000",
                     "Custom field (Epic Link)": "PAY-1"}),
        _jira_row(**{"Summary": "Fraud rules", "Issue key": "PAY-4", "Issue id": "10004",
                     "Issue Type": "Epic", "Status": "In Progress", "Created": "05/Feb/24 2:13 PM",
                     "Labels": "platform", "Status Category": "In Progress"}),
        _jira_row(**{"Summary": "Rules engine", "Issue key": "PAY-5", "Issue id": "10005",
                     "Parent id": "10004", "Issue Type": "Task", "Assignee": "Ann Lee",
                     "Created": "12/Feb/24 9:00 AM", "Time Spent": "72000"}),
        _jira_row(**{"Summary": "Loyalty", "Issue key": "PAY-6", "Issue id": "10006",
                     "Issue Type": "Epic", "Status": "Closed", "Resolution": "Won't Do",
                     "Created": "01/Mar/24 8:00 AM", "Resolved": "15/Mar/24 8:00 AM"}),
        _jira_row(**{"Summary": "Stray bug", "Issue key": "PAY-7", "Issue id": "10007",
                     "Issue Type": "Bug", "Created": "02/Mar/24 8:00 AM", "Time Spent": "3600"}),
    ]  # fmt: skip
    path = _csv(tmp_path / "jira.csv", JIRA, rows)
    people = [["Ann Lee", "Developer", "1", "2400"], ["Raj Patel", "Designer", "1", "2000"]]
    resources = _csv(tmp_path / "people.csv", ["person", "role", "fte", "weekly_cost"], people)
    history = load_history(path, resources=resources, as_of=None)
    assert history.layout == "jira"
    p = history.projects.set_index("project_id")
    assert p.loc["PAY-1", "status"] == "done" and p.loc["PAY-4", "status"] == "open"
    assert p.loc["PAY-6", "status"] == "cancelled"
    assert p.loc["PAY-1", "type"] == "platform"
    assert p.loc["PAY-1", "start"].date().isoformat() == "2024-01-15"  # first child raised
    e = history.efforts.set_index(["project_id", "role"])
    assert e.loc[("PAY-1", "developer"), "actual"] == pytest.approx(2.5)  # 360000 s = 100 h
    assert e.loc[("PAY-1", "developer"), "planned"] == pytest.approx(2.0)
    assert e.loc[("PAY-1", "designer"), "actual"] == pytest.approx(1.0)
    assert bool(e.loc[("PAY-4", "developer"), "censored"])
    assert any("1 issues belong to no epic" in n for n in history.notes)


def test_ms_project_task_list_in_excel_imports_without_edits(tmp_path):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Task_Table1"
    sheet.append(["ID", "Name", "Duration", "Start", "Finish", "% Complete", "Work",
                  "Resource Names", "Outline Level"])  # fmt: skip
    d = datetime
    sheet.append([1, "ERP upgrade", "60 days", d(2024, 1, 8, 8), d(2024, 3, 29, 17), "100%",
                  "0 hrs", "", 1])  # fmt: skip
    sheet.append([2, "Design", "10 days", d(2024, 1, 8, 8), d(2024, 1, 19, 17), "100%",
                  "120 hrs", "Ann Lee", 2])  # fmt: skip
    sheet.append([3, "Build", "50 days", d(2024, 1, 22, 8), d(2024, 3, 29, 17), "100%",
                  "", "", 2])  # fmt: skip
    sheet.append([4, "Code", "40 days", d(2024, 1, 22, 8), d(2024, 3, 15, 17), "100%",
                  "15 days", "Ann Lee, Bo Chen[50%]", 3])  # fmt: skip
    sheet.append([5, "Data migration", "30 days", d(2024, 2, 5, 8), d(2024, 4, 30, 17), "40%",
                  "0 hrs", "", 1])  # fmt: skip
    sheet.append([6, "Mapping", "30 days", d(2024, 2, 5, 8), d(2024, 4, 30, 17), "40%",
                  "2 wks", "Bo Chen", 2])  # fmt: skip
    path = tmp_path / "portfolio.xlsx"
    book.save(path)
    history = load_history(path)
    assert history.layout == "msproject"
    p = history.projects.set_index("project_id")
    assert list(p["status"]) == ["done", "open"]
    assert p.loc["1", "finish"].date().isoformat() == "2024-03-29"
    assert p.loc["5", "start"].date().isoformat() == "2024-02-05"
    e = history.efforts.set_index(["project_id", "phase", "role"])
    # The ERP upgrade groups its tasks under Design and Build: those are its phases.
    assert e.loc[("1", "design", "ann_lee"), "actual"] == pytest.approx(3.0)  # 120 hrs
    assert e.loc[("1", "build", "ann_lee"), "actual"] == pytest.approx(1.5)  # half of 15 days
    assert e.loc[("1", "build", "bo_chen"), "actual"] == pytest.approx(1.5)
    # The migration has no summary tasks under it: one phase.
    assert e.loc[("5", "delivery", "bo_chen"), "actual"] == pytest.approx(2.0)
    assert bool(e.loc[("5", "delivery", "bo_chen"), "censored"])


def test_timesheets_naming_people_need_the_resource_list(tmp_path):
    path = _csv(tmp_path / "h.csv", CANONICAL,
                [["E-1", "", "x", "2024-01-08", "2024-01-08", "2024-02-05", "done", "hours", "80",
                  ""]])  # fmt: skip
    bookings = [["Ann Lee", "E-1", "2024-01-08", "20"], ["Zed", "E-1", "2024-01-08", "-3"]]
    sheets = _csv(tmp_path / "t.csv", ["person", "project", "week", "hours"], bookings)
    people = _csv(tmp_path / "r.csv", ["person", "role", "fte"], [["Ann Lee", "developer", "1"]])
    with pytest.raises(InputError) as err:
        load_history(path, timesheets=sheets, resources=people)
    assert [p.location for p in err.value.problems] == ["row 3, column 'person'"]
    assert "'Zed' has no role in the resource list" in err.value.message


def test_phases_from_ms_project_task_groups_become_scenario_phases(tmp_path):
    from pmo_sim.calibration import calibrate

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["ID", "Name", "Start", "Finish", "% Complete", "Work", "Resource Names",
                  "Outline Level"])  # fmt: skip
    for k in range(6):
        start = datetime(2024, 1, 8) + (datetime(2024, 2, 5) - datetime(2024, 1, 8)) * k
        finish = start + (datetime(2024, 4, 1) - datetime(2024, 1, 8))
        sheet.append([10 * k, f"Project {k}", start, finish, "100%", "", "", 1])
        sheet.append([10 * k + 1, "Design", start, start, "100%", "", "", 2])
        sheet.append([10 * k + 2, "Specs", start, start, "100%", f"{80 + 8 * k} hrs", "Ann", 3])
        sheet.append([10 * k + 3, "Build", start, finish, "100%", "", "", 2])
        sheet.append([10 * k + 4, "Code", start, finish, "100%", f"{300 + 20 * k} hrs", "Bo", 3])
    path = tmp_path / "plan.xlsx"
    book.save(path)
    fitted = calibrate(load_history(path))
    phases = fitted.data["project_types"]["project"]["phases"]
    assert [p["name"] for p in phases] == ["design", "build"]  # the order of the plan
    assert [d["role"] for p in phases for d in p["demands"]] == ["ann", "bo"]
    assert fitted.scenario.project_types["project"].phases[1].name == "build"


def test_validate_checks_a_history_file(tmp_path, cli):
    path = _csv(tmp_path / "h.csv", CANONICAL,
                [["F-1", "", "x", "2024-01-08", "2024-03-01", "2024-02-01", "done", "hours", "8",
                  ""]])  # fmt: skip
    run = cli("validate", "--kind", "history", path)
    assert run.returncode == 2 and "row 2, column 'finish'" in run.stderr


def test_a_history_of_a_few_days_is_refused(tmp_path):
    path = _csv(tmp_path / "h.csv", ["project_id", "created"], [["G-1", "2024-01-08"]])
    with pytest.raises(InputError, match=r"covers 0\.0 weeks"):
        load_history(path)
