"""One writer at a time per data dir: a second `update` is refused, not interleaved."""

from __future__ import annotations

import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager

import click

from catalog import DataDir

_held: dict[str, int] = {}  # lock path -> depth, so nested stages in one process share the lock


@contextmanager
def update_lock(data_dir: DataDir) -> Iterator[None]:
    """Hold the data dir's update lock; the OS drops it if the process dies, so it is never stale."""
    data_dir.ensure()
    path = str(data_dir.locks / "update.lock")
    if _held.get(path):
        _held[path] += 1
        try:
            yield
        finally:
            _held[path] -= 1
        return
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 32, 0).decode(errors="replace").strip() or "?"
            from search_cli.output import _

            raise click.ClickException(
                _("another hparkiv update is running on {root} (pid {pid}); wait for it to finish, or stop it",
                  root=data_dir.root, pid=holder)
            ) from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, str(os.getpid()).encode(), 0)
        _held[path] = 1
        try:
            yield
        finally:
            _held.pop(path, None)
            os.ftruncate(fd, 0)
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


def update_running(data_dir: DataDir) -> bool:
    """True while another process holds the update lock (its temp files are live then)."""
    path = data_dir.locks / "update.lock"
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
