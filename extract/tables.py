"""Budget tables from a pdfplumber page, read from the words' positions.

One reading serves every layout (ruled grids, banded and zebra tables, whitespace-only
tables), because what makes a budget table is the same in all of them: a label column
on the left and right-aligned amount columns. Rules and fills differ by layout and are
only hints (a short rule under a group title tells how many columns it spans).

How a page is read:
1. Characters become lines (by vertical middle) and lines become segments (extract/lines.py): runs of
   characters without a column-wide gap. "4 497,9" stays one segment whatever space
   separates its groups (space, thin space, no-break space, or only a gap). Where a table
   stands beside a paragraph or beside another table, each side is a flow of its own lines
   (extract/columns.py), read apart from the other.
2. Lines with amounts right of a label are body rows; consecutive rows make a table,
   broken by a caption ("Tabell N"), a wide gap or prose. A blank band does not break it
   when the rows below go on under the same columns (an overview after a sub-sum). A label
   wrapped over lines is one row, its amounts on its first, a middle or its last line: the
   lines go on visibly (lower case, a parenthesis, a hyphen, "og" at the end) or stand
   closer than the rows do; a label-only line that goes on from none is a row of its own.
3. Amount columns are the overlap-union of the amount segments: right-aligned amounts
   of any width overlap at their right ends, neighbouring columns never do.
4. Up to three lines above the rows are the header; a segment over several columns is
   a group title and prefixes each ("Økonomiplan" over "2023" -> "Økonomiplan 2023").
5. Above the header: the caption (the "Tabell N" line, else the nearest heading) and
   the unit ("Tall i mill. kroner"), which may also stand in the header.
Steps 2 and 3 are extract/rows.py; steps 4 and 5, and a table built from them, are here.

Table finding runs only where a table can be (ruling lines, or text that looks tabular).
"""

from __future__ import annotations

import re
from typing import Any

from catalog.amounts import find_unit, is_amount, is_year, parse_amount
from catalog.models import Table
from extract.columns import page_flows
from extract.lines import Line, Seg
from extract.rows import (
    CAPTION,
    Block,
    continues,
    goes_on,
    is_body,
    label_only,
    labels_before_row,
    overlap,
    row_cells,
    row_groups,
    set_columns,
    take_wrapped_start,
)

__all__ = ["continue_table", "find_tables", "has_ruling", "is_amount", "looks_tabular", "page_tables"]

_AMOUNT_RUN = re.compile(r"(?:-?\(?\d{1,3}(?: \d{3})*(?:,\d+)?\)?(?: %)?(?: |$)){2,}$")
# Amounts in the middle of a line: a table's row with a paragraph printed beside it.
_INNER_RUN = re.compile(r"(?:^|\s)(?:-?\(?\d{1,3}(?: \d{3})*,\d+\)?(?: %)? ){2,}\D")
_ONE_AMOUNT = re.compile(r"\D -?\(?\d{1,3}(?: \d{3})*(?:,\d+)?\)?$")
_TABLE_WORDS = ("tall i", "i 1000", "hele kroner", "regnskap", "budsjett", "økonomiplan", "tabell")
_GROUPED = re.compile(r"\d[ ,.]\d")  # thousands or decimals: an amount, not a page number
MAX_HEADER_LINES = 3


def has_ruling(page: Any) -> bool:
    """At least two horizontal and two vertical edges: a ruled or banded table may be here."""
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
    """Text with amount columns: three lines ending in two or more amounts (or holding two or
    more decimal amounts before more text: a row with a paragraph beside it), or two lines ending
    in an amount on a page with a table word ("Tall i mill. kroner", "Tabell")."""
    lines = text.split("\n")
    if sum(1 for line in lines if _AMOUNT_RUN.search(line) or _INNER_RUN.search(line)) >= 3:
        return True
    lowered = text.lower()
    if not any(w in lowered for w in _TABLE_WORDS):
        return False
    return sum(1 for line in lines if _AMOUNT_RUN.search(line) or _ONE_AMOUNT.search(line)) >= 2


def find_tables(page: Any, text: str | None = None) -> list[Table]:
    """The tables of one page, [] quickly on pages that cannot hold one.

    `text` is the page's clean text if already extracted (used for the quick test).
    """
    if not has_ruling(page):
        if text is None:
            text = page.extract_text() or ""
        if not looks_tabular(text):
            return []
    return page_tables(page)


