"""A group reads the same on every surface: terminal, report, deck, figure, widgets, room.

The standard groups are shown by their labels in ``GROUP_LABELS``; a group the
client typed that is not one of them is shown exactly as typed (underscores
kept), and escaped wherever the surface is HTML.
"""

from __future__ import annotations

import io

import pandas as pd
import pytest
from pptx import Presentation

from pmo_sim.assessment import (
    GROUP_LABELS,
    STANDARD_GROUPS,
    AnswerStore,
    format_summary,
    group_label,
    load_questionnaire,
    normalise_group,
    score_answers,
)
from pmo_sim.reporting.assessment_figures import group_radar
from pmo_sim.reporting.assessment_sections import disagreement_section, executive_summary
from pmo_sim.reporting.deck_assessment import assessment_deck
from pmo_sim.room.board import room_board
from pmo_sim.room.pages import board_html
from pmo_sim.widgets.capture import CaptureForm
from pmo_sim.widgets.live import LiveResults

#: A group no survey tool spells like a standard one: kept as typed, markup and all.
CUSTOM = "R&D_<Board>"
CUSTOM_HTML = "R&amp;D_&lt;Board&gt;"


@pytest.fixture(scope="module")
def questionnaire():
    return load_questionnaire()


@pytest.fixture
def store(tmp_path, questionnaire):
    """Three respondents: an executive at 4, a project manager at 1, the custom group at 2."""
    with AnswerStore(tmp_path / "acme.sqlite", questionnaire) as store:
        for name, group, level in [("Ana", "Exec", 4), ("Bo", "PM", 1), ("Cy", CUSTOM, 2)]:
            store.add_respondent(name, group)
            for question in questionnaire.questions:
                store.record_answer(name, question, level)
        yield store


@pytest.fixture
def assessment(store, questionnaire):
    return score_answers(store.answers_frame(), questionnaire, n_boot=50)


def test_every_standard_group_has_one_label_that_folds_back_to_it():
    assert list(GROUP_LABELS) == list(STANDARD_GROUPS)
    assert {normalise_group(label) for label in GROUP_LABELS.values()} == set(STANDARD_GROUPS)
    assert group_label("pmo") == "PMO staff" and group_label(CUSTOM) == CUSTOM


def test_terminal_summary(assessment):
    text = format_summary(assessment)
    assert f"(Executive 1, Project manager 1, {CUSTOM} 1)" in text
    # Executives 4 and project managers 1 are three tiers apart on every dimension.
    assert "Executive 4.00 vs Project manager 1.00  (+3.00)" in text
    # The by-group table: each label over two header lines, as wide as a 10-character column.
    head = text.splitlines()
    top = next(i for i, line in enumerate(head) if line.startswith("Scores by group"))
    assert head[top - 1].split() == ["Project"] and head[top].split()[-3:] == [
        "Executive",
        "manager",
        CUSTOM[:9] + "…",
    ]


def test_html_report(assessment):
    summary = executive_summary(assessment)
    assert f"(Executive 1, Project manager 1, {CUSTOM_HTML} 1)" in summary
    assert "<Board>" not in summary
    gaps = disagreement_section(assessment)
    assert "<td>Executive</td>" in gaps and "<td>Project manager</td>" in gaps
    assert f"<td>{CUSTOM_HTML}</td>" in gaps


def test_deck(assessment):
    deck = Presentation(io.BytesIO(assessment_deck(assessment)))
    cells = {
        cell.text
        for slide in deck.slides
        for shape in slide.shapes
        if shape.has_table
        for row in shape.table.rows
        for cell in row.cells
    }
    assert {"Executive", "Project manager", CUSTOM} <= cells
    assert not {"executive", "project_manager", "project manager"} & cells


def test_figure_legend(assessment):
    fig = group_radar(assessment)
    legend = [t.get_text() for ax in fig.axes if ax.get_legend() for t in ax.get_legend().texts]
    assert legend[:3] == ["Executive", "Project manager", CUSTOM]


def test_widgets(store, assessment):
    form = CaptureForm(store)
    assert list(form.new_group.options) == list(GROUP_LABELS.values())
    assert [label for label, _ in form.respondent.options] == [
        "Ana (Executive)",
        "Bo (Project manager)",
        f"Cy ({CUSTOM})",
    ]
    live = LiveResults(store, poll_seconds=0)
    live.refresh()
    assert f"(Executive 1, Project manager 1, {CUSTOM_HTML} 1)" in live.headline.value
    live.poller.stop()


def test_room_board(store):
    board = room_board(store.respondents(), store.answers_frame(), store.questionnaire, version=1)
    page = board_html(board)
    for label in ("Executive", "Project manager", CUSTOM_HTML):
        assert f"</span>{label}</td>" in page
    assert "<Board>" not in page and "project manager" not in page


def test_answer_table_keeps_the_group_as_stored(assessment):
    # Labels are for people: the results tables keep the group names themselves.
    assert set(assessment.group_sizes) == {"executive", "project_manager", CUSTOM}
    assert isinstance(assessment.groups, pd.DataFrame)
