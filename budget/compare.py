"""One budget line of several municipalities side by side: `series LABEL --kommune A,B`.

Per municipality and budget year, the adopted figure of the line (else the latest stage the
archive holds, and the stage is said), in kroner, and per inhabitant where the municipality's
own documents state its inhabitants in a key-figure table ("Antall innbyggere 1.1.",
"Folketall 1. januar", "Innbyggere totalt"); which table of which document on which page gave
the number travels with it. Where no document states them, the figure stays absolute, and
the comparison says so. Where documents disagree, the value most of them print is used and
the disagreement is shown.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import asdict, dataclass, field

import catalog
from budget.series import NoSuchLine, Point, row_unit, series
from catalog.amounts import parse_amount, unit_factor
from catalog.models import Filters, Table, Version

_YEAR = re.compile(r"(?<!\d)((?:19|20)\d\d)(?!\d)")
# A row that counts every inhabitant: "Antall innbyggere 1.1.", "Innbyggere totalt", "Folketall
# 1. januar", "Innbyggere per 1. januar"; not an age group, a share or a change.
_INHABITANTS = re.compile(r"^(?:antall\s+)?(?:innbyggere|innbyggertal+|folketall|folkemengde|befolkning)\b(?P<rest>.*)$",
                          re.I)
_NOT_TOTAL = re.compile(r"\bår\b|%|endring|vekst|andel|prosent|per\s+\d|\d+\s*[-–]\s*\d+|over|under|eldre", re.I)
_DATE_WORDS = re.compile(r"\b(?:pr\.?|per|1\.\s*1\.?|1\.\s*jan(?:uar)?\.?|totalt|i alt|samlet)\b", re.I)
STAGES = ("vedtak", "innstilling", "forslag", "budsjett")  # the adopted figure first


@dataclass
class Inhabitants:
    """A municipality's inhabitants in one year, as one of its documents prints them."""

    kommune: str | None
    kommunenummer: str | None
    year: int
    value: int
    label: str  # the row as printed
    text: str  # the cell as printed
    doc_id: str
    title: str | None
    page: int
    table: int
    caption: str | None = None

    def source(self) -> str:
        where = f"{self.title or self.doc_id} ({self.doc_id}), p. {self.page}"
        return f"«{self.label}» {self.text} — {where}" + (f", «{self.caption}»" if self.caption else "")


def is_inhabitants_row(label: str) -> bool:
    label, unit = row_unit(label)
    if unit is not None and unit_factor(unit) is not None:
        return False  # an amount, not a count
    m = _INHABITANTS.match(label.strip())
    if not m:
        return False
    rest = _DATE_WORDS.sub(" ", m.group("rest"))
    return not _NOT_TOTAL.search(rest) and not re.search(r"[^\W\d_]{3}", rest.replace("januar", ""))


def table_inhabitants(version: Version, table: Table) -> list[Inhabitants]:
    """The inhabitants a key-figure table states, per year its header names."""
    years = [int(m[-1]) if (m := _YEAR.findall(h)) else None for h in table.header]
    out = []
    for r, row in enumerate(table.rows):
        if not row or not is_inhabitants_row(row[0]):
            continue
        values = table.values[r] if r < len(table.values) else []
        for j in range(1, len(row)):
            year = years[j] if j < len(years) else None
            value = values[j] if j < len(values) and values[j] is not None else parse_amount(row[j])
            if year is None or value is None or value <= 0 or value != int(value) or row[j].strip().endswith("%"):
                continue
            out.append(Inhabitants(version.kommune, version.kommunenummer, year, int(value), row[0], row[j],
                                   version.doc_id, version.title, table.page, table.index, table.caption))
    return out


def inhabitants(conn: catalog.Connection, filters: Filters | None = None) -> list[Inhabitants]:
    """Every statement of inhabitants in the documents the filters select."""
    return [i for v, t in catalog.all_tables(conn, filters) for i in table_inhabitants(v, t)]


