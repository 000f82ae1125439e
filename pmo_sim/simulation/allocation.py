"""People of one role who may each be allocated to several demands at once (multitasking).

Picture a resource manager's allocation sheet in a PPM tool: Ana is on the
CRM build at 50% and on the data platform at 50%. When a demand needs
people and nobody is free, an organisation that spreads its people does not
make the demand wait: it allocates people who are already working to it as
well, the least-allocated first, up to ``max_assignments`` demands each.
A person with ``n`` assignments splits their project time equally between
them, and loses part of it to switching: with the loss ``loss(n)`` of the
scenario's curve, each assignment advances at ``(1 - loss(n)) / n`` of the
person's full pace. Nobody is moved off an assignment once given it; when an
assignment ends, the person's other assignments speed up.

With no switching loss and no cap, one person is a processor-sharing server
(M/G/1-PS): a project of size ``x`` takes ``x / (1 - rho)`` on average.

Every change of a person's assignments changes the pace of all their other
assignments, so each running demand keeps its remaining work, its pace and a
pending completion. When it slows down, the pending completion is kept: it
fires early, finds work left and schedules the rest. When it speeds up, a new
completion is scheduled and the stale one, no longer the demand's ``pending``,
is ignored. (Slowing down is the common case, as work starts.) A one-person
demand given to a free person, and its end while it is that person's only
one, take short paths written out with the same arithmetic: they are most of
the traffic, and results are the same to the bit as the general path's.

Busy people (with at least one assignment), headcount and waiting people
are logged as step functions like :class:`RolePool`'s, so the records
module integrates them the same way; ``booked`` (person-weeks of
project time spent, switching included) is what the demand costs.
"""

from __future__ import annotations

from collections.abc import Iterable
from heapq import heappop, heappush, nsmallest
from typing import TYPE_CHECKING

from simpy.events import Timeout

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

    import simpy

    from pmo_sim.simulation.pools import Work

__all__ = ["SharedRolePool"]

_NEVER = float("inf")
#: Work left, as a share of the demand, below which a completion is taken as due
#: (rounding of the pace updates).
_DONE = 1e-9


