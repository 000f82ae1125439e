"""Which survey tool wrote this export? A registry of layouts, one entry per tool.

Each tool writes its own header: Qualtrics three rows (export tag, question
text, ``{"ImportId":"QID1"}``), SurveyMonkey two (question text, then
``Response`` / ``Other (please specify)`` / row labels), Microsoft Forms,
Google Forms and LimeSurvey one, each with its own metadata columns
(``StartDate``, ``Respondent ID``, ``Completion time``, ``Timestamp``,
``submitdate``...). A :class:`Layout` recognises its tool from the first
rows of a :class:`~pmo_sim.assessment.export_files.Grid` and turns the header
rows into :class:`Column` records that carry every name a column goes by, so
that a consultant can name it by export tag or by question text. Adding a
tool is one :func:`register` call; nothing else dispatches on the tool.

The kit's own layouts (``long``: one row per answer; ``wide``: one row per
respondent with question ids or texts as headers) are the last entries and
match any file the tools above do not claim.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from pmo_sim.assessment.export_files import Grid, SkippedRow
from pmo_sim.assessment.text import fold, normalise_text

__all__ = ["LAYOUTS", "Column", "Layout", "Table", "detect_layout", "register"]


@dataclass(frozen=True)
class Column:
    """One column of an export: its position, the names it goes by, and how the tool marks it.

    ``names`` lists every header the column can be found by, the main one
    first (Qualtrics: export tag, question text, ImportId; SurveyMonkey:
    question text and row label). ``other_of`` is the position of the choice
    column whose "Other" free text this column holds; ``sub`` the tool's
    second-row label (SurveyMonkey ``Response``).
    """

    position: int
    names: tuple[str, ...]
    sub: str = ""
    other_of: int | None = None
    comment_of: int | None = None

    @property
    def header(self) -> str:
        """The name shown for the column (its first)."""
        return self.names[0] if self.names else f"column {self.position + 1}"

    def known_as(self, name: str) -> bool:
        """Whether ``name`` is one of this column's names (ignoring case, quotes, spaces)."""
        key = fold(name)
        return any(fold(n) == key for n in self.names)


@dataclass
class Table:
    """An export read through a layout: columns, data rows, and what was left out.

    ``rows[i]`` comes from spreadsheet row ``row_numbers[i]``. ``metadata``
    holds the positions of the tool's own columns (dates, IP, ids);
    ``respondent`` and ``date`` are the positions of the respondent id and
    completion date columns where the layout has them.
    """

    layout: Layout
    columns: list[Column]
    rows: list[list[str]]
    row_numbers: list[int]
    header_rows: list[int]
    metadata: set[int] = field(default_factory=set)
    respondent: int | None = None
    date: int | None = None
    skipped: list[SkippedRow] = field(default_factory=list)
    grid: Grid | None = None

    def column_named(self, name: str) -> Column | None:
        """The first column known by ``name``, or None."""
        return next((c for c in self.columns if c.known_as(name)), None)


Detector = Callable[[Grid], bool]
Reader = Callable[["Layout", Grid], Table]


@dataclass(frozen=True)
class Layout:
    """A survey tool's export layout.

    ``detect`` says whether a grid is this tool's; ``read`` turns it into a
    :class:`Table`. ``metadata`` are the tool's own columns (folded for
    comparison), ``respondent`` and ``date`` the names of its id and
    completion-date columns. ``codes_count_from_one`` marks tools whose
    numeric answers are choice codes counted from 1 by default, so that they
    are never read as levels without a declared ``codes`` setting.
    """

    name: str
    label: str
    detect: Detector
    read: Reader
    metadata: tuple[str, ...] = ()
    respondent: tuple[str, ...] = ()
    date: tuple[str, ...] = ()
    numbers_are_levels: bool = False
    codes_count_from_one: bool = False
    other_is_free_text: bool = False
    description: str = ""

    def is_metadata(self, name: str) -> bool:
        """Whether a header is one of the tool's metadata columns."""
        key = fold(name)
        return any(fold(m) == key for m in self.metadata) or bool(
            re.fullmatch(r"custom data \d+", key)
        )


LAYOUTS: dict[str, Layout] = {}


def register(layout: Layout) -> None:
    """Add a layout; detection tries them in registration order."""
    LAYOUTS[layout.name] = layout


def detect_layout(grid: Grid, forced: str | None = None) -> Table:
    """Read ``grid`` through the first layout that recognises it (or the one named)."""
    if forced is not None:
        layout = LAYOUTS[forced]
        return layout.read(layout, grid)
    for layout in LAYOUTS.values():
        if layout.detect(grid):
            return layout.read(layout, grid)
    raise AssertionError("the wide layout accepts every grid")  # pragma: no cover


# -- helpers shared by the readers ------------------------------------------------------------


def _headers(grid: Grid, row: int = 0) -> list[str]:
    return [normalise_text(c) for c in grid.rows[row]] if len(grid.rows) > row else []


def _has_all(grid: Grid, names: tuple[str, ...]) -> bool:
    present = {fold(h) for h in _headers(grid)}
    return all(fold(n) in present for n in names)


