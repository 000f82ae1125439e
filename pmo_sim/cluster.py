"""Running the kit's tasks on a Dask cluster.

:class:`DaskExecutor` has the same interface as
:class:`~pmo_sim.executor.LocalExecutor`: it maps a function over plain-data
tasks and yields ``(index, result)`` pairs, so results are placed by task
index and do not depend on which worker ran what. Dask re-runs the tasks of
a worker that dies; an unreachable scheduler is reported within seconds.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import Any, TypeVar

from pmo_sim.errors import InputError

__all__ = ["DaskExecutor"]

T = TypeVar("T")
R = TypeVar("R")

CONNECT_TIMEOUT = "5s"


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
            try:
                self.client = Client(scheduler, timeout=CONNECT_TIMEOUT, set_as_default=False)
            except (OSError, TimeoutError) as exc:
                raise InputError(
                    f"--scheduler {scheduler}",
                    f"cannot reach the Dask scheduler within {CONNECT_TIMEOUT} ({exc}); "
                    "check the address and that `dask scheduler` is running",
                ) from None
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
        self.client.close()
        if self._cluster is not None:
            self._cluster.close()

    def __enter__(self) -> DaskExecutor:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()
