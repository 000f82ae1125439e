"""The bad-input contract, held by a seeded fuzz corpus over every file kind and command.

For every case (see ``tests/fuzz_corpus.py``): the command exits 0, or exits 2
with a message naming the file or the option and no traceback, within a time
bound, and with nothing written when it exits 2. Any other exception escapes
``main`` and fails the case with its traceback: that is a finding.

``make test`` runs a small budget (``PMO_SIM_FUZZ_CASES``, default 48);
``make fuzz`` a larger one with another seed. Replay one case with
``PMO_SIM_FUZZ_SEED=S pytest tests/test_fuzz_contract.py -k 0042``.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from pmo_sim.cli import main
from pmo_sim.errors import InputError
from tests.fuzz_corpus import SEEDS, Case, draw_corpus, materialise

FUZZ_SEED = int(os.environ.get("PMO_SIM_FUZZ_SEED", "17"))
FUZZ_CASES = int(os.environ.get("PMO_SIM_FUZZ_CASES", "48"))
#: Seconds one case may take. Simulations are bounded with ``--set max_events`` (the
#: explicit override) so that a valid mutant never runs for long.
TIME_BOUND = float(os.environ.get("PMO_SIM_FUZZ_SECONDS", "30"))
SMALL = ["--workers", "1"]
BOUNDED = ["--set", "max_events=20000"]
CORPUS = draw_corpus(FUZZ_SEED, FUZZ_CASES)


def _out(case: Case, tmp_path: Path) -> Path:
    if case.out == "file":
        path = tmp_path / "out-is-a-file"
        path.write_text("keep me", encoding="utf-8")
        return path
    if case.out == "unwritable":
        if os.geteuid() == 0:
            return Path("/proc/pmo-sim-fuzz-out")
        locked = tmp_path / "locked"
        locked.mkdir(mode=0o500)
        return locked / "out"
    return tmp_path / "out"


def _args(case: Case, path: Path, out: Path) -> list[str]:
    responses, baseline = str(SEEDS["responses"]), str(SEEDS["scenario"])
    o, p = case.options, str(path)
    if case.command == "validate":
        kind = {"responses": "responses", "manifest": "manifest"}.get(case.kind)
        if "--kind" in o:
            return ["validate", p, *o]
        return ["validate", p, *(["--kind", kind] if kind else [])]
    if case.command == "simulate":
        return ["simulate", p, "-n", "2", *SMALL, *BOUNDED, *o, "--out", str(out)]
    if case.command == "compare":
        return ["compare", baseline, p, "-n", "2", *SMALL, *BOUNDED, *o, "--out", str(out)]
    if case.command == "sweep":
        return ["sweep", p, "-n", "2", *SMALL, *BOUNDED, *o, "--out", str(out)]
    if case.command == "assess":
        if case.kind == "questionnaire":
            return ["assess", responses, "-q", p, "--resamples", "100", *o, "--out", str(out)]
        return ["assess", p, "--resamples", "100", *o, "--out", str(out)]
    if case.command == "inspect":
        if case.kind == "questionnaire":
            return ["inspect", responses, "-q", p]
        return ["inspect", p]
    if case.command == "business-case":
        files = {"assessment": responses, "scenario": baseline, "practices": None}
        files[case.kind] = p
        args = ["business-case", "--assessment", files["assessment"], "--scenario",
                files["scenario"], "-n", "2", *SMALL]  # fmt: skip
        if files["practices"]:
            args += ["--practices", files["practices"]]
        return [*args, *o, "--out", str(out)]
    if case.command == "calibrate":
        return ["calibrate", p, "-n", "10", *o, "--out", str(out)]
    raise AssertionError(case.command)


def _read_inputs(case: Case, path: Path) -> None:
    """What report and batch do before any kernel starts, on the case's file."""
    from pmo_sim.reporting.kinds import AssessmentEngagement, CapacityEngagement
    from pmo_sim.reporting.manifest import load_manifest

    if case.kind == "manifest":
        engagements = load_manifest(path).engagements
    elif case.kind == "scenario":
        engagements = [CapacityEngagement(kind="capacity", client="Fuzz", scenarios=[path])]
    else:
        engagements = [AssessmentEngagement(kind="assessment", client="Fuzz", responses=path)]
    for engagement in engagements:
        engagement.read_inputs()


def _named(err: str, args: list[str]) -> bool:
    """The message names one of the files or options the command was given."""
    places = [a for a in args if a.startswith("/")] + [
        "--set", "--grid", "--seed", "--target", "--metric", "--out", "'-n'", "--replications",
        "--practices", "--scenario", "--assessment", "--scheduler", "--kind", "Invalid value",
        "No such option",
    ]  # fmt: skip
    return any(place[:200] in err for place in places)


@pytest.mark.parametrize("case", CORPUS, ids=[c.id for c in CORPUS])
def test_contract(case: Case, tmp_path, capsys, monkeypatch):
    inputs = tmp_path / "inputs"
    inputs.mkdir()
    path = materialise(case, inputs)
    monkeypatch.chdir(tmp_path)
    if case.command == "read_inputs":
        try:
            _read_inputs(case, path)
        except InputError as exc:
            # The file, or the engagement (client and kind) whose input it is.
            named = [str(path), "Fuzz (", "(assessment)", "(capacity)", "(business_case)"]
            assert any(n in str(exc) for n in named) or "/" in str(exc), str(exc)
        return
    out = _out(case, tmp_path)
    before = sorted(tmp_path.rglob("*"))
    start = time.perf_counter()
    args = _args(case, path, out)
    code = main(args)
    seconds = time.perf_counter() - start
    err = capsys.readouterr().err
    assert "Traceback" not in err, err
    assert code in (0, 2), f"exit {code}: {err}"
    assert seconds < TIME_BOUND, f"took {seconds:.1f} s"
    if code == 2:
        assert err.strip(), "exit 2 without a message"
        assert _named(err, args), f"the message names no file or option: {err}"
        assert sorted(tmp_path.rglob("*")) == before, "something was written on exit 2"
