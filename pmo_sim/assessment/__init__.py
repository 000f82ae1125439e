"""Maturity assessment: questionnaire, survey import, scoring on tiers 1-4.

Data flows one way: a questionnaire file and a responses file (the kit's own
layouts or a survey tool's export, see :data:`LAYOUTS`, with an optional
:class:`SurveyProfile` for what the file cannot say) are loaded and
validated (:func:`load_questionnaire`, :func:`load_responses`), then
:func:`score_answers` turns a long table of answers into an
:class:`Assessment` of tidy DataFrames. The rules are in ``docs/scoring.md``.

>>> from pmo_sim.assessment import load_questionnaire
>>> len(load_questionnaire().dimensions)
12
"""

from pmo_sim.assessment.agreement import CONSENSUS_STD, GAP_THRESHOLD
from pmo_sim.assessment.groups import GROUP_LABELS, STANDARD_GROUPS, group_label, normalise_group
from pmo_sim.assessment.layouts import LAYOUTS
from pmo_sim.assessment.profile import SurveyProfile, TableProfile, load_survey_profile
from pmo_sim.assessment.questionnaire import (
    DEFAULT_QUESTIONNAIRE,
    TIER_NAMES,
    Dimension,
    Question,
    Questionnaire,
    load_questionnaire,
)
from pmo_sim.assessment.response_set import ANSWER_COLUMNS, Responses
from pmo_sim.assessment.responses import inspect_responses, load_responses
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
    "GROUP_LABELS",
    "LAYOUTS",
    "STANDARD_GROUPS",
    "TIER_NAMES",
    "AnswerStore",
    "Assessment",
    "Dimension",
    "Question",
    "Questionnaire",
    "Responses",
    "SurveyProfile",
    "TableProfile",
    "Trend",
    "assess_file",
    "format_summary",
    "group_label",
    "inspect_responses",
    "load_questionnaire",
    "load_responses",
    "load_survey_profile",
    "load_workshop",
    "normalise_group",
    "score_answers",
    "score_responses",
]
