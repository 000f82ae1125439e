"""From files to a scored assessment in one call, for the CLI and the report notebook.

Loads the questionnaire (the bundled one by default), the responses and,
when given, an earlier responses file of the same client for the trend;
every loader raises :class:`~pmo_sim.errors.InputError` on bad input.
"""

from __future__ import annotations

from pathlib import Path

from pmo_sim.assessment.dimension_scores import Weighting
from pmo_sim.assessment.questionnaire import load_questionnaire
from pmo_sim.assessment.responses import load_responses
from pmo_sim.assessment.result import Assessment
from pmo_sim.assessment.scoring import score_responses

__all__ = ["assess_file"]


def assess_file(
    responses: str | Path,
    *,
    questionnaire: str | Path | None = None,
    previous: str | Path | None = None,
    target_tier: int | None = None,
    weighting: Weighting = "groups",
    seed: int = 0,
    n_boot: int = 1000,
    group_column: str | None = None,
    client: str | None = None,
    assessed_on: str | None = None,
) -> Assessment:
    """Score a responses file (CSV, XLSX or workshop database) against a questionnaire."""
    questions = load_questionnaire(questionnaire)
    options = {"weighting": weighting, "seed": seed, "n_boot": n_boot}
    earlier = None
    if previous is not None:
        old = load_responses(previous, questions, group_column=group_column)
        earlier = score_responses(old, questions, **options)
    current = load_responses(
        responses, questions, group_column=group_column, client=client, assessed_on=assessed_on
    )
    return score_responses(current, questions, target_tier=target_tier, previous=earlier, **options)
