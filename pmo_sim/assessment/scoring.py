"""Score an assessment: from a long table of answers to an :class:`Assessment`.

:func:`score_answers` is the one entry point. It takes answers as a plain
DataFrame (``respondent``, ``group``, ``question``, ``level``, optional
``comment``), whether they came from a survey export
(:func:`~pmo_sim.assessment.load_responses`) or a live workshop form, and
applies the rules of ``docs/scoring.md``. It reads no files and prints
nothing; problems it notices go into :attr:`Assessment.warnings`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from pmo_sim.assessment.agreement import consensus, perception_gaps
from pmo_sim.assessment.dimension_scores import (
    DECIMALS,
    RespondentMatrix,
    Weighting,
    combine_groups,
    group_totals,
    maturity_index,
    respondent_matrix,
    tier_of,
)
from pmo_sim.assessment.groups import group_order
from pmo_sim.assessment.intervals import bootstrap_intervals
from pmo_sim.assessment.questionnaire import LEVELS, TIER_NAMES, Questionnaire
from pmo_sim.assessment.response_set import Responses
from pmo_sim.assessment.result import Assessment
from pmo_sim.assessment.roadmap import blocking_dimensions, explain, roadmap
from pmo_sim.assessment.trend import compare
from pmo_sim.errors import InputError
from pmo_sim.seeds import DEFAULT_SEED

__all__ = ["NOTHING_ANSWERED_REASON", "NOT_ANSWERED_REASON", "score_answers", "score_responses"]

NOT_ANSWERED_REASON = "not answered (blank or n/a)"
NOTHING_ANSWERED_REASON = "respondent answered nothing"


def score_responses(
    responses: Responses,
    questionnaire: Questionnaire,
    *,
    weighting: Weighting = "groups",
    target_tier: int | None = None,
    seed: int = DEFAULT_SEED,
    n_boot: int = 1000,
    confidence: float = 0.90,
    previous: Assessment | None = None,
) -> Assessment:
    """Score imported responses, keeping their client, date, source and warnings.

    The options are those of :func:`score_answers`.
    """
    return score_answers(
        responses.answers,
        questionnaire,
        weighting=weighting,
        target_tier=target_tier,
        seed=seed,
        n_boot=n_boot,
        confidence=confidence,
        previous=previous,
        client=responses.client,
        assessed_on=responses.assessed_on,
        source=responses.source,
        warnings=responses.warnings,
    )


def score_answers(
    answers: pd.DataFrame,
    questionnaire: Questionnaire,
    *,
    weighting: Weighting = "groups",
    target_tier: int | None = None,
    seed: int = DEFAULT_SEED,
    n_boot: int = 1000,
    confidence: float = 0.90,
    previous: Assessment | None = None,
    client: str | None = None,
    assessed_on: str | None = None,
    source: str | None = None,
    warnings: tuple[str, ...] = (),
) -> Assessment:
    """Score a long table of answers (``level`` NaN = not answered).

    ``target_tier`` defaults to the next tier (4 stays 4). ``previous`` is an
    earlier :class:`Assessment` of the same client for the trend. Raises
    ``ValueError`` for a malformed table and
    :class:`~pmo_sim.errors.InputError` when nobody answered anything.
    """
    if weighting not in ("groups", "respondents"):
        raise ValueError(f"weighting must be 'groups' or 'respondents', not {weighting!r}")
    if target_tier is not None and target_tier not in (1, 2, 3, 4):
        raise ValueError(f"target tier must be 1, 2, 3 or 4, not {target_tier!r}")
    frame = _checked(answers, questionnaire)
    notes = list(warnings)

    answered_mask = frame["level"].notna()
    resp_codes = frame["respondent"].cat.codes.to_numpy()
    per_respondent = np.bincount(resp_codes, weights=answered_mask.to_numpy(dtype=float))
    has_answers = pd.Series(per_respondent[resp_codes] > 0, index=frame.index)
    silent = frame.loc[~has_answers].drop_duplicates("respondent")
    if len(silent):
        names = [f"{r.respondent} ({r.group})" for r in silent.itertuples(index=False)]
        shown = ", ".join(names[:10]) + (f" and {len(names) - 10} more" if len(names) > 10 else "")
        notes.append(f"skipped {len(names)} respondent(s) who answered nothing: {shown}")
    skipped = {
        NOT_ANSWERED_REASON: int((~answered_mask & has_answers).sum()),
        NOTHING_ANSWERED_REASON: int((~has_answers).sum()),
    }
    answered = frame.loc[answered_mask]
    if answered.empty:
        raise InputError(source, "no answers to score: every answer is blank or n/a")

    matrix = respondent_matrix(answered, questionnaire)
    sums, counts = group_totals(matrix)
    dim_scores = np.round(combine_groups(sums, counts, weighting), DECIMALS)
    dim_weights = np.array([d.weight for d in questionnaire.dimensions])
    dim_tiers = tier_of(dim_scores)
    tier = int(np.nanmin(dim_tiers))
    index = round(float(maturity_index(dim_scores, dim_weights)), DECIMALS)
    intervals = bootstrap_intervals(
        matrix, dim_weights, weighting, seed=seed, n_boot=n_boot, confidence=confidence
    )
    target = target_tier if target_tier is not None else min(tier + 1, 4)

    spread = consensus(matrix)
    dimensions = pd.DataFrame(
        {
            "dimension": matrix.dimensions,
            "name": [d.name for d in questionnaire.dimensions],
            "weight": dim_weights,
            "score": dim_scores,
            "tier": dim_tiers,
            "tier_name": [TIER_NAMES.get(int(t)) if t == t else None for t in dim_tiers],
            "interval_low": intervals.dimension_low,
            "interval_high": intervals.dimension_high,
            "std": spread["std"],
            "range": spread["range"],
            "min": spread["min"],
            "max": spread["max"],
            "n_respondents": spread["n_respondents"],
            "n_answers": matrix.n_answers.sum(axis=0),
            "flagged": spread["flagged"],
        }
    )
    scored = dimensions[dimensions["score"].notna()]
    for row in dimensions[dimensions["score"].isna()].itertuples(index=False):
        notes.append(f"dimension {row.dimension!r} has no answers; the tier ignores it")
    held = blocking_dimensions(scored, tier)
    dimensions["blocking"] = dimensions["dimension"].isin(held["dimension"])
    dimensions["gap_to_target"] = (target - dimensions["score"]).clip(lower=0).round(DECIMALS)

    groups = _group_scores(matrix, sums, counts)
    sizes = {g: s.stop - s.start for g, s in matrix.group_slices.items()}
    notes += [
        f"group {g!r} has one respondent: its scores are one person's view"
        for g, n in sizes.items()
        if n == 1
    ]
    questions, question_groups = _question_scores(frame[has_answers], questionnaire, weighting)
    trend = None
    if previous is not None:
        trend = compare(
            previous.dimensions,
            dimensions,
            previous_tier=previous.tier,
            tier=tier,
            previous_index=previous.index,
            index=index,
            previous_assessed_on=previous.assessed_on,
        )
        if previous.client and client and previous.client != client:
            notes.append(f"previous assessment is of {previous.client!r}, not {client!r}")

    return Assessment(
        tier=tier,
        tier_name=TIER_NAMES[tier],
        index=index,
        index_interval=(intervals.index_low, intervals.index_high),
        target_tier=target,
        dimensions=dimensions,
        groups=groups,
        respondents=matrix.frame(),
        questions=questions,
        question_groups=question_groups,
        perception_gaps=perception_gaps(groups, matrix.group_names),
        blocking=held,
        roadmap=roadmap(scored, questionnaire, target),
        comments=_comments(frame, questionnaire),
        explanation=explain(tier, held, index),
        answers_used=int(answered_mask.sum()),
        answers_skipped=sum(skipped.values()),
        skipped_reasons=skipped,
        group_sizes=sizes,
        weighting=weighting,
        seed=seed,
        n_boot=n_boot,
        confidence=confidence,
        questionnaire_title=questionnaire.title,
        questionnaire_version=questionnaire.version,
        client=client,
        assessed_on=assessed_on,
        source=source,
        trend=trend,
        warnings=tuple(notes),
    )


def _checked(answers: pd.DataFrame, questionnaire: Questionnaire) -> pd.DataFrame:
    """A clean copy of the answers table, or ValueError saying what is wrong with it.

    Text columns become categoricals: 600,000 answers have only a few thousand
    distinct respondents and 60 questions, and every later lookup, grouping
    and mapping then works on those few values instead of every row.
    """
    required = ["respondent", "group", "question", "level"]
    missing = [c for c in required if c not in answers.columns]
    if missing:
        raise ValueError(f"answers table lacks column(s) {', '.join(missing)}")
    frame = pd.DataFrame(index=pd.RangeIndex(len(answers)))
    for column in ("respondent", "group", "question"):
        frame[column] = _category(answers[column], column)
    unknown = sorted(set(frame["question"].cat.categories) - set(questionnaire.questions))
    if unknown:
        raise ValueError(f"unknown question id(s): {', '.join(map(str, unknown[:10]))}")
    raw = answers["level"].reset_index(drop=True)
    levels = raw if pd.api.types.is_float_dtype(raw) else pd.to_numeric(raw, errors="coerce")
    bad = (levels.isna() & raw.notna()) | (levels.notna() & ~levels.isin(LEVELS))
    if bad.any():
        raise ValueError(f"levels must be 0-4 or empty; got {raw[bad].iloc[0]!r}")
    frame["level"] = levels.astype(float)
    comment = answers["comment"] if "comment" in answers else pd.Series("", index=answers.index)
    frame["comment"] = _category(comment, "comment", allow_missing=True)
    resp = frame["respondent"].cat.codes.to_numpy()
    group = frame["group"].cat.codes.to_numpy()
    group_of = np.empty(len(frame["respondent"].cat.categories), dtype=group.dtype)
    group_of[resp] = group
    split = group_of[resp] != group
    if split.any():
        who = frame["respondent"].iloc[int(np.flatnonzero(split)[0])]
        raise ValueError(f"respondent {who!r} is in several groups")
    return frame


def _category(values: pd.Series, column: str, allow_missing: bool = False) -> pd.Series:
    """``values`` as a categorical of strings; ValueError if one is missing (unless allowed)."""
    raw = values.reset_index(drop=True)
    # Factorizing a plain object array is about twice as fast as a pandas string array.
    codes, uniques = pd.factorize(raw.to_numpy(dtype=object))
    if not allow_missing and (codes < 0).any():
        raise ValueError(f"answers table has an empty {column} on row {int((codes < 0).argmax())}")
    names = pd.Index(uniques, dtype=object).astype(str)
    if names.has_duplicates:  # e.g. 1 and "1": let them merge, as they print the same
        return raw.astype(str).astype("category")
    return pd.Series(pd.Categorical.from_codes(codes, categories=names))


def _group_scores(matrix: RespondentMatrix, sums: np.ndarray, counts: np.ndarray) -> pd.DataFrame:
    with np.errstate(invalid="ignore", divide="ignore"):
        means = np.round(np.where(counts > 0, sums / counts, np.nan), DECIMALS)
    n_groups, n_dims = means.shape
    return pd.DataFrame(
        {
            "group": np.repeat(np.asarray(matrix.group_names, dtype=object), n_dims),
            "dimension": np.tile(np.asarray(matrix.dimensions, dtype=object), n_groups),
            "score": means.ravel(),
            "n_respondents": counts.ravel().astype(int),
        }
    )


def _question_scores(
    frame: pd.DataFrame, questionnaire: Questionnaire, weighting: Weighting
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Per question (overall, with the same group weighting) and per question and group."""
    table = questionnaire.question_table()
    answered = frame[frame["level"].notna()]
    by_group = (
        answered.groupby(["question", "group"], sort=False)["level"]
        .agg(score="mean", n_respondents="size")
        .reset_index()
    )
    rank = {g: i for i, g in enumerate(group_order(set(frame["group"])))}
    q_rank = {q: i for i, q in enumerate(table["question"])}
    by_group = by_group.sort_values(
        ["question", "group"], key=lambda s: s.map(q_rank if s.name == "question" else rank)
    )
    by_group["dimension"] = by_group["question"].map(questionnaire.dimension_of)
    by_group["score"] = by_group["score"].round(DECIMALS)
    by_group = by_group[["dimension", "question", "group", "score", "n_respondents"]]

    if weighting == "groups":
        score = by_group.groupby("question")["score"].mean()
    else:
        score = answered.groupby("question")["level"].mean()
    overall = pd.DataFrame(
        {
            "dimension": table["dimension"],
            "question": table["question"],
            "text": table["text"],
            "weight": table["question_weight"],
        }
    )
    overall["score"] = overall["question"].map(score).round(DECIMALS)
    overall["std"] = (
        overall["question"].map(answered.groupby("question")["level"].std(ddof=0)).round(DECIMALS)
    )
    n = answered.groupby("question").size()
    overall["n_respondents"] = overall["question"].map(n).fillna(0).astype(int)
    blank = frame[frame["level"].isna()].groupby("question").size()
    overall["n_not_answered"] = overall["question"].map(blank).fillna(0).astype(int)
    return overall, by_group.reset_index(drop=True)


def _comments(frame: pd.DataFrame, questionnaire: Questionnaire) -> pd.DataFrame:
    """Comments in questionnaire order, then by group, for the report's appendix."""
    said = frame[frame["comment"].str.strip().fillna("") != ""].copy()
    q_rank = {q: i for i, q in enumerate(questionnaire.questions)}
    g_rank = {g: i for i, g in enumerate(group_order(set(said["group"])))}
    said["_q"] = said["question"].map(q_rank)
    said["_g"] = said["group"].map(g_rank)
    said = said.sort_values(["_q", "_g", "respondent"], kind="stable")
    said["dimension"] = said["question"].map(questionnaire.dimension_of)
    said["text"] = said["question"].map({q.id: q.text for q in questionnaire.questions.values()})
    columns = ["dimension", "question", "text", "respondent", "group", "level", "comment"]
    return said[columns].reset_index(drop=True)
