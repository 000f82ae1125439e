"""The project's promises about itself: packaging, environment, notebooks, layout."""

from __future__ import annotations

import json
import re
import tomllib

import yaml

from tests.conftest import ROOT


def _name(requirement: str) -> str:
    return re.split(r"[<>=!~\[; ]", requirement, maxsplit=1)[0].strip().lower()


def test_layout_exists():
    for name in [
        "notebooks",
        "pmo_sim",
        "scenarios",
        "questionnaires",
        "tests",
        "docs",
        "benchmarks",
        "environment.yml",
        "README.md",
        "pyproject.toml",
        "Makefile",
        ".ci/run",
    ]:
        assert (ROOT / name).exists(), name


def test_environment_yml_names_every_runtime_dependency():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    conda = {_name(d) for d in env["dependencies"] if isinstance(d, str)}
    required = {_name(d) for d in project["dependencies"]}
    required |= {_name(d) for d in project["optional-dependencies"]["test"]}
    assert required - conda == set()
    assert "conda-forge" in env["channels"]


def test_version_has_one_source():
    import pmo_sim
    from pmo_sim._version import __version__

    assert pmo_sim.__version__ == __version__
    assert "version" in tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dynamic"]


def test_notebooks_are_committed_without_outputs_and_with_a_kernel():
    notebooks = sorted((ROOT / "notebooks").glob("*.ipynb"))
    for path in notebooks:
        nb = json.loads(path.read_text())
        assert nb["metadata"]["kernelspec"]["name"], path
        for cell in nb["cells"]:
            if cell["cell_type"] == "code":
                assert cell.get("outputs") == [], f"{path.name} has outputs"
                assert cell.get("execution_count") is None, f"{path.name} has counts"


def test_ci_runs_the_readme_test_command():
    readme = (ROOT / "README.md").read_text()
    assert "make test" in readme and "make demo" in readme
    assert "make test" in (ROOT / ".ci/run").read_text()


def test_public_api_is_explicit():
    import pmo_sim

    for name in pmo_sim.__all__:
        assert hasattr(pmo_sim, name), name
