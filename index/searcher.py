"""The searcher cache: one open searcher per index generation, per process.

A search opens the index once and keeps it while the generation on disk is the same;
a new commit or rebuild is picked up by the next call. The per-page columns and each
facet value's page set are read once per generation.
"""

from __future__ import annotations

import os
import threading
from dataclasses import dataclass, field
from typing import Any

from whoosh import index as whoosh_index
from whoosh.searching import Searcher

from catalog.paths import DataDir
from index.analysis import DecompoundFilter
from index.docsets import term_docs
from index.errors import IndexMissing
from index.postings import ListLengthBM25F, latest_generation
from index.snippets import SnippetParts


@dataclass
class OpenIndex:
    """A committed index generation, opened, with what was read from it so far."""

    key: tuple[str, int]  # (real path, generation)
    searcher: Searcher
    columns: dict[str, list[Any]] = field(default_factory=dict)
    value_docs: dict[str, list[tuple[Any, set[int]]]] = field(default_factory=dict)
    superseded: set[int] | None = None
    decompound: DecompoundFilter | None = None
    snippet_parts: SnippetParts | None = None

    def column(self, name: str) -> list[Any]:
        """Every page's value of a sortable field, by page number (read once)."""
        col = self.columns.get(name)
        if col is None:
            col = list(self.searcher.reader().column_reader(name))
            self.columns[name] = col
        return col

    def facet_values(self, name: str) -> list[tuple[Any, set[int]]]:
        """Each value of a facet field with the set of pages that have it (read once).

        Read from the field's terms, not its column: a facet field has a handful of values,
        and their posting lists are read whole blocks at a time, where a column is decoded
        page by page (a new process paid ~40 ms per 10,000 pages for three columns).
        """
        got = self.value_docs.get(name)
        if got is None:
            schema_field = self.searcher.schema[name]
            reader = self.searcher.reader()
            got = []
            for btext in schema_field.sortable_terms(reader, name):
                value = schema_field.from_bytes(btext)
                got.append((value, term_docs(self.searcher, name, value)))
            self.value_docs[name] = got
        return got

    def superseded_docs(self) -> set[int]:
        if self.superseded is None:
            self.superseded = term_docs(self.searcher, "superseded", True)
        return self.superseded


_open: dict[str, OpenIndex] = {}
_lock = threading.Lock()


def open_index(data_dir: DataDir) -> OpenIndex:
    """The searcher for the index's latest committed generation (reopened when it changes)."""
    path = str(data_dir.index)
    real = os.path.realpath(path)
    gen = latest_generation(real)
    if gen < 0:
        raise IndexMissing()
    key = (real, gen)
    with _lock:
        cur = _open.get(path)
        if cur is not None and cur.key == key:
            return cur
        try:
            ix = whoosh_index.open_dir(real)
        except (OSError, whoosh_index.EmptyIndexError):
            raise IndexMissing() from None
        opened = OpenIndex(key, ix.searcher(weighting=ListLengthBM25F()))
        for item in getattr(opened.searcher.schema["parts"].analyzer, "items", []):
            if isinstance(item, DecompoundFilter):
                opened.decompound = item
                opened.snippet_parts = SnippetParts(item.lexicon)
        if cur is not None:
            cur.searcher.close()
        _open[path] = opened
        return opened


def close_all() -> None:
    """Close the cached searchers (tests; a long-lived process can ignore this)."""
    with _lock:
        for o in _open.values():
            o.searcher.close()
        _open.clear()
