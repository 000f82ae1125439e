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
from typing import TYPE_CHECKING, Any, TypeVar

import yaml
from pydantic import BaseModel, ConfigDict, ValidationError

from pmo_sim.errors import InputError, Problem
from pmo_sim.files import from_spreadsheet_safe

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "MAX_TEXT_BYTES",
    "MAX_YAML_NODES",
    "InputModel",
    "YamlDoc",
    "encoding_problem",
    "load_yaml",
    "missing_file",
    "none_word",
    "parse_yaml",
    "problems_from_validation",
    "read_header",
    "read_table",
    "read_text",
    "table_location",
    "validate_model",
    "yaml_value",
]

M = TypeVar("M", bound=BaseModel)


class InputModel(BaseModel):
    """Base of every model read from a consultant's file: unknown keys and non-finite numbers fail.

    ``.inf`` and ``.nan`` are valid YAML floats but never a valid horizon,
    rate, headcount or cost, so every float field of every input model (and
    every field added later) refuses them.
    """

    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)


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


#: Largest YAML or JSON file read (bytes): hand-typed files are far smaller.
MAX_TEXT_BYTES = 20_000_000
#: Most nodes a YAML document may hold once its aliases are expanded. A real
#: scenario with anchors is a few thousand; a "billion laughs" file is refused.
MAX_YAML_NODES = 1_000_000

_BOMS = (
    (b"\xff\xfe\x00\x00", "UTF-32"),
    (b"\x00\x00\xfe\xff", "UTF-32"),
    (b"\xff\xfe", "UTF-16"),
    (b"\xfe\xff", "UTF-16"),
)
_NOT_TEXT = (
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"%PDF", "a PDF"),
    (b"PK\x03\x04", "a zip archive or XLSX workbook"),
    (b"\xd0\xcf\x11\xe0", "an old Excel (.xls) or Word file"),
)
_RESAVE = "re-save it as UTF-8 (in Excel: 'CSV UTF-8'; in Notepad or VS Code: encoding UTF-8)"


def _line_col(data: bytes, offset: int) -> str:
    line = data.count(b"\n", 0, offset) + 1
    column = offset - (data.rfind(b"\n", 0, offset) + 1) + 1
    return f"line {line}, column {column}"


def encoding_problem(data: bytes) -> Problem | None:
    """Why ``data`` is not UTF-8 text, in words a consultant can act on (None when it is)."""
    for bom, name in _BOMS:
        if data.startswith(bom):
            return Problem("", f"the file is saved as {name}, not UTF-8; {_RESAVE}")
    for magic, kind in _NOT_TEXT:
        if data.startswith(magic):
            return Problem("", f"this is {kind}, not a text file")
    if b"\x00" in data[:8192]:
        return Problem("", "this is a binary file, not text (it contains NUL bytes)")
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        byte = data[exc.start]
        guess = ""
        try:
            data.decode("cp1252")
            guess = " (it looks like Windows-1252/Latin-1, from an older Excel or Windows tool)"
        except UnicodeDecodeError:
            pass
        return Problem(
            _line_col(data, exc.start),
            f"the file is not UTF-8 text: byte 0x{byte:02x} is not valid UTF-8{guess}; {_RESAVE}",
        )
    return None


def missing_file(path: Path) -> str | None:
    """Why ``path`` cannot be read as an input file (None when it is a file that exists).

    Never raises: a name too long for the file system or a folder that
    cannot be searched is a reason like any other.
    """
    try:
        if path.is_file():
            return None
        if path.is_dir():
            return f"is a folder, not a file: {path}"
        return f"file not found: {path}"
    except OSError as exc:
        return f"cannot use this path ({exc.strerror or exc}): {str(path)[:200]}"


