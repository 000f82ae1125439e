"""``pmo-sim validate``: check input files and list every problem in each.

Files given together are checked together where one depends on another:
timesheets that name people are checked against the resource lists given in
the same call (each person must have a role there).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

import typer

from pmo_sim.cli.formats import FORMATS, detect_kind, load_any
from pmo_sim.cli.options import GROUP_COLUMN, MAPPING
from pmo_sim.errors import InputError, load_all


class _Files:
    """Each file's kind and loaded object (or its error), each worked out once."""

    def __init__(self, kind: str | None, options: dict[str, Any]) -> None:
        self.forced = kind
        self.options = options
        self._kinds: dict[Path, str | InputError] = {}
        self._loaded: dict[Path, tuple[str, Any] | InputError] = {}

    def kind(self, path: Path) -> str | InputError:
        """The kind ``path`` is checked as, or why it cannot be told."""
        if path not in self._kinds:
            try:
                self._kinds[path] = self.forced or detect_kind(path)
            except InputError as exc:
                self._kinds[path] = exc
        return self._kinds[path]

    def load(self, path: Path, **extra: Any) -> tuple[str, Any]:
        """Load ``path`` as its kind (once); raises its InputError."""
        if path not in self._loaded:
            kind = self.kind(path)
            try:
                if isinstance(kind, InputError):
                    raise kind
                self._loaded[path] = load_any(path, kind, **self.options, **extra)
            except InputError as exc:
                self._loaded[path] = exc
        result = self._loaded[path]
        if isinstance(result, InputError):
            raise result
        return result

    def roles_of(self, paths: list[Path]) -> dict[str, str] | None:
        """Person -> role from the resource lists among ``paths``; None when there are none.

        A resource list that fails is reported on its own and adds no people.
        """
        from pmo_sim.calibration.resources import person_roles

        lists = [p for p in paths if self.kind(p) == "resources"]
        if not lists:
            return None
        roles: dict[str, str] = {}
        for path in lists:
            try:
                roles |= person_roles(self.load(path)[1])
            except InputError:
                continue
        return roles


def validate(
    paths: list[Path] = typer.Argument(..., help="Files to check."),
    kind: str | None = typer.Option(
        None,
        "--kind",
        help=f"Force the kind: {', '.join(FORMATS)}. Default: from the content (a YAML file's "
        "keys, a table's header row).",
    ),
    group_column: str | None = GROUP_COLUMN,
    mapping: Path | None = MAPPING,
) -> None:
    """Check questionnaires, scenarios, responses, histories, resource lists, timesheets..."""
    profile = None
    if mapping is not None:
        from pmo_sim.assessment.profile import load_survey_profile
        from pmo_sim.assessment.questionnaire import load_questionnaire

        profile = load_survey_profile(mapping, load_questionnaire())
    files = _Files(kind, {"group_column": group_column, "mapping": profile})

    def check(path: Path) -> None:
        extra = {"roles_of": files.roles_of(paths)} if files.kind(path) == "timesheets" else {}
        found, loaded = files.load(path, **extra)
        typer.echo(f"ok   {path} ({found})")
        inspection = getattr(loaded, "inspection", None)
        if inspection is not None:
            typer.echo("     " + inspection.headline().replace("\n", "\n     "))
        for warning in getattr(loaded, "warnings", ()):
            typer.echo("     warning: " + warning.replace("\n", "\n     "))

    checks: dict[Path, Callable[[], None]] = {path: partial(check, path) for path in paths}
    load_all(checks)


def register(app: typer.Typer) -> None:
    """Add ``validate`` to the CLI."""
    app.command("validate")(validate)
