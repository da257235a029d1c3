"""One budget line through the years, on the budget model: `hparkiv series`.

A label ("barnehage") matches lines (budget/labels.py); each (table family, line) is one
series, never mixed with another family's table. Per series:

- the adopted budget of each year: the vedtak of the plan whose first year that is (its own
  figures first; a later plan's "Budsjett 2020" column only where that plan's own document
  is missing); a change from the year before only between two adopted figures;
- the plan years as each plan projected them, forslag → innstilling → vedtak;
- regnskap, revidert and prognose apart, each with its own changes;
- values the documents disagree on, where no precedence rule settles them: a conflict, shown
  with every source, never picked.

Every printed amount stays a `Point` (the JSON and CSV rows) with its family, stage, role and
conflict, so a reader can check each figure against its page.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict, dataclass, field

import catalog
from budget.columns import KINDS, parse_column
from budget.facts import STAGES, Fact
from budget.families import FAMILIES, family_name
from budget.labels import line_key, matches
from budget.model import Model, Settled, line_keys, load, settle
from catalog.amounts import unit_factor
from catalog.models import Filters

UNIT_NAMES = {1e9: "mrd. kr", 1e6: "mill. kr", 1e3: "1000 kr", 1.0: "kr"}
ROLES = ("adopted", "projection", "regnskap", "revidert", "prognose", "overruled", "quoted", "unplaced")

__all__ = ["KINDS", "Figure", "NoSuchLine", "Point", "Series", "SeriesLine", "matches", "parse_column", "series"]


class NoSuchLine(LookupError):
    """No row of any table matches the label."""


@dataclass
class Point:
    """One printed amount of the line: today's fields, its family, stage, role and conflict."""

    year: int
    column: str
    kind: str
    value: float  # in the series' unit (the number as printed when the unit is unknown)
    text: str
    unit: str | None
    row: str
    doc_id: str
    title: str | None
    doctype: str | None
    period: str | None
    page: int
    table: int
    stage: str
    unit_known: bool = True
    family: str = ""
    line: str = ""
    conflict: bool = False
    role: str = ""  # adopted | projection | regnskap | revidert | prognose | overruled | quoted | unplaced
    value_kr: float | None = None
    part: str | None = None
    rank: str = "plan"
    kommune: str | None = None  # the municipality whose document prints it
    kommunenummer: str | None = None


@dataclass
class Figure:
    """One settled value of a series: `value` None and `conflict` set when the sources disagree."""

    year: int
    value: float | None
    stage: str
    period: str | None = None
    change: float | None = None  # percent from the same kind's figure of the year before
    sources: list[Point] = field(default_factory=list)
    conflict: list[Point] = field(default_factory=list)
    repeated: bool = False  # taken from a later plan's column, the year's own plan being missing


@dataclass
class SeriesLine:
    """One (table family, line): the adopted figure per year, the plans' projections, the accounts."""

    family: str
    family_name: str
    line: str
    labels: list[str]
    unit: str | None
    table_key: str = ""
    renamed: list[dict] = field(default_factory=list)
    adopted: list[Figure] = field(default_factory=list)
    projections: dict[str, dict[str, list[Figure]]] = field(default_factory=dict)  # period -> stage -> figures
    regnskap: list[Figure] = field(default_factory=list)
    revidert: list[Figure] = field(default_factory=list)
    prognose: list[Figure] = field(default_factory=list)
    points: list[Point] = field(default_factory=list)
    kommune: str | None = None

    @property
    def decimals(self) -> int:
        """The decimals the line's figures need (as printed: 1 for mill. kr, 0 for 1000 kr)."""
        return max((next((d for d in range(4) if abs(round(p.value, d) - p.value) < 1e-9), 3) for p in self.points),
                   default=0)

    @property
    def conflicts(self) -> int:
        return sum(1 for f in self._figures() if f.conflict)

    def _figures(self) -> list[Figure]:
        return self.adopted + self.regnskap + self.revidert + self.prognose + [
            f for stages in self.projections.values() for figs in stages.values() for f in figs]


@dataclass
class Series:
    label: str
    unit: str | None  # the unit most series use (each line says its own)
    families: list[str]
    lines: list[SeriesLine]

    @property
    def points(self) -> list[Point]:
        return [p for ln in self.lines for p in ln.points]

    def to_dict(self) -> dict:
        return {"label": self.label, "unit": self.unit, "families": self.families,
                "series": [_line_dict(ln) for ln in self.lines], "points": [asdict(p) for p in self.points]}


