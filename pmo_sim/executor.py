"""Where work runs: one abstraction behind simulate, compare, sweep and batch.

An :class:`Executor` maps a picklable function over a list of tasks and
returns the results in task order, so the output depends only on the tasks
(and their seeds), never on how many workers ran them or in what order they
finished. :func:`make_executor` picks local processes (the default), an
existing Dask cluster (``scheduler``) or a Dask ``LocalCluster`` started for
the run (``dask_local``).
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from typing import Any, Protocol, TypeVar

from pmo_sim import lifeline

__all__ = ["Executor", "LocalExecutor", "default_workers", "make_executor", "run_all"]

T = TypeVar("T")
R = TypeVar("R")


def default_workers() -> int:
    """Workers to use when none is given: the cores this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


class Executor(Protocol):
    """Runs ``fn`` over ``tasks``; yields ``(index, result)`` as each finishes."""

    workers: int

    def imap(self, fn: Callable[[T], R], tasks: Sequence[T]) -> Iterator[tuple[int, R]]:
        """Run ``fn`` over ``tasks``; yield ``(index, result)`` as each finishes."""
        ...

    def close(self) -> None:
        """Release the workers."""
        ...


def run_all(
    executor: Executor,
    fn: Callable[[T], R],
    tasks: Sequence[T],
    progress: Callable[[int], None] | None = None,
) -> list[R]:
    """Results of ``fn`` over ``tasks`` in task order; ``progress(1)`` per finished task."""
    results: list[Any] = [None] * len(tasks)
    for index, result in executor.imap(fn, tasks):
        results[index] = result
        if progress is not None:
            progress(1)
    return results


class LocalExecutor:
    """Local worker processes; ``workers=1`` runs in this process (no pickling)."""

    def __init__(self, workers: int | None = None) -> None:
        self.workers = workers or default_workers()
        self._pool: ProcessPoolExecutor | None = None

    def _get_pool(self) -> ProcessPoolExecutor:
        if self._pool is None:
            # forkserver: safe inside a Jupyter kernel (threads), cheaper than spawn.
            method = "forkserver" if "forkserver" in multiprocessing.get_all_start_methods() else (
                "spawn")  # fmt: skip
            ctx = multiprocessing.get_context(method)
            # Workers (and the forkserver) die with this process, even after a SIGKILL.
            lifeline.mark_parent()
            if method == "forkserver":
                ctx.set_forkserver_preload(["pmo_sim.lifeline"])
            self._pool = ProcessPoolExecutor(
                max_workers=self.workers,
                mp_context=ctx,
                initializer=lifeline.worker_start,
                initargs=(os.getpid(),),
            )
        return self._pool

    def imap(self, fn: Callable[[T], R], tasks: Sequence[T]) -> Iterator[tuple[int, R]]:
        """Run ``fn`` over ``tasks`` (in this process with one worker); yield as each finishes."""
        if self.workers <= 1 or len(tasks) <= 1:
            for i, task in enumerate(tasks):
                yield i, fn(task)
            return
        from concurrent.futures import as_completed

        pool = self._get_pool()
        futures = {pool.submit(fn, task): i for i, task in enumerate(tasks)}
        try:
            for fut in as_completed(futures):
                yield futures[fut], fut.result()
        finally:
            for fut in futures:
                fut.cancel()

    def close(self) -> None:
        """Shut the worker processes down, cancelling what has not started."""
        if self._pool is not None:
            self._pool.shutdown(cancel_futures=True)
            self._pool = None

    def __enter__(self) -> LocalExecutor:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def make_executor(
    workers: int | None = None,
    scheduler: str | None = None,
    dask_local: int | None = None,
) -> Executor:
    """The executor for the CLI's ``--workers`` / ``--scheduler`` / ``--dask-local``."""
    if scheduler is not None or dask_local is not None:
        from pmo_sim.cluster import DaskExecutor

        return DaskExecutor(scheduler=scheduler, local_workers=dask_local)
    return LocalExecutor(workers)
