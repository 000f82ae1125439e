"""Survey tools' exports of the bundled questionnaire, scored exactly as by hand.

The exports in ``questionnaires/examples/corvel_*`` are one client's answers
(``corvel_truth.csv``) written as each tool writes them. Expected dimension
scores are worked out here from the truth with plain arithmetic (weighted
mean per respondent, mean per group, mean of groups), not by the scorer.
"""

from __future__ import annotations

import csv
import math
from collections import defaultdict
from pathlib import Path

import pytest
import yaml

from pmo_sim.assessment import load_questionnaire, load_responses, score_responses
from pmo_sim.assessment.profile import SurveyProfile
from pmo_sim.cli import main as cli_main
from pmo_sim.errors import InputError

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "questionnaires" / "examples"
QUESTIONNAIRE = load_questionnaire()

#: export -> (mapping file, --group-column)
EXPORTS = {
    "corvel_microsoft_forms.xlsx": (None, "Which group are you in?"),
    "corvel_google_forms.csv": (None, None),
    "corvel_surveymonkey.csv": ("corvel_surveymonkey_mapping.yaml", None),
    "corvel_qualtrics.csv": (None, "Q_role"),
    "corvel_qualtrics_numeric.tsv": ("corvel_qualtrics_mapping.yaml", None),
    "corvel_limesurvey.csv": ("corvel_limesurvey_mapping.yaml", None),
    "corvel_excel_semicolon.csv": (None, None),
    "corvel_excel_unicode.txt": (None, None),
}
LAYOUT = {
    "corvel_microsoft_forms.xlsx": "microsoft_forms",
    "corvel_google_forms.csv": "google_forms",
    "corvel_surveymonkey.csv": "surveymonkey",
    "corvel_qualtrics.csv": "qualtrics",
    "corvel_qualtrics_numeric.tsv": "qualtrics",
    "corvel_limesurvey.csv": "limesurvey",
    "corvel_excel_semicolon.csv": "wide",
    "corvel_excel_unicode.txt": "google_forms",
}


def hand_scores() -> dict[str, float]:
    """Dimension scores from corvel_truth.csv, by the rules of docs/scoring.md, by hand."""
    doc = yaml.safe_load((ROOT / "questionnaires" / "strategic_pmo.yaml").read_text())
    weight, dimension = {}, {}
    for dim in doc["dimensions"]:
        for q in dim["questions"]:
            weight[q["id"]] = float(q.get("weight", 1))
            dimension[q["id"]] = dim["id"]
    sums: dict[tuple[str, str], list[float]] = defaultdict(lambda: [0.0, 0.0])
    group_of = {}
    with open(EXAMPLES / "corvel_truth.csv", newline="") as fh:
        for row in csv.DictReader(fh):
            if not row["level"]:
                continue
            key = (row["respondent"], dimension[row["question"]])
            sums[key][0] += weight[row["question"]] * float(row["level"])
            sums[key][1] += weight[row["question"]]
            group_of[row["respondent"]] = row["group"]
    per_group: dict[tuple[str, str], list[float]] = defaultdict(list)
    for (who, dim), (total, w) in sums.items():
        per_group[(group_of[who], dim)].append(total / w)
    per_dim: dict[str, list[float]] = defaultdict(list)
    for (_, dim), scores in per_group.items():
        per_dim[dim].append(sum(scores) / len(scores))
    return {dim: sum(means) / len(means) for dim, means in per_dim.items()}


HAND = hand_scores()


def load(name: str, **overrides):
    mapping, group_column = EXPORTS[name]
    options = {
        "group_column": group_column,
        "mapping": EXAMPLES / mapping if mapping else None,
        **overrides,
    }
    return load_responses(EXAMPLES / name, QUESTIONNAIRE, **options)


@pytest.mark.parametrize("name", list(EXPORTS))
def test_each_export_scores_as_the_hand_computation(name):
    responses = load(name)
    assert responses.layout == LAYOUT[name]
    result = score_responses(responses, QUESTIONNAIRE, n_boot=100)
    got = result.dimensions.set_index("dimension")["score"]
    assert set(got.index) == set(HAND)
    for dim, expected in HAND.items():
        assert got[dim] == pytest.approx(expected, abs=1e-9), dim
    groups = responses.answers.drop_duplicates("respondent")["group"].value_counts().to_dict()
    assert groups == {"executive": 2, "pmo": 2, "project_manager": 3, "functional_manager": 1}
    assert responses.assessed_on == "2025-03-17" or name == "corvel_excel_semicolon.csv"


