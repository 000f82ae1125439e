"""Excel re-saves: encodings, separators, decimal commas, blank rows and dates.

The same three answers are written in every encoding and separator a
client's Excel produces; each must read to the same levels, and what cannot
be read with certainty must be refused with how to re-save.
"""

from __future__ import annotations

import codecs
import datetime as dt
from pathlib import Path

import pytest

from pmo_sim.assessment import load_questionnaire, load_responses
from pmo_sim.assessment.dates import read_dates
from pmo_sim.assessment.export_files import read_grid
from pmo_sim.errors import InputError

QUESTIONNAIRE = load_questionnaire()
AL1 = QUESTIONNAIRE.questions["AL1"]
# AL1's text has an apostrophe: Word makes it curly; the option text has a semicolon.
HEADER = AL1.text.replace("'", "\u2019")
# Letters, quotes, dashes and the euro sign that Windows-1252 and -1250 write alike.
ROWS = [
    ("Zoë Brandt", "Geschäftsführung", AL1.options[3]),
    ("Jörg Müller-Édouard", "PMO", AL1.options[1].replace("-", "\u2013") + " "),
    ("Ana „SSé“ €", "Project manager", ""),
]
EXPECTED = {"Zoë Brandt": 3.0, "Jörg Müller-Édouard": 1.0}


def table_text(separator: str, quote_all: bool = True) -> str:
    def cell(text: str) -> str:
        return '"' + text.replace('"', '""') + '"' if quote_all or separator in text else text

    lines = [separator.join(cell(c) for c in ("respondent", "group", HEADER))]
    lines += [separator.join(cell(c) for c in row) for row in ROWS]
    return "\r\n".join(lines) + "\r\n"


def levels(path: Path) -> dict[str, float]:
    answers = load_responses(path, QUESTIONNAIRE).answers
    return {r: v for r, v in zip(answers["respondent"], answers["level"], strict=True) if v == v}


ENCODED = {
    "utf-8": lambda text: text.encode("utf-8"),
    "utf-8 with BOM": lambda text: codecs.BOM_UTF8 + text.encode("utf-8"),
    "utf-16 with BOM (Unicode Text)": lambda text: text.encode("utf-16"),
    "windows-1252": lambda text: text.encode("cp1252"),
}


@pytest.mark.parametrize("encoding", list(ENCODED))
@pytest.mark.parametrize("separator", [",", ";", "\t"])
def test_every_encoding_and_separator_reads_the_same(tmp_path, encoding, separator):
    path = tmp_path / "export.csv"
    path.write_bytes(ENCODED[encoding](table_text(separator)))
    assert levels(path) == EXPECTED
    groups = load_responses(path, QUESTIONNAIRE).answers["group"].tolist()
    assert groups == ["Geschäftsführung", "pmo", "project_manager"]


def test_the_encoding_and_separator_are_reported(tmp_path):
    path = tmp_path / "export.csv"
    path.write_bytes(table_text(";").encode("cp1252"))
    grid = read_grid(path)
    assert (grid.encoding, grid.separator) == ("Windows-1252 (Western European)", ";")
    path.write_bytes(table_text("\t").encode("utf-16"))
    assert read_grid(path).described_format == (
        "delimited text, tab separated, UTF-16 (byte-order mark)"
    )


@pytest.mark.parametrize(
    ("text", "as_1252", "as_1250"),
    [("Exécutif très engagé", "très", "trčs"), ("Jorge Nuñez", "Nuñez", "Nuńez")],
)
def test_western_letters_that_central_european_reads_otherwise_are_refused(
    tmp_path, text, as_1252, as_1250
):
    path = tmp_path / "export.csv"
    path.write_bytes(f"respondent,group,AL1\nr1,{text},2\n".encode("cp1252"))
    with pytest.raises(InputError) as caught:
        load_responses(path, QUESTIONNAIRE)
    assert repr(as_1252) in str(caught.value) and repr(as_1250) in str(caught.value)


def test_polish_in_windows_1250_is_recognised_by_its_letters(tmp_path):
    # As Windows-1252 this reads "Zarz¹d", "£¹cznoœæ": symbols inside words.
    path = tmp_path / "export.csv"
    path.write_bytes("respondent,group,AL1\nŁączność,Zarząd,2\n".encode("cp1250"))
    grid = read_grid(path)
    assert grid.encoding.startswith("Windows-1250") and grid.rows[1][:2] == ["Łączność", "Zarząd"]