def continue_table(previous: Table | None, table: Table) -> None:
    """A headerless first table on a page continuing the last table of the page before
    (same columns, no caption of its own) takes that table's header, caption and unit."""
    if previous is None or table.index != 0 or previous.page != table.page - 1:
        return
    if any(table.header) or table.caption or len(table.header) != len(previous.header):
        return
    table.header = list(previous.header)
    table.caption = previous.caption
    table.unit = table.unit or previous.unit


# ------------------------------------------------------------------ tables


def page_tables(page: Any, page_number: int | None = None) -> list[Table]:
    """Every table on the page, top to bottom (left to right where side by side)."""
    number = page_number if page_number is not None else getattr(page, "page_number", 0)
    h_rules = [e for e in page.edges if e["orientation"] == "h"]
    tables = [t for flow in page_flows(page) for t in _flow_tables(flow, h_rules, number)]
    tables.sort(key=lambda t: (t.bbox[1], t.bbox[0]) if t.bbox else (0.0, 0.0))
    for k, t in enumerate(tables):
        t.index = k
    return tables


def _flow_tables(lines: list[Line], h_rules: list[dict[str, Any]], number: int) -> list[Table]:
    """The tables of one flow of lines (the page, or one side of a band: extract/columns.py)."""
    tables: list[Table] = []
    used_until = -1  # index of the last line taken by a table
    i = 0
    while i < len(lines):
        if not is_body(lines[i]):
            i += 1
            continue
        start = i
        block = Block(body=[lines[i]])
        i += 1
        while i < len(lines):
            line, prev = lines[i], block.body[-1]
            if line.mid - prev.mid > 3.2 * max(line.size, prev.size) and not goes_on(block, lines, i):
                break
            if is_body(line):
                block.body.append(line)
            elif label_only(line, block) and (ahead := labels_before_row(block, lines, i)):
                block.body += lines[i:ahead]  # a row's label over several lines, or a heading inside
                i = ahead
                continue
            elif label_only(line, block) and continues(prev, line, block.pitch(), after_amounts=True):
                block.body.append(line)  # the label goes on under the row's amounts
            else:
                break
            i += 1
        set_columns(block)
        if not block.columns:
            continue
        start = take_wrapped_start(block, lines, start, used_until)
        n_head = _take_header(block, lines, start, used_until)
        table = _build(block, lines, start - n_head, used_until, h_rules, number, len(tables))
        if table is not None:
            tables.append(table)
            used_until = i - 1
    return tables


def _slots(block: Block) -> list[tuple[float, float]]:
    """Each amount column's share of the width: from mid-gap to mid-gap."""
    cols = block.columns
    out = []
    for j, (a, b) in enumerate(cols):
        left = block.boundary if j == 0 else (cols[j - 1][1] + a) / 2
        right = (b + cols[j + 1][0]) / 2 if j + 1 < len(cols) else b + 0.6 * (b - a) + 20
        out.append((left, right))
    return out


def _take_header(block: Block, lines: list[Line], start: int, used_until: int) -> int:
    """Lines directly above the rows whose words sit over the amount columns."""
    slots = _slots(block)
    n = 0
    below = block.body[0]
    k = start - 1
    while k > used_until and n < MAX_HEADER_LINES:
        line = lines[k]
        if below.mid - line.mid > 2.6 * max(line.size, below.size) or CAPTION.match(line.text):
            break
        right = [s for s in line.segs if s.x1 > block.boundary + 1]
        if not right or any(s.x0 < block.label_end - 2 and s.x1 > block.boundary + 4 for s in line.segs):
            break  # nothing over the amounts, or text running across: a caption or prose
        if any(s.x0 > slots[-1][1] for s in right):
            break
        n += 1
        below = line
        k -= 1
    block.header = lines[start - n:start]
    return n


def _covered(seg: Seg, slots: list[tuple[float, float]]) -> list[int]:
    width = max(seg.x1 - seg.x0, 1.0)
    hit = [j for j, (a, b) in enumerate(slots) if overlap(seg.x0, seg.x1, a, b) >= min(0.3 * width, 0.3 * (b - a))]
    if not hit:  # in a gap between two columns: over both
        centre = (seg.x0 + seg.x1) / 2
        nearest = min(range(len(slots)), key=lambda j: abs((slots[j][0] + slots[j][1]) / 2 - centre))
        hit = [nearest]
    return hit


