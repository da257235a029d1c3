"""Ranking a match set: BM25F scores, best first, the same numbers as Whoosh's collector.

`ranked` picks one of three ways, by what the query is and how many pages match:
bulk scoring (`top_docs`, below), each match scored by skipping the query's matcher to
it (`score_each`, few matches), or Whoosh's own collector (`collect`, everything else).

Whoosh's `TopCollector` scores every page it visits in Python (~10 µs a page) and, for
a query of two common words, block-quality skipping prunes nothing. When a query's score
is a sum of boosted BM25F term scores (terms, Or of terms, And at the top, the positive
side of AndNot, both sides of AndMaybe), each term's posting list can instead be read a
block at a time (ids and weights as stored) and scored with the same formula and the
same numbers, then summed into one list indexed by page. Anything else (phrases, prefix
and range queries, And under Or) returns None and keeps Whoosh's collector. Filters
are not part of the ranked query: they only narrow the match set, so they never change a score.
"""

from __future__ import annotations

import heapq
import threading
import weakref
from array import array
from bisect import bisect_left
from collections import deque
from itertools import islice
from operator import add, neg
from typing import Any

from whoosh import query as Q
from whoosh.collectors import FilterCollector, TopCollector, UnlimitedCollector
from whoosh.scoring import BM25FScorer
from whoosh.searching import Searcher

from index.postings import term_postings

# Whoosh's pruning collector was measured to drop better pages; it is used only when more
# pages match than scoring them all (~10 µs a page) can afford.
EXACT_COLLECT_UP_TO = 5000


def ranked(searcher: Searcher, q: Q.Query, docs: set[int], wanted: int | None,
           cache_key: object = None) -> list[tuple[int, float]]:
    """The `wanted` best (docnum, score) of the match set `docs` (all when None) for `q`."""
    got = top_docs(searcher, q, docs, wanted, cache_key)
    if got is None and len(docs) <= EXACT_COLLECT_UP_TO:
        got = score_each(searcher, q, docs, wanted)
    if got is None:
        got = collect(searcher, q, docs, wanted, len(docs), prune=not summable(q))
    return got


