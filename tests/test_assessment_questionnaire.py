"""The questionnaire file: the bundled one is complete; broken ones name the offending path."""

from __future__ import annotations

import pytest
import yaml

from pmo_sim.assessment import DEFAULT_QUESTIONNAIRE, load_questionnaire
from pmo_sim.errors import InputError

AREAS = {
    "alignment", "portfolio", "prioritisation", "capacity", "finance", "benefits", "risk",
    "performance", "methodology", "engagement", "improvement", "people",
}  # fmt: skip


def test_bundled_questionnaire_covers_every_area_with_full_scales():
    q = load_questionnaire()
    assert DEFAULT_QUESTIONNAIRE.name == "strategic_pmo.yaml"
    assert {d.id for d in q.dimensions} == AREAS
    for dim in q.dimensions:
        assert len(dim.questions) >= 4, dim.id
        assert sorted(dim.recommendations) == [1, 2, 3, 4]
        for question in dim.questions:
            assert sorted(question.options) == [0, 1, 2, 3, 4]
    assert len(q.questions) == sum(len(d.questions) for d in q.dimensions)


def test_engagement_asks_about_project_managers_voice_and_line_of_sight():
    texts = " ".join(q.text for q in load_questionnaire().dimension_by_id["engagement"].questions)
    assert "project managers' concerns" in texts
    assert "contributes to the corporate strategy" in texts


def write(tmp_path, data) -> str:
    path = tmp_path / "q.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    return path


def minimal():
    def question(qid):
        return {
            "id": qid,
            "text": f"Question {qid}",
            "options": {i: f"level {i}" for i in range(5)},
        }

    def dimension(did, qid):
        recs = {t: f"tier {t}" for t in range(1, 5)}
        return {
            "id": did,
            "name": did.upper(),
            "questions": [question(qid)],
            "recommendations": recs,
        }

    return {"title": "T", "dimensions": [dimension("d1", "Q1"), dimension("d2", "Q2")]}


def problems(tmp_path, data) -> list[str]:
    with pytest.raises(InputError) as info:
        load_questionnaire(write(tmp_path, data))
    return [str(p) for p in info.value.problems]


def test_a_minimal_questionnaire_loads(tmp_path):
    q = load_questionnaire(write(tmp_path, minimal()))
    assert list(q.questions) == ["Q1", "Q2"]
    assert q.dimensions[0].weight == 1.0 and q.questions["Q1"].weight == 1.0


def test_missing_level_names_the_question(tmp_path):
    data = minimal()
    del data["dimensions"][1]["questions"][0]["options"][3]
    (problem,) = problems(tmp_path, data)
    assert problem.startswith("dimensions[1].questions[0].options (line ")
    assert "missing level(s) 3" in problem


def test_repeated_question_and_dimension_ids_are_located(tmp_path):
    data = minimal()
    data["dimensions"][1]["questions"][0]["id"] = "Q1"
    data["dimensions"][1]["id"] = "d1"
    found = problems(tmp_path, data)
    assert any(p.startswith("dimensions[1].id (line ") and "repeated id 'd1'" in p for p in found)
    assert any(
        p.startswith("dimensions[1].questions[0].id (line ") and "repeated id 'Q1'" in p
        for p in found
    )


@pytest.mark.parametrize("weight", [0, -1])
def test_weight_must_be_positive(tmp_path, weight):
    data = minimal()
    data["dimensions"][0]["weight"] = weight
    data["dimensions"][1]["questions"][0]["weight"] = weight
    found = problems(tmp_path, data)
    assert [p.split(" (line")[0] for p in found] == [
        "dimensions[0].weight",
        "dimensions[1].questions[0].weight",
    ]
    assert all("greater than 0" in p for p in found)


def test_every_problem_is_reported_at_once(tmp_path):
    data = minimal()
    data["dimensions"][0]["questions"][0]["options"][7] = "too high"
    data["dimensions"][0]["recommendations"].pop(4)
    data["dimensions"][1]["questions"][0]["id"] = "Q1"
    data["dimensions"][1]["colour"] = "blue"
    found = problems(tmp_path, data)
    assert len(found) == 4
    assert any("outside the scale" in p for p in found)
    assert any("missing recommendation for tier(s) 4" in p for p in found)
    assert any("repeated id" in p for p in found)
    assert any("dimensions[1].colour" in p for p in found)


def test_repeats_are_refused_when_built_in_code_too():
    from pydantic import ValidationError

    from pmo_sim.assessment import Questionnaire

    data = minimal()
    data["dimensions"][1]["questions"][0]["id"] = "Q1"
    with pytest.raises(ValidationError, match="repeated id 'Q1'"):
        Questionnaire.model_validate(data)


def test_validate_command_reports_a_broken_questionnaire(tmp_path, capsys):
    from pmo_sim.cli import main

    data = minimal()
    del data["dimensions"][0]["questions"][0]["options"][0]
    assert main(["validate", str(write(tmp_path, data))]) == 2
    err = capsys.readouterr().err
    assert "dimensions[0].questions[0].options (line" in err
    assert "Traceback" not in err
