"""The scoring arithmetic: respondent, group and dimension scores, tiers and the index.

Picture a 12-dimension questionnaire answered by 40 people. Each person's
answers in a dimension become one number (their weighted mean level). The
people of a group (say the 25 project managers) are averaged into a group
score, and the group scores are averaged into the dimension score, so that
each group counts once. All of this is done on a respondents x dimensions
matrix with numpy, which is what makes 10,000 respondents take milliseconds.
The rules in words are in ``docs/scoring.md``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd

from pmo_sim.assessment.groups import group_order
from pmo_sim.assessment.questionnaire import Questionnaire

__all__ = [
    "RespondentMatrix",
    "Weighting",
    "combine_groups",
    "group_totals",
    "maturity_index",
    "respondent_matrix",
    "tier_of",
]

Weighting = Literal["groups", "respondents"]

#: Scores are compared at 9 decimals so that 3 x (1/3) counts as 1, not 0.999...
DECIMALS = 9


@dataclass(frozen=True)
class RespondentMatrix:
    """Respondent dimension scores as a matrix, rows sorted by group then respondent.

    ``scores[r, d]`` is respondent r's weighted mean level in dimension d
    (NaN when they answered nothing there); ``n_answers[r, d]`` counts the
    answers behind it. ``group_slices`` maps each group to its block of rows.
    """

    respondents: np.ndarray
    groups: np.ndarray
    dimensions: list[str]
    scores: np.ndarray
    n_answers: np.ndarray
    group_slices: dict[str, slice]

    @property
    def group_names(self) -> list[str]:
        """The respondent groups, in the order of their slices."""
        return list(self.group_slices)

    def frame(self) -> pd.DataFrame:
        """Tidy: ``respondent``, ``group``, ``dimension``, ``score``, ``n_answers``."""
        n_resp, n_dim = self.scores.shape
        out = pd.DataFrame(
            {
                "respondent": np.repeat(self.respondents, n_dim),
                "group": np.repeat(self.groups, n_dim),
                "dimension": np.tile(np.asarray(self.dimensions, dtype=object), n_resp),
                "score": self.scores.ravel(),
                "n_answers": self.n_answers.ravel(),
            }
        )
        return out[out["n_answers"] > 0].reset_index(drop=True)


def respondent_matrix(answers: pd.DataFrame, questionnaire: Questionnaire) -> RespondentMatrix:
    """Weighted mean level per respondent and dimension from answered rows.

    ``answers`` holds answered rows only (``respondent``, ``group``,
    ``question``, ``level``), each respondent in one group. Respondents are
    ordered by group (standard order) then id, so the input's row order never
    matters.
    """
    dims = [d.id for d in questionnaire.dimensions]
    dim_index = {d: i for i, d in enumerate(dims)}

    # Work on codes: a few thousand respondents and 60 questions, not 600,000 strings.
    resp_codes, resp_ids = pd.factorize(answers["respondent"])
    q_codes, q_ids = pd.factorize(answers["question"])
    group_of = np.empty(len(resp_ids), dtype=object)
    group_of[resp_codes] = answers["group"].to_numpy(dtype=object)
    order = {g: i for i, g in enumerate(group_order(set(group_of)))}
    ranks = np.array([order[g] for g in group_of])
    ids = np.asarray(resp_ids, dtype=object).astype(str)
    by_group_then_id = np.lexsort((ids, ranks))
    row_of_code = np.empty(len(ids), dtype=np.int64)
    row_of_code[by_group_then_id] = np.arange(len(ids))
    people = pd.DataFrame(
        {"respondent": ids[by_group_then_id], "group": group_of[by_group_then_id]}
    )

    rows = row_of_code[resp_codes]
    cols = np.array([dim_index[questionnaire.dimension_of[q]] for q in q_ids])[q_codes]
    weights = np.array([questionnaire.questions[q].weight for q in q_ids])[q_codes]
    levels = answers["level"].to_numpy(dtype=float)
    shape = (len(people), len(dims))
    cell = rows * len(dims) + cols
    size = shape[0] * shape[1]
    weight_sum = np.bincount(cell, weights=weights, minlength=size).reshape(shape)
    weighted = np.bincount(cell, weights=weights * levels, minlength=size).reshape(shape)
    counts = np.bincount(cell, minlength=size).reshape(shape)
    with np.errstate(invalid="ignore", divide="ignore"):
        scores = np.where(counts > 0, weighted / weight_sum, np.nan)

    slices: dict[str, slice] = {}
    group_values = people["group"].to_numpy()
    for group in order:
        hits = np.flatnonzero(group_values == group)
        slices[group] = slice(int(hits[0]), int(hits[-1]) + 1)
    return RespondentMatrix(
        respondents=people["respondent"].to_numpy(dtype=object),
        groups=group_values.astype(object),
        dimensions=dims,
        scores=np.round(scores, DECIMALS),
        n_answers=counts,
        group_slices=slices,
    )


def group_totals(matrix: RespondentMatrix) -> tuple[np.ndarray, np.ndarray]:
    """Per group: the sum of respondent scores and the number of respondents, per dimension."""
    present = ~np.isnan(matrix.scores)
    filled = np.where(present, matrix.scores, 0.0)
    sums = np.stack([filled[s].sum(axis=0) for s in matrix.group_slices.values()])
    counts = np.stack([present[s].sum(axis=0) for s in matrix.group_slices.values()])
    return sums, counts.astype(float)


def combine_groups(sums: np.ndarray, counts: np.ndarray, weighting: Weighting) -> np.ndarray:
    """Dimension scores from per-group sums and counts of respondent scores.

    ``sums`` and ``counts`` have shape (groups, ..., dimensions). With
    ``"groups"`` each group's mean counts once (groups without respondents in
    a dimension are left out); with ``"respondents"`` every respondent counts
    once. Used for the point estimate and, with resampled counts, for the
    bootstrap.
    """
    with np.errstate(invalid="ignore", divide="ignore"):
        if weighting == "groups":
            means = sums / counts
            present = counts > 0
            total = np.where(present, means, 0.0).sum(axis=0)
            n = present.sum(axis=0)
            return np.where(n > 0, total / n, np.nan)
        if weighting == "respondents":
            n = counts.sum(axis=0)
            return np.where(n > 0, sums.sum(axis=0) / n, np.nan)
    raise ValueError(f"weighting must be 'groups' or 'respondents', not {weighting!r}")


def maturity_index(scores: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """Weighted mean of dimension scores over the last axis, skipping unscored (NaN) ones."""
    present = ~np.isnan(scores)
    w = np.where(present, weights, 0.0)
    with np.errstate(invalid="ignore", divide="ignore"):
        return (np.where(present, scores, 0.0) * w).sum(axis=-1) / w.sum(axis=-1)


def tier_of(scores: np.ndarray | float) -> np.ndarray:
    """Tier reached = floor of the score (compared at 9 decimals); NaN stays NaN."""
    return np.floor(np.round(np.asarray(scores, dtype=float), DECIMALS))