def _line_dict(ln: SeriesLine) -> dict:
    def figs(fs: list[Figure]) -> list[dict]:
        return [{"year": f.year, "value": f.value, "stage": f.stage, "period": f.period, "change": f.change,
                 "conflict": bool(f.conflict), "repeated": f.repeated,
                 "sources": [{"doc_id": p.doc_id, "title": p.title, "page": p.page, "text": p.text}
                             for p in (f.conflict or f.sources)]} for f in fs]
    return {"family": ln.family, "family_name": ln.family_name, "line": ln.line, "labels": ln.labels,
            "unit": ln.unit, "table_key": ln.table_key, "kommune": ln.kommune, "renamed": ln.renamed,
            "adopted": figs(ln.adopted),
            "projections": {p: {s: figs(f) for s, f in st.items()} for p, st in ln.projections.items()},
            "regnskap": figs(ln.regnskap), "revidert": figs(ln.revidert), "prognose": figs(ln.prognose)}


def series(conn: catalog.Connection, label: str, filters: Filters | None = None, exact: bool = False,
           table: str | None = None) -> Series:
    """Every series of the line in the documents the filters select (their --year filters the
    year a value is about); `table` picks one family. Raises NoSuchLine if no line matches."""
    filters = filters or Filters()
    known = line_keys(conn, filters)
    keys = {k for k, labels in known.items() if any(matches(label, lb, exact) for lb in labels)}
    if not keys:
        raise NoSuchLine(label)
    model = load(conn, filters, line_keys=keys)
    renamed = model.renamed()
    wanted = keys | {old for old, new in renamed.items() if new in keys} | {renamed[k] for k in keys if k in renamed}
    if wanted - keys:
        model = load(conn, filters, line_keys=wanted)
    facts = [f for f in model.facts if _in_years(f, filters)]
    if table is not None:
        facts = [f for f in facts if f.family == table]
    groups: dict[tuple, list[Fact]] = {}
    own: dict[str | None, dict[str, str]] = {}  # each municipality's renamings
    for f in facts:
        kommune = model.kommune_of(f.sha256)
        if kommune not in own:
            own[kommune] = model.renamed(kommune)
        key = own[kommune].get(f.line_key, f.line_key)
        groups.setdefault((kommune, f.family, f.table_key if f.family == "annet" else "", key), []).append(f)
    order = {fam: i for i, fam in enumerate(FAMILIES)}
    lines = [_series_line(model, fs) for _k, fs in sorted(
        groups.items(), key=lambda kv: (kv[0][0] or "", order.get(kv[0][1], 99), kv[0][2], kv[0][3]))]
    if not lines:
        raise NoSuchLine(label)
    units = Counter(ln.unit for ln in lines if ln.unit)
    families = sorted({ln.family for ln in lines}, key=lambda f: order.get(f, 99))
    return Series(label, units.most_common(1)[0][0] if units else None, families, lines)


def _in_years(f: Fact, filters: Filters) -> bool:
    return (filters.year_from is None or f.year >= filters.year_from) and (
        filters.year_to is None or f.year <= filters.year_to)


def _unit(facts: list[Fact]) -> tuple[str | None, float | None]:
    """The unit most of the line's amounts print (as a name and kroner per unit)."""
    factors = Counter(unit_factor(f.unit) for f in facts if f.value_kr is not None)
    if not factors:
        units = Counter(f.unit for f in facts)
        return (units.most_common(1)[0][0] if units else None), None
    factor = factors.most_common(1)[0][0]
    return UNIT_NAMES.get(factor, f"{factor:g} kr"), factor


