"""The CLI skeleton and the bad-input convention (exit 2, file and location, no traceback)."""

from __future__ import annotations

from pmo_sim import __version__


def test_version(cli):
    result = cli("--version")
    assert result.returncode == 0
    assert result.stdout.strip() == f"pmo-sim {__version__}"


def test_help_lists_commands(cli):
    result = cli("--help")
    assert result.returncode == 0
    assert "validate" in result.stdout


def test_missing_file_exits_2_with_the_name(cli, tmp_path):
    missing = tmp_path / "nowhere.yaml"
    result = cli("validate", missing)
    assert result.returncode == 2
    assert "nowhere.yaml" in result.stderr
    assert "not found" in result.stderr
    assert "Traceback" not in result.stderr + result.stdout


def test_malformed_yaml_names_line_and_column(cli, tmp_path):
    bad = tmp_path / "broken.yaml"
    bad.write_text("roles:\n  developer: {headcount: 3\nproject_types: []\n")
    result = cli("validate", bad)
    assert result.returncode == 2
    assert "broken.yaml" in result.stderr
    assert "line 3" in result.stderr
    assert "Traceback" not in result.stderr


def test_unknown_kind_of_yaml_says_what_it_expected(cli, tmp_path):
    odd = tmp_path / "odd.yaml"
    odd.write_text("hello: world\n")
    result = cli("validate", odd)
    assert result.returncode == 2
    assert "odd.yaml" in result.stderr and "cannot tell" in result.stderr


def test_debug_shows_the_traceback(cli, tmp_path):
    result = cli("--debug", "validate", tmp_path / "nowhere.yaml")
    assert result.returncode == 2
    assert "Traceback" in result.stderr


def test_usage_error_is_not_a_traceback(cli):
    result = cli("validate")
    assert result.returncode == 2
    assert "Traceback" not in result.stderr


def test_every_bad_file_is_reported_in_one_run(cli, tmp_path):
    scenario = tmp_path / "s.yaml"
    scenario.write_text("roles: {dev: {headcount: -1, availability: 1}}\nproject_types: {}\n")
    broken = tmp_path / "q.yaml"
    broken.write_text("dimensions: [\n")
    result = cli("validate", scenario, broken)
    assert result.returncode == 2
    assert "2 files" in result.stderr
    assert "s.yaml, roles.dev.headcount (line 1)" in result.stderr
    assert "q.yaml, line 2, column 1: invalid YAML" in result.stderr
    assert "Traceback" not in result.stderr
