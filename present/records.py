"""The record shapes every front end prints or serves, and their column lists, declared once.

A record is a plain dict (what `--format json` prints and `/api/*` serves); a column list
names the fields a CSV or a spreadsheet has, in order. The CLI and the web build their
output from these functions only, so `hparkiv search --format csv` and `/api/search?format=csv`
are the same bytes by construction. Field names are a contract with users' scripts: add a
field, never rename one.
"""

from __future__ import annotations

from typing import Any

from present.snippets import plain

VERSION_COLUMNS = (
    "doc_id", "url", "title", "year", "period", "committee", "doctype", "date", "pages",
    "status", "error", "sha256", "superseded_by", "first_seen", "last_seen", "ocr_pages", "media_type",
    "kommune", "kommunenummer", "source",
)
HIT_COLUMNS = ("doc_id", "url", "title", "year", "period", "committee", "doctype", "date", "page", "score",
               "snippet", "link", "kommune", "kommunenummer")
TREND_COLUMNS = ("year", "pages", "documents", "archive_pages", "archive_documents", "failed", "per_1000_pages")
# `series LABEL --kommune A,B`: one row per municipality and year.
FIGURE_COLUMNS = ("kommune", "kommunenummer", "year", "stage", "value_kr", "per_capita", "inhabitants",
                  "inhabitants_label", "inhabitants_doc_id", "inhabitants_page", "text", "unit", "doc_id", "title", "page",
                  "disagree")
# `hparkiv tables`: every CSV row starts with these, then `row` and the table's cells (col1, col2, …).
TABLE_LEAD = ("page", "table", "caption", "unit", "document_title", "link")


def hit_record(hit: Any) -> dict[str, Any]:
    """One page hit (index.Hit): the snippet without its markers, a link that opens the page."""
    return {
        "doc_id": hit.doc_id, "url": hit.url, "title": hit.title, "year": hit.year, "period": hit.period,
        "committee": hit.committee, "doctype": hit.doctype, "date": hit.date, "page": hit.page,
        "score": round(float(hit.score), 4), "snippet": plain(hit.snippet), "link": f"{hit.url}#page={hit.page}",
        "kommune": getattr(hit, "kommune", None), "kommunenummer": getattr(hit, "kommunenummer", None),
    }


def version_record(v: Any) -> dict[str, Any]:
    """One document version (catalog.Version) with its provenance: `hparkiv list`, /api/documents."""
    d = v.to_dict()
    return {k: d.get(k) for k in VERSION_COLUMNS} | {"provenance": d.get("provenance", {})}


def document_record(v: Any, urls: list[dict[str, Any]], links: list[Any], pages: list[Any]) -> dict[str, Any]:
    """A document with where it was found and the text of the pages asked for: `hparkiv show`, /api/doc."""
    return version_record(v) | {
        "urls": urls,
        "links": [vars(link) for link in links],
        "pages_text": [{"page": p.page, "text": p.text, "ocr": p.ocr} for p in pages],
    }


def table_record(v: Any, t: Any) -> dict[str, Any]:
    """One extracted table (catalog.Table), numbered from 1 on its page as in every format."""
    return {"doc_id": v.doc_id, "page": t.page, "index": t.index, "table": t.index + 1, "caption": t.caption,
            "unit": t.unit, "bbox": t.bbox, "header": t.header, "rows": t.rows, "values": t.values,
            "document_title": v.title, "link": f"{v.url}#page={t.page}"}


def trend_record(row: Any) -> dict[str, Any]:
    """One budget year of a trend (index.years.TrendYear)."""
    return dict(vars(row))


def figure_records(comparison: Any) -> list[dict[str, Any]]:
    """A comparison's figures (budget.compare), one record per municipality and year; where the
    inhabitants were read: the row as printed, the document and its page."""
    out = []
    for k in comparison.kommuner:
        for f in k.figures:
            i = f.inhabitants_from
            out.append({"kommune": k.kommune, "kommunenummer": k.kommunenummer, "year": f.year, "stage": f.stage,
                        "value_kr": f.value_kr, "per_capita": f.per_capita, "inhabitants": f.inhabitants,
                        "inhabitants_label": i.label if i else None, "inhabitants_doc_id": i.doc_id if i else None,
                        "inhabitants_page": i.page if i else None, "text": f.text, "unit": f.unit, "doc_id": f.doc_id,
                        "title": f.title, "page": f.page, "disagree": f.disagree})
    return out
