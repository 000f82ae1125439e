"""The workshop's answer store: one SQLite file per engagement, written answer by answer.

Picture the room: the consultant types while participants talk, the laptop is
on battery, the browser tab may be closed by accident. So every answer and
every keystroke of a comment is committed to disk the moment it is given
(stdlib :mod:`sqlite3`, WAL journal, ``synchronous=FULL``); a kernel crash,
a killed process or a closed browser loses nothing, and opening the same file
again resumes where the workshop stood. Nothing is ever overwritten without
trace either: every change is also appended to a ``journal`` table.

The file holds the respondents (id and group), their latest answer per
question (level 0-4, or NULL when cleared), a comment per dimension, and the
questionnaire it was recorded against, so that scoring it with another
questionnaire is refused with a clear message. :func:`load_workshop` returns
the same :class:`~pmo_sim.assessment.Responses` that
:func:`~pmo_sim.assessment.load_responses` returns for the CSV that
:meth:`AnswerStore.export_csv` writes, so both are scored by the same code.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import sqlite3
import threading
import time
from pathlib import Path
from typing import Any

import pandas as pd

from pmo_sim.assessment.groups import normalise_group
from pmo_sim.assessment.questionnaire import LEVELS, Questionnaire, load_questionnaire
from pmo_sim.assessment.response_set import ANSWER_COLUMNS, Responses
from pmo_sim.assessment.text import normalise_text
from pmo_sim.errors import InputError, Problem
from pmo_sim.files import write_csv

__all__ = ["DATABASE_SUFFIXES", "AnswerStore", "load_workshop", "questionnaire_fingerprint"]

#: File suffixes read as a workshop database (by ``pmo-sim assess`` too).
DATABASE_SUFFIXES: frozenset[str] = frozenset({".sqlite", ".db"})

#: ``PRAGMA application_id`` of a workshop database ("PMOW"): tells ours from any other SQLite.
APPLICATION_ID = 0x504D4F57
SCHEMA_VERSION = 1
#: How long a writer waits for another one (another laptop, another kernel) to finish.
BUSY_SECONDS = 10.0

_SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE respondents (
    respondent TEXT PRIMARY KEY,
    grp TEXT NOT NULL,
    position INTEGER NOT NULL,
    added_at TEXT NOT NULL
);
CREATE TABLE answers (
    respondent TEXT NOT NULL REFERENCES respondents (respondent),
    question TEXT NOT NULL,
    level INTEGER CHECK (level IS NULL OR level BETWEEN 0 AND 4),
    answered_at TEXT NOT NULL,
    PRIMARY KEY (respondent, question)
);
CREATE TABLE comments (
    respondent TEXT NOT NULL REFERENCES respondents (respondent),
    dimension TEXT NOT NULL,
    comment TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (respondent, dimension)
);
CREATE TABLE journal (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    at TEXT NOT NULL,
    respondent TEXT NOT NULL,
    kind TEXT NOT NULL,
    key TEXT NOT NULL,
    value TEXT
);
"""
_TABLES = frozenset({"meta", "respondents", "answers", "comments", "journal"})


def questionnaire_fingerprint(questionnaire: Questionnaire) -> str:
    """A short hash of the dimension and question ids, in order: what answers refer to."""
    ids = [[d.id, [q.id for q in d.questions]] for d in questionnaire.dimensions]
    return hashlib.sha256(json.dumps(ids).encode()).hexdigest()[:16]


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="milliseconds")