def read_text(path: str | Path, max_bytes: int = MAX_TEXT_BYTES) -> str:
    """The text of a hand-typed file (UTF-8, with or without BOM), or a plain InputError.

    The one place the kit reads YAML and JSON text: a missing file, a folder,
    a file too large, a binary file and a file in another encoding each get a
    message saying what to do.
    """
    path = Path(path)
    try:
        if path.is_dir():
            raise InputError(path, "this is a folder, not a file")
        size = path.stat().st_size
        if size > max_bytes:
            raise InputError(
                path, f"file is {size:,} bytes; the largest accepted is {max_bytes:,} bytes"
            )
        data = path.read_bytes()
    except FileNotFoundError:
        raise InputError(path, "file not found") from None
    except OSError as exc:
        raise InputError(path, f"cannot read file ({exc.strerror or exc})") from None
    problem = encoding_problem(data)
    if problem is not None:
        raise InputError(path, [problem])
    return data.decode("utf-8-sig")


class _BoundedLoader(yaml.SafeLoader):
    """PyYAML's safe loader, composing the node graph first so it can be checked."""


def _expanded_size(root: yaml.Node) -> int:
    """Nodes in the document with every alias expanded (memoised, so linear in the file).

    Raises ValueError for an alias that contains itself (a recursive document).
    """
    sizes: dict[int, int] = {}
    on_path: set[int] = set()
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:
        node, done = stack.pop()
        key = id(node)
        if done:
            on_path.discard(key)
            children = _children(node)
            sizes[key] = min(1 + sum(sizes[id(c)] for c in children), MAX_YAML_NODES + 1)
            continue
        if key in sizes:
            continue
        if key in on_path:
            raise ValueError("an alias refers to the node that contains it (a recursive document)")
        on_path.add(key)
        stack.append((node, True))
        stack.extend((c, False) for c in _children(node) if id(c) not in sizes)
    return sizes[id(root)]


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    if isinstance(node, yaml.MappingNode):
        return [n for pair in node.value for n in pair]
    return []


def _duplicate_keys(root: yaml.Node) -> list[Problem]:
    """Every key written twice in one mapping, with both lines (YAML says keys are unique)."""
    problems: list[Problem] = []
    seen_nodes: set[int] = set()
    stack = [root]
    while stack:
        node = stack.pop()
        if id(node) in seen_nodes:
            continue
        seen_nodes.add(id(node))
        if isinstance(node, yaml.MappingNode):
            first: dict[tuple[str, str], int] = {}
            for key, _ in node.value:
                if not isinstance(key, yaml.ScalarNode) or key.tag == "tag:yaml.org,2002:merge":
                    continue
                line = key.start_mark.line + 1
                ident = (key.tag, str(key.value))
                if ident in first:
                    problems.append(
                        Problem(
                            f"line {line}",
                            f"duplicate key {key.value!r} (first given at line {first[ident]}); "
                            "keep one",
                        )
                    )
                else:
                    first[ident] = line
        stack.extend(_children(node))
    return sorted(problems, key=lambda p: int(p.location.split()[1]))


def parse_yaml(text: str, source: str | Path | None = None) -> tuple[Any, yaml.Node | None]:
    """Data and node tree of YAML ``text``, safely; InputError naming ``source`` when bad.

    Only plain data is built (no Python objects), an alias expansion larger
    than :data:`MAX_YAML_NODES` or a recursive alias is refused before any of
    it is expanded, and a key given twice in a mapping is an error, not "the
    last one wins".
    """
    try:
        loader = _BoundedLoader(text)
    except yaml.reader.ReaderError as exc:
        raise InputError(source, [_reader_problem(text, exc)]) from None
    try:
        root = loader.get_single_node()
        if root is None:
            return None, None
        try:
            size = _expanded_size(root)
        except ValueError as exc:
            raise InputError(source, f"invalid YAML: {exc}") from None
        if size > MAX_YAML_NODES:
            raise InputError(
                source,
                f"YAML aliases expand to more than {MAX_YAML_NODES:,} values (an 'alias bomb'); "
                "write the values out or use fewer nested aliases",
            )
        duplicates = _duplicate_keys(root)
        if duplicates:
            raise InputError(source, duplicates)
        data = loader.construct_document(root)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        raise InputError(source, [Problem(where, f"invalid YAML: {exc.problem}")]) from None
    except yaml.reader.ReaderError as exc:
        raise InputError(source, [_reader_problem(text, exc)]) from None
    except yaml.YAMLError as exc:
        raise InputError(source, f"invalid YAML: {exc}") from None
    except RecursionError:
        raise InputError(source, "invalid YAML: nested too deeply") from None
    except (ValueError, OverflowError) as exc:
        # Out-of-range dates (2025-13-45), integers of thousands of digits.
        raise InputError(source, f"invalid YAML value: {exc}") from None
    finally:
        loader.dispose()
    return data, root


