"""web/workers.py: a pool of spawned worker processes whose dead workers cost only their own call."""

from __future__ import annotations

import os

import pytest

from web.workers import WorkerFailed, WorkerPool


def _square(n: int) -> int:
    return n * n


def _refuse(message: str) -> None:
    raise ValueError(message)


def _die() -> None:
    os._exit(3)  # as a crash in pdfium or the OOM killer ends a worker: no exception, no cleanup


@pytest.fixture
def pool():
    p = WorkerPool(2, timeout=120)
    yield p
    p.shutdown()


def test_a_call_runs_in_a_worker_process_and_its_errors_come_back_as_raised(pool):
    assert pool.run(_square, 7) == 49
    assert pool.run(os.getpid) != os.getpid()
    with pytest.raises(ValueError, match="not a number"):
        pool.run(_refuse, "not a number")
    assert pool.run(_square, 3) == 9  # an error in the call leaves the pool as it was


def test_a_dead_worker_fails_its_own_call_and_the_next_call_gets_a_fresh_pool(pool):
    before = {pool.run(os.getpid) for _ in range(4)}
    with pytest.raises(WorkerFailed):
        pool.run(_die)
    after = pool.run(os.getpid)
    assert after not in before and pool.run(_square, 5) == 25


def test_warm_starts_the_workers_and_survives_a_call_that_fails(pool):
    pool.warm(_square, 2)
    pool.warm(_refuse, "warming is best effort")
    assert pool.run(_square, 4) == 16


def test_a_pool_shut_down_meanwhile_is_replaced(pool):
    assert pool.run(_square, 2) == 4
    old = pool._current()
    old.shutdown(wait=True)  # another thread discarded it after seeing it break
    assert pool.run(_square, 6) == 36


def test_workers_killed_while_idle_cost_no_call(pool):
    """Another part of the process may kill every child it has (tests/test_extract.py does):
    the next call finds the pool broken, and runs in a fresh one."""
    import multiprocessing
    import signal
    import time

    assert pool.run(_square, 2) == 4
    executor = pool._current()
    for child in multiprocessing.active_children():
        os.kill(child.pid, signal.SIGKILL)
    deadline = time.monotonic() + 120
    while not executor._broken:  # the state the executor reaches when it notices (its own flag)
        assert time.monotonic() < deadline, "the executor never noticed its dead workers"
        time.sleep(0.01)
    assert pool.run(_square, 8) == 64
