"""Overrides by dotted path: ``roles.developer.headcount=12`` from the CLI or the API.

Mappings are addressed by their keys (role, project type and objective ids),
lists by an item's ``id``, ``name`` or ``role`` (pipeline projects, phases,
demands) or by a 0-based index. The value is read as YAML, so ``12`` is a
number, ``none`` lifts a limit and ``{dist: fixed, value: 3}`` is a mapping.
The result is validated like the file itself, by the caller.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable, Mapping
from typing import Any

from pmo_sim.errors import InputError, Problem
from pmo_sim.inputs import yaml_value

__all__ = ["Override", "apply_overrides", "parse_override", "parse_overrides"]

Override = tuple[str, Any]
"""A parsed override: the dotted path and the value to put there."""

_LIST_KEYS = ("id", "name", "role")
#: Mappings keyed by ids: a missing id there is a typo, not a section to create.
_BY_ID = {("roles",), ("project_types",), ("objectives",)}


def parse_override(text: str) -> Override:
    """``"a.b.c=value"`` as ``("a.b.c", value)``; raises ValueError when malformed."""
    path, sep, raw = text.partition("=")
    path = path.strip()
    if not sep or not path:
        raise ValueError(f"expected PATH=VALUE, such as policy.wip_limit=8 (got {text!r})")
    if any(not part for part in path.split(".")):
        raise ValueError(f"empty part in path {path!r}")
    try:
        value = yaml_value(raw) if raw.strip() else None
    except InputError as exc:
        reason = "; ".join(str(p) for p in exc.problems)
        raise ValueError(f"cannot read the value {raw!r}: {reason}") from None
    return path, value


def parse_overrides(
    overrides: Mapping[str, Any] | Iterable[str] | None,
) -> tuple[list[Override], list[Problem]]:
    """Normalise overrides given as ``{"path": value}`` or ``["path=value", ...]``."""
    if overrides is None:
        return [], []
    if isinstance(overrides, Mapping):
        return [(str(k), v) for k, v in overrides.items()], []
    parsed, problems = [], []
    for text in overrides:
        try:
            parsed.append(parse_override(text))
        except ValueError as exc:
            problems.append(Problem(f"--set {text}", str(exc)))
    return parsed, problems


def _child(node: Any, part: str) -> tuple[bool, Any, Any]:
    """(found, container key, child) for one path step."""
    if isinstance(node, dict):
        return (part in node, part, node.get(part))
    if isinstance(node, list):
        for i, item in enumerate(node):
            if isinstance(item, dict) and any(str(item.get(k)) == part for k in _LIST_KEYS):
                return True, i, item
        if part.lstrip("-").isdigit() and -len(node) <= int(part) < len(node):
            return True, int(part) % len(node), node[int(part)]
    return False, None, None


def _known(node: Any) -> str:
    if isinstance(node, dict):
        return ", ".join(map(str, node)) or "(none)"
    if isinstance(node, list):
        names = [
            str(next((item[k] for k in _LIST_KEYS if k in item), i))
            if isinstance(item, dict)
            else str(i)
            for i, item in enumerate(node)
        ]
        return ", ".join(names) or "(empty list)"
    return "(not a mapping or list)"


def apply_overrides(
    data: Mapping[str, Any], overrides: Iterable[Override]
) -> tuple[dict[str, Any], list[tuple[Any, ...]], list[Problem]]:
    """A copy of ``data`` with the overrides applied.

    Returns the new data, the data location (keys and list indices) each
    override wrote to, and the problems (a path that does not exist). Only the
    last step may create a key in a mapping keyed by ids (roles, project types,
    objectives), so a typo in an id is reported, not added.
    """
    out = copy.deepcopy(dict(data))
    written: list[tuple[Any, ...]] = []
    problems: list[Problem] = []
    for path, value in overrides:
        parts = path.split(".")
        node: Any = out
        loc: list[Any] = []
        for depth, part in enumerate(parts):
            last = depth == len(parts) - 1
            found, key, child = _child(node, part)
            if last and (found or isinstance(node, dict)):
                node[key if found else part] = copy.deepcopy(value)
                loc.append(key if found else part)
                written.append(tuple(loc))
                break
            if not found and isinstance(node, dict) and tuple(parts[:depth]) not in _BY_ID:
                # A section left to its defaults (``policy.wip_limit`` without ``policy:``).
                node[part] = child = {}
                found, key = True, part
            if not found or not isinstance(child, dict | list):
                where = ".".join(parts[: depth + 1])
                reason = (
                    f"no {part!r} here; known: {_known(node)}"
                    if not found
                    else f"{where} is a value, not a mapping or list"
                )
                problems.append(Problem(f"--set {path}", reason))
                break
            node = child
            loc.append(key)
    return out, written, problems
