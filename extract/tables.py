"""Budget tables from a pdfplumber page: header row plus body rows of clean cell strings.

Table finding is the slowest part of extraction, so it runs only where a table can be:
pages with ruling lines (the `lines` strategy, exact for ruled tables) or pages whose
text looks like a budget table (numeric columns, "Tall i mill. kroner", "Regnskap",
"Budsjett"), where columns are read from the right edges of the amounts.
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
# Within this distance (pt) right edges of amounts belong to the same column.
COLUMN_TOLERANCE = 6.0

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
    return text_tables(page)


def text_tables(page: Any) -> list[tuple[list[str], list[list[str]]]]:
    """Unruled budget tables: runs of lines with right-aligned amount columns.

    pdfplumber's `text` strategy merges a row label with the first amount (the amounts'
    left edges do not align), so we read columns from the amounts' right edges instead.
    Words keep their inner blanks, so "1 234,5" is one cell and the wide gaps between
    columns separate cells.
    """
    words = page.extract_words(keep_blank_chars=True, x_tolerance=1.5, y_tolerance=3)
    lines: list[list[dict[str, Any]]] = []
    for w in sorted(words, key=lambda w: (round(w["top"]), w["x0"])):
        if lines and abs(lines[-1][0]["top"] - w["top"]) <= 3:
            lines[-1].append(w)
        else:
            lines.append([w])
    for line in lines:
        line.sort(key=lambda w: w["x0"])
    tables = []
    i = 0
    while i < len(lines):
        if _amount_count(lines[i]) < 2:
            i += 1
            continue
        start = i
        while i < len(lines) and _amount_count(lines[i]) >= 2:
            i += 1
        if i - start >= 2:
            table = _table_from_lines(lines[max(0, start - 2):start], lines[start:i])
            if table:
                tables.append(table)
    return tables


def _amount_count(line: list[dict[str, Any]]) -> int:
    return sum(1 for w in line if is_amount(clean_cell(w["text"])))


def _table_from_lines(
    above: list[list[dict[str, Any]]], body: list[list[dict[str, Any]]]
) -> tuple[list[str], list[list[str]]] | None:
    edges: list[float] = []  # right edges of the amount columns
    for line in body:
        for w in line:
            if is_amount(clean_cell(w["text"])) and not any(abs(w["x1"] - e) <= COLUMN_TOLERANCE for e in edges):
                edges.append(w["x1"])
    edges.sort()

    def row_of(line: list[dict[str, Any]]) -> list[str] | None:
        cells = [""] * (len(edges) + 1)
        for w in line:
            text = clean_cell(w["text"])
            near = [k for k, e in enumerate(edges) if abs(w["x1"] - e) <= COLUMN_TOLERANCE]
            if near:
                cells[near[0] + 1] = text
            elif w["x1"] < edges[0] - COLUMN_TOLERANCE:
                cells[0] = f"{cells[0]} {text}".strip()
            else:
                return None  # text that fits no column: not part of this table
        return cells

    rows = [r for r in (row_of(line) for line in body) if r]
    header_rows = [r for r in (row_of(line) for line in above) if r and sum(1 for c in r[1:] if c) * 2 >= len(edges)]
    if len(rows) < 2 or len(edges) < 2:
        return None
    return tidy(header_rows + rows)


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
