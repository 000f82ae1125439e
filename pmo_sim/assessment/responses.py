"""Importing survey answers: the kit's own files and survey tools' exports, as they come.

A responses file is read in four steps, each its own module:

1. :mod:`~pmo_sim.assessment.export_files`: bytes to a grid of text cells
   (encoding, separator, workbook sheet, blank rows);
2. :mod:`~pmo_sim.assessment.layouts`: which tool wrote it (Qualtrics,
   SurveyMonkey, Microsoft Forms, Google Forms, LimeSurvey, or the kit's
   own long and wide layouts) and what its header rows say;
3. :mod:`~pmo_sim.assessment.columns`: what each column is (question,
   group, respondent, metadata), with the engagement's import profile
   (:mod:`~pmo_sim.assessment.profile`, ``--mapping``) for what the file
   cannot say;
4. :mod:`~pmo_sim.assessment.coding` and this module: each cell to a level,
   each group label to a group.

Every problem in the file is collected and reported at once, each with its
spreadsheet row and column, so the consultant fixes the export in one pass.
The result is a tidy long DataFrame that
:func:`pmo_sim.assessment.score_answers` scores, plus an
:class:`~pmo_sim.assessment.inspection.Inspection` of what was read.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pandas as pd

from pmo_sim.assessment.answers import QuestionLookup
from pmo_sim.assessment.coding import (
    CodeSeen,
    Coding,
    CodingRefused,
    Reading,
    classify_cell,
    decide_coding,
    read_cell,
)
from pmo_sim.assessment.columns import (
    RESPONDENT_NAMES,
    ColumnPlan,
    plan_columns,
)
from pmo_sim.assessment.dates import read_dates
from pmo_sim.assessment.export_files import read_grid
from pmo_sim.assessment.groups import STANDARD_GROUPS, normalise_group
from pmo_sim.assessment.inspection import GroupLabel, Inspection, group_lines
from pmo_sim.assessment.layouts import Table, detect_layout
from pmo_sim.assessment.profile import SurveyProfile, load_survey_profile
from pmo_sim.assessment.questionnaire import Questionnaire, load_questionnaire
from pmo_sim.assessment.response_set import ANSWER_COLUMNS, Responses
from pmo_sim.assessment.store import load_workshop
from pmo_sim.assessment.text import fold, normalise_text
from pmo_sim.errors import InputError, Problem

__all__ = ["MAX_PROBLEMS", "inspect_responses", "load_responses"]

#: At most this many problems are listed; a broken export can have thousands.
MAX_PROBLEMS = 50


MappingLike = SurveyProfile | str | Path | None


def _profile(mapping: MappingLike, questionnaire: Questionnaire) -> SurveyProfile:
    if mapping is None:
        return SurveyProfile()
    if isinstance(mapping, SurveyProfile):
        return mapping
    return load_survey_profile(mapping, questionnaire)


def load_responses(
    path: str | Path,
    questionnaire: Questionnaire | None = None,
    *,
    group_column: str | None = None,
    client: str | None = None,
    assessed_on: str | None = None,
    mapping: MappingLike = None,
) -> Responses:
    """Read a responses file against a questionnaire.

    CSV/TSV/XLSX in any layout of :data:`~pmo_sim.assessment.layouts.LAYOUTS`,
    or a workshop database (``.sqlite``/``.db``). ``group_column`` names the
    group column (default: ``group``, or failing that ``role``; also settable
    in the mapping). ``mapping`` is the engagement's import profile (a
    :class:`~pmo_sim.assessment.profile.SurveyProfile` or its YAML file).
    ``client`` and ``assessed_on`` override values from the file. Raises
    :class:`~pmo_sim.errors.InputError` listing every problem with its row
    and column.
    """
    path = Path(path)
    questionnaire = questionnaire or load_questionnaire()
    profile = _profile(mapping, questionnaire)
    if path.suffix.lower() in {".sqlite", ".db"}:  # a live workshop's answer database
        responses = load_workshop(path, questionnaire, client=client, assessed_on=assessed_on)
        return _regrouped(responses, profile)
    return inspect_responses(
        path,
        questionnaire,
        group_column=group_column,
        client=client,
        assessed_on=assessed_on,
        mapping=profile,
    )


def inspect_responses(
    path: str | Path,
    questionnaire: Questionnaire | None = None,
    *,
    group_column: str | None = None,
    client: str | None = None,
    assessed_on: str | None = None,
    mapping: MappingLike = None,
    strict: bool = True,
) -> Responses:
    """Like :func:`load_responses` for exports; with ``strict=False`` problems do not raise.

    ``pmo-sim inspect`` uses ``strict=False`` to show what it could read of
    a file that is not yet right; the problems are then in ``warnings``.
    """
    path = Path(path)
    questionnaire = questionnaire or load_questionnaire()
    profile = _profile(mapping, questionnaire)
    grid = read_grid(path, profile.sheet_index)
    table = detect_layout(grid, profile.layout)
    reader = _Reader(path, table, questionnaire, profile, group_column)
    answers = reader.read()
    date = assessed_on if assessed_on is not None else reader.assessed_on
    if date:
        try:
            date = dt.date.fromisoformat(str(date).strip()[:10]).isoformat()
        except ValueError:
            reader.file_problem(f"assessment date {date!r} is not a date (use YYYY-MM-DD)")
    if strict:
        reader.raise_problems()
    inspection = reader.inspection(str(path))
    warnings = list(reader.warnings)
    if not strict:
        warnings = [str(p) for p in reader.ordered_problems()] + warnings
    return Responses(
        answers=answers,
        client=client if client is not None else reader.client,
        assessed_on=date or None,
        source=str(path),
        layout=table.layout.name,
        warnings=tuple(warnings),
        inspection=inspection,
    )


def _regrouped(responses: Responses, profile: SurveyProfile) -> Responses:
    """Apply the mapping's ``groups:`` to answers read from a workshop database."""
    if not profile.groups:
        return responses
    answers = responses.answers
    mapped = {}
    for label in answers["group"].unique():
        hit, group = profile.group_for(str(label).replace("_", " "))
        if not hit:
            hit, group = profile.group_for(str(label))
        mapped[label] = group if hit else label
    groups = answers["group"].map(mapped)
    kept = answers.loc[groups.notna()].assign(group=groups[groups.notna()])
    return Responses(
        answers=kept.reset_index(drop=True),
        client=responses.client,
        assessed_on=responses.assessed_on,
        source=responses.source,
        layout=responses.layout,
        warnings=responses.warnings,
    )


