"""The capture form: the consultant records each participant's answers as they speak.

Along the top, choose a respondent or add one (a name or an id, and their
group). Below, one accordion page per dimension: each question with its five
answer options as full sentences, plus "not answered / don't know", and a
comment box for the dimension. Every click and every keystroke is written to
the engagement's :class:`~pmo_sim.assessment.store.AnswerStore` at once, and the
status line says what was saved. Reopening the form on the same file resumes
with the respondent last worked on, their answers in place.

>>> form = capture_form("acme-workshop.sqlite")  # doctest: +SKIP
"""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Callable
from pathlib import Path
from typing import Any

import ipywidgets as w

from pmo_sim.assessment.groups import STANDARD_GROUPS, group_label
from pmo_sim.assessment.questionnaire import Dimension, Questionnaire
from pmo_sim.assessment.store import AnswerStore

__all__ = ["NOT_ANSWERED_LABEL", "CaptureForm", "capture_form"]

#: The extra option that clears an answer ("not answered" is scored as such, not as 0).
NOT_ANSWERED_LABEL = "n/a: not answered / don't know"
_CLEAR = -1

# Option sentences are long: let radio labels wrap instead of being cut off.
_CSS = """<style>
.pmo-capture .widget-radio-box label { white-space: normal; line-height: 1.3;
  margin-bottom: 4px; height: auto; }
.pmo-capture .widget-radio-box { width: 100%; }
.pmo-capture .pmo-question { margin-top: 10px; }
</style>"""

ChangeListener = Callable[[str, str, str], None]
"""Called after each saved change with (kind, respondent, key): kind is
``"answer"`` (key: question id), ``"comment"`` (key: dimension id) or
``"respondent"`` (key: group)."""


