"""A scenario from its files: the ``extends`` chain, a pipeline file, ``--set`` overrides.

A variant scenario names its base (``extends: baseline.yaml``) and says only
what differs; mappings merge key by key, anything else is replaced. The
pipeline may live in a CSV or XLSX file beside the YAML. Overrides
(``roles.developer.headcount=30``) are applied last. The merged data is then
validated once into a :class:`~pmo_sim.simulation.scenario.Scenario`, and
each problem is reported with the file and line that wrote the value
(:class:`_Sources`), or ``from --set``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from pmo_sim.errors import InputError, Problem
from pmo_sim.inputs import YamlDoc, load_yaml
from pmo_sim.simulation.overrides import apply_overrides as _apply_to_data
from pmo_sim.simulation.overrides import parse_overrides
from pmo_sim.simulation.pipeline import read_pipeline
from pmo_sim.simulation.scenario import NEUTRAL_POLICY, Scenario, validation_context

__all__ = ["apply_overrides", "dump_scenario", "load_scenario", "parse_scenario"]


def _dotted(loc: Iterable[Any]) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else ("." if out else "") + str(part)
    return out or "(top level)"


class _Sources:
    """Where each value of a (possibly merged) scenario came from, for error locations."""

    def __init__(self) -> None:
        #: ``(doc, label)`` from the most derived file to the base; label names the file.
        self.docs: list[tuple[YamlDoc, str]] = []
        #: Data locations written by overrides, with how to describe them.
        self.written: list[tuple[tuple[Any, ...], str]] = []

    def where(self, loc: tuple[Any, ...]) -> str:
        for written, label in self.written:
            if loc[: len(written)] == written:
                return f" ({label})"
        # The file that holds the longest part of the path wrote the value (the most
        # derived file wins a tie).
        best = max(self.docs, key=lambda d: _depth(d[0].data, loc), default=None)
        if best is not None and _depth(best[0].data, loc) > 0:
            line = best[0].line_of(loc)
            if line is not None:
                return f" ({best[1]}line {line})"
        return ""


def _depth(data: Any, loc: tuple[Any, ...]) -> int:
    """How many leading steps of ``loc`` exist in ``data``."""
    for depth, key in enumerate(loc):
        in_map = isinstance(data, dict) and key in data
        in_list = isinstance(data, list) and isinstance(key, int) and 0 <= key < len(data)
        if not (in_map or in_list):
            return depth
        data = data[key]
    return len(loc)


def _problems(exc: ValidationError, sources: _Sources) -> list[Problem]:
    problems = []
    for err in exc.errors(include_url=False):
        loc = tuple(p for p in err["loc"] if not str(p).startswith("function-"))
        msg = err["msg"].removeprefix("Value error, ")
        problems.append(Problem(_dotted(loc) + sources.where(loc), msg))
    return problems


def _merge(base: Any, variant: Any) -> Any:
    """``variant`` over ``base``: mappings merge key by key; anything else replaces."""
    if isinstance(base, dict) and isinstance(variant, dict):
        out = dict(base)
        for key, value in variant.items():
            out[key] = _merge(base[key], value) if key in base else value
        return out
    return variant


def _resolve_extends(
    data: dict[str, Any], path: Path | None, sources: _Sources, seen: tuple[Path, ...] = ()
) -> dict[str, Any]:
    """Merge the chain of ``extends:`` files under ``data`` (which came from ``path``)."""
    parent = data.get("extends")
    if parent is None:
        return data
    if path is None:
        raise InputError(None, [Problem("extends", "needs the scenario's file to find its base")])
    base_path = (path.parent / str(parent)).resolve()
    if base_path in seen:
        raise InputError(path, [Problem("extends", f"circular: {base_path.name} extends itself")])
    doc = load_yaml(base_path)
    if not isinstance(doc.data, dict):
        raise InputError(base_path, "a scenario must be a YAML mapping")
    sources.docs.append((doc, f"{base_path.name} "))
    base = _resolve_extends(dict(doc.data), base_path, sources, (*seen, base_path))
    merged = _merge(base, {k: v for k, v in data.items() if k != "extends"})
    if "pipeline" in data:
        merged["_pipeline_base"] = path.parent
    elif isinstance(base.get("pipeline"), dict):
        merged.setdefault("_pipeline_base", base.get("_pipeline_base", base_path.parent))
    return merged


def _read_pipeline_file(data: dict[str, Any], base: Path | None) -> list[Problem]:
    """Replace ``pipeline: {file: ...}`` by the file's rows, in place; return row problems."""
    base = data.pop("_pipeline_base", base)
    spec = data.get("pipeline")
    if not (isinstance(spec, dict) and "file" in spec):
        return []
    path = Path(str(spec["file"]))
    if base is not None and not path.is_absolute():
        path = base / path
    rows, problems = read_pipeline(path, spec.get("sheet", 0), validation_context(data))
    data["pipeline"] = rows
    return problems


def parse_scenario(
    data: Any,
    overrides: Mapping[str, Any] | Iterable[str] | None = None,
    *,
    source: str | Path | None = None,
    doc: YamlDoc | None = None,
) -> Scenario:
    """Validate scenario data (a mapping, as read from YAML) after applying overrides.

    ``source`` names the file in errors and anchors relative paths (``extends``,
    a pipeline file). ``overrides`` are ``{"path": value}`` or ``["path=value"]``.
    Raises :class:`InputError` listing every problem.
    """
    if not isinstance(data, dict):
        raise InputError(source, "a scenario must be a YAML mapping (roles, project_types, ...)")
    path = Path(source) if source is not None else None
    sources = _Sources()
    if doc is not None:
        sources.docs.append((doc, ""))
    data = _resolve_extends(dict(data), path, sources)
    problems = _read_pipeline_file(data, path.parent if path is not None else None)
    parsed, more = parse_overrides(overrides)
    problems += more
    data, written, more = _apply_to_data(data, parsed)
    problems += more
    sources.written += [(loc, "from --set") for loc in written]
    try:
        scenario = Scenario.model_validate(data, context=validation_context(data))
    except ValidationError as exc:
        problems += _problems(exc, sources)
    if problems:
        raise InputError(source, problems)
    return scenario


def load_scenario(
    path: str | Path, overrides: Mapping[str, Any] | Iterable[str] | None = None
) -> Scenario:
    """Read and validate a scenario YAML file, applying ``overrides`` (``path=value``).

    A file with ``extends: BASE.yaml`` is merged over its base first
    (mappings key by key, anything else replaced).
    """
    doc = load_yaml(path)
    return parse_scenario(doc.data, overrides, source=path, doc=doc)


def apply_overrides(scenario: Scenario, overrides: Mapping[str, Any] | Iterable[str]) -> Scenario:
    """A new scenario with ``overrides`` applied and validated like a file."""
    return parse_scenario(scenario.model_dump(mode="json"), overrides, source=scenario.name or None)


def dump_scenario(scenario: Scenario) -> str:
    """The resolved scenario as YAML (pipeline inline), loadable by :func:`load_scenario`.

    Policy fields at their neutral values are left out, so a scenario that does
    not use them dumps as it did before they existed.
    """
    data = scenario.model_dump(mode="json")
    policy = data.get("policy", {})
    for key, neutral in NEUTRAL_POLICY.items():
        if policy.get(key) == neutral:
            policy.pop(key, None)
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)