class _Reader:
    """Walks one table, collecting every problem with its row and column."""

    def __init__(
        self,
        path: Path,
        table: Table,
        questionnaire: Questionnaire,
        profile: SurveyProfile,
        group_column: str | None,
    ) -> None:
        self.path = path
        self.table = table
        self.questionnaire = questionnaire
        self.profile = profile
        self.lookup = QuestionLookup(questionnaire)
        self.plan: ColumnPlan = plan_columns(table, questionnaire, profile, group_column)
        self.problems: list[tuple[int, int, Problem]] = []
        self.warnings: list[str] = []
        self.not_answered = frozenset(fold(v) for v in profile.not_answered)
        if not table.rows:  # a header and nothing under it (found by the fuzz test)
            raise InputError(path, "the file has a header row but no answers under it")
        self.cells = np.array(table.rows, dtype=object).reshape(len(table.rows), -1)
        self.coding: Coding | None = None
        self.group_labels: list[GroupLabel] = []
        self.respondent_count = 0
        self.client: str | None = None
        self.assessed_on: str | None = None
        header_row = table.header_rows[0] if table.header_rows else 1
        for position, message in self.plan.problems:
            header = table.columns[position].header if position is not None else None
            where = (
                f"row {header_row}, column {header!r}"
                if position is not None
                else f"row {header_row} (header)"
            )
            self.problems.append(
                (-1, position if position is not None else -1, Problem(where, message))
            )

    # -- problems ---------------------------------------------------------------

    def header(self, position: int) -> str:
        return self.table.columns[position].header

    def problem(self, index: int, position: int, message: str) -> None:
        """A problem in data row ``index`` (0-based among data rows), column ``position``."""
        row = self.table.row_numbers[index]
        self.problems.append(
            (row, position, Problem(f"row {row}, column {self.header(position)!r}", message))
        )

    def file_problem(self, message: str) -> None:
        """Record a problem about the file as a whole (listed first)."""
        self.problems.append((-2, -1, Problem("", message)))

    def ordered_problems(self) -> list[Problem]:
        return [p for _, _, p in sorted(self.problems, key=lambda t: (t[0], t[1]))]

    def raise_problems(self) -> None:
        if not self.problems:
            return
        ordered = self.ordered_problems()
        shown = ordered[:MAX_PROBLEMS]
        if len(ordered) > MAX_PROBLEMS:
            shown.append(Problem("", f"... and {len(ordered) - MAX_PROBLEMS} more problems"))
        raise InputError(self.path, shown, total=len(ordered))

    # -- the whole table --------------------------------------------------------

    # Complexity: reads one export cell by cell, a branch per kind of cell.
    def read(self) -> pd.DataFrame:  # noqa: C901
        plan = self.plan
        n = len(self.table.rows)
        empty = pd.DataFrame(columns=list(ANSWER_COLUMNS))
        if self.table.layout.name == "long":
            return self.long()
        respondents = self.respondents()
        groups = self.groups()
        self.read_constants()
        self.read_date()
        if plan.group is None or not plan.questions:
            return empty
        keep = np.array([g is not None for g in groups], dtype=bool)
        self.respondent_count = int(keep.sum())
        order = list(plan.questions)
        levels = np.full((n, len(order)), np.nan)
        comments = np.full((n, len(order)), "", dtype=object)
        readings = {q: self.classify(q) for q in order}
        self.coding = self.decide(readings)
        free_text: list[str] = []
        coding = self.coding or _TEXTS
        for j, qid in enumerate(order):
            position = plan.questions[qid]
            column = self.cells[:, position]
            other = plan.others.get(position)
            # Decide once per distinct cell: (level, error, free text); then spread by row.
            outcome: dict[str, tuple[float, str | None, bool]] = {}
            for cell, reading in readings[qid].items():
                if reading.kind == "text" and self.is_free_text(reading):
                    outcome[cell] = (np.nan, None, True)
                elif self.coding is None and reading.kind == "code":
                    outcome[cell] = (np.nan, None, False)  # the refusal is reported once
                else:
                    level, error = read_cell(cell, reading, coding)
                    outcome[cell] = (np.nan if level is None else float(level), error, False)
            levels[:, j] = [outcome[c][0] for c in column.tolist()]
            for cell, (_, error, free) in outcome.items():
                if error is None and not free:
                    continue
                for i in np.flatnonzero((column == cell) & keep):
                    if error is not None:
                        self.problem(int(i), position, error)
                    else:
                        comments[i, j] = str(cell).strip()
                        free_text.append(
                            f"row {self.table.row_numbers[i]} {self.header(position)!r}"
                        )
            if other is not None:
                for i in np.flatnonzero(keep):
                    text = str(self.cells[i, other]).strip()
                    if not text:
                        continue
                    comments[i, j] = text
                    if np.isnan(levels[i, j]) and outcome[column[i]][1] is None:
                        free_text.append(f"row {self.table.row_numbers[i]} {self.header(other)!r}")
            if (comment := plan.comments.get(qid)) is not None:
                texts = [str(c).strip() for c in self.cells[:, comment]]
                comments[:, j] = [
                    " / ".join(t for t in (a, b) if t)
                    for a, b in zip(comments[:, j], texts, strict=True)
                ]
        if free_text:
            shown = ", ".join(free_text[:5]) + (", ..." if len(free_text) > 5 else "")
            self.warnings.append(
                f"{len(free_text)} answer(s) typed as 'Other' free text are not scored (kept as "
                f"comments): {shown}"
            )
        rows = np.flatnonzero(keep)
        k = len(order)
        return pd.DataFrame(
            {
                "respondent": np.repeat(np.asarray(respondents, dtype=object)[rows], k),
                "group": np.repeat(np.asarray(groups, dtype=object)[rows], k),
                "question": np.tile(np.asarray(order, dtype=object), len(rows)),
                "level": levels[rows].ravel(),
                "comment": comments[rows].ravel(),
            }
        )

    def is_free_text(self, reading: Reading) -> bool:
        return self.table.layout.other_is_free_text and not reading.close

    # -- answers ----------------------------------------------------------------

    def classify(self, qid: str) -> dict[str, Reading]:
        question = self.questionnaire.questions[qid]
        column = self.cells[:, self.plan.questions[qid]]
        return {
            cell: classify_cell(cell, question, self.not_answered)
            for cell in dict.fromkeys(column.tolist())
        }

    def decide(self, readings: dict[str, dict[str, Reading]]) -> Coding | None:
        seen: list[CodeSeen] = []
        for qid, by_cell in readings.items():
            coded = {c: r for c, r in by_cell.items() if r.kind == "code"}
            if not coded:
                continue
            column = self.cells[:, self.plan.questions[qid]]
            for cell, reading in coded.items():
                i = int(np.flatnonzero(column == cell)[0])
                header = self.header(self.plan.questions[qid])
                where = f"row {self.table.row_numbers[i]}, column {header!r}"
                seen.append(CodeSeen(reading.prefix, reading.number or 0, where))
        seen.sort(key=lambda c: (c.number, c.where))
        layout = self.table.layout
        try:
            return decide_coding(
                seen,
                declared_first_level=self.profile.first_level,
                declared_table=self.profile.code_table,
                levels_by_definition=layout.numbers_are_levels and self.plan.questions_by_id,
                tool=layout.label,
                counts_from_one=layout.codes_count_from_one,
            )
        except CodingRefused as exc:
            self.file_problem(str(exc))
            return None

    # -- respondents and groups ---------------------------------------------------

    def respondents(self) -> list[str]:
        position = self.plan.respondent
        numbers = self.table.row_numbers
        if position is None:
            if self.table.layout.name == "wide":
                self.warnings.append("no respondent column: respondents are named by their row")
            return [f"row {r}" for r in numbers]
        values = [normalise_text(v) for v in self.cells[:, position]]
        first: dict[str, int] = {}
        for i, value in enumerate(values):
            if not value:
                self.problem(i, position, "respondent is blank")
            elif value in first:
                self.problem(
                    i,
                    position,
                    f"duplicate respondent {value!r} (first on row {numbers[first[value]]})",
                )
            else:
                first[value] = i
        return values

    def groups(self, respondents: list[str] | None = None) -> list[str | None]:
        """Each row's group (None: left out by the mapping); labels tallied for the inspection.

        ``respondents`` (long layout: several rows per person) makes the tally count people.
        """
        position = self.plan.group
        if position is None:
            return [None] * len(self.table.rows)
        other = self.plan.others.get(position)
        out: list[str | None] = []
        people: dict[tuple[str, str | None, str], set[str]] = {}
        decided: dict[str, tuple[str | None, str]] = {}  # a few labels, thousands of rows
        for i, raw in enumerate(self.cells[:, position].tolist()):
            label = normalise_text(raw)
            if not label and other is not None:
                label = normalise_text(self.cells[i, other])
            if not label:
                self.problem(i, position, "group is blank")
                out.append("")
                continue
            if label not in decided:
                mapped, group = self.profile.group_for(label)
                if mapped:
                    decided[label] = (group, "mapping")
                else:
                    group = normalise_group(label)
                    decided[label] = (group, "standard" if group in STANDARD_GROUPS else "as typed")
            group, how = decided[label]
            out.append(group)
            who = respondents[i] if respondents is not None else str(i)
            people.setdefault((label, group, how), set()).add(who)
        self.group_labels = [
            GroupLabel(lbl, g, len(who), how) for (lbl, g, how), who in people.items()
        ]
        unknown = [g for g in self.group_labels if g.how == "as typed"]
        if unknown:
            self.warnings.append(_unknown_groups_warning(unknown, self.group_labels))
        return out

    def read_constants(self) -> None:
        position = self.plan.client
        if position is not None:
            self.client = self.constant(position, "client")

    def constant(self, position: int, what: str) -> str | None:
        """The single value of an optional per-file column such as client or date."""
        values = [normalise_text(v) for v in self.cells[:, position]]
        distinct = [v for v in dict.fromkeys(values) if v]
        if len(distinct) > 1:
            i = next(i for i, v in enumerate(values) if v and v != distinct[0])
            self.problem(i, position, f"{what} {values[i]!r} differs from {distinct[0]!r} above")
        return distinct[0] if distinct else None

    def file_date(self, position: int) -> str | None:
        """The one assessment date of a kit file's ``date`` column, as YYYY-MM-DD."""
        value = self.constant(position, "date")
        if value is None:
            return None
        dates = read_dates([value])
        if dates.latest is None:
            first = next(i for i, v in enumerate(self.cells[:, position]) if str(v).strip())
            why = "could be day/month or month/day" if dates.order == "ambiguous" else "is no date"
            self.problem(first, position, f"assessment date {value!r} {why} (use YYYY-MM-DD)")
            return None
        return dates.latest.isoformat()

    def read_date(self) -> None:
        position = self.plan.date
        if position is None:
            return
        if self.table.layout.name in {"long", "wide"}:
            self.assessed_on = self.file_date(position)
            return
        dates = read_dates(self.cells[:, position])
        header = self.header(position)
        if dates.order == "ambiguous":
            self.warnings.append(
                f"dates in {header!r} could be day/month or month/day (no day above 12), so "
                "the assessment date is not taken from them; give it with --date YYYY-MM-DD"
            )
        elif dates.latest is not None:
            self.assessed_on = dates.latest.isoformat()

    # -- the long layout ----------------------------------------------------------

    # Complexity: reads one long-layout file row by row, a branch per column.
    def long(self) -> pd.DataFrame:  # noqa: C901
        """The kit's long layout: one row per answer (respondent, group, question, answer)."""
        table, plan = self.table, self.plan
        by_name = {fold(c.header): c.position for c in reversed(table.columns)}
        question_col, answer_col = by_name["question"], by_name["answer"]
        comment_col = by_name.get("comment")
        respondent_col = next(
            (by_name[fold(n)] for n in RESPONDENT_NAMES if fold(n) in by_name), None
        )
        if respondent_col is None and "id" in by_name:
            respondent_col = by_name["id"]
        self.read_constants()
        if plan.date is not None:
            self.assessed_on = self.file_date(plan.date)
        if respondent_col is None:
            self.problems.append(
                (-1, -1, Problem("row 1 (header)", "no respondent column (expected 'respondent')"))
            )
        if respondent_col is None or plan.group is None:
            return pd.DataFrame(columns=list(ANSWER_COLUMNS))
        n = len(table.rows)
        respondents = [normalise_text(v) for v in self.cells[:, respondent_col]]
        for i, value in enumerate(respondents):
            if not value:
                self.problem(i, respondent_col, "respondent is blank")
        groups = self.groups(respondents)
        raw_questions = [normalise_text(v) for v in self.cells[:, question_col]]
        questions: list[str | None] = []
        for i, name in enumerate(raw_questions):
            qid = self.lookup.find(name) if name else None
            questions.append(qid)
            if qid is None:
                message = "question is blank" if not name else f"unknown question {name!r}"
                if name:
                    message += f"; {self.lookup.suggest(name)}"
                self.problem(i, question_col, message)
        levels = np.full(n, np.nan)
        cache: dict[tuple[str, str], tuple[int | None, str | None]] = {}
        levels_coding = Coding("levels", "numbers are levels 0-4 (the kit's own layout)")
        if self.profile.codes is not None:
            levels_coding = decide_coding(
                [],
                declared_first_level=self.profile.first_level,
                declared_table=self.profile.code_table,
                levels_by_definition=True,
                tool=None,
                counts_from_one=False,
            )
        self.coding = levels_coding
        for i, (qid, cell) in enumerate(zip(questions, self.cells[:, answer_col], strict=True)):
            if qid is None:
                continue
            key = (qid, cell)
            if key not in cache:
                question = self.questionnaire.questions[qid]
                reading = classify_cell(cell, question, self.not_answered)
                cache[key] = read_cell(cell, reading, levels_coding)
            level, error = cache[key]
            if error is not None:
                self.problem(i, answer_col, error)
            elif level is not None:
                levels[i] = level
        first_answer: dict[tuple[str, str], int] = {}
        first_group: dict[str, tuple[str | None, int]] = {}
        for i, (who, qid, group) in enumerate(zip(respondents, questions, groups, strict=True)):
            if qid is not None and who:
                if (who, qid) in first_answer:
                    self.problem(
                        i,
                        question_col,
                        f"respondent {who!r} answers {qid!r} again "
                        f"(first on row {table.row_numbers[first_answer[(who, qid)]]})",
                    )
                else:
                    first_answer[(who, qid)] = i
            if who and group:
                if who not in first_group:
                    first_group[who] = (group, i)
                elif first_group[who][0] != group:
                    self.problem(
                        i,
                        plan.group,
                        f"respondent {who!r} is in group {group!r} here "
                        f"but {first_group[who][0]!r} on an earlier row",
                    )
        self.respondent_count = len({r for r, g in zip(respondents, groups, strict=True) if g})
        comments = (
            [str(v).strip() for v in self.cells[:, comment_col]]
            if comment_col is not None
            else [""] * n
        )
        frame = pd.DataFrame(
            {
                "respondent": respondents,
                "group": groups,
                "question": questions,
                "level": levels,
                "comment": comments,
            }
        )
        return frame.loc[frame["group"].notna()].reset_index(drop=True)

    # -- the inspection -------------------------------------------------------------

    def inspection(self, source: str) -> Inspection:
        roles = self.plan.roles
        grid = self.table.grid
        return Inspection(
            source=source,
            file_format=grid.described_format if grid is not None else "",
            layout=self.table.layout.label,
            header_rows=list(self.table.header_rows),
            columns=roles,
            groups=sorted(self.group_labels, key=lambda g: (-g.respondents, g.label)),
            coding=self.coding.describe()
            if self.coding is not None
            else "not decided (see the problems)",
            skipped=list(self.table.skipped),
            respondents=self.respondent_count,
            metadata_of=(
                "survey-tool"
                if self.table.layout.name in {"long", "wide"}
                else self.table.layout.label
            ),
        )


_TEXTS = Coding("texts", "answers are option texts")


def _unknown_groups_warning(unknown: list[GroupLabel], labels: list[GroupLabel]) -> str:
    names = ", ".join(
        f"{g.label!r} ({g.respondents} respondent{'s' * (g.respondents != 1)})" for g in unknown
    )
    largest = max(labels, key=lambda g: g.respondents)
    smallest = min(unknown, key=lambda g: g.respondents)
    message = (
        f"group labels that match none of the five standard groups are kept as groups of "
        f"their own: {names}. Under group weighting every group counts once, so "
        f"{smallest.label!r} with {smallest.respondents} respondent"
        f"{'s' * (smallest.respondents != 1)} weighs as much as {largest.label!r} with "
        f"{largest.respondents}. If they belong to a standard group, say so in the mapping "
        "file (--mapping FILE.yaml):\n" + group_lines(unknown)
    )
    return message
