"""Data-dir locks: one writer at a time, across processes (`DataDir.lock(name)`).

Each lock is an flock on `locks/<name>.lock`, so the OS releases it when its process
dies: a lock file on disk is never stale by itself. The holder writes its pid into the
file, for the message the next process shows.
"""

from __future__ import annotations

import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

_held: dict[str, int] = {}  # lock path -> depth, for the locks this process holds


class Locked(Exception):
    """Another holder has the lock; `holder` is the pid it wrote (or "?")."""

    def __init__(self, name: str, holder: str) -> None:
        super().__init__(f"the {name} lock is held by pid {holder}")
        self.name = name
        self.holder = holder


@contextmanager
def hold(path: Path, name: str, *, reentrant: bool = False) -> Iterator[None]:
    """Hold the lock at `path`, or raise `Locked` at once (never wait).

    Re-entrant locks let a process that holds one take it again (a run holds the update
    lock around stages that take it too); others refuse a second holder even in the
    same process.
    """
    key = str(path)
    if reentrant and _held.get(key):
        _held[key] += 1
        try:
            yield
        finally:
            _held[key] -= 1
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 32, 0).decode("ascii", "replace").strip() or "?"
            raise Locked(name, holder) from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, str(os.getpid()).encode(), 0)
        _held[key] = 1
        try:
            yield
        finally:
            _held.pop(key, None)
            os.ftruncate(fd, 0)
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


def held_elsewhere(path: Path) -> bool:
    """True while another process holds the lock at `path` (this process's own hold is not counted)."""
    if not path.exists() or _held.get(str(path)):
        return False
    fd = os.open(path, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    finally:
        os.close(fd)
    return False
