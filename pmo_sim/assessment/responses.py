"""Importing survey answers from long or wide CSV/XLSX files.

Two layouts are read, both as survey tools and hand-made sheets produce them:

* **long**: one row per answer, columns ``respondent``, ``group``,
  ``question``, ``answer`` and optionally ``comment``;
* **wide**: one row per respondent, a group column, and one column per
  question (headed by the question id or its exact text), optionally
  ``<question id> comment`` columns.

Either may carry ``client`` and ``date`` columns. Every problem in the file
is collected and reported at once, each with its row and column, so the
consultant fixes the export in one pass. The result is a tidy long DataFrame
that :func:`pmo_sim.assessment.score_answers` scores.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd

from pmo_sim.assessment.answers import QuestionLookup, closest, fold, parse_answer
from pmo_sim.assessment.groups import normalise_group
from pmo_sim.assessment.questionnaire import Questionnaire, load_questionnaire
from pmo_sim.assessment.response_set import Responses
from pmo_sim.assessment.store import load_workshop
from pmo_sim.errors import InputError, Problem
from pmo_sim.inputs import read_table, table_location

__all__ = ["load_responses"]

#: At most this many problems are listed; a broken export can have thousands.
MAX_PROBLEMS = 50

_RESPONDENT = ("respondent", "respondent id", "respondent_id", "response id", "responseid", "id")
_GROUP = ("group", "role", "stakeholder group")
_CLIENT = ("client", "client name", "organisation", "organization")
_DATE = ("date", "assessment date", "assessed on", "assessed_on")
# Columns survey tools add that carry no answers; ignored in wide files.
_SURVEY_METADATA = frozenset(
    fold(c)
    for c in (
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
    )
)


def load_responses(
    path: str | Path,
    questionnaire: Questionnaire | None = None,
    *,
    group_column: str | None = None,
    client: str | None = None,
    assessed_on: str | None = None,
) -> Responses:
    """Read a long or wide responses file (CSV or XLSX), or a workshop database
    (``.sqlite``/``.db``, see :func:`pmo_sim.assessment.load_workshop`), against a questionnaire.

    The layout is recognised from the header (``question`` and ``answer``
    columns mean long). ``group_column`` names the group column (default:
    ``group``, or failing that ``role``). ``client`` and ``assessed_on``
    override values from the file. Raises :class:`~pmo_sim.errors.InputError`
    listing every problem with its row and column.
    """
    path = Path(path)
    questionnaire = questionnaire or load_questionnaire()
    if path.suffix.lower() in {".sqlite", ".db"}:  # a live workshop's answer database
        return load_workshop(path, questionnaire, client=client, assessed_on=assessed_on)
    if path.is_file() and path.stat().st_size < 4096 and not path.read_bytes().strip():
        raise InputError(path, "file is empty")
    frame = read_table(path)
    columns = {fold(c): c for c in reversed(frame.columns)}
    reader = _Reader(path, frame, questionnaire, group_column)
    if "question" in columns and "answer" in columns:
        answers, layout = reader.long(columns), "long"
    else:
        answers, layout = reader.wide(), "wide"
    file_client = reader.constant(_CLIENT, "client")
    file_date = reader.constant(_DATE, "date")
    date = assessed_on if assessed_on is not None else file_date
    if date:
        try:
            date = dt.date.fromisoformat(str(date).strip()[:10]).isoformat()
        except ValueError:
            reader.file_problem(f"assessment date {date!r} is not a date (use YYYY-MM-DD)")
    reader.raise_problems()
    return Responses(
        answers=answers,
        client=client if client is not None else file_client,
        assessed_on=date or None,
        source=str(path),
        layout=layout,
        warnings=tuple(reader.warnings),
    )


class _Reader:
    """Walks one table, collecting every problem with its row and column."""

    def __init__(
        self,
        path: Path,
        frame: pd.DataFrame,
        questionnaire: Questionnaire,
        group_column: str | None,
    ) -> None:
        self.path = path
        self.frame = frame
        self.questionnaire = questionnaire
        self.lookup = QuestionLookup(questionnaire)
        self.group_column = group_column
        self.problems: list[tuple[int, int, Problem]] = []
        self.warnings: list[str] = []

    # -- problems ---------------------------------------------------------------

    def problem(self, row: int | None, column: str | None, message: str) -> None:
        """Record a problem; ``row`` is the DataFrame index, None for the header row."""
        col_pos = list(self.frame.columns).index(column) if column in self.frame.columns else -1
        if row is None:
            where = f"row 1, column {column!r}" if column is not None else "row 1 (header)"
            self.problems.append((-1, col_pos, Problem(where, message)))
        else:
            self.problems.append((row, col_pos, Problem(table_location(row, column), message)))

    def file_problem(self, message: str) -> None:
        """Record a problem about the file as a whole (listed first)."""
        self.problems.append((-2, -1, Problem("", message)))

    def raise_problems(self) -> None:
        if not self.problems:
            return
        ordered = [p for _, _, p in sorted(self.problems, key=lambda t: (t[0], t[1]))]
        shown = ordered[:MAX_PROBLEMS]
        if len(ordered) > MAX_PROBLEMS:
            shown.append(Problem("", f"... and {len(ordered) - MAX_PROBLEMS} more problems"))
        raise InputError(self.path, shown)

    # -- columns ----------------------------------------------------------------

    def find_column(self, names: tuple[str, ...]) -> str | None:
        folded = {fold(c): c for c in reversed(self.frame.columns)}
        return next((folded[fold(n)] for n in names if fold(n) in folded), None)

    def find_group_column(self) -> str | None:
        wanted = (self.group_column,) if self.group_column else _GROUP
        found = self.find_column(wanted)
        if found is None:
            hint = closest(wanted[0], list(self.frame.columns))
            message = f"no group column {wanted[0]!r}"
            message += f"; did you mean {hint!r}?" if hint else " (name it with --group-column)"
            names = list(self.frame.columns)
            message += f"; columns are {', '.join(names[:8])}{', ...' if len(names) > 8 else ''}"
            self.problem(None, None, message)
        return found

    def constant(self, names: tuple[str, ...], what: str) -> str | None:
        """The single value of an optional per-file column such as client or date."""
        column = self.find_column(names)
        if column is None:
            return None
        values = self.frame[column].str.strip()
        distinct = [v for v in dict.fromkeys(values) if v]
        if len(distinct) > 1:
            row = int((values != distinct[0]).to_numpy().nonzero()[0][0])
            self.problem(
                row, column, f"{what} {values.iloc[row]!r} differs from {distinct[0]!r} above"
            )
        return distinct[0] if distinct else None

    # -- rows -------------------------------------------------------------------

    def groups(self, column: str) -> pd.Series:
        raw = self.frame[column].str.strip()
        for row in raw.index[raw == ""]:
            self.problem(int(row), column, "group is blank")
        return raw.map(normalise_group)

    def parse_levels(self, questions: pd.Series, cells: pd.Series, locate) -> pd.Series:
        """Levels (float, NaN = not answered) for cells, each read against its question.

        ``locate(i)`` gives the (table row, column) of entry ``i`` for problems.
        """
        levels = pd.Series(float("nan"), index=cells.index, dtype=float)
        known = questions.notna()
        # Parse each distinct (question, cell) pair once: 10,000 rows have few distinct answers.
        pairs = pd.DataFrame({"q": questions[known], "cell": cells[known]})
        for (qid, cell), rows in pairs.groupby(["q", "cell"], sort=False).groups.items():
            parsed = parse_answer(cell, self.questionnaire.questions[qid])
            if parsed.error is not None:
                for i in rows:
                    self.problem(*locate(i), parsed.error)
            elif parsed.level is not None:
                levels[rows] = float(parsed.level)
        return levels

    # -- layouts ----------------------------------------------------------------

    def long(self, columns: dict[str, str]) -> pd.DataFrame:
        frame = self.frame
        respondent_col = self.find_column(_RESPONDENT)
        group_col = self.find_group_column()
        question_col, answer_col = columns["question"], columns["answer"]
        comment_col = columns.get("comment")
        if respondent_col is None:
            self.problem(None, None, "no respondent column (expected 'respondent')")
        if respondent_col is None or group_col is None:
            return pd.DataFrame(columns=["respondent", "group", "question", "level", "comment"])
        respondents = frame[respondent_col].str.strip()
        for row in respondents.index[respondents == ""]:
            self.problem(int(row), respondent_col, "respondent is blank")
        groups = self.groups(group_col)
        raw_questions = frame[question_col].str.strip()
        questions = raw_questions.map(self.lookup.find)
        for row in questions.index[questions.isna()]:
            name = raw_questions[row]
            message = "question is blank" if not name else f"unknown question {name!r}"
            if name:
                message += f"; {self.lookup.suggest(name)}"
            self.problem(int(row), question_col, message)
        levels = self.parse_levels(questions, frame[answer_col], lambda i: (int(i), answer_col))
        repeated = pd.DataFrame({"r": respondents, "q": questions}).duplicated(keep="first")
        for row in repeated.index[repeated & questions.notna()]:
            first = int(
                ((respondents == respondents[row]) & (questions == questions[row])).idxmax()
            )
            self.problem(
                int(row),
                question_col,
                f"respondent {respondents[row]!r} answers {questions[row]!r} again "
                f"(first on {table_location(first)})",
            )
        first_group = (
            pd.DataFrame({"r": respondents, "g": groups}).groupby("r")["g"].transform("first")
        )
        for row in groups.index[(groups != first_group) & (groups.str.len() > 0)]:
            self.problem(
                int(row),
                group_col,
                f"respondent {respondents[row]!r} is in group {groups[row]!r} here "
                f"but {first_group[row]!r} on an earlier row",
            )
        comments = frame[comment_col].str.strip() if comment_col else ""
        return pd.DataFrame(
            {
                "respondent": respondents,
                "group": groups,
                "question": questions,
                "level": levels,
                "comment": comments,
            }
        ).reset_index(drop=True)

    def wide(self) -> pd.DataFrame:
        frame = self.frame
        respondent_col = self.find_column(_RESPONDENT)
        group_col = self.find_group_column()
        reserved = {respondent_col, group_col, self.find_column(_CLIENT), self.find_column(_DATE)}
        question_cols: dict[str, str] = {}
        comment_cols: dict[str, str] = {}
        unknown = 0
        for column in frame.columns:
            if column in reserved or fold(column) in _SURVEY_METADATA:
                continue
            qid = self.lookup.find(column)
            target = question_cols
            if qid is None and fold(column).endswith("comment"):
                qid = self.lookup.find(column.strip()[: -len("comment")].rstrip(" _-:"))
                target = comment_cols
            if qid is None:
                unknown += 1
                self.problem(
                    None, column, f"unknown question column; {self.lookup.suggest(column)}"
                )
            elif qid in target:
                self.problem(None, column, f"question {qid!r} already in column {target[qid]!r}")
            else:
                target[qid] = column
        if not question_cols and not unknown:
            self.problem(None, None, "no question columns (headers must be question ids or texts)")
        if group_col is None or not question_cols:
            return pd.DataFrame(columns=["respondent", "group", "question", "level", "comment"])
        if respondent_col is None:
            respondents = pd.Series([f"row {i + 2}" for i in frame.index], index=frame.index)
            self.warnings.append("no respondent column: respondents are named by their row")
        else:
            respondents = frame[respondent_col].str.strip()
            for row in respondents.index[respondents == ""]:
                self.problem(int(row), respondent_col, "respondent is blank")
            repeated = respondents.duplicated(keep="first") & (respondents != "")
            for row in respondents.index[repeated]:
                first = int((respondents == respondents[row]).idxmax())
                self.problem(
                    int(row),
                    respondent_col,
                    f"duplicate respondent {respondents[row]!r} (first on {table_location(first)})",
                )
        groups = self.groups(group_col)
        order = list(question_cols)
        long = pd.DataFrame(
            {
                "row": frame.index.repeat(len(order)),
                "question": order * len(frame),
            }
        )
        cells = frame[[question_cols[q] for q in order]].to_numpy().ravel()
        long["cell"] = cells
        column_of = long["question"].map(question_cols)
        levels = self.parse_levels(
            long["question"], long["cell"], lambda i: (int(long["row"][i]), column_of[i])
        )
        comments = pd.Series("", index=long.index)
        for qid, col in comment_cols.items():
            mask = long["question"] == qid
            comments[mask] = frame[col].str.strip().to_numpy()
        rows = long["row"].to_numpy()
        return pd.DataFrame(
            {
                "respondent": respondents.to_numpy()[rows],
                "group": groups.to_numpy()[rows],
                "question": long["question"],
                "level": levels,
                "comment": comments,
            }
        )
