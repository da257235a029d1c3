"""One budget line followed through every table of every document: `hparkiv series`.

A row label ("Barnehager", "Netto driftsresultat") is matched in every stored table,
and each amount in its row becomes a point: the year and kind its column is about
(read from the header: "Regnskap 2019", "B 2021", "Økonomiplan 2023", "2021"), the
document's stage (forslag, innstilling, vedtak), and the value converted to the unit
most points use. Reads the catalog only (no pdfplumber, no index).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import asdict, dataclass

import catalog
from catalog.amounts import parse_amount, strip_footnote, unit_factor
from catalog.models import Filters, Table, Version
from index.analysis import stem_token

KINDS = ("regnskap", "budsjett", "plan", "prognose", "annet")
UNIT_NAMES = {1e9: "mrd. kr", 1e6: "mill. kr", 1e3: "1000 kr", 1.0: "kr"}

_YEAR = re.compile(r"(?<!\d)((?:19|20)\d\d)(?!\d)")
_KIND_WORDS: list[tuple[str, re.Pattern[str]]] = [
    ("prognose", re.compile(r"\b(?:prognose|anslag|forventet)", re.I)),
    ("regnskap", re.compile(r"\b(?:regnskap|rekneskap|faktisk)|^r\.?\s*(?:19|20)\d\d\b", re.I)),
    ("plan", re.compile(r"\b(?:økonomiplan|okonomiplan|plan)|^øp\.?\s*(?:19|20)\d\d\b|^op\s*(?:19|20)\d\d", re.I)),
    ("budsjett", re.compile(r"\b(?:budsjett|vedtatt|oppr|justert|revidert)|^b\.?\s*(?:19|20)\d\d\b", re.I)),
]
# Columns that are not a value of the line itself.
_NOT_A_VALUE = re.compile(r"%|endring|avvik|differanse|pst|prosent", re.I)
_NUMBERING = re.compile(r"^(?:[A-Z]?\d+(?:\.\d+)*\.?|[A-Z]\.\d+)\s+")
_FOOTNOTE_CHARS = re.compile(r"[*†‡¹²³⁴⁵⁶⁷⁸⁹⁰]+$|\s+\d\)$")
_SUM_PREFIX = ("sum", "totalt", "samlet")


@dataclass
class Point:
    """One printed amount of the line, with where it stands and what it is about."""

    year: int
    column: str
    kind: str
    value: float
    text: str
    unit: str | None
    row: str
    doc_id: str
    title: str | None
    doctype: str | None
    period: str | None
    page: int
    table: int
    stage: str  # forslag | innstilling | vedtak | regnskap | plan | prognose | annet
    unit_known: bool = True
    kommune: str | None = None  # the municipality whose document prints it
    kommunenummer: str | None = None


@dataclass
class Series:
    label: str
    unit: str | None
    points: list[Point]

    def to_dict(self) -> dict:
        return {"label": self.label, "unit": self.unit, "points": [asdict(p) for p in self.points]}


class NoSuchLine(LookupError):
    """No row of any table matches the label."""


def parse_column(header: str, doc_year: int | None = None, period: str | None = None) -> tuple[int | None, str]:
    """(year, kind) a column header is about: "Regnskap 2019" -> (2019, "regnskap").

    A bare year is the budget for the document's own year, else a plan year within
    its period; a header without a year, or a change or percentage column, is (None, "annet").
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
        first, last = _period_bounds(period, doc_year)
        if first is not None and last is not None and first <= year <= last:
            return year, "plan" if doc_year is None or year > doc_year else "budsjett"
    return year, "annet"


def _period_bounds(period: str | None, doc_year: int | None) -> tuple[int | None, int | None]:
    if period:
        years = [int(y) for y in _YEAR.findall(period)]
        if len(years) == 2:
            return years[0], years[1]
    if doc_year is not None:
        return doc_year, doc_year + 3
    return None, None


def label_words(label: str) -> list[str]:
    """A row label as compared: lower case, without numbering ("23 "), footnote marks and hyphens."""
    text = strip_footnote(_FOOTNOTE_CHARS.sub("", label.strip()))
    text = _NUMBERING.sub("", text).lower().replace("-", " ").replace("–", " ")
    return re.findall(r"\w+", text)


def label_key(label: str) -> str:
    return "".join(label_words(label))


def stemmed_key(label: str) -> str:
    """Stems joined: "Barnehager" and "barnehage", "netto drifts-rammer" and "Netto driftsrammer" agree."""
    return "".join(stem_token(w) for w in label_words(label))


def matches(query: str, label: str, exact: bool = False) -> bool:
    """Whether a row label is the budget line asked for."""
    if exact:
        return " ".join(label.split()) == " ".join(query.split())
    if not label_words(label):
        return False
    if label_key(query) == label_key(label) or stemmed_key(query) == stemmed_key(label):
        return True
    words = label_words(label)
    if words[0] in _SUM_PREFIX and label_words(query)[:1] != words[:1]:  # "Sum barnehager" is the line too
        rest = " ".join(words[1:])
        return label_key(query) == label_key(rest) or stemmed_key(query) == stemmed_key(rest)
    return False


