"""Text as Word and Excel leave it compares equal to the text as written."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from pmo_sim.assessment import load_questionnaire
from pmo_sim.assessment.coding import classify_cell
from pmo_sim.assessment.text import fold, normalise_text

WORD = {"'": "\u2019", '"': "\u201d", "-": "\u2013", " ": "\u00a0"}


def word_damage(text: str) -> str:
    """What Word's AutoCorrect and a paste from a web page do to a sentence."""
    return "".join(WORD.get(ch, ch) for ch in text).upper() + "  "


def test_every_option_text_survives_word():
    questionnaire = load_questionnaire()
    for question in questionnaire.questions.values():
        for level, option in question.options.items():
            reading = classify_cell(word_damage(option), question, frozenset())
            assert (reading.kind, reading.level) == ("level", level)


def test_what_is_normalised_and_what_is_not():
    assert normalise_text("a\u00a0\u00a0b\u2014c \u201cd\u201d\u2026") == 'a b-c "d"...'
    assert normalise_text("Zoë\u200b Brandt\ufeff") == "Zoë Brandt"  # letters and accents stay
    assert fold("ＡＢＣ") == "abc"  # full-width letters, as some IMEs type them
    assert fold("Straße") == fold("STRASSE")  # case folding, not just lower()


@given(st.text())
def test_normalising_twice_changes_nothing(text):
    once = normalise_text(text)
    assert normalise_text(once) == once
    assert fold(fold(text)) == fold(text)
