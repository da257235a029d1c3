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

Table finding runs only where a table can be (ruling lines, or text that looks tabular).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from catalog.amounts import find_unit, is_amount, is_year, parse_amount
from catalog.models import Table
from extract.columns import page_flows
from extract.lines import Line, Seg
from extract.text import clean_page_text

__all__ = ["continue_table", "find_tables", "has_ruling", "is_amount", "looks_tabular", "page_tables"]

_AMOUNT_RUN = re.compile(r"(?:-?\(?\d{1,3}(?: \d{3})*(?:,\d+)?\)?(?: %)?(?: |$)){2,}$")
# Amounts in the middle of a line: a table's row with a paragraph printed beside it.
_INNER_RUN = re.compile(r"(?:^|\s)(?:-?\(?\d{1,3}(?: \d{3})*,\d+\)?(?: %)? ){2,}\D")
_ONE_AMOUNT = re.compile(r"\D -?\(?\d{1,3}(?: \d{3})*(?:,\d+)?\)?$")
_TABLE_WORDS = ("tall i", "i 1000", "hele kroner", "regnskap", "budsjett", "økonomiplan", "tabell")
_GROUPED = re.compile(r"\d[ ,.]\d")  # thousands or decimals: an amount, not a page number
_CAPTION = re.compile(r"^(?:tabell|tab\.|tabel)\s*\d+", re.I)
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


def _is_body(line: Line) -> bool:
    return len(line.segs) >= 2 and any(s.numeric for s in line.segs[1:]) and not _CAPTION.match(line.text)


def _has_amounts(line: Line) -> bool:
    return any(s.numeric for s in line.segs[1:])


@dataclass
class _Block:
    body: list[Line] = field(default_factory=list)
    header: list[Line] = field(default_factory=list)
    boundary: float = 0.0  # where the amount columns begin
    label_end: float = 0.0  # right end of the longest row label
    columns: list[tuple[float, float]] = field(default_factory=list)

    def pitch(self) -> float | None:
        """The least distance between two consecutive lines with amounts: a row's height."""
        amounts = [line for line in self.body if _has_amounts(line)]
        steps = [b.mid - a.mid for a, b in zip(amounts, amounts[1:], strict=False) if b.mid > a.mid]
        return min(steps) if steps else None


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
        if not _is_body(lines[i]):
            i += 1
            continue
        start = i
        block = _Block(body=[lines[i]])
        i += 1
        while i < len(lines):
            line, prev = lines[i], block.body[-1]
            if line.mid - prev.mid > 3.2 * max(line.size, prev.size) and not _goes_on(block, lines, i):
                break
            if _is_body(line):
                block.body.append(line)
            elif _label_only(line, block) and (ahead := _labels_before_row(block, lines, i)):
                block.body += lines[i:ahead]  # a row's label over several lines, or a heading inside
                i = ahead
                continue
            elif _label_only(line, block) and _continues(prev, line, block.pitch(), after_amounts=True):
                block.body.append(line)  # the label goes on under the row's amounts
            else:
                break
            i += 1
        _set_columns(block)
        if not block.columns:
            continue
        start = _take_wrapped_start(block, lines, start, used_until)
        n_head = _take_header(block, lines, start, used_until)
        table = _build(block, lines, start - n_head, used_until, h_rules, number, len(tables))
        if table is not None:
            tables.append(table)
            used_until = i - 1
    return tables


def _labels_before_row(block: _Block, lines: list[Line], i: int) -> int:
    """Label-only lines from i on, each near the one before (the caller judged line i's distance),
    up to a row with amounts: the index of that row, or 0 if none follows."""
    j = i
    while j < len(lines) and j - i < 4 and _label_only(lines[j], block):
        if j > i and lines[j].mid - lines[j - 1].mid > 3.2 * max(lines[j].size, lines[j - 1].size):
            return 0
        j += 1
    if j < len(lines) and _is_body(lines[j]) and lines[j].mid - lines[j - 1].mid <= 3.2 * lines[j].size:
        return j
    return 0