def _reader_problem(text: str, exc: yaml.reader.ReaderError) -> Problem:
    """A control character YAML does not allow, with its line and column."""
    before = text[: exc.position]
    where = f"line {before.count(chr(10)) + 1}, column {exc.position - before.rfind(chr(10))}"
    return Problem(where, f"invalid YAML: character U+{exc.character:04X} is not allowed in YAML")


def yaml_value(text: str, source: str | None = None) -> Any:
    """One value typed on the command line (``--set``, ``--grid``) read as YAML, safely."""
    return parse_yaml(text, source)[0]


def load_yaml(path: str | Path) -> YamlDoc:
    """Load a YAML file safely; every problem is reported with its line (see :func:`parse_yaml`)."""
    path = Path(path)
    data, root = parse_yaml(read_text(path), path)
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
    frame = _read_frame(Path(path), sheet)
    if frame.empty:
        raise InputError(path, "file has a header but no rows")
    return frame


def read_header(path: str | Path, sheet: str | int = 0) -> list[str]:
    """The header row of a CSV or XLSX file, as :func:`read_table` reads it, without its rows.

    Cheap on a large file (only the first row is parsed). Bytes that are not
    UTF-8 are replaced rather than refused: the header is for telling what a
    table is, and the file's own loader reports its encoding where it is.
    """
    return list(_read_frame(Path(path), sheet, header_only=True).columns)


def _read_frame(path: Path, sheet: str | int, *, header_only: bool = False) -> pd.DataFrame:
    import pandas as pd  # here, so that reading a YAML file does not import pandas

    if not path.exists():
        raise InputError(path, "file not found")
    if path.stat().st_size == 0:
        raise InputError(path, "file is empty")
    suffix = path.suffix.lower()
    nrows = 0 if header_only else None
    try:
        if suffix in {".xlsx", ".xlsm"}:
            frame = pd.read_excel(path, sheet_name=sheet, dtype=str, engine="openpyxl", nrows=nrows)
        elif suffix in {".csv", ".txt", ".tsv"}:
            sep = "\t" if suffix == ".tsv" else None
            frame = pd.read_csv(
                path,
                dtype=str,
                keep_default_na=False,
                sep=sep,
                engine="python",
                encoding="utf-8-sig",
                encoding_errors="replace" if header_only else "strict",
                skipinitialspace=True,
                nrows=nrows,
            )
        else:
            raise InputError(path, f"unsupported file type {suffix!r} (use .csv or .xlsx)")
    except InputError:
        raise
    except pd.errors.EmptyDataError:
        raise InputError(path, "file is empty") from None
    except UnicodeDecodeError:
        problem = encoding_problem(path.read_bytes())
        raise InputError(path, [problem or Problem("", "the file is not UTF-8 text")]) from None
    except (pd.errors.ParserError, ValueError, OSError, KeyError) as exc:
        raise InputError(path, f"cannot parse file: {exc}") from None
    except Exception as exc:  # openpyxl raises a zoo of types for corrupt workbooks
        raise InputError(path, f"cannot read workbook: {exc}") from None
    # The kit's own CSV exports quote text that would start a formula; undo that here.
    frame = frame.fillna("").map(from_spreadsheet_safe)
    frame.columns = [from_spreadsheet_safe(str(c).strip()) for c in frame.columns]
    return frame


def table_location(row_index: int, column: str | None = None) -> str:
    """Spreadsheet-style location for a DataFrame row (header is row 1)."""
    where = f"row {row_index + 2}"
    return f"{where}, column {column!r}" if column is not None else where
