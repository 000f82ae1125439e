"""Every problem is found before any work starts: options, --out, every input of every report."""

from __future__ import annotations

import os
import time

import pytest

from pmo_sim.cli import main

BASELINE = "scenarios/baseline.yaml"
RESPONSES = "questionnaires/examples/northgate_long.csv"


def _run(capsys, *args, within=8.0):
    start = time.perf_counter()
    code = main([str(a) for a in args])
    seconds = time.perf_counter() - start
    err = capsys.readouterr().err
    assert seconds < within, f"took {seconds:.1f} s"
    assert "Traceback" not in err
    return code, err


@pytest.fixture
def a_file(tmp_path):
    path = tmp_path / "not-a-folder"
    path.write_text("x", encoding="utf-8")
    return path


@pytest.fixture
def unwritable(tmp_path):
    if os.geteuid() == 0:
        return "/proc/pmo-sim-out"  # even root cannot make a file in /proc
    folder = tmp_path / "locked"
    folder.mkdir(mode=0o500)
    return folder / "out"


def _commands(root, out):
    base, responses = root / BASELINE, root / RESPONSES
    return {
        "simulate": ["simulate", base, "-n", "2", "--out", out],
        "compare": ["compare", base, "--set", "policy.wip_limit=5", "-n", "2", "--out", out],
        "sweep": ["sweep", base, "--grid", "policy.wip_limit=5,6", "-n", "2", "--out", out],
        "assess": ["assess", responses, "--out", out],
        "business-case": [
            "business-case",
            "--assessment",
            responses,
            "--scenario",
            base,
            "--out",
            out,
        ],
        "report": ["report", "capacity", base, "--client", "Acme", "--out", out],
        "batch": ["batch", root / "notebooks/demo_batch.yaml", "--out", out],
    }


@pytest.mark.parametrize(
    "command", ["simulate", "compare", "sweep", "assess", "business-case", "report", "batch"]
)
def test_out_that_is_a_file_exits_2_before_running(root, capsys, a_file, command):
    code, err = _run(capsys, *_commands(root, a_file)[command])
    assert code == 2, err
    assert f"{a_file}: --out: this is a file" in err
    assert a_file.read_text(encoding="utf-8") == "x"


@pytest.mark.parametrize("command", ["simulate", "sweep", "report", "batch"])
def test_out_in_an_unwritable_place_exits_2_before_running(root, capsys, unwritable, command):
    code, err = _run(capsys, *_commands(root, unwritable)[command])
    assert code == 2, err
    assert "--out: cannot write in" in err


def test_bad_input_and_bad_out_are_reported_together(root, capsys, tmp_path, a_file):
    code, err = _run(capsys, "simulate", root / BASELINE, "--set", "horizon_weeks=-1",
                     "--out", a_file)  # fmt: skip
    assert code == 2
    assert "horizon_weeks (from --set)" in err and "--out: this is a file" in err


@pytest.mark.parametrize(
    ("grid", "message"),
    [
        ("policy.wip_limit={a,b", "cannot read the value '{a,b'"),
        ("policy.wip_limit=3,4,", "value 3 is empty (a stray comma?)"),
        ("policy.wip_limit=,3", "value 1 is empty"),
        ("policy.wip_limit=3,3", "value given twice: 3"),
        ("policy.wip_limit=", "expected PATH=V1,V2,..."),
        ("policy.wip_limit=0,5", "--grid policy.wip_limit=0"),
    ],
)
def test_bad_grid_values_exit_2_naming_the_grid(root, capsys, tmp_path, grid, message):
    out = tmp_path / "out"
    code, err = _run(capsys, "sweep", root / BASELINE, "--grid", grid, "-n", "2", "--out", out)
    assert code == 2, err
    assert "--grid" in err and message in err
    assert not out.exists()


def test_grid_values_may_hold_commas_inside_brackets(tmp_path):
    from pmo_sim.simulation.sweep import parse_grid

    axes = parse_grid(["roles.dev.hiring=[{week: 4, change: 1}],[]", "policy.wip_limit=6,none"])
    assert axes[0].values == ("[{week: 4, change: 1}]", "[]")
    assert axes[1].values == ("6", "none")


@pytest.mark.parametrize(
    ("option", "value", "message"),
    [
        ("--target", "lead_time_maen<=20", "--target: unknown metric 'lead_time_maen'"),
        ("--target", "utilisation.devloper<=0.9", "no role 'devloper' in the scenario"),
        ("--target", "lead_time_mean<=1.2.3", "with a finite number"),
        ("--target", "lead_time_mean<=.inf", "with a finite number"),
        ("--metric", "throughput", "--metric: unknown metric 'throughput'"),
    ],
)
def test_sweep_target_and_metric_are_checked_before_the_sweep(
    root, capsys, tmp_path, option, value, message
):
    out = tmp_path / "out"
    args = ["sweep", root / BASELINE, "--grid", "policy.wip_limit=5,6,7,8", "-n", "50"]
    code, err = _run(capsys, *args, option, value, "--out", out, within=5)
    assert code == 2, err
    assert message in err
    assert not out.exists()


