"""What each column of an export is: a question, the group, the respondent, metadata or unknown.

Given a :class:`~pmo_sim.assessment.layouts.Table`, :func:`plan_columns`
assigns every column one role and says how it was matched (by question id,
question text, export tag or the mapping file), so that ``pmo-sim inspect``
can show the consultant exactly what will be read before anything is
scored. Columns that match nothing are problems, never silently dropped: a
column the kit should skip is named under ``ignore_columns`` in the mapping.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from pmo_sim.assessment.answers import QuestionLookup, closest
from pmo_sim.assessment.groups import STANDARD_GROUPS, normalise_group
from pmo_sim.assessment.layouts import Column, Table
from pmo_sim.assessment.profile import SurveyProfile
from pmo_sim.assessment.questionnaire import Questionnaire
from pmo_sim.assessment.text import fold

__all__ = ["ColumnPlan", "ColumnRole", "plan_columns"]

RESPONDENT_NAMES = ("respondent", "respondent id", "respondent_id", "response id", "responseid")
GROUP_NAMES = ("group", "role", "stakeholder group")
CLIENT_NAMES = ("client", "client name", "organisation", "organization")
DATE_NAMES = ("date", "assessment date", "assessed on", "assessed_on")


@dataclass(frozen=True)
class ColumnRole:
    """One column's part in the import.

    ``role`` is one of ``question``, ``comment``, ``other``, ``group``,
    ``group other``, ``respondent``, ``date``, ``client``, ``metadata``,
    ``ignored``, ``empty`` or ``unmatched``; ``question`` the question id for
    the first three; ``matched_by`` how (``id``, ``text``, ``export tag``,
    ``mapping``...).
    """

    position: int
    header: str
    role: str
    question: str | None = None
    matched_by: str = ""


@dataclass
class ColumnPlan:
    """Every column's role, plus the positions the reader needs."""

    roles: list[ColumnRole]
    questions: dict[str, int] = field(default_factory=dict)
    comments: dict[str, int] = field(default_factory=dict)
    others: dict[int, int] = field(default_factory=dict)
    group: int | None = None
    respondent: int | None = None
    date: int | None = None
    client: int | None = None
    problems: list[tuple[int | None, str]] = field(default_factory=list)
    questions_by_id: bool = True

    def of_role(self, *roles: str) -> list[ColumnRole]:
        """The columns with any of these roles, in file order."""
        return [r for r in self.roles if r.role in roles]


def _find(table: Table, names: tuple[str, ...]) -> Column | None:
    for name in names:
        found = table.column_named(name)
        if found is not None:
            return found
    return None


# Complexity: one pass over a survey header: each column kind is one branch.
def plan_columns(  # noqa: C901
    table: Table,
    questionnaire: Questionnaire,
    profile: SurveyProfile,
    group_column: str | None = None,
) -> ColumnPlan:
    """Assign each column of ``table`` a role; header problems go into ``plan.problems``."""
    lookup = QuestionLookup(questionnaire)
    plan = ColumnPlan(roles=[])
    layout = table.layout
    kit = layout.name in {"long", "wide"}
    wanted_group = group_column or profile.group_column
    group = _find(table, (wanted_group,) if wanted_group else GROUP_NAMES)
    if group is None:
        plan.problems.append((None, _no_group_message(table, wanted_group)))
    else:
        plan.group = group.position
    respondent = (
        table.columns[table.respondent]
        if table.respondent is not None
        else (_find(table, RESPONDENT_NAMES) if kit else None)
    )
    if respondent is not None and respondent.position != plan.group:
        plan.respondent = respondent.position
    if table.date is not None:
        plan.date = table.date
    elif kit and (found := _find(table, DATE_NAMES)) is not None:
        plan.date = found.position
    if kit and (found := _find(table, CLIENT_NAMES)) is not None:
        plan.client = found.position

    if layout.name == "long":
        return _long_plan(table, plan)
    by_mapping = {fold(h): q for h, q in profile.questions.items()}
    fixed = {
        plan.group: "group",
        plan.respondent: "respondent",
        plan.date: "date",
        plan.client: "client",
    }
    pending_comments: list[tuple[Column, str]] = []
    for column in table.columns:
        pos, header = column.position, column.header
        if pos in fixed:
            plan.roles.append(ColumnRole(pos, header, fixed[pos]))
            continue
        if any(profile.ignores(n) for n in column.names):
            plan.roles.append(ColumnRole(pos, header, "ignored", matched_by="mapping"))
            continue
        if column.other_of is not None and column.other_of == plan.group:
            plan.others[column.other_of] = pos
            plan.roles.append(ColumnRole(pos, header, "group other"))
            continue
        if column.other_of is not None:
            plan.others[column.other_of] = pos
            plan.roles.append(ColumnRole(pos, header, "other"))  # question filled in below
            continue
        if column.comment_of is not None:
            pending_comments.append((column, "comment of"))
            continue
        if pos in table.metadata:
            owner = "survey tool" if kit else layout.label
            plan.roles.append(ColumnRole(pos, header, "metadata", matched_by=owner))
            continue
        if not any(n.strip() for n in column.names):
            if all(not row[pos].strip() for row in table.rows):
                plan.roles.append(ColumnRole(pos, header, "empty"))
            else:
                plan.roles.append(ColumnRole(pos, header, "unmatched"))
                plan.problems.append((pos, "column has no header but holds values"))
            continue
        qid, how = _match_question(column, lookup, by_mapping, layout.name)
        if qid is None and fold(header).endswith("comment"):
            base = lookup.find(header.strip()[: -len("comment")].rstrip(" _-:"))
            if base is not None:
                _add(plan, plan.comments, base, ColumnRole(pos, header, "comment", base, "id"))
                continue
        if qid is None:
            plan.roles.append(ColumnRole(pos, header, "unmatched"))
            hint = lookup.suggest(header)
            if not hint.startswith("did you mean"):
                hint += (
                    " (if it holds no answers, list it under ignore_columns in a --mapping file)"
                )
            plan.problems.append((pos, f"unknown question column; {hint}"))
            continue
        if how != "id":
            plan.questions_by_id = False
        _add(plan, plan.questions, qid, ColumnRole(pos, header, "question", qid, how))
    question_at = {p: q for q, p in plan.questions.items()}
    for column, _ in pending_comments:
        qid = question_at.get(column.comment_of)  # type: ignore[arg-type]
        role = ColumnRole(column.position, column.header, "comment", qid, "LimeSurvey [comment]")
        if qid is None:
            plan.roles.append(ColumnRole(column.position, column.header, "unmatched"))
            plan.problems.append((column.position, "comment column of an unknown question"))
        else:
            _add(plan, plan.comments, qid, role)
    plan.roles = [
        ColumnRole(
            r.position, r.header, r.role, question_at.get(_base(plan, r.position), ""), "other"
        )
        if r.role == "other"
        else r
        for r in sorted(plan.roles, key=lambda r: r.position)
    ]
    if not plan.questions and not plan.of_role("unmatched"):
        plan.problems.append((None, "no question columns (headers must be question ids or texts)"))
    return plan


