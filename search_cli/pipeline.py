"""Runs the stages for the CLI with live progress and a summary; knows no stage internals."""

from __future__ import annotations

import time
from typing import Any

import click

from catalog import DataDir
from search_cli.output import _, ngettext, safe


def _console():
    from rich.console import Console

    return Console(stderr=True, highlight=False, soft_wrap=True)


def _crawl_options(source: str, start_urls: tuple[str, ...], allow_hosts: tuple[str, ...],
                   wayback: str | None, no_wayback: bool, delay: float | None) -> dict[str, Any]:
    return {
        "source": source,
        "start_urls": list(start_urls),
        "allow_hosts": list(allow_hosts),
        "wayback": False if no_wayback else wayback,
        "download_delay": delay,
    }


def run_crawl(data_dir: DataDir, *, verbose: bool = False, **opts: Any) -> Any:
    """Stage 1 with a live status line; raises click errors the user can act on."""
    from crawler.parent import CrawlError, crawl
    from search_cli.lock import update_lock

    console = _console()
    kwargs = _crawl_options(**opts)
    with update_lock(data_dir), console.status(_("crawling…")) as status:

        def progress(p: dict[str, Any]) -> None:
            status.update(_("crawling: {pages} pages, documents {new} new / {changed} changed / "
                            "{unchanged} unchanged / {failed} failed", pages=p.get("pages_visited", 0),
                            new=p.get("new", 0), changed=p.get("changed", 0), unchanged=p.get("unchanged", 0),
                            failed=p.get("failed", 0)))

        try:
            summary = crawl(data_dir, verbose=verbose, progress=progress, **kwargs)
        except CrawlError as e:
            raise click.ClickException(_("the crawl could not run: {reason}", reason=e)) from None
        except ValueError as e:
            raise click.BadParameter(str(e)) from None
    console.print(
        _("crawl: {pages} pages visited, {documents} documents ({new} new, {changed} changed, "
          "{unchanged} unchanged, {failed} failed)", pages=summary.pages_visited, documents=summary.documents_seen,
          new=summary.new, changed=summary.changed, unchanged=summary.unchanged, failed=summary.failed),
        markup=False,
    )
    for url, reason in summary.failures[:20]:
        console.print("  " + _("failed: {url}: {reason}", url=safe(url), reason=safe(reason)), markup=False)
    if len(summary.failures) > 20:
        console.print("  " + _("… and {n} more (see `hparkiv status`)", n=len(summary.failures) - 20), markup=False)
    for w in summary.warnings:
        console.print("[bold yellow]" + _("warning:") + "[/] " + safe(w).replace("[", "\\["))
    for note in summary.notes():
        console.print(_("note: {note}", note=safe(note)), markup=False)
    if summary.pages_visited == 0 and summary.documents_seen == 0:
        why = summary.failures[0][1] if summary.failures else _("no answer")
        raise click.ClickException(_("no start page could be fetched ({reason}); the archive is unchanged",
                                     reason=why))
    return summary


def run_extract(data_dir: DataDir, *, workers: int | None = None, ocr: bool | None = None,
                force: bool = False) -> Any:
    """Stage 2 with a progress bar over documents."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    from extract.run import extract_pending
    from search_cli.lock import update_lock

    console = _console()
    started = time.monotonic()
    with update_lock(data_dir), Progress(TextColumn(_("extracting")), BarColumn(), MofNCompleteColumn(),
                  TextColumn(_("documents, {pages} pages ({rate} pages/s)",
                               pages="{task.fields[pages]}", rate="{task.fields[rate]}")),
                  TimeRemainingColumn(), console=console, transient=True) as bar:
        task = bar.add_task("extract", total=None, pages=0, rate="-")

        def progress(p: dict[str, Any]) -> None:
            pages = p.get("pages", 0)
            rate = f"{pages / max(time.monotonic() - started, 1e-6):.1f}"
            bar.update(task, completed=p.get("done", 0), total=p.get("total"), pages=pages, rate=rate)

        summary = extract_pending(data_dir, workers=workers, force=force, ocr=ocr, progress=progress)
    console.print(
        _("extract: {done} documents ({ok} ok, {no_text} without text, {failed} failed), {pages} pages in {seconds} s",
          done=summary.done, ok=summary.ok, no_text=summary.no_text, failed=summary.failed, pages=summary.pages,
          seconds=f"{summary.seconds:.1f}"),
        markup=False,
    )
    for doc_id, reason in summary.failures[:20]:
        console.print(f"  {doc_id}: {safe(reason)}", markup=False)
    if getattr(summary, "hint", None):
        console.print("  " + _("hint: {hint}", hint=safe(summary.hint)), markup=False)
    return summary


def run_index(data_dir: DataDir, *, rebuild: bool = False) -> Any:
    """Stage 3; a second writer is refused with a clear message."""
    from index import update_index
    from index.errors import IndexLocked
    from search_cli.lock import update_lock

    console = _console()
    try:
        with update_lock(data_dir), console.status(_("indexing…")):
            summary = update_index(data_dir, rebuild=rebuild)
    except IndexLocked as e:
        raise click.ClickException(str(e)) from None
    console.print(ngettext("index: {n} document, {pages} pages updated", "index: {n} documents, {pages} pages updated",
                           summary.documents, pages=summary.pages), markup=False)
    return summary


def run_update(data_dir: DataDir, *, verbose: bool = False, workers: int | None = None,
               ocr: bool | None = None, **crawl_opts: Any) -> None:
    """Crawl, extract, index. Returns when the run completed (some documents may have failed);
    raises a click error when it could not proceed."""
    from search_cli.lock import update_lock

    with update_lock(data_dir):
        run_crawl(data_dir, verbose=verbose, **crawl_opts)
        run_extract(data_dir, workers=workers, ocr=ocr)
        run_index(data_dir)


def archive_status(data_dir: DataDir) -> dict[str, Any]:
    """Counts and last runs, from the catalog alone (cheap); shared with the web's /status."""
    from catalog.status import archive_status as status_of

    return status_of(data_dir)