class SharedRolePool:
    """The people of one role, each holding up to ``max_assignments`` demands at once."""

    __slots__ = (
        "availability",
        "busy",
        "busy_log",
        "committed",
        "env",
        "free",
        "full",
        "headcount",
        "headcount_log",
        "leaving",
        "load",
        "max_assignments",
        "on_done",
        "on_seize",
        "open",
        "parked",
        "payroll",
        "productive",
        "productive_log",
        "queue",
        "shares",
        "tail",
        "target",
        "ticket",
        "waiting",
        "waiting_log",
        "weekly_cost",
        "works",
    )

    def __init__(
        self,
        headcount: int,
        availability: float,
        weekly_cost: float,
        env: simpy.Environment,
        on_seize: Callable[[Work], None],
        on_done: Callable[[Work], None],
        ticket: Callable[[], int],
        max_assignments: int | None,
        efficiency: Sequence[float],
    ) -> None:
        """A role of ``headcount`` people; ``efficiency[n - 1]`` is ``1 - loss(n)``."""
        self.availability = availability
        self.weekly_cost = weekly_cost
        self.env = env
        self.on_seize = on_seize
        self.on_done = on_done
        self.ticket = ticket
        #: Most demands one person holds at once (None: no cap).
        self.max_assignments = max_assignments
        #: Pace of one assignment of a person with ``n`` assignments, at index ``n``.
        self.shares = [0.0] + [e / n for n, e in enumerate(efficiency, start=1)]
        #: Productive share of a person's time beyond the curve's last entry.
        self.tail = efficiency[-1]
        self._extend_shares(len(efficiency) + 64)
        #: Assignments per person, and each person's running demands (index: person).
        self.load: list[int] = [0] * headcount
        self.works: list[list[Work]] = [[] for _ in range(headcount)]
        #: Persons on the payroll, in hiring order; ``leaving`` ones take no new work.
        self.payroll: list[int] = list(range(headcount))
        self.leaving: set[int] = set()
        #: Persons on the payroll, not leaving, with no assignment (the first choice).
        self.free: set[int] = set(range(headcount))
        #: How many persons on the payroll, not leaving, can take one more demand (a
        #: request for more people than this fails at once, without a scan).
        self.open = headcount
        #: The load at which a person is full (never reached without a cap).
        self.full = _NEVER if max_assignments is None else max_assignments
        self.headcount = headcount
        self.target = headcount
        self.busy = 0
        self.waiting = 0
        self.committed = 0.0
        self.queue: list[tuple[float, int, Work]] = []
        self.parked: list[tuple[float, int, Work]] = []
        self.busy_log: tuple[list[float], list[int]] = ([0.0], [0])
        #: Productive people (sum over persons of ``1 - loss(load)``, 0 when idle), and its log.
        self.productive = 0.0
        self.productive_log: tuple[list[float], list[float]] = ([0.0], [0.0])
        self.headcount_log: tuple[list[float], list[int]] = ([0.0], [headcount])
        self.waiting_log: tuple[list[float], list[int]] = ([0.0], [0])

    def _extend_shares(self, upto: int) -> None:
        shares = self.shares
        while len(shares) <= upto:
            shares.append(self.tail / len(shares))

    # -- logs -------------------------------------------------------------------------------

    def _log(self, log: tuple[list[float], list[int]], value: int) -> None:
        log[0].append(self.env._now)
        log[1].append(value)

    def _log_productive(self, change: float) -> None:
        # Rebuilt from the loads when it returns to no work, so rounding never accumulates.
        self.productive = self.productive + change if self.busy else 0.0
        times, values = self.productive_log
        times.append(self.env._now)
        values.append(self.productive)

    # -- the interface the model uses -------------------------------------------------------

    def request(self, work: Work, priority: float) -> None:
        """Queue ``work`` at ``priority``; it starts at once if people can take it."""
        if not self.queue:
            free = self.free
            if work.people == 1 and free:
                self._start_alone(work, min(free))
                return
            people = self._choose(work.people)
            if people is not None:
                self._assign(work, people)
                return
        heappush(self.queue, (priority, self.ticket(), work))
        self.waiting += work.people
        self._log(self.waiting_log, self.waiting)
        self._dispatch()

    def finish(self, _work: Work) -> None:
        """After the model has handled a work's end: give the freed time to the queue."""
        if self.queue:
            self._dispatch()

    def booked(self, work: Work) -> float:
        """Person-weeks of project time ``work`` has taken so far (switching included)."""
        return work.booked

    def charge_until(self, work: Work, time: float) -> float:
        """Labour cost of a running ``work`` up to ``time``."""
        return (work.booked + (time - work.stamp) * work.book) * self.weekly_cost

    def set_headcount(self, target: int) -> None:
        """The hiring plan's new headcount: new people at once, leavers as they free up."""
        self.target = target
        load, full = self.load, self.full
        for person in sorted(self.leaving, reverse=True):
            if len(self.payroll) - len(self.leaving) >= target:
                break
            self.leaving.discard(person)  # a leaver is busy (idle ones left at once)
            if load[person] < full:
                self.open += 1
        while len(self.payroll) < target:
            self.free.add(len(load))
            self.payroll.append(len(load))
            load.append(0)
            self.works.append([])
            self.open += 1
        excess = len(self.payroll) - len(self.leaving) - target
        for person in sorted(self.payroll, reverse=True):
            if excess <= 0:
                break
            if person in self.leaving:
                continue
            if load[person] < full:
                self.open -= 1
            if load[person] == 0:
                self.payroll.remove(person)
                self.free.discard(person)
            else:
                self.leaving.add(person)
            excess -= 1
        self.headcount = len(self.payroll)
        self._log(self.headcount_log, self.headcount)
        if self.parked:
            fits = [entry for entry in self.parked if entry[2].people <= target]
            self.parked = [entry for entry in self.parked if entry[2].people > target]
            for entry in fits:
                heappush(self.queue, entry)
        self._dispatch()

    # -- allocation -------------------------------------------------------------------------

    def _choose(self, people: int) -> list[int] | None:
        """The ``people`` least-allocated persons able to take one more demand, or None.

        Ties go to the first hired; idle people come first, so with someone free the
        answer is the first-hired free person(s). (:meth:`request` and :meth:`_dispatch`
        give a one-person demand that finds someone free straight to
        :meth:`_start_alone` with that person, without calling this.)
        """
        free = self.free
        if len(free) >= people:
            return [min(free)] if people == 1 else sorted(free)[:people]
        if self.open < people:
            return None
        load, full, leaving = self.load, self.full, self.leaving
        candidates = [
            p for p in self.payroll if load[p] < full and (not leaving or p not in leaving)
        ]
        if people == 1:
            return [min(candidates, key=load.__getitem__)]
        return nsmallest(people, candidates, key=load.__getitem__)

    def _dispatch(self) -> None:
        queue, free = self.queue, self.free
        while queue:
            work = queue[0][2]
            if work.people > self.target:
                self.parked.append(heappop(queue))
                continue
            if work.people == 1 and free:
                heappop(queue)
                self.waiting -= 1
                self._log(self.waiting_log, self.waiting)
                self._start_alone(work, min(free))
                continue
            people = self._choose(work.people)
            if people is None:
                break
            heappop(queue)
            self.waiting -= work.people
            self._log(self.waiting_log, self.waiting)
            self._assign(work, people)

    def _neighbours(self, people: list[int], work: Work | None = None) -> list[Work]:
        """Running demands sharing a person with ``people`` (each once, in a stable order)."""
        if len(people) == 1:
            return [w for w in self.works[people[0]] if w is not work]
        seen: dict[int, Work] = {}
        for p in people:
            for w in self.works[p]:
                if w is not work:
                    seen.setdefault(id(w), w)
        return list(seen.values())

    def _start_alone(self, work: Work, person: int) -> None:
        """:meth:`_assign` of a one-person demand to a free ``person``: nobody else slows.

        The common case, written out: the same arithmetic in the same order, so the
        results are the same to the bit.
        """
        now = self.env._now
        self.free.discard(person)
        self.load[person] = 1
        self.works[person].append(work)
        if self.full == 1:
            self.open -= 1
        self.busy += 1
        times, counts = self.busy_log
        times.append(now)
        counts.append(self.busy)
        rate = self.shares[1]
        self.productive += rate
        times, values = self.productive_log
        times.append(now)
        values.append(self.productive)
        work.persons = [person]
        left = work.left = work.duration
        work.booked = 0.0
        work.stamp = now
        work.rate = rate
        work.book = self.availability
        self.on_seize(work)
        # As _schedule, inlined.
        delay = now + (left if left > 0 else 0.0) / rate - now
        work.end = now + delay
        event = work.pending = Timeout(self.env, delay, work)
        event.callbacks.append(self._expire)

    def _assign(self, work: Work, people: list[int]) -> None:
        now = self.env._now
        affected = self._neighbours(people)
        _advance_all(affected, now)
        load, works, full = self.load, self.works, self.full
        started = 0
        shares = self.shares
        gain = 0.0
        for p in people:
            n = load[p]
            if n == 0:
                started += 1
                self.free.discard(p)
            if n + 1 >= len(shares):
                self._extend_shares(2 * (n + 1))
            gain += shares[n + 1] * (n + 1) - shares[n] * n
            load[p] = n + 1
            if n + 1 == full:
                self.open -= 1
            works[p].append(work)
        if started:
            self.busy += started
            times, counts = self.busy_log
            times.append(now)
            counts.append(self.busy)
        # As _log_productive, inlined on the hot path (busy > 0 here: work just started).
        self.productive += gain
        times, values = self.productive_log
        times.append(now)
        values.append(self.productive)
        work.persons = people
        work.left = work.duration
        work.booked = 0.0
        work.stamp = now
        work.pending = None
        self.on_seize(work)
        affected.append(work)
        self._pace(affected, now)

    def _pace(self, ws: list[Work], now: float) -> None:
        """Recompute each work's pace from its people's loads; reschedule ends that move up."""
        shares, load, availability = self.shares, self.load, self.availability
        schedule = self._schedule
        for work in ws:
            persons = work.persons
            if len(persons) == 1:
                # _assign extends ``shares`` before any load reaches its end.
                n = load[persons[0]]
                rate = shares[n]
                book = availability / n
            else:
                rate = book = 0.0
                for p in persons:
                    n = load[p]
                    rate += shares[n]
                    book += 1.0 / n
                rate /= len(persons)
                book *= availability
            work.rate = rate
            work.book = book
            if rate > 0:
                left = work.left
                end = now + (left if left > 0 else 0.0) / rate
                # A work with nothing pending is new; else the pending completion fires
                # first (and looks again) unless this end comes sooner.
                if work.pending is None or work.end > end:
                    schedule(work, end - now)

    def _schedule(self, work: Work, delay: float) -> None:
        env = self.env
        work.end = env._now + delay
        event = work.pending = Timeout(env, delay, work)
        event.callbacks.append(self._expire)

    def _expire(self, event: Timeout) -> None:
        work: Work = event._value
        if event is not work.pending:
            return  # rescheduled since
        now = self.env._now
        dt = now - work.stamp
        if dt > 0:
            work.left -= dt * work.rate
            work.booked += dt * work.book
            work.stamp = now
        if work.left > _DONE * work.duration and work.left > 1e-12:
            if work.rate > 0:  # slowed down since scheduled: the rest at today's pace
                self._schedule(work, work.left / work.rate)
            else:
                work.end = _NEVER
                work.pending = None
            return
        work.left = 0.0
        work.end = _NEVER
        work.pending = None
        people = work.persons
        load, works, shares = self.load, self.works, self.shares
        if len(people) == 1 and load[people[0]] == 1:
            self._end_alone(work, people[0], now)
            return
        affected = self._neighbours(people, work)
        _advance_all(affected, now)
        full = self.full
        freed = 0
        loss = 0.0
        leaving = self.leaving
        for p in people:
            n = load[p]
            loss += shares[n] * n - shares[n - 1] * (n - 1)
            load[p] = n - 1
            works[p].remove(work)
            gone = p in leaving
            if n == full and not gone:
                self.open += 1
            if n == 1:
                freed += 1
                if gone:
                    leaving.discard(p)
                    self.payroll.remove(p)
                    self.headcount = len(self.payroll)
                    self._log(self.headcount_log, self.headcount)
                else:
                    self.free.add(p)
        if freed:
            self.busy -= freed
            times, counts = self.busy_log
            times.append(now)
            counts.append(self.busy)
        self._log_productive(-loss)
        self._pace(affected, now)
        work.cost = work.booked * self.weekly_cost
        self.on_done(work)

    def _end_alone(self, work: Work, person: int, now: float) -> None:
        """The end of ``person``'s only demand (the rest of :meth:`_expire`, written out)."""
        self.load[person] = 0
        self.works[person].clear()
        if person in self.leaving:
            self.leaving.discard(person)
            self.payroll.remove(person)
            self.headcount = len(self.payroll)
            self._log(self.headcount_log, self.headcount)
        else:
            self.free.add(person)
            if self.full == 1:
                self.open += 1
        busy = self.busy = self.busy - 1
        times, counts = self.busy_log
        times.append(now)
        counts.append(busy)
        # As _log_productive, inlined.
        self.productive = self.productive + -self.shares[1] if busy else 0.0
        times, values = self.productive_log
        times.append(now)
        values.append(self.productive)
        work.cost = work.booked * self.weekly_cost
        self.on_done(work)


def _advance_all(ws: Iterable[Work], now: float) -> None:
    """Bring each running work's progress and booked time up to ``now`` at its pace."""
    for work in ws:
        dt = now - work.stamp
        if dt > 0:
            work.left -= dt * work.rate
            work.booked += dt * work.book
            work.stamp = now
