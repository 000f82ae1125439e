"""Where people disagree: spread within a dimension, and gaps between groups.

Two numbers a consultant takes into the workshop. *Consensus*: when the
standard deviation of respondents' scores in a dimension exceeds 1.0, people
describe different organisations, and the dimension is flagged for
discussion. *Perception gaps*: when executives score a dimension a whole
level (1.0) or more above project managers, the gap itself is a finding.
"""

from __future__ import annotations

import itertools
import warnings

import numpy as np
import pandas as pd

from pmo_sim.assessment.dimension_scores import DECIMALS, RespondentMatrix

__all__ = ["CONSENSUS_STD", "GAP_THRESHOLD", "consensus", "perception_gaps"]

#: A dimension is flagged for discussion when the spread exceeds this standard deviation.
CONSENSUS_STD = 1.0
#: A perception gap is flagged when two groups differ by at least this much.
GAP_THRESHOLD = 1.0


def consensus(matrix: RespondentMatrix) -> pd.DataFrame:
    """Per dimension, how far respondents' scores spread.

    Columns: ``std`` (population, ddof=0), ``range``, ``min``, ``max``,
    ``n_respondents`` and ``flagged`` (std > 1.0).
    """
    scores = matrix.scores
    present = ~np.isnan(scores)
    n = present.sum(axis=0)
    with warnings.catch_warnings():
        # An unanswered dimension (all NaN) is reported elsewhere.
        warnings.simplefilter("ignore", RuntimeWarning)
        std = np.round(np.nanstd(scores, axis=0), DECIMALS)
        low = np.nanmin(scores, axis=0)
        high = np.nanmax(scores, axis=0)
    return pd.DataFrame(
        {
            "dimension": matrix.dimensions,
            "std": std,
            "range": np.round(high - low, DECIMALS),
            "min": low,
            "max": high,
            "n_respondents": n,
            "flagged": std > CONSENSUS_STD,
        }
    )


def perception_gaps(group_scores: pd.DataFrame, groups: list[str]) -> pd.DataFrame:
    """Every pair of groups in every dimension both scored.

    ``group_scores`` is tidy (``group``, ``dimension``, ``score``); ``groups``
    gives the order, so ``gap = score_a - score_b`` with ``group_a`` first in
    that order (executives before project managers: a positive gap means the
    executives see the more mature PMO). ``flagged`` when ``|gap| >= 1.0``.
    """
    table = group_scores.pivot(index="dimension", columns="group", values="score")
    dims = list(dict.fromkeys(group_scores["dimension"]))
    rows = []
    for dim in dims:
        for a, b in itertools.combinations([g for g in groups if g in table.columns], 2):
            score_a, score_b = table.at[dim, a], table.at[dim, b]
            if np.isnan(score_a) or np.isnan(score_b):
                continue
            gap = round(float(score_a - score_b), DECIMALS)
            rows.append((dim, a, b, float(score_a), float(score_b), gap, abs(gap) >= GAP_THRESHOLD))
    columns = ["dimension", "group_a", "group_b", "score_a", "score_b", "gap", "flagged"]
    return pd.DataFrame(rows, columns=columns)
