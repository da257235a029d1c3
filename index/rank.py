"""Bulk BM25F ranking: the scores of a whole match set at once, without a matcher per page.

Whoosh's `TopCollector` scores every page it visits in Python (~10 µs a page) and, for
a query of two common words, block-quality skipping prunes nothing. When a query's score
is a sum of boosted BM25F term scores (terms, Or of terms, And at the top, the positive
side of AndNot), each term's posting list can instead be read a
block at a time (ids and weights as stored) and scored with the same formula and the
same numbers, then summed into one list indexed by page. Anything else (phrases, prefix
and range queries, And under Or) returns None and keeps Whoosh's collector. Filters
are not part of the ranked query: they only narrow the match set, so they never change a score.
"""

from __future__ import annotations

import heapq
from array import array
from collections import deque
from itertools import accumulate
from operator import add, neg
from typing import Any

from whoosh import query as Q
from whoosh.matching.wrappers import FilterMatcher
from whoosh.reading import TermNotFound
from whoosh.scoring import BM25FScorer
from whoosh.searching import Searcher


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
    missing = [g for g, k in zip(groups, keys, strict=True) if cache_key is None or k not in _group_cache]
    if missing:
        reader = searcher.reader()
        postings = sum(reader.doc_frequency(t.fieldname, t.text) for g in missing for t, _b in g)
        if postings > POSTINGS_PER_MATCH * len(docs):
            return None  # few matches: Whoosh's matcher scores them faster
    n = searcher.doc_count_all() + 1
    arrays = []
    for g, k in zip(groups, keys, strict=True):
        got = _group_cache.pop(k, None) if cache_key is not None else None
        if got is None:
            got = _group_scores(searcher, g, n)
            if got is None:
                return None
        if cache_key is not None:
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
        # A filter: Whoosh scores it by its child's matcher (+1.0 a filter, measured), not
        # by `score`; until that is reproduced exactly, filtered queries keep the collector.
        return False
    if getattr(q, "boost", 1.0) != 1.0 and not isinstance(q, (Q.And, Q.Or, Q.Term)):
        return False
    boost *= getattr(q, "boost", 1.0)
    if type(q) is Q.And:
        return all(_sum_groups(c, boost, out) for c in q.subqueries)
    if isinstance(q, Q.AndNot):
        return _sum_groups(q.a, boost, out)
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
    Yields (None, None) when the segment's postings or scorer are not the expected kind.
    """
    weighting = searcher.weighting
    for sub, base in searcher.leaf_searchers():
        reader = sub.reader()
        try:
            m = reader.postings(fieldname, text)
        except TermNotFound:
            continue
        if isinstance(m, FilterMatcher):
            m = m.child  # deleted pages: never in the match set, so never ranked
        sc = weighting.scorer(sub, fieldname, text)
        lengths = weighting._lengths(reader, fieldname) if hasattr(weighting, "_lengths") else None
        if type(sc) is not BM25FScorer or lengths is None or not hasattr(m, "_read_weights"):
            yield None, None
            return
        idf, avgfl, B, K1 = sc.idf, sc.avgfl, sc.B, sc.K1
        k1p1 = K1 + 1
        norms = _norms(reader, fieldname, lengths, avgfl, B, K1)
        ids: list[int] = []
        weights: list[float] = []
        while m.is_active():
            if m._data is None:
                m._read_data()
            if m._byteids:
                m._read_ids()
                ids.extend(m._ids)
            else:
                ids.extend(accumulate(m._data[0]))
            m._read_weights()
            weights.extend(m._weights)
            m._next_block()
        # bm25(idf, tf, fl, avgfl, B, K1) = idf * ((tf * (K1 + 1)) / (tf + K1 * ((1 - B) + B * fl / avgfl)))
        if boost == 1.0:
            scores = [idf * ((tf * k1p1) / (tf + n)) for tf, n in zip(weights, map(norms.__getitem__, ids), strict=True)]
        else:
            scores = [idf * ((tf * k1p1) / (tf + n)) * boost for tf, n in zip(weights, map(norms.__getitem__, ids), strict=True)]
        if base:
            ids = [d + base for d in ids]
        yield ids, scores


_norm_cache: dict[tuple[int, str, float, float, float], tuple[list[float], list[float]]] = {}


def _norms(reader: Any, fieldname: str, lengths: list[float], avgfl: float, B: float, K1: float) -> list[float]:
    """`K1 * ((1 - B) + B * fl / avgfl)` for every page of a segment, computed once per reader."""
    key = (id(reader), fieldname, avgfl, B, K1)
    got = _norm_cache.get(key)
    if got is None or got[0] is not lengths:  # a new reader may reuse a closed one's id
        if len(_norm_cache) > 64:
            _norm_cache.clear()
        got = _norm_cache[key] = (lengths, [K1 * ((1 - B) + B * fl / avgfl) for fl in lengths])
    return got[1]
