"""Scenario files: validation with paths and lines, all problems at once; extends; pipelines."""

from __future__ import annotations

import textwrap

import pandas as pd
import pytest

from pmo_sim.cli.formats import detect_kind
from pmo_sim.errors import InputError
from pmo_sim.simulation import dump_scenario, load_scenario, simulate

BROKEN = """\
horizon_weeks: 52
warmup_weeks: 60
objectives:
  growth: 1
roles:
  developer: {headcount: 3, availability: 0}
  analyst: {headcount: 2, availability: 0.8, hiring: [{week: 10, change: -5}]}
project_types:
  feature:
    arrivals: {process: poisson}
    phases:
      - name: build
        demands:
          - {role: tester, effort: 3}
          - {role: developer, effort: -2}
          - {role: developer, people: 4, effort: {dist: weibull, shape: 2}}
          - {role: analyst, effort: {dist: triangular, min: 4, mode: 2, max: 9}}
    value:
      alignment: {growth: 0.5, profit: 0.4}
pipeline:
  - {id: X, type: epic, arrival: 0}
policy:
  priority: random
"""


def _problems(path) -> str:
    with pytest.raises(InputError) as info:
        load_scenario(path)
    return str(info.value)


def test_a_broken_scenario_lists_every_problem_with_path_and_line(tmp_path):
    path = tmp_path / "broken.yaml"
    path.write_text(BROKEN)
    message = _problems(path)
    expected = [
        ("roles.developer.availability (line 6)", "greater than 0"),
        ("roles.analyst (line 7)", "below 0 at week 10"),
        ("project_types.feature.arrivals (line 10)", "need rate_per_week"),
        ("demands[0].role (line 14)", "unknown role 'tester'; known roles: developer, analyst"),
        ("demands[1].effort (line 15)", "value must be >= 0"),
        ("demands[2].people (line 16)", "never has more than 3"),
        ("demands[2].effort (line 16)", "unknown distribution 'weibull'"),
        ("demands[3].effort (line 17)", "min <= mode <= max"),
        ("value.alignment (line 19)", "unknown objective 'profit'"),
        ("pipeline[0].type (line 21)", "unknown project type 'epic'"),
        ("policy.priority (line 23)", "'fifo'"),
    ]
    for where, reason in expected:
        line = next((ln for ln in message.splitlines() if where in ln), None)
        assert line is not None, f"{where} missing from:\n{message}"
        assert reason in line, line
    assert str(path) in message
    assert message.count("\n  - ") >= len(expected)


def test_cross_field_problem_at_the_top_is_reported(tmp_path):
    path = tmp_path / "warm.yaml"
    path.write_text(
        "horizon_weeks: 10\nwarmup_weeks: 10\nroles: {a: {headcount: 1, availability: 1}}\n"
        "project_types: {t: {phases: [{name: p, demands: [{role: a, effort: 1}]}]}}\n"
    )
    assert "warmup_weeks (10) must be less than horizon_weeks (10)" in _problems(path)


def test_cli_rejects_a_bad_scenario_with_exit_2_and_the_file_name(cli, tmp_path):
    path = tmp_path / "broken.yaml"
    path.write_text(BROKEN)
    for command in (["validate"], ["simulate"]):
        result = cli(*command, path)
        assert result.returncode == 2
        assert "broken.yaml" in result.stderr and "unknown role 'tester'" in result.stderr
        assert "Traceback" not in result.stderr + result.stdout


def test_every_bundled_scenario_loads_and_runs(root):
    # practices.yaml beside the scenarios maps maturity tiers to policies (the business case).
    paths = sorted(p for p in (root / "scenarios").rglob("*.yaml") if p.name != "practices.yaml")
    assert len(paths) >= 6
    for path in paths:
        assert detect_kind(path) == "scenario", path  # what `pmo-sim validate` relies on
        scenario = load_scenario(path, {"horizon_weeks": 60, "warmup_weeks": 0})
        result = simulate(scenario, 1, workers=1)
        assert result.metrics.arrivals.iloc[0] > 0, path


