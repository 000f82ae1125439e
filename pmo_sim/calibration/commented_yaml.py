"""A scenario written as YAML with a comment after each fitted number saying where it came from.

PyYAML cannot write comments, so this is a small block-style emitter for
the plain data of a scenario (mappings, lists, scalars): a mapping or list
holding only scalars is written inline (``{dist: lognormal, mean: 41.7, sd:
16.7}``) unless a commented field is inside it, and every scalar or inline
value is written by ``yaml.safe_dump``, so quoting is PyYAML's. Comments are
single lines; any line break in one is replaced, so a comment can never
become YAML.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import yaml

__all__ = ["commented_yaml"]

Path = tuple[Any, ...]


def _inline(value: Any) -> str:
    text = yaml.safe_dump(value, default_flow_style=True, width=1 << 30, sort_keys=False)
    text = text.strip()
    return text.removesuffix("...").strip()


def _scalar(value: Any) -> bool:
    return not isinstance(value, dict | list)


def _is_leaf(value: Any, path: Path, commented: set[Path]) -> bool:
    """Written inline: scalars, and containers of scalars (or of lists of scalars)."""
    if _scalar(value):
        return True
    items = list(value.values()) if isinstance(value, dict) else value
    simple = all(_scalar(v) or (isinstance(v, list) and all(map(_scalar, v))) for v in items)
    inside = any(len(p) > len(path) and p[: len(path)] == path for p in commented)
    return simple and not inside


def _comment(path: Path, comments: Mapping[Path, str]) -> str:
    text = comments.get(path)
    return "" if not text else "  # " + " ".join(str(text).split())


def _emit(node: Any, path: Path, indent: int, comments: Mapping[Path, str], out: list[str]) -> None:
    pad = " " * indent
    commented = set(comments)
    if isinstance(node, dict):
        for key, value in node.items():
            here = (*path, key)
            if _is_leaf(value, here, commented):
                out.append(f"{pad}{_inline(key)}: {_inline(value)}{_comment(here, comments)}")
            else:
                out.append(f"{pad}{_inline(key)}:{_comment(here, comments)}")
                _emit(value, here, indent + 2, comments, out)
        return
    for i, item in enumerate(node):
        here = (*path, i)
        if _is_leaf(item, here, commented):
            out.append(f"{pad}- {_inline(item)}{_comment(here, comments)}")
            continue
        block: list[str] = []
        _emit(item, here, indent + 2, comments, block)
        block[0] = f"{pad}- {block[0][indent + 2 :]}"
        out.extend(block)


def commented_yaml(data: Mapping[str, Any], comments: Mapping[Path, str], header: str = "") -> str:
    """``data`` as block YAML, with ``comments[path]`` after the value at ``path``."""
    out = [f"# {line}".rstrip() for line in header.splitlines()]
    _emit(dict(data), (), 0, comments, out)
    return "\n".join(out) + "\n"
