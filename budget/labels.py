"""Row labels as budget lines: the same Norwegian analysis for every table of every year.

"23 Barnehager", "Barnehager¹", "Barnehager 2)" and "barnehage" are one line; "Sum barnehager"
and "Barnehager" are two (a sub-sum is a line of its own), and so are "Netto driftsresultat"
and "Netto driftsresultat i %". A label's printed form is kept beside its key.
"""

from __future__ import annotations

import re

from catalog.amounts import strip_footnote, unit_factor
from index.analysis import stem_token

_NUMBERING = re.compile(r"^(?:[A-Z]?\d+(?:\.\d+)*\.?|[A-Z]\.\d+)\s+")
_FOOTNOTE_CHARS = re.compile(r"[*†‡¹²³⁴⁵⁶⁷⁸⁹⁰]+$|\s+\d\)$")
# A footnote digit printed as a superscript and read as a plain digit glued to the word: "stab1".
_GLUED_DIGIT = re.compile(r"(?<=[a-zæøå)])(\d)$")
_ROW_UNIT = re.compile(r"\s*\(([^()]{1,30})\)\s*$")
_PERCENT = re.compile(r"(?:\bi\s*%|%|\bprosent\b|\bpst\.?)\s*$", re.I)
SUM_WORDS = ("sum", "totalt", "samlet")
COUNT_UNITS = ("antall", "personer", "stk", "stk.", "plasser", "årsverk")


def footnote_mark(label: str) -> str | None:
    """The footnote mark a label ends with, as a digit or sign ("stab¹", "stab1" -> "1"), or None."""
    text = label.strip()
    m = re.search(r"([¹²³⁴⁵⁶⁷⁸⁹])$", text)
    if m:
        return str("¹²³⁴⁵⁶⁷⁸⁹".index(m.group(1)) + 1)
    m = _GLUED_DIGIT.search(text)
    if m:
        return m.group(1)
    m = re.search(r"\s+(\d)\)$|([*†‡]+)$", text)
    if m:
        return m.group(1) or m.group(2)
    return None


def clean_label(label: str, footnotes: set[str] | None = None) -> str:
    """The line's name as a reader says it: no numbering ("23 "), no footnote mark, one space.

    A digit glued to the last word ("stab1") is a footnote mark only where the page prints
    that footnote (`footnotes`: the marks the page's footnote lines start with).
    """
    text = " ".join(label.split())
    if footnotes and (m := _GLUED_DIGIT.search(text)) and m.group(1) in footnotes:
        text = text[:m.start()]
    text = strip_footnote(_FOOTNOTE_CHARS.sub("", text)).strip()
    return _NUMBERING.sub("", text).strip()


def label_words(label: str) -> list[str]:
    """A label as compared: lower case, no numbering, no footnote marks, no hyphens; "%" kept."""
    text = clean_label(label).lower().replace("-", " ").replace("–", " ")
    words = re.findall(r"\w+", text)
    if _PERCENT.search(text):
        words.append("%")
    return words


def line_key(label: str) -> str:
    """The key a line is matched by across documents and years: its words' stems, joined."""
    return " ".join(stem_token(w) if w != "%" else w for w in label_words(label))


def row_unit(label: str) -> tuple[str, str | None]:
    """A row label and the unit it prints for its own row: "Netto driftsresultat (1000 kr)" ->
    ("Netto driftsresultat", "1000 kr"); "Netto driftsresultat i %" -> (label, "%")."""
    m = _ROW_UNIT.search(label)
    if m and (unit_factor(m.group(1)) is not None or m.group(1).strip().lower() in COUNT_UNITS):
        return label[:m.start()].strip(), m.group(1).strip()
    if _PERCENT.search(label.strip()):
        return label, "%"
    return label, None


def matches(query: str, label: str, exact: bool = False) -> bool:
    """Whether a row label is the budget line asked for (`exact`: as written, spaces aside).

    Without `exact`, case, numbering, footnote marks and hyphens do not count, and words
    count by their stems ("barnehage" finds "Barnehager")."""
    if exact:
        return " ".join(label.split()) == " ".join(query.split())
    if not line_key(label):
        return False
    if _same(query, label):
        return True
    words = label_words(label)  # "Sum barnehager" is the line asked for too, unless the query says "sum"
    if words[0] in SUM_WORDS and label_words(query)[:1] != words[:1]:
        return _same(query, " ".join(words[1:]))
    return False


def _same(query: str, label: str) -> bool:
    """By stems, or by the letters alone ("netto drifts-rammer" is "Netto driftsrammer")."""
    return line_key(query) == line_key(label) or "".join(label_words(query)) == "".join(label_words(label))


def is_sum(label: str) -> bool:
    words = label_words(label)
    return bool(words) and words[0] in SUM_WORDS
