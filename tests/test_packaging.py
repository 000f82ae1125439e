"""A plain install works: the wheel carries its data, and bundled copies match the user's."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from pmo_sim.bundled import bundled
from tests.conftest import ROOT

DATA = ROOT / "pmo_sim" / "data"


def _twins() -> list[tuple[Path, Path]]:
    """(bundled file, user-facing file at the same path in the checkout) pairs."""
    pairs = []
    for packaged in sorted(DATA.rglob("*")):
        twin = ROOT / packaged.relative_to(DATA)
        if packaged.is_file() and twin.is_file():
            pairs.append((packaged, twin))
    return pairs


def test_bundled_files_equal_their_user_facing_copies():
    pairs = _twins()
    names = {p.relative_to(DATA).as_posix() for p, _ in pairs}
    assert {"questionnaires/strategic_pmo.yaml", "scenarios/practices.yaml"} <= names
    for packaged, twin in pairs:
        assert packaged.read_bytes() == twin.read_bytes(), (
            f"{twin.relative_to(ROOT)} and {packaged.relative_to(ROOT)} differ: "
            "edit the user-facing copy, then run `make data`"
        )


def test_every_report_notebook_is_bundled_and_has_its_user_facing_copy():
    from pmo_sim.reporting.kinds import REPORT_KINDS
    from pmo_sim.reporting.runner import NOTEBOOKS

    for kind in REPORT_KINDS.values():
        assert (NOTEBOOKS / kind.notebook).is_file(), kind.name
        assert (ROOT / "notebooks" / kind.notebook).is_file(), kind.name


def test_defaults_are_read_from_the_package():
    from pmo_sim.assessment import DEFAULT_QUESTIONNAIRE
    from pmo_sim.business_case import DEFAULT_PRACTICES
    from pmo_sim.reporting.html import TEMPLATES

    for path in (DEFAULT_QUESTIONNAIRE, DEFAULT_PRACTICES, TEMPLATES / "pmo_report"):
        assert path.is_relative_to(DATA) and path.exists(), path
    assert bundled("notebooks").is_dir()


# --- the wheel, installed into a fresh venv and run from outside the checkout -------------


def _clean_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in {"PYTHONPATH", "VIRTUAL_ENV"}}
    env["PIP_DISABLE_PIP_VERSION_CHECK"] = "1"
    return env


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    """A wheel built from a clean copy of the sources (no stale build/ can leak in)."""
    work = tmp_path_factory.mktemp("wheel")
    source = work / "source"
    source.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(ROOT / name, source / name)
    shutil.copytree(
        ROOT / "pmo_sim", source / "pmo_sim", ignore=shutil.ignore_patterns("__pycache__")
    )
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(work), str(source)],
        check=True,
        capture_output=True,
        env=_clean_env(),
        timeout=300,
    )
    (built,) = work.glob("pmo_sim-*.whl")
    return built


@pytest.mark.slow
def test_the_wheel_carries_every_file_of_the_package(wheel):
    with zipfile.ZipFile(wheel) as archive:
        inside = {n for n in archive.namelist() if n.startswith("pmo_sim/")}
        metadata = next(n for n in archive.namelist() if n.endswith(".dist-info/METADATA"))
        meta = archive.read(metadata).decode()
    package = ROOT / "pmo_sim"
    expected = {
        p.relative_to(ROOT).as_posix()
        for p in package.rglob("*")
        if p.is_file() and "__pycache__" not in p.parts and p.suffix != ".pyc"
    }
    assert expected - inside == set(), "files of pmo_sim/ missing from the wheel (package-data)"
    assert "License-Expression: MIT" in meta


@pytest.mark.slow
def test_the_wheel_installs_and_runs_outside_the_checkout(wheel, tmp_path):
    from uv import find_uv_bin

    venv = tmp_path / "venv"
    env = _clean_env()
    subprocess.run(
        [sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True, env=env, timeout=120
    )
    py = venv / "bin" / "python"
    # The wheel and its whole dependency stack, resolved from the wheel's metadata: no
    # editable link, no path back to the checkout. uv rather than pip only for speed: it
    # fetches in parallel and reuses its cache (pip takes 80-110 s here, uv 6-8 s).
    install = subprocess.run(
        [find_uv_bin(), "pip", "install", "--quiet", "--python", str(py), str(wheel)],
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
    )
    assert install.returncode == 0, install.stderr[-3000:]
    client = tmp_path / "client"
    client.mkdir()
    for source in (
        ROOT / "questionnaires/examples/harbourline_long.csv",
        ROOT / "scenarios/baseline.yaml",
    ):
        shutil.copy2(source, client / source.name)

    def installed(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [str(venv / "bin" / "pmo-sim"), *args],
            cwd=client,
            capture_output=True,
            text=True,
            env=env,
            timeout=300,
        )

    def checkout(*args: str) -> str:
        return subprocess.run(
            [sys.executable, "-m", "pmo_sim", *args],
            cwd=client,
            capture_output=True,
            text=True,
            check=True,
            timeout=300,
        ).stdout

    where = subprocess.run(
        [str(py), "-c", "import pmo_sim; print(pmo_sim.__file__)"],
        cwd=client,
        capture_output=True,
        text=True,
        env=env,
        check=True,
    ).stdout.strip()
    assert Path(where).is_relative_to(venv) and not Path(where).is_relative_to(ROOT)

    # The same command gives the same bytes installed and in the checkout.
    commands = [
        ["assess", "harbourline_long.csv", "--format", "json"],
        ["simulate", "baseline.yaml", "-n", "3", "-w", "1", "--format", "json"],
        ["business-case", "--assessment", "harbourline_long.csv", "--scenario",
         "baseline.yaml", "-n", "2", "-w", "1", "--format", "json"],
    ]  # fmt: skip
    for command in commands:
        result = installed(*command)
        assert result.returncode == 0, (command, result.stderr[-3000:])
        assert json.loads(result.stdout) == json.loads(checkout(*command)), command
    assert json.loads(installed(*commands[0]).stdout)["tier"] == 1  # Harbourline is tier 1

    report = installed(
        "report", "assessment", "harbourline_long.csv", "--client", "Harbourline",
        "--out", "reports",
    )  # fmt: skip
    assert report.returncode == 0, report.stderr[-3000:]
    html = (client / "reports" / "harbourline" / "assessment.html").read_text()
    assert "Harbourline" in html and "Supportive" in html
    # One default seed: the report and the command show the same interval.
    from_report = json.loads((client / "reports" / "harbourline" / "assessment.json").read_text())
    from_command = json.loads(installed(*commands[0]).stdout)
    assert from_report["index_interval"] == from_command["index_interval"]