def _goes_on(block: _Block, lines: list[Line], i: int) -> bool:
    """Below a blank band (an obligatory overview's sub-sum, then "Disponeringer:"), the table goes
    on when the next rows stand under the same label and amount columns, with no caption or
    header of their own between."""
    line, prev = lines[i], block.body[-1]
    if line.mid - prev.mid > 6.5 * max(line.size, prev.size) or abs(line.x0 - block.body[0].x0) > 3:
        return False
    row = line if _is_body(line) else (lines[j] if (j := _labels_before_row(block, lines, i)) else None)
    if row is None:
        return False
    _set_columns(block)
    amounts = [s for s in row.segs[1:] if s.numeric]
    return bool(amounts) and all(any(_overlap(s.x0, s.x1, a, b) > 0 for a, b in block.columns) for s in amounts) \
        and all(s.numeric or s.x1 <= block.boundary + 1 for s in row.segs)


_RUNS_ON = re.compile(r"(?:[-,/&]|\b(?:og|eller|i|til|av|for|med|på|samt|inkl\.?|ekskl\.?|fra|mot|ved))$", re.I)


def _continues(above: Line, below: Line, pitch: float | None, after_amounts: bool = False) -> bool:
    """Whether `below` goes on with the row label of `above` (one table cell wrapped over lines):
    it starts in the same place, in the same weight, and visibly goes on (starts in lower case or
    with a parenthesis, or `above` ends in a hyphen, comma or "og"), or sits closer than rows do.
    Under a row's amounts (`after_amounts`), only the visible signs count."""
    a, b = above.segs[0], below.segs[0]
    step = below.mid - above.mid
    if abs(a.x0 - b.x0) > 2.5 or a.bold != b.bold or not 0 < step <= 2.2 * max(above.size, below.size):
        return False
    visibly = b.text[:1].islower() or b.text[:1] == "(" or bool(_RUNS_ON.search(a.text))
    close = step <= 1.45 * below.size and pitch is not None and step < 0.8 * pitch
    return visibly or (close and not after_amounts)


def _label_only(line: Line, block: _Block) -> bool:
    """A line with a label and no amounts: a heading inside the table, or part of a wrapped label."""
    first = next((b for b in block.body if _has_amounts(b)), block.body[0])
    amounts = [s for s in first.segs[1:] if s.numeric]
    return len(line.segs) == 1 and bool(amounts) and line.x0 >= first.x0 - 2 and line.x1 < amounts[0].x0 \
        and not _CAPTION.match(line.text)


def _take_wrapped_start(block: _Block, lines: list[Line], start: int, used_until: int) -> int:
    """The first row's label wrapped above its amounts ("Barn og unge: Økt grunnbemanning i" /
    "kommunale barnehager" / "(bemanningsnorm) 4 000 …"): when the label of the first body line
    visibly goes on from a line above (it starts in lower case or with a parenthesis), the
    label-only lines right above it, in the label column, belong to the table, not to its header
    or caption. Returns the new first line of the block."""
    first = block.body[0]
    label = first.segs[0].text if first.segs else ""
    if not (label[:1].islower() or label[:1] == "("):
        return start
    k = start
    while k - 1 > used_until and start - k < 3:
        line, below = lines[k - 1], lines[k]
        if len(line.segs) != 1 or line.x1 > block.boundary or abs(line.x0 - first.x0) > 2 \
                or below.mid - line.mid > 1.8 * max(line.size, below.size):
            break
        k -= 1
        if not (line.text[:1].islower() or line.text[:1] == "("):
            break  # the label's first line
    if k < start:
        block.body[:0] = lines[k:start]
    return k


def _set_columns(block: _Block) -> None:
    numeric = [s for line in block.body for s in line.segs[1:] if s.numeric]
    if not numeric:
        return
    block.boundary = min(s.x0 for s in numeric) - 0.5
    block.label_end = max((s.x1 for line in block.body for s in line.segs if s.x1 <= block.boundary + 1),
                          default=block.boundary)
    spans: list[list[float]] = []
    for s in sorted(numeric, key=lambda s: s.x0):
        if spans and s.x0 < spans[-1][1]:
            spans[-1][1] = max(spans[-1][1], s.x1)
        else:
            spans.append([s.x0, s.x1])
    # text cells right of the labels that fit in no amount column make columns of their own
    for line in block.body:
        for s in line.segs:
            if s.x0 > block.boundary and not s.numeric and not any(_overlap(s.x0, s.x1, a, b) > 0 for a, b in spans):
                spans.append([s.x0, s.x1])
    spans.sort()
    block.columns = [(a, b) for a, b in spans]


