"""Small hand-built scenarios for the simulation tests."""

from __future__ import annotations

from typing import Any

from pmo_sim.simulation import Scenario, parse_scenario
from pmo_sim.simulation.model import PortfolioModel
from pmo_sim.simulation.plan import compile_plan
from pmo_sim.simulation.streams import replication_seed


def one_person_scenario(
    projects: list[dict[str, Any]],
    priority: str = "fifo",
    headcount: int = 1,
    horizon: float = 1000,
    **policy: Any,
) -> Scenario:
    """One role ``person`` (availability 1, cost 100/week) and pipeline ``projects``.

    Each project dict has ``id``, ``effort`` (person-weeks), optional ``people``,
    ``arrival`` (default 0), ``cod``, ``due``, ``benefit``, ``score`` (alignment).
    """
    types = {}
    pipeline = []
    for p in projects:
        people = p.get("people", 1)
        type_id = f"need{people}"
        types[type_id] = {
            "phases": [
                {"name": "work", "demands": [{"role": "person", "people": people, "effort": 1}]}
            ]
        }
        item = {
            "id": p["id"],
            "type": type_id,
            "arrival": p.get("arrival", 0),
            "effort": {"work.person": p["effort"]},
            "cost_of_delay_per_week": p.get("cod", 0),
            "benefit_per_week": p.get("benefit", 0),
            "alignment": {"goal": p.get("score", 0)},
        }
        if "due" in p:
            item["due"] = p["due"]
        pipeline.append(item)
    return parse_scenario(
        {
            "horizon_weeks": horizon,
            "objectives": {"goal": 1},
            "roles": {
                "person": {"headcount": headcount, "availability": 1, "weekly_cost": 100},
            },
            "project_types": types,
            "pipeline": pipeline,
            "policy": {"priority": priority, **policy},
        }
    )


def run_model(scenario: Scenario, seed: int = 1, replication: int = 0) -> PortfolioModel:
    """One replication's model, run, for inspecting its logs."""
    return PortfolioModel(compile_plan(scenario), replication_seed(seed, replication)).run()


def by_id(frame, column: str) -> dict[str, float]:
    return dict(zip(frame.project_id, frame[column], strict=True))
