"""Searching the index: ranked page hits with snippets, facets and per-year trends.

A process keeps one searcher open per index generation, with the per-page facet columns
(year, committee, type, version) read once into lists: facet counts and trends are then
a C-speed `Counter` over the matching page numbers instead of Whoosh's grouping collector.
Snippets are cut from the catalog's page text for the hits on screen only.
"""

from __future__ import annotations

import heapq
import json
import os
import re
import sqlite3
import threading
from bisect import bisect_left
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import accumulate, islice
from typing import Any

from whoosh import index as whoosh_index
from whoosh import query as Q
from whoosh.codec.whoosh3 import LENGTHS_COLUMN, _lenfield
from whoosh.collectors import FilterCollector, TopCollector, UnlimitedCollector
from whoosh.filedb.filestore import FileStorage
from whoosh.matching.wrappers import FilterMatcher
from whoosh.reading import TermNotFound
from whoosh.scoring import BM25F
from whoosh.searching import Searcher
from whoosh.util.numeric import byte_to_length

from catalog.models import Filters, Table
from catalog.paths import DataDir
from index.analysis import STOPWORDS, WORD_RE, DecompoundFilter, split_compound, stem
from index.errors import IndexMissing, QueryError
from index.query import MAX_PREFIX_TERMS, Highlight, filter_query, fix_negations, pair_phrases, parse
from index.rank import summable, top_docs
from index.schema import FACET_FIELDS, page_text

SNIPPET_CHARS = 240
# Whoosh's pruning collector was measured to drop better pages; it is used only when more
# pages match than scoring them all (~10 µs a page) can afford.
EXACT_COLLECT_UP_TO = 5000
MARK_OPEN, MARK_CLOSE = "[[", "]]"


@dataclass
class Hit:
    doc_id: str
    url: str
    title: str | None
    year: int | None
    period: str | None
    committee: str | None
    doctype: str | None
    date: str | None
    page: int
    score: float
    snippet: str
    sha256: str = ""


@dataclass
class SearchResult:
    query: str
    total: int
    hits: list[Hit]
    facets: dict[str, dict[str, int]] = field(default_factory=dict)


@dataclass
class TrendRow:
    year: int
    pages: int
    documents: int


# --- the open index --------------------------------------------------------------------------


@dataclass
class _Open:
    key: tuple[str, int]
    searcher: Searcher
    columns: dict[str, list[Any]] = field(default_factory=dict)
    value_docs: dict[str, list[tuple[Any, set[int]]]] = field(default_factory=dict)
    superseded: set[int] | None = None
    decompound: DecompoundFilter | None = None
    snippet_parts: _SnippetParts | None = None

    def column(self, name: str) -> list[Any]:
        """Every page's value of a sortable field, by document number (read once)."""
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
                got.append((value, _term_docs(self.searcher, name, value)))
            self.value_docs[name] = got
        return got

    def superseded_docs(self) -> set[int]:
        if self.superseded is None:
            self.superseded = _term_docs(self.searcher, "superseded", True)
        return self.superseded


_open: dict[str, _Open] = {}
_lock = threading.Lock()


def open_index(data_dir: DataDir) -> _Open:
    """The searcher for the index's latest committed generation (reopened when it changes)."""
    path = str(data_dir.index)
    real = os.path.realpath(path)
    try:
        storage = FileStorage(real)
        gen = whoosh_index.TOC._latest_generation(storage, whoosh_index._DEF_INDEX_NAME)
    except OSError:
        gen = -1
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
        opened = _Open(key, ix.searcher(weighting=ListLengthBM25F()))
        for item in getattr(opened.searcher.schema["parts"].analyzer, "items", []):
            if isinstance(item, DecompoundFilter):
                opened.decompound = item
                opened.snippet_parts = _SnippetParts(item.lexicon)
        if cur is not None:
            cur.searcher.close()
        _open[path] = opened
        return opened


