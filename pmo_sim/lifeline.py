"""Worker processes die with the run that started them, even one killed with SIGKILL.

``pmo-sim batch`` starts a multiprocessing forkserver, pool workers forked
from it, and in each worker a Jupyter kernel; the resource tracker watches
them all. A process killed with SIGKILL runs no clean-up, so each link holds
on to the one above by itself:

- the forkserver imports this module at start (a multiprocessing preload);
  it sees :data:`PARENT_VARIABLE` naming its parent and asks Linux to kill it
  when that parent dies (``PR_SET_PDEATHSIG``);
- each worker does the same towards the forkserver and also watches the run's
  own process, in case the forkserver was started by someone else
  (:func:`worker_start`, the pool's initializer);
- each kernel watches its worker (ipykernel's parent poller exits when the
  parent is gone);
- the resource tracker exits once every process holding its pipe is gone.

Linux sends the parent-death signal when the *thread* that started a process
ends, so the forkserver must be started from a thread that lives as long as
the run: the CLI's and a notebook's main thread do.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import threading
import time

__all__ = ["PARENT_VARIABLE", "die_with_parent", "mark_parent", "watch_process", "worker_start"]

#: Set by the run to its own pid before it starts the forkserver.
PARENT_VARIABLE = "PMO_SIM_LIFELINE_PARENT"
_PR_SET_PDEATHSIG = 1


def die_with_parent(sig: int = signal.SIGKILL) -> bool:
    """Ask Linux to send ``sig`` to this process when its parent dies; False elsewhere."""
    if not sys.platform.startswith("linux"):
        return False
    import ctypes

    parent = os.getppid()
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        if libc.prctl(_PR_SET_PDEATHSIG, int(sig), 0, 0, 0) != 0:
            return False
    except (OSError, AttributeError):
        return False
    if os.getppid() != parent:  # the parent died before the request was made
        os._exit(1)
    return True


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    # A killed process not yet reaped by its parent is a zombie: gone all the same.
    with contextlib.suppress(OSError), open(f"/proc/{pid}/stat", "rb") as fh:
        return fh.read().rsplit(b")", 1)[-1].split()[0] != b"Z"
    return True


def watch_process(pid: int, interval: float = 0.5) -> threading.Thread:
    """Exit this process (at once, no clean-up) as soon as process ``pid`` is gone."""

    def watch() -> None:
        while _alive(pid):
            time.sleep(interval)
        os._exit(1)

    thread = threading.Thread(target=watch, name="pmo-sim-lifeline", daemon=True)
    thread.start()
    return thread


def worker_start(run_pid: int) -> None:
    """Pool initializer: die with the forkserver or worker parent, and with the run itself."""
    die_with_parent()
    watch_process(run_pid)


def mark_parent() -> None:
    """Before starting a forkserver: tell it (through its environment) who its parent is."""
    os.environ[PARENT_VARIABLE] = str(os.getpid())


# In the forkserver (preloaded): its parent is the run that marked itself.
if os.environ.get(PARENT_VARIABLE) == str(os.getppid()):
    die_with_parent()
