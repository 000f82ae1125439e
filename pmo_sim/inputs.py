"""Reading consultants' files: YAML, CSV and XLSX, with locations for errors.

Loaders here turn a file into plain Python data or a DataFrame and, on any
failure, raise :class:`~pmo_sim.errors.InputError` naming the file and the
line or row. :func:`validate_model` runs a pydantic model over YAML data and
reports every violation with its dotted field path and, where it can be
found, the YAML line it came from.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any, TypeVar

import pandas as pd
import yaml
from pydantic import BaseModel, ValidationError

from pmo_sim.errors import InputError, Problem

__all__ = [
    "YamlDoc",
    "load_yaml",
    "none_word",
    "problems_from_validation",
    "read_table",
    "table_location",
    "validate_model",
]

M = TypeVar("M", bound=BaseModel)


class YamlDoc:
    """Parsed YAML data plus a map from field paths to source lines."""

    def __init__(self, path: Path, data: Any, root: yaml.Node | None) -> None:
        self.path = path
        self.data = data
        self._root = root

    def line_of(self, loc: Sequence[str | int]) -> int | None:
        """1-based line where the value at ``loc`` starts (the deepest found)."""
        node = self._root
        line = node.start_mark.line + 1 if node is not None else None
        for key in loc:
            if isinstance(node, yaml.MappingNode):
                nxt = None
                for k, v in node.value:
                    if str(k.value) == str(key):
                        nxt = v
                        line = k.start_mark.line + 1
                        break
                node = nxt
            elif isinstance(node, yaml.SequenceNode) and isinstance(key, int):
                node = node.value[key] if 0 <= key < len(node.value) else None
                if node is not None:
                    line = node.start_mark.line + 1
            else:
                node = None
            if node is None:
                break
        return line


def none_word(value: Any) -> Any:
    """``none``, ``null``, ``off`` or blank typed for a limit mean no limit (None)."""
    if isinstance(value, str) and value.strip().lower() in {"none", "null", "off", ""}:
        return None
    return value


def load_yaml(path: str | Path) -> YamlDoc:
    """Load a YAML file safely; syntax errors are reported with line and column."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError(path, "file not found") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(path, f"cannot read file ({exc})") from None
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
        data = yaml.safe_load(text)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        raise InputError(path, [Problem(where, f"invalid YAML: {exc.problem}")]) from None
    except yaml.YAMLError as exc:
        raise InputError(path, f"invalid YAML: {exc}") from None
    if data is None:
        raise InputError(path, "file is empty")
    return YamlDoc(path, data, root)


def _dotted(loc: Iterable[str | int]) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out or "(top level)"


def _data_path(data: Any, loc: Sequence[str | int]) -> list[str | int]:
    """Keep only the parts of a pydantic ``loc`` that name places in the data.

    pydantic puts union and discriminator tags (``"capacity"``,
    ``"function-after[...]"``) into error locations; a consultant needs the
    path as it appears in their file. Missing keys are kept: the error is
    about them.
    """
    path: list[str | int] = []
    node = data
    for part in loc:
        is_key = isinstance(node, dict) and part in node
        is_index = isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node)
        if is_key or is_index:
            node = node[part]
        elif isinstance(part, str) and (
            "[" in part or (isinstance(node, dict) and part in map(str, node.values()))
        ):
            continue  # a validator or discriminator tag, not a key of the file
        else:
            node = None
        path.append(part)
    return path


def problems_from_validation(
    exc: ValidationError, doc: YamlDoc | None = None, prefix: Sequence[str | int] = ()
) -> list[Problem]:
    """Turn a pydantic ValidationError into located problems."""
    problems = []
    for err in exc.errors(include_url=False):
        loc = list(err["loc"])
        if doc is not None:
            loc = _data_path(doc.data, loc)
        else:
            loc = [p for p in loc if not (isinstance(p, str) and "[" in p)]
        if err["type"] == "union_tag_invalid":
            loc.append(str(err.get("ctx", {}).get("discriminator", "")).strip("'"))
        loc = [*prefix, *loc]
        where = _dotted(loc)
        if doc is not None:
            line = doc.line_of(loc)
            if line is not None:
                where += f" (line {line})"
        msg = err["msg"]
        if msg.startswith("Value error, "):
            msg = msg[len("Value error, ") :]
        problems.append(Problem(where, msg))
    return problems


def validate_model(model: type[M], doc: YamlDoc, context: dict | None = None) -> M:
    """Validate ``doc.data`` against ``model``; raise InputError listing every problem."""
    try:
        return model.model_validate(doc.data, context=context)
    except ValidationError as exc:
        raise InputError(doc.path, problems_from_validation(exc, doc)) from None


def read_table(path: str | Path, sheet: str | int = 0) -> pd.DataFrame:
    """Read a CSV or XLSX file as strings, keeping blanks as empty strings.

    Everything is read as text so that the loader decides what an answer
    means (``"3"``, ``"n/a"``, an option's text) and can name the cell.
    """
    path = Path(path)
    if not path.exists():
        raise InputError(path, "file not found")
    if path.stat().st_size == 0:
        raise InputError(path, "file is empty")
    suffix = path.suffix.lower()
    try:
        if suffix in {".xlsx", ".xlsm"}:
            frame = pd.read_excel(path, sheet_name=sheet, dtype=str, engine="openpyxl")
        elif suffix in {".csv", ".txt", ".tsv"}:
            sep = "\t" if suffix == ".tsv" else None
            frame = pd.read_csv(
                path,
                dtype=str,
                keep_default_na=False,
                sep=sep,
                engine="python",
                encoding="utf-8-sig",
                skipinitialspace=True,
            )
        else:
            raise InputError(path, f"unsupported file type {suffix!r} (use .csv or .xlsx)")
    except InputError:
        raise
    except pd.errors.EmptyDataError:
        raise InputError(path, "file is empty") from None
    except (pd.errors.ParserError, ValueError, OSError, KeyError) as exc:
        raise InputError(path, f"cannot parse file: {exc}") from None
    except Exception as exc:  # openpyxl raises a zoo of types for corrupt workbooks
        raise InputError(path, f"cannot read workbook: {exc}") from None
    frame = frame.fillna("")
    frame.columns = [str(c).strip() for c in frame.columns]
    if frame.empty:
        raise InputError(path, "file has a header but no rows")
    return frame


def table_location(row_index: int, column: str | None = None) -> str:
    """Spreadsheet-style location for a DataFrame row (header is row 1)."""
    where = f"row {row_index + 2}"
    return f"{where}, column {column!r}" if column is not None else where
