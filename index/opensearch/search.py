"""Reading one OpenSearch index: the pages a query matches (deep pages by search_after), the
matching pages per document, counts per year, the vedtak's scores, and every bucket of an
aggregation (a trend's, a check's).

Each function asks one index through `ask` (a request body in, the engine's answer out: the
backend's, bound to the index it found behind the alias), with the common words that index was
built with, so a query is never paired with another index's words.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

from catalog.models import Filters
from index.backend import Matches, TrendRow
from index.opensearch import schema
from index.opensearch.translate import facet_counts, hit_fields, hit_score, query_clause, request_body

if TYPE_CHECKING:
    from index.parsed import ParsedQuery

Ask = Callable[[dict[str, Any]], dict[str, Any]]  # a request body -> the engine's answer, on one index

PAGE_SIZE = 5000  # hits per request when every hit is wanted (search_after)
COMPOSITE_SIZE = 10_000  # buckets per request of a trend or a check


def search_pages(ask: Ask, common: frozenset[str], parsed: ParsedQuery, filters: Filters, *, limit: int | None,
                 offset: int, facets: bool, sort: str, within: str | None) -> Matches:
    wanted = None if limit is None else offset + limit
    deep = wanted is None or wanted > schema.MAX_RESULT_WINDOW
    body = request_body(parsed, filters, size=0 if deep else (limit or 0), offset=0 if deep else offset,
                        facets=facets, sort=sort, common=common, within=within)
    r = ask(body)
    total = r["hits"]["total"]["value"]
    if deep and total > offset:
        hits = list(every_hit(ask, body, offset, limit))
    else:
        hits = r["hits"]["hits"]
    stored = [(hit_fields(h), hit_score(h, parsed) if sort == "relevance" else 0.0) for h in hits]
    aggs = r.get("aggregations", {})
    counts = facet_counts(aggs) if facets else {}
    pages = doc_pages(ask, common, parsed, filters, within, {f["sha256"] for f, _ in stored}) if stored else {}
    return Matches(total=total, hits=stored, facets=counts, doc_pages=pages,
                   exact_total=aggs["exact"]["doc_count"] if "exact" in aggs else None)


def every_hit(ask: Ask, body: dict[str, Any], offset: int, limit: int | None) -> Iterator[dict]:
    """Hits from `offset` on (`limit` of them, or all), a page at a time with search_after."""
    page = {k: v for k, v in body.items() if k not in ("aggs", "from")}
    page["size"] = PAGE_SIZE
    page["track_total_hits"] = False
    seen = sent = 0
    while limit is None or sent < limit:
        r = ask(page)
        hits = r["hits"]["hits"]
        for h in hits:
            if seen >= offset and (limit is None or sent < limit):
                sent += 1
                yield h
            seen += 1
        if len(hits) < PAGE_SIZE:
            return
        page["search_after"] = hits[-1]["sort"]


def doc_pages(ask: Ask, common: frozenset[str], parsed: ParsedQuery, filters: Filters, within: str | None,
              shas: set[str]) -> dict[str, int]:
    """Matching pages of each hit's document over the whole match set ("+N more pages")."""
    query = query_clause(parsed, filters, common=common, within=within, ranking=False)
    query["bool"]["filter"].append({"terms": {"sha256": sorted(shas)}})  # only those documents' pages are read
    body = {"size": 0, "track_total_hits": False, "query": query,
            "aggs": {"docs": {"terms": {"field": "sha256", "size": len(shas)}}}}
    r = ask(body)
    return {b["key"]: b["doc_count"] for b in r["aggregations"]["docs"]["buckets"]}


def trend_rows(ask: Ask, common: frozenset[str], parsed: ParsedQuery, filters: Filters) -> list[TrendRow]:
    query = query_clause(parsed, filters, common=common, ranking=False)
    pages: dict[int, int] = {}
    documents: dict[int, int] = {}
    for key, count in buckets(ask, query, ["year", "sha256"]):
        y = key["year"]
        pages[y] = pages.get(y, 0) + count
        documents[y] = documents.get(y, 0) + 1
    return [TrendRow(y, pages[y], documents[y]) for y in sorted(pages) if y]


def buckets(ask: Ask, query: dict[str, Any], fields: list[str],
            sub: dict[str, Any] | None = None) -> Iterator[tuple[dict[str, Any], Any]]:
    """Every (key, pages) bucket of the matches by `fields`, exactly (pages without a value
    in a field left out), a page of buckets at a time; with `sub` aggregations, (key, bucket)."""
    agg: dict[str, Any] = {"size": COMPOSITE_SIZE, "sources": [{f: {"terms": {"field": f}}} for f in fields]}
    body: dict[str, Any] = {"size": 0, "track_total_hits": False, "query": query,
                            "aggs": {"by": {"composite": agg}}}
    if sub:
        body["aggs"]["by"]["aggs"] = sub
    while True:
        r = ask(body)["aggregations"]["by"]
        for b in r["buckets"]:
            yield (b["key"], b) if sub else (b["key"], b["doc_count"])
        after = r.get("after_key")
        if not after or len(r["buckets"]) < COMPOSITE_SIZE:
            return
        agg["after"] = after


def vedtak_scores(ask: Ask, common: frozenset[str], parsed: ParsedQuery) -> dict[str, float]:
    """The score of every vedtak the query matches, by its key (the vedtak index has no filters)."""
    query = query_clause(parsed, Filters(all_versions=True), common=common, ranking=False)
    query["bool"].pop("filter", None)
    body: dict[str, Any] = {"query": query, "size": PAGE_SIZE, "_source": ["key"],
                            "sort": [{"_score": "desc"}, {"key": "asc"}], "track_total_hits": False}
    out: dict[str, float] = {}
    while True:
        hits = ask(body)["hits"]["hits"]
        out.update({h["_source"]["key"]: float(h["_score"]) for h in hits})
        if len(hits) < PAGE_SIZE:
            return out
        body["search_after"] = hits[-1]["sort"]