def test_baseline_is_a_mid_size_organisation(root):
    s = load_scenario(root / "scenarios" / "baseline.yaml")
    assert 6 <= len(s.roles) <= 8
    assert 100 <= sum(r.headcount for r in s.roles.values()) <= 140
    per_year = 52 * sum(t.arrivals.expected_per_week for t in s.project_types.values())
    assert 50 <= per_year <= 70 and 3 <= len(s.project_types) <= 4
    assert s.horizon_weeks == 156 and s.pipeline and s.objectives


def test_extends_merges_over_the_base_and_locates_errors_in_the_variant(tmp_path, root):
    variant = tmp_path / "variant.yaml"
    base = (root / "scenarios" / "baseline.yaml").resolve()
    variant.write_text(f"extends: {base}\nname: V\nroles:\n  developer:\n    headcount: 40\n")
    s = load_scenario(variant)
    assert s.name == "V" and s.roles["developer"].headcount == 40
    assert s.roles["developer"].availability == 0.8  # kept from the base
    variant.write_text(f"extends: {base}\nroles:\n  developer:\n    availability: 2\n")
    assert "roles.developer.availability (line 4)" in _problems(variant)


def test_resolved_scenario_round_trips(tmp_path, root):
    s = load_scenario(root / "scenarios" / "hire_developers.yaml", ["policy.wip_limit=12"])
    path = tmp_path / "resolved.yaml"
    path.write_text(dump_scenario(s))
    assert load_scenario(path) == s


PIPELINE_CSV = """\
id,type,arrival,due,effort_scale,benefit_per_week,alignment.growth,effort.build.developer
P1,feature,0,20,,500,0.5,
P2,feature,3,,2,,,8
"""


def _pipeline_scenario(tmp_path, csv_text, suffix=".csv"):
    table = tmp_path / f"pipeline{suffix}"
    if suffix == ".csv":
        table.write_text(csv_text)
    else:
        pd.read_csv(pd.io.common.StringIO(csv_text), dtype=str).to_excel(table, index=False)
    path = tmp_path / "s.yaml"
    path.write_text(
        textwrap.dedent(
            f"""\
            horizon_weeks: 30
            objectives: {{growth: 1}}
            roles: {{developer: {{headcount: 2, availability: 1}}}}
            project_types:
              feature:
                phases: [{{name: build, demands: [{{role: developer, effort: 4}}]}}]
            pipeline: {{file: {table.name}}}
            """
        )
    )
    return path


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_pipeline_from_a_table(tmp_path, suffix):
    s = load_scenario(_pipeline_scenario(tmp_path, PIPELINE_CSV, suffix))
    p1, p2 = s.pipeline
    assert (p1.id, p1.arrival, p1.due, p1.alignment) == ("P1", 0, 20, {"growth": 0.5})
    assert p1.benefit_per_week.mean == 500
    assert p2.effort_scale == 2 and p2.effort["build.developer"].mean == 8
    projects = simulate(s, 1, workers=1).projects
    finish = dict(zip(projects.project_id, projects.finish, strict=True))
    assert finish == {"P1": 4, "P2": 3 + 16}  # P2: 8 person-weeks x scale 2 = 16 weeks


def test_pipeline_table_problems_name_row_and_column(tmp_path):
    bad = "id,type,arrival,effort.build.tester\nP1,feature,soon,\nP2,epic,2,\nP3,feature,1,4\n"
    message = _problems(_pipeline_scenario(tmp_path, bad))
    assert "pipeline.csv row 2, column 'arrival'" in message
    assert "pipeline.csv row 3, column 'type'" in message and "unknown project type" in message
    assert "pipeline.csv row 4, column 'effort'" in message and "build.tester" in message
    bad_column = "id,type,arrival,colour\nP1,feature,0,red\n"
    assert "column 'colour'" in _problems(_pipeline_scenario(tmp_path, bad_column))
