"""The CLI's errors: one line on stderr and an exit status that tells the truth (1: the run
could not proceed; 2: the user's input was wrong). `main` (cli.py) prints them."""

from __future__ import annotations

import click

from catalog import DataDir, default_data_dir
from search_cli.messages import _, gettext


class Failure(click.ClickException):
    """A one-line error with a chosen exit status (2 = the user's input was wrong)."""

    def __init__(self, message: str, exit_code: int = 1) -> None:
        super().__init__(message)
        self.exit_code = exit_code


def bad_input(message: str) -> Failure:
    return Failure(message, exit_code=2)


def job_failed(e: Exception) -> Failure:
    """A job's error (jobs.errors) in the CLI's language: a bad option is the user's input."""
    from jobs.errors import BadOption, JobError

    if not isinstance(e, JobError):
        raise e
    return Failure(e.translated(gettext), exit_code=2 if isinstance(e, BadOption) else 1)


def query_failed(ctx: click.Context, e: Exception) -> Failure:
    """A query error (exit 2), no index yet (exit 1, saying where an archive is), or a search
    engine that does not answer (exit 1, naming it)."""
    from index.errors import EngineUnavailable, IndexMissing, IndexOutdated, QueryError

    if isinstance(e, EngineUnavailable):
        return Failure(_("the search engine failed: {reason}", reason=e.translated(gettext)))
    if isinstance(e, IndexOutdated):
        return Failure(_(e.template))
    if isinstance(e, IndexMissing):
        if e.template != IndexMissing().template:  # the engine's own reason (a cluster without the index)
            return Failure(_(e.template))
        return Failure(no_archive_message(ctx))
    if isinstance(e, QueryError):
        return bad_input(_("bad query: {reason}", reason=e.translated(gettext)))
    raise e


def no_archive_message(ctx: click.Context) -> str:
    """After `make demo`, a search on the empty default data dir points at the demo archive."""
    from index.writer import index_exists

    root = ctx.find_root().obj["data_dir"].root
    demo = default_data_dir() / "demo"
    if not ctx.find_root().obj.get("data_dir_given") and index_exists(DataDir(demo)):
        return _("no archive in {root} yet. The demo archive is in {demo}: search it with "
                 "`hparkiv --data-dir {demo} search barnehage` (or set HPARKIV_DATA_DIR={demo}); "
                 "`hparkiv update` would crawl the real site into {root}", root=root, demo=demo)
    return _("no archive in {root} yet: `hparkiv demo` builds a sample one, `hparkiv update` crawls the real site",
             root=root)
