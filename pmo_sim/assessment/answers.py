"""Reading one answer: a level number, an option's text, or "not answered".

Survey tools export either the number a respondent picked ("3") or the text
of the option ("A cross-department portfolio board decides ..."). Both are
accepted; text is matched ignoring case, extra spaces and what Word does to
quotes and dashes (:mod:`pmo_sim.assessment.text`). A blank cell or
``n/a`` means the respondent did not answer. Anything else is a problem the
consultant must fix, reported with the closest option as a hint.
"""

from __future__ import annotations

import difflib
import math
from dataclasses import dataclass

from pmo_sim.assessment.questionnaire import LEVELS, Question, Questionnaire
from pmo_sim.assessment.text import fold

__all__ = [
    "NOT_ANSWERED",
    "Parsed",
    "QuestionLookup",
    "closest",
    "fold",
    "parse_answer",
]

#: Cell values meaning "not answered" (compared after folding case and spaces).
NOT_ANSWERED: frozenset[str] = frozenset({"", "n/a", "na", "n.a.", "not applicable"})


def closest(word: str, candidates: list[str], cutoff: float = 0.6) -> str | None:
    """The candidate most like ``word`` (difflib ratio >= ``cutoff``), or None.

    Punctuation and spaces are ignored, so ``"Al 9"`` is close to ``"AL1"``.
    """
    keyed = {_bare(c): c for c in reversed(candidates)}
    match = difflib.get_close_matches(_bare(word), list(keyed), n=1, cutoff=cutoff)
    return keyed[match[0]] if match else None


def _bare(text: str) -> str:
    return "".join(ch for ch in fold(text) if ch.isalnum() or ch == " ")


@dataclass(frozen=True)
class Parsed:
    """An answer cell read against its question: a level, not answered, or an error."""

    level: int | None
    error: str | None = None


def parse_answer(cell: str, question: Question) -> Parsed:
    """Read one answer cell for ``question``."""
    text = fold(cell)
    if text in NOT_ANSWERED:
        return Parsed(None)
    try:
        number = float(text)
    except ValueError:
        number = None
    if number is not None:
        if math.isfinite(number) and number.is_integer() and int(number) in LEVELS:
            return Parsed(int(number))
        return Parsed(None, f"answer {cell.strip()!r} is outside the scale 0-4")
    for level, option in question.options.items():
        if fold(option) == text:
            return Parsed(level)
    hint = closest(cell, list(question.options.values()))
    message = f"answer {_short(cell)!r} is neither a level 0-4 nor the text of an option"
    if hint is not None:
        level = next(lvl for lvl, opt in question.options.items() if opt == hint)
        message += f"; closest option is level {level}: {_short(hint)!r}"
    return Parsed(None, message)


def _short(text: str, limit: int = 60) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


class QuestionLookup:
    """Find a question by its id or its exact text (ignoring case and spaces)."""

    def __init__(self, questionnaire: Questionnaire) -> None:
        self.questionnaire = questionnaire
        self._by_key: dict[str, str] = {}
        for q in questionnaire.questions.values():
            self._by_key[fold(q.id)] = q.id
            self._by_key.setdefault(fold(q.text), q.id)

    def find(self, name: str) -> str | None:
        """Question id for a column header or a ``question`` cell, or None."""
        return self._by_key.get(fold(name))

    def suggest(self, name: str) -> str:
        """A hint naming the closest question id or text, or listing a few ids."""
        questions = self.questionnaire.questions.values()
        # A loose cutoff: a consultant would rather see a weak guess than none.
        hint = closest(name, [q.id for q in questions] + [q.text for q in questions], cutoff=0.4)
        if hint is not None:
            qid = self.find(hint)
            return f"did you mean {qid!r}?" if hint == qid else f"did you mean {qid!r} ({hint!r})?"
        ids = list(self.questionnaire.questions)
        return f"question ids are {', '.join(ids[:6])}{', ...' if len(ids) > 6 else ''}"
