"""Capture form and live results driven like a person would, without a browser."""

from __future__ import annotations

import asyncio
import sqlite3

import pytest

from pmo_sim.assessment import load_questionnaire, load_responses
from pmo_sim.widgets import capture_form, live_results
from pmo_sim.widgets.capture import NOT_ANSWERED_LABEL


@pytest.fixture(scope="module")
def questionnaire():
    return load_questionnaire()


@pytest.fixture
def database(tmp_path):
    return tmp_path / "acme.sqlite"


def _add(form, name, group):
    form.new_name.value = name
    form.new_group.value = group
    form.add_button.click()


def _answers(path):
    conn = sqlite3.connect(path)
    try:
        return conn.execute(
            "SELECT respondent, question, level FROM answers ORDER BY respondent, question"
        ).fetchall()
    finally:
        conn.close()


def test_answers_are_in_the_database_the_moment_they_are_clicked(database, questionnaire):
    form = capture_form(database, questionnaire)
    assert form.respondent.value is None
    assert all(radio.disabled for radio in form.choices.values())

    _add(form, "Ana", "Project managers")
    assert form.respondent.value == "Ana"
    assert "Saved respondent Ana (Project manager)" in form.status.value

    form.choices["AL1"].value = 3
    assert _answers(database) == [("Ana", "AL1", 3)]
    assert "Saved AL1 = 3 for Ana" in form.status.value
    assert form.pages.titles[0].endswith("(1/4)")
    assert "1 of 48 questions answered" in form.progress.value

    form.choices["AL1"].value = 1  # changed her mind
    form.choices["AL2"].value = -1  # "not answered"
    assert _answers(database) == [("Ana", "AL1", 1), ("Ana", "AL2", None)]
    assert form.choices["AL2"].label == NOT_ANSWERED_LABEL


def test_every_keystroke_of_a_comment_is_saved(database, questionnaire):
    form = capture_form(database, questionnaire)
    _add(form, "Ana", "pmo")
    box = form.comments["alignment"]
    for text in ("N", "No", "No charter"):
        box.value = text
    assert form.store.comments_of("Ana") == {"alignment": "No charter"}
    assert len(form.store.journal().query("kind == 'comment'")) == 3


def test_several_respondents_and_switching_between_them(database, questionnaire):
    form = capture_form(database, questionnaire)
    _add(form, "Ana", "pmo")
    form.choices["AL1"].value = 2
    _add(form, "Bo", "exec")
    assert form.choices["AL1"].value is None  # Bo starts blank
    form.choices["AL1"].value = 4
    form.comments["alignment"].value = "board decides"
    form.select("Ana")
    assert form.choices["AL1"].value == 2
    assert form.comments["alignment"].value == ""
    assert _answers(database) == [("Ana", "AL1", 2), ("Bo", "AL1", 4)]
    labels = [label for label, _ in form.respondent.options]
    assert labels == ["Ana (PMO staff)", "Bo (Executive)"]


def test_nothing_is_recorded_without_a_respondent(database, questionnaire):
    form = capture_form(database, questionnaire)
    form.choices["AL1"].value = 2
    assert "not recorded" in form.status.value
    _add(form, "", "pmo")
    assert "Cannot add" in form.status.value
    assert _answers(database) == []


def test_reopened_form_resumes_with_the_last_respondent(database, questionnaire):
    form = capture_form(database, questionnaire)
    _add(form, "Ana", "pmo")
    form.choices["AL1"].value = 2
    _add(form, "Bo", "team member")
    form.choices["PF1"].value = 1
    form.store.close()

    again = capture_form(database, questionnaire)
    assert again.respondent.value == "Bo"
    assert again.choices["PF1"].value == 1
    again.select("Ana")
    assert again.choices["AL1"].value == 2


def test_export_button_writes_the_csv_pmo_sim_assess_reads(database, questionnaire, tmp_path):
    form = capture_form(database, questionnaire, client="ACME", assessed_on="2025-05-06")
    _add(form, "Ana", "pmo")
    form.choices["AL1"].value = 2
    form.choices["AL3"].value = 4
    form.export_path.value = str(tmp_path / "export" / "acme.csv")
    form.export_button.click()
    assert "Exported 2 rows" in form.status.value
    responses = load_responses(tmp_path / "export" / "acme.csv", questionnaire)
    assert list(responses.answers["level"]) == [2.0, 4.0]
    assert responses.client == "ACME"


def test_live_results_follow_the_form_debounced(database, questionnaire):
    async def workshop():
        form = capture_form(database, questionnaire)
        live = live_results(database, questionnaire, follow=form, poll_seconds=60)
        assert live.assessment is None and "Waiting" in live.headline.value

        _add(form, "Ana", "pmo")
        for qid in questionnaire.questions:
            form.choices[qid].value = 3
        await asyncio.sleep(0.6)  # a burst of 49 changes, then a pause: one redraw
        assert live.redraws == 1
        assert live.assessment.tier == 3
        assert "Tier 3" in live.headline.value
        first_radar = live.radar.value
        assert first_radar[:8] == b"\x89PNG\r\n\x1a\n"

        _add(form, "Bo", "executive")
        for qid in questionnaire.questions:
            form.choices[qid].value = 1
        await asyncio.sleep(0.6)
        assert live.redraws == 2
        assert live.assessment.tier == 2  # mean of 3 and 1 per dimension
        assert live.assessment.group_sizes == {"executive": 1, "pmo": 1}
        assert "2 respondents" in live.headline.value
        assert live.radar.value != first_radar
        live.close()

    asyncio.run(workshop())


def test_live_results_see_answers_from_another_process(database, questionnaire):
    live = live_results(database, questionnaire)
    before = live.redraws
    live.poll()
    assert live.redraws == before  # nothing changed, nothing redrawn
    other = capture_form(database, questionnaire)  # stands for a participant's Voila kernel
    _add(other, "Cy", "functional manager")
    other.choices["AL1"].value = 2
    live.poll()
    assert live.redraws == before + 1
    assert live.assessment.group_sizes == {"functional_manager": 1}
    live.close()


def test_typed_names_and_groups_are_normalised_as_in_survey_exports(database, questionnaire):
    form = capture_form(database, questionnaire)
    _add(form, "Siobhán O’Brien", "Project\u00a0Managers ")
    _add(form, "  Siobhán   O'Brien", "PM")  # the same person, typed again on another laptop
    people = form.store.respondents()
    assert people["respondent"].tolist() == ["Siobhán O'Brien"]
    assert people["group"].tolist() == ["project_manager"]
