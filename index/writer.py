"""Keeping the index in step with the catalog: incremental updates and full rebuilds.

Layout: `data_dir.index` is a symlink to a generation directory (`index.g<N>`) beside it.
Incremental updates commit into the current generation (Whoosh commits swap the TOC
atomically, so readers see either the old or the new state). A rebuild writes a new
generation and then replaces the symlink with one rename, so a search running during a
rebuild keeps seeing the last committed index. A version stays dirty in the catalog
until the commit that holds it has succeeded, so a killed run is repaired by the next.
"""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path

from whoosh import index as whoosh_index
from whoosh.codec.whoosh3 import W3Codec
from whoosh.filedb.filestore import FileStorage
from whoosh.writing import SegmentWriter

import catalog
from catalog import DataDir, Version
from catalog.locks import Locked
from index.analysis import corpus_stats
from index.errors import IndexLocked
from index.postings import PageWriter, remove_unreferenced_files, segment_count
from index.schema import make_schema, page_document

Progress = Callable[[int, int], None]  # (versions done, versions total)

BATCH_PAGES = 20_000  # an incremental update commits (and marks indexed) every this many pages
WRITER_MB = 256
REBUILD_PROCS = 1  # measured: 2 processes + the final merge took twice as long (2 cores)
# zlib level for posting blocks (Whoosh's default 3); see docs/benchmarks.md "## Search".
COMPRESSION = 0


@dataclass
class IndexSummary:
    documents: int = 0  # document versions (re)indexed
    pages: int = 0  # pages added
    deleted: int = 0  # index documents removed
    rebuilt: bool = False
    decisions: int = 0  # vedtak in the vedtak index (index/vedtak.py); the name runs' stats have always shown
    seconds: float = 0.0


def index_exists(data_dir: DataDir) -> bool:
    """A readable index is there (a garbled one counts as none: the next update rebuilds it)."""
    path = data_dir.index
    try:
        return path.is_dir() and whoosh_index.exists_in(str(path))
    except Exception:  # Whoosh raises assorted errors for a garbled TOC
        return False


def update_index(data_dir: DataDir, *, rebuild: bool = False, progress: Progress | None = None) -> IndexSummary:
    """Bring the index up to date with the catalog (or rebuild it from scratch)."""
    started = time.monotonic()
    with writer_lock(data_dir):
        conn = catalog.connect(data_dir)
        try:
            run_id = catalog.start_run(conn, "index")
            readable = _clean_stale(data_dir)
            if rebuild or not readable or not index_exists(data_dir) or _outdated(data_dir):
                summary = _rebuild(data_dir, conn, progress)
            else:
                summary = _incremental(data_dir, conn, progress)
            from index.vedtak import build_vedtak_index

            summary.decisions = build_vedtak_index(data_dir)
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


# --- full rebuild --------------------------------------------------------------------------


