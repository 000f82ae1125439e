"""Overrides by dotted path with ids as keys, validated like the file."""

from __future__ import annotations

import pytest

from pmo_sim.errors import InputError
from pmo_sim.simulation import apply_overrides, load_scenario
from pmo_sim.simulation.overrides import parse_override


@pytest.fixture
def baseline(root):
    return root / "scenarios" / "baseline.yaml"


def test_values_are_read_as_yaml():
    assert parse_override("roles.developer.headcount=12") == ("roles.developer.headcount", 12)
    assert parse_override("policy.wip_limit=none") == ("policy.wip_limit", "none")
    assert parse_override("a.b={dist: fixed, value: 3}") == ("a.b", {"dist": "fixed", "value": 3})
    with pytest.raises(ValueError, match="PATH=VALUE"):
        parse_override("roles.developer.headcount")


def test_overrides_reach_roles_types_phases_demands_and_pipeline(baseline):
    s = load_scenario(
        baseline,
        [
            "roles.developer.headcount=30",
            "policy.wip_limit=8",
            "policy.priority=wsjf",
            "project_types.digital_product.arrivals.rate_per_week=0.7",
            "project_types.digital_product.phases.build.demands.developer.people=3",
            "project_types.regulatory.phases.0.demands.0.effort={dist: fixed, value: 5}",
            "pipeline.DORA.due=30",
        ],
    )
    assert s.roles["developer"].headcount == 30
    assert (s.policy.wip_limit, s.policy.priority) == (8, "wsjf")
    digital = s.project_types["digital_product"]
    assert digital.arrivals.rate_per_week == 0.7
    assert digital.phases[1].demands[0].people == 3
    assert s.project_types["regulatory"].phases[0].demands[0].effort.mean == 5
    assert next(p for p in s.pipeline if p.id == "DORA").due == 30


def test_none_lifts_a_limit_and_a_mapping_works_from_the_api(baseline):
    s = load_scenario(baseline, {"policy.wip_limit": 5})
    assert apply_overrides(s, ["policy.wip_limit=none"]).policy.wip_limit is None
    assert apply_overrides(s, {"roles.tester.headcount": 20}).roles["tester"].headcount == 20


def test_bad_overrides_are_all_reported_with_what_was_wrong(baseline):
    with pytest.raises(InputError) as info:
        load_scenario(
            baseline,
            [
                "roles.develper.headcount=3",
                "roles.developer.availability=0",
                "policy.priority=random",
                "pipeline.NOPE.arrival=1",
                "nonsense",
            ],
        )
    message = str(info.value)
    assert "--set roles.develper.headcount: no 'develper' here; known: business_analyst" in message
    assert "roles.developer.availability (from --set): Input should be greater than 0" in message
    assert "policy.priority (from --set)" in message
    assert "--set pipeline.NOPE.arrival: no 'NOPE' here; known: ERP-UPGRADE" in message
    assert "--set nonsense: expected PATH=VALUE" in message
    assert "baseline.yaml" in message


def test_cli_set_is_validated_like_the_file(cli, baseline):
    result = cli("simulate", baseline, "--set", "roles.developer.headcount=-1")
    assert result.returncode == 2
    assert "roles.developer.headcount (from --set)" in result.stderr
    assert "Traceback" not in result.stderr
