"""Each scoring rule of docs/scoring.md on small cases worked out by hand."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from pmo_sim.assessment import Questionnaire, score_answers
from pmo_sim.errors import InputError

OPTIONS = {level: f"practice at level {level}" for level in range(5)}
RECS = {tier: f"reach tier {tier}" for tier in range(1, 5)}


def tiny_questionnaire(question_weights=((1, 3), (1, 1)), dimension_weights=(2, 1)):
    """Two dimensions: 'gov' (G1, G2) and 'ops' (O1, O2), weights as given."""
    dims = []
    for (dim, prefix), qweights, dweight in zip(
        [("gov", "G"), ("ops", "O")], question_weights, dimension_weights, strict=True
    ):
        questions = [
            {"id": f"{prefix}{i + 1}", "text": f"{dim} question {i + 1}", "weight": w,
             "options": OPTIONS}
            for i, w in enumerate(qweights)
        ]  # fmt: skip
        dims.append(
            {"id": dim, "name": dim.title(), "weight": dweight, "questions": questions,
             "recommendations": {t: f"{dim}: {r}" for t, r in RECS.items()}}
        )  # fmt: skip
    return Questionnaire.model_validate({"title": "Tiny", "dimensions": dims})


NAN = float("nan")
# respondent, group, G1, G2, O1, O2  (G2 weighs 3, the others 1; 'gov' weighs 2, 'ops' 1)
WORKSHOP = [
    ("e1", "executive", 4, 2, 3, 3),
    ("e2", "executive", 2, 2, NAN, NAN),
    ("p1", "project_manager", 1, 1, 2, 1),
    ("p2", "project_manager", 3, 1, 1, 1),
    ("p3", "project_manager", 0, 2, 2, 2),
]


def long_answers(rows=WORKSHOP) -> pd.DataFrame:
    out = []
    for respondent, group, *levels in rows:
        for question, level in zip(["G1", "G2", "O1", "O2"], levels, strict=True):
            out.append((respondent, group, question, level, ""))
    return pd.DataFrame(out, columns=["respondent", "group", "question", "level", "comment"])


@pytest.fixture(scope="module")
def result():
    return score_answers(long_answers(), tiny_questionnaire(), seed=1, n_boot=200)


def by_dimension(res, column):
    return dict(zip(res.dimensions["dimension"], res.dimensions[column], strict=True))


def test_respondent_score_is_the_weighted_mean_of_their_answers(result):
    scores = result.respondents.set_index(["respondent", "dimension"])["score"]
    # gov, weights 1 and 3: e1 (4*1 + 2*3)/4 = 2.5; e2 (2 + 6)/4 = 2.0; p1 (1 + 3)/4 = 1.0;
    # p2 (3 + 3)/4 = 1.5; p3 (0 + 6)/4 = 1.5
    assert scores["e1", "gov"] == 2.5
    assert scores["e2", "gov"] == 2.0
    assert scores["p1", "gov"] == 1.0
    assert scores["p2", "gov"] == 1.5
    assert scores["p3", "gov"] == 1.5
    # ops, equal weights: e1 3.0; p1 1.5; p2 1.0; p3 2.0; e2 answered no ops question
    assert scores["e1", "ops"] == 3.0
    assert scores["p1", "ops"] == 1.5
    assert ("e2", "ops") not in scores.index


def test_group_score_is_the_mean_over_its_respondents(result):
    groups = result.groups.set_index(["group", "dimension"])
    # executives gov (2.5 + 2.0)/2 = 2.25; PMs gov (1.0 + 1.5 + 1.5)/3 = 4/3
    assert groups.at[("executive", "gov"), "score"] == 2.25
    assert groups.at[("project_manager", "gov"), "score"] == pytest.approx(4 / 3)
    # executives ops: only e1 answered, 3.0 from 1 respondent; PMs ops (1.5 + 1 + 2)/3 = 1.5
    assert groups.at[("executive", "ops"), "score"] == 3.0
    assert groups.at[("executive", "ops"), "n_respondents"] == 1
    assert groups.at[("project_manager", "ops"), "score"] == 1.5


def test_dimension_score_gives_each_group_one_vote(result):
    scores = by_dimension(result, "score")
    # gov: (2.25 + 4/3)/2 = 1.791667; ops: (3.0 + 1.5)/2 = 2.25
    assert scores["gov"] == pytest.approx(43 / 24)
    assert scores["ops"] == 2.25


def test_weighting_by_respondents_is_the_plain_mean():
    res = score_answers(long_answers(), tiny_questionnaire(), weighting="respondents", n_boot=100)
    scores = by_dimension(res, "score")
    # gov: (2.5 + 2 + 1 + 1.5 + 1.5)/5 = 1.7; ops: (3 + 1.5 + 1 + 2)/4 = 1.875
    assert scores["gov"] == pytest.approx(1.7)
    assert scores["ops"] == pytest.approx(1.875)
    # index (2 * 1.7 + 1 * 1.875)/3 = 1.758333
    assert res.index == pytest.approx(5.275 / 3)


def test_tier_is_the_floor_and_the_overall_tier_the_weakest_dimension(result):
    assert by_dimension(result, "tier") == {"gov": 1, "ops": 2}
    assert result.tier == 1
    assert result.tier_name == "Supportive"


def test_index_is_the_weighted_mean_of_dimension_scores(result):
    # (2 * 43/24 + 1 * 2.25)/3 = 1.944444
    assert result.index == pytest.approx((2 * 43 / 24 + 2.25) / 3)


def test_blocking_names_the_dimensions_below_the_next_tier_and_by_how_much(result):
    assert list(result.blocking["dimension"]) == ["gov"]
    # tier 2 needs 2.00: gov is 2 - 43/24 = 0.208333 short
    assert result.blocking["shortfall"].iloc[0] == pytest.approx(5 / 24)
    assert "Gov (0.21 short)" in result.explanation


def test_consensus_is_the_spread_of_respondent_scores(result):
    std = by_dimension(result, "std")
    # gov scores 2.5, 2, 1, 1.5, 1.5: mean 1.7, squared deviations sum 1.3, /5 = 0.26
    assert std["gov"] == pytest.approx(math.sqrt(0.26))
    # ops scores 3, 1.5, 1, 2: mean 1.875, squared deviations sum 2.1875, /4 = 0.546875
    assert std["ops"] == pytest.approx(math.sqrt(0.546875))
    assert by_dimension(result, "range") == {"gov": 1.5, "ops": 2.0}
    assert not any(result.dimensions["flagged"])


@pytest.mark.parametrize(("low", "high", "flagged"), [(0, 2, False), (0, 4, True)])
def test_consensus_flag_is_a_standard_deviation_above_one(low, high, flagged):
    # Two respondents at `low` and `high`: std = (high - low)/2, i.e. 1.0 (not above) or 2.0.
    rows = [("a", "pmo", low, low, low, low), ("b", "pmo", high, high, high, high)]
    res = score_answers(long_answers(rows), tiny_questionnaire(), n_boot=100)
    assert by_dimension(res, "std")["gov"] == (high - low) / 2
    assert by_dimension(res, "flagged")["gov"] is flagged


def test_perception_gaps_compare_every_pair_of_groups(result):
    gaps = result.perception_gaps.set_index("dimension")
    # gov: executives 2.25 - PMs 4/3 = 0.916667, below 1.0; ops: 3.0 - 1.5 = 1.5, flagged
    assert gaps.at["gov", "gap"] == pytest.approx(2.25 - 4 / 3)
    assert not gaps.at["gov", "flagged"]
    assert gaps.at["ops", "gap"] == 1.5 and gaps.at["ops", "flagged"]
    assert set(gaps["group_a"]) == {"executive"} and set(gaps["group_b"]) == {"project_manager"}


def test_a_gap_of_exactly_one_is_flagged():
    rows = [
        ("a", "executive", 3, 3, 3, 3),
        ("b", "pmo", 2, 2, 2, 2),
        ("c", "team_member", 2, 2, 3, 3),
    ]
    gaps = score_answers(long_answers(rows), tiny_questionnaire(), n_boot=100).perception_gaps
    # three groups give three pairs per dimension; executive - pmo = 1.0 exactly in both
    assert len(gaps) == 6
    pair = gaps[(gaps["group_a"] == "executive") & (gaps["group_b"] == "pmo")]
    assert list(pair["gap"]) == [1.0, 1.0] and all(pair["flagged"])


def test_roadmap_orders_dimensions_by_gap_times_weight():
    res = score_answers(long_answers(), tiny_questionnaire(), target_tier=3, n_boot=100)
    road = res.roadmap
    # gov: (3 - 43/24) x 2 = 2.416667; ops: (3 - 2.25) x 1 = 0.75, so gov comes first
    assert list(road["dimension"]) == ["gov", "gov", "ops"]
    assert list(road["rank"]) == [1, 1, 2]
    assert road["priority"].iloc[0] == pytest.approx((3 - 43 / 24) * 2)
    assert road["priority"].iloc[2] == pytest.approx(0.75)
    # gov climbs from tier 1 through 2 to 3; ops from 2 to 3
    assert list(road["step_tier"]) == [2, 3, 3]
    assert list(road["recommendation"]) == [
        "gov: reach tier 2",
        "gov: reach tier 3",
        "ops: reach tier 3",
    ]
    gaps = by_dimension(res, "gap_to_target")
    assert gaps["gov"] == pytest.approx(3 - 43 / 24) and gaps["ops"] == 0.75


def test_default_target_is_the_next_tier(result):
    assert result.target_tier == 2
    # only gov (1.79) is below 2
    assert list(result.roadmap["dimension"]) == ["gov"]
    assert by_dimension(result, "gap_to_target")["ops"] == 0


def test_dimension_weights_change_the_roadmap_order():
    # Same answers, 'ops' now weighs 4: gov (3 - 1.791667) x 2 = 2.42 < ops 0.75 x 4 = 3.0
    res = score_answers(
        long_answers(), tiny_questionnaire(dimension_weights=(2, 4)), target_tier=3, n_boot=100
    )
    assert list(dict.fromkeys(res.roadmap["dimension"])) == ["ops", "gov"]


def test_answers_used_and_skipped_are_counted_with_reasons():
    rows = [*WORKSHOP, ("t1", "team_member", NAN, NAN, NAN, NAN)]
    res = score_answers(long_answers(rows), tiny_questionnaire(), n_boot=100)
    # 6 respondents x 4 questions = 24 cells: e2 left 2 blank, t1 left all 4 blank
    assert res.answers_used == 18
    assert res.answers_skipped == 6
    assert res.skipped_reasons == {
        "not answered (blank or n/a)": 2,
        "respondent answered nothing": 4,
    }
    assert "team_member" not in res.group_sizes
    assert any("t1 (team_member)" in w for w in res.warnings)
    # t1 is skipped, not scored as zero: the scores are those of the five others
    assert by_dimension(res, "score")["gov"] == pytest.approx(43 / 24)


def test_nobody_answering_is_an_input_error():
    rows = [("a", "pmo", NAN, NAN, NAN, NAN)]
    with pytest.raises(InputError, match="no answers"):
        score_answers(long_answers(rows), tiny_questionnaire(), n_boot=100)


def test_a_whole_score_is_not_lost_to_floating_point():
    # weights 0.1, 0.2 with levels 3, 3: (0.3 + 0.6)/0.3 may be 2.9999999999999996 in floats
    q = tiny_questionnaire(question_weights=((0.1, 0.2), (1, 1)))
    rows = [("a", "pmo", 3, 3, 3, 3)]
    res = score_answers(long_answers(rows), q, n_boot=100)
    assert by_dimension(res, "tier") == {"gov": 3, "ops": 3}
    assert res.tier == 3


def test_identical_respondents_give_a_zero_width_interval():
    rows = [(f"r{i}", g, 2, 2, 3, 3) for i, g in enumerate(["pmo", "pmo", "executive"])]
    res = score_answers(long_answers(rows), tiny_questionnaire(), n_boot=100)
    assert list(res.dimensions["interval_low"]) == [2.0, 3.0]
    assert list(res.dimensions["interval_high"]) == [2.0, 3.0]
    # index (2 * 2 + 3)/3 = 7/3
    assert res.index_interval == pytest.approx((7 / 3, 7 / 3))


def test_bootstrap_resamples_within_groups():
    # One executive (always drawn) at 4, four PMs at 0 or 2. Within-group redraws keep the
    # executive's 4.0 in every redraw, so the gov score (4 + PM mean)/2 stays within 2.0-3.0;
    # pooled redraws could drop the executive and reach 0.5.
    rows = [("e", "executive", 4, 4, 4, 4)] + [
        (f"p{i}", "project_manager", lvl, lvl, lvl, lvl) for i, lvl in enumerate([0, 2, 0, 2])
    ]
    res = score_answers(long_answers(rows), tiny_questionnaire(), n_boot=500, seed=3)
    low, high = res.dimensions.loc[0, ["interval_low", "interval_high"]]
    assert 2.0 <= low < 2.5 < high <= 3.0


def test_same_seed_same_intervals_other_seed_other_intervals():
    rng = np.random.default_rng(5)
    groups = ["executive", "pmo", "project_manager"]
    rows = [(f"r{i}", groups[i % 3], *rng.integers(0, 5, size=4).tolist()) for i in range(40)]
    q = tiny_questionnaire()
    first = score_answers(long_answers(rows), q, seed=11, n_boot=300)
    again = score_answers(long_answers(rows), q, seed=11, n_boot=300)
    other = score_answers(long_answers(rows), q, seed=12, n_boot=300)
    assert first.to_dict() == again.to_dict()
    assert first.index_interval != other.index_interval
    # the point estimates do not depend on the seed
    assert first.index == other.index


def test_trend_reports_the_change_per_dimension_and_in_tier():
    q = tiny_questionnaire()
    before = score_answers(long_answers([("a", "pmo", 1, 1, 1, 1)]), q, n_boot=100)
    now = score_answers(long_answers([("a", "pmo", 2, 2, 3, 4)]), q, previous=before, n_boot=100)
    trend = now.trend.dimensions.set_index("dimension")
    # gov 1 -> 2 (+1); ops 1 -> 3.5 (+2.5); overall tier 1 -> 2 (+1)
    assert trend.at["gov", "change"] == 1.0
    assert trend.at["ops", "change"] == 2.5
    assert trend.at["ops", "tier_change"] == 2
    assert (now.trend.previous_tier, now.trend.tier, now.trend.tier_change) == (1, 2, 1)
    # index (2*1 + 1)/3 = 1 before, (2*2 + 3.5)/3 = 2.5 now
    assert now.trend.index_change == pytest.approx(1.5)


def test_comments_are_kept_in_questionnaire_order_even_without_an_answer():
    answers = long_answers()
    answers.loc[(answers["respondent"] == "p2") & (answers["question"] == "O1"), "comment"] = "b"
    answers.loc[(answers["respondent"] == "e2") & (answers["question"] == "O2"), "comment"] = "c"
    answers.loc[(answers["respondent"] == "p1") & (answers["question"] == "G1"), "comment"] = "a"
    comments = score_answers(answers, tiny_questionnaire(), n_boot=100).comments
    assert list(comments["comment"]) == ["a", "b", "c"]
    assert list(comments["dimension"]) == ["gov", "ops", "ops"]
    assert np.isnan(comments["level"].iloc[2])


def test_a_malformed_answers_table_is_refused():
    q = tiny_questionnaire()
    bad_level = long_answers()
    bad_level.loc[0, "level"] = 5
    with pytest.raises(ValueError, match="0-4"):
        score_answers(bad_level, q)
    with pytest.raises(ValueError, match="unknown question"):
        score_answers(long_answers().replace({"question": {"G1": "X9"}}), q)
    with pytest.raises(ValueError, match="lacks column"):
        score_answers(long_answers().drop(columns="group"), q)