@pytest.mark.parametrize(
    "args",
    [
        ["simulate", BASELINE, "--seed", "-1"],
        ["compare", BASELINE, BASELINE, "--seed", "-1"],
        ["sweep", BASELINE, "--grid", "policy.wip_limit=5", "--seed", "-1", "--out", "x"],
        ["business-case", "--assessment", RESPONSES, "--scenario", BASELINE, "--seed", "-1"],
        ["report", "capacity", BASELINE, "--client", "A", "--seed", "-1"],
        ["simulate", BASELINE, "-n", "1000000000"],
        ["batch", "notebooks/demo_batch.yaml", "--out", "x", "--timeout", "0"],
        ["batch", "notebooks/demo_batch.yaml", "--out", "x", "--timeout", "-5"],
    ],
    ids=[
        "simulate-seed",
        "compare-seed",
        "sweep-seed",
        "case-seed",
        "report-seed",
        "replications",
        "timeout-0",
        "timeout-negative",
    ],
)
def test_out_of_range_options_exit_2(root, capsys, monkeypatch, tmp_path, args):
    monkeypatch.chdir(root)
    code, err = _run(capsys, *args)
    assert code == 2, err
    assert not (root / "x").exists()


# -- reports: inputs read before any kernel starts ------------------------------------------


@pytest.fixture
def bad_files(root, tmp_path):
    png = tmp_path / "answers.csv"
    png.write_bytes((root / "docs/img").glob("*.png").__next__().read_bytes())
    utf16 = tmp_path / "scenario16.yaml"
    utf16.write_text((root / BASELINE).read_text(encoding="utf-8"), encoding="utf-16")
    scenario = tmp_path / "bad.yaml"
    scenario.write_text("horizon_weeks: .inf\nroles: {}\n", encoding="utf-8")
    return {"png": png, "utf16": utf16, "scenario": scenario}


@pytest.mark.parametrize(
    ("case", "message"),
    [
        ("png", "re-save it as UTF-8"),  # survey files: issue 11's reader says more
        ("utf16", "saved as UTF-16, not UTF-8"),
        ("scenario", "horizon_weeks (line 1): Input should be a finite number"),
        ("set", "policy.wip_limit (from --set): Input should be greater than or equal to 1"),
    ],
)
def test_report_checks_inputs_before_a_kernel_and_writes_nothing(
    root, capsys, tmp_path, bad_files, case, message
):
    out = tmp_path / "reports"
    if case == "png":
        args = ["report", "assessment", bad_files[case], "--client", "Acme"]
    elif case in ("scenario", "utf16"):
        args = ["report", "capacity", bad_files[case], "--client", "Acme"]
    else:
        args = ["report", "capacity", root / BASELINE, "--client", "Acme",
                "--set", "policy.wip_limit=-3"]  # fmt: skip
    code, err = _run(capsys, *args, "--out", out, within=10)
    assert code == 2, err
    assert message in err
    assert not out.exists()


def test_batch_fails_only_the_engagement_with_bad_input(root, capsys, tmp_path, bad_files):
    manifest = tmp_path / "m.yaml"
    manifest.write_text(
        "engagements:\n"
        f"  - {{client: Png Ltd, kind: assessment, responses: {bad_files['png']}}}\n"
        f"  - {{client: Inf Ltd, kind: capacity, scenarios: [{bad_files['scenario']}]}}\n",
        encoding="utf-8",
    )
    out = tmp_path / "out"
    code = main(["batch", str(manifest), "--out", str(out)])
    captured = capsys.readouterr()
    assert code == 1
    assert "0 made, 0 up to date, 2 failed" in captured.out
    assert "Png Ltd (assessment): bad input" in captured.err and "UTF-8" in captured.err
    assert "Inf Ltd (capacity): bad input" in captured.err
    assert not (out / "failed").exists() and (out / "index.html").exists()


def test_a_path_too_long_for_the_file_system_is_bad_input(root, capsys, tmp_path):
    manifest = tmp_path / "m.yaml"  # found by the fuzz test: OSError "File name too long"
    manifest.write_text(
        "engagements:\n  - {client: A, kind: assessment, responses: " + "x" * 5000 + "}\n",
        encoding="utf-8",
    )
    code, err = _run(capsys, "validate", manifest)
    assert code == 2
    assert "engagements[0].responses (line 2): cannot use this path (File name too long)" in err
    code, err = _run(capsys, "simulate", root / BASELINE, "--out", tmp_path / ("y" * 5000))
    assert code == 2 and "--out: cannot use this path (File name too long)" in err


@pytest.mark.parametrize("rows", ["", ",,,,,,\n"], ids=["header-only", "blank-row"])
def test_a_survey_export_with_a_header_and_no_answers(capsys, tmp_path, rows):
    path = tmp_path / "export.csv"  # found by the fuzz test: a numpy reshape traceback
    path.write_text("client,date,respondent,group,question,answer,comment\n" + rows, "utf-8")
    for command in ("assess", "inspect"):
        code, err = _run(capsys, command, path)
        assert code == 2
        assert f"{path}: the file has a header row but no answers under it" in err
