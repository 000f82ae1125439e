"""Executors return results in task order whatever the number of workers."""

from __future__ import annotations

from pmo_sim.executor import LocalExecutor, run_all


def _square(x: int) -> int:
    return x * x


def test_local_executor_keeps_task_order():
    tasks = list(range(20))
    expected = [x * x for x in tasks]
    for workers in (1, 2):
        with LocalExecutor(workers) as ex:
            seen = []
            assert run_all(ex, _square, tasks, progress=seen.append) == expected
            assert sum(seen) == len(tasks)