def test_a_hand_check_of_one_dimension():
    # Independent of hand_scores(): alignment from the truth file, AL2 weighs 2.
    levels = defaultdict(dict)
    with open(EXAMPLES / "corvel_truth.csv", newline="") as fh:
        for row in csv.DictReader(fh):
            if row["question"] in {"AL1", "AL2", "AL3", "AL4"} and row["level"]:
                levels[(row["group"], row["respondent"])][row["question"]] = float(row["level"])
    weights = {"AL1": 1, "AL2": 2, "AL3": 1, "AL4": 1}
    by_group = defaultdict(list)
    for (group, _), answers in levels.items():
        w = sum(weights[q] for q in answers)
        by_group[group].append(sum(weights[q] * v for q, v in answers.items()) / w)
    expected = sum(sum(v) / len(v) for v in by_group.values()) / len(by_group)
    assert HAND["alignment"] == pytest.approx(expected)


def test_qualtrics_numeric_codes_are_refused_without_a_declared_coding():
    with pytest.raises(InputError) as caught:
        load("corvel_qualtrics_numeric.tsv", mapping=None, group_column="Q_role")
    message = str(caught.value)
    assert "Qualtrics choice codes (1..4)" in message
    assert "codes: {first_level: 1}" in message


def test_reading_qualtrics_codes_as_levels_would_put_every_dimension_one_higher():
    # The silent misreading the refusal prevents: first_level 0 shifts every score by exactly 1.
    profile = SurveyProfile(
        group_column="Q_role",
        groups={"1": "executive", "2": "pmo", "3": "project_manager", "4": "functional_manager"},
        codes={"first_level": 0},
    )
    wrong = score_responses(
        load("corvel_qualtrics_numeric.tsv", mapping=profile), QUESTIONNAIRE, n_boot=100
    )
    for dim, score in wrong.dimensions.set_index("dimension")["score"].items():
        assert score == pytest.approx(HAND[dim] + 1)


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_numbers_1_to_4_without_a_0_are_refused_as_ambiguous(tmp_path):
    al1 = QUESTIONNAIRE.questions["AL1"].text
    path = write(
        tmp_path,
        "export.csv",
        f'Timestamp,Role,"{al1}"\n2025/03/18 9:41:22 AM GMT+1,Exec,2\n2025/03/18,PMO,4\n',
    )
    with pytest.raises(InputError) as caught:
        load_responses(path, QUESTIONNAIRE)
    message = str(caught.value)
    assert "no answer is 0" in message and "levels 2-4" in message and "levels 1-3" in message
    one = load_responses(path, QUESTIONNAIRE, mapping=SurveyProfile(codes={"first_level": 1}))
    assert sorted(one.answers["level"]) == [1.0, 3.0]
    zero = load_responses(path, QUESTIONNAIRE, mapping=SurveyProfile(codes={"first_level": 0}))
    assert sorted(zero.answers["level"]) == [2.0, 4.0]


def test_a_zero_makes_counting_from_zero_certain(tmp_path):
    al1 = QUESTIONNAIRE.questions["AL1"].text
    path = write(tmp_path, "export.csv", f'Timestamp,Role,"{al1}"\n1,Exec,0\n2,PMO,4\n')
    got = load_responses(path, QUESTIONNAIRE)
    assert sorted(got.answers["level"]) == [0.0, 4.0]
    assert "a 0 appears at row 2" in got.inspection.coding


def test_codes_past_5_are_refused_and_a_table_reads_them(tmp_path):
    al1 = QUESTIONNAIRE.questions["AL1"].text
    path = write(tmp_path, "export.csv", f'Timestamp,Role,"{al1}"\n1,Exec,6\n2,PMO,10\n')
    with pytest.raises(InputError, match="run past 5"):
        load_responses(path, QUESTIONNAIRE)
    table = SurveyProfile(codes={"6": 0, "7": 1, "8": 2, "9": 3, "10": 4})
    assert sorted(load_responses(path, QUESTIONNAIRE, mapping=table).answers["level"]) == [0, 4]


