"""Debouncing and polling on the kernel's event loop, for widgets that redraw.

A slider dragged across ten positions sends ten changes in half a second;
re-running a simulation for each would leave the room watching stale charts.
:class:`Debouncer` waits until the changes stop for ``delay`` seconds and
then acts once. :class:`Poller` checks a cheap condition every few seconds
(has the answer database changed?) so that live results follow answers typed
in another kernel, such as a participant's Voila page.

Both use the asyncio loop the Jupyter kernel runs on (in JupyterLab and in
Voila alike). Where no loop is running, as in a plain test, a debouncer acts
at once and a poller does nothing until asked: the logic stays testable
without a browser.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable

__all__ = ["Debouncer", "Poller", "running_loop"]


def running_loop() -> asyncio.AbstractEventLoop | None:
    """The event loop running this code (the kernel's), or None outside one."""
    try:
        return asyncio.get_running_loop()
    except RuntimeError:
        return None


class Debouncer:
    """Call ``action`` once, ``delay`` seconds after the last of a burst of triggers."""

    def __init__(self, delay: float, action: Callable[[], None]) -> None:
        self.delay = delay
        self.action = action
        self._handle: asyncio.TimerHandle | None = None

    @property
    def pending(self) -> bool:
        """True while a call is scheduled and has not yet happened."""
        return self._handle is not None

    def trigger(self) -> None:
        """Schedule the action (again); acts at once when no loop is running or delay is 0."""
        self.cancel()
        loop = running_loop()
        if loop is None or self.delay <= 0:
            self.action()
            return
        self._handle = loop.call_later(self.delay, self._fire)

    def cancel(self) -> None:
        """Drop the scheduled call, if any."""
        if self._handle is not None:
            self._handle.cancel()
            self._handle = None

    def _fire(self) -> None:
        self._handle = None
        self.action()


class Poller:
    """Call ``action`` every ``interval`` seconds on the running loop until stopped."""

    def __init__(self, interval: float, action: Callable[[], None]) -> None:
        self.interval = interval
        self.action = action
        self._handle: asyncio.TimerHandle | None = None

    @property
    def running(self) -> bool:
        """True between :meth:`start` and :meth:`stop`."""
        return self._handle is not None

    def start(self) -> bool:
        """Start polling; False (and nothing scheduled) when no loop is running."""
        loop = running_loop()
        if loop is None or self.interval <= 0:
            return False
        self.stop()
        self._handle = loop.call_later(self.interval, self._tick, loop)
        return True

    def stop(self) -> None:
        """Stop polling."""
        if self._handle is not None:
            self._handle.cancel()
            self._handle = None

    def _tick(self, loop: asyncio.AbstractEventLoop) -> None:
        try:
            self.action()
        finally:
            # Reschedule even after an error: one bad read must not end live updates.
            if self._handle is not None:
                self._handle = loop.call_later(self.interval, self._tick, loop)
