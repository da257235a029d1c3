"""index/query.py's query tree in OpenSearch's query DSL, term for term.

The parser decides what a query means (stems, exact words, compound parts, folding, party
names, case numbers, fields); this module only spells the same tree for OpenSearch. Terms
are sent as they are (`term` queries, never re-analysed), on the fields of
index/opensearch/schema.py that hold the same terms as Whoosh's, with Whoosh's weights.
"""

from __future__ import annotations

from typing import Any

from whoosh import query as Q

from catalog.models import Filters
from index.errors import QueryError
from index.opensearch.schema import FIELDS, WEIGHTS
from index.query import ParsedQuery, filter_query, pair_phrases, parse

FACETS = ("year", "committee", "doctype", "kommune")
EXACT_FIRST = 1e4  # added to a page that matches the query as typed: above any score of the expansions alone


def translate(q: Q.Query) -> dict[str, Any]:
    """One Whoosh query as an OpenSearch query (raises TypeError for a kind it does not know)."""
    if isinstance(q, Q.Term):
        field = _field(q.fieldname)
        boost = q.boost * WEIGHTS.get(field, 1.0)
        return {"term": {field: {"value": q.text, "boost": boost} if boost != 1.0 else q.text}}
    if isinstance(q, Q.And):
        return _bool("must", q.subqueries, q.boost)
    if isinstance(q, Q.Or):
        return _bool("should", q.subqueries, q.boost)
    if isinstance(q, Q.Not):
        return {"bool": {"must_not": [translate(q.query)]}}
    if isinstance(q, Q.AndNot):
        return {"bool": {"must": [translate(q.a)], "must_not": [translate(q.b)]}}
    if isinstance(q, Q.AndMaybe):  # the second part only adds to the score
        return {"bool": {"must": [translate(q.a)], "should": [translate(q.b)]}}
    if isinstance(q, Q.Phrase):
        # Whoosh's slop 1 is "adjacent", OpenSearch's is 0; the words are exact tokens already.
        return {"match_phrase": {_field(q.fieldname): {"query": " ".join(q.words), "slop": max(q.slop - 1, 0)}}}
    if isinstance(q, Q.Prefix):
        return {"prefix": {_field(q.fieldname): {"value": q.text}}}
    if isinstance(q, (Q.NumericRange, Q.TermRange)):
        bounds: dict[str, Any] = {}
        if q.start is not None:
            bounds["gt" if q.startexcl else "gte"] = q.start
        if q.end is not None:
            bounds["lt" if q.endexcl else "lte"] = q.end
        return {"range": {_field(q.fieldname): bounds}}
    if isinstance(q, Q.Every):
        return {"exists": {"field": _field(q.fieldname)}} if q.fieldname else {"match_all": {}}
    if isinstance(q, Q.ConstantScoreQuery):
        return {"constant_score": {"filter": translate(q.child), "boost": q.score}}
    raise TypeError(f"no OpenSearch form for {type(q).__name__}: {q!r}")


def _field(name: str) -> str:
    try:
        return FIELDS[name]
    except KeyError:
        raise TypeError(f"no OpenSearch field for Whoosh field {name!r}") from None


def _bool(occur: str, subqueries: list[Q.Query], boost: float) -> dict[str, Any]:
    body: dict[str, Any] = {occur: [translate(c) for c in subqueries]}
    if occur == "should":
        body["minimum_should_match"] = 1
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
                   common: frozenset[str] = frozenset()) -> dict[str, Any] | None:
    """The body of one `_search` as `index.search` answers it: hits ranked by the query (the
    title's words adding to the score), filters that never score, exact totals, facet counts,
    and highlights when asked. None when the query's fields and the filters exclude each other.
    `common`: the index's common words (bulk.index_common_words): phrases use their pairs, as in Whoosh.
    """
    parsed = parse(query) if isinstance(query, str) else query
    merged = parsed.with_filters(filters or Filters())
    if merged is None:
        return None
    core = translate(pair_phrases(parsed.query, common) if common else parsed.query)
    titles = parsed.title_query()
    scored: dict[str, Any] = {"must": [core]}
    if titles is not None:
        scored["should"] = [translate(titles)]
    if parsed.exact is not None:  # pages that match the words as typed rank before the expansions' (index.search)
        exact = translate(pair_phrases(parsed.exact, common) if common else parsed.exact)
        scored.setdefault("should", []).append({"constant_score": {"filter": exact, "boost": EXACT_FIRST}})
    scored["filter"] = filter_clauses(merged)
    body: dict[str, Any] = {"query": {"bool": scored}, "size": size, "from": offset, "track_total_hits": True,
                            "_source": ["key", "sha256", "doc_id", "page", "year", "period", "committee", "doctype",
                                        "date", "title", "url", "kommune", "kommune_name"]}
    if sort in ("newest", "oldest"):
        order = "desc" if sort == "newest" else "asc"
        # As index.search: by date (else budget year), undated last, pages in order within a document.
        body["sort"] = [{"when": {"order": order, "missing": "_last"}}, {"sha256": order}, {"page": "asc"}]
    elif sort != "relevance":
        raise QueryError("unknown sort {sort!r} (use one of: {valid})", sort=sort, valid="relevance, newest, oldest")
    if facets:
        body["aggs"] = {f: {"terms": {"field": f, "size": 200}} for f in FACETS}
    if highlight:
        # The parts field carries each part at its whole word's offsets: "sykehjem" marks
        # "sykehjemsplasser" whole. Each field marks only its own query terms.
        body["highlight"] = {"type": "unified", "pre_tags": ["[["], "post_tags": ["]]"], "number_of_fragments": 1,
                             "fragment_size": 200, "no_match_size": 200,
                             "fields": {f: {} for f in ("body", "body.exact", "body.parts", "body.folded")}}
    return body
