"""The bundled example clients score the tiers they were built for; the JSON has its shape."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pmo_sim.assessment import load_questionnaire, load_responses, score_responses
from pmo_sim.cli import main as cli_main

EXAMPLES = Path(__file__).resolve().parents[1] / "questionnaires" / "examples"
QUESTIONNAIRE = load_questionnaire()
BUILT_FOR = {
    "harbourline_long.csv": 1,
    "harbourline_wide.csv": 1,
    "northgate_long.csv": 2,
    "northgate_wide.csv": 2,
    "northgate_survey_export.xlsx": 2,
    "northgate_previous_long.csv": 1,
    "vantor_long.csv": 3,
    "vantor_wide.csv": 3,
}


def score(name: str, **options):
    responses = load_responses(EXAMPLES / name, QUESTIONNAIRE)
    return score_responses(responses, QUESTIONNAIRE, n_boot=200, **options)


@pytest.fixture(scope="module")
def scored():
    return {name: score(name) for name in BUILT_FOR}


@pytest.mark.parametrize("name", list(BUILT_FOR))
def test_each_example_scores_the_tier_it_was_built_for(scored, name):
    assert scored[name].tier == BUILT_FOR[name]


def test_every_layout_of_a_client_gives_the_same_scores(scored):
    for client, names in {
        "harbourline": ["harbourline_long.csv", "harbourline_wide.csv"],
        "northgate": [
            "northgate_long.csv", "northgate_wide.csv", "northgate_survey_export.xlsx",
        ],
        "vantor": ["vantor_long.csv", "vantor_wide.csv"],
    }.items():  # fmt: skip
        dicts = [scored[n].to_dict() for n in names]
        for d in dicts:
            # the survey export carries no client or date: those come from arguments
            for key in ("source", "client", "assessed_on"):
                d.pop(key)
        assert all(d == dicts[0] for d in dicts), client


def test_client_and_date_of_a_survey_export_come_from_arguments():
    responses = load_responses(
        EXAMPLES / "northgate_survey_export.xlsx", client="Northgate", assessed_on="2025-03-18"
    )
    result = score_responses(responses, QUESTIONNAIRE, n_boot=100)
    assert (result.client, result.assessed_on) == ("Northgate", "2025-03-18")


def test_northgate_executives_see_a_more_mature_pmo_than_its_project_managers(scored):
    gaps = scored["northgate_long.csv"].perception_gaps
    pair = gaps[(gaps["group_a"] == "executive") & (gaps["group_b"] == "project_manager")]
    assert len(pair) == 12 and pair["flagged"].all()
    assert pair["gap"].min() >= 1.0


def test_vantor_skips_the_respondent_who_answered_nothing(scored):
    result = scored["vantor_long.csv"]
    assert result.skipped_reasons["respondent answered nothing"] == 48
    assert any("answered nothing" in w for w in result.warnings)


def test_comments_from_the_files_reach_the_result(scored):
    comments = scored["northgate_survey_export.xlsx"].comments
    assert len(comments) == 6
    assert set(comments["group"]) == {"executive", "project_manager", "pmo", "functional_manager"}


def test_json_has_the_documented_shape(tmp_path, capsys):
    out = tmp_path / "run"
    args = [
        "assess", str(EXAMPLES / "northgate_wide.csv"), "--previous",
        str(EXAMPLES / "northgate_previous_long.csv"), "--target-tier", "3", "--format", "json",
        "--out", str(out), "--resamples", "200",
    ]  # fmt: skip
    assert cli_main(args) == 0
    printed = capsys.readouterr().out
    data = json.loads(printed)
    assert isinstance(data["tier"], int) and data["tier"] == 2
    assert data["tier_name"] == "Controlling"
    assert isinstance(data["index"], float)
    low, high = data["index_interval"]
    assert low <= data["index"] <= high
    assert {"id", "name", "score", "tier", "interval", "std", "n_respondents", "flagged"} <= set(
        data["dimensions"][0]
    )
    assert len(data["dimensions"]) == 12
    assert set(data["groups"]) == {"executive", "pmo", "project_manager", "functional_manager"}
    assert set(data["groups"]["executive"]) == {d["id"] for d in data["dimensions"]}
    assert data["perception_gaps"] and {"group_a", "group_b", "gap", "flagged"} <= set(
        data["perception_gaps"][0]
    )
    assert set(data["blocking"]) == {d["id"] for d in data["dimensions"] if d["tier"] == 2}
    assert [item["rank"] for item in data["roadmap"]] == list(range(1, 13))
    assert all(item["recommendations"][0]["tier"] == 3 for item in data["roadmap"])
    assert data["answers_used"] > 0 and isinstance(data["answers_skipped"], int)
    assert data["trend"]["previous_tier"] == 1 and data["trend"]["tier_change"] == 1
    # --out wrote the same JSON and the tidy tables
    assert (out / "assessment.json").read_text() == printed
    assert {p.name for p in out.iterdir()} == {
        "assessment.json", "dimensions.csv", "groups.csv", "questions.csv",
        "question_groups.csv", "perception_gaps.csv", "roadmap.csv", "trend.csv",
    }  # fmt: skip


def test_same_seed_same_bytes(tmp_path, capsys):
    args = ["assess", str(EXAMPLES / "vantor_wide.csv"), "--format", "json", "--seed", "9"]
    outputs = []
    for _ in range(2):
        assert cli_main([*args, "--resamples", "200"]) == 0
        outputs.append(capsys.readouterr().out)
    assert outputs[0] == outputs[1]


def test_the_table_reads_as_a_summary(capsys):
    assert cli_main(["assess", str(EXAMPLES / "harbourline_long.csv"), "--resamples", "100"]) == 0
    text = capsys.readouterr().out
    assert "Harbourline Logistics, 2025-02-11" in text
    assert "TIER 1: SUPPORTIVE" in text
    assert "Roadmap to tier 2" in text
    assert max(len(line) for line in text.splitlines()) <= 100


def test_the_examples_are_reproducible_from_their_script():
    import runpy

    script = runpy.run_path(str(EXAMPLES / "make_examples.py"), run_name="examples")
    import numpy as np

    client = script["CLIENTS"][0]
    seeds = np.random.SeedSequence(script["SEED"]).spawn(len(script["CLIENTS"]) + 1)
    answers = script["simulate"](client, QUESTIONNAIRE, np.random.default_rng(seeds[0]))
    from_file = load_responses(EXAMPLES / "harbourline_long.csv", QUESTIONNAIRE).answers
    assert list(answers["level"].fillna(-1)) == list(from_file["level"].fillna(-1))