class ListLengthBM25F(BM25F):
    """Whoosh's BM25F, with each segment's field lengths decoded once into a list.

    The stock scorer asks the searcher for a document's field length at every posting it
    scores (a column read and decode each time, ~20% of a scored query). Here a segment's
    one-byte length column is read as a whole and decoded through a 256-entry table; the
    scores are the same numbers. Falls back to the stock scorer if the layout differs.
    """

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._lists: dict[tuple[int, str], list[float] | None] = {}

    def scorer(self, searcher, fieldname, text, qf=1):
        sc = super().scorer(searcher, fieldname, text, qf=qf)
        if hasattr(sc, "dfl"):
            lengths = self._lengths(searcher.reader(), fieldname)
            if lengths is not None:
                sc.dfl = lengths.__getitem__
        return sc

    def _lengths(self, reader, fieldname: str) -> list[float] | None:
        key = (id(reader), fieldname)
        if key not in self._lists:
            self._lists[key] = _read_lengths(reader, fieldname)
        return self._lists[key]


_LENGTH_TABLE = [1, *(byte_to_length(b) for b in range(1, 256))]  # byte 0: no length, Whoosh's default 1


def _read_lengths(reader, fieldname: str) -> list[float] | None:
    try:
        col = reader._perdoc._cached_reader(_lenfield(fieldname), LENGTHS_COLUMN)
        if col is None or col._fixedlen != 1:
            return None
        raw = col._dbfile.get(col._basepos, col._count)
        n = reader.doc_count_all()
    except (AttributeError, TypeError):
        return None
    table = _LENGTH_TABLE
    out = list(map(table.__getitem__, raw))
    out.extend([1] * (n + 1 - len(out)))
    return out


def close_all() -> None:
    """Close the cached searchers (tests; a long-lived process can ignore this)."""
    with _lock:
        for o in _open.values():
            o.searcher.close()
        _open.clear()


# --- search ----------------------------------------------------------------------------------


def search(
    data_dir: DataDir,
    query: str,
    filters: Filters | None = None,
    *,
    limit: int | None = 20,
    offset: int = 0,
    facets: bool = True,
) -> SearchResult:
    """Pages matching `query` within `filters`, best first; `limit=None` returns every hit."""
    filters = filters or Filters()
    ix = open_index(data_dir)
    parsed = parse(query)
    core = _core_query(ix, parsed.query, parsed.prefixes)
    searcher = ix.searcher

    # The exact match set comes from the posting lists as doc-number sets (no scoring),
    # filters and superseded versions applied. Ranking scores the query without its
    # filters (filters restrict, they never change a score) over exactly that set.
    docs = _matching_docs(ix, _with_filters(core, filters), filters)
    total = len(docs)
    hits: list[Hit] = []
    wanted = None if limit is None else offset + limit
    if total and (wanted is None or wanted > offset):
        ranked = top_docs(searcher, core, docs, wanted, ix.key)
        if ranked is None and total <= EXACT_COLLECT_UP_TO:
            ranked = _score_each(searcher, core, docs, wanted)
        if ranked is None:
            ranked = _collect(searcher, core, docs, wanted, total, prune=not summable(core))
        chosen = ranked[offset:wanted]
        hits = _hits(ix, data_dir, chosen, parsed.highlight)
    counts = _facets(ix, docs) if facets else {}
    return SearchResult(query=query, total=total, hits=hits, facets=counts)


def _collect(searcher: Searcher, q: Q.Query, allow: set[int], wanted: int | None, total: int,
             prune: bool = True) -> list[tuple[int, float]]:
    """The top `wanted` (docnum, score) by Whoosh's own collector.

    Whoosh's top-N pruning (matcher replacement by max quality, block-quality skipping)
    was measured to drop better pages (`budsjett` at 100,000 pages: its top 20 missed the
    best-scored page), so queries `top_docs` ranks exactly are, when they fall back here
    (few matches), collected with every match scored (`prune=False`).
    """
    collector = UnlimitedCollector() if not prune or wanted is None or wanted >= total else TopCollector(limit=wanted)
    searcher.search_with_collector(q, FilterCollector(collector, allow=allow))
    return [(h.docnum, h.score) for h in islice(collector.results(), wanted)]


