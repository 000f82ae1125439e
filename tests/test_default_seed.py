"""One default seed everywhere: commands, functions, notebooks, manifests (pmo_sim.seeds)."""

from __future__ import annotations

import ast
import importlib
import inspect
import json
import pkgutil

import click
import typer

import pmo_sim
from pmo_sim import DEFAULT_SEED
from tests.conftest import ROOT

# A seed default that is not the kit's default, and why.
NOT_THE_DEFAULT = {
    # Generates the bundled fictional history; its seed is part of how that file was made.
    "pmo_sim.calibration.synthetic.synthetic_history",
}


def _commands(group: click.Group, prefix: str = "") -> dict[str, click.Command]:
    out = {}
    for name, command in group.commands.items():
        if isinstance(command, click.Group):
            out |= _commands(command, f"{prefix}{name} ")
        else:
            out[f"{prefix}{name}"] = command
    return out


def test_every_command_defaults_to_the_kit_seed():
    from pmo_sim.cli import app

    seeded = {}
    for name, command in _commands(typer.main.get_command(app)).items():
        for param in command.params:
            if param.name == "seed":
                seeded[name] = param.default
    assert {"assess", "simulate", "compare", "sweep", "business-case"} <= set(seeded)
    assert seeded == dict.fromkeys(seeded, DEFAULT_SEED)


def test_every_function_with_a_seed_defaults_to_it():
    checked = []
    for info in pkgutil.walk_packages(pmo_sim.__path__, "pmo_sim."):
        if info.name.endswith("__main__"):
            continue
        module = importlib.import_module(info.name)
        for name, obj in vars(module).items():
            if getattr(obj, "__module__", None) != module.__name__:
                continue
            target = obj.__init__ if inspect.isclass(obj) else obj
            if not callable(target):
                continue
            try:
                parameter = inspect.signature(target).parameters.get("seed")
            except (TypeError, ValueError):
                continue
            if parameter is None or parameter.default is inspect.Parameter.empty:
                continue
            if f"{module.__name__}.{name}" in NOT_THE_DEFAULT:
                continue
            default = getattr(parameter.default, "default", parameter.default)  # pydantic Field
            checked.append(f"{module.__name__}.{name}")
            assert default == DEFAULT_SEED, f"{module.__name__}.{name}: seed={default!r}"
    assert "pmo_sim.simulation.replications.simulate" in checked
    assert "pmo_sim.assessment.scoring.score_answers" in checked


def test_every_report_kind_and_notebook_defaults_to_it():
    from pmo_sim.reporting.kinds import REPORT_KINDS

    for kind in REPORT_KINDS.values():
        assert kind.engagement.model_fields["seed"].default == DEFAULT_SEED, kind.name
        nb = json.loads((ROOT / "notebooks" / kind.notebook).read_text(encoding="utf-8"))
        cell = next(c for c in nb["cells"] if "parameters" in c["metadata"].get("tags", []))
        tree = ast.parse("".join(cell["source"]))
        seed = next(
            node.value
            for node in tree.body
            if isinstance(node, ast.Assign) and [t.id for t in node.targets] == ["seed"]
        )
        assert isinstance(seed, ast.Name) and seed.id == "DEFAULT_SEED", kind.notebook
