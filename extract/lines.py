"""Step 1 of the table reader (extract/tables.py): a pdfplumber page's characters become
lines (by vertical middle), and each line is cut into segments, runs of characters without
a column-wide gap. "4 497,9" stays one segment whatever space separates its groups (space,
thin space, no-break space, or only a gap); small raised digits are footnote marks.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Any

from catalog.amounts import is_numeric_cell, is_year

_SUPERSCRIPT = str.maketrans("0123456789*", "⁰¹²³⁴⁵⁶⁷⁸⁹*")
_CHAR_MAP = str.maketrans({"\u2212": "-", "\u00a0": " ", "\u2009": " ", "\u202f": " ", "\u2007": " ", "\t": " "})


@dataclass
class Seg:
    """A run of characters on one line with no column-wide gap inside."""

    x0: float
    x1: float
    top: float
    bottom: float
    text: str
    size: float  # the line's font size
    bold: bool = False
    own_size: float = 0.0  # the segment's own font size (a paragraph beside a table may be larger)

    @property
    def numeric(self) -> bool:
        return is_numeric_cell(self.text) and not is_year(self.text)


@dataclass
class Line:
    segs: list[Seg]
    top: float
    bottom: float
    size: float

    @property
    def mid(self) -> float:
        return (self.top + self.bottom) / 2

    @property
    def text(self) -> str:
        return " ".join(s.text for s in self.segs)

    @property
    def x0(self) -> float:
        return self.segs[0].x0

    @property
    def x1(self) -> float:
        return self.segs[-1].x1


def page_chars(page: Any) -> list[dict[str, Any]]:
    """The page's visible upright characters."""
    return [c for c in page.chars if c.get("upright", True) and c["text"].strip()]


def page_lines(page: Any) -> list[Line]:
    """The page's text lines, top to bottom, each cut into segments."""
    return group_lines(page_chars(page))


def group_lines(chars: list[dict[str, Any]]) -> list[Line]:
    """Characters as lines (by vertical middle), top to bottom, each cut into segments."""
    if not chars:
        return []
    chars = sorted(chars, key=lambda c: (c["top"] + c["bottom"]) / 2)
    groups: list[list[dict[str, Any]]] = []
    anchor = 0.0
    for c in chars:
        mid = (c["top"] + c["bottom"]) / 2
        if groups and mid - anchor <= 0.5 * max(c["size"], groups[-1][0]["size"]):
            groups[-1].append(c)
        else:
            groups.append([c])
            anchor = mid
    lines = []
    for group in groups:
        sizes = sorted(c["size"] for c in group)
        size = sizes[len(sizes) // 2]
        bottoms = sorted(c["bottom"] for c in group)
        base = bottoms[len(bottoms) // 2]
        group.sort(key=lambda c: c["x0"])
        segs = _segments(group, size, base)
        lines.append(Line(segs, min(c["top"] for c in group), max(c["bottom"] for c in group), size))
    return lines


def _segments(chars: list[dict[str, Any]], size: float, base: float) -> list[Seg]:
    """Cut a line's characters at gaps wider than a column gap; small raised digits are footnote marks."""
    segs: list[Seg] = []
    parts: list[str] = []
    cur: list[dict[str, Any]] = []
    normal: dict[str, Any] | None = None  # the segment's last character that is no raised mark

    def close() -> None:
        if cur:
            text = " ".join("".join(parts).split())
            bold = "bold" in str(cur[0].get("fontname", "")).lower()
            sizes = sorted(c["size"] for c in cur)
            segs.append(Seg(cur[0]["x0"], cur[-1]["x1"], min(c["top"] for c in cur), max(c["bottom"] for c in cur),
                            text, size, bold, sizes[len(sizes) // 2]))

    for c in chars:
        ch = c["text"]
        # A mark is small and raised against the line and against the character it follows (never
        # the first of a segment): text of a smaller size on the same line is another column's.
        raised = normal is not None and c["size"] < 0.8 * size and c["bottom"] < base - 0.2 * size \
            and c["size"] < 0.8 * normal["size"] and c["bottom"] < normal["bottom"] - 0.2 * normal["size"] \
            and c["x0"] - cur[-1]["x1"] <= 0.75 * size
        ch = ch.translate(_SUPERSCRIPT) if raised else unicodedata.normalize("NFKC", ch).translate(_CHAR_MAP)
        if cur:
            gap = c["x0"] - cur[-1]["x1"]
            if gap > 0.75 * size:
                close()
                cur, parts, normal = [], [], None
            elif gap > 0.12 * size and not raised:
                parts.append(" ")
        cur.append(c)
        parts.append(ch)
        if not raised:
            normal = c
    close()
    return _join_split_amounts(segs)


_GROUP_HEAD = re.compile(r"^[-(]?\d{1,3}$")
_GROUP_TAIL = re.compile(r"^\d{3}(?:[ ,]\d+)*\)?(?: ?%)?[¹²³⁴⁵⁶⁷⁸⁹⁰*]*$")


def _join_split_amounts(segs: list[Seg]) -> list[Seg]:
    """Join "4" and "497,9" when only a narrow gap parts them: one amount is never two cells."""
    out: list[Seg] = []
    for s in segs:
        if out and _GROUP_HEAD.match(out[-1].text) and _GROUP_TAIL.match(s.text) and s.x0 - out[-1].x1 < 1.2 * s.size:
            prev = out[-1]
            out[-1] = Seg(prev.x0, s.x1, min(prev.top, s.top), max(prev.bottom, s.bottom),
                          f"{prev.text} {s.text}", s.size, prev.bold, s.own_size)
        else:
            out.append(s)
    return out
