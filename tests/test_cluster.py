"""The Dask executor on a real scheduler and two worker processes."""

from __future__ import annotations

import os
import time

import pytest

from pmo_sim.cluster import DaskExecutor
from pmo_sim.errors import InputError
from pmo_sim.executor import LocalExecutor, run_all
from tests.cluster_fixtures import dask_cluster, free_port  # noqa: F401


def _pid_square(x: int) -> tuple[int, int]:
    time.sleep(0.05)
    return x * x, os.getpid()


def test_cluster_results_equal_local_results_in_task_order(dask_cluster):  # noqa: F811
    tasks = list(range(30))
    with LocalExecutor(1) as local:
        expected = [r[0] for r in run_all(local, _pid_square, tasks)]
    with DaskExecutor(scheduler=dask_cluster.address) as ex:
        assert ex.workers == 2
        results = run_all(ex, _pid_square, tasks)
    assert [r[0] for r in results] == expected == [x * x for x in tasks]
    assert len({pid for _, pid in results}) == 2  # both workers took part


def test_unreachable_scheduler_is_a_clear_error_within_seconds():
    address = f"tcp://127.0.0.1:{free_port()}"
    start = time.monotonic()
    with pytest.raises(InputError, match="cannot reach the Dask scheduler"):
        DaskExecutor(scheduler=address)
    assert time.monotonic() - start < 15
