"""Searching the index: ranked page hits with snippets, facets and per-year trends.

The entry points. Each parses the query, finds the exact match set (`index.docsets`),
ranks only the pages wanted (`index.rank`), and cuts snippets for those from the
catalog's page text (`index.snippets`), on the cached searcher (`index.searcher`).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from itertools import islice

from whoosh import query as Q

import catalog
from catalog.models import Filters
from catalog.paths import DataDir
from index.docsets import docset, facet_counts, matching_docs, term_docs
from index.errors import IndexOutdated, QueryError
from index.query import (
    MAX_PREFIX_TERMS,
    Expansion,
    Highlight,
    ParsedQuery,
    Suggestion,
    filter_query,
    fix_negations,
    pair_phrases,
    parse,
)
from index.rank import ranked
from index.schema import page_text
from index.searcher import OpenIndex, open_index
from index.snippets import snippet


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
    kommune: str | None = None  # "Nordre Follo"
    kommunenummer: str | None = None  # "3207"


@dataclass
class SearchResult:
    query: str
    total: int
    hits: list[Hit]
    facets: dict[str, dict[str, int]] = field(default_factory=dict)
    # Matching pages of each document (by sha256) over the whole match set, not only the
    # hits returned, so a grouped list can say "+N more pages".
    doc_pages: dict[str, int] = field(default_factory=dict)
    # What was searched beside the words as typed (index.query.Expansion: close spellings,
    # amounts, abbreviations, Nynorsk, synonyms), and committees named (their filters offered).
    expansions: list[Expansion] = field(default_factory=list)
    suggestions: list[Suggestion] = field(default_factory=list)
    exact: bool = False  # searched as typed, every expansion off
    exact_total: int | None = None  # pages matching the words as typed (they rank first); None: no expansions


SORTS = ("relevance", "newest", "oldest")


@dataclass
class TrendRow:
    year: int
    pages: int
    documents: int


# --- search ----------------------------------------------------------------------------------


def search(
    data_dir: DataDir,
    query: str,
    filters: Filters | None = None,
    *,
    limit: int | None = 20,
    offset: int = 0,
    facets: bool = True,
    sort: str = "relevance",
    within: str | None = None,
    exact: bool = False,
) -> SearchResult:
    """Pages matching `query` within `filters`, best first; `limit=None` returns every hit.

    `sort`: "relevance", or "newest" / "oldest" by the document's date (its budget year
    when it has none), pages in order within a document. `within`: one version's sha256.
    `exact`: the words as typed, no expansions (close spellings, amounts, abbreviations,
    Nynorsk, synonyms). Otherwise the pages that match the words as typed rank first.
    """
    if sort not in SORTS:
        raise QueryError("unknown sort {sort!r} (use one of: {valid})", sort=sort, valid=", ".join(SORTS))
    ix = open_index(data_dir)
    if filters is not None and filters.tables and "tables" not in ix.searcher.schema:
        raise IndexOutdated("the index was built before table search: `hparkiv index` rebuilds it")
    parsed = parse(query, exact=exact, spelling=ix.spelling())
    filters = parsed.with_filters(filters or Filters())
    if filters is None:  # the query's fields and the flags exclude each other
        return _answer(query, parsed, exact, total=0, hits=[], facets={})
    core = core_query(ix, parsed.query, parsed.prefixes)
    searcher = ix.searcher

    # The exact match set comes from the posting lists as doc-number sets (no scoring),
    # filters and superseded versions applied. Ranking scores the query without its
    # filters (filters restrict, they never change a score) over exactly that set.
    docs = matching_docs(ix, with_filters(core, filters), filters)
    if within is not None:
        docs &= term_docs(searcher, "sha256", within)
    total = len(docs)
    hits: list[Hit] = []
    wanted = None if limit is None else offset + limit
    first = docs & docset(searcher, core_query(ix, parsed.exact, parsed.prefixes)) \
        if parsed.exact is not None and docs else None
    if total and (wanted is None or wanted > offset):
        if sort == "relevance":
            titles = parsed.title_query()
            rank_q = Q.AndMaybe(core, titles) if titles is not None and "titles" in searcher.schema else core
            chosen = _tiered(ix, rank_q, docs, first, wanted)[offset:wanted]
        else:
            chosen = [(d, 0.0) for d in _by_date(ix, docs, newest=sort == "newest")[offset:wanted]]
        hits = _hits(ix, data_dir, chosen, parsed.highlight)
    counts = facet_counts(ix, docs) if facets else {}
    if "year" in counts:  # years read best in order
        counts["year"] = dict(sorted(counts["year"].items()))
    shas = ix.column("sha256")
    per_doc = Counter(shas[d] for d in docs) if hits else Counter()
    return _answer(query, parsed, exact, total=total, hits=hits, facets=counts,
                   doc_pages={h.sha256: per_doc[h.sha256] for h in hits},
                   exact_total=None if first is None else len(first))


def _answer(query: str, parsed: ParsedQuery, exact: bool, **fields) -> SearchResult:
    return SearchResult(query=query, expansions=parsed.expansions, suggestions=parsed.suggestions, exact=exact,
                        **fields)


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


def trend(data_dir: DataDir, query: str, filters: Filters | None = None, exact: bool = False) -> list[TrendRow]:
    """Matching pages and documents per budget year, oldest first (pages without a year left out)."""
    ix = open_index(data_dir)
    parsed = parse(query, exact=exact, spelling=ix.spelling())
    filters = parsed.with_filters(filters or Filters())
    if filters is None:
        return []
    q = _full_query(ix, parsed.query, parsed.prefixes, filters)
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


def _full_query(ix: OpenIndex, q: Q.Query, prefixes: list[str], filters: Filters) -> Q.Query:
    return with_filters(core_query(ix, q, prefixes), filters)


def with_filters(q: Q.Query, filters: Filters) -> Q.Query:
    fq = filter_query(filters)
    return q if fq is None else Q.And([q, _zero_boost(fq)])


def core_query(ix: OpenIndex, q: Q.Query, prefixes: list[str]) -> Q.Query:
    """The parsed query made ready to run (prefix limits, negations, word pairs), without filters."""
    reader = ix.searcher.reader()
    for p in prefixes:
        n = sum(1 for _ in islice(reader.expand_prefix("exact", p), MAX_PREFIX_TERMS + 1))
        if n > MAX_PREFIX_TERMS:
            raise QueryError("{prefix}* matches too many words (over {most}): use a longer prefix",
                             prefix=p, most=MAX_PREFIX_TERMS)
    q = fix_negations(q)
    pairs = ix.searcher.schema["pairs"] if "pairs" in ix.searcher.schema else None
    if pairs is not None:  # indexes built before the pairs field keep plain Phrase queries
        q = pair_phrases(q, pairs.common)
    return q


def _zero_boost(q: Q.Query) -> Q.Query:
    """Filters restrict the hits but must not change their scores."""
    return Q.ConstantScoreQuery(q, score=0.0)


# --- hits ------------------------------------------------------------------------------------


def _hits(ix: OpenIndex, data_dir: DataDir, chosen: list[tuple[int, float]], hl: Highlight) -> list[Hit]:
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
                kommune=f.get("kommune_name"), kommunenummer=f.get("kommune"),
            )
        )
    return hits


def _page_texts(data_dir: DataDir, keys: list[tuple[str, int]]) -> dict[tuple[str, int], str]:
    """The searchable text of the hits on screen (page text and tables, as the index holds it)."""
    if not keys or not data_dir.catalog.exists():
        return {}
    conn = catalog.connect_readonly(data_dir)
    try:
        return {key: page_text(text, tables, joined=False)
                for key, (text, tables) in catalog.pages_with_tables(conn, keys).items()}
    finally:
        conn.close()
