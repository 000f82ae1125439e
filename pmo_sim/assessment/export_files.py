"""A survey export's file as a grid of text cells: encoding, separator, sheet.

Clients hand over whatever their tool or their Excel wrote: ``CSV UTF-8``,
``CSV (Comma delimited)`` in the Windows code page, ``Unicode Text``
(UTF-16 with a byte-order mark, tab separated), a German Excel's ``;``
separated file with decimal commas and a tail of ``;;;;`` rows, or the
workbook itself. :func:`read_grid` turns each into rows of strings, keeping
the spreadsheet row number of every row so that problems can point at it.
Nothing here knows about questions or layouts: that is
:mod:`pmo_sim.assessment.layouts`.

The encoding is never guessed silently. UTF-8 (with or without BOM) and
UTF-16/32 with a BOM are certain; anything else is offered to
charset-normalizer and accepted only when every plausible reading gives the
same text, or when one legacy Western code page is the clear best reading.
Otherwise the file is refused with what to re-save it as.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
from dataclasses import dataclass, field
from pathlib import Path

from pmo_sim.errors import InputError
from pmo_sim.files import from_spreadsheet_safe

__all__ = ["Grid", "SkippedRow", "decode_text", "read_grid"]

#: File suffixes read as delimited text, and as workbooks.
TEXT_SUFFIXES = frozenset({".csv", ".tsv", ".txt"})
WORKBOOK_SUFFIXES = frozenset({".xlsx", ".xlsm"})

#: Separators tried on delimited text, in order of preference on a tie.
SEPARATORS: tuple[str, ...] = (",", ";", "\t")

# How to re-save, said once so every refusal gives the same advice.
RESAVE = (
    "re-save it as UTF-8: in Excel, File > Save As > 'CSV UTF-8 (Comma delimited)'; "
    "in LibreOffice, tick 'Edit filter settings' and choose 'Unicode (UTF-8)'"
)

_BOMS: tuple[tuple[bytes, str, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32", "UTF-32 (byte-order mark)"),
    (codecs.BOM_UTF32_BE, "utf-32", "UTF-32 (byte-order mark)"),
    (codecs.BOM_UTF8, "utf-8-sig", "UTF-8 with byte-order mark"),
    (codecs.BOM_UTF16_LE, "utf-16", "UTF-16 (byte-order mark)"),
    (codecs.BOM_UTF16_BE, "utf-16", "UTF-16 (byte-order mark)"),
)

# The two Latin-script code pages Excel writes "CSV (Comma delimited)" in across Europe.
_EXCEL_CODE_PAGES: dict[str, str] = {
    "cp1252": "Windows-1252 (Western European)",
    "cp1250": "Windows-1250 (Central European)",
}
#: Code-page families spreadsheets write (Windows, ISO-8859, old Mac Excel); not DOS or EBCDIC.
_SPREADSHEET_FAMILIES = ("cp125", "iso8859", "latin", "mac_roman")
#: Readings whose charset-normalizer "chaos" is within this of the best are all plausible.
CHAOS_MARGIN = 0.05


@dataclass(frozen=True)
class SkippedRow:
    """A row of the file left out before reading answers, and why."""

    row: int
    reason: str


@dataclass
class Grid:
    """The cells of one sheet or delimited file, as text, with where each row came from.

    ``rows[i]`` is a list of cell texts (padded to the same width) from
    spreadsheet row ``row_numbers[i]`` (1-based, as Excel numbers them).
    Blank rows are already dropped and listed in ``skipped``.
    """

    rows: list[list[str]]
    row_numbers: list[int]
    encoding: str | None = None
    separator: str | None = None
    sheet: str | None = None
    skipped: list[SkippedRow] = field(default_factory=list)

    @property
    def described_format(self) -> str:
        """``"CSV, ';' separated, Windows-1252"`` or ``"XLSX sheet 'Sheet1'"``."""
        if self.sheet is not None:
            return f"XLSX sheet {self.sheet!r}"
        sep = {"\t": "tab", ",": "','", ";": "';'"}.get(self.separator or ",", repr(self.separator))
        return f"delimited text, {sep} separated, {self.encoding}"


def decode_text(path: Path, data: bytes) -> tuple[str, str]:
    """The text of ``data`` and a description of its encoding; refuses uncertain guesses."""
    for bom, codec, name in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(codec), name
            except UnicodeDecodeError:
                damaged = data.decode(codec, errors="replace")
                line = damaged.count("\n", 0, damaged.index("\ufffd")) + 1
                raise InputError(
                    path,
                    f"the file starts with a {name} mark but line {line} is not valid "
                    f"{name.split()[0]} (part of the file was saved in another encoding or is "
                    f"damaged); {RESAVE}",
                ) from None
    try:
        return data.decode("utf-8"), "UTF-8"
    except UnicodeDecodeError:
        pass
    sample = data[:4096]
    if sample.count(b"\x00") > len(sample) // 4:
        raise InputError(
            path,
            "the file looks like UTF-16 ('Unicode Text') but has no byte-order mark, so its "
            f"byte order cannot be told; {RESAVE}",
        )
    return _legacy(path, data)


def _legacy(path: Path, data: bytes) -> tuple[str, str]:
    """Decode a file that is not UTF-8, or refuse when the reading is not certain.

    Windows-1252 and -1250 agree on most letters of Western languages
    (German umlauts, curly quotes, dashes): when both read the file the same,
    that text is certain. Otherwise charset-normalizer ranks the readings,
    and the best is taken only if every reading about as plausible (within
    :data:`CHAOS_MARGIN`) gives the same text. French ``très`` is ``třs`` in
    Windows-1250 and Czech ``Přehled`` is ``Pøehled`` in Windows-1252; bytes
    alone cannot tell them apart, so such a file is refused with the word
    that differs.
    """
    from charset_normalizer import from_bytes

    readings: dict[str, str] = {}
    for codec in _EXCEL_CODE_PAGES:
        try:
            readings[codec] = data.decode(codec)
        except UnicodeDecodeError:
            continue
    if len(readings) == 2 and readings["cp1252"] == readings["cp1250"]:
        return readings["cp1252"], _EXCEL_CODE_PAGES["cp1252"]
    chaos: dict[str, float] = {}
    texts: dict[str, str] = {}
    for match in from_bytes(data):
        if match.encoding.startswith(_SPREADSHEET_FAMILIES):
            chaos[match.encoding] = match.chaos
            texts[match.encoding] = str(match)
    for codec, text in readings.items():
        if codec not in chaos:
            isolated = from_bytes(data, cp_isolation=[codec]).best()
            chaos[codec] = isolated.chaos if isolated is not None else 1.0
        texts[codec] = text
    for codec, text in texts.items():
        # Symbols inside words ("Zarz¹d") are letters of another code page read wrongly.
        chaos[codec] += _symbols_in_words(text)
    if not chaos:
        raise InputError(
            path,
            "the file is not UTF-8 and no single-byte encoding reads it as text (it may be "
            f"damaged, or not a text export at all); {RESAVE}",
        )
    best = min(chaos, key=lambda enc: (chaos[enc], enc not in readings))
    plausible = [enc for enc in chaos if chaos[enc] <= chaos[best] + CHAOS_MARGIN]
    if all(texts[enc] == texts[best] for enc in plausible):
        return texts[best], _EXCEL_CODE_PAGES.get(best, best)
    other = next(enc for enc in plausible if texts[enc] != texts[best])
    raise InputError(
        path,
        "the file is not UTF-8 and its encoding cannot be told with confidence: "
        f"{_first_difference(texts[best], best, texts[other], other)}; {RESAVE}",
    )


def _symbols_in_words(text: str) -> float:
    """Share of non-ASCII characters that are symbols wedged between two letters."""
    wedged = total = 0
    for i, ch in enumerate(text):
        if ord(ch) < 128:
            continue
        total += 1
        if (
            not ch.isalpha()
            and 0 < i < len(text) - 1
            and text[i - 1].isalpha()
            and text[i + 1].isalpha()
        ):
            wedged += 1
    return wedged / total if total else 0.0


def _first_difference(a: str, a_name: str, b: str, b_name: str) -> str:
    """Where two readings first differ, as the word in each and its line."""
    for i, (x, y) in enumerate(zip(a, b, strict=False)):
        if x != y:
            start = max(a.rfind(ch, 0, i) for ch in " \n\t,;") + 1
            end_a = min([j for j in (a.find(ch, i) for ch in " \n\t,;") if j >= 0] or [len(a)])
            end_b = min([j for j in (b.find(ch, i) for ch in " \n\t,;") if j >= 0] or [len(b)])
            line = a.count("\n", 0, i) + 1
            names = {**_EXCEL_CODE_PAGES}
            return (
                f"line {line} reads {a[start:end_a]!r} as {names.get(a_name, a_name)} "
                f"but {b[start:end_b]!r} as {names.get(b_name, b_name)}"
            )
    return f"it reads differently as {a_name} and {b_name}"


def read_grid(path: str | Path, sheet: str | int = 0) -> Grid:
    """Read a CSV/TSV/TXT or XLSX export as a :class:`Grid` of text cells."""
    path = Path(path)
    if not path.is_file():
        raise InputError(path, "file not found" if not path.exists() else "not a file")
    suffix = path.suffix.lower()
    if suffix in WORKBOOK_SUFFIXES:
        grid = _read_workbook(path, sheet)
    elif suffix in TEXT_SUFFIXES:
        data = path.read_bytes()
        if not data.strip():
            raise InputError(path, "file is empty")
        text, encoding = decode_text(path, data)
        grid = _read_delimited(path, text, encoding, "\t" if suffix == ".tsv" else None)
    else:
        raise InputError(path, f"unsupported file type {suffix!r} (use .csv, .tsv or .xlsx)")
    return _dropped_blank(path, grid)


def _read_delimited(path: Path, text: str, encoding: str, separator: str | None) -> Grid:
    if text.startswith("\ufeff"):
        text = text[1:]
    if text.lower().startswith("sep="):  # Excel's hint line: "sep=;"
        hint, _, text = text.partition("\n")
        separator = hint.strip()[4:5] or separator
    separator = separator or _sniff_separator(text)
    try:
        # The kit's own exports quote text that would start a formula; undo that here.
        rows = [
            [from_spreadsheet_safe(cell) for cell in row]
            for row in csv.reader(io.StringIO(text, newline=""), delimiter=separator)
        ]
    except csv.Error as exc:
        raise InputError(path, f"cannot parse file: {exc}") from None
    return Grid(rows, list(range(1, len(rows) + 1)), encoding=encoding, separator=separator)


def _sniff_separator(text: str) -> str:
    """The separator that splits the first rows into the most equally wide rows."""
    head = "\n".join(text.splitlines()[:30])
    best, best_key = ",", (-1, -1)
    for sep in SEPARATORS:
        try:
            rows = [r for r in csv.reader(io.StringIO(head, newline=""), delimiter=sep) if r]
        except csv.Error:
            continue
        if not rows or len(rows[0]) < 2:
            continue
        width = len(rows[0])
        key = (sum(len(r) == width for r in rows), width)
        if key > best_key:
            best, best_key = sep, key
    return best


def _read_workbook(path: Path, sheet: str | int) -> Grid:
    from openpyxl import load_workbook

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises a zoo of types for corrupt workbooks
        raise InputError(path, f"cannot read workbook ({exc}); is it really .xlsx?") from None
    try:
        names = book.sheetnames
        if isinstance(sheet, int):
            if not 0 <= sheet < len(names):
                raise InputError(path, f"workbook has no sheet number {sheet + 1}")
            name = names[sheet]
        elif sheet in names:
            name = sheet
        else:
            raise InputError(path, f"no sheet {sheet!r}; sheets are {', '.join(names)}")
        rows = [[_cell_text(v) for v in row] for row in book[name].iter_rows(values_only=True)]
    finally:
        book.close()
    return Grid(rows, list(range(1, len(rows) + 1)), sheet=name)


def _cell_text(value: object) -> str:
    """A workbook cell as the text a person sees in it (3, not 3.0; dates as ISO)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ", timespec="seconds")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def _dropped_blank(path: Path, grid: Grid) -> Grid:
    """Pad rows to one width, drop blank rows (``;;;;``) and trailing blank columns."""
    width = max((len(r) for r in grid.rows), default=0)
    rows, numbers, skipped = [], [], list(grid.skipped)
    for number, row in zip(grid.row_numbers, grid.rows, strict=True):
        if not any(cell.strip() for cell in row):
            skipped.append(SkippedRow(number, "blank row"))
            continue
        rows.append(row + [""] * (width - len(row)))
        numbers.append(number)
    while width and all(not r[width - 1].strip() for r in rows):
        width -= 1
    rows = [r[:width] for r in rows]
    if not rows:
        raise InputError(path, "file has no rows with any text")
    return Grid(rows, numbers, grid.encoding, grid.separator, grid.sheet, skipped)