class AnswerStore:
    """Answers of one engagement in one SQLite file; every write is committed at once.

    ``AnswerStore(path)`` creates the file (and its folder) when missing and
    otherwise checks that it is a workshop database recorded against
    ``questionnaire`` (a loaded one, a path, or None for the bundled one);
    anything else raises
    :class:`~pmo_sim.errors.InputError`. With ``create=False`` a missing file
    is an error too. Several processes may write the same file: SQLite
    serialises them (WAL, a 10 s busy timeout), and two of them creating the
    same new file at once get one database.
    """

    def __init__(
        self,
        path: str | Path,
        questionnaire: Questionnaire | str | Path | None = None,
        *,
        create: bool = True,
    ) -> None:
        self.path = Path(path)
        if not isinstance(questionnaire, Questionnaire):
            questionnaire = load_questionnaire(questionnaire)
        #: The questionnaire answers are checked against.
        self.questionnaire: Questionnaire = questionnaire
        #: Notes about the file worth showing (e.g. a newer questionnaire version).
        self.warnings: list[str] = []
        exists = self.path.exists() and self.path.stat().st_size > 0
        if not exists and not create:
            raise InputError(self.path, "file is empty" if self.path.exists() else "file not found")
        if not exists:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()
        self._conn = self._connect()
        try:
            # A file with none of our tables yet is new, or one whose creation was cut short
            # (a killed process leaves the header only): both are finished here. Two laptops
            # opening the same new file both get here; the write lock makes one create it.
            if self._unfinished():
                if not create:
                    raise InputError(
                        self.path,
                        "this workshop file was never finished (its creation was interrupted); "
                        "open it in the workshop capture form to finish it",
                    )
                self._configure()
                self._create()
            else:
                self._check()  # read-only: a file that is not ours is left exactly as it was
                self._configure()
        except BaseException:
            self._conn.close()
            raise

    # -- opening ------------------------------------------------------------------

    def _connect(self) -> sqlite3.Connection:
        try:
            conn = sqlite3.connect(
                self.path, timeout=BUSY_SECONDS, isolation_level=None, check_same_thread=False
            )
            conn.execute(f"PRAGMA busy_timeout = {int(BUSY_SECONDS * 1000)}")
        except sqlite3.Error as exc:
            raise InputError(self.path, f"cannot open the database ({exc})") from None
        return conn

    def _unfinished(self) -> bool:
        """True for a file with no tables of ours or anyone's (new or cut short)."""
        try:
            app_id = self._conn.execute("PRAGMA application_id").fetchone()[0]
            tables = {r[0] for r in self._conn.execute("SELECT name FROM sqlite_master")}
        except sqlite3.DatabaseError as exc:
            raise InputError(self.path, f"not a workshop database ({exc})") from None
        ours = {t for t in tables if not t.startswith("sqlite_")}
        if app_id not in (0, APPLICATION_ID) or not ours <= _TABLES:
            return False  # someone else's file: _check says so
        if ours == _TABLES:
            return "format" not in self.meta()
        return True

    def _configure(self) -> None:
        deadline = time.monotonic() + BUSY_SECONDS
        while True:
            try:
                mode = self._conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
                # FULL: a commit is on disk before record_answer returns, even if the machine dies.
                self._conn.execute("PRAGMA synchronous = FULL")
                self._conn.execute("PRAGMA foreign_keys = ON")
                break
            except sqlite3.OperationalError as exc:
                # Switching to WAL needs a moment alone with the file; another laptop may be
                # creating it right now. SQLite's busy timeout does not cover this pragma.
                if "locked" not in str(exc) or time.monotonic() > deadline:
                    raise InputError(self.path, f"cannot open the database ({exc})") from None
                time.sleep(0.05)
            except sqlite3.Error as exc:
                raise InputError(self.path, f"cannot open the database ({exc})") from None
        if str(mode).lower() != "wal":
            raise InputError(self.path, f"cannot use the WAL journal here (got {mode!r})")

    def _create(self) -> None:
        """Create (or finish creating) the schema in one transaction; safe to run twice."""
        q = self.questionnaire
        meta = {
            "format": "pmo-sim workshop",
            "schema_version": str(SCHEMA_VERSION),
            "created_at": _now(),
            "questionnaire_title": q.title,
            "questionnaire_version": q.version,
            "questionnaire_fingerprint": questionnaire_fingerprint(q),
            "dimensions": json.dumps([d.id for d in q.dimensions]),
            "questions": json.dumps(list(q.questions)),
        }
        try:
            with self._write():
                self._conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
                for statement in _SCHEMA.split(";"):
                    if statement.strip():
                        self._conn.execute(
                            statement.replace("CREATE TABLE", "CREATE TABLE IF NOT EXISTS")
                        )
                # Whoever created the file first wrote its meta; keep theirs.
                self._conn.executemany("INSERT OR IGNORE INTO meta VALUES (?, ?)", meta.items())
        except sqlite3.Error as exc:
            raise InputError(self.path, f"cannot create the workshop database ({exc})") from None
        self._check()

    def _check(self) -> None:
        try:
            app_id = self._conn.execute("PRAGMA application_id").fetchone()[0]
            tables = {r[0] for r in self._conn.execute("SELECT name FROM sqlite_master")}
        except sqlite3.DatabaseError as exc:
            raise InputError(self.path, f"not a workshop database ({exc})") from None
        if app_id != APPLICATION_ID or not _TABLES.issubset(tables):
            listed = ", ".join(sorted(t for t in tables if not t.startswith("sqlite_"))) or "none"
            raise InputError(
                self.path,
                f"not a pmo-sim workshop database (its tables: {listed}); "
                "give a file created by the workshop capture form",
            )
        meta = self.meta()
        version = int(meta.get("schema_version", "0"))
        if version != SCHEMA_VERSION:
            raise InputError(
                self.path,
                [Problem("meta.schema_version", f"version {version}, expected {SCHEMA_VERSION}")],
            )
        self._check_questionnaire(meta)

    def _check_questionnaire(self, meta: dict[str, str]) -> None:
        q = self.questionnaire
        if meta.get("questionnaire_fingerprint") == questionnaire_fingerprint(q):
            if meta.get("questionnaire_version") != q.version:
                self.warnings.append(
                    f"recorded with questionnaire version {meta.get('questionnaire_version')!r}, "
                    f"read with version {q.version!r} (same questions)"
                )
            return
        recorded = (
            f"{meta.get('questionnaire_title')!r} version {meta.get('questionnaire_version')!r}"
        )
        given = f"{q.title!r} version {q.version!r}"
        head = Problem(
            "meta.questionnaire",
            f"recorded with questionnaire {recorded}, which has other questions than {given}",
        )
        problems = [head]
        rows = self._conn.execute(
            "SELECT respondent, question FROM answers ORDER BY rowid"
        ).fetchall()
        for respondent, question in rows:
            if question not in q.questions:
                problems.append(
                    Problem(
                        f"table answers, respondent {respondent!r}, question {question!r}",
                        "question not in the questionnaire given",
                    )
                )
        if len(problems) > 21:
            problems = [*problems[:21], Problem("", f"... and {len(problems) - 21} more")]
        raise InputError(self.path, problems)

    # -- writing ------------------------------------------------------------------

    def _write(self) -> _Transaction:
        return _Transaction(self._conn, self._lock, self.path)

    def set_info(self, *, client: str | None = None, assessed_on: str | None = None) -> None:
        """Record the client name and the assessment date (YYYY-MM-DD) for the export."""
        values = {}
        if client is not None:
            values["client"] = client.strip()
        if assessed_on is not None:
            try:
                values["assessed_on"] = dt.date.fromisoformat(str(assessed_on)[:10]).isoformat()
            except ValueError:
                raise ValueError(f"assessment date {assessed_on!r} is not YYYY-MM-DD") from None
        with self._write() as conn:
            conn.executemany("INSERT OR REPLACE INTO meta VALUES (?, ?)", values.items())

    def add_respondent(self, name: str, group: str) -> str:
        """Add a respondent (or move an existing one to ``group``); returns their id.

        The id is the name as typed, with what Word and phones do to text
        undone (curly apostrophes, non-breaking and repeated spaces:
        :func:`~pmo_sim.assessment.text.normalise_text`, as for survey
        exports), so ``O’Brien`` and ``O'Brien`` are one person; the group is
        normalised (``"Project Managers"`` becomes ``project_manager``).
        """
        respondent = normalise_text(name)
        grp = normalise_group(normalise_text(group))
        if not respondent:
            raise ValueError("respondent name is blank")
        if not grp:
            raise ValueError("group is blank")
        at = _now()
        with self._write() as conn:
            row = conn.execute(
                "SELECT grp FROM respondents WHERE respondent = ?", (respondent,)
            ).fetchone()
            if row is None:
                (position,) = conn.execute(
                    "SELECT COALESCE(MAX(position), 0) + 1 FROM respondents"
                ).fetchone()
                conn.execute(
                    "INSERT INTO respondents VALUES (?, ?, ?, ?)", (respondent, grp, position, at)
                )
            elif row[0] != grp:
                conn.execute(
                    "UPDATE respondents SET grp = ? WHERE respondent = ?", (grp, respondent)
                )
            if row is None or row[0] != grp:
                conn.execute(
                    "INSERT INTO journal (at, respondent, kind, key, value) VALUES (?, ?, ?, ?, ?)",
                    (at, respondent, "group", "", grp),
                )
        return respondent

    def record_answer(self, respondent: str, question: str, level: int | None) -> None:
        """Store ``respondent``'s answer to ``question`` (None clears it) and commit."""
        if question not in self.questionnaire.questions:
            raise ValueError(f"unknown question {question!r}")
        if level is not None and level not in LEVELS:
            raise ValueError(f"level must be 0-4 or None, not {level!r}")
        at = _now()
        with self._write() as conn:
            self._require(conn, respondent)
            conn.execute(
                "INSERT INTO answers VALUES (?, ?, ?, ?) ON CONFLICT (respondent, question) "
                "DO UPDATE SET level = excluded.level, answered_at = excluded.answered_at",
                (respondent, question, level, at),
            )
            conn.execute(
                "INSERT INTO journal (at, respondent, kind, key, value) VALUES (?, ?, ?, ?, ?)",
                (at, respondent, "answer", question, None if level is None else str(level)),
            )

    def record_comment(self, respondent: str, dimension: str, comment: str) -> None:
        """Store ``respondent``'s comment on ``dimension`` (replacing the last) and commit."""
        if dimension not in self.questionnaire.dimension_by_id:
            raise ValueError(f"unknown dimension {dimension!r}")
        at = _now()
        with self._write() as conn:
            self._require(conn, respondent)
            conn.execute(
                "INSERT INTO comments VALUES (?, ?, ?, ?) ON CONFLICT (respondent, dimension) "
                "DO UPDATE SET comment = excluded.comment, updated_at = excluded.updated_at",
                (respondent, dimension, comment, at),
            )
            conn.execute(
                "INSERT INTO journal (at, respondent, kind, key, value) VALUES (?, ?, ?, ?, ?)",
                (at, respondent, "comment", dimension, comment),
            )

    @staticmethod
    def _require(conn: sqlite3.Connection, respondent: str) -> None:
        found = conn.execute(
            "SELECT 1 FROM respondents WHERE respondent = ?", (respondent,)
        ).fetchone()
        if found is None:
            raise ValueError(f"unknown respondent {respondent!r}; add them first")

    # -- reading ------------------------------------------------------------------

    def meta(self) -> dict[str, str]:
        """The ``meta`` table as a dict (format, questionnaire, client, dates)."""
        return dict(self._conn.execute("SELECT key, value FROM meta").fetchall())

    def change_count(self) -> int:
        """How many changes the file has seen (by any process): cheap to poll."""
        return int(self._conn.execute("SELECT COALESCE(MAX(id), 0) FROM journal").fetchone()[0])

    def respondents(self) -> pd.DataFrame:
        """``respondent``, ``group``, ``n_answered`` (levels given), in the order added."""
        rows = self._conn.execute(
            "SELECT r.respondent, r.grp, COUNT(a.level) FROM respondents r "
            "LEFT JOIN answers a ON a.respondent = r.respondent "
            "GROUP BY r.respondent ORDER BY r.position"
        ).fetchall()
        return pd.DataFrame(rows, columns=["respondent", "group", "n_answered"])

    def group_of(self, respondent: str) -> str | None:
        """The group ``respondent`` belongs to, or None for an unknown respondent."""
        row = self._conn.execute(
            "SELECT grp FROM respondents WHERE respondent = ?", (respondent,)
        ).fetchone()
        return None if row is None else row[0]

    def answers_of(self, respondent: str) -> dict[str, int | None]:
        """Question id to level (None when cleared) for the questions ``respondent`` answered."""
        rows = self._conn.execute(
            "SELECT question, level FROM answers WHERE respondent = ?", (respondent,)
        )
        return dict(rows.fetchall())

    def comments_of(self, respondent: str) -> dict[str, str]:
        """Dimension id to comment for ``respondent``."""
        rows = self._conn.execute(
            "SELECT dimension, comment FROM comments WHERE respondent = ?", (respondent,)
        )
        return dict(rows.fetchall())

    def last_respondent(self) -> str | None:
        """The respondent of the most recent change: where a reopened form resumes."""
        row = self._conn.execute(
            "SELECT j.respondent FROM journal j JOIN respondents r USING (respondent) "
            "ORDER BY j.id DESC LIMIT 1"
        ).fetchone()
        return None if row is None else row[0]

    def journal(self) -> pd.DataFrame:
        """Every change ever made: ``id``, ``at``, ``respondent``, ``kind``, ``key``, ``value``."""
        rows = self._conn.execute("SELECT * FROM journal ORDER BY id").fetchall()
        return pd.DataFrame(rows, columns=["id", "at", "respondent", "kind", "key", "value"])

    def long_table(self) -> pd.DataFrame:
        """The long CSV as written by :meth:`export_csv` (strings, one row per answer).

        Columns ``respondent``, ``group``, ``question``, ``answer`` (level, or
        empty when cleared), ``comment``, then ``client`` and ``date`` when
        set. A dimension's comment sits on the row of its first question, as
        the long format has one comment per row; that row is present (with an
        empty answer) even when the question itself was not answered.
        """
        q = self.questionnaire
        first_question = {d.id: d.questions[0].id for d in q.dimensions}
        answers: dict[tuple[str, str], int | None] = {
            (r, qid): level
            for r, qid, level in self._conn.execute(
                "SELECT respondent, question, level FROM answers"
            )
        }
        comments: dict[tuple[str, str], str] = {}
        for r, dim, text in self._conn.execute(
            "SELECT respondent, dimension, comment FROM comments"
        ):
            if text.strip():
                comments[(r, first_question[dim])] = text
        rows = []
        for respondent, group in self._conn.execute(
            "SELECT respondent, grp FROM respondents ORDER BY position"
        ):
            for qid in q.questions:
                key = (respondent, qid)
                if key not in answers and key not in comments:
                    continue
                level = answers.get(key)
                answer = "" if level is None else str(level)
                rows.append((respondent, group, qid, answer, comments.get(key, "")))
        table = pd.DataFrame(rows, columns=["respondent", "group", "question", "answer", "comment"])
        meta = self.meta()
        if meta.get("client"):
            table["client"] = meta["client"]
        if meta.get("assessed_on"):
            table["date"] = meta["assessed_on"]
        return table

    def answers_frame(self) -> pd.DataFrame:
        """Answers as ``score_answers`` takes them (:data:`ANSWER_COLUMNS`, level float).

        Groups are normalised again on reading (as for survey exports), so a
        database written by an older kit or another tool folds the same way.
        """
        table = self.long_table()
        levels = pd.to_numeric(table["answer"].replace("", None), errors="coerce")
        groups = {g: normalise_group(normalise_text(g)) for g in table["group"].unique()}
        frame = pd.DataFrame(
            {
                "respondent": table["respondent"].astype(str),
                "group": table["group"].map(groups).astype(str),
                "question": table["question"].astype(str),
                "level": levels.astype(float),
                "comment": table["comment"].astype(str).str.strip(),
            }
        )
        return frame[list(ANSWER_COLUMNS)].reset_index(drop=True)

    def responses(self) -> Responses:
        """The answers as :class:`~pmo_sim.assessment.Responses`, ready to score."""
        meta = self.meta()
        return Responses(
            answers=self.answers_frame(),
            client=meta.get("client") or None,
            assessed_on=meta.get("assessed_on") or None,
            source=str(self.path),
            layout="workshop",
            warnings=tuple(self.warnings),
        )

    def export_csv(self, path: str | Path) -> Path:
        """Write the long CSV that ``pmo-sim assess`` reads (to a temporary name, then renamed)."""
        path = Path(path)
        write_csv(path, self.long_table())
        return path

    # -- closing ------------------------------------------------------------------

    def close(self) -> None:
        """Close the connection (everything is already on disk)."""
        self._conn.close()

    def __enter__(self) -> AnswerStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"AnswerStore({str(self.path)!r})"