class CaptureForm:
    """The capture form's widgets and the logic behind them.

    Display it by leaving it as the last expression of a cell. Tests drive it
    like a person would: set ``new_name.value``, click ``add_button``, set
    ``choices["AL1"].value = 3``, type into ``comments["alignment"]``.
    """

    def __init__(self, store: AnswerStore) -> None:
        self.store = store
        self.questionnaire: Questionnaire = store.questionnaire
        self._listeners: list[ChangeListener] = []
        self._loading = False

        #: Who is answering now.
        self.respondent = w.Dropdown(description="Respondent", options=[], value=None)
        self.respondent.layout.width = "340px"
        #: Name (or id) and group of a respondent to add.
        self.new_name = w.Text(placeholder="name or id", description="New")
        self.new_group = w.Combobox(
            placeholder="group",
            options=[group_label(g) for g in STANDARD_GROUPS],
            ensure_option=False,
        )
        self.new_group.layout.width = "180px"
        self.add_button = w.Button(description="Add respondent", icon="user-plus")
        self.add_button.layout.width = "160px"
        self.add_button.on_click(lambda _: self.add_respondent())
        #: What was saved last, or what went wrong.
        self.status = w.HTML()
        self.progress = w.HTML()

        #: One radio group per question, by question id; values -1 (n/a), 0-4.
        self.choices: dict[str, w.RadioButtons] = {}
        #: One comment box per dimension, by dimension id.
        self.comments: dict[str, w.Textarea] = {}
        pages = [self._page(d) for d in self.questionnaire.dimensions]
        self.pages = w.Accordion(children=pages)

        self.export_path = w.Text(value=str(store.path.with_suffix(".csv")), description="CSV file")
        self.export_path.layout.width = "420px"
        self.export_button = w.Button(description="Export CSV", icon="download")
        self.export_button.on_click(lambda _: self.export())

        header = w.HBox(
            [self.respondent, self.new_name, self.new_group, self.add_button],
            layout=w.Layout(flex_flow="row wrap"),
        )
        footer = w.HBox([self.export_path, self.export_button])
        self.widget = w.VBox([w.HTML(_CSS), header, self.progress, self.pages, self.status, footer])
        self.widget.add_class("pmo-capture")
        self.respondent.observe(self._on_respondent, "value")
        self._refresh_respondents(select=store.last_respondent())

    # -- building -----------------------------------------------------------------

    def _page(self, dimension: Dimension) -> w.VBox:
        rows: list[w.Widget] = []
        if dimension.description:
            rows.append(w.HTML(f"<i>{html.escape(dimension.description)}</i>"))
        for question in dimension.questions:
            label = w.HTML(f"<b>{html.escape(question.id)}</b> {html.escape(question.text)}")
            label.add_class("pmo-question")
            options = [(f"{lvl}: {text}", lvl) for lvl, text in question.options.items()]
            radio = w.RadioButtons(options=[*options, (NOT_ANSWERED_LABEL, _CLEAR)], index=None)
            radio.layout.width = "100%"
            radio.observe(self._answer_handler(question.id), "value")
            self.choices[question.id] = radio
            rows += [label, radio]
        comment = w.Textarea(
            placeholder=f"Comment on {dimension.name.lower()} (optional)",
            continuous_update=True,
        )
        comment.layout.width = "100%"
        comment.observe(self._comment_handler(dimension.id), "value")
        self.comments[dimension.id] = comment
        rows.append(comment)
        return w.VBox(rows)

    def _answer_handler(self, question: str) -> Callable[[dict], None]:
        def handler(change: dict) -> None:
            if self._loading or change["new"] is None:
                return
            level = None if change["new"] == _CLEAR else int(change["new"])
            self._save("answer", question, level)

        return handler

    def _comment_handler(self, dimension: str) -> Callable[[dict], None]:
        def handler(change: dict) -> None:
            if not self._loading:
                self._save("comment", dimension, change["new"])

        return handler

    # -- actions ------------------------------------------------------------------

    def on_change(self, listener: ChangeListener) -> None:
        """Call ``listener(kind, respondent, key)`` after every saved change."""
        self._listeners.append(listener)

    def add_respondent(self) -> str | None:
        """Add (or regroup) the respondent typed in ``new_name``/``new_group`` and select them."""
        try:
            respondent = self.store.add_respondent(self.new_name.value, self.new_group.value)
        except ValueError as exc:
            self._say(f"Cannot add: {exc}.", error=True)
            return None
        group = self.store.group_of(respondent) or ""
        self.new_name.value = ""
        self._refresh_respondents(select=respondent)
        self._say(f"Saved respondent {respondent} ({group_label(group)}).")
        self._notify("respondent", respondent, group)
        return respondent

    def select(self, respondent: str) -> None:
        """Switch to ``respondent`` (already added) and show their answers."""
        self.respondent.value = respondent

    def export(self) -> Path | None:
        """Write the long CSV to ``export_path``; returns the path written."""
        try:
            path = self.store.export_csv(self.export_path.value)
        except OSError as exc:
            self._say(f"Export failed: {exc}", error=True)
            return None
        self._say(f"Exported {len(self.store.long_table())} rows to {path}.")
        return path

    # -- internals ----------------------------------------------------------------

    def _save(self, kind: str, key: str, value: object) -> None:
        respondent = self.respondent.value
        if respondent is None:
            self._say("Choose or add a respondent first; this answer was not recorded.", True)
            return
        try:
            if kind == "answer":
                self.store.record_answer(respondent, key, value)  # type: ignore[arg-type]
            else:
                self.store.record_comment(respondent, key, str(value))
        except Exception as exc:
            # Loud on purpose: the consultant must know at once if an answer was not stored.
            self._say(f"NOT SAVED ({kind} {key}): {exc}", error=True)
            raise
        what = (
            f"{key} = {'n/a' if value is None else value}"
            if kind == "answer"
            else f"comment on {key}"
        )
        self._say(f"Saved {what} for {respondent}.")
        if kind == "answer":
            self._update_progress()
        self._notify(kind, respondent, key)

    def _notify(self, kind: str, respondent: str, key: str) -> None:
        for listener in self._listeners:
            listener(kind, respondent, key)

    def _say(self, message: str, error: bool = False) -> None:
        colour = "#b3261e" if error else "#1b6e3a"
        stamp = dt.datetime.now().strftime("%H:%M:%S")
        self.status.value = f"<span style='color:{colour}'>{stamp} {html.escape(message)}</span>"

    def _refresh_respondents(self, select: str | None) -> None:
        table = self.store.respondents()
        options = [
            (f"{r.respondent} ({group_label(r.group)})", r.respondent)
            for r in table.itertuples(index=False)
        ]
        self._loading = True
        try:
            self.respondent.options = options
            self.respondent.value = select if select in set(table["respondent"]) else None
        finally:
            self._loading = False
        self._load()

    def _on_respondent(self, _change: dict) -> None:
        if not self._loading:
            self._load()

    def _load(self) -> None:
        """Show the selected respondent's stored answers and comments."""
        respondent = self.respondent.value
        answers = self.store.answers_of(respondent) if respondent else {}
        comments = self.store.comments_of(respondent) if respondent else {}
        self._loading = True
        try:
            for qid, radio in self.choices.items():
                if qid in answers:
                    level = answers[qid]
                    radio.value = _CLEAR if level is None else level
                else:
                    radio.index = None
                radio.disabled = respondent is None
            for dim, box in self.comments.items():
                box.value = comments.get(dim, "")
                box.disabled = respondent is None
        finally:
            self._loading = False
        self._update_progress()
        if respondent is not None and self.pages.selected_index is None:
            self.pages.selected_index = self._first_open_page(answers)

    def _first_open_page(self, answers: dict[str, int | None]) -> int:
        for i, dim in enumerate(self.questionnaire.dimensions):
            if any(q.id not in answers for q in dim.questions):
                return i
        return 0

    def _update_progress(self) -> None:
        respondent = self.respondent.value
        answers = self.store.answers_of(respondent) if respondent else {}
        for i, dim in enumerate(self.questionnaire.dimensions):
            done = sum(q.id in answers for q in dim.questions)
            self.pages.set_title(i, f"{dim.name} ({done}/{len(dim.questions)})")
        if respondent is None:
            self.progress.value = "<b>Choose or add a respondent to start.</b>"
            return
        total = len(self.questionnaire.questions)
        given = sum(level is not None for level in answers.values())
        group = group_label(self.store.group_of(respondent) or "")
        self.progress.value = (
            f"<b>{html.escape(respondent)}</b> ({html.escape(group)}): "
            f"{given} of {total} questions answered, {len(answers) - given} n/a. "
            f"Saved to <code>{html.escape(str(self.store.path))}</code>."
        )

    def _repr_mimebundle_(self, **kwargs: Any) -> Any:
        return self.widget._repr_mimebundle_(**kwargs)


def capture_form(
    database: str | Path,
    questionnaire: Questionnaire | str | Path | None = None,
    *,
    client: str | None = None,
    assessed_on: str | None = None,
) -> CaptureForm:
    """Open (or create) the workshop database and return its capture form.

    ``questionnaire`` is a loaded questionnaire, a path to one, or None for the
    bundled one; ``client`` and ``assessed_on`` (YYYY-MM-DD) are recorded for
    the export when given.
    """
    store = AnswerStore(database, questionnaire)
    if client is not None or assessed_on is not None:
        store.set_info(client=client, assessed_on=assessed_on)
    return CaptureForm(store)