def _stage(kind: str, year: int, version: Version) -> str:
    """Where in the process the number stands: the document's own year's budget takes its stage."""
    if kind == "budsjett":
        if version.year is not None and year == version.year and version.doctype in ("forslag", "innstilling",
                                                                                     "vedtak"):
            return version.doctype
        return "vedtak" if version.year is not None and year < version.year else "budsjett"
    return kind


_ROW_UNIT = re.compile(r"\s*\(([^()]{1,30})\)\s*$")


def row_unit(label: str) -> tuple[str, str | None]:
    """A row label and the unit it prints for its own row: "Netto driftsresultat (1000 kr)" ->
    ("Netto driftsresultat", "1000 kr"); "Innbyggere (antall)" -> ("Innbyggere", "antall")."""
    m = _ROW_UNIT.search(label)
    if m and (unit_factor(m.group(1)) is not None or m.group(1).strip().lower() in COUNT_UNITS):
        return label[:m.start()].strip(), m.group(1).strip()
    return label, None


COUNT_UNITS = ("antall", "personer", "stk", "stk.")


def table_points(query: str, version: Version, table: Table, exact: bool = False) -> list[Point]:
    """The points one table gives for the line (none if no row matches)."""
    out: list[Point] = []
    columns = [parse_column(h, version.year, version.period) for h in table.header]
    for r, row in enumerate(table.rows):
        if not row:
            continue
        label, own_unit = row_unit(row[0])
        if not matches(query, row[0], exact) and not (own_unit and matches(query, label, exact)):
            continue
        unit = own_unit or table.unit
        values = table.values[r] if r < len(table.values) else []
        for j in range(1, len(row)):
            year, kind = columns[j] if j < len(columns) else (None, "annet")
            if year is None or row[j].strip().endswith("%"):
                continue
            value = values[j] if j < len(values) and values[j] is not None else parse_amount(row[j])
            if value is None:
                continue
            out.append(Point(
                year=year, column=table.header[j], kind=kind, value=value, text=row[j], unit=unit,
                row=row[0], doc_id=version.doc_id, title=version.title, doctype=version.doctype,
                period=version.period, page=table.page, table=table.index, stage=_stage(kind, year, version),
                unit_known=unit_factor(unit) is not None, kommune=version.kommune,
                kommunenummer=version.kommunenummer,
            ))
    return out


def series(conn: catalog.Connection, label: str, filters: Filters | None = None, exact: bool = False) -> Series:
    """Every point of the line in the documents the filters select; raises NoSuchLine if none.

    Values whose unit is known are converted to the unit most points use; the rest keep
    the number as printed and are marked `unit_known=False`.
    """
    points = [p for v, t in catalog.all_tables(conn, filters) for p in table_points(label, v, t, exact)]
    if not points:
        raise NoSuchLine(label)
    factors = Counter(unit_factor(p.unit) for p in points if p.unit_known)
    target = factors.most_common(1)[0][0] if factors else None
    for p in points:
        factor = unit_factor(p.unit)
        if target is not None and factor is not None:
            p.value = round(p.value * factor / target, 6)
            p.unit = UNIT_NAMES.get(target, p.unit)
    points.sort(key=lambda p: (p.year, KINDS.index(p.kind), _STAGE_ORDER.get(p.stage, 9), p.period or "", p.doc_id))
    return Series(label, UNIT_NAMES.get(target) if target else None, points)


_STAGE_ORDER = {"forslag": 0, "innstilling": 1, "vedtak": 2, "budsjett": 3, "plan": 4, "prognose": 5,
                "regnskap": 6, "annet": 7}


@dataclass
class Line:
    """One line of the text view: a year, a stage, a value and where it came from."""

    year: int
    stage: str
    value: float
    change: float | None
    sources: list[Point]
    disagree: bool = False


def lines(s: Series) -> tuple[list[Line], list[Line]]:
    """(budget lines, regnskap lines) for the text view.

    Budget: one line per year and stage (forslag, innstilling, vedtak), from the
    documents of that year; where documents give different values for the same year
    and stage, one line per value, marked. Regnskap apart. Plan years ahead are not
    lines: they are forecasts, kept in JSON/CSV.
    """
    budget = _group([p for p in s.points if p.kind == "budsjett" and p.unit_known], by_stage=True)
    accounts = _group([p for p in s.points if p.kind == "regnskap" and p.unit_known], by_stage=False)
    return budget, accounts


def _group(points: list[Point], by_stage: bool) -> list[Line]:
    groups: dict[tuple[int, str], dict[float, list[Point]]] = {}
    for p in points:
        stage = p.stage if by_stage else "regnskap"
        groups.setdefault((p.year, stage), {}).setdefault(p.value, []).append(p)
    out: list[Line] = []
    main: dict[tuple[int, str], float] = {}  # the value most documents give, per year and stage
    for key, by_value in groups.items():
        main[key] = max(by_value.items(), key=lambda kv: (len(kv[1]), kv[0]))[0]
    for (year, stage), by_value in sorted(groups.items(), key=lambda kv: (kv[0][0], _STAGE_ORDER.get(kv[0][1], 9))):
        disagree = len(by_value) > 1
        prev = main.get((year - 1, stage))
        for value, sources in sorted(by_value.items(), key=lambda kv: (-len(kv[1]), kv[0])):
            change = None if not prev else (value - prev) / abs(prev) * 100
            out.append(Line(year, stage, value, change, sources, disagree))
    return out
