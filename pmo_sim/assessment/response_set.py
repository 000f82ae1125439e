"""The validated answers of one assessment, whatever they were read from.

A survey export (:func:`pmo_sim.assessment.load_responses`) and a live
workshop's database (:func:`pmo_sim.assessment.load_workshop`) both become
one :class:`Responses`, so that both are scored by the same code.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import pandas as pd

if TYPE_CHECKING:
    from pmo_sim.assessment.inspection import Inspection

__all__ = ["ANSWER_COLUMNS", "Responses"]

#: Columns of :attr:`Responses.answers` (and of the frame ``score_answers`` takes).
ANSWER_COLUMNS: tuple[str, ...] = ("respondent", "group", "question", "level", "comment")


@dataclass(frozen=True)
class Responses:
    """Validated answers of one assessment.

    ``answers`` has the columns of :data:`ANSWER_COLUMNS`: ``respondent``
    (str), ``group`` (normalised, str), ``question`` (question id),
    ``level`` (float 0-4, NaN when not answered) and ``comment`` (str, may be
    empty). Unanswered cells are kept (NaN level) so that scoring can count
    them and comments on them are not lost. ``inspection`` records what a
    survey export's import read and decided (None for a workshop database).
    """

    answers: pd.DataFrame
    client: str | None = None
    assessed_on: str | None = None
    source: str | None = None
    layout: str = "long"
    warnings: tuple[str, ...] = field(default_factory=tuple)
    inspection: Inspection | None = None
