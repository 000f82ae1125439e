"""The portfolio as a SimPy discrete-event model: projects flowing through role pools.

A project arrives (from its type's arrival process or the pipeline), waits
in the intake backlog until the WIP limit and the quarter's budget let it
in (it is then *admitted*), and runs its phases in order. Each phase puts
its demands in the queues of their roles at once; a demand holds ``people``
people for ``effort / (people x availability)`` weeks; the phase ends when
its last demand ends. The project *starts* when its first demand gets its
people and *finishes* when its last phase ends.

SimPy provides the clock and the event queue; everything else is callbacks
on plain timeouts (no process per project), which is what keeps the model
close to a bare SimPy M/M/c loop in speed.

Under ``policy.multitasking`` the pools are :class:`SharedRolePool` (people
on several demands at once, losing time to switching). The PMO's planned
efforts can be biased and noisy (``policy.estimates``), low value-for-money
proposals can be declined at arrival (``policy.selection_share``) and a
share of each delivered benefit realised (``policy.benefits_realised``);
each is skipped entirely at its neutral value, so the model then draws and
decides exactly as without it.
"""

from __future__ import annotations

import gc
import math
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from heapq import heappop, heappush
from itertools import count
from typing import TYPE_CHECKING, cast

import simpy
from simpy.events import Timeout

from pmo_sim.simulation.allocation import SharedRolePool
from pmo_sim.simulation.distributions import Exponential, LogNormal, Sampler
from pmo_sim.simulation.plan import QUARTER_WEEKS, DemandPlan, Plan
from pmo_sim.simulation.pools import RolePool, Work
from pmo_sim.simulation.priorities import priority_rule
from pmo_sim.simulation.streams import ARRIVALS, EFFORT, ESTIMATE, VALUE, stream

if TYPE_CHECKING:
    import numpy as np

    from pmo_sim.simulation.plan import _Value

__all__ = ["PortfolioModel", "Project", "paused_gc"]

_NAN = math.nan


class Project:
    """One project's plan and history within a replication."""

    __slots__ = (
        "admitted",
        "arrival",
        "benefit",
        "cost",
        "due",
        "effort",
        "finish",
        "open",
        "phase",
        "phases",
        "planned_cost",
        "planned_effort",
        "remaining",
        "seq",
        "source",
        "spent",
        "start",
        "stopped",
        "value",
    )

    def __init__(self, source: int, seq: int, arrival: float, due: float | None) -> None:
        #: Project type index (>= 0) or ``-1 - k`` for the k-th pipeline project.
        self.source = source
        #: Number of this project within its type, from 1.
        self.seq = seq
        self.arrival = arrival
        self.due = _NAN if due is None else due
        self.admitted = _NAN
        self.start = _NAN
        self.finish = _NAN
        self.phases: list[list[Work]] = []
        self.phase = 0
        self.open = 0
        self.remaining = 0.0
        self.planned_effort = 0.0
        self.planned_cost = 0.0
        self.effort = 0.0
        self.cost = 0.0
        self.value: _Value | None = None
        self.benefit = 0.0
        #: Actual effort of the phases completed (kept only under rebalancing).
        self.spent = 0.0
        #: When a stage-gate review stopped the project (NaN if never).
        self.stopped = _NAN


@dataclass(slots=True)
class _TypeState:
    """What a project type needs to create its next project in a replication."""

    #: Effort sampler per demand, per phase.
    efforts: list[list[Sampler]]
    benefit: Sampler
    #: Per phase and demand: the model's constants (see :meth:`PortfolioModel._template`).
    template: tuple
    #: Estimate-error factor sampler (None: planned efforts are the means).
    estimates: Sampler | None = None
    #: Projects of the type created so far.
    created: int = 0


