"""The searcher cache: one open searcher per index generation and per thread.

A search opens the index once and keeps it while the generation on disk is the same; a
new commit or rebuild is picked up by the next call. Reads are safe from any number of
threads at once: Whoosh reads its files through file objects that seek and then read, so
two searches sharing a searcher garble each other's reads; each thread therefore opens
its own searcher. What is read from a generation once and never changes (the per-page
columns, each facet value's page set, the superseded pages, the compound lexicon of the
snippets) is shared by the threads, so a new thread pays only for opening the files.
"""

from __future__ import annotations

import os
import threading
import weakref
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from whoosh import index as whoosh_index
from whoosh.searching import Searcher

from catalog.paths import DataDir
from index.analysis import DecompoundFilter
from index.docsets import term_docs
from index.errors import IndexMissing, IndexOutdated
from index.postings import ListLengthBM25F, latest_generation
from index.schema import CURRENT_FIELDS

if TYPE_CHECKING:
    from index.spelling import IndexSpelling
from index.snippets import SnippetParts


@dataclass(eq=False)
class Generation:
    """What every thread's searcher of one committed generation shares (read once, never changed)."""

    key: tuple[str, int]  # (real path, generation)
    columns: dict[str, list[Any]] = field(default_factory=dict)
    value_docs: dict[str, list[tuple[Any, set[int]]]] = field(default_factory=dict)
    superseded: set[int] | None = None
    document_pages: dict[str, set[int]] | None = None  # sha256 -> its pages' doc numbers
    snippet_parts: SnippetParts | None = None
    spelling: dict[str, Any] = field(default_factory=dict)  # index.spelling's vocabulary and corrections


@dataclass(eq=False)
class OpenIndex:
    """A committed index generation, opened by this thread, with what was read from it so far."""

    key: tuple[str, int]  # (real path, generation)
    searcher: Searcher
    shared: Generation
    decompound: DecompoundFilter | None = None

    @property
    def snippet_parts(self) -> SnippetParts | None:
        return self.shared.snippet_parts

    def column(self, name: str) -> list[Any]:
        """Every page's value of a sortable field, by page number (read once per generation)."""
        col = self.shared.columns.get(name)
        if col is None:
            col = self.shared.columns.setdefault(name, list(self.searcher.reader().column_reader(name)))
        return col

    def facet_values(self, name: str) -> list[tuple[Any, set[int]]]:
        """Each value of a facet field with the set of pages that have it (read once per generation).

        Read from the field's terms, not its column: a facet field has a handful of values,
        and their posting lists are read whole blocks at a time, where a column is decoded
        page by page (a new process paid ~40 ms per 10,000 pages for three columns).
        """
        got = self.shared.value_docs.get(name)
        if got is None:
            schema_field = self.searcher.schema[name]
            reader = self.searcher.reader()
            got = []
            for btext in schema_field.sortable_terms(reader, name):
                value = schema_field.from_bytes(btext)
                got.append((value, term_docs(self.searcher, name, value)))
            got = self.shared.value_docs.setdefault(name, got)
        return got

    def spelling(self) -> IndexSpelling:
        """Close spellings from this generation's words (read once, when a query first needs them)."""
        from index.spelling import IndexSpelling, WhooshTerms

        return IndexSpelling(WhooshTerms(self.searcher), self.shared.spelling,
                             self.decompound.lexicon if self.decompound is not None else frozenset())

    def pages_of(self, sha256: str) -> set[int]:
        """The doc numbers of a document's pages (all documents' read once per generation), so
        counting a hit's matching pages costs its own pages, not every matching page."""
        by_sha = self.shared.document_pages
        if by_sha is None:
            by_sha = {}
            for docnum, sha in enumerate(self.column("sha256")):
                by_sha.setdefault(sha, set()).add(docnum)
            self.shared.document_pages = by_sha
        return by_sha.get(sha256, set())

    def superseded_docs(self) -> set[int]:
        if self.shared.superseded is None:
            self.shared.superseded = term_docs(self.searcher, "superseded", True)
        return self.shared.superseded


_generations: dict[str, Generation] = {}  # index path -> its latest generation's shared reads
_lock = threading.Lock()  # guards _generations and _every
_local = threading.local()  # .open: index path -> this thread's OpenIndex
_every: weakref.WeakSet[OpenIndex] = weakref.WeakSet()  # every thread's, for close_all


def open_index(data_dir: DataDir) -> OpenIndex:
    """This thread's searcher for the index's latest committed generation (reopened when it changes)."""
    path = str(data_dir.index)
    real = os.path.realpath(path)
    gen = latest_generation(real)
    if gen < 0:
        raise IndexMissing()
    key = (real, gen)
    mine: dict[str, OpenIndex] | None = getattr(_local, "open", None)
    if mine is None:
        mine = _local.open = {}
    cur = mine.get(path)
    if cur is not None and cur.key == key:
        return cur
    try:
        ix = whoosh_index.open_dir(real)
    except (OSError, whoosh_index.EmptyIndexError):
        raise IndexMissing() from None
    searcher = ix.searcher(weighting=ListLengthBM25F())
    if any(name not in searcher.schema for name in CURRENT_FIELDS):  # the writer rebuilds such an index
        searcher.close()
        raise IndexOutdated()
    decompound = next((item for item in getattr(searcher.schema["parts"].analyzer, "items", [])
                       if isinstance(item, DecompoundFilter)), None)
    with _lock:
        shared = _generations.get(path)
        if shared is None or shared.key != key:
            shared = _generations[path] = Generation(key)
        if shared.snippet_parts is None and decompound is not None:
            shared.snippet_parts = SnippetParts(decompound.lexicon)
        opened = OpenIndex(key, searcher, shared, decompound)
        _every.add(opened)
    if cur is not None and cur.key[1] >= 0:
        cur.searcher.close()
    mine[path] = opened
    return opened


def close_all() -> None:
    """Close every thread's cached searchers (tests; a long-lived process can ignore this).
    Call it only when no search is running."""
    with _lock:
        every = list(_every)
        _every.clear()
        _generations.clear()
    for o in every:
        o.searcher.close()
    for o in every:  # each thread finds its own closed, and opens the index again
        o.key = ("", -1)
