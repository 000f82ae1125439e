"""What the kit read from an export, before it scores: for ``pmo-sim inspect`` and ``assess``.

A consultant holding a client's file wants to know in ten seconds whether
the kit understood it: which tool wrote it, which header rows were used,
what each column became, which group labels were found and how many people
gave each, how coded answers are read, and which rows were left out.
:class:`Inspection` records exactly that; :func:`format_inspection` prints it.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass, field

from pmo_sim.assessment.columns import ColumnRole
from pmo_sim.assessment.export_files import SkippedRow
from pmo_sim.assessment.groups import STANDARD_GROUPS

__all__ = ["GroupLabel", "Inspection", "format_inspection", "group_lines"]


@dataclass(frozen=True)
class GroupLabel:
    """A group label as typed in the file, what it became, and how many respondents gave it.

    ``group`` is None when the mapping leaves these respondents out;
    ``how`` is ``"standard"``, ``"mapping"`` or ``"as typed"`` (matches no
    standard group).
    """

    label: str
    group: str | None
    respondents: int
    how: str


@dataclass
class Inspection:
    """Everything the import decided about one file."""

    source: str
    file_format: str
    layout: str
    header_rows: list[int]
    columns: list[ColumnRole]
    groups: list[GroupLabel] = field(default_factory=list)
    coding: str = ""
    skipped: list[SkippedRow] = field(default_factory=list)
    respondents: int = 0
    #: Whose metadata the ignored columns are: the tool, or "survey-tool" for the kit's layouts.
    metadata_of: str = "survey-tool"

    @property
    def metadata_columns(self) -> list[str]:
        """Headers of the columns ignored as the survey tool's metadata."""
        return [c.header for c in self.columns if c.role == "metadata"]

    @property
    def unknown_groups(self) -> list[GroupLabel]:
        """Labels kept as typed because they match no standard group and no mapping line."""
        return [g for g in self.groups if g.how == "as typed"]

    def headline(self, width: int = 100) -> str:
        """A few lines for ``pmo-sim assess``: the layout and the columns ignored."""
        rows = ", ".join(str(r) for r in self.header_rows)
        plural = "s" * (len(self.header_rows) > 1)
        lines = [f"read as {self.layout}: header row{plural} {rows}; {self.file_format}"]
        meta = self.metadata_columns
        if meta:
            lines.append(f"ignored as {self.metadata_of} metadata: {', '.join(meta)}")
        ignored = [c.header for c in self.columns if c.role == "ignored"]
        if ignored:
            lines.append(f"ignored by the mapping: {', '.join(ignored)}")
        wrapped = [textwrap.fill(line, width, subsequent_indent="  ") for line in lines]
        return "\n".join(wrapped)


def group_lines(labels: list[GroupLabel]) -> str:
    """The ``groups:`` lines a consultant adds to the mapping for unrecognised labels."""
    choices = ", ".join(STANDARD_GROUPS)
    lines = [f"# each label -> {choices}, or null", "groups:"]
    for g in labels:
        people = f"{g.respondents} respondent{'s' * (g.respondents != 1)}"
        lines.append(f"  {_yaml_key(g.label)}: {_yaml_key(g.label)}   # {people}")
    return "\n".join(lines)


def _yaml_key(label: str) -> str:
    plain = label.replace('"', '\\"')
    return f'"{plain}"'


def _ranges(rows: list[int]) -> str:
    out: list[str] = []
    start = prev = None
    for r in rows:
        if prev is not None and r == prev + 1:
            prev = r
            continue
        if start is not None:
            out.append(f"{start}" if start == prev else f"{start}-{prev}")
        start = prev = r
    if start is not None:
        out.append(f"{start}" if start == prev else f"{start}-{prev}")
    return ", ".join(out)


def format_inspection(inspection: Inspection) -> str:
    """The inspection as text, one section per decision."""
    i = inspection
    lines = [
        f"file:        {i.source}",
        f"format:      {i.file_format}",
        f"layout:      {i.layout}",
        f"header rows: {', '.join(map(str, i.header_rows))}",
        f"respondents: {i.respondents}",
        f"coding:      {i.coding}",
        "",
        "columns:",
    ]
    width = max((len(c.header) for c in i.columns), default=10)
    width = min(width, 48)
    for c in i.columns:
        header = c.header if len(c.header) <= width else c.header[: width - 1] + "…"
        target = {
            "question": f"question {c.question} (by {c.matched_by})",
            "comment": f"comment on {c.question}",
            "other": f"'Other' text of {c.question or 'a column'} (kept as comment, not scored)",
            "group other": "'Other' text of the group question (the group label where blank)",
            "metadata": f"metadata ignored ({c.matched_by})",
            "ignored": "ignored (mapping)",
            "unmatched": "UNMATCHED",
        }.get(c.role, c.role)
        lines.append(f"  {c.position + 1:>3}  {header:<{width}}  {target}")
    lines += ["", "groups:"]
    for g in i.groups:
        became = "left out (mapping: null)" if g.group is None else g.group
        note = {"as typed": "  <- matches no standard group", "mapping": "  (mapping)"}.get(
            g.how, ""
        )
        lines.append(f"  {g.label!r:<28} {g.respondents:>4}  -> {became}{note}")
    if i.unknown_groups:
        lines += ["", "to map the unrecognised labels, add to the mapping file:"]
        lines += ["  " + line for line in group_lines(i.unknown_groups).splitlines()]
    lines += ["", "rows skipped:"]
    if not i.skipped:
        lines.append("  none")
    reasons: dict[str, list[int]] = {}
    for s in i.skipped:
        reasons.setdefault(s.reason, []).append(s.row)
    for reason, rows in reasons.items():
        lines.append(f"  row{'s' * (len(rows) > 1)} {_ranges(sorted(rows))}: {reason}")
    return "\n".join(lines) + "\n"
