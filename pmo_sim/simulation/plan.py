"""A validated scenario compiled into what the model needs: indices, tuples, means.

The pydantic scenario is the consultant's view (ids, nested mappings); the
plan is the model's (role indices, per-demand durations factors, planned
figures, objective shares), built once per chunk of replications so that
no replication repeats the work.
"""

from __future__ import annotations

from dataclasses import dataclass

from pmo_sim.simulation.distributions import Distribution
from pmo_sim.simulation.scenario import Arrivals, Scenario

__all__ = ["DemandPlan", "PipelinePlan", "Plan", "RolePlan", "TypePlan", "compile_plan"]

QUARTER_WEEKS = 13.0
"""Budget caps apply per quarter of 13 weeks, counted from week 0."""


@dataclass(frozen=True)
class RolePlan:
    id: str
    availability: float
    weekly_cost: float
    #: ``(week, headcount)`` steps, the first at week 0.
    headcount_plan: tuple[tuple[float, int], ...]


@dataclass(frozen=True)
class DemandPlan:
    #: ``phase.role``, the key pipeline projects use to override the effort.
    key: str
    role: int
    people: int
    effort: Distribution
    #: Multiplies the sampled effort (a pipeline project's ``effort_scale``).
    scale: float
    #: Planned effort in person-weeks: the distribution's mean x scale.
    planned: float


@dataclass(frozen=True)
class _Value:
    benefit: Distribution
    planned_benefit: float
    cost_of_delay: float
    #: Share of the benefit credited to each objective (sums to 1, or all 0).
    shares: tuple[float, ...]
    strategic_score: float


@dataclass(frozen=True)
class TypePlan:
    id: str
    arrivals: Arrivals
    phases: tuple[tuple[DemandPlan, ...], ...]
    value: _Value
    due_within: float | None


@dataclass(frozen=True)
class PipelinePlan:
    id: str
    type: int
    arrival: float
    due: float | None
    phases: tuple[tuple[DemandPlan, ...], ...]
    value: _Value


@dataclass(frozen=True)
class Plan:
    horizon: float
    warmup: float
    objectives: tuple[str, ...]
    roles: tuple[RolePlan, ...]
    types: tuple[TypePlan, ...]
    pipeline: tuple[PipelinePlan, ...]
    priority: str
    wip_limit: int | None
    budget_per_quarter: float | None
    #: Weeks of planned work per role that intake may commit (None: no capacity check).
    capacity_check_weeks: float | None = None
    #: ``(action, overrun)`` of the stage-gate review, or None.
    rebalancing: tuple[str, float] | None = None

    @property
    def expected_projects(self) -> float:
        """Projects one replication is expected to create (for sizing chunks)."""
        total = float(len(self.pipeline))
        for t in self.types:
            end = min(t.arrivals.end_week or self.horizon, self.horizon)
            total += t.arrivals.expected_per_week * max(0.0, end - t.arrivals.start_week)
        return total

    def planned_cost(self, phases: tuple[tuple[DemandPlan, ...], ...]) -> float:
        return sum(d.planned * self.roles[d.role].weekly_cost for ph in phases for d in ph)


def _value(scenario: Scenario, benefit, cod: float, alignment: dict[str, float]) -> _Value:
    objectives = list(scenario.objectives)
    total = sum(alignment.values())
    shares = tuple((alignment.get(o, 0.0) / total) if total > 0 else 0.0 for o in objectives)
    return _Value(
        benefit=benefit,
        planned_benefit=benefit.mean,
        cost_of_delay=cod,
        shares=shares,
        strategic_score=scenario.strategic_score(alignment),
    )


def compile_plan(scenario: Scenario) -> Plan:
    """The model's view of a validated scenario."""
    role_index = {r: i for i, r in enumerate(scenario.roles)}
    roles = tuple(
        RolePlan(r, role.availability, role.weekly_cost, tuple(role.headcount_plan()))
        for r, role in scenario.roles.items()
    )
    type_index = {t: i for i, t in enumerate(scenario.project_types)}

    def phases_of(ptype, overrides=None, scale=1.0):
        out = []
        for phase in ptype.phases:
            demands = []
            for d in phase.demands:
                key = f"{phase.name}.{d.role}"
                dist = (overrides or {}).get(key, d.effort)
                demands.append(
                    DemandPlan(key, role_index[d.role], d.people, dist, scale, dist.mean * scale)
                )
            out.append(tuple(demands))
        return tuple(out)

    types = tuple(
        TypePlan(
            id=t,
            arrivals=ptype.arrivals,
            phases=phases_of(ptype),
            value=_value(
                scenario,
                ptype.value.benefit_per_week,
                ptype.value.cost_of_delay_per_week,
                ptype.value.alignment,
            ),
            due_within=ptype.value.due_within_weeks,
        )
        for t, ptype in scenario.project_types.items()
    )
    pipeline = []
    for p in sorted(scenario.pipeline, key=lambda p: p.arrival):
        ptype = scenario.project_types[p.type]
        tv = ptype.value
        pipeline.append(
            PipelinePlan(
                id=p.id,
                type=type_index[p.type],
                arrival=p.arrival,
                due=p.due,
                phases=phases_of(ptype, p.effort, p.effort_scale),
                value=_value(
                    scenario,
                    p.benefit_per_week if p.benefit_per_week is not None else tv.benefit_per_week,
                    p.cost_of_delay_per_week
                    if p.cost_of_delay_per_week is not None
                    else tv.cost_of_delay_per_week,
                    p.alignment if p.alignment is not None else tv.alignment,
                ),
            )
        )
    return Plan(
        horizon=scenario.horizon_weeks,
        warmup=scenario.warmup_weeks,
        objectives=tuple(scenario.objectives),
        roles=roles,
        types=types,
        pipeline=tuple(pipeline),
        priority=scenario.policy.priority,
        wip_limit=scenario.policy.wip_limit,
        budget_per_quarter=scenario.policy.budget_per_quarter,
        capacity_check_weeks=scenario.policy.capacity_check_weeks,
        rebalancing=None
        if scenario.policy.rebalancing is None
        else (scenario.policy.rebalancing.action, scenario.policy.rebalancing.overrun),
    )
