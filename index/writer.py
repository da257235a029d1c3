"""Keeping the index in step with the catalog: incremental updates and full rebuilds.

The same for every engine: this module reads the catalog and hands each document version's
pages to the data dir's backend (index/backend.py), which writes them its own way (Whoosh:
index/whoosh_writer.py; OpenSearch: index/opensearch/backend.py). An incremental update
replaces the dirty versions; a rebuild writes a new index that replaces the current one only
when it is complete (a Whoosh generation, an OpenSearch alias swap), so a search running
during a rebuild keeps seeing the last committed index. A version stays dirty in the catalog
until the commit that holds it has succeeded, so a killed run is repaired by the next, and
a page the engine refused leaves its version dirty, for the next run to send again.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import asdict, dataclass

import catalog
from catalog import DataDir, Version
from catalog.locks import Locked
from index.analysis import corpus_stats
from index.backend import Backend, IndexWriter, PageDoc, open_backend
from index.errors import IndexLocked
from index.whoosh_writer import index_exists, indexed_pages

__all__ = ["IndexSummary", "index_exists", "indexed_pages", "update_index", "writer_lock"]

Progress = Callable[[int, int], None]  # (versions done, versions total)

BATCH_PAGES = 20_000  # an incremental update commits (and marks indexed) every this many pages


@dataclass
class IndexSummary:
    documents: int = 0  # document versions (re)indexed
    pages: int = 0  # pages added
    deleted: int = 0  # index documents removed
    rebuilt: bool = False
    decisions: int = 0  # vedtak in the vedtak index (index/vedtak.py); the name runs' stats have always shown
    seconds: float = 0.0
    refused: int = 0  # document versions the engine refused a page of (left dirty: the next run sends them again)


def update_index(data_dir: DataDir, *, rebuild: bool = False, progress: Progress | None = None) -> IndexSummary:
    """Bring the index up to date with the catalog (or rebuild it from scratch)."""
    started = time.monotonic()
    backend = open_backend(data_dir)
    with writer_lock(data_dir):
        conn = catalog.connect(data_dir)
        try:
            run_id = catalog.start_run(conn, "index")
            in_place = backend.prepare()
            if rebuild or not in_place:
                summary = _rebuild(backend, conn, progress)
            else:
                summary = _incremental(backend, conn, progress)
            summary.decisions = _vedtak(backend, conn)
            summary.seconds = round(time.monotonic() - started, 3)
            catalog.finish_run(conn, run_id, asdict(summary))
        finally:
            conn.close()
    return summary


@contextmanager
def writer_lock(data_dir: DataDir) -> Iterator[None]:
    """One index writer at a time, across processes; released by the OS if we are killed."""
    with ExitStack() as held:
        try:
            held.enter_context(data_dir.lock("index"))
        except Locked as e:
            raise IndexLocked(f"another hparkiv update is writing the index (pid {e.holder})") from None
        yield


def _rebuild(backend: Backend, conn, progress: Progress | None) -> IndexSummary:
    versions = catalog.list_versions(conn, catalog.Filters(all_versions=True))
    lexicon, common = corpus_stats(p.text for _v, p in catalog.current_pages(conn))
    numbers = catalog.version_numbers(conn)
    writer = backend.writer(rebuild=True, lexicon=lexicon, common=common)
    summary = IndexSummary(rebuilt=True)
    try:
        for n, v in enumerate(versions, 1):
            summary.pages += writer.add_version(v, numbers.get(v.sha256, 1), pages_of(conn, v))
            summary.documents += 1
            if progress:
                progress(n, len(versions))
        refused = set(writer.finish())
    except BaseException:
        writer.abort()
        raise
    summary.refused = len(refused)
    catalog.mark_indexed(conn, [v.sha256 for v in versions if v.sha256 not in refused])
    return summary


def _incremental(backend: Backend, conn, progress: Progress | None) -> IndexSummary:
    dirty = catalog.dirty_versions(conn)
    summary = IndexSummary()
    if not dirty:
        return summary
    numbers = catalog.version_numbers(conn, [v.sha256 for v in dirty])
    writer: IndexWriter = backend.writer(rebuild=False)
    try:
        batch: list[str] = []
        pages_in_batch = 0
        for n, v in enumerate(dirty, 1):
            summary.deleted += writer.delete_version(v.sha256)
            added = writer.add_version(v, numbers.get(v.sha256, 1), pages_of(conn, v))
            summary.pages += added
            summary.documents += 1
            pages_in_batch += added
            batch.append(v.sha256)
            if pages_in_batch >= BATCH_PAGES:
                _mark(conn, batch, writer.commit(), summary)
                batch, pages_in_batch = [], 0
            if progress:
                progress(n, len(dirty))
        _mark(conn, batch, writer.finish(), summary)
    except BaseException:
        writer.abort()
        raise
    return summary


def _mark(conn, batch: list[str], refused: list[str], summary: IndexSummary) -> None:
    refused_set = set(refused)
    summary.refused += len(refused_set)
    catalog.mark_indexed(conn, [s for s in batch if s not in refused_set])


def pages_of(conn, v: Version) -> list[PageDoc]:
    """Every extracted page of a version, with its tables."""
    tables_by_page: dict[int, list] = {}
    for t in catalog.tables_of(conn, v.sha256):
        tables_by_page.setdefault(t.page, []).append(t)
    return [PageDoc(p.page, p.text, tables_by_page.get(p.page, [])) for p in catalog.pages_of(conn, v.sha256)]


def _vedtak(backend: Backend, conn) -> int:
    """Rebuild the vedtak index whole (they are few: one per agenda item or text decision)."""
    from catalog.vedtak import list_vedtak
    from index.vedtak import vedtak_text

    found = list_vedtak(conn, catalog.Filters(all_versions=True))
    return backend.replace_vedtak([(f"{v.sha256}:{d.seq}", vedtak_text(d)) for v, d in found])
