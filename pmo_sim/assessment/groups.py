"""Stakeholder groups: the spellings survey tools produce, folded onto five standard names.

A workshop asks executives, PMO staff, project managers, functional
managers and team members. Survey exports spell these many ways
("Exec", "Project Managers", "PM", "Line manager"); they are folded onto the
standard names so that groups from different files line up. Anything else
(say "Board" or "Vendors") is kept exactly as given, because a consultant
may deliberately survey other groups.

Every surface (terminal summary, HTML and PDF reports, decks, figures, the
notebook widgets, the workshop room) shows a group through
:func:`group_label`: the standard groups by their labels in
:data:`GROUP_LABELS`, any other group exactly as the client typed it.
"""

from __future__ import annotations

import re

__all__ = ["GROUP_LABELS", "STANDARD_GROUPS", "group_label", "group_order", "normalise_group"]

#: The standard groups, in the order reports list them.
STANDARD_GROUPS: tuple[str, ...] = (
    "executive",
    "pmo",
    "project_manager",
    "functional_manager",
    "team_member",
)

#: How the standard groups read on every surface (each label folds back to its group).
GROUP_LABELS: dict[str, str] = {
    "executive": "Executive",
    "pmo": "PMO staff",
    "project_manager": "Project manager",
    "functional_manager": "Functional manager",
    "team_member": "Team member",
}

_ALIASES: dict[str, tuple[str, ...]] = {
    "executive": (
        "executive",
        "exec",
        "executive team",
        "leadership",
        "leadership team",
        "senior management",
        "senior leadership",
        "c level",
        "c suite",
        "sponsor",
    ),
    "pmo": ("pmo", "pmo staff", "pmo team", "pmo member", "pmo lead", "pmo head", "epmo"),
    "project_manager": (
        "project manager",
        "pm",
        "programme manager",
        "program manager",
        "project lead",
        "project leader",
    ),
    "functional_manager": (
        "functional manager",
        "fm",
        "line manager",
        "department head",
        "head of department",
        "resource manager",
        "business unit manager",
    ),
    "team_member": ("team member", "project team", "team", "project staff", "staff"),
}


def _key(text: str) -> str:
    words = re.sub(r"[^0-9a-z]+", " ", text.casefold()).split()
    # Plurals: "Project Managers", "Executives", "PMs".
    return " ".join(w[:-1] if len(w) > 2 and w.endswith("s") else w for w in words)


_LOOKUP: dict[str, str] = {
    _key(alias): group for group, aliases in _ALIASES.items() for alias in (group, *aliases)
}


def normalise_group(name: str) -> str:
    """Standard name for a group spelling, or the name as given (stripped) if unknown.

    >>> normalise_group("Project Managers"), normalise_group("EXEC"), normalise_group("Board")
    ('project_manager', 'executive', 'Board')
    """
    return _LOOKUP.get(_key(name), name.strip())


def group_label(group: str) -> str:
    """A group as a person reads it: a standard group's label, any other group as typed.

    >>> group_label("project_manager"), group_label("R&D_team")
    ('Project manager', 'R&D_team')
    """
    return GROUP_LABELS.get(group, group)


def group_order(groups: list[str] | set[str]) -> list[str]:
    """Standard groups first in their usual order, then any others alphabetically."""
    standard = [g for g in STANDARD_GROUPS if g in groups]
    return standard + sorted(set(groups) - set(STANDARD_GROUPS))