class PortfolioModel:
    """One replication of a plan, driven by the random streams of ``seed``."""

    def __init__(self, plan: Plan, seed: np.random.SeedSequence) -> None:
        self.plan = plan
        self.env = env = simpy.Environment()
        self.priority = priority_rule(plan.priority).key
        tickets = count()
        self.ticket = tickets.__next__
        mt = plan.multitasking
        self.pools: list[RolePool | SharedRolePool]
        if mt is None:
            self.pools = [
                RolePool(r.headcount_plan[0][1], r.availability, env, self._seize, self.ticket)
                for r in plan.roles
            ]
        else:
            self.pools = [
                SharedRolePool(
                    r.headcount_plan[0][1],
                    r.availability,
                    r.weekly_cost,
                    env,
                    self._started,
                    self._finish,
                    self.ticket,
                    mt.max_assignments,
                    mt.efficiency,
                )
                for r in plan.roles
            ]
        #: Planned effort = mean / bias x a lognormal factor of sd ``spread`` (None: the mean).
        self._estimates = (
            None
            if plan.estimate_bias == 1 and plan.estimate_spread == 0
            else (plan.estimate_bias, plan.estimate_spread)
        )
        self._screen = plan.selection_threshold
        #: Arrival weeks of proposals declined at screening.
        self.declined: list[float] = []
        self.projects: list[Project] = []
        self.intake: list[tuple[float, int, Project]] = []
        self.wip = 0
        self.backlog = 0
        # Step logs of the intake backlog and of WIP: times, then values.
        self.backlog_log: tuple[list[float], list[int]] = ([0.0], [0])
        self.wip_log: tuple[list[float], list[int]] = ([0.0], [0])
        self.committed: dict[int, float] = {}
        self._wake_scheduled: set[int] = set()
        #: Weeks of planned work intake may commit per role (None: no capacity check).
        self._check = plan.capacity_check_weeks
        self._review = plan.rebalancing
        self._gated = (
            plan.wip_limit is not None
            or plan.budget_per_quarter is not None
            or self._check is not None
        )

        for index, role in enumerate(plan.roles):
            for week, headcount in role.headcount_plan[1:]:
                ev = Timeout(env, week, (index, headcount))
                ev.callbacks.append(self._hire)

        self._type_state: list[_TypeState] = []
        for index, t in enumerate(plan.types):
            effort = [
                [
                    Sampler(d.effort, stream(seed, EFFORT, t.id, d.key, str(j)))
                    for j, d in enumerate(phase)
                ]
                for phase in t.phases
            ]
            benefit = Sampler(t.value.benefit, stream(seed, VALUE, t.id))
            state = _TypeState(effort, benefit, self._template(t.phases))
            if self._estimates is not None and self._estimates[1] > 0:
                state.estimates = Sampler(
                    LogNormal(1.0, self._estimates[1]), stream(seed, ESTIMATE, t.id), block=64
                )
            self._type_state.append(state)
            if t.arrivals.process != "none":
                self._start_arrivals(index, stream(seed, ARRIVALS, t.id))

        # Pipeline projects arriving together are added together, then work is dispatched,
        # so that priority (not list order) decides who goes first.
        by_time: dict[float, list[int]] = {}
        for k, p in enumerate(plan.pipeline):
            by_time.setdefault(p.arrival, []).append(k)
        for time, ks in by_time.items():
            ev = Timeout(env, time, ks)
            ev.callbacks.append(self._pipeline_arrive)
        self._seed = seed

    # -- arrivals ---------------------------------------------------------------------------

    def _start_arrivals(self, index: int, rng: np.random.Generator) -> None:
        arrivals = self.plan.types[index].arrivals
        end = min(
            arrivals.end_week if arrivals.end_week is not None else math.inf, self.plan.horizon
        )
        gaps: Callable[[], float]
        if arrivals.process == "poisson":
            assert arrivals.rate_per_week is not None  # validated with the scenario
            gaps = Sampler(Exponential(1 / arrivals.rate_per_week), rng, block=64)
            first = arrivals.start_week + gaps()
        else:
            assert arrivals.every_weeks is not None
            step = arrivals.every_weeks
            gaps = lambda: step  # noqa: E731
            first = arrivals.start_week
        env = self.env

        def arrive(_event: simpy.Event) -> None:
            self._new_type_project(index)
            nxt = env._now + gaps()
            if nxt < end:
                Timeout(env, nxt - env._now).callbacks.append(arrive)

        if first < end:
            Timeout(env, first).callbacks.append(arrive)

    def _template(self, phases: tuple[tuple[DemandPlan, ...], ...]) -> tuple:
        """Per demand: (pool, people, effort-to-duration divisor, weekly cost, planned, scale)."""
        roles, pools = self.plan.roles, self.pools
        return tuple(
            tuple(
                (
                    pools[d.role],
                    d.people,
                    d.people * roles[d.role].availability,
                    roles[d.role].weekly_cost,
                    d.planned,
                    d.scale,
                )
                for d in phase
            )
            for phase in phases
        )

    def _works(
        self,
        project: Project,
        template: tuple,
        draws: Sequence[Sequence[float]],
        errors: Sampler | None = None,
    ) -> None:
        """Give ``project`` its works from sampled efforts ``draws`` (one list per phase).

        Under biased or noisy estimates, each demand's planned effort is its mean /
        bias x the next factor of ``errors`` (a sampler; None: no noise).
        """
        planned = planned_cost = effort_total = 0.0
        out = []
        estimates = self._estimates
        for phase, phase_draws in zip(template, draws, strict=True):
            works = []
            for (pool, people, divisor, rate, plan_effort, scale), effort in zip(
                phase, phase_draws, strict=True
            ):
                if estimates is not None:
                    plan_effort = plan_effort / estimates[0]
                    if errors is not None:
                        plan_effort *= errors()
                effort *= scale
                works.append(
                    Work(project, pool, people, effort / divisor, effort * rate, plan_effort)
                )
                planned += plan_effort
                planned_cost += plan_effort * rate
                effort_total += effort
            out.append(works)
        project.phases = out
        project.remaining = project.planned_effort = planned
        project.planned_cost = planned_cost
        project.effort = effort_total

    def _new_type_project(self, index: int) -> None:
        t = self.plan.types[index]
        state = self._type_state[index]
        state.created += 1
        now = self.env._now
        project = Project(
            index, state.created, now, None if t.due_within is None else now + t.due_within
        )
        project.value = t.value
        project.benefit = state.benefit()
        self._works(
            project,
            state.template,
            [[s() for s in phase] for phase in state.efforts],
            state.estimates,
        )
        if (
            self._screen is not None
            and t.due_within is None
            and project.benefit * t.value.strategic_score
            < self._screen * max(project.planned_effort, 1e-12)
        ):
            self.declined.append(now)
            return
        if self.plan.benefits_realised != 1:
            project.benefit *= self.plan.benefits_realised
        self._arrive(project)

    def _pipeline_arrive(self, event: simpy.Event) -> None:
        now = self.env._now
        for k in event._value:
            p = self.plan.pipeline[k]
            project = Project(-1 - k, k + 1, now, p.due)
            project.value = p.value
            rng = stream(self._seed, EFFORT, "pipeline", p.id)
            draws = [[float(d.effort.sample(rng, 1)[0]) for d in phase] for phase in p.phases]
            project.benefit = float(
                p.value.benefit.sample(stream(self._seed, VALUE, "pipeline", p.id), 1)[0]
            )
            if self.plan.benefits_realised != 1:
                project.benefit *= self.plan.benefits_realised
            errors = None
            if self._estimates is not None and self._estimates[1] > 0:
                errors = Sampler(
                    LogNormal(1.0, self._estimates[1]),
                    stream(self._seed, ESTIMATE, "pipeline", p.id),
                )
            self._works(project, self._template(p.phases), draws, errors)
            self.projects.append(project)
            self.backlog += 1
            heappush(self.intake, (self.priority(project), self.ticket(), project))
        self._log_backlog()
        self._admit_waiting()

    def _arrive(self, project: Project) -> None:
        self.projects.append(project)
        if not self._gated and not self.intake:
            self._admit(project)
        else:
            self.backlog += 1
            heappush(self.intake, (self.priority(project), self.ticket(), project))
            self._log_backlog()
            self._admit_waiting()

    # -- intake -----------------------------------------------------------------------------

    def _admit_waiting(self) -> None:
        plan = self.plan
        intake = self.intake
        admitted = False
        while intake:
            if plan.wip_limit is not None and self.wip >= plan.wip_limit:
                break
            project = intake[0][2]
            if self._check is not None and not self._fits(project):
                break
            if plan.budget_per_quarter is not None:
                quarter = int(self.env._now // QUARTER_WEEKS)
                spent = self.committed.get(quarter, 0.0)
                if spent > 0 and spent + project.planned_cost > plan.budget_per_quarter:
                    self._wake_at_quarter(quarter + 1)
                    break
                self.committed[quarter] = spent + project.planned_cost
            heappop(intake)
            self.backlog -= 1
            admitted = True
            self._admit(project)
        if admitted:
            self._log_backlog()

    def _wake_at_quarter(self, quarter: int) -> None:
        if quarter in self._wake_scheduled:
            return
        self._wake_scheduled.add(quarter)
        ev = Timeout(self.env, quarter * QUARTER_WEEKS - self.env._now)
        ev.callbacks.append(lambda _event: self._admit_waiting())

    def _needs(self, project: Project) -> dict[RolePool, float]:
        """Planned effort per role of the project's phases still to run."""
        needs: dict[RolePool, float] = {}
        for phase in project.phases[project.phase :]:
            for work in phase:
                needs[work.pool] = needs.get(work.pool, 0.0) + work.planned
        return needs

    def _fits(self, project: Project) -> bool:
        """Capacity check: every role keeps at most ``_check`` weeks of planned work committed.

        A role with nothing committed takes any project, so that a project larger
        than the window is admitted alone rather than never.
        """
        weeks = self._check
        assert weeks is not None  # called only with a capacity check
        for pool, need in self._needs(project).items():
            committed = pool.committed
            if committed > 1e-9 and committed + need > pool.target * pool.availability * weeks:
                return False
        return True

    def _admit(self, project: Project) -> None:
        if math.isnan(project.admitted):  # a deferred project keeps its first admission
            project.admitted = self.env._now
        if self._check is not None:
            for pool, need in self._needs(project).items():
                pool.committed += need
        self.wip += 1
        self._log_wip()
        self._start_phase(project)

    def _log_backlog(self) -> None:
        self.backlog_log[0].append(self.env._now)
        self.backlog_log[1].append(self.backlog)

    def _log_wip(self) -> None:
        self.wip_log[0].append(self.env._now)
        self.wip_log[1].append(self.wip)

    # -- work -------------------------------------------------------------------------------

    def _start_phase(self, project: Project) -> None:
        works = project.phases[project.phase]
        project.open = len(works)
        priority = self.priority(project)
        for work in works:
            work.pool.request(work, priority)

    def _seize(self, work: Work) -> None:
        env = self.env
        work.state = 1
        work.end = env._now + work.duration
        project = work.project
        if math.isnan(project.start):
            project.start = env._now
        Timeout(env, work.duration, work).callbacks.append(self._done)

    def _started(self, work: Work) -> None:
        """A shared pool gave ``work`` its people; the pool schedules its end."""
        work.state = 1
        project = work.project
        if math.isnan(project.start):
            project.start = self.env._now

    def _done(self, event: simpy.Event) -> None:
        self._finish(event._value)

    def _finish(self, work: Work) -> None:
        work.state = 2
        project = work.project
        project.cost += work.cost
        project.open -= 1
        check = self._check
        if check is not None:
            work.pool.committed -= work.planned
        if project.open == 0:
            for w in project.phases[project.phase]:
                project.remaining -= w.planned
            project.phase += 1
            if project.phase < len(project.phases):
                if self._review is None or not self._gate(project):
                    self._start_phase(project)
            else:
                project.finish = self.env._now
                self.wip -= 1
                self._log_wip()
                if self.intake:
                    self._admit_waiting()
        if check is not None and self.intake:
            self._admit_waiting()
        work.pool.finish(work)

    def _gate(self, project: Project) -> bool:
        """Stage-gate review at a phase end; True when the project was stopped or deferred.

        The PMO sees the actual effort of the phases done. A project over plan by
        more than the policy's ``overrun`` is re-forecast (remaining planned effort
        x actual / planned so far) and ranked by the priority rule against the first
        project waiting at intake; ranked below it, it is stopped or deferred.
        """
        assert self._review is not None  # called only under rebalancing
        action, overrun = self._review
        for w in project.phases[project.phase - 1]:
            project.spent += w.pool.booked(w)
        planned_done = project.planned_effort - project.remaining
        intake = self.intake
        if not intake or planned_done <= 0 or project.spent <= (1 + overrun) * planned_done:
            return False
        remaining = project.remaining
        project.remaining = remaining * project.spent / planned_done
        rank = self.priority(project)
        project.remaining = remaining
        if rank <= intake[0][0]:
            return False
        if self._check is not None:
            for pool, need in self._needs(project).items():
                pool.committed -= need
        self.wip -= 1
        self._log_wip()
        if action == "stop":
            project.stopped = self.env._now
        else:
            self.backlog += 1
            heappush(intake, (rank, self.ticket(), project))
            self._log_backlog()
        self._admit_waiting()
        return True

    def _hire(self, event: simpy.Event) -> None:
        index, headcount = event._value
        self.pools[index].set_headcount(headcount)

    # -- run --------------------------------------------------------------------------------

    def run(self) -> PortfolioModel:
        """Run to the horizon; then charge work in progress for the part done."""
        horizon = self.plan.horizon
        with paused_gc():
            self.env.run(until=horizon)
        shared = self.plan.multitasking is not None
        for project in self.projects:
            if not math.isnan(project.finish) or project.phase >= len(project.phases):
                continue
            for work in project.phases[project.phase]:
                if work.state == 1:
                    if shared:
                        project.cost += cast(SharedRolePool, work.pool).charge_until(work, horizon)
                        continue
                    done = work.duration - (work.end - horizon)
                    project.cost += work.cost * (done / work.duration if work.duration else 1.0)
        return self


@contextmanager
def paused_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector.

    Every project lives until the end of a run, so the collector would only
    rescan a growing heap of live objects; pausing it saves about a third of
    the run time. Nested uses are fine.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
