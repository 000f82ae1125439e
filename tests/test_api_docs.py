"""docs/api.md lists exactly each module's public names (its ``__all__``)."""

from __future__ import annotations

import importlib
import re

from tests.conftest import ROOT


def _documented() -> dict[str, list[str]]:
    sections: dict[str, list[str]] = {}
    current = None
    for line in (ROOT / "docs" / "api.md").read_text().splitlines():
        heading = re.match(r"^## `([\w.]+)`", line)
        if heading:
            current = heading.group(1)
            sections[current] = []
        elif current and (row := re.match(r"^\| `(\w+)` \|", line)):
            sections[current].append(row.group(1))
    return sections


def test_api_page_matches_all():
    documented = _documented()
    assert documented, "no modules documented"
    for module, names in documented.items():
        public = list(importlib.import_module(module).__all__)
        assert sorted(names) == sorted(public), module
        for name in public:
            assert hasattr(importlib.import_module(module), name), f"{module}.{name}"


def test_every_public_package_is_on_the_api_page():
    documented = set(_documented())
    for package in ["pmo_sim", "pmo_sim.assessment", "pmo_sim.simulation",
                    "pmo_sim.business_case", "pmo_sim.reporting", "pmo_sim.widgets",
                    "pmo_sim.room"]:  # fmt: skip
        assert package in documented
