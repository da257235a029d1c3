"""One budget line of several municipalities side by side: `series LABEL --kommune A,B`.

Per municipality and budget year, the adopted figure of the line as the budget model settles
it (budget/series.py: the vedtak of the plan whose first year it is; else that plan's latest
stage the archive holds, and the stage is said), from one table family (`table`, else the
family that gives the most years; named in the comparison's notes), in kroner, and per inhabitant where the municipality's
own documents state its inhabitants in a key-figure table ("Antall innbyggere 1.1.",
"Folketall 1. januar", "Innbyggere totalt"); which table of which document on which page gave
the number travels with it. Where no document states them, the figure stays absolute, and
the comparison says so. Where documents disagree and no precedence rule settles it, the year
has no figure and the disagreeing values are shown.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import Any

import catalog
from budget.families import family_name
from budget.labels import row_unit
from budget.series import Figure, NoSuchLine, SeriesLine, series
from catalog.amounts import parse_amount, unit_factor
from catalog.models import Filters, Table, Version

_YEAR = re.compile(r"(?<!\d)((?:19|20)\d\d)(?!\d)")
# A row that counts every inhabitant: "Antall innbyggere 1.1.", "Innbyggere totalt", "Folketall
# 1. januar", "Innbyggere per 1. januar"; not an age group, a share or a change.
_INHABITANTS = re.compile(r"^(?:antall\s+)?(?:innbyggere|innbyggertal+|folketall|folkemengde|befolkning)\b(?P<rest>.*)$",
                          re.I)
_NOT_TOTAL = re.compile(r"\bår\b|%|endring|vekst|andel|prosent|per\s+\d|\d+\s*[-–]\s*\d+|over|under|eldre", re.I)
_DATE_WORDS = re.compile(r"\b(?:pr\.?|per|1\.\s*1\.?|1\.\s*jan(?:uar)?\.?|totalt|i alt|samlet)\b", re.I)
STAGES = ("vedtak", "innstilling", "forslag")  # the adopted figure first


def N_(message: str) -> str:
    """Marks a message for the catalog (i18n/); the front end translates it where it is shown."""
    return message


@dataclass(frozen=True)
class Said:
    """A note of the comparison: an English message of the catalog and its values, so each front
    end says it in its own language."""

    message: str
    params: dict[str, Any] = field(default_factory=dict)

    def translated(self, gettext: Callable[[str], str]) -> str:
        return gettext(self.message).format(**self.params)

    def __str__(self) -> str:
        return self.message.format(**self.params)


@dataclass
class Inhabitants:
    """A municipality's inhabitants in one year, as one of its documents prints them."""

    kommune: str | None
    kommunenummer: str | None
    year: int
    value: int
    label: str  # the row as printed (without a unit of its own: "(antall)")
    text: str  # the cell as printed
    doc_id: str
    title: str | None
    page: int
    table: int
    caption: str | None = None



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
            out.append(Inhabitants(version.kommune, version.kommunenummer, year, int(value), row_unit(row[0])[0], row[j],
                                   version.doc_id, version.title, table.page, table.index, table.caption))
    return out


def inhabitants(conn: catalog.Connection, filters: Filters | None = None) -> list[Inhabitants]:
    """Every statement of inhabitants in the documents the filters select."""
    return [i for v, t in catalog.all_tables(conn, filters) for i in table_inhabitants(v, t)]


@dataclass
class KommuneFigure:
    """The line's figure for one municipality and year: in kroner, and per inhabitant if known."""

    year: int
    value_kr: float | None  # None where the documents disagree (`disagree`)
    stage: str
    text: str
    unit: str | None
    doc_id: str
    title: str | None
    page: int
    per_capita: float | None = None
    inhabitants: int | None = None
    inhabitants_from: Inhabitants | None = None  # the statement the count was read from
    disagree: list[float] = field(default_factory=list)  # the values documents print where no rule settles (kr)


@dataclass
class KommuneLine:
    kommune: str
    kommunenummer: str
    figures: list[KommuneFigure] = field(default_factory=list)
    inhabitants: list[Inhabitants] = field(default_factory=list)
    notes: list[Said] = field(default_factory=list)


@dataclass
class Comparison:
    label: str
    per_capita: bool  # every figure shown has its inhabitants
    kommuner: list[KommuneLine]
    notes: list[Said] = field(default_factory=list)

    def years(self) -> list[int]:
        return sorted({f.year for k in self.kommuner for f in k.figures})

    def to_dict(self) -> dict:
        out = asdict(self)
        out["notes"] = [str(n) for n in self.notes]
        for k, line in zip(out["kommuner"], self.kommuner, strict=True):
            k["notes"] = [str(n) for n in line.notes]
        return out


