"""Answer coding: how the cells of an export become levels 0-4, and when that is certain.

A respondent who picked "A cross-department portfolio board decides ..."
may appear in the export as that sentence, as ``3`` (the level), as ``4``
(Qualtrics' choice code, counted from 1), as ``A4`` (a LimeSurvey answer
code) or as ``3 – Portfolio`` (a Google Forms grid column). Texts are
certain; numbers are not. If nobody picked the lowest option, answers
``1``-``4`` read the same whether the codes count from 0 or from 1, and
reading them the wrong way puts every dimension exactly one level off.

So :func:`decide_coding` reads numbers as levels only when that is certain:
a ``0`` appears (codes count from 0), the layout is the kit's own (levels by
definition), or the import profile declares ``codes``. Otherwise it refuses
and says how to declare the coding. :func:`read_cell` then reads each cell
under the decided :class:`Coding`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pmo_sim.assessment.answers import NOT_ANSWERED, closest
from pmo_sim.assessment.questionnaire import LEVELS, TIER_NAMES, Question
from pmo_sim.assessment.text import fold, normalise_text

__all__ = [
    "CodeSeen",
    "Coding",
    "CodingRefused",
    "Reading",
    "classify_cell",
    "decide_coding",
    "read_cell",
]

_NUMBER = re.compile(r"[+-]?\d+(?:[.,]0+)?")
_PREFIXED = re.compile(r"([a-z]{1,3})0*(\d{1,2})")
_FRACTION = re.compile(r"[+-]?\d*[.,]\d+")
_LABELLED = re.compile(r"(?:level\s*)?(\d)\s*[-:.)]\s*([^\d\s].*)")
_TIER_BY_NAME = {fold(name): level for level, name in TIER_NAMES.items()}

#: Free text this close to an option (difflib ratio) is a changed option, not an "Other" answer.
EDITED_OPTION_RATIO = 0.85


@dataclass(frozen=True)
class Reading:
    """What one distinct cell text is for its question, before the coding is known.

    ``kind`` is ``"none"`` (not answered), ``"level"`` (an option's text or
    a tier-labelled value: certain), ``"code"`` (a whole number, or a letter
    code such as ``A3``: ``number`` and ``prefix`` set), ``"fraction"``
    (``2.5``: never a level) or ``"text"`` (anything else; ``hint`` names
    the closest option).
    """

    kind: str
    level: int | None = None
    number: int | None = None
    prefix: str = ""
    hint: str | None = None
    close: bool = False


@dataclass(frozen=True)
class CodeSeen:
    """A coded answer and where it was first seen (for the coding's explanation)."""

    prefix: str
    number: int
    where: str


@dataclass(frozen=True)
class Coding:
    """How coded answers become levels in one file.

    ``kind`` is ``"levels"`` (the number is the level), ``"first_level"``
    (level = number - ``first_level``), ``"table"`` (``table`` maps each
    folded code to a level, None = not answered) or ``"texts"`` (no coded
    answers: option texts only). ``reason`` says in words why.
    """

    kind: str
    reason: str
    first_level: int = 0
    table: dict[str, int | None] | None = None

    def describe(self) -> str:
        """One line for ``pmo-sim inspect``."""
        return self.reason


class CodingRefused(Exception):
    """The coded answers of a file cannot be read as levels with certainty."""


def classify_cell(cell: str, question: Question, not_answered: frozenset[str]) -> Reading:
    """Read one cell text for ``question`` as far as possible without a coding."""
    text = fold(cell)
    if text in NOT_ANSWERED or text in not_answered:
        return Reading("none")
    for level, option in question.options.items():
        if fold(option) == text:
            return Reading("level", level=level)
    if _NUMBER.fullmatch(text):
        return Reading("code", number=int(float(text.replace(",", "."))))
    if _FRACTION.fullmatch(text):
        return Reading("fraction")
    prefixed = _PREFIXED.fullmatch(text)
    if prefixed:
        return Reading("code", number=int(prefixed.group(2)), prefix=prefixed.group(1))
    labelled = _LABELLED.fullmatch(text)
    if labelled:
        label = labelled.group(2).strip()
        if label in _TIER_BY_NAME:
            return Reading("level", level=_TIER_BY_NAME[label])
        for level, option in question.options.items():
            if fold(option) == label:
                return Reading("level", level=level)
        return Reading("code", number=int(labelled.group(1)))
    options = list(question.options.values())
    hint = closest(cell, options)
    near = closest(cell, options, cutoff=EDITED_OPTION_RATIO)
    return Reading("text", hint=hint, close=near is not None)


def decide_coding(
    codes: list[CodeSeen],
    *,
    declared_first_level: int | None,
    declared_table: dict[str, int | None] | None,
    levels_by_definition: bool,
    tool: str | None,
    counts_from_one: bool,
) -> Coding:
    """The coding of a file's coded answers, or :class:`CodingRefused` saying how to declare it.

    ``codes`` are the coded answers seen (numbers and letter codes, not
    option texts). ``tool`` names the survey tool for messages (None for
    the kit's own layouts).
    """
    if declared_table is not None:
        return Coding("table", "codes from the mapping's codes table", table=declared_table)
    if declared_first_level is not None:
        first = declared_first_level
        return Coding(
            "first_level",
            f"codes count from {first} (mapping: codes.first_level: {first}): "
            f"{first} is level 0 ... {first + 4} is level 4",
            first_level=first,
        )
    if not codes:
        return Coding("texts", "answers are option texts (no coded answers)")
    if levels_by_definition:
        return Coding("levels", "numbers are levels 0-4 (the kit's own layout)")
    numbers = sorted({c.number for c in codes})
    shown = _shown(codes)
    declare = (
        "say which in a mapping file (--mapping FILE.yaml): `codes: {first_level: 1}` when the "
        "first option is coded 1 (1 is level 0 ... 5 is level 4), `codes: {first_level: 0}` "
        "when the codes are the levels 0-4, or a table such as `codes: {A1: 0, A2: 1, A3: 2, "
        "A4: 3, A5: 4}`"
    )
    if counts_from_one:
        raise CodingRefused(
            f"answers are {tool} choice codes ({shown}); {tool} numbers choices from 1 unless "
            "the survey's recode values were changed, and the file does not say which, so "
            f"the kit will not read them as levels; {declare}"
        )
    zero = next((c for c in codes if c.number == 0), None)
    if zero is not None:
        return Coding(
            "levels", f"codes count from 0 (a 0 appears at {zero.where}): they are the levels"
        )
    if numbers[-1] <= 4:
        low, high = numbers[0], numbers[-1]
        raise CodingRefused(
            f"answers are codes {shown} and no answer is 0, so they could be "
            f"{_span(low, high)} as they stand, or {_span(low - 1, high - 1)} if the codes "
            f"count from 1; the kit will not guess; {declare}"
        )
    if numbers[-1] == 5:
        raise CodingRefused(
            f"answers are codes {shown} and no answer is 0: 5 is past level 4, so they are not "
            "levels as they stand, and that 1 means level 0 is likely but not certain (the "
            f"scale may have had a sixth option); the kit will not guess; {declare}"
        )
    raise CodingRefused(
        f"answers are codes {shown}, which run past 5 and so are not levels 0-4 counted "
        f"from 0 or 1; declare what each code means, e.g. `codes: {{6: 0, 7: 1, 8: 2, 9: 3, "
        f"10: 4}}` in a mapping file (--mapping FILE.yaml)"
    )


def _span(low: int, high: int) -> str:
    return f"level {low}" if low == high else f"levels {low}-{high}"


def _shown(codes: list[CodeSeen]) -> str:
    prefixes = sorted({c.prefix.upper() for c in codes})
    numbers = sorted({c.number for c in codes})
    prefix = prefixes[0] if len(prefixes) == 1 else ""
    if len(numbers) == 1:
        return f"all {prefix}{numbers[0]}"
    return f"{prefix}{numbers[0]}..{prefix}{numbers[-1]}"


def read_cell(cell: str, reading: Reading, coding: Coding) -> tuple[int | None, str | None]:
    """The level of a classified cell under ``coding``: ``(level, None)`` or ``(None, error)``.

    ``(None, None)`` means not answered. Free text is returned as an error
    here; layouts where "Other" is free text deal with it before.
    """
    if reading.kind == "none":
        return None, None
    if reading.kind == "level":
        return reading.level, None
    shown = normalise_text(cell)
    if coding.table is not None and fold(cell) in coding.table:
        return coding.table[fold(cell)], None
    if reading.kind == "fraction":
        return None, f"answer {shown!r} is outside the scale 0-4 (levels are whole numbers)"
    if reading.kind == "code":
        if coding.kind == "table":
            assert coding.table is not None
            known = ", ".join(list(coding.table)[:8])
            return None, f"code {shown!r} is not in the mapping's codes table ({known})"
        if reading.prefix and coding.kind == "levels":
            return None, (
                f"answer {shown!r} is a letter code; say what it means with `codes:` in a "
                "mapping file"
            )
        number = reading.number if reading.number is not None else -1
        level = number - (coding.first_level if coding.kind == "first_level" else 0)
        if level in LEVELS:
            return level, None
        if coding.kind == "first_level":
            first = coding.first_level
            return None, f"answer {shown!r} is outside the codes {first}-{first + 4}"
        return None, f"answer {shown!r} is outside the scale 0-4"
    message = f"answer {_short(shown)!r} is neither a level 0-4 nor the text of an option"
    if reading.hint is not None:
        message += f"; closest option: {_short(reading.hint)!r}"
    return None, message


def _short(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