def _header_cells(block: Block, h_rules: list[dict[str, Any]]) -> list[str]:
    slots = _slots(block)
    ncol = len(slots)
    label_parts: list[str] = []
    parts: list[list[str]] = [[] for _ in range(ncol)]
    for depth, line in enumerate(block.header):
        assigned: dict[int, Seg] = {}
        spanning: list[tuple[Seg, list[int]]] = []
        for s in line.segs:
            if s.x1 <= block.boundary + 1:
                label_parts.append(s.text)
                continue
            cols = _covered(s, slots)
            rule = _rule_under(s, h_rules, block)
            if rule is not None:
                cols = sorted(set(cols) | {j for j, (a, b) in enumerate(block.columns)
                                           if overlap(rule[0], rule[1], a, b) > 0})
            elif depth < len(block.header) - 1:
                spanning.append((s, cols))
            for j in cols:
                assigned[j] = s
        for s, cols in spanning:  # a group title without a rule: centred over its columns
            for j in _centred_group(s, cols, assigned, block.columns):
                assigned[j] = s
        for j in range(ncol):
            if j in assigned and assigned[j].text not in parts[j][-1:]:
                parts[j].append(assigned[j].text)
    return [" ".join(label_parts)] + [" ".join(p) for p in parts]


def _centred_group(seg: Seg, cols: list[int], assigned: dict[int, Seg], columns: list[tuple[float, float]]) -> list[int]:
    """The widest run of columns, free in this header line, that the segment is centred over."""
    centre = (seg.x0 + seg.x1) / 2
    lo, hi = min(cols), max(cols)
    pitch = (columns[-1][1] - columns[0][0]) / max(len(columns), 1)
    best = cols
    a = lo
    while a >= 0 and (a == lo or a not in assigned):
        b = hi
        while b < len(columns) and (b == hi or b not in assigned):
            if abs((columns[a][0] + columns[b][1]) / 2 - centre) < 0.2 * pitch and b - a + 1 > len(best):
                best = list(range(a, b + 1))
            b += 1
        a -= 1
    return best


def _rule_under(seg: Seg, h_rules: list[dict[str, Any]], block: Block) -> tuple[float, float] | None:
    """A short rule drawn just under a header segment: the extent of a group title."""
    width = block.columns[-1][1] - block.boundary
    for e in h_rules:
        if 0 <= e["top"] - seg.bottom <= seg.size and e["x1"] - e["x0"] < 0.8 * width:
            if overlap(e["x0"], e["x1"], seg.x0, seg.x1) > 0 and e["x1"] - e["x0"] > seg.x1 - seg.x0:
                return e["x0"], e["x1"]
    return None



def _build(block: Block, lines: list[Line], first: int, used_until: int, h_rules: list[dict[str, Any]],
           page: int, index: int) -> Table | None:
    rows = [row_cells(row, block) for row in row_groups(block)]
    if len(rows) < 2 and not block.header:
        return None
    header = _header_cells(block, h_rules) if block.header else [""] * (len(block.columns) + 1)
    caption, unit = _caption_and_unit(lines, first, used_until)
    if unit is None:
        unit = next((u for u in (find_unit(h) for h in header) if u), None)
    if len(block.columns) == 1 and not (unit or any(is_year(h.split()[-1]) for h in header[1:] if h)) \
            and not any(_GROUPED.search(row[1]) for row in rows):
        return None  # one column of small whole numbers and nothing saying "amounts": a contents list
    top_line = block.header[0] if block.header else block.body[0]
    bbox = [
        round(min(line.x0 for line in block.header + block.body), 1), round(top_line.top, 1),
        round(max(line.x1 for line in block.header + block.body), 1), round(block.body[-1].bottom, 1),
    ]
    values = [[None] + [parse_amount(c) for c in row[1:]] for row in rows]
    return Table(page, index, header, rows, caption=caption, unit=unit, bbox=bbox, values=values)


def _caption_and_unit(lines: list[Line], first: int, used_until: int) -> tuple[str | None, str | None]:
    """The "Tabell N" line above the table (else the nearest heading), and the unit line."""
    caption = heading = unit = None
    k = first - 1
    body_size = lines[first].size if first < len(lines) else 8.0
    while k > used_until and first - k <= 8:
        line = lines[k]
        if lines[first].top - line.bottom > 160:
            break
        text = line.text
        if unit is None:
            unit = find_unit(text)
        if CAPTION.match(text):
            caption = text
            break
        if heading is None and (line.segs[0].bold or line.size >= 1.4 * body_size) and len(text) < 90 \
                and not text.endswith(".") and find_unit(text) != text:
            heading = text
        k -= 1
    return caption or heading, unit
