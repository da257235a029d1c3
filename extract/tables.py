"""Budget tables from a pdfplumber page: header row plus body rows of clean cell strings.

Table finding is the slowest part of extraction, so it runs only where a table can be:
pages with ruling lines (the `lines` strategy, exact for ruled tables) or pages whose
text looks like a budget table (numeric columns, "Tall i mill. kroner", "Regnskap",
"Budsjett"), where pdfplumber's `text` strategy is the fallback.
"""

from __future__ import annotations

import re
from typing import Any

from extract.text import clean_cell

LINES_SETTINGS: dict[str, Any] = {
    "vertical_strategy": "lines",
    "horizontal_strategy": "lines",
    "snap_tolerance": 3,
    "join_tolerance": 3,
    "intersection_tolerance": 3,
}
# keep_blank_chars keeps "1 234,5" one word, so its inner space does not become a column.
TEXT_SETTINGS: dict[str, Any] = {
    "vertical_strategy": "text",
    "horizontal_strategy": "text",
    "min_words_vertical": 3,
    "min_words_horizontal": 2,
    "text_keep_blank_chars": True,
    "text_x_tolerance": 3,
}

_NUMBER = re.compile(r"^[-+]?\(?\d{1,3}(?:[ .]\d{3})*(?:,\d+)?\)?%?$|^[-+]?\d+(?:,\d+)?%?$")
_YEAR = re.compile(r"^(?:19|20)\d\d$")
_AMOUNT_RUN = re.compile(r"(?:-?\d{1,3}(?: \d{3})*(?:,\d+)?(?: |$)){2,}$")
_TABLE_WORDS = ("tall i mill", "tall i 1000", "tall i hele", "regnskap", "budsjett", "økonomiplan")


def is_number(cell: str) -> bool:
    """An amount or plain number cell ("1 234,5", "-12 345", "4,2%", "2021")."""
    return bool(_NUMBER.match(cell.strip()))


def is_amount(cell: str) -> bool:
    """A number that is not a year: what body rows have and header rows do not."""
    return is_number(cell) and not _YEAR.match(cell.strip())


def has_ruling(page: Any) -> bool:
    """At least two horizontal and two vertical edges: a ruled table may be here."""
    horizontal = vertical = 0
    for edge in page.edges:
        if edge["orientation"] == "h":
            horizontal += 1
        else:
            vertical += 1
        if horizontal >= 2 and vertical >= 2:
            return True
    return False


def looks_tabular(text: str) -> bool:
    """Text with numeric columns: three lines ending in two or more amounts, or fewer with a budget caption."""
    numeric_lines = sum(1 for line in text.split("\n") if _AMOUNT_RUN.search(line))
    if numeric_lines >= 3:
        return True
    lowered = text.lower()
    return numeric_lines >= 2 and any(w in lowered for w in _TABLE_WORDS)


def find_tables(page: Any, text: str | None = None) -> list[tuple[list[str], list[list[str]]]]:
    """(header, rows) for each table on the page; [] quickly on pages that cannot hold one.

    `text` is the page's clean text if already extracted (used for the tabular test).
    """
    if has_ruling(page):
        raw = page.extract_tables(LINES_SETTINGS)
        tables = [t for t in (tidy(r) for r in raw) if t]
        if tables:
            return tables
    if text is None:
        text = page.extract_text() or ""
    if not looks_tabular(text):
        return []
    raw = page.extract_tables(TEXT_SETTINGS)
    return [t for t in (tidy(r) for r in raw) if t and _numeric_enough(t[1])]


def _numeric_enough(rows: list[list[str]]) -> bool:
    """A text-strategy table is kept only if most body rows carry amounts (else it is prose)."""
    with_amounts = sum(1 for row in rows if sum(is_amount(c) for c in row[1:]) >= 1)
    return len(rows) >= 2 and with_amounts >= max(2, len(rows) // 2)


def tidy(raw: list[list[str | None]]) -> tuple[list[str], list[list[str]]] | None:
    """Clean cells, drop empty rows and columns, split off a (merged) header."""
    rows = [[clean_cell(c) for c in row] for row in raw]
    spans = [[c is None for c in row] for row in raw]  # None: covered by a merged cell
    keep_rows = [i for i, row in enumerate(rows) if any(row)]
    rows = [rows[i] for i in keep_rows]
    spans = [spans[i] for i in keep_rows]
    if not rows:
        return None
    width = max(len(r) for r in rows)
    rows = [r + [""] * (width - len(r)) for r in rows]
    spans = [s + [False] * (width - len(s)) for s in spans]
    keep_cols = [j for j in range(width) if any(r[j] for r in rows)]
    if len(keep_cols) < 2 or len(rows) < 2:
        return None
    rows = [[r[j] for j in keep_cols] for r in rows]
    spans = [[s[j] for j in keep_cols] for s in spans]
    n_header = _header_rows(rows)
    header = merge_header(rows[:n_header], spans[:n_header]) if n_header else rows[0]
    body = rows[max(n_header, 1):]
    if not body:
        return None
    return header, body


def _header_rows(rows: list[list[str]]) -> int:
    """Leading rows with no amounts outside the first column (years allowed), at most 3."""
    n = 0
    for row in rows[:3]:
        if any(is_amount(c) for c in row[1:]):
            break
        n += 1
    if n == len(rows):  # a table of words only: its first row is the header
        return 1
    return n


def merge_header(rows: list[list[str]], spans: list[list[bool]] | None = None) -> list[str]:
    """Join stacked header rows column by column: "Regnskap" over "2019" -> "Regnskap 2019".

    A label spanning several columns (e.g. "Økonomiplan" over 2021-2024) is a group
    title, not part of one column's name, so it is left out of the column names.
    """
    if len(rows) == 1:
        return rows[0]
    width = len(rows[0])
    merged: list[str] = []
    for j in range(width):
        parts = []
        for r, row in enumerate(rows):
            cell = row[j]
            if not cell:
                continue
            spans_right = (
                spans is not None and r < len(rows) - 1 and j + 1 < width and spans[r][j + 1]
            )
            if spans_right:
                continue
            parts.append(cell)
        merged.append(" ".join(parts))
    return merged
