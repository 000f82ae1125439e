"""Where the client stands: the assessed tier and dimension tiers, from either kind of file.

The business case starts from an assessment: the results JSON written by
``pmo-sim assess --format json`` or ``--out`` (``assessment.json``), or the
responses file itself (CSV/XLSX/workshop database), scored here with the
bundled questionnaire.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pmo_sim.errors import InputError, Problem
from pmo_sim.inputs import read_text

__all__ = ["ClientPosition", "read_position"]


@dataclass(frozen=True)
class ClientPosition:
    """The assessed overall tier and each dimension's tier."""

    tier: int
    tier_name: str
    #: Dimension id -> tier (None when nobody answered the dimension).
    dimension_tiers: dict[str, int | None]
    #: Dimension id -> name, for the report.
    dimension_names: dict[str, str] = field(default_factory=dict)
    client: str | None = None
    assessed_on: str | None = None
    source: str = ""


def _tier_names() -> dict[int, str]:
    from pmo_sim.assessment import TIER_NAMES

    return dict(TIER_NAMES)


def _is_tier(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= 4


def _from_json(path: Path) -> ClientPosition:
    text = read_text(path)  # missing, folder, too large, not UTF-8: said plainly
    try:
        data = json.loads(text)
    except RecursionError:
        raise InputError(path, "invalid JSON: nested too deeply") from None
    except json.JSONDecodeError as exc:
        raise InputError(
            path, [Problem(f"line {exc.lineno}, column {exc.colno}", f"invalid JSON: {exc.msg}")]
        ) from None
    if not isinstance(data, dict):
        raise InputError(path, "expected the JSON object written by 'pmo-sim assess'")
    problems = []
    tier = data.get("tier")
    if not _is_tier(tier):
        problems.append(Problem("tier", f"must be a whole number 0-4 (got {tier!r})"))
    dims = data.get("dimensions")
    tiers: dict[str, int | None] = {}
    names: dict[str, str] = {}
    if not isinstance(dims, list):
        problems.append(Problem("dimensions", "must be a list of {id, name, score, tier}"))
        dims = []
    for i, dim in enumerate(dims):
        if not isinstance(dim, dict) or not isinstance(dim.get("id"), str):
            problems.append(Problem(f"dimensions[{i}]", "needs an 'id' (text)"))
            continue
        level = dim.get("tier")
        if level is not None and not _is_tier(level):
            problems.append(
                Problem(f"dimensions[{i}].tier", f"must be 0-4 or null (got {level!r})")
            )
            continue
        tiers[dim["id"]] = level
        names[dim["id"]] = str(dim.get("name") or dim["id"])
    if problems:
        raise InputError(path, problems)
    assert isinstance(tier, int)  # checked above
    return ClientPosition(
        tier=tier,
        tier_name=str(data.get("tier_name") or _tier_names().get(tier, "")),
        dimension_tiers=tiers,
        dimension_names=names,
        client=data.get("client"),
        assessed_on=data.get("assessed_on"),
        source=str(path),
    )


def read_position(path: str | Path) -> ClientPosition:
    """The client's position from a results JSON or a responses file (scored here)."""
    path = Path(path)
    if path.suffix.lower() == ".json":
        return _from_json(path)
    from pmo_sim.assessment import assess_file

    # Only the tiers are used, so a small bootstrap keeps this quick; tiers do not depend on it.
    result = assess_file(path, n_boot=100)
    dims = result.dimensions
    tiers = {
        str(row.dimension): (None if row.tier != row.tier else int(row.tier))
        for row in dims.itertuples(index=False)
    }
    return ClientPosition(
        tier=int(result.tier),
        tier_name=result.tier_name,
        dimension_tiers=tiers,
        dimension_names={str(r.dimension): str(r.name) for r in dims.itertuples(index=False)},
        client=result.client,
        assessed_on=result.assessed_on,
        source=str(path),
    )
