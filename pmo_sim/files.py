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
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

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


def _stage(path: Path, data: bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
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


def write_all(directory: Path, files: Mapping[str, str | bytes]) -> list[Path]:
    """Stage every file first, then rename them all into ``directory``."""
    staged: list[tuple[Path, Path]] = []
    try:
        for name, content in files.items():
            data = content.encode("utf-8") if isinstance(content, str) else content
            staged.append((_stage(directory / name, data), directory / name))
    except BaseException:
        for tmp, _ in staged:
            tmp.unlink(missing_ok=True)
        raise
    for tmp, final in staged:
        os.replace(tmp, final)
    return [final for _, final in staged]


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


def spreadsheet_safe_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` with :func:`spreadsheet_safe` applied to every text cell and header.

    Numeric columns are left as they are (a negative number is not a formula).
    """
    import pandas as pd

    out = frame.copy(deep=False)
    for i in range(out.shape[1]):
        series = out.iloc[:, i]
        if series.dtype == object or isinstance(series.dtype, pd.StringDtype | pd.CategoricalDtype):
            out.isetitem(i, series.astype(object).map(spreadsheet_safe))
    out.columns = [spreadsheet_safe(c) for c in out.columns]
    if out.index.dtype == object:
        out.index = out.index.map(spreadsheet_safe)
    return out


def frame_csv(frame: pd.DataFrame, *, index: bool = False) -> str:
    """``frame`` as CSV text with no live formula; the one way the kit makes CSV."""
    return spreadsheet_safe_frame(frame).to_csv(index=index, lineterminator="\n")


def write_csv(path: Path, frame: pd.DataFrame, *, index: bool = False) -> Path:
    """Write ``frame`` to ``path`` as :func:`frame_csv`, through a temporary name."""
    atomic_write_text(path, frame_csv(frame, index=index))
    return path
