"""People of one role, shared by every project's demands.

Picture the developers' stand-up: when someone frees up, they go to the
waiting demand of the highest-priority project, and a demand for three
people waits until three are free together; the free people are held for it
rather than handed to a smaller demand further down (no partial seizing, and
no demand starves behind a stream of smaller ones). SimPy's ``Resource`` has
a fixed capacity and ``PriorityResource`` re-sorts its whole queue on every
request, so the pool keeps its own heap and its own headcount.

Hiring raises headcount at once. A reduction takes effect as people free
up: nobody is pulled off work in progress. A demand that needs more people
than the role is planned to have waits aside ("parked") until hiring brings
the headcount back up, so it never blocks the queue for everyone else.

Busy people, headcount and waiting people are each logged as a step
function (a time and the new value at every change); the records module
integrates those steps into weekly figures.
"""

from __future__ import annotations

from heapq import heappop, heappush
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Callable

    import simpy
    from simpy.events import Timeout

__all__ = ["RolePool", "Work"]


class Work:
    """One demand of one project: ``people`` of a role for ``duration`` weeks."""

    __slots__ = (
        "book",
        "booked",
        "cost",
        "duration",
        "end",
        "left",
        "pending",
        "people",
        "persons",
        "planned",
        "pool",
        "project",
        "rate",
        "stamp",
        "state",
    )

    # Set when a demand starts under multitasking (:mod:`.allocation`); see the end of
    # ``__init__``.
    persons: list[int]
    left: float
    rate: float
    book: float
    booked: float
    stamp: float
    pending: Timeout | None

    def __init__(
        self,
        project: Any,
        pool: RolePool,
        people: int,
        duration: float,
        cost: float,
        planned: float,
    ) -> None:
        self.project = project
        self.pool = pool
        self.people = people
        self.duration = duration
        #: Labour cost of the whole demand (effort x weekly cost).
        self.cost = cost
        #: Planned effort (person-weeks) the PMO sees when prioritising.
        self.planned = planned
        #: When the people are released; set when seized.
        self.end = 0.0
        #: 0 waiting, 1 running, 2 done.
        self.state = 0
        # Under multitasking (:mod:`.allocation`) a running demand also has ``persons``
        # (its people), ``left`` (weeks of work at full pace still to do), ``rate`` (its
        # pace now), ``book`` (person-weeks booked per week now), ``booked`` (so far),
        # ``stamp`` (when these were last brought up to date) and ``pending`` (its
        # scheduled completion, None before the first); they are set when it starts.


class RolePool:
    """The people of one role: headcount, busy people, and a priority heap of demands."""

    __slots__ = (
        "availability",
        "busy",
        "busy_log",
        "committed",
        "env",
        "headcount",
        "headcount_log",
        "on_seize",
        "parked",
        "queue",
        "target",
        "ticket",
        "waiting",
        "waiting_log",
    )

    def __init__(
        self,
        headcount: int,
        availability: float,
        env: simpy.Environment,
        on_seize: Callable[[Work], None],
        ticket: Callable[[], int],
    ) -> None:
        self.availability = availability
        #: People on the payroll now (drops to ``target`` only as people free up).
        self.headcount = headcount
        #: Headcount the hiring plan asks for now.
        self.target = headcount
        #: People held by demands now.
        self.busy = 0
        #: People requested by demands in the queue.
        self.waiting = 0
        #: Planned person-weeks admitted and not yet done (kept under capacity-checked intake).
        self.committed = 0.0
        self.queue: list[tuple[float, int, Work]] = []
        self.parked: list[tuple[float, int, Work]] = []
        self.env = env
        self.on_seize = on_seize
        self.ticket = ticket
        # Step logs, each appended when its quantity changes: times, then values.
        self.busy_log: tuple[list[float], list[int]] = ([0.0], [0])
        self.headcount_log: tuple[list[float], list[int]] = ([0.0], [headcount])
        self.waiting_log: tuple[list[float], list[int]] = ([0.0], [0])

    def _log_busy(self) -> None:
        times, values = self.busy_log
        times.append(self.env._now)
        values.append(self.busy)

    def _log_waiting(self) -> None:
        times, values = self.waiting_log
        times.append(self.env._now)
        values.append(self.waiting)

    def _log_headcount(self) -> None:
        times, values = self.headcount_log
        times.append(self.env._now)
        values.append(self.headcount)

    def request(self, work: Work, priority: float) -> None:
        """Queue ``work`` at ``priority`` (lower first; ties first come, first served)."""
        people = work.people
        if not self.queue and people <= self.headcount - self.busy:
            self.busy += people
            self._log_busy()
            self.on_seize(work)
            return
        heappush(self.queue, (priority, self.ticket(), work))
        self.waiting += people
        self._log_waiting()
        self._dispatch()

    def release(self, people: int) -> None:
        """``people`` free up; a pending reduction takes them first, then the queue."""
        self.busy -= people
        self._log_busy()
        if self.headcount > self.target:
            self.headcount = max(self.target, self.busy)
            self._log_headcount()
        if self.queue:
            self._dispatch()

    def finish(self, work: Work) -> None:
        """After the model has handled ``work``'s end: its people free up."""
        self.release(work.people)

    def booked(self, work: Work) -> float:
        """Person-weeks of project time a finished ``work`` took."""
        return work.duration * work.people * self.availability

    def set_headcount(self, target: int) -> None:
        """The hiring plan's new headcount: more people now, fewer as people free up."""
        self.target = target
        self.headcount = max(target, self.busy)
        self._log_headcount()
        if self.parked:
            fits = [entry for entry in self.parked if entry[2].people <= target]
            self.parked = [entry for entry in self.parked if entry[2].people > target]
            for entry in fits:
                heappush(self.queue, entry)
        self._dispatch()

    def _dispatch(self) -> None:
        queue = self.queue
        while queue:
            work = queue[0][2]
            if work.people > self.target:
                self.parked.append(heappop(queue))
            elif work.people <= self.headcount - self.busy:
                heappop(queue)
                self.waiting -= work.people
                self._log_waiting()
                self.busy += work.people
                self._log_busy()
                self.on_seize(work)
            else:
                break