def test_limesurvey_answer_codes_need_a_coding_and_comments_are_kept():
    with pytest.raises(InputError, match=r"A1\.\.A4"):
        load("corvel_limesurvey.csv", mapping=SurveyProfile(groups={"A1": "executive"}))
    got = load("corvel_limesurvey.csv").answers.set_index(["respondent", "question"])
    assert got.loc[("3", "AL2"), "comment"] == "Charter signed, not yet used"


def test_surveymonkey_other_text_is_the_group_and_unknown_labels_are_warned_about():
    plain = load("corvel_surveymonkey.csv", mapping=None, group_column="What is your role?")
    groups = plain.answers.drop_duplicates("respondent")["group"].tolist()
    assert "CIO" in groups
    warning = next(w for w in plain.warnings if "match none of the five standard groups" in w)
    assert "'CIO' (1 respondent)" in warning
    assert "groups:" in warning and '"CIO": "CIO"   # 1 respondent' in warning
    assert plain.inspection.unknown_groups[0].label == "CIO"


def test_google_forms_other_text_is_not_scored_but_kept_as_a_comment():
    got = load("corvel_google_forms.csv")
    rows = got.answers[got.answers["comment"] == "We do not really balance anything"]
    assert (
        len(rows) == 1 and math.isnan(rows["level"].iloc[0]) and rows["question"].iloc[0] == "PF3"
    )
    assert any("'Other' free text are not scored" in w for w in got.warnings)


def test_a_grid_value_is_read_by_its_tier_name():
    got = load("corvel_google_forms.csv").answers
    truth = {}
    with open(EXAMPLES / "corvel_truth.csv", newline="") as fh:
        for row in csv.DictReader(fh):
            if row["question"] == "AL1":
                truth[row["respondent"]] = float(row["level"]) if row["level"] else None
    al1 = got[got["question"] == "AL1"]["level"].tolist()
    assert [None if math.isnan(v) else v for v in al1] == list(truth.values())


def test_qualtrics_preview_rows_are_skipped_and_metadata_ignored():
    got = load("corvel_qualtrics.csv")
    inspection = got.inspection
    assert inspection.header_rows == [1, 2, 3]
    assert [s.reason for s in inspection.skipped] == ["Qualtrics status 'Survey Preview'"]
    assert {"StartDate", "IPAddress", "Duration (in seconds)", "UserLanguage"} <= set(
        inspection.metadata_columns
    )
    # named by export tag or by question text: the same column
    by_text = load("corvel_qualtrics.csv", group_column="Which group are you in?")
    assert by_text.answers.equals(got.answers)


def test_mapping_questions_name_columns_the_kit_cannot_match(tmp_path):
    option = QUESTIONNAIRE.questions["AL4"].options[0]
    path = write(tmp_path, "export.csv", f'Timestamp,Role,Q7\n1,Exec,"{option}"\n')
    with pytest.raises(InputError, match="unknown question column"):
        load_responses(path, QUESTIONNAIRE)
    got = load_responses(path, QUESTIONNAIRE, mapping=SurveyProfile(questions={"Q7": "AL4"}))
    assert got.answers[["question", "level"]].values.tolist() == [["AL4", 0.0]]
    assert got.inspection.columns[2].matched_by == "mapping"


def test_groups_null_leaves_respondents_out_and_ignore_columns_skips(tmp_path):
    al1 = QUESTIONNAIRE.questions["AL1"]
    path = write(
        tmp_path,
        "export.csv",
        f'Timestamp,Which group are you in?,Department,"{al1.text}"\n'
        f'1,CIO,IT,"{al1.options[3]}"\n2,Prefer not to say,HR,"{al1.options[1]}"\n'
        f"3,project mgr,Ops,Don’t know\n",
    )
    profile = SurveyProfile(
        group_column="Which group are you in?",
        groups={"CIO": "executive", "Prefer not to say": None, "project mgr": "project_manager"},
        ignore_columns=["Department"],
        not_answered=["Don't know"],
    )
    got = load_responses(path, QUESTIONNAIRE, mapping=profile)
    assert got.answers["group"].tolist() == ["executive", "project_manager"]
    assert got.answers["level"].tolist()[0] == 3.0 and math.isnan(got.answers["level"].iloc[1])
    roles = {c.header: c.role for c in got.inspection.columns}
    assert roles["Department"] == "ignored" and roles["Timestamp"] == "date"