def _score_each(searcher: Searcher, q: Q.Query, docs: set[int], wanted: int | None) -> list[tuple[int, float]]:
    """Exact scores of a small match set: the query's matcher skips from one page of the set
    to the next, so a filtered search costs its few pages, not the unfiltered query's many.

    Ordered as Whoosh's collectors order (score descending, then page number).
    """
    context = searcher.context()
    scored: list[tuple[int, float]] = []
    ordered = sorted(docs)
    for subsearcher, offset in searcher.leaf_searchers():
        end = offset + subsearcher.doc_count_all()
        matcher = q.matcher(subsearcher, context)
        for d in ordered[bisect_left(ordered, offset):bisect_left(ordered, end)]:
            local = d - offset
            if not matcher.is_active():
                break
            if matcher.id() < local:
                matcher.skip_to(local)
                if not matcher.is_active():
                    break
            if matcher.id() == local:
                scored.append((d, matcher.score()))
    key = lambda pair: (-pair[1], pair[0])  # noqa: E731
    return heapq.nsmallest(wanted, scored, key=key) if wanted is not None else sorted(scored, key=key)


def trend(data_dir: DataDir, query: str, filters: Filters | None = None) -> list[TrendRow]:
    """Matching pages and documents per budget year, oldest first (pages without a year left out)."""
    filters = filters or Filters()
    ix = open_index(data_dir)
    parsed = parse(query)
    q = _full_query(ix, parsed.query, parsed.prefixes, filters)
    docs = _matching_docs(ix, q, filters)
    years = ix.column("year")
    shas = ix.column("sha256")
    pages: Counter[int] = Counter()
    versions: dict[int, set[str]] = {}
    for d in docs:
        y = years[d]
        if y:
            pages[y] += 1
            versions.setdefault(y, set()).add(shas[d])
    return [TrendRow(y, pages[y], len(versions[y])) for y in sorted(pages)]


def _full_query(ix: _Open, q: Q.Query, prefixes: list[str], filters: Filters) -> Q.Query:
    return _with_filters(_core_query(ix, q, prefixes), filters)


def _with_filters(q: Q.Query, filters: Filters) -> Q.Query:
    fq = filter_query(filters)
    return q if fq is None else Q.And([q, _zero_boost(fq)])


def _core_query(ix: _Open, q: Q.Query, prefixes: list[str]) -> Q.Query:
    """The parsed query made ready to run (prefix limits, negations, word pairs), without filters."""
    reader = ix.searcher.reader()
    for p in prefixes:
        n = sum(1 for _ in islice(reader.expand_prefix("exact", p), MAX_PREFIX_TERMS + 1))
        if n > MAX_PREFIX_TERMS:
            raise QueryError(f"{p}* matches too many words (over {MAX_PREFIX_TERMS}): use a longer prefix")
    q = fix_negations(q)
    pairs = ix.searcher.schema["pairs"] if "pairs" in ix.searcher.schema else None
    if pairs is not None:  # indexes built before the pairs field keep plain Phrase queries
        q = pair_phrases(q, pairs.common)
    return q


def _zero_boost(q: Q.Query) -> Q.Query:
    """Filters restrict the hits but must not change their scores."""
    return Q.ConstantScoreQuery(q, score=0.0)


def _matching_docs(ix: _Open, q: Q.Query, filters: Filters) -> set[int]:
    docs = _docset(ix.searcher, q)
    if not filters.all_versions:
        docs -= ix.superseded_docs()
    return docs


