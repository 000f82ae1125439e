"""Writing outputs so that nothing half-written ever appears under its final name.

Every file the kit produces is written to a temporary name in the target
folder, then renamed into place (atomic on POSIX). :func:`write_all` writes
a set of files only after all of them have been staged.

Every CSV the kit writes goes through :func:`frame_csv` (or
:func:`spreadsheet_safe_frame` for another writer such as pyarrow's), so
that text from inputs can never become a live spreadsheet formula: a
respondent called ``=HYPERLINK(...)`` is written ``'=HYPERLINK(...)``, as
the OWASP advice on CSV injection says. :func:`from_spreadsheet_safe` undoes
it when the kit reads its own CSV back.
"""

from __future__ import annotations

import os
import re
import tempfile
import unicodedata
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "FORMULA_START",
    "atomic_write_bytes",
    "atomic_write_text",
    "frame_csv",
    "from_spreadsheet_safe",
    "slugify",
    "spreadsheet_safe",
    "spreadsheet_safe_frame",
    "staged",
    "table_csv",
    "table_parquet",
    "write_all",
    "write_csv",
]

#: First characters that make Excel, LibreOffice or Sheets read a cell as a formula.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")

# A cell that starts with a formula character, possibly behind quotes we added before.
_LIVE = re.compile(r"^'*[=+\-@\t\r]")
_NEUTRALISED = re.compile(r"^'+[=+\-@\t\r]")
# A plain number written as text ("-3", "+1.5e3") is read as a number, never a formula.
_NUMBER = re.compile(r"^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$")


def _stage(path: Path, data: bytes | Callable[[BinaryIO], None]) -> Path:
    """Write ``data`` (bytes, or a function writing into a binary file) beside ``path``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            if callable(data):
                data(fh)
            else:
                fh.write(data)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)  # mkstemp makes files private; give a normal mode
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return Path(tmp)


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file and a rename."""
    os.replace(_stage(path, data), path)


def atomic_write_text(path: Path, text: str) -> None:
    """Text (UTF-8) version of :func:`atomic_write_bytes`."""
    atomic_write_bytes(path, text.encode("utf-8"))


@contextmanager
def staged(path: Path, content: str | bytes) -> Iterator[Path]:
    """Write ``content`` under a temporary name beside ``path``, yield it, then rename it in.

    The block can check the staged file (read it back, validate it); if the
    block raises, the temporary file is removed and ``path`` is left as it was.
    """
    data = content.encode("utf-8") if isinstance(content, str) else content
    tmp = _stage(path, data)
    try:
        yield tmp
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    os.replace(tmp, path)


def write_all(directory: Path, files: Mapping[str, str | bytes | pd.DataFrame]) -> list[Path]:
    """Stage every file first, then rename them all into ``directory``.

    A DataFrame is written by pyarrow straight into its staged file: CSV for a
    ``.csv`` name (as :func:`table_csv`), Parquet for ``.parquet`` (as
    :func:`table_parquet`), with no copy of the whole file in memory.
    """
    staged: list[tuple[Path, Path]] = []
    try:
        for name, content in files.items():
            staged.append((_stage(directory / name, _content(name, content)), directory / name))
    except BaseException:
        for tmp, _ in staged:
            tmp.unlink(missing_ok=True)
        raise
    for tmp, final in staged:
        os.replace(tmp, final)
    return [final for _, final in staged]


def _content(name: str, content: Any) -> bytes | Callable[[BinaryIO], None]:
    if isinstance(content, str):
        return content.encode("utf-8")
    if isinstance(content, bytes):
        return content
    if name.endswith(".parquet"):
        return lambda fh: _write_parquet(content, fh)
    if name.endswith(".csv"):
        return lambda fh: _write_csv(content, fh)
    raise ValueError(f"{name}: a table can be written as .csv or .parquet only")


def slugify(text: str, fallback: str = "client", limit: int = 80) -> str:
    """A safe file or folder name: lower-case ASCII letters, digits and dashes.

    >>> slugify("Société Générale / Paris")
    'societe-generale-paris'
    >>> slugify("!!!", fallback="whatif")
    'whatif'
    """
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^A-Za-z0-9]+", "-", ascii_text).strip("-").lower()[:limit].strip("-")
    return slug or fallback


def spreadsheet_safe(value: Any) -> Any:
    """``value`` as a cell no spreadsheet will run: text that starts a formula gets a ``'``.

    Numbers, and text that is a plain number such as ``"-3"``, are returned
    unchanged. Text already starting with ``'`` before a formula character
    gets one more, so :func:`from_spreadsheet_safe` gives the original back.
    """
    if isinstance(value, str) and _LIVE.match(value) and not _NUMBER.match(value):
        return "'" + value
    return value


