"""The business case in words: each practice in a sentence, the assumptions, the findings.

The simulation (:mod:`.case`) gives numbers; this module says what they
mean for a PMO head reading the report: what each arm's practices do
("At most 6 projects are in progress at once."), what the comparison
takes for granted, and what changed, including where nothing did.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from pmo_sim.simulation.metrics import describe_metric
from pmo_sim.simulation.priorities import priority_rule

if TYPE_CHECKING:
    from pmo_sim.business_case.case import BusinessCase
    from pmo_sim.business_case.practices import PracticeChoice
    from pmo_sim.simulation.scenario import Policy

__all__ = ["HEADLINE_METRICS", "case_assumptions", "case_findings", "describe_practice"]

#: The measures the business case reports, in order, with their labels from the metric catalogue.
HEADLINE_METRICS: dict[str, str] = {
    name: describe_metric(name).label
    for name in (
        "benefit_total",
        "delay_cost",
        "lead_time_mean",
        "lead_time_p85",
        "on_time_share",
        "throughput_per_year",
        "wip_mean",
        "backlog_mean",
        "spend",
    )
}


def _describe_policy_field(practice: str, policy: Policy) -> str:
    """The four practices of issue 12, from the policy the arm actually ran."""
    if practice == "multitasking":
        mt = policy.multitasking
        if mt is None:
            return "People work on one demand at a time; new work waits for someone to be free."
        cap = "no limit" if mt.max_assignments is None else f"up to {mt.max_assignments}"
        curve = ", ".join(f"{x:.0%}" for x in mt.switching_loss[1:4])
        return (
            f"Work is started at once and spread over people ({cap} demands each, the "
            f"least-loaded first); time lost to switching with 2, 3, 4 demands: {curve}."
        )
    if practice == "estimates":
        e = policy.estimates
        if e.bias == 1 and e.spread == 0:
            return "Plans use the mean effort of each kind of work (no bias, no noise)."
        bias = (
            f"actual effort is {e.bias - 1:.0%} above plan on average"
            if e.bias >= 1
            else f"actual effort is {1 - e.bias:.0%} below plan on average"
        )
        noise = f", each estimate off by about {e.spread:.0%} more" if e.spread > 0 else ""
        return f"Plans are optimistic: {bias}{noise}. Decisions use the plans."
    if practice == "selection_share":
        share = policy.selection_share
        if share <= 0:
            return "Every proposal is approved in the end; none is screened out for low value."
        return (
            f"The {share:.0%} of proposals with the lowest value for money (benefit x "
            "strategic alignment per planned person-week) are not approved; proposals "
            "with a deadline always are."
        )
    share = policy.benefits_realised
    if share >= 1:
        return "Every delivered project realises its planned benefit."
    return f"Delivered projects realise {share:.0%} of their planned benefit."


def describe_practice(
    choice: PracticeChoice, wip_words: str | None, policy: Policy | None = None
) -> str:
    """One practice of one arm in a sentence ("At most 6 projects are in progress at once.").

    ``wip_words`` says how a capacity-derived WIP limit was worked out; ``policy``
    is the arm's policy (multitasking, estimates, selection and benefits are
    described from it, since a tier may keep the scenario's).
    """
    if choice.practice in ("multitasking", "estimates", "selection_share", "benefits_realised"):
        if policy is None:
            raise ValueError(f"describing {choice.practice} needs the arm's policy")
        return _describe_policy_field(choice.practice, policy)
    value = choice.value
    if choice.practice == "priority":
        words = priority_rule(value).description
        return words[:1].upper() + words[1:] + "."
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


def case_assumptions(case: BusinessCase) -> list[str]:
    """What the comparison assumes, in plain words, for the report."""
    s = case.scenarios["today"]
    out = [
        f"Both runs use the client's scenario '{case.scenario_name}' "
        f"({s.horizon_weeks:g} weeks, {sum(r.headcount for r in s.roles.values())} people): "
        "the same people, projects, efforts and benefits. Only the portfolio practices "
        "differ, so the business case is about how work is chosen and let in, not about "
        "hiring.",
        f"{case.replications} replications on common random numbers (seed {case.seed}): "
        "replication i of each run sees the same arrivals, efforts and benefits, and each "
        "interval is the 95% interval of the paired difference.",
        "The PMO decides on planned figures (the mean effort and benefit of each project); "
        "actual efforts and benefits vary around them.",
        "A project's benefits start when it is delivered and run to the end of the horizon; "
        "a project stopped by rebalancing delivers nothing and the effort spent on it is "
        "sunk. Cost of delay (for a deadline project, fines and risk) accrues until delivery.",
        "Lead time is counted over delivered projects only, from arrival (idea) to delivery, "
        "so it includes the wait for approval.",
        _multitasking_words(case),
        "Simulated practices: priority, work in progress, capacity check, rebalancing, how "
        "people are spread over work, how optimistic plans are, how many poor proposals are "
        "screened out, and how much of a delivered project's planned benefit is realised. "
        "Methodology, risk management, reporting and coaching differ between tiers too but "
        "are not in the model.",
        f"Each practice follows the tier of the assessment dimension that governs it "
        f"(practices file: {case.practices_source or 'bundled'}); at the target, every "
        f"dimension is taken to be at least at tier {case.target_tier}.",
    ]
    for practice, source in case.practices.sources.items():
        out.append(f"Source ({practice.replace('_', ' ')}): {source}")
    if s.policy.budget_per_quarter is not None:
        out.append(
            f"The scenario's budget cap ({s.policy.budget_per_quarter:,.0f} per quarter) "
            "applies in both runs."
        )
    return out


def _multitasking_words(case: BusinessCase) -> str:
    spread = [a for a in ("today", "target") if case.scenarios[a].policy.multitasking]
    if not spread:
        return (
            "The model has no cost of multitasking here: people work on one demand at a time "
            "whatever the number of projects in progress. Limiting work in progress or "
            "checking capacity at intake therefore makes nobody faster; any gain from fewer "
            "context switches is left out, which makes the case conservative."
        )
    return (
        "People are spread over work as their organisation staffs it: a demand that finds "
        "nobody free is given people already on other work, the least-loaded first, and a "
        "person on several demands splits their time between them and loses part of it to "
        "switching. Limiting work in progress therefore makes people faster, by keeping them "
        "on fewer things at once. The scenario's efforts are taken as focused work; if they "
        "were measured under today's multitasking, they already include some switching and "
        "the case is overstated."
    )


def case_findings(case: BusinessCase) -> list[str]:
    """What the numbers say, in plain words, including where there is no gain."""
    out = []
    if case.same_practices:
        out.append(
            "Today's practices and the target tier's are the same in the simulation, so "
            "the business case shows no difference by construction: what the target tier "
            "adds is outside what the model simulates."
        )
        return out
    head = case.headline().set_index("metric")
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
        HEADLINE_METRICS.get(m, m)
        for m, r in head.iterrows()
        if r["verdict"] == "worse" and m != "benefit_total"
    ]
    if worse:
        out.append("Trade-off: worse under the target practices: " + "; ".join(worse) + ".")
    switching = case.switching()
    if not switching.empty:
        worst = switching.loc[switching["today"].idxmax()]
        out.append(
            f"People spread over several demands lose time to switching: the {worst['measure']}s "
            f"most, {worst['today']:.0%} of their busy time today and {worst['target']:.0%} "
            "under the target practices."
        )
    stopped = case.stopped().get("target")
    if stopped:
        out.append(f"Rebalancing stops {stopped:.1f} projects per run on average.")
    return out
