"""One cell of output: text made safe, a value made fit for a CSV cell, a printed amount read.

Text from documents and web pages is untrusted: `safe` drops control characters and escape
sequences before anything reaches a terminal, a spreadsheet or a page, and `csv_cell`
quotes cells a spreadsheet would run as formulas. Amounts are read by `catalog.amounts`
(the extractor's own reader), never by a second parser here.
"""

from __future__ import annotations

import json
import re
from typing import Any

from catalog.amounts import normalise, parse_amount, strip_footnote
from catalog.text import strip_controls

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def safe(text: Any) -> str:
    """Text fit for a terminal or a cell: control characters and escape sequences removed."""
    if text is None:
        return ""
    return strip_controls(str(text))


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


def amount(cell: Any) -> int | float | None:
    """The number a printed table cell holds ("1 234,5" -> 1234.5, "(4 497,9)" -> -4497.9,
    "12 000" -> 12000), read by `catalog.amounts.parse_amount`; None for text, a dash, a
    percentage (a spreadsheet would lose its "%") and anything not clearly one amount."""
    if not isinstance(cell, str):
        return None
    text = strip_footnote(normalise(cell))
    if not text or text.endswith("%"):
        return None
    value = parse_amount(text)
    if value is None:
        return None
    return int(value) if value.is_integer() and "," not in text else value


def iso_date(value: Any) -> str | None:
    """The text when it is an ISO date (2021-12-14), for writers that type dates."""
    return value if isinstance(value, str) and _ISO_DATE.fullmatch(value) else None