def _docset(searcher: Searcher, q: Q.Query) -> set[int]:
    """Every document number matching `q`, exactly, by set algebra over posting lists.

    Terms are read a posting block at a time (no per-posting matcher calls, no scores);
    And / Or / AndNot become set intersection / union / difference. Phrases and anything
    else unusual fall back to Whoosh's own matcher, only over the candidates of the rest.
    """
    if isinstance(q, Q.Term):
        return _term_docs(searcher, q.fieldname, q.text)
    if isinstance(q, Q.ConstantScoreQuery):
        return _docset(searcher, q.child)
    if isinstance(q, Q.Or):
        # A word's exact form is on a subset of the pages of its stem (same page text, the
        # stemmed field only drops stop words): skip it, its posting list also carries
        # positions, which cost 4x a stem's list to read.
        stems = {c.text for c in q.subqueries if isinstance(c, Q.Term) and c.fieldname == "text"}
        out: set[int] = set()
        for c in q.subqueries:
            if (isinstance(c, Q.Term) and c.fieldname == "exact" and isinstance(c.text, str)
                    and c.text not in STOPWORDS and stem(c.text) in stems):
                continue
            out |= _docset(searcher, c)
        return out
    if isinstance(q, Q.And):
        # Smallest first; once the candidates are few against a child's posting list,
        # check them with that child's matcher (skip_to jumps over whole blocks by their
        # max id without decoding them) instead of reading the whole list.
        reader = searcher.reader()
        sized = sorted(((_needs_matcher(c), c.estimate_size(reader), i, c) for i, c in enumerate(q.subqueries)),
                       key=lambda t: t[:3])
        out: set[int] | None = None
        for costly, size, _i, c in sized:
            if out is None:
                out = set(searcher.docs_for_query(c)) if costly else _docset(searcher, c)
            elif costly or len(out) * VERIFY_RATIO < size:
                out = _verify(searcher, c, out)
            else:
                out &= _docset(searcher, c)
            if not out:
                break
        return out or set()
    if isinstance(q, Q.AndNot):
        pos = _docset(searcher, q.a)
        return pos - _docset(searcher, q.b) if pos else pos
    if isinstance(q, (Q.Prefix, Q.TermRange, Q.NumericRange)):
        simple = q.simplify(searcher.reader())
        if simple is not q:
            return _docset(searcher, simple)
    return set(searcher.docs_for_query(q))


VERIFY_RATIO = 8  # check candidates by skipping when they are under 1/8 of the next list


def _needs_matcher(q: Q.Query) -> bool:
    """Queries whose matches are not a set expression of terms (phrases: positions)."""
    if isinstance(q, (Q.Term, Q.Prefix, Q.TermRange, Q.NumericRange)):
        return False
    if isinstance(q, Q.ConstantScoreQuery):
        return _needs_matcher(q.child)
    if isinstance(q, (Q.And, Q.Or)):
        return any(_needs_matcher(c) for c in q.subqueries)
    if isinstance(q, Q.AndNot):
        return _needs_matcher(q.a) or _needs_matcher(q.b)
    return True


def _verify(searcher: Searcher, q: Q.Query, candidates: set[int]) -> set[int]:
    """The candidates that `q` matches, by skipping its matcher to each candidate in turn."""
    out: set[int] = set()
    m = q.matcher(searcher)
    for d in sorted(candidates):
        if not m.is_active():
            break
        if m.id() < d:
            m.skip_to(d)
            if not m.is_active():
                break
        if m.id() == d:
            out.add(d)
    return out


def _term_docs(searcher: Searcher, fieldname: str, text: Any) -> set[int]:
    out: set[int] = set()
    for sub, base in searcher.leaf_searchers():
        reader = sub.reader()
        try:
            m = reader.postings(fieldname, text)
        except TermNotFound:
            continue
        deleted = None
        if isinstance(m, FilterMatcher) and hasattr(m.child, "_read_ids"):
            deleted, m = reader.deleted_docs_set, m.child
        if hasattr(m, "_read_ids") and hasattr(m, "_next_block"):
            # Whoosh 3 codec on-disk postings: whole blocks of ids at a time.
            ids: list[int] = []
            while m.is_active():
                if m._ids is None and m._i == 0 and hasattr(m, "_read_data") and not m._byteids:
                    # The block's delta-coded ids, summed in C (what _read_ids does in Python).
                    if m._data is None:
                        m._read_data()
                    ids.extend(accumulate(m._data[0]))
                else:
                    m._read_ids()
                    ids.extend(m._ids[m._i:])
                m._next_block()
        else:
            ids = list(m.all_ids())
        if base:
            ids = [d + base for d in ids]
        got = set(ids)
        if deleted:
            got -= {d + base for d in deleted}
        out |= got
    return out


