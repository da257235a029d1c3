"""The shapes of exported rows, shared by every front end (the CLI's --format json|jsonl|csv
and the web's /api/*), so a CSV from the browser equals the CLI's.

Text from documents and web pages is untrusted: `safe` drops control characters and escape
sequences, and `csv_cell` quotes cells a spreadsheet would run as formulas.
"""

from __future__ import annotations

import json
import re
from typing import Any

VERSION_COLUMNS = (
    "doc_id", "url", "title", "year", "period", "committee", "doctype", "date", "pages",
    "status", "error", "sha256", "superseded_by", "first_seen", "last_seen", "ocr_pages", "media_type",
)
HIT_COLUMNS = ("doc_id", "url", "title", "year", "period", "committee", "doctype", "date", "page", "score",
               "snippet")
TREND_COLUMNS = ("year", "pages", "documents")

# C0 and C1 control characters (ESC included) except tab and newline, plus bidi overrides.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def safe(text: Any) -> str:
    """Text fit for a terminal: control characters and escape sequences removed."""
    if text is None:
        return ""
    return _CONTROL.sub("", str(text))


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
    return bool(re.fullmatch(r"-?[\d\s.,]+", value))


def hit_dict(hit: Any) -> dict[str, Any]:
    """One page hit (index.Hit) as an export row."""
    return {
        "doc_id": hit.doc_id, "url": hit.url, "title": hit.title, "year": hit.year, "period": hit.period,
        "committee": hit.committee, "doctype": hit.doctype, "date": hit.date, "page": hit.page,
        "score": round(float(hit.score), 4), "snippet": plain(hit.snippet),
    }


def version_dict(v: Any) -> dict[str, Any]:
    """One document version (catalog.Version) as an export row, with its provenance."""
    d = v.to_dict()
    return {k: d.get(k) for k in VERSION_COLUMNS} | {"provenance": d.get("provenance", {})}
