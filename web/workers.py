"""Worker processes of the server: a small pool of spawned processes that runs one kind of
work (page renders, searches) beside the server's own process.

Why processes: a search or a render is CPU-bound Python or C that holds the GIL, so threads
of one process take turns on one core, and each time a thread waits for SQLite or a file it
queues again behind the others. A pool of processes uses every core, and takes the next
request from one queue whichever connection it came on (server processes sharing a port
split connections, not requests: with 8 long-lived connections one process often got 6).

A worker that dies (a crash in pdfium, the kernel's OOM killer) breaks the pool: the call it
was running fails with `WorkerFailed`, and the next call starts a fresh pool.
"""

from __future__ import annotations

import multiprocessing
import threading
from collections.abc import Callable
from concurrent.futures import CancelledError, ProcessPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from concurrent.futures.process import BrokenProcessPool
from typing import Any


class WorkerFailed(Exception):
    """A worker died or did not answer in time."""


class WorkerPool:
    """`size` spawned worker processes, started on first use (or by `warm`)."""

    def __init__(self, size: int, timeout: float | None) -> None:
        self.size = size
        self.timeout = timeout
        self._pool: ProcessPoolExecutor | None = None
        self._lock = threading.Lock()

    def run(self, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        """fn(*args, **kwargs) in a worker; its exceptions are raised here as they are.

        A pool found broken by an earlier crash (another request's) is replaced and the call
        made once more in the new one: only a call whose own worker dies fails."""
        for attempt in (1, 2):
            pool = self._current()
            try:
                future = pool.submit(fn, *args, **kwargs)
            except RuntimeError as e:  # broken (BrokenProcessPool is one), or shut down meanwhile
                self._discard(pool)
                if attempt == 1:
                    continue
                raise WorkerFailed(type(e).__name__) from None
            try:
                return future.result(timeout=self.timeout)
            except (BrokenProcessPool, FutureTimeout, CancelledError) as e:
                self._discard(pool)
                raise WorkerFailed(type(e).__name__) from None
        raise AssertionError("unreachable")

    def warm(self, fn: Callable[..., Any], *args: Any) -> None:
        """Start every worker now and run fn(*args) in each, so no request pays for a start."""
        pool = self._current()
        try:
            futures = [pool.submit(fn, *args) for _ in range(self.size)]
            for f in futures:
                f.result(timeout=self.timeout)
        except (BrokenProcessPool, FutureTimeout, CancelledError, RuntimeError):
            self._discard(pool)  # warming is best effort: the next call starts a fresh pool
        except Exception:  # noqa: BLE001 - fn's own failure: the request that needs it says what failed
            pass

    def _current(self) -> ProcessPoolExecutor:
        with self._lock:
            if self._pool is None:
                self._pool = ProcessPoolExecutor(self.size, mp_context=multiprocessing.get_context("spawn"))
            return self._pool

    def _discard(self, pool: ProcessPoolExecutor) -> None:
        with self._lock:
            if self._pool is pool:
                self._pool = None
        pool.shutdown(wait=False, cancel_futures=True)

    def shutdown(self) -> None:
        with self._lock:
            pool, self._pool = self._pool, None
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)
