"""Steps 2 and 3 of the table reader (extract/tables.py): which lines are a table's rows, and
its columns. A body row has amounts right of a label; a label wrapped over lines is one row
(its amounts on its first, a middle or its last line); a label-only line that goes on from none
is a row of its own (a heading inside the table); below a blank band the rows go on when they
stand under the same columns. The amount columns are the overlap-union of the amount segments."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from catalog.amounts import find_unit
from extract.lines import Line
from extract.text import clean_page_text

CAPTION = re.compile(r"^(?:tabell|tab\.|tabel)\s*\d+", re.I)


def is_body(line: Line) -> bool:
    return len(line.segs) >= 2 and any(s.numeric for s in line.segs[1:]) and not CAPTION.match(line.text)


def _has_amounts(line: Line) -> bool:
    return any(s.numeric for s in line.segs[1:])


@dataclass
class Block:
    """The lines of one table as they are found: its body, then its header; where its amount
    columns stand (set_columns)."""

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


def labels_before_row(block: Block, lines: list[Line], i: int) -> int:
    """Label-only lines from i on, each near the one before (the caller judged line i's distance),
    up to a row with amounts: the index of that row, or 0 if none follows."""
    j = i
    while j < len(lines) and j - i < 4 and label_only(lines[j], block):
        if j > i and lines[j].mid - lines[j - 1].mid > 3.2 * max(lines[j].size, lines[j - 1].size):
            return 0
        j += 1
    if j < len(lines) and is_body(lines[j]) and lines[j].mid - lines[j - 1].mid <= 3.2 * lines[j].size:
        return j
    return 0


def goes_on(block: Block, lines: list[Line], i: int) -> bool:
    """Below a blank band (an obligatory overview's sub-sum, then "Disponeringer:"), the table goes
    on when the next rows stand under the same label and amount columns, with no caption or
    header of their own between."""
    line, prev = lines[i], block.body[-1]
    if line.mid - prev.mid > 6.5 * max(line.size, prev.size) or abs(line.x0 - block.body[0].x0) > 3:
        return False
    row = line if is_body(line) else (lines[j] if (j := labels_before_row(block, lines, i)) else None)
    if row is None:
        return False
    set_columns(block)
    amounts = [s for s in row.segs[1:] if s.numeric]
    return bool(amounts) and all(any(overlap(s.x0, s.x1, a, b) > 0 for a, b in block.columns) for s in amounts) \
        and all(s.numeric or s.x1 <= block.boundary + 1 for s in row.segs)


_RUNS_ON = re.compile(r"(?:[-,/&]|\b(?:og|eller|i|til|av|for|med|på|samt|inkl\.?|ekskl\.?|fra|mot|ved))$", re.I)


def continues(above: Line, below: Line, pitch: float | None, after_amounts: bool = False) -> bool:
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


def label_only(line: Line, block: Block) -> bool:
    """A line with a label and no amounts: a heading inside the table, or part of a wrapped label."""
    first = next((b for b in block.body if _has_amounts(b)), block.body[0])
    amounts = [s for s in first.segs[1:] if s.numeric]
    return len(line.segs) == 1 and bool(amounts) and line.x0 >= first.x0 - 2 and line.x1 < amounts[0].x0 \
        and not CAPTION.match(line.text)


def take_wrapped_start(block: Block, lines: list[Line], start: int, used_until: int) -> int:
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
                or below.mid - line.mid > 1.8 * max(line.size, below.size) \
                or CAPTION.match(line.text) or find_unit(line.text):
            break  # a caption or a unit line ("Tall i mill. kroner") right above the rows is none of their labels
        k -= 1
        if not (line.text[:1].islower() or line.text[:1] == "("):
            break  # the label's first line
    if k < start:
        block.body[:0] = lines[k:start]
    return k


def set_columns(block: Block) -> None:
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
            if s.x0 > block.boundary and not s.numeric and not any(overlap(s.x0, s.x1, a, b) > 0 for a, b in spans):
                spans.append([s.x0, s.x1])
    spans.sort()
    block.columns = [(a, b) for a, b in spans]


def overlap(a0: float, a1: float, b0: float, b1: float) -> float:
    return min(a1, b1) - max(a0, b0)


def row_groups(block: Block) -> list[list[Line]]:
    """The body's lines as table rows: a label wrapped over lines is one row (its amounts on the
    first, a middle or the last of them), a label-only line that goes on from no other is a row
    of its own (a heading inside the table)."""
    pitch = block.pitch()
    rows: list[list[Line]] = []
    for line in block.body:
        row = rows[-1] if rows else None
        if row is not None:
            amounts = any(_has_amounts(x) for x in row)
            if not amounts and continues(row[-1], line, pitch):
                row.append(line)  # the label goes on, down to the amounts (or further)
                continue
            if amounts and not _has_amounts(line) and continues(row[-1], line, pitch, after_amounts=True):
                row.append(line)  # the label goes on under the amounts
                continue
        rows.append([line])
    return rows


def row_cells(row: list[Line], block: Block) -> list[str]:
    cells = [""] * (len(block.columns) + 1)
    label: list[str] = []
    for line in row:
        for s in line.segs:
            if s.x1 <= block.boundary + 1 or (s is line.segs[0] and not s.numeric and s.x0 < block.boundary):
                label.append(s.text)
                continue
            best = max(range(len(block.columns)), key=lambda k: overlap(s.x0, s.x1, *block.columns[k]))
            cells[best + 1] = f"{cells[best + 1]} {s.text}".strip()
    cells[0] = clean_page_text("\n".join(label)).replace("\n", " ")  # "drifts-" / "fond": one word again
    return cells
