"""Writing outputs so that nothing half-written ever appears under its final name.

Every file the kit produces is written to a temporary name in the target
folder, then renamed into place (atomic on POSIX). :func:`write_all` writes
a set of files only after all of them have been staged.
"""

from __future__ import annotations

import os
import re
import tempfile
import unicodedata
from collections.abc import Mapping
from pathlib import Path

__all__ = ["atomic_write_bytes", "atomic_write_text", "slugify", "write_all"]


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