@dataclass
class Figure:
    """The line's figure for one municipality and year: in kroner, and per inhabitant if known."""

    year: int
    value_kr: float
    stage: str
    text: str
    unit: str | None
    doc_id: str
    title: str | None
    page: int
    per_capita: float | None = None
    inhabitants: int | None = None
    inhabitants_source: str | None = None
    disagree: list[float] = field(default_factory=list)  # other values other documents print (kr)


@dataclass
class KommuneLine:
    kommune: str
    kommunenummer: str
    figures: list[Figure] = field(default_factory=list)
    inhabitants: list[Inhabitants] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


@dataclass
class Comparison:
    label: str
    per_capita: bool  # every figure shown has its inhabitants
    kommuner: list[KommuneLine]
    notes: list[str] = field(default_factory=list)

    def years(self) -> list[int]:
        return sorted({f.year for k in self.kommuner for f in k.figures})

    def to_dict(self) -> dict:
        return asdict(self)


def _figure(points: list[Point]) -> Figure | None:
    """The figure of one year: the best stage present; within it the value most documents print."""
    for stage in STAGES:
        at = [p for p in points if p.stage == stage and p.unit_known]
        if not at:
            continue
        in_kr = [(round(p.value * (unit_factor(p.unit) or 1.0), 2), p) for p in at]
        counts = Counter(v for v, _ in in_kr)
        best = max(counts, key=lambda v: (counts[v], v))
        p = next(p for v, p in in_kr if v == best)
        return Figure(year=p.year, value_kr=best, stage=stage, text=p.text, unit=p.unit, doc_id=p.doc_id,
                      title=p.title, page=p.page, disagree=sorted({v for v in counts if v != best}))
    return None


def compare(conn: catalog.Connection, label: str, kommuner: list[str], filters: Filters | None = None,
            exact: bool = False) -> Comparison:
    """The line for each municipality (kommunenumre, in the order given); raises NoSuchLine when
    no municipality's tables hold it."""
    base = filters or Filters()
    lines: list[KommuneLine] = []
    found_any = False
    for number in kommuner:
        only = Filters(**{**asdict(base), "kommune": number})
        try:
            s = series(conn, label, only, exact)
            points = [p for p in s.points if p.kind == "budsjett"]
        except NoSuchLine:
            points = []
        found_any = found_any or bool(points)
        known = inhabitants(conn, only)
        name = next((p.kommune for p in points if p.kommune), None) or next((i.kommune for i in known if i.kommune), None)
        line = KommuneLine(kommune=name or number, kommunenummer=number, inhabitants=known)
        if not points:
            line.notes.append(f"no table of {line.kommune}'s documents has the line «{label}»")
        by_year: dict[int, list[Point]] = {}
        for p in points:
            by_year.setdefault(p.year, []).append(p)
        for year in sorted(by_year):
            fig = _figure(by_year[year])
            if fig is None:
                continue
            stated = [i for i in known if i.year == year]
            if stated:
                counts = Counter(i.value for i in stated)
                value = max(counts, key=lambda v: (counts[v], v))
                source = next(i for i in stated if i.value == value)
                fig.inhabitants, fig.inhabitants_source = value, source.source()
                fig.per_capita = round(fig.value_kr / value, 2)
                if len(counts) > 1:
                    line.notes.append(f"{year}: the documents state different inhabitants: "
                                      + ", ".join(f"{v} ({n} document{'s' if n > 1 else ''})" for v, n in counts.items()))
            line.figures.append(fig)
        missing = [f.year for f in line.figures if f.inhabitants is None]
        if missing:
            line.notes.append(f"no inhabitants stated for {', '.join(map(str, missing))} in {line.kommune}'s documents: "
                              "absolute figures")
        lines.append(line)
    if not found_any:
        raise NoSuchLine(label)
    per_capita = all(f.per_capita is not None for k in lines for f in k.figures)
    notes = [] if per_capita else ["per inhabitant where the documents state the inhabitants; absolute otherwise"]
    return Comparison(label=label, per_capita=per_capita, kommuner=lines, notes=notes)
