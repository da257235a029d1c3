"""An OpenSearch index's terms, for the query parser's corrections, compounds and forms (index/spelling.py).

Two questions, answered where each is cheap and exact:

- How many pages hold a term (a stem in `text`, a part in `parts`, a word in `exact`, ...): the
  engine, for the index behind the alias, many terms in one request (a `filters` aggregation of
  `term` queries on the fields of index/opensearch/schema.py, every version's pages as Whoosh's
  `doc_frequency` counts them).
- The words of the `exact` field with their pages, for a close spelling: the catalog. The
  engine could list them only from a text field's fielddata (the whole vocabulary on the heap
  of every data node) or a keyword copy of every page's words (more disk a page); the catalog
  holds the very text the index was built from (index/schema.py `page_text`, split by
  index/fields.py `words_of`, as the `exact` field is), so its words are the index's. It is read
  once per catalog state and index, when a query first needs a correction.

Both are cached per index and catalog state (an update changes the catalog as it commits), as
Whoosh caches them per index generation.
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Callable, Iterable
from typing import Any

from catalog.paths import DataDir
from index.opensearch.schema import FIELDS

BATCH = 200  # terms per request
MAX_CACHED = 50_000


def catalog_stamp(data_dir: DataDir) -> tuple:
    """What changes when the catalog does (its file and its write-ahead log): a cache's key."""
    out: list[Any] = []
    for path in (data_dir.catalog, data_dir.catalog.with_name(data_dir.catalog.name + "-wal")):
        try:
            st = os.stat(path)
            out.append((st.st_mtime_ns, st.st_size, st.st_ino))
        except OSError:
            out.append(None)
    return tuple(out)


class EngineTerms:
    """index.spelling.Terms for one OpenSearch index: `ask(body)` runs a search on it."""

    def __init__(self, data_dir: DataDir, ask: Callable[[dict[str, Any]], dict[str, Any]], shared: dict) -> None:
        self.data_dir = data_dir
        self.ask = ask
        self.shared = shared  # the cache of this index and catalog state (IndexSpelling shares it)

    def pages(self, terms: list[tuple[str, str]]) -> list[int]:
        cache: dict[tuple[str, str], int] = self.shared.setdefault("pages", {})
        known = {t: n for t in terms if (n := cache.get(t)) is not None}
        wanted = [t for t in dict.fromkeys(terms) if t not in known]
        for start in range(0, len(wanted), BATCH):
            chunk = wanted[start:start + BATCH]
            body = {"size": 0, "track_total_hits": False,
                    "aggs": {"terms": {"filters": {"filters": {str(i): {"term": {FIELDS[f]: t}}
                                                               for i, (f, t) in enumerate(chunk)}}}}}
            buckets = self.ask(body)["aggregations"]["terms"]["buckets"]
            got = {term: buckets[str(i)]["doc_count"] for i, term in enumerate(chunk)}
            known.update(got)
            if len(cache) > MAX_CACHED:
                cache.clear()
            cache.update(got)
        return [known[t] for t in terms]

    def words(self) -> Iterable[tuple[str, int]]:
        return catalog_words(self.data_dir).items()


def catalog_words(data_dir: DataDir) -> Counter:
    """Every word of every version's pages (text and tables, as the index writer sends them) with
    the pages that hold it."""
    import catalog
    from catalog.models import Filters
    from index.fields import words_of
    from index.schema import page_text
    from index.writer import pages_of

    conn = catalog.connect_readonly(data_dir)
    try:
        counts: Counter = Counter()
        for v in catalog.list_versions(conn, Filters(all_versions=True)):
            for p in pages_of(conn, v):
                counts.update(set(words_of(page_text(p.text, p.tables))))
        return counts
    finally:
        conn.close()
