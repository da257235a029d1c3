"""What each command and route exports, described once for every format and front end.

An `Export` holds the records of one answer (hits, documents, tables, years, points, vedtak),
the columns a CSV or a spreadsheet shows, and the JSON around the records. The functions
below build one per kind of answer; `present.formats` turns an export into JSON, JSON lines,
CSV or xlsx; the CLI writes that to stdout and the web streams it. The CLI's
`--format csv` and the web's `?format=csv` are one function's output.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from present import budget, records
from present.cells import safe
from present.vedtak import VEDTAK_COLUMNS, vedtak_record, vedtak_row


@dataclass
class Grid:
    """A table with its own header (`hparkiv tables`).

    In a spreadsheet: a sheet of its own named from `title`, with `about` (caption, unit, the
    document, its page and link) above its header and cells. In a CSV, which has one header for
    the whole file: each of its rows led by `lead` (the same facts), then a `row` column
    ("header" for the table's own header row, else its number), then its cells."""

    title: str
    header: list[str]
    rows: list[list[Any]]
    lead: dict[str, Any] = field(default_factory=dict)
    about: list[tuple[str, Any]] = field(default_factory=list)


@dataclass
class Export:
    """One answer, ready for any format.

    `records` are what JSON and JSON lines hold, one object each; `row` flattens a record for
    CSV and spreadsheets (`columns`, in order). JSON is `{**head, key: [records], **tail}`,
    or a bare array when `head` is None. `grid` (tables) makes each record a table of its own,
    its rows led by `columns`. `name` names the download (search.csv) and `sheet` the spreadsheet's tab.
    """

    name: str
    records: Iterable[dict[str, Any]]
    columns: Sequence[str] = ()
    sheet: str = "hparkiv"
    head: dict[str, Any] | None = None
    key: str = ""
    tail: dict[str, Any] = field(default_factory=dict)
    row: Callable[[dict[str, Any]], dict[str, Any]] = dict
    grid: Callable[[dict[str, Any]], Grid] | None = None

    def rows(self) -> Iterator[dict[str, Any]]:
        return (self.row(r) for r in self.records)


def search_export(query: str, total: int, hits: Iterable[Any], facets: dict[str, Any], *, exact: bool = False,
                  expansions: Iterable[Any] = (), suggestions: Iterable[Any] = ()) -> Export:
    """Page hits (index.Hit, in rank order) of a search: `hparkiv search`, /api/search. The head says
    what was searched beside the words as typed (`expansions`) and the committees named (`suggestions`)."""
    from present.expansions import expansion_record, suggestion_record

    head = {"query": query, "total": total, "exact": exact,
            "expansions": [expansion_record(e) for e in expansions],
            "suggestions": [suggestion_record(s) for s in suggestions]}
    return Export("search", (records.hit_record(h) for h in hits), records.HIT_COLUMNS, sheet="treff",
                  head=head, key="hits", tail={"facets": facets})


def documents_export(versions: Iterable[Any]) -> Export:
    """Document versions (catalog.Version): `hparkiv list`, /api/documents."""
    return Export("documents", (records.version_record(v) for v in versions), records.VERSION_COLUMNS,
                  sheet="dokumenter")


def tables_export(version: Any, tables: Iterable[Any]) -> Export:
    """A document's tables (catalog.Table): `hparkiv tables`, /doc/{id}/tables.csv and .xlsx."""
    return Export("tables", (records.table_record(version, t) for t in tables), records.TABLE_LEAD, sheet="tabeller",
                  grid=table_grid)


def table_grid(record: dict[str, Any]) -> Grid:
    """One table as a grid: named from its caption (else its page and number), and carrying
    what its numbers mean: caption, unit, the document, the page and a link to that page."""
    title = safe(record["caption"]).strip() or f"s. {record['page']} tabell {record['table']}"
    lead = {k: record[k] for k in records.TABLE_LEAD}
    about = [(k, record[k]) for k in ("caption", "unit", "document_title", "doc_id", "page", "table", "link")]
    return Grid(title, [safe(h) for h in record["header"]], record["rows"], lead=lead, about=about)


def trend_export(query: str, rows: Iterable[Any], count: str = "pages", normalise: bool = False) -> Export:
    """Matches per budget year (index.years.TrendYear): `hparkiv trend`, /api/trend."""
    return Export("trend", (records.trend_record(r) for r in rows), records.TREND_COLUMNS, sheet="trend",
                  head={"query": query, "count": count, "normalise": normalise}, key="years")


def series_export(found: Any) -> Export:
    """A budget line's series (budget.series.Series): every printed amount as a point (today's
    fields and its family, stage, role and conflict), then each (family, line) series with its
    adopted figures, projections and accounts: `hparkiv series`, /api/series."""
    d = found.to_dict()
    return Export("series", d["points"], budget.POINT_COLUMNS, sheet="serie",
                  head={"label": d["label"], "unit": d["unit"], "families": d["families"]}, key="points",
                  tail={"series": d["series"]})


def endringer_export(e: Any) -> Export:
    """What changed between the stages of one plan period (budget.endringer.Endringer):
    `hparkiv endringer`, /api/endringer/{period}, the downloads of /prosess/{period}. JSON is
    `{period, stages, lines, decisions}` (and the quotes and renamings found)."""
    return Export(f"endringer-{e.period}", [budget.endringer_line_record(ln) for ln in e.lines],
                  budget.ENDRINGER_COLUMNS, sheet="endringer", head=budget.endringer_head(e), key="lines",
                  tail=budget.endringer_tail(e), row=budget.endringer_row)


def comparison_export(comparison: Any) -> Export:
    """One budget line of several municipalities (budget.Comparison): `series --kommune A,B`, /api/series."""
    return Export("comparison", iter(records.figure_records(comparison)), records.FIGURE_COLUMNS, sheet="sammenligning",
                  head={"label": comparison.label, "per_capita": comparison.per_capita,
                        "notes": [str(n) for n in comparison.notes],
                        "kommuner": [{"kommune": k.kommune, "kommunenummer": k.kommunenummer,
                                      "notes": [str(n) for n in k.notes]} for k in comparison.kommuner]},
                  key="figures")


def vedtak_export(query: str | None, total: int, found: Iterable[tuple[Any, Any]]) -> Export:
    """Vedtak with their document versions: `hparkiv vedtak`, /api/vedtak."""
    return Export("vedtak", (vedtak_record(v, d) for v, d in found), VEDTAK_COLUMNS, sheet="vedtak",
                  head={"query": query, "total": total}, key="decisions", row=vedtak_row)
