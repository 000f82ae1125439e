"""One room server per answer file: a lock the operating system releases when the server dies.

Two servers on one file would each hand out tokens and show half the room's
progress; a facilitator who started the server twice (two terminals, a
forgotten background job) is told so at once instead. The lock is an
``flock`` on ``acme.sqlite.room.lock``: the kernel drops it when the process
exits in any way, SIGKILL included, so a restart after a crash is never
refused by a stale lock. Capture forms and notebooks on the same file are
not affected: SQLite serialises their writes with the server's.
"""

from __future__ import annotations

import fcntl
import os
from pathlib import Path

from pmo_sim.errors import InputError

__all__ = ["ServerLock", "lock_path"]


def lock_path(database: str | Path) -> Path:
    """The lock file of an answer file: ``acme.sqlite`` → ``acme.sqlite.room.lock``."""
    database = Path(database)
    return database.with_name(database.name + ".room.lock")


class ServerLock:
    """Held while a room server serves ``database``; a second one raises :class:`InputError`.

    >>> with ServerLock("acme.sqlite"):  # doctest: +SKIP
    ...     serve()
    """

    def __init__(self, database: str | Path) -> None:
        self.database = Path(database)
        self.path = lock_path(database)
        self._fd: int | None = None

    def acquire(self) -> ServerLock:
        """Take the lock, or raise naming the process that holds it."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 64, 0).decode("ascii", "replace").strip() or "unknown"
            os.close(fd)
            raise InputError(
                self.database,
                f"another workshop server (pid {holder}) is already serving this file; "
                "use its participant link, or stop it first",
            ) from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        self._fd = fd
        return self

    def release(self) -> None:
        """Let go of the lock (the kernel does it anyway when the process ends)."""
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None

    def __enter__(self) -> ServerLock:
        return self.acquire()

    def __exit__(self, *exc: object) -> None:
        self.release()
