"""The business case: the client's portfolio under today's practices and the target tier's.

Picture the PMO head asked "what does the PMO do for the business?". The
client's scenario (people, projects, objectives) is simulated twice on the
same random numbers, once with the practices the assessment says are in
place today and once with the target tier's; everything else is the same,
so each difference, with its 95% interval, is what the practices change.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import pandas as pd

from pmo_sim.business_case.client import ClientPosition
from pmo_sim.business_case.practices import (
    PRACTICES,
    PracticeChoice,
    Practices,
    resolve_practices,
)
from pmo_sim.business_case.prose import (
    HEADLINE_METRICS,
    case_assumptions,
    case_findings,
    describe_practice,
)
from pmo_sim.presentation import json_clean, verdict
from pmo_sim.seeds import DEFAULT_SEED
from pmo_sim.simulation import Scenario, apply_overrides, compare, simulate
from pmo_sim.simulation.plan import compile_plan
from pmo_sim.simulation.scenario import WEINBERG_SWITCHING_LOSS

if TYPE_CHECKING:
    from pmo_sim.business_case.sensitivity import Sensitivity
    from pmo_sim.executor import Executor
    from pmo_sim.simulation import SimulationResult

__all__ = ["ARMS", "HEADLINE_METRICS", "BusinessCase", "capacity_wip", "run_business_case"]

#: The two runs: today's practices, then the target tier's.
ARMS = ("today", "target")


def capacity_wip(scenario: Scenario, headroom: float) -> tuple[int | None, str]:
    """The WIP limit derived from capacity, and how it was worked out, in words.

    Little's law on planned figures: at today's mix of work, the people can
    finish projects at most ``1 / rho`` times as fast as they arrive, where
    ``rho`` is the busiest role's planned load; a project takes its planned
    duration without queues (per phase, its longest demand). The projects
    in progress at that pace, times ``headroom`` (actual durations exceed
    planned ones), is the limit. Pipeline projects count as one arrival each
    over the horizon.
    """
    plan = compile_plan(scenario)
    sources = [(t.arrivals.expected_per_week, t.phases) for t in plan.types]
    sources += [(1.0 / plan.horizon, p.phases) for p in plan.pipeline]
    load = [0.0] * len(plan.roles)
    in_progress = 0.0
    for rate, phases in sources:
        if rate <= 0:
            continue
        duration = 0.0
        for phase in phases:
            longest = 0.0
            for d in phase:
                role = plan.roles[d.role]
                load[d.role] += rate * d.planned
                longest = max(longest, d.planned / (d.people * role.availability))
            duration += longest
        in_progress += rate * duration
    capacity = [r.headcount_plan[0][1] * r.availability for r in plan.roles]
    shares = [(w / c if c > 0 else math.inf) for w, c in zip(load, capacity, strict=True)]
    busiest = max(range(len(shares)), key=shares.__getitem__)
    rho = shares[busiest]
    if rho <= 0 or in_progress <= 0 or not math.isfinite(rho):
        return None, "no recurring work to size a WIP limit from, so no limit"
    carried = headroom * in_progress / rho
    if not math.isfinite(carried):
        return None, "demands too large to size a WIP limit from (no finite number), so no limit"
    limit = max(1, math.ceil(carried))
    words = (
        f"{limit} projects: {headroom:g} x the {in_progress / rho:.1f} projects the people can "
        f"carry at the pace of the busiest role ({plan.roles[busiest].id}, planned load "
        f"{rho:.0%} of its capacity)"
    )
    return limit, words


def _policy_overrides(
    choices: dict[str, PracticeChoice], wip: int | None, name: str, scenario: Scenario
) -> dict[str, Any]:
    """The ``--set`` overrides that give ``scenario`` an arm's practices.

    The four original practices always replace the scenario's policy; the
    others (multitasking, estimates, selection, benefits) only when the tier
    gives them (None keeps the scenario's).
    """
    rebalancing = choices["rebalancing"].value
    limit = choices["wip_limit"].value
    out: dict[str, Any] = {
        "name": name,
        "policy.priority": choices["priority"].value,
        "policy.wip_limit": wip if limit == "capacity" else limit,
        "policy.capacity_check_weeks": choices["capacity_check_weeks"].value,
        "policy.rebalancing": None if rebalancing is None else rebalancing.model_dump(),
    }
    spreading = choices["multitasking"].value
    if spreading == "single":
        out["policy.multitasking"] = None
    elif spreading is not None:
        own = scenario.policy.multitasking
        curve = spreading.switching_loss
        if curve is None:
            curve = list(own.switching_loss if own is not None else WEINBERG_SWITCHING_LOSS)
        out["policy.multitasking"] = {
            "max_assignments": spreading.max_assignments,
            "switching_loss": curve,
        }
    estimates = choices["estimates"].value
    if estimates is not None:
        out["policy.estimates"] = estimates.model_dump()
    for practice in ("selection_share", "benefits_realised"):
        value = choices[practice].value
        if value is not None:
            out[f"policy.{practice}"] = value
    return out


@dataclass
class BusinessCase:
    """Today's practices against the target tier's, simulated on common random numbers."""

    position: ClientPosition
    target_tier: int
    practices: Practices
    #: Practice choices per arm (``today``, ``target``), keyed by practice.
    choices: dict[str, dict[str, PracticeChoice]]
    #: The scenario each arm ran (the client's, with the arm's policy).
    scenarios: dict[str, Scenario]
    #: Each arm's simulation result.
    results: dict[str, SimulationResult]
    #: :func:`pmo_sim.simulation.compare` of target against today.
    differences: pd.DataFrame
    #: Per arm, how a capacity-derived WIP limit was worked out (None when not used).
    wip_words: dict[str, str | None] = field(default_factory=dict)
    practices_source: str = ""
    #: The client's scenario name (each arm's scenario is renamed after its tier).
    scenario_name: str = ""
    #: What the answer hangs on, once :func:`~pmo_sim.business_case.run_sensitivity` ran.
    sensitivity: Sensitivity | None = None

    @property
    def seed(self) -> int:
        """The seed both arms ran on (common random numbers)."""
        return self.results["today"].seed

    @property
    def replications(self) -> int:
        """Monte Carlo replications per arm."""
        return self.results["today"].n

    @property
    def same_practices(self) -> bool:
        """True when both arms simulate the same policy (so every difference is 0)."""
        return self.scenarios["today"].policy == self.scenarios["target"].policy

    def practice_table(self) -> pd.DataFrame:
        """Per practice: today's and the target's tier, governing dimension and plain words."""
        rows = []
        names = self.position.dimension_names
        for practice in PRACTICES:
            row: dict[str, object] = {"practice": practice.replace("_", " ")}
            for arm in ARMS:
                choice = self.choices[arm][practice]
                row[f"{arm}_tier"] = choice.tier
                row[arm] = describe_practice(
                    choice, self.wip_words.get(arm), self.scenarios[arm].policy
                )
            dim = self.choices["today"][practice].dimension
            row["decided_by"] = names.get(dim, dim) if dim else "overall tier"
            rows.append(row)
        return pd.DataFrame(rows)

    def _rows(self, metrics: list[str], labels: dict[str, str]) -> pd.DataFrame:
        frame = self.differences.set_index("metric")
        rows = []
        for metric in metrics:
            if metric not in frame.index:
                continue
            r = frame.loc[metric]
            rows.append(
                {
                    "metric": metric,
                    "measure": labels.get(metric, metric),
                    "today": r["baseline_mean"],
                    "target": r["scenario_mean"],
                    "difference": r["difference"],
                    "low": r["low"],
                    "high": r["high"],
                    "unit": r["unit"],
                    "better": r["better"],
                    "verdict": verdict(r["low"], r["high"], r["better"]),
                }
            )
        return pd.DataFrame(rows)

    def headline(self) -> pd.DataFrame:
        """The headline measures: today, target, difference and its 95% interval, verdict.

        Columns: metric, measure, today, target, difference, low, high, unit,
        better, verdict.
        """
        return self._rows(list(HEADLINE_METRICS), HEADLINE_METRICS)

    def by_objective(self) -> pd.DataFrame:
        """Benefits realised per strategic objective (same columns as :meth:`headline`)."""
        objectives = list(self.scenarios["today"].objectives)
        labels = {f"benefit.{o}": o.replace("_", " ") for o in objectives}
        return self._rows(list(labels), labels)

    def utilisation(self) -> pd.DataFrame:
        """Utilisation per role (same columns as :meth:`headline`)."""
        roles = list(self.scenarios["today"].roles)
        labels = {f"utilisation.{r}": r.replace("_", " ") for r in roles}
        return self._rows(list(labels), labels)

    def switching(self) -> pd.DataFrame:
        """Share of each role's busy time lost to switching (empty without multitasking)."""
        roles = list(self.scenarios["today"].roles)
        labels = {f"switching_loss.{r}": r.replace("_", " ") for r in roles}
        return self._rows(list(labels), labels)

    def stopped(self) -> dict[str, float | None]:
        """Mean projects stopped by rebalancing per arm (None where it is off)."""
        out: dict[str, float | None] = {}
        for arm in ARMS:
            metrics = self.results[arm].metrics
            out[arm] = float(metrics["stopped"].mean()) if "stopped" in metrics else None
        return out

    def assumptions(self) -> list[str]:
        """What the comparison assumes, in plain words, for the report."""
        return case_assumptions(self)

    def findings(self) -> list[str]:
        """What the numbers say, in plain words, including where there is no gain."""
        return case_findings(self)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready data (NaN as null)."""

        def rows(frame: pd.DataFrame) -> list[dict[str, Any]]:
            return json_clean(frame.to_dict(orient="records"))

        p = self.position
        return {
            "client": p.client,
            "assessed_on": p.assessed_on,
            "assessment": p.source,
            "tier": p.tier,
            "tier_name": p.tier_name,
            "target_tier": self.target_tier,
            "scenario": self.scenario_name,
            "replications": self.replications,
            "seed": self.seed,
            "practices_file": self.practices_source,
            "same_practices": self.same_practices,
            "practices": {
                arm: {
                    name: {
                        "tier": c.tier,
                        "dimension": c.dimension,
                        "value": _practice_value(c, self.scenarios[arm]),
                        "description": describe_practice(
                            c, self.wip_words.get(arm), self.scenarios[arm].policy
                        ),
                    }
                    for name, c in self.choices[arm].items()
                }
                for arm in ARMS
            },
            "headline": rows(self.headline()),
            "by_objective": rows(self.by_objective()),
            "utilisation": rows(self.utilisation()),
            "switching_loss": rows(self.switching()),
            "stopped": json_clean(self.stopped()),
            "assumptions": self.assumptions(),
            "findings": self.findings(),
            "summaries": {arm: self.results[arm].summary_dict() for arm in ARMS},
            **({"sensitivity": self.sensitivity.to_dict()} if self.sensitivity else {}),
        }


def _practice_value(choice: PracticeChoice, scenario: Scenario) -> Any:
    if choice.practice in ("wip_limit", "multitasking", "estimates"):
        value = getattr(scenario.policy, choice.practice)
        return value.model_dump() if hasattr(value, "model_dump") else value
    if choice.practice in ("selection_share", "benefits_realised"):
        return getattr(scenario.policy, choice.practice)
    value = choice.value
    return value.model_dump() if hasattr(value, "model_dump") else value


def run_business_case(
    position: ClientPosition,
    scenario: Scenario,
    practices: Practices,
    *,
    target_tier: int | None = None,
    replications: int = 30,
    seed: int = DEFAULT_SEED,
    executor: Executor | None = None,
    practices_source: str = "",
) -> BusinessCase:
    """Simulate ``scenario`` under today's practices and the target tier's.

    ``target_tier`` defaults to the next tier above the assessed one (4 stays 4).
    """
    from pmo_sim.executor import LocalExecutor

    target = min(position.tier + 1, 4) if target_tier is None else int(target_tier)
    if not 0 <= target <= 4:
        raise ValueError("target_tier must be 0-4")
    choices = {
        "today": resolve_practices(practices, position.tier, position.dimension_tiers),
        "target": resolve_practices(
            practices, position.tier, position.dimension_tiers, floor=target
        ),
    }
    scenarios: dict[str, Scenario] = {}
    wip_words: dict[str, str | None] = {}
    for arm in ARMS:
        wip_choice = choices[arm]["wip_limit"]
        wip, words = (None, None)
        if wip_choice.value == "capacity":
            wip, words = capacity_wip(scenario, wip_choice.source.wip_headroom)
        wip_words[arm] = words
        tier = position.tier if arm == "today" else target
        label = f"{'Today' if arm == 'today' else 'Target'}: tier {tier} practices"
        scenarios[arm] = apply_overrides(
            scenario, _policy_overrides(choices[arm], wip, label, scenario)
        )
    own = executor is None
    executor = executor or LocalExecutor()
    try:
        results = {
            arm: simulate(scenarios[arm], replications, seed, executor=executor) for arm in ARMS
        }
    finally:
        if own:
            executor.close()
    return BusinessCase(
        position=position,
        target_tier=target,
        practices=practices,
        choices=choices,
        scenarios=scenarios,
        results=results,
        differences=compare(results, baseline="today"),
        wip_words=wip_words,
        practices_source=practices_source,
        scenario_name=scenario.name,
    )
