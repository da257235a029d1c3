"""Searching the index: ranked page hits with snippets, facets and per-year trends.

The entry points, the same whichever engine answers. Each parses the query (index/query.py),
narrows the filters by the query's own fields, asks the data dir's backend
(index/backend.py: Whoosh or OpenSearch) for the matches, and cuts snippets for the hits on
screen from the catalog's page text (index/snippets.py), so both engines show the same
snippets for the same page.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import catalog
from catalog.models import Filters
from catalog.paths import DataDir
from index.backend import Matches, TrendRow, open_backend
from index.errors import QueryError
from index.parsed import Expansion, Highlight, ParsedQuery, Suggestion
from index.query import parse
from index.schema import page_text
from index.snippets import SnippetParts, snippet

__all__ = ["SORTS", "Hit", "SearchResult", "TrendRow", "search", "trend"]


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
    # What was searched beside the words as typed (index.parsed.Expansion: close spellings,
    # amounts, abbreviations, Nynorsk, synonyms), and committees named (their filters offered).
    expansions: list[Expansion] = field(default_factory=list)
    suggestions: list[Suggestion] = field(default_factory=list)
    exact: bool = False  # searched as typed, every expansion off
    exact_total: int | None = None  # pages matching the words as typed (they rank first); None: no expansions


SORTS = ("relevance", "newest", "oldest")


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
    backend = open_backend(data_dir)
    parsed = parse(query, exact=exact, spelling=backend.spelling())
    merged = parsed.with_filters(filters or Filters())
    if merged is None:  # the query's fields and the flags exclude each other
        return _answer(query, parsed, exact, total=0, hits=[], facets={})
    found: Matches = backend.search(parsed, merged, limit=limit, offset=offset, facets=facets, sort=sort,
                                    within=within)
    hits = make_hits(data_dir, found.hits, parsed.highlight, backend.snippet_parts() if found.hits else None)
    return _answer(query, parsed, exact, total=found.total, hits=hits, facets=found.facets,
                   doc_pages=found.doc_pages, exact_total=found.exact_total)


def _answer(query: str, parsed: ParsedQuery, exact: bool, **fields) -> SearchResult:
    return SearchResult(query=query, expansions=parsed.expansions, suggestions=parsed.suggestions, exact=exact,
                        **fields)


def trend(data_dir: DataDir, query: str, filters: Filters | None = None, exact: bool = False) -> list[TrendRow]:
    """Matching pages and documents per budget year, oldest first (pages without a year left out)."""
    backend = open_backend(data_dir)
    parsed = parse(query, exact=exact, spelling=backend.spelling())
    merged = parsed.with_filters(filters or Filters())
    if merged is None:
        return []
    return backend.trend(parsed, merged)


# --- hits ------------------------------------------------------------------------------------


def make_hits(data_dir: DataDir, stored: list[tuple[dict[str, Any], float]], hl: Highlight,
              parts: SnippetParts | None) -> list[Hit]:
    """The hits on screen from their stored fields, each with its snippet from the catalog."""
    texts = _page_texts(data_dir, [(f["sha256"], f["page"]) for f, _ in stored])
    hits = []
    for f, score in stored:
        text = texts.get((f["sha256"], f["page"]), "")
        hits.append(
            Hit(
                doc_id=f.get("doc_id") or f["sha256"][:12], url=f.get("url") or "", title=f.get("title"),
                year=f.get("year"), period=f.get("period"), committee=f.get("committee"),
                doctype=f.get("doctype"), date=f.get("date"), page=f["page"], score=float(score),
                snippet=snippet(text, hl, parts), sha256=f["sha256"],
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
