"""The one module that reaches into Whoosh's private, on-disk layout.

The speed work reads what Whoosh keeps behind its matcher and reader interfaces:
posting blocks (ids and weights a block at a time), each segment's one-byte field-length
column, the newest committed TOC generation, and the writer's per-document reader.
Everything here falls back to Whoosh's public, slower path when the layout is not the
one expected (Whoosh 2.7's `W3Codec`). Upgrading Whoosh means re-checking this file and
running `tests/test_rank.py` and `tests/test_index_analysis.py`.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from itertools import accumulate
from typing import Any

from whoosh import index as whoosh_index
from whoosh.codec.whoosh3 import LENGTHS_COLUMN, _lenfield
from whoosh.filedb.filestore import FileStorage
from whoosh.matching.wrappers import FilterMatcher
from whoosh.reading import TermNotFound
from whoosh.scoring import BM25F
from whoosh.searching import Searcher
from whoosh.util.numeric import byte_to_length
from whoosh.writing import SegmentWriter

# --- posting blocks ----------------------------------------------------------------------


@dataclass
class SegmentPostings:
    """A term's postings in one segment, read whole."""

    segment: Searcher  # the leaf searcher (its reader, its scorer)
    base: int  # the index-wide number of the segment's first page
    ids: list[int]  # the segment's page numbers, ascending, deleted pages included
    weights: list[float] | None  # the stored weight of each posting, when asked for
    deleted: set[int]  # the segment's deleted page numbers (still listed until a merge)


def term_postings(searcher: Searcher, fieldname: str, text: Any, *, weights: bool = False) -> Iterator[SegmentPostings]:
    """Each segment's postings of a term, a posting block at a time.

    Whoosh's matcher decodes and returns one posting per Python call; a W3 block is
    read here whole (its delta-coded ids summed in C, its weights as stored). Segments
    without the term are skipped.
    """
    for sub, base in searcher.leaf_searchers():
        reader = sub.reader()
        try:
            m = reader.postings(fieldname, text)
        except TermNotFound:
            continue
        deleted: set[int] = set()
        if isinstance(m, FilterMatcher) and _has_blocks(m.child):
            deleted, m = set(reader.deleted_docs_set), m.child
        ids: list[int] = []
        ws: list[float] | None = [] if weights else None
        if _has_blocks(m):
            while m.is_active():
                if m._data is None:
                    m._read_data()
                if m._byteids:
                    m._read_ids()
                    ids.extend(m._ids)
                else:
                    ids.extend(accumulate(m._data[0]))  # what _read_ids does, in C
                if ws is not None:
                    m._read_weights()
                    ws.extend(m._weights)
                m._next_block()
        else:
            while m.is_active():
                ids.append(m.id())
                if ws is not None:
                    ws.append(m.weight())
                m.next()
        yield SegmentPostings(sub, base, ids, ws, deleted)


def _has_blocks(m: object) -> bool:
    """A fresh W3 on-disk matcher (on its first block), whose blocks can be read whole."""
    return all(hasattr(m, a) for a in ("_read_data", "_read_ids", "_read_weights", "_next_block", "_byteids"))


# --- field lengths ----------------------------------------------------------------------


_LENGTH_TABLE = [1, *(byte_to_length(b) for b in range(1, 256))]  # byte 0: no length, Whoosh's default 1


def read_field_lengths(reader: Any, fieldname: str) -> list[float] | None:
    """Every page's length of a field in one segment, by page number (None: other layout).

    The column is one byte a page, read as a whole and decoded through a 256-entry table.
    """
    try:
        col = reader._perdoc._cached_reader(_lenfield(fieldname), LENGTHS_COLUMN)
        if col is None or col._fixedlen != 1:
            return None
        raw = col._dbfile.get(col._basepos, col._count)
        n = reader.doc_count_all()
    except (AttributeError, TypeError):
        return None
    out = list(map(_LENGTH_TABLE.__getitem__, raw))
    out.extend([1] * (n + 1 - len(out)))
    return out


class ListLengthBM25F(BM25F):
    """Whoosh's BM25F, with each segment's field lengths decoded once into a list.

    The stock scorer asks the searcher for a page's field length at every posting it
    scores (a column read and decode each time, ~20% of a scored query). Here the scorer
    looks lengths up in a list; the scores are the same numbers. Falls back to the stock
    scorer if the layout differs.
    """

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._lists: dict[tuple[int, str], list[float] | None] = {}

    def scorer(self, searcher, fieldname, text, qf=1):
        sc = super().scorer(searcher, fieldname, text, qf=qf)
        if hasattr(sc, "dfl"):
            lengths = self.field_lengths(searcher.reader(), fieldname)
            if lengths is not None:
                sc.dfl = lengths.__getitem__
        return sc

    def field_lengths(self, reader: Any, fieldname: str) -> list[float] | None:
        """A segment's field lengths (`read_field_lengths`), read once per reader."""
        key = (id(reader), fieldname)
        if key not in self._lists:
            self._lists[key] = read_field_lengths(reader, fieldname)
        return self._lists[key]


class _LengthCache:
    """A per-document reader whose field lengths are read once per field into a list.

    Whoosh's postings writer asks for the field length of every posting (for the blocks'
    min/max lengths); the plain reader decodes it from the column each time.
    """

    def __init__(self, pdr) -> None:
        self._pdr = pdr
        self._lengths: dict[str, list[int]] = {}

    def doc_field_length(self, docnum: int, fieldname: str, default: int = 0) -> int:
        col = self._lengths.get(fieldname)
        if col is None:
            pdr = self._pdr
            col = [pdr.doc_field_length(d, fieldname, default) for d in range(pdr.doc_count_all())]
            self._lengths[fieldname] = col
        return col[docnum]

    def __getattr__(self, name: str):
        return getattr(self._pdr, name)


class PageWriter(SegmentWriter):
    """Whoosh's segment writer, with field lengths cached while postings are written."""

    def per_document_reader(self):
        return _LengthCache(super().per_document_reader())


# --- generations and segments -------------------------------------------------------------


def latest_generation(path: str) -> int:
    """The newest committed TOC generation in an index directory; -1 when there is none.

    Read from the file names alone, without opening the index (a search checks this on
    every call to know whether its cached searcher is still current).
    """
    try:
        storage = FileStorage(path)
        return whoosh_index.TOC._latest_generation(storage, whoosh_index._DEF_INDEX_NAME)
    except OSError:
        return -1


def segment_count(ix: whoosh_index.Index) -> int:
    return len(ix._segments())


def remove_unreferenced_files(storage: FileStorage, ix: whoosh_index.Index) -> None:
    """Delete segment files that no committed TOC refers to (an uncommitted writer's)."""
    whoosh_index.clean_files(storage, ix.indexname, ix.latest_generation(), ix._segments())
