"""Step 1b of the table reader: where a table stands beside a paragraph, or beside another
table, the page is read as side-by-side flows, each a column of its own lines.

    page_flows(page) -> [[Line]]   the full-width flow first, then each side of each band

A band is a run of lines that a vertical gutter runs through (no segment crosses it), with a
table on one side and a paragraph or another table on the other. A table's own gutters (between
its labels and its amounts, between two amount columns) are no band: a side must hold whole rows
(a label, then amounts), and a paragraph no amounts at all; nor is a column of notes in the
table itself: a paragraph goes on above or below the table's rows, or is set in another size. The band's characters are grouped
into lines again side by side, so a 9.5 pt paragraph line and a 7.5 pt table row at almost the
same height become two lines, not one line with a row's digits taken for footnote marks.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from extract.lines import Line, Seg, group_lines, page_chars

MIN_GUTTER = 6.0  # points: narrower is a gap between words, not between two blocks
_WORD = re.compile(r"[^\W\d_]{2,}")


@dataclass(frozen=True)
class Band:
    """Lines first..last (indexes) stand in two blocks side by side, parted at x = `cut`."""

    first: int
    last: int
    cut: float


def page_flows(page: Any) -> list[list[Line]]:
    """The page's lines as reading flows: the full-width lines, then the left and the right side
    of every band (each top to bottom)."""
    chars = page_chars(page)
    lines = group_lines(chars)
    bands = find_bands(lines)
    if not bands:
        return [lines]
    inside = {i for b in bands for i in range(b.first, b.last + 1)}
    flows = [[line for i, line in enumerate(lines) if i not in inside]]
    for b in bands:
        top, bottom = lines[b.first].top - 0.5, lines[b.last].bottom + 0.5
        in_band = [c for c in chars if top <= (c["top"] + c["bottom"]) / 2 <= bottom]
        flows.append(group_lines([c for c in in_band if (c["x0"] + c["x1"]) / 2 < b.cut]))
        flows.append(group_lines([c for c in in_band if (c["x0"] + c["x1"]) / 2 >= b.cut]))
    return [f for f in flows if f]


def find_bands(lines: list[Line]) -> list[Band]:
    """Runs of lines with a table beside a paragraph or beside another table, top to bottom."""
    bands: list[Band] = []
    taken = -1
    for i, line in enumerate(lines):
        if i <= taken:
            continue
        for gap in _candidate_gaps(line):
            band = _grow(lines, i, gap)
            if band is not None:
                bands.append(band)
                taken = band.last
                break
    return bands


def _candidate_gaps(line: Line) -> list[tuple[float, float]]:
    """Gaps of a line where two blocks may meet: before text that follows an amount (a paragraph
    or another table's label right of a table), or between two texts before the amounts (a
    paragraph left of a table's label)."""
    segs = line.segs
    out = []
    for k in range(1, len(segs)):
        a, b = segs[k - 1], segs[k]
        if b.x0 - a.x1 < MIN_GUTTER or b.numeric:
            continue
        after_amount = any(s.numeric for s in segs[:k])
        before_amount = not after_amount and not a.numeric and any(s.numeric for s in segs[k + 1:])
        if after_amount or before_amount:
            out.append((a.x1, b.x0))
    return out


def _split(line: Line, lo: float, hi: float) -> tuple[list[Seg], list[Seg]] | None:
    """The line's segments left and right of the gutter lo..hi, or None if one crosses it."""
    centre = (lo + hi) / 2
    left = [s for s in line.segs if s.x1 <= centre]
    right = [s for s in line.segs if s.x0 >= centre]
    if len(left) + len(right) != len(line.segs):
        return None
    return left, right


def _grow(lines: list[Line], i: int, gap: tuple[float, float]) -> Band | None:
    """The run of lines around line i that the gutter `gap` runs through, if it parts two blocks."""
    lo, hi = gap
    first = last = i
    for step in (-1, 1):
        j = i + step
        while 0 <= j < len(lines):
            line, near = lines[j], lines[j - step]
            if abs(line.mid - near.mid) > 4 * max(line.size, near.size):
                break
            parts = _split(line, lo, hi)
            if parts is None:
                break
            left, right = parts
            new_lo = max([lo] + [s.x1 for s in left])
            new_hi = min([hi] + [s.x0 for s in right])
            if new_hi - new_lo < MIN_GUTTER:
                break
            lo, hi = new_lo, new_hi
            if step < 0:
                first = j
            else:
                last = j
            j += step
    sides = [_split(line, lo, hi) for line in lines[first:last + 1]]
    left = [s[0] for s in sides if s is not None]
    right = [s[1] for s in sides if s is not None]
    kinds = (_kind(left), _kind(right))
    if kinds == ("table", "table"):
        return Band(first, last, (lo + hi) / 2)
    if kinds == ("table", "prose") and _apart(right, left) or kinds == ("prose", "table") and _apart(left, right):
        return Band(first, last, (lo + hi) / 2)
    return None


def _apart(prose: list[list[Seg]], table: list[list[Seg]]) -> bool:
    """Whether the paragraph is no column of the table itself ("Kommentar", a note a row, in the
    table's own type, ending with its rows): it goes on above or below the table's rows (beside
    its caption, unit and header, or past its end), or it is set in another size of type."""
    rows = [k for k, segs in enumerate(table) if segs and not segs[0].numeric and any(s.numeric for s in segs[1:])]
    outside = [k for k, segs in enumerate(prose) if segs and (k < rows[0] or k > rows[-1])]
    return len(outside) >= 2 or abs(_size(prose) - _size(table)) >= 1.0


def _size(side: list[list[Seg]]) -> float:
    sizes = sorted(s.own_size for segs in side for s in segs)
    return sizes[len(sizes) // 2] if sizes else 0.0


def _kind(side: list[list[Seg]]) -> str | None:
    """What one side of a band holds: "table" (rows of a label, then amounts), "prose" (a
    paragraph: several lines of running words, no amounts), or None (anything else, such as a
    table's label column or its amount columns alone)."""
    rows = [segs for segs in side if segs]
    if any(len(segs) > 1 and segs[0].numeric and not segs[-1].numeric for segs in rows):
        return None  # amounts before a label: this cut runs through a table
    labelled = sum(1 for segs in rows if not segs[0].numeric and any(s.numeric for s in segs[1:]))
    if labelled >= 2:
        return "table"
    if any(s.numeric for segs in rows for s in segs) or len(rows) < 3:
        return None
    words = [len(_WORD.findall(" ".join(s.text for s in segs))) for segs in rows]
    texts = [" ".join(s.text for s in segs) for segs in rows]
    runs_on = any(not a.rstrip().endswith((".", ":", "!", "?")) and b[:1].islower()
                  for a, b in zip(texts, texts[1:], strict=False))
    if runs_on or sum(words) / len(words) >= 4:
        return "prose"
    return None
