"""index/query.py's query tree in OpenSearch's query DSL, term for term, and the engine's answers
back as Whoosh's (scores, stored fields, facet counts).

The parser decides what a query means (stems, exact words, compound parts, folding, party
names, case numbers, fields); this module only spells the same tree for OpenSearch. Terms
are sent as they are (`term` queries, never re-analysed), on the fields of
index/opensearch/schema.py that hold the same terms as Whoosh's, with Whoosh's weights.
"""

from __future__ import annotations

from typing import Any

from catalog.models import Filters
from index import tree as T
from index.errors import QueryError
from index.opensearch.schema import FIELDS, WEIGHTS
from index.parsed import ParsedQuery
from index.query import filter_query, parse
from index.schema import FACET_FIELDS
from index.tree import pair_phrases

FACET_SIZE = 1000  # every value of a facet (years, committees, types, municipalities): exact counts
EXACT_FIRST = 1e4  # added to a page that matches the query as typed: above any score of the expansions alone


def translate(q: T.Node) -> dict[str, Any]:
    """One query tree node as an OpenSearch query (raises TypeError for a kind it does not know)."""
    if isinstance(q, T.Term):
        field = _field(q.field)
        boost = q.boost * WEIGHTS.get(field, 1.0)
        return {"term": {field: {"value": q.text, "boost": boost} if boost != 1.0 else q.text}}
    if isinstance(q, T.And):
        must = [translate(c) for c in q.children if not isinstance(c, T.Not)]
        must_not = [translate(c.child) for c in q.children if isinstance(c, T.Not)]
        body: dict[str, Any] = {"must": must} if must else {}
        if must_not:
            body["must_not"] = must_not
        if q.boost != 1.0:
            body["boost"] = q.boost
        return {"bool": body}
    if isinstance(q, T.Or):
        return _should([translate(c) for c in q.children], q.boost)
    if isinstance(q, T.Not):
        return {"bool": {"must_not": [translate(q.child)]}}
    if isinstance(q, T.Phrase):
        # The words are exact tokens already: adjacent, in order.
        return {"match_phrase": {_field(q.field): {"query": " ".join(q.words), "slop": 0}}}
    if isinstance(q, T.Prefix):
        return {"prefix": {_field(q.field): {"value": q.text}}}
    if isinstance(q, T.Range):
        bounds: dict[str, Any] = {}
        if q.lo is not None:
            bounds["gte"] = q.lo
        if q.hi is not None:
            bounds["lte"] = q.hi
        return {"range": {_field(q.field): bounds}}
    if isinstance(q, T.Exists):
        return {"exists": {"field": _field(q.field)}}
    if isinstance(q, T.Constant):
        return {"constant_score": {"filter": translate(q.child), "boost": 0.0}}
    if isinstance(q, T.Expansion):
        alts = [translate(a) for a in q.alternatives]
        if q.boost != 1.0 and alts:
            alts = [_should(alts, q.boost)]
        return _should([translate(q.typed), *alts], 1.0)
    raise TypeError(f"no OpenSearch form for {type(q).__name__}: {q!r}")


def _field(name: str) -> str:
    try:
        return FIELDS[name]
    except KeyError:
        raise TypeError(f"no OpenSearch field for Whoosh field {name!r}") from None


def _should(clauses: list[dict[str, Any]], boost: float) -> dict[str, Any]:
    body: dict[str, Any] = {"should": clauses, "minimum_should_match": 1}
    if boost != 1.0:
        body["boost"] = boost
    return {"bool": body}


def filter_clauses(filters: Filters) -> list[dict[str, Any]]:
    """The catalog filters as non-scoring clauses; superseded versions out unless asked for."""
    clauses = []
    fq = filter_query(filters)
    if fq is not None:
        clauses.append(translate(fq))
    if not filters.all_versions:
        clauses.append({"bool": {"must_not": [{"term": {"superseded": True}}]}})
    return clauses


def search_request(query: str | ParsedQuery, filters: Filters | None = None, *, size: int = 20, offset: int = 0,
                   facets: bool = True, highlight: bool = False, sort: str = "relevance",
                   common: frozenset[str] = frozenset(), within: str | None = None) -> dict[str, Any] | None:
    """The body of one `_search` as `index.search` answers it: hits ranked by the query (the
    title's words adding to the score), filters that never score, exact totals, facet counts,
    and highlights when asked. None when the query's fields and the filters exclude each other.
    `common`: the index's common words (bulk.index_common_words): phrases use their pairs, as in Whoosh.
    """
    parsed = parse(query) if isinstance(query, str) else query
    merged = parsed.with_filters(filters or Filters())
    if merged is None:
        return None
    return request_body(parsed, merged, size=size, offset=offset, facets=facets, highlight=highlight, sort=sort,
                        common=common, within=within)


# The stored fields a hit carries (as Whoosh's stored fields; the page text stays in the catalog).
HIT_FIELDS = ["key", "sha256", "doc_id", "page", "year", "period", "committee", "doctype", "date", "title", "url",
              "superseded", "kommune", "kommune_name"]