def _facets(ix: _Open, docs: set[int]) -> dict[str, dict[str, int]]:
    """Pages per facet value among `docs`: one C-speed set intersection per value."""
    out: dict[str, dict[str, int]] = {}
    for name, fieldname in FACET_FIELDS.items():
        counts = [(k, len(docs.intersection(vdocs))) for k, vdocs in ix.facet_values(fieldname) if k]
        out[name] = {str(k): v for k, v in sorted(counts, key=lambda kv: (-kv[1], str(kv[0]))) if v}
    return out


# --- hits and snippets -----------------------------------------------------------------------


def _hits(ix: _Open, data_dir: DataDir, chosen: list[tuple[int, float]], hl: Highlight) -> list[Hit]:
    searcher = ix.searcher
    stored = [(searcher.stored_fields(d), score) for d, score in chosen]
    texts = _page_texts(data_dir, [(f["sha256"], f["page"]) for f, _ in stored])
    hits = []
    for f, score in stored:
        text = texts.get((f["sha256"], f["page"]), "")
        hits.append(
            Hit(
                doc_id=f.get("doc_id") or f["sha256"][:12], url=f.get("url") or "", title=f.get("title"),
                year=f.get("year"), period=f.get("period"), committee=f.get("committee"),
                doctype=f.get("doctype"), date=f.get("date"), page=f["page"], score=float(score),
                snippet=snippet(text, hl, ix.snippet_parts), sha256=f["sha256"],
            )
        )
    return hits


def _page_texts(data_dir: DataDir, keys: list[tuple[str, int]]) -> dict[tuple[str, int], str]:
    """The searchable text (page + table cells) of the hits on screen, from the catalog."""
    if not keys or not data_dir.catalog.exists():
        return {}
    conn = sqlite3.connect(f"file:{data_dir.catalog}?mode=ro", uri=True, timeout=30)
    try:
        out = {}
        for sha, page in keys:
            row = conn.execute("SELECT text FROM pages WHERE sha256=? AND page=?", (sha, page)).fetchone()
            rows = conn.execute(
                "SELECT idx, header, rows FROM tables WHERE sha256=? AND page=? ORDER BY idx", (sha, page)
            ).fetchall()
            tables = [Table(page, r[0], json.loads(r[1]), json.loads(r[2])) for r in rows]
            out[(sha, page)] = page_text(row[0] if row else "", tables)
        return out
    finally:
        conn.close()


_ESCAPE_RE = re.compile(r"\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)?|[@-Z\\-_])")
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2066-\u2069]")
_SENTENCE_END_RE = re.compile(r"[.!?](?=\s)|\n\s*\n")


