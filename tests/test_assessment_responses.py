"""Importing survey answers: long and wide layouts, groups, and every bad-input case."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from pmo_sim.assessment import load_questionnaire, load_responses
from pmo_sim.assessment.profile import SurveyProfile
from pmo_sim.cli import main as cli_main
from pmo_sim.errors import InputError

QUESTIONNAIRE = load_questionnaire()
AL3 = QUESTIONNAIRE.questions["AL3"]


def write(tmp_path, name: str, text: str):
    path = tmp_path / name
    path.write_text(text)
    return path


def levels(responses) -> dict[tuple[str, str], float]:
    frame = responses.answers
    return {
        (r, q): lvl for r, q, lvl in zip(frame.respondent, frame.question, frame.level, strict=True)
    }


def test_long_and_wide_files_give_the_same_answers(tmp_path):
    long = write(
        tmp_path,
        "long.csv",
        "respondent,group,question,answer,comment\n"
        "a,executive,AL1,3,\n"
        "a,executive,AL3,n/a,not sure\n"
        "b,pmo,AL1,1,\n"
        "b,pmo,AL3,,\n",
    )
    wide = write(
        tmp_path,
        "wide.csv",
        "respondent,group,AL1,AL3,AL3 comment\na,executive,3,n/a,not sure\nb,pmo,1,,\n",
    )
    from_long, from_wide = load_responses(long), load_responses(wide)
    assert from_long.layout == "long" and from_wide.layout == "wide"
    for got in (from_long, from_wide):
        found = levels(got)
        assert found[("a", "AL1")] == 3.0 and found[("b", "AL1")] == 1.0
        assert math.isnan(found[("a", "AL3")]) and math.isnan(found[("b", "AL3")])
        comments = got.answers.set_index(["respondent", "question"])["comment"]
        assert comments["a", "AL3"] == "not sure"


def test_answers_may_be_option_texts_and_headers_question_texts(tmp_path):
    option = AL3.options[2]
    table = pd.DataFrame(
        {"Respondent ID": ["x", "y"], "Role": ["Project Managers", "Board"],
         AL3.text: [f"  {option.upper()} ", "4.0"]}
    )  # fmt: skip
    table.to_excel(tmp_path / "export.xlsx", index=False)
    # A lone number in a column headed by question text could be a tool's code: declared here.
    got = load_responses(tmp_path / "export.xlsx", mapping=SurveyProfile(codes={"first_level": 0}))
    assert levels(got) == {("x", "AL3"): 2.0, ("y", "AL3"): 4.0}
    # groups fold onto the standard names where they match, and are kept otherwise
    assert list(got.answers["group"]) == ["project_manager", "Board"]


def test_client_and_date_come_from_the_file_or_the_arguments(tmp_path):
    path = write(
        tmp_path,
        "w.csv",
        "respondent,group,client,date,AL1\na,pmo,Acme,2025-03-01,2\nb,pm,Acme,,1\n",
    )
    got = load_responses(path)
    assert (got.client, got.assessed_on) == ("Acme", "2025-03-01")
    got = load_responses(path, client="Other", assessed_on="2024-12-31")
    assert (got.client, got.assessed_on) == ("Other", "2024-12-31")


def test_the_group_column_name_is_configurable(tmp_path):
    path = write(tmp_path, "w.csv", "respondent,Stakeholder,AL1\na,Executives,2\n")
    got = load_responses(path, group_column="Stakeholder")
    assert list(got.answers["group"]) == ["executive"]


def test_wide_file_without_respondent_ids_names_them_by_row(tmp_path):
    got = load_responses(write(tmp_path, "w.csv", "group,AL1\npmo,2\npmo,3\n"))
    assert list(got.answers["respondent"]) == ["row 2", "row 3"]
    assert any("named by their row" in w for w in got.warnings)


def test_survey_metadata_columns_are_ignored(tmp_path):
    got = load_responses(
        write(tmp_path, "w.csv", "respondent,group,Start Date,Email,AL1\na,pmo,x,y,2\n")
    )
    assert list(got.answers["question"]) == ["AL1"]


def test_every_problem_in_a_file_is_reported_at_once(tmp_path):
    path = write(
        tmp_path,
        "w.csv",
        "respondent,group,AL1,AL22\n"  # AL22: unknown column
        "a,pmo,5,1\n"  # 5: outside the scale
        "a,,2,1\n",  # duplicate respondent, blank group
    )
    with pytest.raises(InputError) as info:
        load_responses(path)
    found = [str(p) for p in info.value.problems]
    assert found == [
        "row 1, column 'AL22': unknown question column; did you mean 'AL2'?",
        "row 2, column 'AL1': answer '5' is outside the scale 0-4",
        "row 3, column 'respondent': duplicate respondent 'a' (first on row 2)",
        "row 3, column 'group': group is blank",
    ]


def test_long_file_problems_name_row_and_column(tmp_path):
    path = write(
        tmp_path,
        "l.csv",
        "respondent,group,question,answer\n"
        "a,pmo,AL1,2\n"
        "a,pmo,AL1,3\n"
        "a,executive,AL2,3\n"
        "b,pmo,Al 9,1\n"
        "b,pmo,AL3,sometimes\n",
    )
    with pytest.raises(InputError) as info:
        load_responses(path)
    found = [str(p) for p in info.value.problems]
    assert (
        found[0] == "row 3, column 'question': respondent 'a' answers 'AL1' again (first on row 2)"
    )
    assert found[1].startswith("row 4, column 'group': respondent 'a' is in group 'executive'")
    assert found[2] == "row 5, column 'question': unknown question 'Al 9'; did you mean 'AL4'?"
    assert found[3].startswith("row 6, column 'answer': answer 'sometimes' is neither")


BAD_INPUTS = {
    "unknown question column": (
        "respondent,group,AL1,How is project status reportd\na,pmo,2,3\n",
        ["row 1, column 'How is project status reportd'", "did you mean 'KP1'"],
    ),
    "answer outside the scale": (
        "respondent,group,AL1,AL2\na,pmo,2,3\nb,pmo,9,1\n",
        ["row 3, column 'AL1'", "outside the scale 0-4"],
    ),
    "duplicate respondent": (
        "respondent,group,AL1\nr7,pmo,2\nr8,pmo,2\nr7,executive,3\n",
        ["row 4, column 'respondent'", "duplicate respondent 'r7' (first on row 2)"],
    ),
    "no group column": (
        "respondent,department,AL1\na,IT,2\n",
        ["row 1 (header)", "no group column 'group'"],
    ),
    "empty file": ("", ["file is empty"]),
}


@pytest.mark.parametrize("case", list(BAD_INPUTS))
def test_bad_input_exits_2_naming_the_place(cli, tmp_path, case):
    text, expected = BAD_INPUTS[case]
    path = write(tmp_path, "answers.csv", text)
    result = cli("assess", path)
    assert result.returncode == 2, result.stderr
    assert "answers.csv" in result.stderr
    for fragment in expected:
        assert fragment in result.stderr
    assert "Traceback" not in result.stderr
    assert result.stdout == ""


def test_bad_input_leaves_the_output_directory_untouched(tmp_path, capsys):
    out = tmp_path / "out"
    out.mkdir()
    (out / "assessment.json").write_text("earlier run")
    bad = write(tmp_path, "w.csv", "respondent,group,AL1\na,pmo,7\n")
    assert cli_main(["assess", str(bad), "--out", str(out)]) == 2
    assert "row 2, column 'AL1'" in capsys.readouterr().err
    assert [p.name for p in out.iterdir()] == ["assessment.json"]
    assert (out / "assessment.json").read_text() == "earlier run"


def test_a_respondent_who_answered_nothing_is_skipped_with_a_warning(tmp_path, capsys):
    path = write(tmp_path, "w.csv", "respondent,group,AL1,AL2\na,pmo,2,3\nb,pmo,,n/a\nc,pm,1,\n")
    assert cli_main(["assess", str(path), "--format", "json", "--resamples", "100"]) == 0
    import json

    data = json.loads(capsys.readouterr().out)
    assert data["answers_used"] == 3
    assert data["answers_skipped"] == 3
    assert data["skipped_reasons"] == {
        "not answered (blank or n/a)": 1,
        "respondent answered nothing": 2,
    }
    assert any("b (pmo)" in w for w in data["warnings"])