def _rebuild(data_dir: DataDir, conn, progress: Progress | None) -> IndexSummary:
    versions = _all_versions(conn)
    lexicon, common = corpus_stats(p.text for _v, p in catalog.current_pages(conn))
    gen_dir = _new_generation_dir(data_dir)
    try:
        ix = whoosh_index.create_in(str(gen_dir), make_schema(lexicon, common))
        # Several processes analyse in parallel, each writing its own segment; they are
        # merged into one at the end, since one segment answers queries fastest.
        procs = max(1, min(REBUILD_PROCS, os.cpu_count() or 1))
        if procs > 1 and len(versions) > 20:
            writer = ix.writer(procs=procs, limitmb=WRITER_MB // procs, multisegment=True)
        else:
            # One plain segment file set (compound=False): no copy of the whole segment
            # into one compound file at the end.
            writer = PageWriter(ix, limitmb=WRITER_MB, compound=False,
                                codec=W3Codec(compression=COMPRESSION))
        summary = IndexSummary(rebuilt=True)
        for n, v in enumerate(versions, 1):
            summary.pages += _add_version(writer, conn, v)
            summary.documents += 1
            if progress:
                progress(n, len(versions))
        writer.commit()
        if segment_count(ix) > 1:
            ix.optimize()
        ix.close()
    except BaseException:
        shutil.rmtree(gen_dir, ignore_errors=True)
        raise
    _swap_in(data_dir, gen_dir)
    catalog.mark_indexed(conn, [v.sha256 for v in versions])
    return summary


def _outdated(data_dir: DataDir) -> bool:
    """An index from before a field was added (folding, case numbers, titles), or from
    before folding came before stemming, is rebuilt."""
    from index.schema import CURRENT_FIELDS

    try:
        ix = whoosh_index.open_dir(str(data_dir.index))
    except Exception:  # noqa: BLE001 - unreadable: the caller's other checks decide
        return False
    try:
        if any(name not in ix.schema for name in CURRENT_FIELDS):
            return True
        return not getattr(ix.schema["folded"], "folds_first", False)
    finally:
        ix.close()


def _all_versions(conn) -> list[Version]:
    return catalog.list_versions(conn, catalog.Filters(all_versions=True))


def _generation(path: Path) -> int | None:
    suffix = path.name[len("index.g"):]
    return int(suffix) if path.name.startswith("index.g") and suffix.isdigit() else None


def _new_generation_dir(data_dir: DataDir) -> Path:
    n = 1
    for p in data_dir.root.glob("index.g*"):
        g = _generation(p)
        if g is not None:
            n = max(n, g + 1)
    gen_dir = data_dir.root / f"index.g{n}"
    gen_dir.mkdir(parents=True)
    return gen_dir


def _swap_in(data_dir: DataDir, gen_dir: Path) -> None:
    """Point `index` at gen_dir with one atomic rename; keep the previous generation for open readers."""
    link = data_dir.index
    if link.exists() and not link.is_symlink():
        # An index directory from before generations: move it aside (one short gap).
        legacy = data_dir.root / "index.g0"
        shutil.rmtree(legacy, ignore_errors=True)
        os.rename(link, legacy)
    tmp_link = data_dir.root / f".index-link-{os.getpid()}"
    tmp_link.unlink(missing_ok=True)
    os.symlink(gen_dir.name, tmp_link)
    os.replace(tmp_link, link)
    _fsync_dir(data_dir.root)
    # Remove generations older than the previous one (a reader may still hold the previous).
    current = _generation(gen_dir) or 0
    for p in data_dir.root.glob("index.g*"):
        g = _generation(p)
        if g is not None and g < current - 1:
            shutil.rmtree(p, ignore_errors=True)


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


# --- incremental ---------------------------------------------------------------------------


def _incremental(data_dir: DataDir, conn, progress: Progress | None) -> IndexSummary:
    dirty = catalog.dirty_versions(conn)
    summary = IndexSummary()
    if not dirty:
        return summary
    ix = whoosh_index.open_dir(str(data_dir.index))
    try:
        batch: list[str] = []
        pages_in_batch = 0
        writer = PageWriter(ix, limitmb=WRITER_MB)
        for n, v in enumerate(dirty, 1):
            summary.deleted += writer.delete_by_term("sha256", v.sha256)
            added = _add_version(writer, conn, v)
            summary.pages += added
            summary.documents += 1
            pages_in_batch += added
            batch.append(v.sha256)
            if pages_in_batch >= BATCH_PAGES:
                writer.commit()
                catalog.mark_indexed(conn, batch)
                batch, pages_in_batch = [], 0
                writer = PageWriter(ix, limitmb=WRITER_MB)
            if progress:
                progress(n, len(dirty))
        writer.commit()
        catalog.mark_indexed(conn, batch)
    finally:
        ix.close()
    return summary


def _add_version(writer: SegmentWriter, conn, v: Version) -> int:
    """Add every extracted page of a version (with its tables); returns the page count."""
    tables_by_page: dict[int, list] = {}
    for t in catalog.tables_of(conn, v.sha256):
        tables_by_page.setdefault(t.page, []).append(t)
    n = 0
    for p in catalog.pages_of(conn, v.sha256):
        writer.add_document(**page_document(v, p.page, p.text, tables_by_page.get(p.page, [])))
        n += 1
    return n


def indexed_pages(data_dir: DataDir) -> list[tuple[str, int]]:
    """(sha256, page) of every page in the committed index, duplicates kept (for `hparkiv check`)."""
    from index.errors import IndexMissing

    if not index_exists(data_dir):
        raise IndexMissing()
    ix = whoosh_index.open_dir(str(data_dir.index))
    try:
        with ix.searcher() as s:
            return [(f["sha256"], f["page"]) for f in s.all_stored_fields()]
    finally:
        ix.close()


# --- crash leftovers -----------------------------------------------------------------------


def _clean_stale(data_dir: DataDir) -> bool:
    """Remove what a killed writer left: half-built generations and Whoosh's stale files.

    Returns False when the current index cannot be opened at all (it must be rebuilt).

    Called with the writer lock held, so nothing here belongs to a live writer.
    """
    current = _generation(data_dir.index.resolve()) if data_dir.index.is_symlink() else None
    for p in data_dir.root.glob(".index-link-*"):
        p.unlink(missing_ok=True)
    for p in data_dir.root.glob("index.g*"):
        n = _generation(p)
        if n is not None and (current is None or n > current):
            shutil.rmtree(p, ignore_errors=True)  # a rebuild that was never swapped in
    if index_exists(data_dir):
        storage = FileStorage(str(data_dir.index))
        for name in storage.list():
            if name.endswith(".lock"):
                storage.delete_file(name)
        # Segment files no TOC refers to (an uncommitted writer's) would go on the next
        # commit; remove them now, so a killed run leaves no disk space behind.
        try:
            ix = whoosh_index.open_dir(str(data_dir.index))
        except Exception:  # a garbled TOC raises anything; the caller rebuilds
            return False
        try:
            remove_unreferenced_files(storage, ix)
        finally:
            ix.close()
    return True
