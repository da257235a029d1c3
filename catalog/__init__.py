"""The catalog: hparkiv's single source of truth, shared by every stage.

One data dir holds `catalog.sqlite` (documents, versions, links, pages, tables, vedtak,
crawl state), `files/` (documents stored by content hash) and `index/` (Whoosh,
rebuildable from the catalog). The only package that runs SQL: the stages call the
functions named here. Light: it imports only the standard library and platformdirs,
so `hparkiv search` starts fast.
"""

from catalog.crawl import (
    conditional_headers,
    fetch_failures,
    holds_version,
    links_to,
    record_fetch_failure,
    record_link,
    record_not_modified,
    record_version,
    urls_of,
)
from catalog.db import Connection, connect, connect_readonly, data_dir_of, transaction, utcnow
from catalog.errors import CatalogError, CatalogOutdated, CatalogTooNew
from catalog.models import Filters, Link, PageText, Proposal, Table, Vedtak, Version, Vote
from catalog.pages import all_tables, current_pages, pages_of, pages_with_tables, record_extraction, tables_of
from catalog.paths import DataDir, default_data_dir
from catalog.runs import finish_run, last_run, start_run
from catalog.schema import SCHEMA, SCHEMA_VERSION
from catalog.versions import (
    count_undated,
    dirty_versions,
    fill_date,
    filter_sql,
    find_version,
    get_version,
    kommuner,
    list_versions,
    mark_indexed,
    pending_versions,
    undated_versions,
    versions_at_urls_of,
    year_span,
    year_stats,
)

__all__ = [
    "SCHEMA",
    "SCHEMA_VERSION",
    "CatalogError",
    "CatalogOutdated",
    "CatalogTooNew",
    "Connection",
    "DataDir",
    "Filters",
    "Link",
    "PageText",
    "Proposal",
    "Table",
    "Vedtak",
    "Version",
    "Vote",
    "all_tables",
    "conditional_headers",
    "connect",
    "connect_readonly",
    "count_undated",
    "current_pages",
    "data_dir_of",
    "default_data_dir",
    "dirty_versions",
    "fetch_failures",
    "fill_date",
    "filter_sql",
    "find_version",
    "finish_run",
    "get_version",
    "holds_version",
    "kommuner",
    "last_run",
    "links_to",
    "list_versions",
    "mark_indexed",
    "pages_of",
    "pages_with_tables",
    "pending_versions",
    "record_extraction",
    "record_fetch_failure",
    "record_link",
    "record_not_modified",
    "record_version",
    "start_run",
    "tables_of",
    "transaction",
    "undated_versions",
    "urls_of",
    "utcnow",
    "versions_at_urls_of",
    "year_span",
    "year_stats",
]
