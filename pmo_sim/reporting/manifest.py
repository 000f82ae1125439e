"""Batch manifests: which client reports to produce, from which inputs.

A manifest is YAML with a list of ``engagements``; each names a ``client``,
a report ``kind`` (one of :data:`~pmo_sim.reporting.kinds.REPORT_KINDS`) and
that kind's inputs and parameters. Relative paths are taken from the manifest's folder.
Every problem in the file (unknown field, missing input file, duplicate
report) is reported at once, with its field path and line.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Annotated, Any, Union, get_args, get_origin

from pydantic import Field, SerializeAsAny, ValidationError, create_model

from pmo_sim.errors import InputError, Problem
from pmo_sim.inputs import (
    InputModel,
    YamlDoc,
    load_yaml,
    missing_file,
    problems_from_validation,
)
from pmo_sim.reporting.kinds import (
    REPORT_KINDS,
    AssessmentEngagement,
    BusinessCaseEngagement,
    CapacityEngagement,
    EngagementBase,
)

__all__ = [
    "AssessmentEngagement",
    "BusinessCaseEngagement",
    "CapacityEngagement",
    "Engagement",
    "Manifest",
    "load_manifest",
    "manifest_model",
]

#: Any engagement (the registered kinds are subclasses).
Engagement = EngagementBase


class Manifest(InputModel):
    """A batch of engagements; ``base`` is the folder relative paths start from."""

    title: str = "Client reports"
    #: Fields every engagement takes unless it gives its own (``formats: [html, pptx]``).
    defaults: dict[str, Any] = Field(default_factory=dict)
    engagements: list[SerializeAsAny[EngagementBase]] = Field(min_length=1)
    base: Path = Path(".")


def _engagement_union() -> Any:
    """The engagement type of a manifest: one of the registered kinds, told by ``kind``."""
    models = tuple(k.engagement for k in REPORT_KINDS.values())
    if len(models) == 1:
        return models[0]
    return Annotated[Union[models], Field(discriminator="kind")]  # noqa: UP007


@lru_cache(maxsize=8)
def _manifest_model(_kinds: tuple[str, ...]) -> type[Manifest]:
    # Cached by the registered kinds' names: rebuilt when a kind is registered, so a new
    # kind is valid in a manifest at once.
    return create_model(
        "Manifest",
        __base__=Manifest,
        engagements=(list[_engagement_union()], Field(min_length=1)),  # type: ignore[arg-type, misc]
    )


def manifest_model() -> type[Manifest]:
    """The :class:`Manifest` model that accepts every registered report kind."""
    return _manifest_model(tuple(REPORT_KINDS))


def _resolve(engagement: Any, base: Path) -> None:
    for name, value in list(engagement.__dict__.items()):
        if isinstance(value, Path) and not value.is_absolute():
            setattr(engagement, name, (base / value).resolve())
        elif isinstance(value, list) and value and isinstance(value[0], Path):
            setattr(engagement, name, [(base / p).resolve() for p in value])


def _path_fields(model: type[EngagementBase]) -> list[str]:
    """Fields of an engagement model that name input files (a path, or a list of paths)."""
    names = []
    for name, info in model.model_fields.items():
        args = get_args(info.annotation)
        if (
            info.annotation is Path
            or Path in args
            or (get_origin(info.annotation) is list and args == (Path,))
        ):
            names.append(name)
    return names


def _missing_files(doc: YamlDoc, base: Path) -> list[Problem]:
    """Input files named in the raw manifest that do not exist, found even when the schema fails."""
    engagements = doc.data.get("engagements") if isinstance(doc.data, dict) else None
    if not isinstance(engagements, list):
        return []
    every = sorted({f for k in REPORT_KINDS.values() for f in _path_fields(k.engagement)})
    problems = []
    for i, raw in enumerate(engagements):
        if not isinstance(raw, dict):
            continue
        kind = REPORT_KINDS.get(str(raw.get("kind")))
        for name in _path_fields(kind.engagement) if kind is not None else every:
            value = raw.get(name)
            listed = value if isinstance(value, list) else [value]
            for j, text in enumerate(listed):
                if not isinstance(text, str) or not text.strip():
                    continue  # not a path: the schema check says so
                reason = missing_file((base / text).resolve())
                if reason is None:
                    continue
                loc: list[str | int] = ["engagements", i, name]
                field_name = name
                if isinstance(value, list):
                    loc.append(j)
                    field_name += f"[{j}]"
                line = doc.line_of(loc)
                where = f"engagements[{i}].{field_name}" + (f" (line {line})" if line else "")
                problems.append(Problem(where, reason))
    return problems


def _with_defaults(data: dict[str, Any]) -> dict[str, Any]:
    """The manifest with its ``defaults`` given to every engagement that does not say otherwise."""
    defaults, engagements = data.get("defaults"), data.get("engagements")
    if not isinstance(defaults, dict) or not isinstance(engagements, list):
        return data
    merged = [{**defaults, **e} if isinstance(e, dict) else e for e in engagements]
    return {**data, "engagements": merged}


def _missing_defaults(doc: YamlDoc, base: Path) -> list[Problem]:
    """Files named in ``defaults`` that do not exist (one problem, not one per engagement)."""
    defaults = doc.data.get("defaults") if isinstance(doc.data, dict) else None
    if not isinstance(defaults, dict):
        return []
    fields = {f for k in REPORT_KINDS.values() for f in _path_fields(k.engagement)}
    problems = []
    for name in sorted(fields & set(defaults)):
        text = defaults[name]
        if isinstance(text, str) and text.strip() and not (base / text).resolve().exists():
            line = doc.line_of(["defaults", name])
            where = f"defaults.{name}" + (f" (line {line})" if line else "")
            problems.append(Problem(where, f"file not found: {(base / text).resolve()}"))
    return problems


def load_manifest(path: str | Path) -> Manifest:
    """Load and check a batch manifest; raise InputError listing every problem.

    Schema problems and missing input files are reported together: one does
    not hide the other.
    """
    path = Path(path)
    doc = load_yaml(path)
    if not isinstance(doc.data, dict):
        raise InputError(path, "expected a mapping with a list of 'engagements'")
    base = path.resolve().parent
    missing = _missing_files(doc, base) + _missing_defaults(doc, base)
    try:
        manifest = manifest_model().model_validate({**_with_defaults(doc.data), "base": base})
    except ValidationError as exc:
        raise InputError(path, problems_from_validation(exc, doc) + missing) from None
    problems: list[Problem] = list(missing)
    seen: dict[tuple[str, str], int] = {}
    for i, engagement in enumerate(manifest.engagements):
        _resolve(engagement, base)
        key = (engagement.slug, engagement.kind)
        if key in seen:
            line = doc.line_of(["engagements", i])
            problems.append(
                Problem(
                    f"engagements[{i}]" + (f" (line {line})" if line else ""),
                    f"same client and kind as engagements[{seen[key]}] "
                    f"({engagement.client!r}, {engagement.kind}); give one an 'id'",
                )
            )
        else:
            seen[key] = i
    if problems:
        raise InputError(path, problems)
    return manifest