def collect(searcher: Searcher, q: Q.Query, allow: set[int], wanted: int | None, total: int,
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


def score_each(searcher: Searcher, q: Q.Query, docs: set[int], wanted: int | None) -> list[tuple[int, float]]:
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
    return heapq.nsmallest(wanted, scored, key=_collector_order) if wanted is not None \
        else sorted(scored, key=_collector_order)


def _collector_order(pair: tuple[int, float]) -> tuple[float, int]:
    return -pair[1], pair[0]


def top_docs(searcher: Searcher, q: Q.Query, docs: set[int], wanted: int | None,
             cache_key: object = None) -> list[tuple[int, float]] | None:
    """The `wanted` best (docnum, score) of `docs` (all when None), as Whoosh's collectors order
    them (score descending, then docnum ascending); None when `q`'s score is not a plain sum
    or when scoring the matches one by one is cheaper than reading whole posting lists.

    `cache_key` (the index generation) lets each summed group's per-page scores be kept
    for the next query (LRU, `CACHE_GROUPS` groups).
    """
    groups: list[list[tuple[Q.Term, float]]] = []
    if not _sum_groups(q, 1.0, groups) or not groups:
        return None
    keys = [(cache_key, tuple((t.fieldname, t.text, b) for t, b in g)) for g in groups]
    with _cache_lock:
        missing = [g for g, k in zip(groups, keys, strict=True) if cache_key is None or k not in _group_cache]
    if missing:
        reader = searcher.reader()
        postings = sum(reader.doc_frequency(t.fieldname, t.text) for g in missing for t, _b in g)
        if postings > POSTINGS_PER_MATCH * len(docs):
            return None  # few matches: Whoosh's matcher scores them faster
    n = searcher.doc_count_all() + 1
    arrays = []
    for g, k in zip(groups, keys, strict=True):
        with _cache_lock:
            got = _group_cache.pop(k, None) if cache_key is not None else None
        if got is None:
            got = _group_scores(searcher, g, n)
            if got is None:
                return None
        if cache_key is not None:
            with _cache_lock:
                _group_cache[k] = got  # most recently used last
                while len(_group_cache) > CACHE_GROUPS:
                    del _group_cache[next(iter(_group_cache))]
        arrays.append(got)
    ranked = list(docs)
    scores = map(arrays[0].__getitem__, ranked)
    for a in arrays[1:]:
        scores = map(add, scores, map(a.__getitem__, ranked))
    pairs = zip(scores, map(neg, ranked), strict=True)
    if wanted is None or wanted >= len(ranked):
        best = sorted(pairs, reverse=True)
    else:
        best = heapq.nlargest(wanted, pairs)
    return [(-negd, score) for score, negd in best]


POSTINGS_PER_MATCH = 20  # a posting read in bulk costs ~1/20 of a page scored by a matcher
CACHE_GROUPS = 16  # per-page score arrays kept (8 bytes a page: 0.8 MB each at 100,000 pages)
_group_cache: dict[tuple[object, tuple], array] = {}
# The score arrays are shared by every thread's searcher of a generation (the same pages, the
# same numbers); the lock guards the caches' bookkeeping, never the scoring.
_cache_lock = threading.Lock()


def _group_scores(searcher: Searcher, group: list[tuple[Q.Term, float]], n: int) -> array | None:
    """Every page's summed score for one group of terms (0.0 where none matches)."""
    acc = array("d", bytes(8 * n))
    for term, boost in group:
        for ids, scores in _term_scores(searcher, term.fieldname, term.text, boost):
            if ids is None:
                return None
            # acc[d] += s for every posting, with the loop in C (ids are unique within a term).
            deque(map(acc.__setitem__, ids, map(add, map(acc.__getitem__, ids), scores)), 0)
    return acc


def summable(q: Q.Query) -> bool:
    """Whether `q`'s score is a sum of term scores (what `top_docs` can rank)."""
    return _sum_groups(q, 1.0, [])


def _sum_groups(q: Q.Query, boost: float, out: list[list[tuple[Q.Term, float]]]) -> bool:
    """Split `q` into groups of (term, boost) whose sums add up to its score; False if they do not.

    An And is a sum only over pages that match all its children, which holds at the top
    (every ranked page is in the exact match set) but not under an Or, where a page that
    matches some of its children would get their scores too: each child of a top-level
    And (or the query itself) is one group of Or-ed terms.
    """
    if isinstance(q, Q.ConstantScoreQuery):
        # Filters never reach ranking (`search` ranks the query without them and applies
        # them to the match set). Should one appear, Whoosh scores it by its child's
        # matcher, not by `score`, which is not reproduced here: keep the collector.
        return False
    if getattr(q, "boost", 1.0) != 1.0 and not isinstance(q, (Q.And, Q.Or, Q.Term)):
        return False
    boost *= getattr(q, "boost", 1.0)
    if type(q) is Q.And:
        return all(_sum_groups(c, boost, out) for c in q.subqueries)
    if isinstance(q, Q.AndNot):
        return _sum_groups(q.a, boost, out)
    if type(q) is Q.AndMaybe:
        # Every ranked page matches `a`; `b` (a title boost) adds its terms where it matches.
        if not _sum_groups(q.a, boost, out):
            return False
        group_b: list[tuple[Q.Term, float]] = []
        out.append(group_b)
        return _sum_terms(q.b, boost, group_b)
    group: list[tuple[Q.Term, float]] = []
    out.append(group)
    return _sum_terms(q, boost, group)


def _sum_terms(q: Q.Query, boost: float, out: list[tuple[Q.Term, float]]) -> bool:
    """Collect the (term, boost) of a term or an Or of terms; False for anything else."""
    boost *= q.boost
    if type(q) is Q.Term:
        out.append((q, boost))
        return True
    if type(q) is Q.Or and q.scale is None:
        return all(_sum_terms(c, boost, out) for c in q.subqueries)
    return False


def _term_scores(searcher: Searcher, fieldname: str, text: Any, boost: float):
    """Per segment, (global docnums, boosted BM25F scores) of a term's postings.

    The arithmetic is Whoosh's `bm25()` step for step with the scorer's own idf, average
    length, B and K1, and the field lengths its scorer reads, so the numbers are the same.
    Yields (None, None) when the segment's scorer is not the expected kind.
    """
    weighting = searcher.weighting
    field_lengths = getattr(weighting, "field_lengths", None)
    # Deleted pages are never in the match set, so never ranked: their postings are kept.
    for seg in term_postings(searcher, fieldname, text, weights=True):
        sc = weighting.scorer(seg.segment, fieldname, text)
        reader = seg.segment.reader()
        lengths = field_lengths(reader, fieldname) if field_lengths is not None else None
        if type(sc) is not BM25FScorer or lengths is None or seg.weights is None:
            yield None, None
            return
        idf, avgfl, B, K1 = sc.idf, sc.avgfl, sc.B, sc.K1
        k1p1 = K1 + 1
        norms = _norms(reader, fieldname, lengths, avgfl, B, K1)
        ids, weights = seg.ids, seg.weights
        # bm25(idf, tf, fl, avgfl, B, K1) = idf * ((tf * (K1 + 1)) / (tf + K1 * ((1 - B) + B * fl / avgfl)))
        if boost == 1.0:
            scores = [idf * ((tf * k1p1) / (tf + n)) for tf, n in zip(weights, map(norms.__getitem__, ids), strict=True)]
        else:
            scores = [idf * ((tf * k1p1) / (tf + n)) * boost for tf, n in zip(weights, map(norms.__getitem__, ids), strict=True)]
        if seg.base:
            ids = [d + seg.base for d in ids]
        yield ids, scores


# Per segment reader (each thread has its own), forgotten with the reader.
_norm_cache: weakref.WeakKeyDictionary[Any, dict[tuple[str, float, float, float], tuple[list[float], list[float]]]] = \
    weakref.WeakKeyDictionary()


def _norms(reader: Any, fieldname: str, lengths: list[float], avgfl: float, B: float, K1: float) -> list[float]:
    """`K1 * ((1 - B) + B * fl / avgfl)` for every page of a segment, computed once per reader."""
    key = (fieldname, avgfl, B, K1)
    with _cache_lock:
        got = _norm_cache.get(reader, {}).get(key)
    if got is None or got[0] is not lengths:
        got = (lengths, [K1 * ((1 - B) + B * fl / avgfl) for fl in lengths])
        with _cache_lock:
            _norm_cache.setdefault(reader, {})[key] = got
    return got[1]
