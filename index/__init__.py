"""Stage 3: the Norwegian-aware page index (stemming, exact phrases, compounds), on Whoosh
embedded (the default) or an OpenSearch cluster: one interface, index/backend.py.

    update_index(data_dir)                         # incremental, from the catalog
    search(data_dir, "sykehjem", Filters(year_from=2020))
    trend(data_dir, "sykehjemsplasser", Filters())

The data dir's engine.toml chooses the engine; nothing here names one. Imports only Whoosh
and the catalog (never Scrapy or pdfplumber, and opensearch-py only when a cluster is used),
so `hparkiv search` starts fast.
"""

from index.errors import EngineUnavailable, IndexLocked, IndexMissing, QueryError
from index.search import Hit, SearchResult, TrendRow, search, trend
from index.writer import IndexSummary, indexed_pages, update_index

__all__ = [
    "EngineUnavailable",
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
