"""Commands about the archive as a whole: `status`, `check`, `serve` and `demo`."""

from __future__ import annotations

from pathlib import Path

import click

from catalog import DataDir, default_data_dir
from present import labels
from search_cli.click_types import TranslatedCommand
from search_cli.errors import Failure, job_failed
from search_cli.messages import _, gettext, ngettext
from search_cli.options import OBJECT, data_dir_of, format_option
from search_cli.writers import write_json


@click.command(cls=TranslatedCommand)
@format_option(OBJECT)
@click.pass_context
def status(ctx: click.Context, fmt: str) -> None:
    """What the archive holds: documents per status, last runs, failures.

    \b
        hparkiv status
    """
    from catalog.status import archive_status
    from index.backend import read_config
    from index.errors import EngineUnavailable

    info = archive_status(data_dir_of(ctx))
    try:  # which engine searches the archive (its engine.toml; no connection made)
        config = read_config(data_dir_of(ctx))
        info["engine"] = {"name": config.engine}
        if config.engine != "whoosh":
            info["engine"].update(urls=list(config.urls), index=config.index)
    except EngineUnavailable as e:
        info["engine"] = {"error": e.translated(gettext)}
    if fmt == "json":
        write_json(info)
    else:
        from search_cli.text.archive import print_status

        print_status(info)


@click.command(cls=TranslatedCommand)
@click.option("--repair", is_flag=True, help="Fix what can be fixed (re-extract, re-index, drop orphans).")
@format_option(OBJECT)
@click.pass_context
def check(ctx: click.Context, repair: bool, fmt: str) -> None:
    """Verify the data dir: files, catalog and index agree.

    \b
        hparkiv check --repair
    """
    from jobs.check import check as run_check
    from jobs.errors import JobError

    try:
        problems = run_check(data_dir_of(ctx), repair=repair)
    except JobError as e:
        raise job_failed(e) from None
    if fmt == "json":
        write_json({"ok": not problems, "problems": [p.to_dict() for p in problems]})
    else:
        for p in problems:
            repaired = _(" (repaired)") if p.repaired else ""
            click.echo(labels.problem(p.kind, p.detail, gettext) + repaired)
        click.echo(_("ok: the archive is consistent") if not problems
                   else ngettext("{n} problem found", "{n} problems found", len(problems)))
    unrepaired = [p for p in problems if not p.repaired]
    ctx.exit(1 if unrepaired else 0)


@click.command(cls=TranslatedCommand)
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on; anything but loopback serves other machines too.")
@click.option("--port", type=click.IntRange(1, 65535), default=8765, show_default=True, help="Port to listen on.")
@click.option("--workers", type=click.IntRange(1, 16), default=2, show_default=True,
              help="Search processes beside the server (1: searches run in the server's own threads).")
@click.option("--open", "open_browser", is_flag=True, help="Open the web UI in the default browser.")
@click.pass_context
def serve(ctx: click.Context, host: str, port: int, workers: int | None, open_browser: bool) -> None:
    """The archive in a browser: search, pages with the words highlighted, exports, feeds.

    \b
        hparkiv serve --open
        hparkiv serve --host 0.0.0.0 --port 8080
    """
    import ipaddress

    from web import serve as run_server

    data_dir = data_dir_of(ctx)
    if not data_dir.catalog.exists():
        raise Failure(_("no archive in {root}; run `hparkiv update` first", root=data_dir.root))
    try:
        loopback = ipaddress.ip_address(host).is_loopback
    except ValueError:
        loopback = host == "localhost"
    if not loopback:
        click.echo(_("hparkiv: warning: serving on {host}: other machines can read the whole archive", host=host),
                   err=True)
    url = f"http://{'127.0.0.1' if host in ('0.0.0.0', '::') else host}:{port}/"
    click.echo(_("hparkiv: serving {root} on {url} (Ctrl-C stops)", root=data_dir.root, url=url), err=True)
    if open_browser:
        import threading
        import webbrowser

        threading.Timer(1.0, webbrowser.open, (url,)).start()
    run_server(data_dir, host=host, port=port, workers=workers)


@click.command(cls=TranslatedCommand)
@click.option("--variant", type=int, default=0, show_default=True, help="Which variant of the sample site.")
@click.pass_context
def demo(ctx: click.Context, variant: int) -> None:
    """The whole job on the built-in sample archive, served on loopback.

    \b
        hparkiv demo
    """
    from search_cli.demo import run_demo

    given = ctx.find_root().params.get("data_dir")
    root = DataDir(Path(given)) if given else DataDir(default_data_dir() / "demo")
    ok = run_demo(root, variant=variant, verbose=ctx.obj["verbose"])
    ctx.exit(0 if ok else 1)