def _overlap(a0: float, a1: float, b0: float, b1: float) -> float:
    return min(a1, b1) - max(a0, b0)


def _slots(block: _Block) -> list[tuple[float, float]]:
    """Each amount column's share of the width: from mid-gap to mid-gap."""
    cols = block.columns
    out = []
    for j, (a, b) in enumerate(cols):
        left = block.boundary if j == 0 else (cols[j - 1][1] + a) / 2
        right = (b + cols[j + 1][0]) / 2 if j + 1 < len(cols) else b + 0.6 * (b - a) + 20
        out.append((left, right))
    return out


def _take_header(block: _Block, lines: list[Line], start: int, used_until: int) -> int:
    """Lines directly above the rows whose words sit over the amount columns."""
    slots = _slots(block)
    n = 0
    below = block.body[0]
    k = start - 1
    while k > used_until and n < MAX_HEADER_LINES:
        line = lines[k]
        if below.mid - line.mid > 2.6 * max(line.size, below.size) or _CAPTION.match(line.text):
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
    hit = [j for j, (a, b) in enumerate(slots) if _overlap(seg.x0, seg.x1, a, b) >= min(0.3 * width, 0.3 * (b - a))]
    if not hit:  # in a gap between two columns: over both
        centre = (seg.x0 + seg.x1) / 2
        nearest = min(range(len(slots)), key=lambda j: abs((slots[j][0] + slots[j][1]) / 2 - centre))
        hit = [nearest]
    return hit


def _header_cells(block: _Block, h_rules: list[dict[str, Any]]) -> list[str]:
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
                                           if _overlap(rule[0], rule[1], a, b) > 0})
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


def _rule_under(seg: Seg, h_rules: list[dict[str, Any]], block: _Block) -> tuple[float, float] | None:
    """A short rule drawn just under a header segment: the extent of a group title."""
    width = block.columns[-1][1] - block.boundary
    for e in h_rules:
        if 0 <= e["top"] - seg.bottom <= seg.size and e["x1"] - e["x0"] < 0.8 * width:
            if _overlap(e["x0"], e["x1"], seg.x0, seg.x1) > 0 and e["x1"] - e["x0"] > seg.x1 - seg.x0:
                return e["x0"], e["x1"]
    return None


def _row_groups(block: _Block) -> list[list[Line]]:
    """The body's lines as table rows: a label wrapped over lines is one row (its amounts on the
    first, a middle or the last of them), a label-only line that goes on from no other is a row
    of its own (a heading inside the table)."""
    pitch = block.pitch()
    rows: list[list[Line]] = []
    for line in block.body:
        row = rows[-1] if rows else None
        if row is not None:
            amounts = any(_has_amounts(x) for x in row)
            if not amounts and _continues(row[-1], line, pitch):
                row.append(line)  # the label goes on, down to the amounts (or further)
                continue
            if amounts and not _has_amounts(line) and _continues(row[-1], line, pitch, after_amounts=True):
                row.append(line)  # the label goes on under the amounts
                continue
        rows.append([line])
    return rows


def _row_cells(row: list[Line], block: _Block) -> list[str]:
    cells = [""] * (len(block.columns) + 1)
    label: list[str] = []
    for line in row:
        for s in line.segs:
            if s.x1 <= block.boundary + 1 or (s is line.segs[0] and not s.numeric and s.x0 < block.boundary):
                label.append(s.text)
                continue
            best = max(range(len(block.columns)), key=lambda k: _overlap(s.x0, s.x1, *block.columns[k]))
            cells[best + 1] = f"{cells[best + 1]} {s.text}".strip()
    cells[0] = clean_page_text("\n".join(label)).replace("\n", " ")  # "drifts-" / "fond": one word again
    return cells


def _build(block: _Block, lines: list[Line], first: int, used_until: int, h_rules: list[dict[str, Any]],
           page: int, index: int) -> Table | None:
    rows = [_row_cells(row, block) for row in _row_groups(block)]
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
        if _CAPTION.match(text):
            caption = text
            break
        if heading is None and (line.segs[0].bold or line.size >= 1.4 * body_size) and len(text) < 90 \
                and not text.endswith(".") and find_unit(text) != text:
            heading = text
        k -= 1
    return caption or heading, unit
