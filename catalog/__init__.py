"""The catalog: hparkiv's single source of truth, shared by every stage.

One data dir holds `catalog.sqlite` (documents, versions, links, pages, tables, crawl
state), `files/` (documents stored by content hash) and `index/` (Whoosh, rebuildable
from the catalog). This package is light: it imports only the standard library and
platformdirs, so `hparkiv search` starts fast.
"""

from catalog.db import (
    SCHEMA,
    conditional_headers,
    connect,
    current_pages,
    dirty_versions,
    fetch_failures,
    filter_sql,
    find_version,
    finish_run,
    get_version,
    last_run,
    links_to,
    list_versions,
    mark_all_dirty,
    mark_extracted,
    mark_indexed,
    pages_of,
    pending_versions,
    record_fetch_failure,
    record_link,
    record_not_modified,
    record_version,
    set_classification,
    start_run,
    tables_of,
    transaction,
    urls_of,
    utcnow,
)
from catalog.models import Filters, Link, PageText, Table, Version
from catalog.paths import DataDir, default_data_dir

__all__ = [
    "conditional_headers",
    "dirty_versions",
    "fetch_failures",
    "filter_sql",
    "finish_run",
    "get_version",
    "last_run",
    "links_to",
    "mark_all_dirty",
    "mark_indexed",
    "pages_of",
    "record_not_modified",
    "set_classification",
    "start_run",
    "tables_of",
    "urls_of",
    "SCHEMA",
    "DataDir",
    "Filters",
    "Link",
    "PageText",
    "Table",
    "Version",
    "connect",
    "current_pages",
    "default_data_dir",
    "find_version",
    "list_versions",
    "mark_extracted",
    "pending_versions",
    "record_fetch_failure",
    "record_link",
    "record_version",
    "transaction",
    "utcnow",
]
