"""Maturity assessment: questionnaire, survey import, scoring on tiers 1-4.

Data flows one way: a questionnaire file and a responses file are loaded
and validated (:func:`load_questionnaire`, :func:`load_responses`), then
:func:`score_answers` turns a long table of answers into an
:class:`Assessment` of tidy DataFrames. The rules are in ``docs/scoring.md``.

>>> from pmo_sim.assessment import load_questionnaire
>>> len(load_questionnaire().dimensions)
12
"""

from pmo_sim.assessment.agreement import CONSENSUS_STD, GAP_THRESHOLD
from pmo_sim.assessment.groups import STANDARD_GROUPS, normalise_group
from pmo_sim.assessment.questionnaire import (
    DEFAULT_QUESTIONNAIRE,
    TIER_NAMES,
    Dimension,
    Question,
    Questionnaire,
    load_questionnaire,
)
from pmo_sim.assessment.response_set import ANSWER_COLUMNS, Responses
from pmo_sim.assessment.responses import load_responses
from pmo_sim.assessment.result import Assessment
from pmo_sim.assessment.scoring import score_answers, score_responses
from pmo_sim.assessment.store import AnswerStore, load_workshop
from pmo_sim.assessment.summary import format_summary
from pmo_sim.assessment.trend import Trend
from pmo_sim.assessment.workflow import assess_file

__all__ = [
    "ANSWER_COLUMNS",
    "CONSENSUS_STD",
    "DEFAULT_QUESTIONNAIRE",
    "GAP_THRESHOLD",
    "STANDARD_GROUPS",
    "TIER_NAMES",
    "AnswerStore",
    "Assessment",
    "Dimension",
    "Question",
    "Questionnaire",
    "Responses",
    "Trend",
    "assess_file",
    "format_summary",
    "load_questionnaire",
    "load_responses",
    "load_workshop",
    "normalise_group",
    "score_answers",
    "score_responses",
]