class _Transaction:
    """``BEGIN IMMEDIATE`` ... ``COMMIT`` under the store's lock; rolled back on error."""

    def __init__(self, conn: sqlite3.Connection, lock: threading.Lock, path: Path) -> None:
        self._conn = conn
        self._lock = lock
        self._path = path

    def __enter__(self) -> sqlite3.Connection:
        self._lock.acquire()
        try:
            self._conn.execute("BEGIN IMMEDIATE")
        except BaseException:
            self._lock.release()
            raise
        return self._conn

    def __exit__(self, exc_type: Any, exc: Any, tb: Any) -> None:
        try:
            if exc_type is None:
                self._conn.execute("COMMIT")
            else:
                self._conn.execute("ROLLBACK")
        finally:
            self._lock.release()


def load_workshop(
    path: str | Path,
    questionnaire: Questionnaire | None = None,
    *,
    client: str | None = None,
    assessed_on: str | None = None,
) -> Responses:
    """Read a workshop database as :class:`~pmo_sim.assessment.Responses`.

    What :func:`~pmo_sim.assessment.load_responses` returns for a ``.sqlite``
    or ``.db`` path. ``client`` and ``assessed_on`` override the file's.
    """
    with AnswerStore(path, questionnaire, create=False) as store:
        responses = store.responses()
    if client is None and assessed_on is None:
        return responses
    if assessed_on is not None:
        try:
            assessed_on = dt.date.fromisoformat(str(assessed_on).strip()[:10]).isoformat()
        except ValueError:
            raise InputError(
                path, f"assessment date {assessed_on!r} is not a date (use YYYY-MM-DD)"
            ) from None
    return Responses(
        answers=responses.answers,
        client=client if client is not None else responses.client,
        assessed_on=assessed_on if assessed_on is not None else responses.assessed_on,
        source=responses.source,
        layout=responses.layout,
        warnings=responses.warnings,
    )