def test_a_legacy_file_that_reads_differently_in_two_code_pages_is_refused(tmp_path):
    # "très" in Windows-1252 is "trčs" in Windows-1250; bytes alone cannot tell which.
    path = tmp_path / "export.csv"
    path.write_bytes("respondent,group,AL1\nr1,Exécutif très engagé,2\n".encode("cp1252"))
    with pytest.raises(InputError) as caught:
        load_responses(path, QUESTIONNAIRE)
    message = str(caught.value)
    assert "not UTF-8" in message and "line 2" in message
    assert "'très'" in message and "'trčs'" in message
    assert "CSV UTF-8" in message  # how to re-save
    assert "byte" not in message.split(";")[0]  # never a bare byte offset


def test_utf16_without_a_byte_order_mark_is_refused_with_advice(tmp_path):
    path = tmp_path / "export.txt"
    path.write_bytes(table_text("\t").encode("utf-16-le"))
    with pytest.raises(InputError, match=r"looks like UTF-16.*no byte-order mark.*CSV UTF-8"):
        load_responses(path, QUESTIONNAIRE)


def test_a_damaged_utf8_file_with_a_bom_names_the_line(tmp_path):
    path = tmp_path / "export.csv"
    path.write_bytes(codecs.BOM_UTF8 + b"respondent,group,AL1\nr1,pmo,2\nr2,b\xe9ta,1\n")
    with pytest.raises(InputError, match="line 3 is not valid UTF-8"):
        load_responses(path, QUESTIONNAIRE)


def test_decimal_commas_and_trailing_blank_rows(tmp_path):
    path = tmp_path / "export.csv"
    path.write_text("respondent;group;AL1;AL2\nr1;pmo;2,0;3\nr2;exec;1;0,0\n;;;\n;;;\n;;;\n")
    answers = load_responses(path, QUESTIONNAIRE).answers
    assert answers["level"].tolist() == [2.0, 3.0, 1.0, 0.0]
    skipped = load_responses(path, QUESTIONNAIRE).inspection.skipped
    assert [(s.row, s.reason) for s in skipped] == [
        (4, "blank row"),
        (5, "blank row"),
        (6, "blank row"),
    ]


def test_a_half_level_with_a_decimal_comma_is_outside_the_scale(tmp_path):
    path = tmp_path / "export.csv"
    path.write_text("respondent;group;AL1\nr1;pmo;2,5\n")
    with pytest.raises(InputError, match="row 2, column 'AL1'"):
        load_responses(path, QUESTIONNAIRE)


@pytest.mark.parametrize(
    ("values", "order", "latest"),
    [
        (["18.03.2025", "17.03.2025 09:41"], "iso", dt.date(2025, 3, 18)),
        (["03/18/2025 9:41:22", "03/02/2025"], "month first", dt.date(2025, 3, 18)),
        (["18/03/2025 09:41:22", "02/03/2025"], "day first", dt.date(2025, 3, 18)),
        (["2025/03/18 9:41:22 AM GMT+1", "2025-03-17T08:00:00"], "iso", dt.date(2025, 3, 18)),
        (["3/18/25 9:41"], "month first", dt.date(2025, 3, 18)),
        (["03/04/2025", "05/06/2025"], "ambiguous", None),
    ],
)
def test_dates_as_tools_and_excel_write_them(values, order, latest):
    dates = read_dates(values)
    assert dates.order == order
    assert dates.latest == latest


def test_a_date_column_that_fits_both_orders_gives_a_warning_not_a_guess(tmp_path):
    path = tmp_path / "export.csv"
    path.write_text("ID,Start time,Completion time,Role,AL1\n1,03/04/2025,03/04/2025,pmo,0\n")
    got = load_responses(path, QUESTIONNAIRE)
    assert got.assessed_on is None
    assert any("day/month or month/day" in w and "--date" in w for w in got.warnings)


def test_an_excel_sep_line_names_the_separator(tmp_path):
    path = tmp_path / "export.csv"
    path.write_text("sep=;\nrespondent;group;AL1\nr1;pmo,team;2\n", encoding="utf-8")
    grid = read_grid(path)
    assert grid.separator == ";" and grid.rows[1] == ["r1", "pmo,team", "2"]