def _series_line(model: Model, facts: list[Fact]) -> SeriesLine:
    unit, factor = _unit(facts)
    latest = max(facts, key=lambda f: (f.period or "", f.year, STAGES.index(f.stage) if f.stage in STAGES else -1))
    family = facts[0].family
    name = family_name(family)
    if family == "annet":
        name = f"{name}: {facts[0].caption or facts[0].table_key}"
    out = SeriesLine(family=family, family_name=name, line=latest.line,
                     labels=sorted({f.line for f in facts}), unit=unit, table_key=facts[0].table_key,
                     kommune=model.kommune_of(facts[0].sha256))
    keys = {f.line_key for f in facts}
    out.renamed = [{"old": r.old, "new": r.new, "doc_id": r.sha256[:12], "page": r.page, "text": r.text}
                   for r in model.renamings if (line_key(r.new) in keys or line_key(r.old) in keys)
                   and model.kommune_of(r.sha256) == out.kommune]
    roles: dict[int, tuple[str, bool]] = {}

    def value(f: Fact) -> float:
        if factor is not None and f.value_kr is not None:
            return round(f.value_kr / factor, 6)
        return f.value

    def figure(year: int, stage: str, s: Settled, period: str | None = None, repeated: bool = False,
               role: str = "") -> Figure:
        for f in s.facts:
            roles[id(f)] = (role, bool(s.conflict))
        for f in s.overruled:
            roles.setdefault(id(f), ("overruled", False))
        val = None if s.value_kr is None and s.conflict else (
            round(s.value_kr / factor, 6) if factor is not None and s.value_kr is not None else value(s.first))
        return Figure(year, val, stage, period, sources=[_point(model, f, value(f), unit) for f in s.facts],
                      conflict=[_point(model, f, value(f), unit) for f in s.conflict], repeated=repeated)

    # the adopted budget of each year: the vedtak of the plan whose first year it is
    adopted: dict[int, list[Fact]] = {}
    for f in facts:
        if f.stage == "vedtak" and f.kind == "budsjett" and f.period == f"{f.year}-{f.year + 3}":
            adopted.setdefault(f.year, []).append(f)
    for year in sorted(adopted):
        s = settle(adopted[year])
        out.adopted.append(figure(year, "vedtak", s, f"{year}-{year + 3}", repeated=s.first.rank == "repeated",
                                  role="adopted"))
    _changes(out.adopted)
    # the plan years as each plan projected them
    projected: dict[tuple[str, str, int], list[Fact]] = {}
    for f in facts:
        if f.stage in STAGES and f.rank == "plan" and f.period and f.kind in ("budsjett", "plan"):
            projected.setdefault((f.period, f.stage, f.year), []).append(f)
    for (period, stage, year) in sorted(projected, key=lambda k: (k[0], STAGES.index(k[1]), k[2])):
        fig = figure(year, stage, settle(projected[(period, stage, year)]), period, role="projection")
        out.projections.setdefault(period, {}).setdefault(stage, []).append(fig)
    for kind in ("regnskap", "revidert", "prognose"):
        by_year: dict[int, list[Fact]] = {}
        for f in facts:
            if f.stage == kind:
                by_year.setdefault(f.year, []).append(f)
        figs = [figure(y, kind, settle(by_year[y]), role=kind) for y in sorted(by_year)]
        _changes(figs)
        setattr(out, kind, figs)
    for f in sorted(facts, key=lambda f: (f.year, KINDS.index(f.kind) if f.kind in KINDS else 9, f.period or "",
                                          STAGES.index(f.stage) if f.stage in STAGES else 9, f.doc_id, f.page)):
        role, conflict = roles.get(id(f), ("quoted" if f.rank == "quoted" else "unplaced" if f.stage == "annet"
                                           else "overruled", False))
        p = _point(model, f, value(f), unit)
        p.role, p.conflict = role, conflict
        out.points.append(p)
    return out


def _changes(figs: list[Figure]) -> None:
    """Percent change from the figure of the year before (same series, same kind)."""
    by_year = {f.year: f for f in figs}
    for f in figs:
        prev = by_year.get(f.year - 1)
        if prev is not None and prev.value and f.value is not None:
            f.change = round((f.value - prev.value) / abs(prev.value) * 100, 1)


def _point(model: Model, f: Fact, value: float, unit: str | None) -> Point:
    v = model.versions.get(f.sha256)
    known = f.value_kr is not None
    return Point(year=f.year, column=f.column, kind=f.kind, value=value, text=f.text,
                 unit=unit if known else f.unit, row=f.printed, doc_id=f.doc_id, title=v.title if v else None,
                 doctype=v.doctype if v else None, period=v.period if v else None, page=f.page, table=f.table,
                 stage=f.stage, unit_known=known, family=f.family, line=f.line, value_kr=f.value_kr, part=f.part,
                 rank=f.rank, kommune=getattr(v, "kommune", None),
                 kommunenummer=getattr(v, "kommunenummer", None))
