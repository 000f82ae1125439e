"""From files to a scored assessment in one call, for the CLI and the report notebook.

Loads the questionnaire (the bundled one by default), the import profile
(``--mapping``), the responses and, when given, an earlier responses file of
the same client for the trend; every loader raises
:class:`~pmo_sim.errors.InputError` on bad input, and both responses files
are checked before either is scored.
"""

from __future__ import annotations

from pathlib import Path

from pmo_sim.assessment.dimension_scores import Weighting
from pmo_sim.assessment.profile import SurveyProfile, load_survey_profile
from pmo_sim.assessment.questionnaire import Questionnaire, load_questionnaire
from pmo_sim.assessment.responses import Responses, load_responses
from pmo_sim.assessment.result import Assessment
from pmo_sim.assessment.scoring import score_responses
from pmo_sim.errors import load_all
from pmo_sim.seeds import DEFAULT_SEED

__all__ = ["assess_file", "load_for_assessment", "score_loaded"]


def assess_file(
    responses: str | Path,
    *,
    questionnaire: str | Path | None = None,
    previous: str | Path | None = None,
    target_tier: int | None = None,
    weighting: Weighting = "groups",
    seed: int = DEFAULT_SEED,
    n_boot: int = 1000,
    group_column: str | None = None,
    client: str | None = None,
    assessed_on: str | None = None,
    mapping: str | Path | SurveyProfile | None = None,
) -> Assessment:
    """Score a responses file (CSV, XLSX or workshop database) against a questionnaire.

    ``mapping`` is the engagement's import profile (``--mapping``), applied
    to the earlier file too: both come from the same client's tool.
    """
    return score_loaded(
        *load_for_assessment(
            responses,
            questionnaire=questionnaire,
            previous=previous,
            group_column=group_column,
            client=client,
            assessed_on=assessed_on,
            mapping=mapping,
        ),
        target_tier=target_tier,
        weighting=weighting,
        seed=seed,
        n_boot=n_boot,
    )


def load_for_assessment(
    responses: str | Path,
    *,
    questionnaire: str | Path | None = None,
    previous: str | Path | None = None,
    group_column: str | None = None,
    client: str | None = None,
    assessed_on: str | None = None,
    mapping: str | Path | SurveyProfile | None = None,
) -> tuple[Questionnaire, Responses, Responses | None]:
    """Load and validate every input of an assessment, all problems at once, before scoring."""
    questions = load_questionnaire(questionnaire)
    profile = (
        mapping
        if isinstance(mapping, SurveyProfile) or mapping is None
        else load_survey_profile(mapping, questions)
    )
    files = {
        "current": lambda: load_responses(
            responses,
            questions,
            group_column=group_column,
            client=client,
            assessed_on=assessed_on,
            mapping=profile,
        )
    }
    if previous is not None:
        files["previous"] = lambda: load_responses(
            previous, questions, group_column=group_column, mapping=profile
        )
    read = load_all(files)
    return questions, read["current"], read.get("previous")


def score_loaded(
    questions: Questionnaire,
    current: Responses,
    previous: Responses | None,
    *,
    target_tier: int | None = None,
    weighting: Weighting = "groups",
    seed: int = DEFAULT_SEED,
    n_boot: int = 1000,
) -> Assessment:
    """Score loaded responses (and the earlier ones, for the trend)."""
    earlier = (
        score_responses(previous, questions, weighting=weighting, seed=seed, n_boot=n_boot)
        if previous is not None
        else None
    )
    return score_responses(
        current,
        questions,
        target_tier=target_tier,
        previous=earlier,
        weighting=weighting,
        seed=seed,
        n_boot=n_boot,
    )