def _long_plan(table: Table, plan: ColumnPlan) -> ColumnPlan:
    """The kit's long layout: fixed column names, one row per answer."""
    fixed = {"question": "question", "answer": "answer", "comment": "comment"}
    for column in table.columns:
        key = fold(column.header)
        if column.position == plan.group:
            role = "group"
        elif column.position == plan.client:
            role = "client"
        elif column.position == plan.date:
            role = "date"
        elif key in fixed:
            role = fixed[key]
        elif key in {fold(n) for n in (*RESPONDENT_NAMES, "id")}:
            role = "respondent"
        else:
            role = "ignored"
        plan.roles.append(ColumnRole(column.position, column.header, role))
    return plan


def _base(plan: ColumnPlan, other_position: int) -> int:
    return next((base for base, pos in plan.others.items() if pos == other_position), -1)


def _add(plan: ColumnPlan, target: dict[str, int], qid: str, role: ColumnRole) -> None:
    if qid in target:
        first = next(r.header for r in plan.roles if r.position == target[qid])
        plan.roles.append(ColumnRole(role.position, role.header, "unmatched"))
        plan.problems.append((role.position, f"question {qid!r} already in column {first!r}"))
        return
    target[qid] = role.position
    plan.roles.append(role)


def _match_question(
    column: Column, lookup: QuestionLookup, by_mapping: dict[str, str], layout: str
) -> tuple[str | None, str]:
    for name in column.names:
        if fold(name) in by_mapping:
            return by_mapping[fold(name)], "mapping"
    for i, name in enumerate(column.names):
        qid = lookup.find(name)
        if qid is None:
            continue
        if fold(name) == fold(qid):
            return qid, "export tag" if layout == "qualtrics" and i == 0 else "id"
        return qid, "text"
    return None, ""


def _no_group_message(table: Table, wanted: str | None) -> str:
    headers = [c.header for c in table.columns if c.header]
    if wanted:
        hint = closest(wanted, headers)
        message = f"no group column {wanted!r}"
        return message + (f"; did you mean {hint!r}?" if hint else f"; columns are {_few(headers)}")
    likely = [
        c.header
        for c in table.columns
        if table.rows
        and sum(normalise_group(r[c.position]) in STANDARD_GROUPS for r in table.rows)
        >= max(1, len(table.rows) // 2)
    ]
    message = "no group column 'group' or 'role'; name it with --group-column or group_column:"
    message += " in a --mapping file"
    if likely:
        message += f"; the answers in {', '.join(repr(h) for h in likely[:3])} look like groups"
    return message


def _few(names: list[str], n: int = 8) -> str:
    return ", ".join(names[:n]) + (", ..." if len(names) > n else "")
