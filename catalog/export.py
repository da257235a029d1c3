"""The shapes of exported rows, shared by every front end (the CLI's --format json|jsonl|csv
and the web's /api/*), so a CSV from the browser equals the CLI's.

Text from documents and web pages is untrusted: `safe` drops control characters and escape
sequences, and `csv_cell` quotes cells a spreadsheet would run as formulas.
"""

from __future__ import annotations

import json
import re
from typing import Any

from catalog.text import strip_controls

VERSION_COLUMNS = (
    "doc_id", "url", "title", "year", "period", "committee", "doctype", "date", "pages",
    "status", "error", "sha256", "superseded_by", "first_seen", "last_seen", "ocr_pages", "media_type",
)
HIT_COLUMNS = ("doc_id", "url", "title", "year", "period", "committee", "doctype", "date", "page", "score",
               "snippet", "link")
TREND_COLUMNS = ("year", "pages", "documents", "archive_pages", "archive_documents", "failed", "per_1000_pages")


def safe(text: Any) -> str:
    """Text fit for a terminal or a cell: control characters and escape sequences removed."""
    if text is None:
        return ""
    return strip_controls(str(text))


def plain(snippet: str) -> str:
    """A snippet without the index's [[match]] markers."""
    return safe(snippet).replace("[[", "").replace("]]", "")


def csv_cell(value: Any) -> Any:
    """A value fit for a CSV cell: lists and dicts as JSON, formula-like text quoted."""
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, str):
        value = safe(value)
        # Spreadsheets run cells that start like formulas; quote them.
        if value[:1] in ("=", "+", "@") or (value[:1] == "-" and not _looks_numeric(value)):
            return "'" + value
    return value


def _looks_numeric(value: str) -> bool:
    """An amount ("-1 234,5", "-4,2 %") or a lone dash: a spreadsheet runs none of these."""
    return bool(re.fullmatch(r"-?[\d\s.,]*\d[\d\s.,]*%?|-", value))


def hit_dict(hit: Any) -> dict[str, Any]:
    """One page hit (index.Hit) as an export row."""
    return {
        "doc_id": hit.doc_id, "url": hit.url, "title": hit.title, "year": hit.year, "period": hit.period,
        "committee": hit.committee, "doctype": hit.doctype, "date": hit.date, "page": hit.page,
        "score": round(float(hit.score), 4), "snippet": plain(hit.snippet), "link": f"{hit.url}#page={hit.page}",
    }


def version_dict(v: Any) -> dict[str, Any]:
    """One document version (catalog.Version) as an export row, with its provenance."""
    d = v.to_dict()
    return {k: d.get(k) for k in VERSION_COLUMNS} | {"provenance": d.get("provenance", {})}
