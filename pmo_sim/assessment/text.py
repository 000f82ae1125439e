r"""Text as Word and Excel leave it, made comparable: quotes, dashes, spaces, case.

A questionnaire written in a text editor says ``Who sets the PMO's purpose``;
the same sentence pasted into a survey tool through Word comes back as
``Who sets the PMO’s purpose`` with a curly apostrophe, a non-breaking space
after "the" and perhaps an en dash where there was a hyphen. People see the
same sentence, so the kit must too. :func:`normalise_text` undoes those
substitutions (and Unicode compatibility forms such as full-width letters)
without touching anything a person would read differently; :func:`fold`
adds case folding for comparisons. Both survey imports and the workshop
capture form use them, so a name typed in the room and the same name in an
export are one respondent.

>>> normalise_text("Who sets the\u00a0PMO\u2019s  purpose \u2013 and goals?")
"Who sets the PMO's purpose - and goals?"
>>> fold("  PMO\u2019s GOALS ") == fold("pmo's goals")
True
"""

from __future__ import annotations

import unicodedata

__all__ = ["fold", "normalise_text"]

# What Word's "smart quotes", AutoCorrect and Excel put in place of plain characters.
_REPLACEMENTS = str.maketrans(
    {
        "\u2018": "'",  # left single quotation mark
        "\u2019": "'",  # right single quotation mark (Word's apostrophe)
        "\u201a": "'",  # single low-9 quotation mark
        "\u201b": "'",
        "\u2032": "'",  # prime
        "\u00b4": "'",  # acute accent typed as an apostrophe
        "\u0060": "'",  # grave accent typed as an apostrophe
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u201f": '"',
        "\u2033": '"',
        "\u00ab": '"',
        "\u00bb": '"',
        "\u2010": "-",  # hyphen
        "\u2011": "-",  # non-breaking hyphen
        "\u2012": "-",  # figure dash
        "\u2013": "-",  # en dash
        "\u2014": "-",  # em dash
        "\u2015": "-",  # horizontal bar
        "\u2212": "-",  # minus sign
        "\u2026": "...",  # ellipsis
        "\u00ad": "",  # soft hyphen (invisible)
        "\u200b": "",  # zero-width space
        "\u200c": "",
        "\u200d": "",
        "\ufeff": "",  # a BOM that ended up inside a cell
    }
)


def normalise_text(text: object) -> str:
    """The text with typographic substitutions undone and spaces collapsed.

    Compatibility forms are unified (NFKC: full-width letters, ligatures,
    non-breaking and narrow spaces), curly quotes become straight, dashes
    become hyphens, invisible characters are dropped, and runs of white
    space become one space, trimmed at both ends. Case is kept.
    """
    plain = unicodedata.normalize("NFKC", str(text)).translate(_REPLACEMENTS)
    return " ".join(plain.split())


def fold(text: object) -> str:
    """:func:`normalise_text` plus case folding: the form texts are compared in."""
    return normalise_text(text).casefold()
