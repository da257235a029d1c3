"""Trends: matches per budget year, every year of the archive shown, blind spots named.

`trend_years` puts the index's per-year counts (index.search.trend) beside the catalog's:
years with no match get a zero row, years where documents failed to extract say how
many, and a count can be normalised by the pages the archive holds for that year.
"""

from __future__ import annotations

from dataclasses import dataclass

import catalog
from catalog import DataDir, Filters
from index.search import trend


@dataclass
class TrendYear:
    year: int
    pages: int  # matching pages
    documents: int  # matching documents
    archive_pages: int  # pages the archive holds for the year (within the filters)
    archive_documents: int
    failed: int  # documents of the year that gave no text (failed or no_text)
    per_1000_pages: float | None  # matching pages per 1,000 pages of the year


def trend_years(data_dir: DataDir, query: str, filters: Filters | None = None,
                conn: catalog.Connection | None = None, exact: bool = False) -> list[TrendYear]:
    """One row per budget year from the first to the last the archive (and the filters) cover.

    `conn`: a catalog connection to read from (the web passes its read-only one). `exact`: the
    words as typed, no expansions (index.search)."""
    filters = filters or Filters()
    found = {r.year: r for r in trend(data_dir, query, filters, exact=exact)}
    own = conn is None
    conn = catalog.connect(data_dir) if conn is None else conn
    try:
        stats = catalog.year_stats(conn, filters)
    finally:
        if own:
            conn.close()
    years = set(stats) | set(found)
    if not years:
        return []
    lo, hi = min(years), max(years)
    if filters.year_from is not None:
        lo = max(lo, filters.year_from)
    if filters.year_to is not None:
        hi = min(hi, filters.year_to)
    rows = []
    for y in range(lo, hi + 1):
        f = found.get(y)
        s = stats.get(y, {"documents": 0, "pages": 0, "failed": 0})
        pages = f.pages if f else 0
        rows.append(TrendYear(
            year=y, pages=pages, documents=f.documents if f else 0, archive_pages=s["pages"],
            archive_documents=s["documents"], failed=s["failed"],
            per_1000_pages=round(1000 * pages / s["pages"], 2) if s["pages"] else None,
        ))
    return rows