def _position(columns: list[Column], names: tuple[str, ...]) -> int | None:
    for name in names:
        for column in columns:
            if fold(column.header) == fold(name):
                return column.position
    return None


def _single_header(layout: Layout, grid: Grid) -> Table:
    """A one-header-row layout: tool metadata by name, the rest as question columns."""
    headers = _headers(grid)
    columns = [Column(i, (h,)) for i, h in enumerate(headers)]
    _link_bracketed(columns)
    return _table(layout, grid, columns, header_rows=1)


def _table(layout: Layout, grid: Grid, columns: list[Column], header_rows: int) -> Table:
    return Table(
        layout=layout,
        columns=columns,
        rows=grid.rows[header_rows:],
        row_numbers=grid.row_numbers[header_rows:],
        header_rows=grid.row_numbers[:header_rows],
        metadata={c.position for c in columns if layout.is_metadata(c.header)},
        respondent=_position(columns, layout.respondent),
        date=_position(columns, layout.date),
        skipped=list(grid.skipped),
        grid=grid,
    )


def _link_bracketed(columns: list[Column]) -> None:
    """LimeSurvey's ``AL1[other]`` / ``AL1[comment]`` columns belong to ``AL1``."""
    for i, column in enumerate(columns):
        match = re.fullmatch(r"(.+?)\s*\[(other|comment)\]", column.header, flags=re.IGNORECASE)
        if not match:
            continue
        base = next((c for c in columns if fold(c.header) == fold(match.group(1))), None)
        if base is None:
            continue
        if match.group(2).lower() == "other":
            columns[i] = Column(column.position, column.names, other_of=base.position)
        else:
            columns[i] = Column(column.position, column.names, comment_of=base.position)


# -- Qualtrics --------------------------------------------------------------------------------

_QUALTRICS_METADATA = (
    "StartDate",
    "EndDate",
    "Status",
    "IPAddress",
    "Progress",
    "Duration (in seconds)",
    "Finished",
    "RecordedDate",
    "ResponseId",
    "RecipientLastName",
    "RecipientFirstName",
    "RecipientEmail",
    "ExternalReference",
    "LocationLatitude",
    "LocationLongitude",
    "DistributionChannel",
    "UserLanguage",
    "Q_RecaptchaScore",
    "Q_RelevantIDDuplicate",
    "Q_RelevantIDDuplicateScore",
    "Q_RelevantIDFraudScore",
    "Q_RelevantIDLastStartDate",
)


def _import_id(cell: str) -> str | None:
    """``QID1`` from ``{"ImportId":"QID1"}`` (Qualtrics' third header row), else None."""
    text = cell.strip()
    if not text.startswith("{"):
        return None
    try:
        value = json.loads(text)
    except ValueError:
        return None
    return str(value.get("ImportId")) if isinstance(value, dict) and "ImportId" in value else None


def _detect_qualtrics(grid: Grid) -> bool:
    if len(grid.rows) >= 3 and sum(_import_id(c) is not None for c in grid.rows[2]) >= 2:
        return True
    return _has_all(grid, ("StartDate", "ResponseId")) or _has_all(grid, ("StartDate", "Status"))


def _read_qualtrics(layout: Layout, grid: Grid) -> Table:
    tags = _headers(grid, 0)
    has_ids = len(grid.rows) >= 3 and sum(_import_id(c) is not None for c in grid.rows[2]) >= 2
    texts = _headers(grid, 1)
    header_rows = 3 if has_ids else 2
    ids = [(_import_id(c) or "") for c in grid.rows[2]] if has_ids else [""] * len(tags)
    columns: list[Column] = []
    for i, tag in enumerate(tags):
        text = texts[i] if i < len(texts) else ""
        names = [tag, text]
        # Matrix rows and "Other" text entries: "Grid title - row text", "Question - Other - Text".
        if " - " in text:
            names.append(text.rsplit(" - ", 1)[1])
        if ids[i]:
            names.append(ids[i])
        other = re.fullmatch(r"(.+)_\d+_TEXT", tag)
        base = next((c for c in columns if c.header == other.group(1)), None) if other else None
        columns.append(
            Column(
                i,
                tuple(dict.fromkeys(n for n in names if n)),
                other_of=base.position if base is not None else None,
            )
        )
    table = _table(layout, grid, columns, header_rows)
    # Survey previews and test responses are not answers of the client's people.
    status = _position(columns, ("Status",))
    if status is not None:
        keep = []
        for row, number in zip(table.rows, table.row_numbers, strict=True):
            value = fold(row[status])
            if value in {"survey preview", "1", "survey test", "spam"}:
                table.skipped.append(SkippedRow(number, f"Qualtrics status {row[status]!r}"))
            else:
                keep.append((row, number))
        table.rows = [r for r, _ in keep]
        table.row_numbers = [n for _, n in keep]
    return table


register(
    Layout(
        "qualtrics",
        "Qualtrics",
        _detect_qualtrics,
        _read_qualtrics,
        metadata=_QUALTRICS_METADATA,
        respondent=("ResponseId",),
        date=("RecordedDate", "EndDate"),
        codes_count_from_one=True,
        description="three header rows: export tag, question text, ImportId JSON",
    )
)