def query_clause(parsed: ParsedQuery, filters: Filters, *, common: frozenset[str] = frozenset(),
                 within: str | None = None, ranking: bool = True) -> dict[str, Any]:
    """The scored query with its non-scoring filters; with `ranking`, the title's words add to the
    score, and the pages that match the words as typed (`parsed.exact`) rank before the
    expansions' (EXACT_FIRST added to their scores: Whoosh's tiers, index/whoosh_search.py)."""
    core = translate(pair_phrases(parsed.query, common) if common else parsed.query)
    scored: dict[str, Any] = {"must": [core]}
    title_q = parsed.title_query() if ranking else None
    if title_q is not None:
        scored["should"] = [translate(title_q)]
    if ranking and parsed.exact is not None:
        exact = exact_clause(parsed, common)
        scored.setdefault("should", []).append({"constant_score": {"filter": exact, "boost": EXACT_FIRST}})
    scored["filter"] = filter_clauses(filters)
    if within is not None:
        scored["filter"].append({"term": {"sha256": within}})
    return {"bool": scored}


def exact_clause(parsed: ParsedQuery, common: frozenset[str]) -> dict[str, Any]:
    """The query as typed, without its expansions (`parsed.exact`, which must be set)."""
    assert parsed.exact is not None
    return translate(pair_phrases(parsed.exact, common) if common else parsed.exact)


def request_body(parsed: ParsedQuery, filters: Filters, *, size: int = 20, offset: int = 0, facets: bool = True,
                 highlight: bool = False, sort: str = "relevance", common: frozenset[str] = frozenset(),
                 within: str | None = None) -> dict[str, Any]:
    """`search_request` for a parsed query and filters already narrowed by its fields."""
    body: dict[str, Any] = {"query": query_clause(parsed, filters, common=common, within=within), "size": size,
                            "from": offset, "track_total_hits": True, "_source": HIT_FIELDS}
    body["sort"] = sort_clause(sort)
    aggs: dict[str, Any] = {}
    if facets:
        aggs = {name: {"terms": {"field": FIELDS[field], "size": FACET_SIZE}} for name, field in FACET_FIELDS.items()}
    if parsed.exact is not None:  # how many matches match the words as typed (SearchResult.exact_total)
        aggs["exact"] = {"filter": exact_clause(parsed, common)}
    if aggs:
        body["aggs"] = aggs
    if highlight:
        # The engine's own highlights (bench/engine.py measures them; hparkiv's snippets come
        # from the catalog, the same for both engines).
        body["highlight"] = {"type": "unified", "pre_tags": ["[["], "post_tags": ["]]"], "number_of_fragments": 1,
                             "fragment_size": 200, "no_match_size": 200,
                             "fields": {f: {} for f in ("body", "body.exact")}}
    return body


def sort_clause(sort: str) -> list[Any]:
    """Best first (ties by page key), or by date as index.search sorts: by the document's date
    (else its budget year), undated last, pages in order within a document."""
    if sort == "relevance":
        return [{"_score": "desc"}, {"key": "asc"}]
    if sort in ("newest", "oldest"):
        order = "desc" if sort == "newest" else "asc"
        return [{"when": {"order": order, "missing": "_last"}}, {"sha256": order}, {"page": "asc"}]
    raise QueryError("unknown sort {sort!r} (use one of: {valid})", sort=sort, valid="relevance, newest, oldest")


# --- the engine's answers as hparkiv's ---------------------------------------------------------


def hit_score(hit: dict[str, Any], parsed: ParsedQuery) -> float:
    """A hit's score as the query scored it: without the constant that put the pages matching the
    words as typed first (EXACT_FIRST), so scores read as Whoosh's."""
    score = float(hit.get("_score") or 0.0)
    return score - EXACT_FIRST if parsed.exact is not None and score >= EXACT_FIRST else score


def hit_fields(hit: dict[str, Any]) -> dict[str, Any]:
    """A hit's stored fields as Whoosh's stored fields read (no title is None, not "")."""
    src = hit.get("_source", {})
    out = {k: src.get(k) for k in HIT_FIELDS if k in src}
    if not out.get("title"):
        out["title"] = None
    return out


def facet_counts(aggs: dict[str, Any]) -> dict[str, dict[str, int]]:
    """Pages per facet value, most first (then by value), years in order: as Whoosh's facet_counts."""
    out: dict[str, dict[str, int]] = {}
    for name in FACET_FIELDS:
        buckets = aggs.get(name, {}).get("buckets", [])
        counts = [(str(b["key"]), b["doc_count"]) for b in buckets if b["doc_count"] and b["key"] not in ("", None)]
        out[name] = dict(sorted(counts, key=lambda kv: (-kv[1], kv[0])))
    if "year" in out:
        out["year"] = dict(sorted(out["year"].items()))
    return out
