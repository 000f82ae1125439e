"""Files that ship inside the package, under ``pmo_sim/data/``, found with importlib.resources.

The code never looks for its own files next to the checkout: after a plain
``pip install`` there is no checkout, only the installed package. So the
bundled questionnaire, the tier practices, the report notebooks and the HTML
report template live in ``pmo_sim/data/``, and :func:`bundled` returns the
path of one of them wherever the package is installed.

Some of them have a *user-facing twin* in the checkout at the same relative
path (``pmo_sim/data/questionnaires/strategic_pmo.yaml`` and
``questionnaires/strategic_pmo.yaml``): the copy a consultant opens, reads
and edits. The test suite checks that each pair is identical; ``make data``
copies the user-facing files into the package after an edit.

>>> bundled("questionnaires/strategic_pmo.yaml").name
'strategic_pmo.yaml'
"""

from __future__ import annotations

import atexit
import contextlib
import functools
import hashlib
from importlib import resources
from importlib.abc import Traversable
from pathlib import Path

__all__ = ["bundled", "package_digest"]

_EXTRACTED = contextlib.ExitStack()
atexit.register(_EXTRACTED.close)


@functools.cache
def bundled(relative: str) -> Path:
    """Filesystem path of ``pmo_sim/data/<relative>`` (a file or a folder).

    An ordinary install (wheel, editable, checkout) gives the file in place;
    a package imported from a zip archive gets a temporary copy of a file,
    removed at exit.
    """
    resource = resources.files("pmo_sim").joinpath("data", *relative.split("/"))
    if isinstance(resource, Path):
        return resource
    return _EXTRACTED.enter_context(resources.as_file(resource))


def package_digest(root: Traversable | None = None) -> str:
    """SHA-256 over every file the package ships (code and data), by relative path.

    Changes when any module, notebook, template or bundled file changes, not
    only the version string: a batch uses it to tell that a report made by an
    older kit is out of date. Compiled ``__pycache__`` files are left out.
    ``root`` defaults to the installed ``pmo_sim``.
    """
    if root is None:
        return _installed_digest()
    digest = hashlib.sha256()
    for relative, entry in sorted(_files(root, "")):
        digest.update(relative.encode())
        digest.update(b"\0")
        digest.update(entry.read_bytes())
    return digest.hexdigest()


@functools.cache
def _installed_digest() -> str:
    return package_digest(resources.files("pmo_sim"))


def _files(folder: Traversable, prefix: str) -> list[tuple[str, Traversable]]:
    out = []
    for entry in folder.iterdir():
        if entry.name == "__pycache__":
            continue
        relative = f"{prefix}{entry.name}"
        if entry.is_dir():
            out += _files(entry, relative + "/")
        elif not entry.name.endswith((".pyc", ".pyo")):
            out.append((relative, entry))
    return out
