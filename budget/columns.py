"""What a column header says a value is about: its year and its kind.

Real Bærum plans print "Regnskap 2019", "R 2019", "Budsjett 2021", "B 2021", "Vedtatt budsjett
2020", "Oppr. budsjett 2020", "Revidert budsjett 2020", "Justert budsjett 2020", "Økonomiplan 2022",
"ØP 2022", "Plan 2022", "Prognose 2020" and bare years. A bare year is the budget for the
document's own year and a plan year after it within the period; a change or percentage
column is no value of the line.
"""

from __future__ import annotations

import re

KINDS = ("regnskap", "budsjett", "revidert", "plan", "prognose", "annet")

_YEAR = re.compile(r"(?<!\d)((?:19|20)\d\d)(?!\d)")
_KIND_WORDS: list[tuple[str, re.Pattern[str]]] = [
    ("prognose", re.compile(r"\b(?:prognose|anslag|forventet)", re.I)),
    ("regnskap", re.compile(r"\b(?:regnskap|rekneskap|faktisk)|^r\.?\s*(?:19|20)\d\d\b", re.I)),
    ("revidert", re.compile(r"\b(?:revidert|justert|regulert|rev\.)", re.I)),
    ("plan", re.compile(r"\b(?:økonomiplan|okonomiplan|plan)|^øp\.?\s*(?:19|20)\d\d\b|^op\s*(?:19|20)\d\d", re.I)),
    ("budsjett", re.compile(r"\b(?:budsjett|vedtatt|oppr|opprinnelig)|^b\.?\s*(?:19|20)\d\d\b", re.I)),
]
_NOT_A_VALUE = re.compile(r"%|endring|avvik|differanse|pst|prosent|\bdiff\b", re.I)


def period_bounds(period: str | None, doc_year: int | None = None) -> tuple[int | None, int | None]:
    """First and last year of a plan period ("2021-2024"), else four years from the document's year."""
    if period:
        years = [int(y) for y in _YEAR.findall(period)]
        if len(years) == 2:
            return years[0], years[1]
    if doc_year is not None:
        return doc_year, doc_year + 3
    return None, None


def parse_column(header: str, doc_year: int | None = None, period: str | None = None) -> tuple[int | None, str]:
    """(year, kind) a column header is about: "Regnskap 2019" -> (2019, "regnskap").

    Kinds: regnskap, budsjett, revidert (a revised or adjusted budget), plan, prognose, and
    annet (no year, a change or a percentage: not a value of the line).
    """
    text = " ".join(header.split())
    years = _YEAR.findall(text)
    if not years or _NOT_A_VALUE.search(text):
        return None, "annet"
    year = int(years[-1])
    for kind, pattern in _KIND_WORDS:
        if pattern.search(text):
            return year, kind
    if text == years[-1]:
        if doc_year is not None and year == doc_year:
            return year, "budsjett"
        first, last = period_bounds(period, doc_year)
        if first is not None and last is not None and first <= year <= last:
            return year, "budsjett" if year == first else "plan"
    return year, "annet"