def _figures(line: SeriesLine) -> dict[int, KommuneFigure]:
    """Per year, the adopted figure; else the latest stage of the plan whose first year it is.
    A year whose documents disagree (no rule settles it) keeps no figure, only the values."""
    by_year: dict[int, Figure] = {f.year: f for f in line.adopted}
    for stage in STAGES:
        for period, stages in line.projections.items():
            for fig in stages.get(stage, []):
                if period == f"{fig.year}-{fig.year + 3}":
                    by_year.setdefault(fig.year, fig)
    out = {}
    for year, fig in sorted(by_year.items()):
        seen = fig.conflict or fig.sources
        if not seen or seen[0].value_kr is None:
            continue  # not in kroner: no comparison
        p = seen[0]
        if fig.conflict:
            out[year] = KommuneFigure(year=year, value_kr=None, stage=fig.stage, text=p.text, unit=p.unit,
                                      doc_id=p.doc_id, title=p.title, page=p.page,
                                      disagree=sorted({round(c.value_kr, 2) for c in fig.conflict if c.value_kr is not None}))
        else:
            out[year] = KommuneFigure(year=year, value_kr=round(p.value_kr, 2), stage=fig.stage, text=p.text,
                                      unit=p.unit, doc_id=p.doc_id, title=p.title, page=p.page)
    return out


def compare(conn: catalog.Connection, label: str, kommuner: list[str], filters: Filters | None = None,
            exact: bool = False, table: str | None = None) -> Comparison:
    """The line for each municipality (kommunenumre, in the order given); raises NoSuchLine when
    no municipality's tables hold it."""
    base = filters or Filters()
    lines: list[KommuneLine] = []
    found_any = False
    for number in kommuner:
        only = Filters(**{**asdict(base), "kommune": number})
        try:
            found = series(conn, label, only, exact, table=table).lines
        except NoSuchLine:
            found = []
        figures, chosen = max(((_figures(ln), ln) for ln in found), key=lambda fl: len(fl[0]), default=({}, None))
        found_any = found_any or bool(figures)
        known = inhabitants(conn, only)
        name = (chosen.kommune if chosen else None) or next((i.kommune for i in known if i.kommune), None)
        line = KommuneLine(kommune=name or number, kommunenummer=number, inhabitants=known)
        if not figures:
            line.notes.append(Said(N_("no table of {kommune}'s documents has the line «{label}»"),
                                   {"kommune": line.kommune, "label": label}))
        elif len({ln.family for ln in found}) > 1:
            line.notes.append(Said(N_("{kommune}: figures from the table family {family}"),
                                   {"kommune": line.kommune, "family": family_name(chosen.family)}))
        for year, fig in figures.items():
            if fig.value_kr is None:
                line.notes.append(Said(N_("{year}: the documents disagree and no rule settles it: {values}"), {
                    "year": year, "values": ", ".join(f"{v:g}" for v in fig.disagree)}))
                line.figures.append(fig)
                continue
            stated = [i for i in known if i.year == year]
            if stated:
                counts = Counter(i.value for i in stated)
                value = max(counts, key=lambda v: (counts[v], v))
                agreeing = [i for i in stated if i.value == value]  # the figure's own document first
                source = next((i for i in agreeing if i.doc_id == fig.doc_id), agreeing[0])
                fig.inhabitants, fig.inhabitants_from = value, source
                fig.per_capita = round(fig.value_kr / value, 2)
                if len(counts) > 1:
                    line.notes.append(Said(N_("{year}: the documents state different inhabitants: {values}"), {
                        "year": year, "values": ", ".join(f"{v} ({n})" for v, n in counts.items())}))
            line.figures.append(fig)
        missing = [f.year for f in line.figures if f.inhabitants is None]
        if missing:
            line.notes.append(Said(N_("no inhabitants stated for {years} in {kommune}'s documents: absolute figures"),
                                   {"years": ", ".join(map(str, missing)), "kommune": line.kommune}))
        lines.append(line)
    if not found_any:
        raise NoSuchLine(label)
    per_capita = all(f.per_capita is not None for k in lines for f in k.figures)
    notes = [] if per_capita else [Said(N_("per inhabitant where the documents state the inhabitants; absolute "
                                           "otherwise"))]
    return Comparison(label=label, per_capita=per_capita, kommuner=lines, notes=notes)