def test_the_count_is_the_true_count_when_the_list_is_cut(tmp_path):
    rows = "".join(f"r{i},pmo,9\n" for i in range(70))
    path = write(tmp_path, "w.csv", "respondent,group,AL1\n" + rows)
    with pytest.raises(InputError) as caught:
        load_responses(path, QUESTIONNAIRE)
    message = str(caught.value)
    assert message.splitlines()[0].endswith(": 70 problems")
    assert "... and 20 more problems" in message


def test_assess_says_which_layout_and_which_metadata(capsys):
    name = "corvel_qualtrics.csv"
    code = cli_main(
        ["assess", str(EXAMPLES / name), "--group-column", "Q_role", "--resamples", "100"]
    )
    out = capsys.readouterr().out
    assert code == 0
    assert "read as Qualtrics: header rows 1, 2, 3" in out
    assert "ignored as Qualtrics metadata: StartDate, EndDate, Status" in out


def test_inspect_shows_columns_groups_coding_and_skipped_rows(capsys):
    path = EXAMPLES / "corvel_qualtrics_numeric.tsv"
    mapping = EXAMPLES / "corvel_qualtrics_mapping.yaml"
    assert cli_main(["inspect", str(path), "--mapping", str(mapping)]) == 0
    out = capsys.readouterr().out
    assert "layout:      Qualtrics" in out and "UTF-16" in out and "tab separated" in out
    assert "Q2" in out and "question AL1" in out
    assert "codes count from 1" in out
    assert "row 4: Qualtrics status '1'" in out
    assert "-> executive  (mapping)" in out
    # without the mapping: the same listing, the refusal among the problems, exit 2
    assert cli_main(["inspect", str(path), "--group-column", "Q_role"]) == 2
    out = capsys.readouterr().out
    assert "Qualtrics choice codes" in out and "matches no standard group" in out


def test_validate_takes_the_same_options_and_says_the_same(capsys):
    path = EXAMPLES / "corvel_surveymonkey.csv"
    mapping = EXAMPLES / "corvel_surveymonkey_mapping.yaml"
    assert cli_main(["validate", str(path), "--mapping", str(mapping)]) == 0
    out = capsys.readouterr().out
    assert "ok   " in out and "read as SurveyMonkey: header rows 1, 2" in out
    assert cli_main(["validate", str(path), "--group-column", "What is your role?"]) == 0
    assert "'CIO' (1 respondent)" in capsys.readouterr().out


