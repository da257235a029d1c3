"""The Whoosh index on disk: generations, the page writer, and a killed writer's leftovers.

Layout: `data_dir.index` is a symlink to a generation directory (`index.g<N>`) beside it.
Incremental updates commit into the current generation (Whoosh commits swap the TOC
atomically, so readers see either the old or the new state). A rebuild writes a new
generation and then replaces the symlink with one rename, so a search running during a
rebuild keeps seeing the last committed index. A version stays dirty in the catalog
until the commit that holds it has succeeded (index/writer.py), so a killed run is repaired
by the next.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from whoosh import index as whoosh_index
from whoosh.codec.whoosh3 import W3Codec
from whoosh.filedb.filestore import FileStorage
from whoosh.writing import SegmentWriter

from catalog import DataDir, Version
from index.backend import PageDoc
from index.postings import PageWriter, remove_unreferenced_files, segment_count
from index.schema import make_schema, page_document

WRITER_MB = 256
REBUILD_PROCS = 1  # measured: 2 processes + the final merge took twice as long (2 cores)
# zlib level for posting blocks (Whoosh's default 3); see docs/benchmarks.md "## Search".
COMPRESSION = 0


def index_exists(data_dir: DataDir) -> bool:
    """A readable index is there (a garbled one counts as none: the next update rebuilds it)."""
    path = data_dir.index
    try:
        return path.is_dir() and whoosh_index.exists_in(str(path))
    except Exception:  # Whoosh raises assorted errors for a garbled TOC
        return False


def prepare(data_dir: DataDir) -> bool:
    """Remove a killed writer's leftovers; True when the current index can take an update in
    place (it exists, opens, and has every current field)."""
    readable = _clean_stale(data_dir)
    return readable and index_exists(data_dir) and not _outdated(data_dir)


class WhooshWriter:
    """One update's writes: into the current generation, or (`rebuild`) into a new one that
    `finish` swaps in."""

    def __init__(self, data_dir: DataDir, *, rebuild: bool, lexicon: frozenset[str] = frozenset(),
                 common: frozenset[str] = frozenset()) -> None:
        self.data_dir = data_dir
        self.rebuild = rebuild
        self.gen_dir: Path | None = None
        self.writer: SegmentWriter | None = None
        if not rebuild:
            self.ix = whoosh_index.open_dir(str(data_dir.index))
            return
        self.gen_dir = _new_generation_dir(data_dir)
        try:
            self.ix = whoosh_index.create_in(str(self.gen_dir), make_schema(lexicon, common))
            # Several processes analyse in parallel, each writing its own segment; they are
            # merged into one at the end, since one segment answers queries fastest.
            procs = max(1, min(REBUILD_PROCS, os.cpu_count() or 1))
            if procs > 1:
                self.writer = self.ix.writer(procs=procs, limitmb=WRITER_MB // procs, multisegment=True)
            else:
                # One plain segment file set (compound=False): no copy of the whole segment
                # into one compound file at the end.
                self.writer = PageWriter(self.ix, limitmb=WRITER_MB, compound=False,
                                         codec=W3Codec(compression=COMPRESSION))
        except BaseException:
            shutil.rmtree(self.gen_dir, ignore_errors=True)
            raise

    def _writer(self) -> SegmentWriter:
        if self.writer is None:
            self.writer = PageWriter(self.ix, limitmb=WRITER_MB)
        return self.writer

    def add_version(self, version: Version, number: int, pages: list[PageDoc]) -> int:
        writer = self._writer()
        for p in pages:
            writer.add_document(**page_document(version, p.page, p.text, p.tables))
        return len(pages)

    def delete_version(self, sha256: str) -> int:
        return self._writer().delete_by_term("sha256", sha256)

    def commit(self) -> list[str]:
        if self.writer is not None:
            self.writer.commit()
            self.writer = None
        return []

    def finish(self) -> list[str]:
        try:
            self.commit()
            if self.rebuild and segment_count(self.ix) > 1:
                self.ix.optimize()
        except BaseException:
            self.abort()
            raise
        self.ix.close()
        if self.gen_dir is not None:
            _swap_in(self.data_dir, self.gen_dir)
        return []

    def abort(self) -> None:
        if self.writer is not None:
            try:
                self.writer.cancel()
            except Exception:  # noqa: BLE001 - a writer that failed mid-commit; its files go below or next run
                pass
            self.writer = None
        self.ix.close()
        if self.gen_dir is not None:
            shutil.rmtree(self.gen_dir, ignore_errors=True)


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
