"""Runs the stages for the CLI with live progress and a summary; knows no stage internals."""

from __future__ import annotations

import time
from collections import Counter
from pathlib import Path
from typing import Any

import click

from catalog import DataDir
from search_cli.output import safe


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
    from crawler.run import CrawlError, crawl
    from search_cli.lock import update_lock

    console = _console()
    kwargs = _crawl_options(**opts)
    with update_lock(data_dir), console.status("crawling…") as status:

        def progress(p: dict[str, Any]) -> None:
            status.update(
                f"crawling: {p.get('pages_visited', 0)} pages, documents "
                f"{p.get('new', 0)} new / {p.get('changed', 0)} changed / "
                f"{p.get('unchanged', 0)} unchanged / {p.get('failed', 0)} failed"
            )

        try:
            summary = crawl(data_dir, verbose=verbose, progress=progress, **kwargs)
        except CrawlError as e:
            raise click.ClickException(f"the crawl could not run: {e}") from None
        except ValueError as e:
            raise click.BadParameter(str(e)) from None
    console.print(
        f"crawl: {summary.pages_visited} pages visited, {summary.documents_seen} documents "
        f"({summary.new} new, {summary.changed} changed, {summary.unchanged} unchanged, "
        f"{summary.failed} failed)"
    )
    for url, reason in summary.failures[:20]:
        console.print(f"  failed: {safe(url)}: {safe(reason)}", markup=False)
    if len(summary.failures) > 20:
        console.print(f"  … and {len(summary.failures) - 20} more (see `hparkiv status`)")
    for w in summary.warnings:
        console.print(f"[bold yellow]warning:[/] {safe(w)}")
    if summary.pages_visited == 0 and summary.documents_seen == 0:
        why = summary.failures[0][1] if summary.failures else "no answer"
        raise click.ClickException(f"no start page could be fetched ({why}); the archive is unchanged")
    return summary


def run_extract(data_dir: DataDir, *, workers: int | None = None, ocr: bool | None = None,
                force: bool = False) -> Any:
    """Stage 2 with a progress bar over documents."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    from extract.run import extract_pending
    from search_cli.lock import update_lock

    console = _console()
    started = time.monotonic()
    with update_lock(data_dir), Progress(TextColumn("extracting"), BarColumn(), MofNCompleteColumn(),
                  TextColumn("documents, {task.fields[pages]} pages ({task.fields[rate]} pages/s)"),
                  TimeRemainingColumn(), console=console, transient=True) as bar:
        task = bar.add_task("extract", total=None, pages=0, rate="-")

        def progress(p: dict[str, Any]) -> None:
            pages = p.get("pages", 0)
            rate = f"{pages / max(time.monotonic() - started, 1e-6):.1f}"
            bar.update(task, completed=p.get("done", 0), total=p.get("total"), pages=pages, rate=rate)

        summary = extract_pending(data_dir, workers=workers, force=force, ocr=ocr, progress=progress)
    console.print(
        f"extract: {summary.done} documents ({summary.ok} ok, {summary.no_text} without text, "
        f"{summary.failed} failed), {summary.pages} pages in {summary.seconds:.1f} s"
    )
    for doc_id, reason in summary.failures[:20]:
        console.print(f"  {doc_id}: {safe(reason)}", markup=False)
    if getattr(summary, "hint", None):
        console.print(f"  hint: {safe(summary.hint)}", markup=False)
    return summary


def run_index(data_dir: DataDir, *, rebuild: bool = False) -> Any:
    """Stage 3; a second writer is refused with a clear message."""
    from index import update_index
    from index.errors import IndexLocked
    from search_cli.lock import update_lock

    console = _console()
    try:
        with update_lock(data_dir), console.status("indexing…"):
            summary = update_index(data_dir, rebuild=rebuild)
    except IndexLocked as e:
        raise click.ClickException(str(e)) from None
    console.print(f"index: {summary.documents} documents, {summary.pages} pages updated")
    return summary


def run_update(data_dir: DataDir, *, verbose: bool = False, workers: int | None = None,
               ocr: bool | None = None, **crawl_opts: Any) -> bool:
    """Crawl, extract, index. True when the run completed (some documents may have failed)."""
    from search_cli.lock import update_lock

    with update_lock(data_dir):
        run_crawl(data_dir, verbose=verbose, **crawl_opts)
        run_extract(data_dir, workers=workers, ocr=ocr)
        run_index(data_dir)
    return True


def archive_status(data_dir: DataDir) -> dict[str, Any]:
    """Counts and last runs, from the catalog alone (cheap)."""
    import catalog

    if not data_dir.catalog.exists():
        return {"data_dir": str(data_dir.root), "documents": 0, "by_status": {}, "runs": {}, "failures": []}
    conn = catalog.connect(data_dir)
    versions = catalog.list_versions(conn, catalog.Filters(all_versions=True))
    current = [v for v in versions if not v.superseded_by]
    by_status = Counter(v.status for v in current)
    return {
        "data_dir": str(data_dir.root),
        "documents": len(current),
        "superseded_versions": len(versions) - len(current),
        "pages": sum(v.pages or 0 for v in current),
        "by_status": dict(by_status),
        "by_year": dict(sorted(Counter(str(v.year) for v in current).items())),
        "by_doctype": dict(Counter(v.doctype or "?" for v in current).most_common()),
        "by_committee": dict(Counter(v.committee or "-" for v in current).most_common()),
        "runs": {s: catalog.last_run(conn, s) for s in ("crawl", "extract", "index")},
        "failed_documents": [
            {"doc_id": v.doc_id, "url": v.url, "status": v.status, "error": v.error}
            for v in current if v.status in ("failed", "no_text")
        ],
        "failures": catalog.fetch_failures(conn),
        "index_exists": Path(data_dir.index).exists(),
        "decisions": _decision_counts(conn),
    }


def _decision_counts(conn: Any) -> dict[str, Any]:
    from catalog.decisions import decision_counts

    c = decision_counts(conn)
    return {"decisions": c.decisions, "by_kind": c.by_kind, "votes": c.votes, "unparsed_votes": c.unparsed_votes}