def test_the_survey_exports_are_reproducible_from_their_script(tmp_path):
    import runpy

    script = runpy.run_path(str(EXAMPLES / "make_survey_exports.py"), run_name="exports")
    answers = script["truth"](QUESTIONNAIRE)
    with open(EXAMPLES / "corvel_truth.csv", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert [r["level"] for r in rows] == ["" if v != v else str(v) for v in answers["level"]]


def test_qualtrics_other_text_and_matrix_rows_are_found(tmp_path):
    al1, al2 = QUESTIONNAIRE.questions["AL1"], QUESTIONNAIRE.questions["AL2"]
    rows = [
        ["StartDate", "ResponseId", "Q1", "Q2_1", "Q3", "Q3_5_TEXT"],
        ["Start Date", "Response ID", "Role", f"Alignment - {al1.text}", al2.text,
         f"{al2.text} - Other - Text"],
        ['{"ImportId":"startDate"}', '{"ImportId":"_recordId"}', '{"ImportId":"QID1"}',
         '{"ImportId":"QID2_1"}', '{"ImportId":"QID3"}', '{"ImportId":"QID3_5_TEXT"}'],
        ["2025-03-18 09:00:00", "R_a", "PMO", al1.options[2], "", "only for big projects"],
        ["2025-03-18 10:00:00", "R_b", "Exec", al1.options[0], al2.options[4], ""],
    ]  # fmt: skip
    path = tmp_path / "qualtrics.csv"
    with open(path, "w", newline="", encoding="utf-8") as fh:
        csv.writer(fh).writerows(rows)
    got = load_responses(path, QUESTIONNAIRE, group_column="Role")
    found = got.answers.set_index(["respondent", "question"])
    assert found.loc[("R_a", "AL1"), "level"] == 2 and found.loc[("R_b", "AL2"), "level"] == 4
    assert math.isnan(found.loc[("R_a", "AL2"), "level"])
    assert found.loc[("R_a", "AL2"), "comment"] == "only for big projects"
    roles = {c.header: (c.role, c.question) for c in got.inspection.columns}
    assert roles["Q3_5_TEXT"] == ("other", "AL2") and roles["Q2_1"] == ("question", "AL1")


def test_surveymonkey_matrix_rows_are_found_by_their_row_text(tmp_path):
    al1, al2 = QUESTIONNAIRE.questions["AL1"], QUESTIONNAIRE.questions["AL2"]
    rows = [
        ["Respondent ID", "Collector ID", "Role", "Alignment", ""],
        ["", "", "Response", al1.text, al2.text],
        ["1", "9", "PMO", al1.options[1], al2.options[3]],
    ]
    path = tmp_path / "monkey.csv"
    with open(path, "w", newline="", encoding="utf-8") as fh:
        csv.writer(fh).writerows(rows)
    got = load_responses(path, QUESTIONNAIRE)
    assert got.layout == "surveymonkey"
    assert got.answers[["question", "level"]].values.tolist() == [["AL1", 1.0], ["AL2", 3.0]]


def test_a_surveymonkey_xlsx_reads_as_its_csv(tmp_path):
    from openpyxl import Workbook

    with open(EXAMPLES / "corvel_surveymonkey.csv", newline="", encoding="utf-8-sig") as fh:
        rows = list(csv.reader(fh))
    book = Workbook()
    for row in rows:
        book.active.append([int(c) if c.isdigit() and len(c) < 15 else c for c in row])
    book.save(tmp_path / "monkey.xlsx")
    mapping = EXAMPLES / "corvel_surveymonkey_mapping.yaml"
    from_xlsx = load_responses(tmp_path / "monkey.xlsx", QUESTIONNAIRE, mapping=mapping)
    assert from_xlsx.layout == "surveymonkey"
    assert from_xlsx.answers.equals(load("corvel_surveymonkey.csv").answers)


def test_a_report_engagement_reads_the_export_with_its_mapping_before_any_kernel():
    from pmo_sim.reporting.kinds import AssessmentEngagement

    base = {"kind": "assessment", "client": "Corvel Utilities"}
    export = EXAMPLES / "corvel_qualtrics_numeric.tsv"
    refused = AssessmentEngagement(**base, responses=export, group_column="Q_role")
    with pytest.raises(InputError, match="Qualtrics choice codes"):
        refused.read_inputs()
    mapped = AssessmentEngagement(
        **base, responses=export, mapping=EXAMPLES / "corvel_qualtrics_mapping.yaml"
    )
    mapped.read_inputs()
    assert mapped.parameters()["mapping"].endswith("corvel_qualtrics_mapping.yaml")


@pytest.mark.parametrize("cell", ["2.5", "2,5", "0.5"])
def test_a_fraction_is_never_read_as_a_level_or_a_labelled_value(tmp_path, cell):
    path = write(tmp_path, "w.csv", f'respondent;group;AL1\nr1;pmo;"{cell}"\n')
    with pytest.raises(InputError, match=r"row 2, column 'AL1': .*outside the scale 0-4"):
        load_responses(path, QUESTIONNAIRE)


def test_the_mapping_can_name_the_layout_of_a_file_that_cannot_be_recognised(tmp_path):
    al1 = QUESTIONNAIRE.questions["AL1"]
    path = write(tmp_path, "cut.csv", f'Q_role,Q2\nRole,"{al1.text}"\nPMO,"{al1.options[2]}"\n')
    with pytest.raises(InputError, match="'Q2': unknown question column"):
        load_responses(path, QUESTIONNAIRE, group_column="Q_role")
    profile = SurveyProfile(layout="qualtrics", group_column="Q_role")
    got = load_responses(path, QUESTIONNAIRE, mapping=profile)
    assert got.layout == "qualtrics" and got.answers["level"].tolist() == [2.0]
