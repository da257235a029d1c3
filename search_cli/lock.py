"""One run at a time per data dir: a second `update` is refused, not interleaved."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import ExitStack, contextmanager

import click

from catalog import DataDir
from catalog.locks import Locked


@contextmanager
def update_lock(data_dir: DataDir) -> Iterator[None]:
    """Hold the data dir's update lock (re-entrant: a run holds it around its stages)."""
    with ExitStack() as held:
        try:
            held.enter_context(data_dir.lock("update", reentrant=True))
        except Locked as e:
            from search_cli.output import _

            raise click.ClickException(
                _("another hparkiv update is running on {root} (pid {pid}); wait for it to finish, or stop it",
                  root=data_dir.root, pid=e.holder)
            ) from None
        yield