# -- SurveyMonkey -----------------------------------------------------------------------------

_SURVEYMONKEY_METADATA = (
    "Respondent ID",
    "Collector ID",
    "Start Date",
    "End Date",
    "IP Address",
    "Email Address",
    "First Name",
    "Last Name",
)
_ANSWER_SUBS = {"response", "open-ended response", ""}


def _is_other_sub(sub: str) -> bool:
    return fold(sub).startswith("other (please specify")


def _detect_surveymonkey(grid: Grid) -> bool:
    return _has_all(grid, ("Respondent ID", "Collector ID"))


def _read_surveymonkey(layout: Layout, grid: Grid) -> Table:
    titles = _headers(grid, 0)
    subs = _headers(grid, 1)
    columns: list[Column] = []
    title, first = "", None
    for i, text in enumerate(titles):
        sub = subs[i] if i < len(subs) else ""
        if text:
            title, first = text, i
        if first is None or (layout.is_metadata(title) and text):
            columns.append(Column(i, (text,), sub=sub))
            continue
        if _is_other_sub(sub):
            names = (f"{title} [{sub}]", sub)
            columns.append(Column(i, names, sub=sub, other_of=_answer_position(columns, first)))
        elif fold(sub) in _ANSWER_SUBS:
            columns.append(Column(i, (title,), sub=sub))
        else:  # a matrix row: "Grid title [row text]", findable by the row text alone
            columns.append(Column(i, (f"{title} [{sub}]", sub), sub=sub))
    return _table(layout, grid, columns, header_rows=2)


def _answer_position(columns: list[Column], first: int) -> int:
    """The choice column of a question whose block starts at ``first``."""
    block = [c for c in columns if c.position >= first and c.other_of is None]
    return block[0].position if block else first


register(
    Layout(
        "surveymonkey",
        "SurveyMonkey",
        _detect_surveymonkey,
        _read_surveymonkey,
        metadata=(*_SURVEYMONKEY_METADATA,),
        respondent=("Respondent ID",),
        date=("End Date",),
        description="two header rows: question text, then Response / Other / row labels",
    )
)


# -- Microsoft Forms --------------------------------------------------------------------------

register(
    Layout(
        "microsoft_forms",
        "Microsoft Forms",
        lambda grid: _has_all(grid, ("ID", "Start time", "Completion time")),
        _single_header,
        metadata=(
            "ID",
            "Start time",
            "Completion time",
            "Email",
            "Name",
            "Last modified time",
            "Total points",
            "Quiz feedback",
            "Language",
        ),
        respondent=("ID",),
        date=("Completion time",),
        description="one header row: ID, Start time, Completion time, Email, Name, questions",
    )
)


# -- Google Forms -----------------------------------------------------------------------------


def _read_google(layout: Layout, grid: Grid) -> Table:
    headers = _headers(grid)
    columns = []
    for i, header in enumerate(headers):
        grid_row = re.fullmatch(r"(.+?)\s*\[(.+)\]", header)
        names = (header, grid_row.group(2)) if grid_row else (header,)
        columns.append(Column(i, names))
    return _table(layout, grid, columns, header_rows=1)


register(
    Layout(
        "google_forms",
        "Google Forms",
        lambda grid: bool(_headers(grid)) and fold(_headers(grid)[0]) == "timestamp",
        _read_google,
        metadata=("Timestamp", "Email address", "Score", "Total score"),
        date=("Timestamp",),
        other_is_free_text=True,
        description="one header row: Timestamp, Email address, question texts, Grid [row]",
    )
)


# -- LimeSurvey -------------------------------------------------------------------------------

register(
    Layout(
        "limesurvey",
        "LimeSurvey",
        lambda grid: _has_all(grid, ("id", "submitdate", "lastpage")),
        _single_header,
        metadata=(
            "id",
            "submitdate",
            "lastpage",
            "startlanguage",
            "seed",
            "startdate",
            "datestamp",
            "ipaddr",
            "refurl",
            "token",
            "interviewtime",
        ),
        respondent=("id",),
        date=("submitdate", "datestamp"),
        description="one header row: id, submitdate, lastpage, ...; question codes as headers",
    )
)


# -- the kit's own layouts --------------------------------------------------------------------

register(
    Layout(
        "long",
        "long (one row per answer)",
        lambda grid: _has_all(grid, ("question", "answer")),
        _single_header,
        numbers_are_levels=True,
        description="respondent, group, question, answer[, comment]",
    )
)
register(
    Layout(
        "wide",
        "wide (one row per respondent)",
        lambda _grid: True,
        _single_header,
        metadata=(
            "timestamp",
            "start date",
            "end date",
            "submitted",
            "submitted at",
            "completed",
            "status",
            "duration",
            "ip address",
            "email",
            "email address",
            "name",
            "respondent name",
            "collector id",
            "language",
        ),
        numbers_are_levels=True,
        description="respondent, group, one column per question id or text",
    )
)
