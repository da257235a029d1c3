"""Stage 3: a Whoosh index of pages, Norwegian-aware (stemming, exact phrases, compounds).

    update_index(data_dir)                         # incremental, from the catalog
    search(data_dir, "sykehjem", Filters(year_from=2020))
    trend(data_dir, "sykehjemsplasser", Filters())

Imports only Whoosh and the catalog (never Scrapy or pdfplumber), so `hparkiv search` starts fast.
"""

from index.errors import IndexLocked, IndexMissing, QueryError
from index.search import Hit, SearchResult, TrendRow, search, trend
from index.writer import IndexSummary, indexed_pages, update_index

__all__ = [
    "Hit",
    "IndexLocked",
    "IndexMissing",
    "IndexSummary",
    "QueryError",
    "SearchResult",
    "TrendRow",
    "indexed_pages",
    "search",
    "trend",
    "update_index",
]
