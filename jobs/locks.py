"""One run at a time per data dir: a second `update` is refused, not interleaved."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import ExitStack, contextmanager

from catalog import DataDir
from catalog.locks import Locked
from jobs.errors import Busy


def N_(message: str) -> str:
    return message


@contextmanager
def update_lock(data_dir: DataDir) -> Iterator[None]:
    """Hold the data dir's update lock (re-entrant: a run holds it around its stages); raises
    `Busy` at once when another process holds it."""
    with ExitStack() as held:
        try:
            held.enter_context(data_dir.lock("update", reentrant=True))
        except Locked as e:
            raise Busy(N_("another hparkiv update is running on {root} (pid {pid}); wait for it to finish, "
                          "or stop it"), root=data_dir.root, pid=e.holder) from None
        yield
