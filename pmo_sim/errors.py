"""Bad input: one exception type that says which file and where.

Every loader in pmo-sim raises :class:`InputError` for a file a consultant
handed us (survey export, hand-typed YAML, batch manifest). It carries *all*
the problems found in that file, each with a location (line, row and column,
or a dotted field path), so the consultant fixes everything in one pass. The
CLI turns it into one message and exit status 2, in one place
(:func:`pmo_sim.cli.main`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

__all__ = ["InputError", "Problem", "load_all"]

K = TypeVar("K")


@dataclass(frozen=True)
class Problem:
    """One thing wrong in an input file.

    ``location`` is human-readable: ``"line 12"``, ``"row 4, column 'Q3'"``,
    ``"roles.developer.headcount (line 9)"``; empty when the problem concerns
    the whole file (missing, empty, unreadable).
    """

    location: str
    message: str

    def __str__(self) -> str:
        return f"{self.location}: {self.message}" if self.location else self.message


class InputError(Exception):
    """A user-supplied file is missing, unreadable or invalid.

    ``problems`` lists every problem found (or the first of them, with a
    last entry saying how many more; ``total`` is then the true count);
    ``path`` names the file.
    """

    def __init__(
        self, path: str | Path | None, problems: list[Problem] | str, *, total: int | None = None
    ) -> None:
        # path names the file, or another source of the input such as "--scheduler ADDR".
        if isinstance(problems, str):
            problems = [Problem("", problems)]
        self.path = str(path) if path is not None else None
        self.problems: list[Problem] = list(problems)
        #: How many problems there are, when ``problems`` lists only the first of them.
        self.total = total if total is not None else len(self.problems)
        super().__init__(self.message)

    @property
    def message(self) -> str:
        """The file and every problem, as the CLI prints it."""
        head = self.path or "input"
        if len(self.problems) == 1:
            return f"{head}: {self.problems[0]}"
        lines = [f"{head}: {self.total} problems"]
        lines += [f"  - {p}" for p in self.problems]
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.message


def load_all(loaders: Mapping[K, Callable[[], Any]]) -> dict[K, Any]:
    """Run every loader, so that all bad files are reported at once, not the first only.

    Returns each loader's result under its key (the loaders return different
    types, so annotate what you take out: ``scenario: Scenario = loaded["scenario"]``).

    One bad file raises its own error unchanged; several raise one
    :class:`InputError` whose problems name each file.
    """
    loaded: dict[K, Any] = {}
    failed: list[InputError] = []
    for key, load in loaders.items():
        try:
            loaded[key] = load()
        except InputError as exc:
            failed.append(exc)
    if len(failed) == 1:
        raise failed[0]
    if failed:
        problems = [
            Problem(", ".join(x for x in (exc.path, p.location) if x), p.message)
            for exc in failed
            for p in exc.problems
        ]
        raise InputError(f"{len(failed)} files", problems)
    return loaded
