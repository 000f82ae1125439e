"""Workbooks: each report's tables as Excel sheets a PMO can keep working in, read back.

The sheets hold the same cells as the tidy CSVs the CLI writes; each is an
Excel table with a frozen header, number formats and colour scales; text
from inputs is a string cell (a comment starting with ``=`` is no formula);
the same results give the same bytes.
"""

# ruff: noqa: F811 (fixtures imported from tests.deliverable_fixtures)
from __future__ import annotations

import io
import math
import zipfile

import pandas as pd
import pytest
from openpyxl import load_workbook

from pmo_sim.presentation import mean_interval
from pmo_sim.reporting.sheets import (
    ROADMAP_CLIENT_COLUMNS,
    assessment_workbook,
    business_case_workbook,
    capacity_workbook,
)
from tests.deliverable_fixtures import (  # noqa: F401
    HOSTILE_CLIENT,
    HOSTILE_COMMENT,
    assessment,
    business_case,
    capacity_results,
    hostile_responses,
)


def _frame(data: bytes, sheet: str) -> pd.DataFrame:
    return pd.read_excel(io.BytesIO(data), sheet_name=sheet, engine="openpyxl")


def _same(sheet: pd.DataFrame, csv_text: str) -> None:
    expected = pd.read_csv(io.StringIO(csv_text))
    assert list(sheet.columns) == list(expected.columns)
    assert len(sheet) == len(expected)
    for column in expected.columns:
        got, want = sheet[column], expected[column]
        if pd.api.types.is_numeric_dtype(want) and not pd.api.types.is_bool_dtype(want):
            assert got.astype(float).tolist() == pytest.approx(
                want.astype(float).tolist(), nan_ok=True
            ), column
        else:
            assert got.fillna("").astype(str).tolist() == want.fillna("").astype(str).tolist(), (
                column
            )


@pytest.fixture(scope="module")
def assessment_xlsx(assessment):
    return assessment_workbook(assessment)


def test_assessment_sheets_equal_the_tidy_csvs(tmp_path, assessment, assessment_xlsx):
    import json

    from pmo_sim.cli.assess import write_outputs

    write_outputs(tmp_path, assessment, json.dumps(assessment.to_dict()))
    book = load_workbook(io.BytesIO(assessment_xlsx))
    assert book.sheetnames == [
        "summary", "dimensions", "groups", "questions", "question_groups", "perception_gaps",
        "roadmap", "comments", "trend",
    ]  # fmt: skip
    for name in (
        "dimensions",
        "groups",
        "questions",
        "question_groups",
        "perception_gaps",
        "trend",
    ):
        _same(_frame(assessment_xlsx, name), (tmp_path / f"{name}.csv").read_text(encoding="utf-8"))
    roadmap = _frame(assessment_xlsx, "roadmap")
    assert list(roadmap.columns[-3:]) == list(ROADMAP_CLIENT_COLUMNS)
    assert roadmap[list(ROADMAP_CLIENT_COLUMNS)].isna().all().all()  # left for the client
    _same(
        roadmap.drop(columns=list(ROADMAP_CLIENT_COLUMNS)), (tmp_path / "roadmap.csv").read_text()
    )
    summary = dict(book["summary"].iter_rows(min_row=2, values_only=True))
    assert summary["tier"] == assessment.tier
    assert summary["maturity index"] == pytest.approx(assessment.index, abs=1e-6)


def test_sheets_are_tables_with_frozen_headers_formats_and_colour_scales(assessment_xlsx):
    book = load_workbook(io.BytesIO(assessment_xlsx))
    for ws in book.worksheets:
        assert ws.freeze_panes == "A2", ws.title
        [table] = ws.tables.values()
        assert table.ref == f"A1:{ws.cell(1, ws.max_column).column_letter}{ws.max_row}", ws.title
        assert [c.name for c in table.tableColumns] == [c.value for c in ws[1]]
    dims = book["dimensions"]
    header = [c.value for c in dims[1]]
    score = dims.cell(2, header.index("score") + 1)
    assert score.number_format == "0.00"
    assert isinstance(score.value, float)
    [rule_range] = [str(r.sqref) for r in dims.conditional_formatting if "D" in str(r.sqref)]
    assert rule_range == f"D2:D{dims.max_row}"
    rule = next(iter(dims.conditional_formatting)).rules[0]
    assert rule.type == "colorScale"
    assert [v.val for v in rule.colorScale.cfvo] == [0, 2, 4]


def test_hostile_text_stays_text(assessment_xlsx):
    book = load_workbook(io.BytesIO(assessment_xlsx))
    client = book["summary"]["B2"]
    assert (client.value, client.data_type) == (HOSTILE_CLIENT, "s")
    comments = book["comments"]
    header = [c.value for c in comments[1]]
    cell = next(
        row[header.index("comment")]
        for row in comments.iter_rows(min_row=2)
        if row[header.index("comment")].value == HOSTILE_COMMENT
    )
    assert cell.data_type == "s"
    with zipfile.ZipFile(io.BytesIO(assessment_xlsx)) as archive:
        for name in archive.namelist():
            if name.startswith("xl/worksheets/"):
                assert b"<f>" not in archive.read(name), name  # no formula anywhere


def test_capacity_workbook_holds_summary_weekly_utilisation_and_projects(capacity_results):
    data = capacity_workbook(capacity_results, "Acme")
    assert load_workbook(io.BytesIO(data), read_only=True).sheetnames == [
        "summary", "comparison", "weekly_utilisation", "projects",
    ]  # fmt: skip
    summary = _frame(data, "summary")
    expected = pd.concat(
        [r.summary().assign(scenario=n) for n, r in capacity_results.items()], ignore_index=True
    )
    assert summary["mean"].tolist() == pytest.approx(expected["mean"].tolist(), nan_ok=True)
    projects = _frame(data, "projects")
    assert len(projects) == sum(len(r.projects) for r in capacity_results.values())
    # one cell of weekly utilisation, worked out on its own: mean and t interval over replications
    weekly = _frame(data, "weekly_utilisation")
    name, result = next(iter(capacity_results.items()))
    raw = result.weekly_roles
    cell = raw[(raw["week"] == 60) & (raw["role"] == "developer")]["utilisation"]
    mean, low, high, _, _ = mean_interval(cell.to_numpy())
    row = weekly[
        (weekly["scenario"] == name) & (weekly["week"] == 60) & (weekly["role"] == "developer")
    ]
    assert row[["utilisation", "low", "high"]].iloc[0].tolist() == pytest.approx([mean, low, high])
    assert math.isclose(mean, cell.sum() / len(cell))


def test_business_case_workbook_equals_its_csv_and_assumptions(business_case):
    data = business_case_workbook(business_case)
    frames = [_frame(data, s) for s in ("headline", "objectives", "utilisation")]
    csv_text = pd.concat(
        [business_case.headline(), business_case.by_objective(), business_case.utilisation()],
        ignore_index=True,
    ).to_csv(index=False)  # what `pmo-sim business-case --out` writes
    _same(pd.concat(frames, ignore_index=True), csv_text)
    assert _frame(data, "assumptions")["assumption"].tolist() == business_case.assumptions()
    practices = _frame(data, "practices")
    assert practices["practice"].tolist() == business_case.practice_table()["practice"].tolist()


def test_same_results_same_workbook_bytes(assessment, assessment_xlsx):
    assert assessment_workbook(assessment) == assessment_xlsx
