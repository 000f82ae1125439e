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
from pmo_sim.simulation import Scenario, apply_overrides, compare, simulate
from pmo_sim.simulation.plan import compile_plan

if TYPE_CHECKING:
    from pmo_sim.executor import Executor
    from pmo_sim.simulation import SimulationResult

__all__ = ["ARMS", "HEADLINE_METRICS", "BusinessCase", "capacity_wip", "run_business_case"]

#: The two runs: today's practices, then the target tier's.
ARMS = ("today", "target")

#: The measures the business case reports, with their labels, in order.
HEADLINE_METRICS: dict[str, str] = {
    "benefit_total": "benefits realised over the horizon",
    "delay_cost": "cost of delay accrued",
    "lead_time_mean": "mean lead time of delivered projects (weeks)",
    "lead_time_p85": "85th-percentile lead time (weeks)",
    "on_time_share": "share of projects with a deadline delivered on time",
    "throughput_per_year": "projects delivered per year",
    "wip_mean": "projects in progress (mean)",
    "backlog_mean": "projects waiting for approval (mean)",
    "spend": "labour spend on project work",
}

_PRIORITY_WORDS = {
    "fifo": "projects are approved and staffed first come, first served",
    "strategic_score": (
        "projects are ranked by strategic score (objective weight x alignment) and the "
        "highest-ranked get people first"
    ),
    "wsjf": (
        "projects are ranked by cost of delay per week of remaining planned effort "
        "(weighted shortest job first) and the highest-ranked get people first"
    ),
    "value_per_effort": (
        "projects are ranked by planned benefit per week of remaining planned effort and "
        "the highest-ranked get people first"
    ),
    "earliest_due": "projects with the earliest deadline get people first",
}


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
    limit = max(1, math.ceil(headroom * in_progress / rho))
    words = (
        f"{limit} projects: {headroom:g} x the {in_progress / rho:.1f} projects the people can "
        f"carry at the pace of the busiest role ({plan.roles[busiest].id}, planned load "
        f"{rho:.0%} of its capacity)"
    )
    return limit, words


def _describe(choice: PracticeChoice, wip_words: str | None) -> str:
    value = choice.value
    if choice.practice == "priority":
        return _PRIORITY_WORDS[value].capitalize() + "."
    if choice.practice == "wip_limit":
        if value is None:
            return "No limit on the number of projects in progress."
        if value == "capacity":
            return f"Work in progress is capped at {wip_words}."
        return f"At most {value} projects are in progress at once."
    if choice.practice == "capacity_check_weeks":
        if value is None:
            return "Projects are approved without checking who will do the work."
        return (
            "A project is approved only when every role it needs has at most "
            f"{value:g} weeks of its capacity already committed to approved work; the rest "
            "wait for approval in priority order."
        )
    if value is None:
        return "Projects are not reviewed once started: every approved project runs to the end."
    verb = (
        "stopped (never delivered; the effort spent is sunk)"
        if value.action == "stop"
        else ("deferred (sent back to wait for approval)")
    )
    return (
        f"At the end of each phase, a project more than {value.overrun:.0%} over its planned "
        "effort is re-forecast and, if a better-ranked project is waiting for approval, "
        f"{verb}."
    )


def _policy_overrides(
    choices: dict[str, PracticeChoice], wip: int | None, name: str
) -> dict[str, Any]:
    rebalancing = choices["rebalancing"].value
    limit = choices["wip_limit"].value
    return {
        "name": name,
        "policy.priority": choices["priority"].value,
        "policy.wip_limit": wip if limit == "capacity" else limit,
        "policy.capacity_check_weeks": choices["capacity_check_weeks"].value,
        "policy.rebalancing": None if rebalancing is None else rebalancing.model_dump(),
    }