def from_spreadsheet_safe(value: Any) -> Any:
    """The inverse of :func:`spreadsheet_safe`, for the kit's own CSV files read back."""
    if isinstance(value, str) and _NEUTRALISED.match(value):
        return value[1:]
    return value


def _safe_text(series: pd.Series) -> pd.Series:
    """:func:`spreadsheet_safe` on a text column, once per distinct value (300,000 ids, fast).

    The column comes back unchanged (same dtype) when no cell needs it.
    """
    import numpy as np
    import pandas as pd

    codes, uniques = pd.factorize(series, use_na_sentinel=True)
    safe = [spreadsheet_safe(u) for u in uniques]
    if all(a is b or a == b for a, b in zip(safe, uniques, strict=True)):
        return series
    values = np.array([*safe, None], dtype=object)[codes]  # code -1 (missing) -> None
    return pd.Series(values, index=series.index, name=series.name, dtype=object)


def spreadsheet_safe_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` with :func:`spreadsheet_safe` applied to every text cell and header.

    Numeric columns are left as they are (a negative number is not a formula).
    """
    import pandas as pd

    out = frame.copy(deep=False)
    for i in range(out.shape[1]):
        series = out.iloc[:, i]
        if series.dtype == object or isinstance(series.dtype, pd.StringDtype | pd.CategoricalDtype):
            safe = _safe_text(series)
            if safe is not series:
                out.isetitem(i, safe)
    out.columns = [spreadsheet_safe(c) for c in out.columns]
    if out.index.dtype == object:
        out.index = out.index.map(spreadsheet_safe)
    return out


def frame_csv(frame: pd.DataFrame, *, index: bool = False) -> str:
    """``frame`` as CSV text with no live formula; the one way the kit makes CSV."""
    if index:
        frame = frame.reset_index()
    return table_csv(frame).decode("utf-8")


def _safe_arrow(column: Any) -> Any:
    """:func:`spreadsheet_safe` on a pyarrow text column, vectorised (no Python per cell)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    kind = column.type
    if pa.types.is_dictionary(kind):
        return pa.chunked_array(
            [
                pa.DictionaryArray.from_arrays(chunk.indices, _safe_arrow(chunk.dictionary))
                for chunk in column.chunks
            ],
            type=kind,
        )
    if not (pa.types.is_string(kind) or pa.types.is_large_string(kind)):
        return column
    live = pc.and_not(
        pc.match_substring_regex(column, _LIVE.pattern),
        pc.match_substring_regex(column, _NUMBER.pattern),
    )
    if not pc.any(live).as_py():
        return column
    quote, empty = pa.scalar("'", kind), pa.scalar("", kind)
    return pc.if_else(live, pc.binary_join_element_wise(quote, column, empty), column)


def _arrow_table(frame: pd.DataFrame) -> Any:
    """``frame`` as a pyarrow Table with no live formula in any text cell or header."""
    import pyarrow as pa

    # NaN becomes null (an empty CSV cell, a Parquet null), as pandas writes it.
    table = pa.Table.from_pandas(frame, preserve_index=False)
    return pa.table(
        [_safe_arrow(c) for c in table.columns],
        names=[str(spreadsheet_safe(str(n))) for n in table.column_names],
        metadata=table.schema.metadata,
    )


def _write_csv(frame: pd.DataFrame, sink: Any) -> None:
    import pyarrow.csv as pacsv

    pacsv.write_csv(_arrow_table(frame), sink)


def _write_parquet(frame: pd.DataFrame, sink: Any) -> None:
    import pyarrow.parquet as pq

    pq.write_table(_arrow_table(frame), sink, compression="zstd")


def table_csv(frame: pd.DataFrame) -> bytes:
    """``frame`` as CSV bytes through pyarrow's writer (fast on large tables), no live formula.

    Text is quoted, booleans are ``true``/``false``, missing values are empty
    cells; spreadsheets and CSV readers read it as the table it was.
    """
    import io

    buffer = io.BytesIO()
    _write_csv(frame, buffer)
    return buffer.getvalue()


def table_parquet(frame: pd.DataFrame) -> bytes:
    """``frame`` as Parquet bytes (zstd, no index): typed columns for pandas, DuckDB, Power BI."""
    import io

    buffer = io.BytesIO()
    _write_parquet(frame, buffer)
    return buffer.getvalue()


def write_csv(path: Path, frame: pd.DataFrame, *, index: bool = False) -> Path:
    """Write ``frame`` to ``path`` as :func:`frame_csv`, through a temporary name."""
    write_all(path.parent, {path.name: frame.reset_index() if index else frame})
    return path
