"""Running the kit's tasks on a Dask cluster.

:class:`DaskExecutor` has the same interface as
:class:`~pmo_sim.executor.LocalExecutor`: it maps a function over plain-data
tasks and yields ``(index, result)`` pairs, so results are placed by task
index and do not depend on which worker ran what. Dask re-runs the tasks of
a worker that dies; an unreachable scheduler is reported within seconds.
"""

from __future__ import annotations

import asyncio
import re
import socket
import threading
from collections.abc import Callable, Iterator, Sequence
from typing import Any, TypeVar

from pmo_sim.errors import InputError

__all__ = ["DaskExecutor", "parse_scheduler_address"]

T = TypeVar("T")
R = TypeVar("R")

#: Seconds to reach a scheduler and hear back from it, each.
CONNECT_SECONDS = 5.0

_ADDRESS = re.compile(r"^(?:(?P<scheme>[A-Za-z][\w+.-]*)://)?(?P<host>\[[0-9A-Fa-f:.]+\]|[^:/\s]+)"
                      r"(?::(?P<port>[^/]*))?/?$")  # fmt: skip
_HINT = "check the address and that `dask scheduler` is running there"


def parse_scheduler_address(text: str) -> tuple[str, str, int]:
    """``(scheme, host, port)`` of a Dask scheduler address; InputError when it is not one.

    ``tcp://10.0.0.5:8786``, ``tls://...`` and ``10.0.0.5:8786`` (tcp) are
    accepted; a dashboard URL (``http://``), an address without a port or
    anything else is refused with what to type instead.
    """
    where = f"--scheduler {text}"
    match = _ADDRESS.match(text.strip())
    if not match:
        raise InputError(where, "expected an address such as tcp://10.0.0.5:8786")
    scheme = (match["scheme"] or "tcp").lower()
    if scheme not in {"tcp", "tls"}:
        raise InputError(
            where,
            f"a Dask scheduler address starts with tcp:// (or tls://), not {scheme}://; "
            "the dashboard's http:// page is not the scheduler (default port 8786)",
        )
    if match["port"] is None:
        raise InputError(where, "the address needs a port, e.g. tcp://10.0.0.5:8786")
    if not match["port"].isdigit() or not 1 <= int(match["port"]) <= 65535:
        raise InputError(where, f"port {match['port']!r} is not a number from 1 to 65535")
    return scheme, match["host"].strip("[]"), int(match["port"])


def _connect(address: str) -> Any:
    """A Client of the scheduler at ``address``, or InputError within a few seconds.

    A plain TCP connection is tried first (nothing listening, unknown host),
    then the Dask handshake in a thread with a deadline: a port that accepts
    and never answers, or answers with something else than Dask, is named
    as such instead of hanging or ending in a traceback.
    """
    from distributed import Client

    where = f"--scheduler {address}"
    scheme, host, port = parse_scheduler_address(address)
    try:
        socket.create_connection((host, port), timeout=CONNECT_SECONDS).close()
    except socket.gaierror:
        raise InputError(where, f"unknown host {host!r}; {_HINT}") from None
    except TimeoutError:
        raise InputError(
            where, f"no answer from {host}:{port} within {CONNECT_SECONDS:g} s; {_HINT}"
        ) from None
    except OSError as exc:
        reason = "nothing is listening there" if isinstance(exc, ConnectionRefusedError) else (
            exc.strerror or str(exc))  # fmt: skip
        raise InputError(
            where, f"cannot reach the Dask scheduler at {host}:{port}: {reason}; {_HINT}"
        ) from None
    url = f"{scheme}://{host}:{port}"
    reply: dict[str, Any] = {}

    def identify() -> None:
        # Ask "who are you?" on a throw-away connection before making a Client: a
        # Client that fails half-way hangs for seconds more when it is collected.
        async def ask() -> Any:
            from distributed.comm import connect

            comm = await connect(url, timeout=CONNECT_SECONDS)
            try:
                await comm.write({"op": "identity", "reply": True})
                return await comm.read()
            finally:
                comm.abort()

        try:
            reply["identity"] = asyncio.run(asyncio.wait_for(ask(), CONNECT_SECONDS))
        except BaseException as exc:  # garbage replies end in MemoryError, among others
            reply["error"] = exc

    thread = threading.Thread(target=identify, name="pmo-sim-dask-identify", daemon=True)
    thread.start()
    thread.join(CONNECT_SECONDS + 1)
    identity = reply.get("identity")
    if thread.is_alive() or isinstance(reply.get("error"), TimeoutError):
        raise InputError(
            where,
            f"{host}:{port} accepted the connection but did not answer as a Dask scheduler "
            f"within {CONNECT_SECONDS:g} s; {_HINT}",
        )
    if not isinstance(identity, dict) or identity.get("type") != "Scheduler":
        error = reply.get("error")
        said = (
            f"{type(error).__name__}: {error}" if error is not None else f"it said {identity!r:.80}"
        )
        raise InputError(where, f"{host}:{port} is not a Dask scheduler ({said}); {_HINT}")
    try:
        return Client(url, timeout=f"{CONNECT_SECONDS}s", set_as_default=False)
    except (OSError, TimeoutError) as exc:
        raise InputError(where, f"lost the Dask scheduler while connecting ({exc})") from None


class DaskExecutor:
    """Tasks on an existing scheduler (``scheduler``) or a LocalCluster of ``local_workers``."""

    def __init__(
        self,
        scheduler: str | None = None,
        local_workers: int | None = None,
        retries: int = 2,
    ) -> None:
        from distributed import Client, LocalCluster

        self._cluster = None
        self.retries = retries
        if scheduler is not None:
            self.client = _connect(scheduler)
        else:
            self._cluster = LocalCluster(
                n_workers=local_workers or 1,
                threads_per_worker=1,
                processes=True,
                dashboard_address=None,
                host="127.0.0.1",
            )
            self.client = Client(self._cluster, set_as_default=False)
        self.workers = max(1, len(self.client.scheduler_info().get("workers", {})))

    def imap(self, fn: Callable[[T], R], tasks: Sequence[T]) -> Iterator[tuple[int, R]]:
        """Run ``fn`` over ``tasks`` on the cluster; yield ``(index, result)`` as each finishes."""
        from distributed import as_completed

        if not tasks:
            return
        futures = self.client.map(fn, list(tasks), pure=False, retries=self.retries)
        index = {f.key: i for i, f in enumerate(futures)}
        try:
            for fut in as_completed(futures, loop=self.client.loop):
                yield index[fut.key], fut.result()
        finally:
            self.client.cancel(futures)

    def close(self) -> None:
        """Disconnect, and stop the cluster if this executor started it."""
        self.client.close()
        if self._cluster is not None:
            self._cluster.close()

    def __enter__(self) -> DaskExecutor:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()