def _verdict(low: float, high: float, better: str) -> str:
    if not (math.isfinite(low) and math.isfinite(high)) or low <= 0 <= high:
        return "no clear difference"
    up = low > 0
    if better == "higher":
        return "better" if up else "worse"
    if better == "lower":
        return "worse" if up else "better"
    return "higher" if up else "lower"


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

    @property
    def seed(self) -> int:
        return self.results["today"].seed

    @property
    def replications(self) -> int:
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
            row = {"practice": practice.replace("_", " ")}
            for arm in ARMS:
                choice = self.choices[arm][practice]
                row[f"{arm}_tier"] = choice.tier
                row[arm] = _describe(choice, self.wip_words.get(arm))
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
                    "verdict": _verdict(r["low"], r["high"], r["better"]),
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

    def stopped(self) -> dict[str, float | None]:
        """Mean projects stopped by rebalancing per arm (None where it is off)."""
        out: dict[str, float | None] = {}
        for arm in ARMS:
            metrics = self.results[arm].metrics
            out[arm] = float(metrics["stopped"].mean()) if "stopped" in metrics else None
        return out

    def assumptions(self) -> list[str]:
        """What the comparison assumes, in plain words, for the report."""
        s = self.scenarios["today"]
        out = [
            f"Both runs use the client's scenario '{self.scenario_name}' "
            f"({s.horizon_weeks:g} weeks, {sum(r.headcount for r in s.roles.values())} people): "
            "the same people, projects, efforts and benefits. Only the portfolio practices "
            "differ, so the business case is about how work is chosen and let in, not about "
            "hiring.",
            f"{self.replications} replications on common random numbers (seed {self.seed}): "
            "replication i of each run sees the same arrivals, efforts and benefits, and each "
            "interval is the 95% interval of the paired difference.",
            "The PMO decides on planned figures (the mean effort and benefit of each project); "
            "actual efforts and benefits vary around them.",
            "A project's benefits start when it is delivered and run to the end of the horizon; "
            "a project stopped by rebalancing delivers nothing and the effort spent on it is "
            "sunk. Cost of delay (for a deadline project, fines and risk) accrues until delivery.",
            "Lead time is counted over delivered projects only, from arrival (idea) to delivery, "
            "so it includes the wait for approval.",
            "The model has no cost of multitasking: people work on one demand at a time whatever "
            "the number of projects in progress. Limiting work in progress or checking capacity "
            "at intake therefore makes nobody faster here; any gain from fewer context switches "
            "is left out, which makes the case conservative.",
            "Only portfolio practices are simulated (priority, work in progress, capacity check, "
            "rebalancing). Methodology, risk management, reporting and coaching differ between "
            "tiers too but are not in the model.",
            f"Each practice follows the tier of the assessment dimension that governs it "
            f"(practices file: {self.practices_source or 'bundled'}); at the target, every "
            f"dimension is taken to be at least at tier {self.target_tier}.",
        ]
        if s.policy.budget_per_quarter is not None:
            out.append(
                f"The scenario's budget cap ({s.policy.budget_per_quarter:,.0f} per quarter) "
                "applies in both runs."
            )
        return out

    def findings(self) -> list[str]:
        """What the numbers say, in plain words, including where there is no gain."""
        out = []
        if self.same_practices:
            out.append(
                "Today's practices and the target tier's are the same in the simulation, so "
                "the business case shows no difference by construction: what the target tier "
                "adds is outside what the model simulates."
            )
            return out
        head = self.headline().set_index("metric")
        benefit = head.loc["benefit_total"] if "benefit_total" in head.index else None
        if benefit is not None:
            if benefit["verdict"] == "better":
                out.append(
                    f"Benefits realised rise by {benefit['difference']:,.0f} "
                    f"(95% interval {benefit['low']:,.0f} to {benefit['high']:,.0f})."
                )
            elif benefit["verdict"] == "worse":
                out.append(
                    f"Benefits realised fall by {-benefit['difference']:,.0f} "
                    f"(95% interval {-benefit['high']:,.0f} to {-benefit['low']:,.0f}): the "
                    "target practices put other goals (deadlines, cost of delay) ahead of benefits."
                )
            else:
                out.append(
                    "The simulation shows no clear change in benefits realised (the interval of "
                    f"the difference, {benefit['low']:,.0f} to {benefit['high']:,.0f}, includes "
                    "0). Where people have slack, the order of work changes little."
                )
        worse = [
            HEADLINE_METRICS[m]
            for m, r in head.iterrows()
            if r["verdict"] == "worse" and m != "benefit_total"
        ]
        if worse:
            out.append("Trade-off: worse under the target practices: " + "; ".join(worse) + ".")
        stopped = self.stopped().get("target")
        if stopped:
            out.append(f"Rebalancing stops {stopped:.1f} projects per run on average.")
        return out

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready data (NaN as null)."""

        def rows(frame: pd.DataFrame) -> list[dict[str, Any]]:
            return [
                {k: _json(v) for k, v in rec.items()} for rec in frame.to_dict(orient="records")
            ]

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
                        "description": _describe(c, self.wip_words.get(arm)),
                    }
                    for name, c in self.choices[arm].items()
                }
                for arm in ARMS
            },
            "headline": rows(self.headline()),
            "by_objective": rows(self.by_objective()),
            "utilisation": rows(self.utilisation()),
            "stopped": {k: _json(v) for k, v in self.stopped().items()},
            "assumptions": self.assumptions(),
            "findings": self.findings(),
            "summaries": {arm: self.results[arm].summary_dict() for arm in ARMS},
        }


def _practice_value(choice: PracticeChoice, scenario: Scenario) -> Any:
    if choice.practice == "wip_limit":
        return scenario.policy.wip_limit
    value = choice.value
    return value.model_dump() if hasattr(value, "model_dump") else value


def _json(value: Any) -> Any:
    if isinstance(value, float):
        return None if not math.isfinite(value) else round(value, 6)
    return value


def run_business_case(
    position: ClientPosition,
    scenario: Scenario,
    practices: Practices,
    *,
    target_tier: int | None = None,
    replications: int = 30,
    seed: int = 1,
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
        scenarios[arm] = apply_overrides(scenario, _policy_overrides(choices[arm], wip, label))
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
