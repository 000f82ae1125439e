"""Properties the scoring must have for any answers (hypothesis)."""

from __future__ import annotations

import math

import hypothesis.strategies as st
import numpy as np
import pandas as pd
from hypothesis import given, settings

from pmo_sim.assessment import Questionnaire, score_answers

OPTIONS = {level: f"level {level}" for level in range(5)}
RECS = {tier: f"tier {tier}" for tier in range(1, 5)}
QUESTIONNAIRE = Questionnaire.model_validate(
    {
        "title": "Properties",
        "dimensions": [
            {
                "id": dim,
                "name": dim,
                "weight": weight,
                "questions": [
                    {"id": f"{dim}{i}", "text": f"{dim} {i}", "weight": qw, "options": OPTIONS}
                    for i, qw in enumerate([1, 2.5, 0.5])
                ],
                "recommendations": RECS,
            }
            for dim, weight in [("a", 1), ("b", 2), ("c", 0.5)]
        ],
    }
)
QUESTIONS = list(QUESTIONNAIRE.questions)
GROUPS = ["executive", "pmo", "project_manager", "Board"]


@st.composite
def workshops(draw) -> pd.DataFrame:
    """Answers of 1-12 respondents; some unanswered; at least one answer in all."""
    n = draw(st.integers(1, 12))
    rows = []
    for r in range(n):
        group = draw(st.sampled_from(GROUPS))
        answers = draw(
            st.lists(st.one_of(st.none(), st.integers(0, 4)), min_size=len(QUESTIONS),
                     max_size=len(QUESTIONS))
        )  # fmt: skip
        for question, level in zip(QUESTIONS, answers, strict=True):
            rows.append((f"r{r}", group, question, np.nan if level is None else level, ""))
    frame = pd.DataFrame(rows, columns=["respondent", "group", "question", "level", "comment"])
    if frame["level"].isna().all():
        frame.loc[0, "level"] = draw(st.integers(0, 4))
    return frame


SETTINGS = settings(max_examples=20, deadline=None)


@SETTINGS
@given(workshops(), st.sampled_from(["groups", "respondents"]))
def test_every_score_lies_between_0_and_4(answers, weighting):
    res = score_answers(answers, QUESTIONNAIRE, weighting=weighting, n_boot=100)
    for frame, column in [
        (res.dimensions, "score"), (res.dimensions, "interval_low"),
        (res.dimensions, "interval_high"), (res.groups, "score"), (res.respondents, "score"),
        (res.questions, "score"),
    ]:  # fmt: skip
        values = frame[column].dropna()
        assert ((values >= 0) & (values <= 4)).all(), column
    assert 0 <= res.index <= 4
    assert 0 <= res.index_interval[0] <= res.index_interval[1] <= 4


@SETTINGS
@given(workshops())
def test_the_overall_tier_never_exceeds_the_floor_of_the_index(answers):
    res = score_answers(answers, QUESTIONNAIRE, n_boot=100)
    assert res.tier <= math.floor(res.index + 1e-9)
    assert res.tier == res.dimensions["tier"].min()


@SETTINGS
@given(workshops(), st.randoms(use_true_random=False))
def test_shuffling_respondents_changes_nothing(answers, random):
    order = list(answers.index)
    random.shuffle(order)
    shuffled = answers.loc[order].reset_index(drop=True)
    first = score_answers(answers, QUESTIONNAIRE, seed=4, n_boot=100)
    again = score_answers(shuffled, QUESTIONNAIRE, seed=4, n_boot=100)
    assert first.to_dict() == again.to_dict()


@SETTINGS
@given(workshops(), st.integers(0, 2**32 - 1))
def test_same_seed_same_intervals(answers, seed):
    first = score_answers(answers, QUESTIONNAIRE, seed=seed, n_boot=100)
    again = score_answers(answers.copy(), QUESTIONNAIRE, seed=seed, n_boot=100)
    pd.testing.assert_frame_equal(
        first.dimensions[["interval_low", "interval_high"]],
        again.dimensions[["interval_low", "interval_high"]],
    )
    assert first.index_interval == again.index_interval


@SETTINGS
@given(workshops())
def test_answers_used_and_skipped_add_up_to_the_cells_given(answers):
    res = score_answers(answers, QUESTIONNAIRE, n_boot=100)
    assert res.answers_used + res.answers_skipped == len(answers)
    assert res.answers_used == answers["level"].notna().sum()
