"""pmo-sim business-case and the business case report notebook."""

from __future__ import annotations

import json

import pytest
import yaml

from tests.test_business_case import team_scenario


@pytest.fixture
def inputs(tmp_path):
    scenario = tmp_path / "team.yaml"
    scenario.write_text(yaml.safe_dump(team_scenario(4)), encoding="utf-8")
    assessment = tmp_path / "assessment.json"
    assessment.write_text(
        json.dumps(
            {
                "client": "Team <Ltd>",
                "tier": 1,
                "tier_name": "Supportive",
                "dimensions": [
                    {"id": "prioritisation", "name": "Prioritisation", "score": 1.5, "tier": 1},
                    {"id": "capacity", "name": "Capacity", "score": 1.2, "tier": 1},
                ],
            }
        ),
        encoding="utf-8",
    )
    return scenario, assessment


def test_json_output_is_reproducible_and_written_to_out(cli, inputs, tmp_path):
    scenario, assessment = inputs
    args = ["business-case", "--assessment", assessment, "--scenario", scenario]
    args += ["--target-tier", "3", "-n", "5", "--seed", "3", "-w", "1", "--format", "json"]
    first = cli(*args, "--out", tmp_path / "out")
    assert first.returncode == 0, first.stderr
    second = cli(*args)
    assert first.stdout == second.stdout  # same seed, same bytes
    data = json.loads(first.stdout)
    assert (data["client"], data["tier"], data["target_tier"]) == ("Team <Ltd>", 1, 3)
    assert data["practices"]["target"]["priority"]["value"] == "strategic_score"
    metrics = {row["metric"] for row in data["headline"]}
    assert {"benefit_total", "lead_time_mean", "on_time_share", "delay_cost"} <= metrics
    assert {row["metric"] for row in data["by_objective"]} == {
        "benefit.growth",
        "benefit.housekeeping",
    }
    assert data["utilisation"][0]["metric"] == "utilisation.team"
    assert data["assumptions"] and data["findings"]
    written = tmp_path / "out" / "business_case.json"
    assert written.read_text(encoding="utf-8") == first.stdout
    assert (tmp_path / "out" / "business_case.csv").exists()


def test_table_from_a_responses_file(cli, root, inputs):
    scenario, _ = inputs
    responses = root / "questionnaires/examples/harbourline_long.csv"
    done = cli("business-case", "--assessment", responses, "--scenario", scenario, "-n", "3")
    assert done.returncode == 0, done.stderr
    assert "tier 1 (Supportive) today, target tier 2" in done.stdout
    assert "no difference by construction" in done.stdout


def test_bad_inputs_exit_2_naming_every_file(cli, inputs, tmp_path):
    scenario, _ = inputs
    assessment = tmp_path / "bad.json"
    assessment.write_text(json.dumps({"tier": 7, "dimensions": [{"tier": 1}]}), encoding="utf-8")
    practices = tmp_path / "practices.yaml"
    practices.write_text("tiers:\n  0: {priority: loudest}\n", encoding="utf-8")
    args = ["business-case", "--scenario", scenario, "--out", tmp_path / "out"]
    done = cli(*args, "--assessment", assessment, "--practices", practices)
    assert done.returncode == 2
    assert str(assessment) in done.stderr and str(practices) in done.stderr
    assert "tier: must be a whole number 0-4 (got 7)" in done.stderr
    assert "dimensions[0]: needs an 'id'" in done.stderr
    assert "tiers.0.priority (line 2)" in done.stderr
    assert not (tmp_path / "out").exists()
    missing = cli(*args, "--assessment", tmp_path / "nope.json")
    assert missing.returncode == 2
    assert "file not found" in missing.stderr


def test_report_notebook_runs(inputs):
    from pmo_sim.reporting.runner import execute_report

    scenario, assessment = inputs
    params = {
        "client": "Team <Ltd>",
        "seed": 5,
        "assessment": str(assessment),
        "scenario": str(scenario),
        "target_tier": 4,
        "practices": None,
        "replications": 4,
    }
    run = execute_report("business_case.ipynb", params, "Team: business case")
    assert run.ok, run.error
    assert "Team &lt;Ltd&gt;" in run.html and "Team <Ltd>" not in run.html
    assert "Assumptions" in run.html and "<img" in run.html
    assert "What the answer hangs on" in run.html and "benefit difference as run" in run.html
    data = json.loads(run.files["business_case.json"])
    assert data["target_tier"] == 4 and data["replications"] == 4
