"""Searching the Whoosh index: the exact match set, ranked, faceted and counted by year.

The Whoosh backend's reads. A search finds the exact match set from the posting lists
(`index.docsets`), ranks only the pages wanted (`index.rank`) and reads their stored fields,
on this thread's cached searcher (`index.searcher`); the snippets are cut by index/search.py
from the catalog, as for every backend.
"""

from __future__ import annotations

from collections import Counter
from itertools import islice

from whoosh import query as Q

from catalog.models import Filters
from index.backend import Matches, TrendRow
from index.docsets import docset, facet_counts, matching_docs, term_docs
from index.errors import QueryError
from index.parsed import ParsedQuery
from index.query import MAX_PREFIX_TERMS, filter_query
from index.rank import ranked
from index.searcher import OpenIndex
from index.tree import Node, pair_phrases
from index.whoosh_tree import to_whoosh


def search_pages(ix: OpenIndex, parsed: ParsedQuery, filters: Filters, *, limit: int | None, offset: int,
                 facets: bool, sort: str, within: str | None) -> Matches:
    """The pages `parsed` matches within `filters` (already merged with the query's fields)."""
    searcher = ix.searcher
    core = core_query(ix, parsed.query, parsed.prefixes)

    # The exact match set comes from the posting lists as doc-number sets (no scoring),
    # filters and superseded versions applied. Ranking scores the query without its
    # filters (filters restrict, they never change a score) over exactly that set.
    docs = matching_docs(ix, with_filters(core, filters), filters)
    if within is not None:
        docs &= term_docs(searcher, "sha256", within)
    total = len(docs)
    chosen: list[tuple[int, float]] = []
    wanted = None if limit is None else offset + limit
    # The pages that match the words as typed: ranked before the expansions' (tiers).
    first = docs & docset(searcher, core_query(ix, parsed.exact, parsed.prefixes)) \
        if parsed.exact is not None and docs else None
    if total and (wanted is None or wanted > offset):
        if sort == "relevance":
            titles = parsed.title_query()
            rank_q = Q.AndMaybe(core, to_whoosh(titles)) if titles is not None and "titles" in searcher.schema else core
            chosen = _tiered(ix, rank_q, docs, first, wanted)[offset:wanted]
        else:
            chosen = [(d, 0.0) for d in _by_date(ix, docs, newest=sort == "newest")[offset:wanted]]
    counts = facet_counts(ix, docs) if facets else {}
    if "year" in counts:  # years read best in order
        counts["year"] = dict(sorted(counts["year"].items()))
    hits = [(searcher.stored_fields(d), score) for d, score in chosen]
    return Matches(total=total, hits=hits, facets=counts,
                   doc_pages={f["sha256"]: len(ix.pages_of(f["sha256"]) & docs) for f, _ in hits},
                   exact_total=None if first is None else len(first))


def _tiered(ix: OpenIndex, q: Q.Query, docs: set[int], first: set[int] | None,
            wanted: int | None) -> list[tuple[int, float]]:
    """The `wanted` best of `docs`: those in `first` (the query as typed) before the rest, each by score."""
    if not first or first == docs:
        return ranked(ix.searcher, q, docs, wanted, ix.key)
    top = ranked(ix.searcher, q, first, wanted, ix.key)
    if wanted is not None and len(top) >= wanted:
        return top
    return top + ranked(ix.searcher, q, docs - first, None if wanted is None else wanted - len(top), ix.key)


def _by_date(ix: OpenIndex, docs: set[int], newest: bool) -> list[int]:
    """Pages by their document's date (else its budget year), newest or oldest first;
    undated documents last either way, pages in order within a document (a version's
    pages are added in order, so their page numbers in the index are in order too)."""
    dates, years, shas = ix.column("date"), ix.column("year"), ix.column("sha256")

    def when(d: int) -> str:
        return dates[d] or (f"{years[d]:04d}" if years[d] else "")

    # Python's sort is stable, also with reverse=True: pages keep their order within a document.
    order = sorted(sorted(docs), key=lambda d: (when(d), shas[d]), reverse=newest)
    return [d for d in order if when(d)] + [d for d in order if not when(d)]


def trend_counts(ix: OpenIndex, parsed: ParsedQuery, filters: Filters) -> list[TrendRow]:
    """Matching pages and documents per budget year, oldest first (pages without a year left out)."""
    q = with_filters(core_query(ix, parsed.query, parsed.prefixes), filters)
    docs = matching_docs(ix, q, filters)
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


def with_filters(q: Q.Query, filters: Filters) -> Q.Query:
    fq = filter_query(filters)
    return q if fq is None else Q.And([q, _zero_boost(to_whoosh(fq, fix_negations=False))])


def core_query(ix: OpenIndex, q: Node, prefixes: list[str]) -> Q.Query:
    """The parsed query tree as a Whoosh query ready to run (prefix limits, word pairs,
    negations), without filters."""
    reader = ix.searcher.reader()
    for p in prefixes:
        n = sum(1 for _ in islice(reader.expand_prefix("exact", p), MAX_PREFIX_TERMS + 1))
        if n > MAX_PREFIX_TERMS:
            raise QueryError("{prefix}* matches too many words (over {most}): use a longer prefix",
                             prefix=p, most=MAX_PREFIX_TERMS)
    pairs = ix.searcher.schema["pairs"] if "pairs" in ix.searcher.schema else None
    if pairs is not None:  # indexes built before the pairs field keep plain Phrase queries
        q = pair_phrases(q, pairs.common)
    return to_whoosh(q)


def _zero_boost(q: Q.Query) -> Q.Query:
    """Filters restrict the hits but must not change their scores."""
    return Q.ConstantScoreQuery(q, score=0.0)