def snippet(text: str, hl: Highlight, decompound: DecompoundFilter | _SnippetParts | None = None) -> str:
    """The sentence around the best match, query words marked [[like this]], one line."""
    text = _CONTROL_RE.sub(" ", _ESCAPE_RE.sub("", text).replace("[[", "[ [").replace("]]", "] ]"))
    seen: dict[str, bool] = {}  # a page repeats its words: decide each distinct word once
    matches = []
    lowered = text.lower()
    needles = hl.words | hl.stems | hl.prefixes
    # Every word _is_match accepts contains a query word, stem or prefix (stems are
    # prefixes of their words and of compound parts): find only those words, with one
    # regex, instead of testing every word of the page. Lowercasing that changes the
    # text's length would misalign positions: then every word is tested.
    if needles and len(lowered) == len(text):
        found = _needle_re(frozenset(needles)).finditer(lowered)
    else:
        found = WORD_RE.finditer(text) if needles else iter(())
    for m in found:
        w = text[m.start():m.end()]
        hit = seen.get(w)
        if hit is None:
            hit = seen[w] = _is_match(w, hl, decompound)
        if hit:
            matches.append((m.start(), m.end()))
    if not matches:
        return _clip(text, 0, 0)
    # The sentence with the most distinct matched words wins; the earliest on ties.
    bounds = [0, *(m.end() for m in _SENTENCE_END_RE.finditer(text)), len(text)]
    best, best_score = None, -1
    for lo, hi in zip(bounds, bounds[1:], strict=False):
        inside = {text[s:e].lower() for s, e in matches if lo <= s < hi}
        if len(inside) > best_score:
            best, best_score = (lo, hi), len(inside)
    lo, hi = best or (0, len(text))
    first = next(s for s, _e in matches if s >= lo)
    if hi - lo > SNIPPET_CHARS:
        lo = max(lo, first - SNIPPET_CHARS // 3)
        hi = min(hi, lo + SNIPPET_CHARS)
    pieces, pos = [], lo
    for s, e in matches:
        if s >= lo and e <= hi:
            pieces.append(text[pos:s])
            pieces.append(MARK_OPEN + text[s:e] + MARK_CLOSE)
            pos = e
    pieces.append(text[pos:hi])
    out = " ".join("".join(pieces).split())
    return ("… " if lo > 0 else "") + out + (" …" if hi < len(text) else "")


@lru_cache(maxsize=256)
def _needle_re(needles: frozenset[str]) -> re.Pattern[str]:
    """Whole words (\\w runs) that contain any of the needles."""
    alts = "|".join(re.escape(n) for n in sorted(needles, key=len, reverse=True))
    return re.compile(rf"\w*(?:{alts})\w*")


def _clip(text: str, lo: int, _hi: int) -> str:
    out = " ".join(text[lo:lo + SNIPPET_CHARS].split())
    return out + (" …" if len(text) > lo + SNIPPET_CHARS else "")


def _is_match(word: str, hl: Highlight, decompound: DecompoundFilter | _SnippetParts | None) -> bool:
    w = word.lower()
    if w in hl.words or any(w.startswith(p) for p in hl.prefixes):
        return True
    if not hl.stems:
        return False
    if stem(w) in hl.stems:
        return True
    # A part's stem is a prefix of the part, and a part a substring of the word: words
    # that contain no query stem cannot match through their parts (most words on a page).
    if decompound is None or not any(s in w for s in hl.stems):
        return False
    return any(stem(p) in hl.stems for p in decompound.parts(w))


class _PrefixStems:
    """`stem(x) in {stem(w) for w in lexicon}`, without stemming the whole lexicon.

    Equal stems share their first three letters (Norwegian Snowball stems of words of 4+
    letters keep at least three), so only the lexicon words with that prefix are stemmed.
    Stemming all 40,000 words up front cost a new `hparkiv search` process ~0.25 s.
    """

    def __init__(self, lexicon: frozenset[str]) -> None:
        self.by_prefix: dict[str, list[str]] = {}
        for w in lexicon:
            self.by_prefix.setdefault(w[:3], []).append(w)
        self.known: dict[str, bool] = {}

    def __contains__(self, st: object) -> bool:
        if not isinstance(st, str):
            return False
        got = self.known.get(st)
        if got is None:
            got = self.known[st] = any(stem(w) == st for w in self.by_prefix.get(st[:3], ()))
        return got


class _SnippetParts:
    """Compound parts for snippets, as DecompoundFilter.parts, with lazily stemmed lexicon."""

    def __init__(self, lexicon: frozenset[str]) -> None:
        self.lexicon = lexicon
        self._stems: _PrefixStems | None = None
        self._cache: dict[str, tuple[str, ...]] = {}

    def parts(self, word: str) -> tuple[str, ...]:
        got = self._cache.get(word)
        if got is None:
            if self._stems is None:
                self._stems = _PrefixStems(self.lexicon)
            got = tuple(split_compound(word, self.lexicon, self._stems))  # type: ignore[arg-type]
            if len(self._cache) > 100_000:
                self._cache.clear()
            self._cache[word] = got
        return got


def matching_pages(data_dir: DataDir, query: str, filters: Filters | None = None) -> list[tuple[str, int]]:
    """(sha256, page) of every match, unranked (for checks against the catalog)."""
    filters = filters or Filters()
    ix = open_index(data_dir)
    parsed = parse(query)
    docs = _matching_docs(ix, _full_query(ix, parsed.query, parsed.prefixes, filters), filters)
    out = []
    for d in sorted(docs):
        f = ix.searcher.stored_fields(d)
        out.append((f["sha256"], f["page"]))
    return out
