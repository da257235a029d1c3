"""The budget of every plan period in the sample archive, and what changes between its stages.

Designed before, and apart from, the code that reads it (issue 17), from how Bærum's plans
print their figures (docs: site-facts.md sections 3-4):

- **Lines.** Six sectors (net frames, "C.1 Hovedoversikt netto driftsrammer"); eleven
  programme areas under three of them ("Tall i mill. kroner" tables in the sector
  chapters, numbered "22 Grunnskoleopplæring"); the key figures (sample/budgetline.py);
  the obligatory overviews 1A (drift § 5-4, one long table that goes on after the
  "Netto driftsresultat" sub-sum), 1B, 2A (investering § 5-5) and 2B; the investment
  projects ("C.6 Investeringer – samlet prosjektoversikt"); and the table of changes
  from the proposal ("endringer").
- **Stages.** forslag → innstilling (formannskapet) → vedtak (kommunestyret). The
  current period has all three; older ones have a proposal (sometimes broken or
  gone) and an adopted plan. Every amount is a whole number of 100 000 kr, so it prints
  exactly both in mill. kroner with one decimal and in 1000 kr.
- **Planted changes** (`changes`), the same rules for every variant's current year s:
  innstilling: Barn og unge +4,0 mill. in every plan year (23 Barnehager), Bistand og
  omsorg +12,5 mill. in the first plan year only (30 Pleie og omsorg, Carpe Diem);
  vedtak: Bistand og omsorg +3,0 mill. in the first two years, Kommunedirektør og stab
  -1,5 mill. every year, Miljø, idrett og kultur +2,5 mill. in the second year only
  (45 Idrett). Investments: Rud svømmehall moves one year later and the Tårnet senter
  pre-project is dropped in the innstilling; Kunstgressbane Nadderud is added in the
  vedtak. Older periods: one programme area changed in the first year only and Eiendom
  in every year. Tax income balances the net frames against the key figures' result
  (1A is consistent: Brutto = Netto driftsresultat + 300 mill.).
- **Renaming.** "Rådmann og stab" (plans up to 2020-2023) is "Kommunedirektør og stab"
  from 2021-2024; the first plan after it says so in a footnote under C.1.
- **Precedence traps.** An adopted plan's white part reprints the proposal's tables; a
  notat and an answer quote the proposal's figures after they changed; the proposal's
  C.1 prints last year's *revised* budget; a summary table in the innstilling disagrees
  with its own C.1 in one cell (a conflict no rule can settle).

`process_truth` turns what the builder placed into the answer key (Truth.budget_processes).
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass, field

from sample import budgetline
from sample.pdfs import Grid, GridRow

T = 100_000  # the design's unit in kroner
STAGES = ("forslag", "innstilling", "vedtak")
FAMILIES = {
    "netto_driftsrammer": "Netto driftsrammer per sektor (C.1) og per programområde",
    "hovedtall": "Hovedtall / nøkkeltall",
    "drift_1a": "Obligatorisk oversikt drift 1A (§ 5-4)",
    "drift_1b": "Obligatorisk oversikt drift 1B (§ 5-4)",
    "investering_2a": "Obligatorisk oversikt investering 2A (§ 5-5)",
    "investering_2b": "Obligatorisk oversikt investering 2B (§ 5-5)",
    "investeringer": "Investeringer – samlet prosjektoversikt (C.6)",
    "endringer": "Endringer fra forslaget",
}

SECTORS = ["politikk", "stab", "bu", "bo", "mik", "eiendom"]
SECTOR_NAMES = {"politikk": "Politisk styring og kontrollorganer", "bu": "Barn og unge", "bo": "Bistand og omsorg",
                "mik": "Miljø, idrett og kultur", "eiendom": "Eiendom"}
RENAMED_IN = 2021  # the first plan period whose staff line is "Kommunedirektør og stab"
OLD_STAB, NEW_STAB = "Rådmann og stab", "Kommunedirektør og stab"


@dataclass(frozen=True)
class Area:
    code: str
    name: str
    sector: str
    base: int  # 2016, in units of T
    growth: int  # per year

    @property
    def printed(self) -> str:
        return f"{self.code} {self.name}"


AREAS = [
    Area("22", "Grunnskoleopplæring", "bu", 21000, 420), Area("23", "Barnehager", "bu", 13500, 260),
    Area("24", "Spesielle tiltak barn og unge", "bu", 3100, 60), Area("27", "Barnevern", "bu", 2600, 55),
    Area("30", "Pleie og omsorg", "bo", 21800, 610), Area("31", "Helse og sosial", "bo", 7300, 150),
    Area("33", "Psykisk helse og rus", "bo", 4200, 95), Area("40", "Kultur og fritid", "mik", 2700, 45),
    Area("45", "Idrett", "mik", 1500, 30), Area("50", "Kommunalteknikk", "mik", 2900, 50),
    Area("52", "Natur og friluft", "mik", 900, 18),
]  # fmt: skip
FLAT = {"politikk": (560, 11), "stab": (4100, 57), "eiendom": (5400, 95)}
LINE_ORDER = [a.code for a in AREAS] + list(FLAT)


def sector_label(key: str, p: int) -> str:
    if key == "stab":
        return NEW_STAB if p >= RENAMED_IN else OLD_STAB
    return SECTOR_NAMES[key]


def areas_of(sector: str) -> list[Area]:
    return [a for a in AREAS if a.sector == sector]


def _area(code: str) -> Area:
    return next(a for a in AREAS if a.code == code)


# ---------------------------------------------------------------- the planted changes


@dataclass
class Change:
    """One change between stages: `step` is the stage that makes it (innstilling or vedtak)."""

    step: str
    line: str  # programme-area code or flat sector key
    deltas: dict[int, int]  # year -> change in units of T
    label: str  # the row of the changes table
    what: str  # first_year_only | every_year | some_years


def changes(p: int, s: int) -> list[Change]:
    """The changes of plan period p, in the order the changes table lists them."""
    years = range(p, p + 4)
    if p == s:
        return [
            Change("innstilling", "23", {y: 40 for y in years},
                   "Barn og unge: Økt grunnbemanning i kommunale barnehager (bemanningsnorm)", "every_year"),
            Change("innstilling", "30", {p: 125}, "Bistand og omsorg: Carpe Diem demenslandsby, flere plasser",
                   "first_year_only"),
            Change("vedtak", "30", {p: 30, p + 1: 30}, "Bistand og omsorg: Styrket hjemmetjeneste", "some_years"),
            Change("vedtak", "stab", {y: -15 for y in years},
                   f"{sector_label('stab', p)}: Redusert bruk av innleid arbeidskraft", "every_year"),
            Change("vedtak", "45", {p + 1: 25}, "Miljø, idrett og kultur: Drift av nye kunstgressbaner", "some_years"),
        ]  # fmt: skip
    first = ["23", "30", "45"][p % 3]
    label = {"23": "Barn og unge: Flere barnehageplasser på Fornebu",
             "30": "Bistand og omsorg: Flere korttidsplasser",
             "45": "Miljø, idrett og kultur: Økt tilskudd til idrettslag"}[first]
    return [Change("vedtak", first, {p: 10 + (p % 5) * 5}, label, "first_year_only"),
            Change("vedtak", "eiendom", {y: -(5 + (p % 4) * 5) for y in years},
                   "Eiendom: Effektivisering av renhold", "every_year")]


def _applies(step: str, stage: str) -> bool:
    return STAGES.index(stage) >= STAGES.index(step)


# ---------------------------------------------------------------- values (units of T)


def _forslag(p: int, y: int, line: str) -> int:
    idx = LINE_ORDER.index(line)
    base, growth = (FLAT[line] if line in FLAT else (_area(line).base, _area(line).growth))
    return base + growth * (y - 2016) + (p * 13 + idx * 7) % 97 - 48 + (y - p) * ((idx * 3 + p) % 7 + 2)


def value(p: int, y: int, line: str, stage: str, s: int) -> int:
    """What plan p's document of `stage` prints for `line` in plan year y."""
    v = _forslag(p, y, line)
    for c in changes(p, s):
        if c.line == line and _applies(c.step, stage):
            v += c.deltas.get(y, 0)
    return v


def adopted(y: int, line: str, s: int) -> int:
    """The adopted budget for year y: the vedtak of the plan whose first year y is."""
    return value(y, y, line, "vedtak", s)


def regnskap(y: int, line: str, s: int) -> int:
    idx = LINE_ORDER.index(line)
    return adopted(y, line, s) + (idx * 11 + y) % 61 - 30


def revidert(y: int, line: str, s: int) -> int:
    idx = LINE_ORDER.index(line)
    return adopted(y, line, s) + (idx * 5 + y) % 23 - 7


def _sum(lines: list[str], fn) -> int:
    return sum(fn(line) for line in lines)


def sector_lines(sector: str) -> list[str]:
    return [a.code for a in areas_of(sector)] if sector not in FLAT else [sector]


def sector_value(p: int, y: int, sector: str, stage: str, s: int) -> int:
    return _sum(sector_lines(sector), lambda line: value(p, y, line, stage, s))


def frames(p: int, y: int, stage: str, s: int) -> int:
    return sum(sector_value(p, y, k, stage, s) for k in SECTORS)


# ---------------------------------------------------------------- printing


def groups(n: int) -> str:
    text = str(abs(n))
    out = []
    while text:
        out.insert(0, text[-3:])
        text = text[:-3]
    return ("-" if n < 0 else "") + " ".join(out)


def mill(v: int) -> str:
    """Units of T as mill. kroner with one decimal: 24463 -> "2 446,3"."""
    whole, dec = divmod(abs(v), 10)
    return ("-" if v < 0 else "") + f"{groups(whole)},{dec}"


def tusen(kr: int, dash: bool = False) -> str:
    """Kroner as 1000 kr: 2446300000 -> "2 446 300"; zero as "–" where the table prints a dash."""
    assert kr % 1000 == 0, kr
    if kr == 0 and dash:
        return "–"
    return groups(kr // 1000)


def plan_unit(p: int) -> tuple[str, str]:
    """(unit line, how amounts print) of the overviews: mill. kroner until 2019, then 1000 kr."""
    return ("Tall i mill. kroner", "mill") if p <= 2019 else ("i 1000 kr", "tusen")


def show(v_t: int, how: str, dash: bool = False) -> str:
    if how == "mill":
        return "–" if (v_t == 0 and dash) else mill(v_t)
    return tusen(v_t * T, dash)


# ---------------------------------------------------------------- tables


@dataclass
class Column:
    header: str
    year: int | None
    kind: str  # regnskap | budsjett | revidert | plan | total

    def as_dict(self) -> dict:
        return {"header": self.header, "year": self.year, "kind": self.kind}


@dataclass
class Row:
    printed: str  # the label as printed (numbering and footnote marks kept)
    label: str  # the line: numbering and footnote marks stripped
    values: list[int | None]  # kroner per amount column; None: the cell is empty
    cells: list[str] = field(default_factory=list)  # as printed
    bold: bool = False
    gap_before: bool = False
    label_only: bool = False
    numbers: list[float | None] | None = None  # a row of percentages: the numbers as printed, no kroner


def unit_factor(unit: str) -> int:
    """Kroner per printed unit."""
    return 1_000_000 if "mill" in unit else 1000 if "1000" in unit else 1


@dataclass
class BudgetTable:
    """One printed budget table and its truth."""

    family: str
    caption: str
    unit: str
    label_header: str
    columns: list[Column]
    rows: list[Row]
    stage: str  # whose figures the table prints
    notes: list[str] = field(default_factory=list)
    label_width: float = 150.0
    style: str = "grid"  # grid: sample.pdfs.Grid | table: the plain ruled table of sample.pdfs
    rank: str = "plan"  # plan | quoted
    period: str = ""
    size: float = 7.5  # font size of a grid

    def header(self) -> list[str]:
        return [self.label_header] + [c.header for c in self.columns]

    def block(self) -> tuple:
        if self.style == "table":
            return ("table", self.unit, self.header(), [[r.printed] + r.cells for r in self.rows])
        grid = Grid(self.header(), [GridRow([r.printed] + r.cells, bold=r.bold, gap_before=r.gap_before,
                                            label_only=r.label_only) for r in self.rows],
                    caption=self.caption, unit=self.unit if self.label_header != self.unit else None,
                    label_width=self.label_width, notes=list(self.notes), size=self.size)
        return ("grid", grid)

    def truth(self, page: int, part: str | None = None, quotes: str | None = None) -> dict:
        return {
            "page": page, "family": self.family, "caption": self.caption, "unit": self.unit, "stage": self.stage,
            "part": part, "rank": self.rank, "quotes_stage": quotes, "period": self.period,
            "header": self.header(), "columns": [c.as_dict() for c in self.columns],
            "rows": [{"printed": r.printed, "label": r.label, "cells": r.cells, "values_kr": r.values,
                      "values": r.numbers if r.numbers is not None else
                      [None if v is None else _number(v / unit_factor(self.unit)) for v in r.values]}
                     for r in self.rows],
            "notes": self.notes,
        }


def _number(x: float) -> float | int:
    return int(x) if float(x).is_integer() else round(x, 6)


def _plan_columns(p: int, style: int) -> list[Column]:
    if style == 0:
        names = [str(p + i) for i in range(4)]
    elif style == 1:
        names = [f"B {p}"] + [f"ØP {p + i}" for i in (1, 2, 3)]
    else:
        names = [f"Budsjett {p}"] + [f"Plan {p + i}" for i in (1, 2, 3)]
    return [Column(n, p + i, "budsjett" if i == 0 else "plan") for i, n in enumerate(names)]


def _cells(values: list[int | None], how: str, dash: bool = False) -> list[str]:
    return ["" if v is None else (show(v // T, how, dash) if how == "mill" else tusen(v, dash)) for v in values]


def c1_table(p: int, stage: str, s: int, prior: str = "budsjett") -> BudgetTable:
    """C.1 Hovedoversikt netto driftsrammer: last year's budget (or its revision), then the plan years."""
    unit, how = ("Beløp i mill. kr", "mill") if p <= 2019 else ("Beløp i 1000 kr", "tusen")
    style = p % 3
    prior_head = {"budsjett": ["Budsjett", "B", "Vedtatt"][style] + f" {p - 1}",
                  "revidert": f"Revidert budsjett {p - 1}"}[prior]
    columns = [Column(prior_head, p - 1, prior)] + _plan_columns(p, style)
    rows = []
    notes = []
    for key in SECTORS:
        lines = sector_lines(key)
        first = (_sum(lines, lambda ln: adopted(p - 1, ln, s)) if prior == "budsjett"
                 else _sum(lines, lambda ln: revidert(p - 1, ln, s)))
        vals = [first * T] + [sector_value(p, y, key, stage, s) * T for y in range(p, p + 4)]
        label = sector_label(key, p)
        printed = label
        if key == "stab" and p == RENAMED_IN:
            printed = label + "¹"
            notes = [f"¹ Tidligere «{OLD_STAB}»."]
        rows.append(Row(printed, label, vals))
    total = [sum(r.values[j] for r in rows) for j in range(5)]
    rows.append(Row("Sum netto driftsrammer", "Sum netto driftsrammer", total, bold=True))
    for r in rows:
        r.cells = _cells(r.values, how)
    return BudgetTable("netto_driftsrammer", "C.1 Hovedoversikt netto driftsrammer", unit, "Sektor", columns, rows,
                       stage, notes=notes, label_width=170, period=f"{p}-{p + 3}")


def area_table(p: int, stage: str, s: int, sector: str) -> BudgetTable:
    """A sector chapter's table per programme area, in mill. kroner, with its sum row."""
    columns = [Column(f"Regnskap {p - 2}", p - 2, "regnskap"), Column(f"Budsjett {p - 1}", p - 1, "budsjett")]
    columns += [Column(str(p), p, "budsjett")] + [Column(str(p + i), p + i, "plan") for i in (1, 2, 3)]
    rows = []
    for a in areas_of(sector):
        vals = [regnskap(p - 2, a.code, s), adopted(p - 1, a.code, s)] + [value(p, y, a.code, stage, s)
                                                                            for y in range(p, p + 4)]
        rows.append(Row(a.printed, a.name, [v * T for v in vals]))
    total = [sum(r.values[j] for r in rows) for j in range(6)]
    name = SECTOR_NAMES[sector]
    rows.append(Row(f"Sum {name.lower()}", f"Sum {name.lower()}", total))
    for r in rows:
        r.cells = _cells(r.values, "mill")
    caption = f"Netto driftsramme per programområde – {name}"
    return BudgetTable("netto_driftsrammer", caption, "Tall i mill. kroner", "Programområde", columns, rows, stage,
                       style="table", period=f"{p}-{p + 3}")


# 1A: the parts of the overview that are not net frames or the key figures (units of T, by year).
def _r(y: int) -> int:
    return 21013 + 297 * (y - 2016) + y * 7 % 13


def _g(y: int) -> int:
    return 604 + 11 * (y - 2016)


def _a(y: int) -> int:
    return 5507 + 123 * (y - 2016)


def _i(y: int) -> int:
    return 1493 + 21 * (y - 2016)


U_DIVIDEND = 497


def _ri(y: int) -> int:
    return 4011 + 89 * (y - 2016)


def _av(y: int) -> int:  # chosen so that Brutto driftsresultat = Netto driftsresultat + 300 mill. (as in Hovedtall)
    return _i(y) + U_DIVIDEND - _ri(y) + _a(y) + 3000


O_INVEST, BOUND_FUNDS = 1500, 50


def _overview_columns(p: int) -> list[Column]:
    return ([Column(f"Regnskap {p - 2}", p - 2, "regnskap"), Column(f"Budsjett {p - 1}", p - 1, "budsjett"),
             Column(f"Budsjett {p}", p, "budsjett")] + [Column(f"Økonomiplan {p + i}", p + i, "plan") for i in (1, 2, 3)])


def _frames_for_column(p: int, col: Column, stage: str, s: int) -> int:
    lines = [ln for k in SECTORS for ln in sector_lines(k)]
    if col.kind == "regnskap":
        return _sum(lines, lambda ln: regnskap(col.year, ln, s))
    if col.year == p - 1:
        return _sum(lines, lambda ln: adopted(col.year, ln, s))
    return frames(p, col.year, stage, s)


def ndr_values(p: int, stage: str) -> list[int]:
    """Netto driftsresultat per overview column, from the key figures (sample/budgetline.py)."""
    return budgetline.values(p, stage)


def tax(p: int, col: Column, stage: str, s: int, ndr: int) -> int:
    y = col.year
    return ndr + 3000 + _frames_for_column(p, col, stage, s) + _a(y) - _r(y) - _g(y)


def t1a(p: int, stage: str, s: int) -> BudgetTable:
    """Obligatorisk oversikt drift 1A (§ 5-4): income positive, expenses negative; it goes on after the
    "Netto driftsresultat" sub-sum, below a blank band, under the same columns."""
    unit, how = plan_unit(p)
    columns = _overview_columns(p)
    per_col = []
    for col, ndr in zip(columns, ndr_values(p, stage), strict=True):
        y = col.year
        f = _frames_for_column(p, col, stage, s)
        t = tax(p, col, stage, s, ndr)
        sgi = _r(y) + t + _g(y)
        netfin = _i(y) + U_DIVIDEND - _ri(y) - _av(y)
        disp = ndr - O_INVEST - BOUND_FUNDS
        per_col.append({
            "Rammetilskudd": _r(y), "Inntekts- og formuesskatt": t, "Eiendomsskatt": 0,
            "Andre generelle driftsinntekter": _g(y), "Sum generelle driftsinntekter": sgi,
            "Korrigert sum netto driftsutgifter (jf. 1B)": -f, "Avskrivninger": -_a(y),
            "Sum netto driftsutgifter": -(f + _a(y)), "Brutto driftsresultat": sgi - f - _a(y),
            "Renteinntekter": _i(y), "Utbytter": U_DIVIDEND, "Renteutgifter": -_ri(y), "Avdrag på lån": -_av(y),
            "Netto finansutgifter": netfin, "Motpost avskrivninger": _a(y), "Netto driftsresultat": ndr,
            "Overføring til investering": O_INVEST,
            "Netto avsetninger til eller bruk av bundne driftsfond": BOUND_FUNDS,
            "Netto avsetninger til eller bruk av disposisjonsfond": disp,
            "Dekning av tidligere års merforbruk": 0,
            "Sum disponeringer eller dekning av netto driftsresultat": ndr,
            "Fremført til inndekning i senere år (merforbruk)": 0,
        })
        assert sgi - f - _a(y) == ndr + 3000 and sgi - f - _a(y) + netfin + _a(y) == ndr
    bold = {"Sum generelle driftsinntekter", "Sum netto driftsutgifter", "Brutto driftsresultat",
            "Netto finansutgifter", "Netto driftsresultat",
            "Sum disponeringer eller dekning av netto driftsresultat"}
    rows = []
    for label in per_col[0]:
        if label == "Overføring til investering":
            rows.append(Row("Disponering eller dekning av netto driftsresultat:",
                            "Disponering eller dekning av netto driftsresultat:", [None] * 6, [""] * 6,
                            gap_before=True, label_only=True))
        vals = [c[label] * T for c in per_col]
        rows.append(Row(label, label, vals, bold=label in bold))
    for r in rows:
        if not r.label_only:
            r.cells = [show(v // T, how, dash=True) for v in r.values]
    caption = ("Bevilgningsoversikt drift 1A (§ 5-4 første ledd)" if p >= 2020
               else "Budsjettskjema 1A – drift")
    return BudgetTable("drift_1a", caption, unit, unit, columns, rows, stage, label_width=175,
                       period=f"{p}-{p + 3}", size=7.0)


def t1b(p: int, stage: str, s: int) -> BudgetTable:
    unit, how = plan_unit(p)
    columns = _overview_columns(p)
    rows = []
    for key in SECTORS:
        lines = sector_lines(key)
        vals = []
        for col in columns:
            if col.kind == "regnskap":
                vals.append(_sum(lines, lambda ln, y=col.year: regnskap(y, ln, s)))
            elif col.year == p - 1:
                vals.append(_sum(lines, lambda ln, y=col.year: adopted(y, ln, s)))
            else:
                vals.append(sector_value(p, col.year, key, stage, s))
        label = sector_label(key, p)
        rows.append(Row(label, label, [v * T for v in vals]))
    rows.append(Row("Sum bevilgninger drift, netto", "Sum bevilgninger drift, netto",
                    [sum(r.values[j] for r in rows) for j in range(6)], bold=True))
    for r in rows:
        r.cells = [show(v // T, how) for v in r.values]
    caption = ("Bevilgningsoversikt drift 1B (§ 5-4 annet ledd)" if p >= 2020 else "Budsjettskjema 1B – drift")
    return BudgetTable("drift_1b", caption, unit, unit, columns, rows, stage, label_width=170, period=f"{p}-{p + 3}",
                       size=7.0)


# ---- investments (the current period only), in 1000 kr
PROJECTS = [
    ("Haug skole, ny skole", 260_000, [85_000, 120_000, 40_000, 0]),
    ("Oksenøya skole og flerbrukshall", 480_000, [60_000, 150_000, 180_000, 70_000]),
    ("Berger sykehjem, nybygg", 420_000, [30_000, 110_000, 160_000, 90_000]),
    ("Lindelia sykehjem, rehabilitering", 65_000, [25_000, 25_000, 0, 0]),
    ("Rud svømmehall", 150_000, [45_000, 80_000, 20_000, 0]),
    ("Nadderud stadion, rehabilitering", 90_000, [15_000, 35_000, 35_000, 0]),
    ("Tårnet senter, forprosjekt", 4_000, [4_000, 0, 0, 0]),
    ("Fornebubanen, kommunalt tilskudd", 2_446_300, [310_000, 420_000, 450_000, 300_000]),
]
KUNSTGRESS = ("Kunstgressbane Nadderud", 14_350, [14_350, 0, 0, 0])
FORNEBUBANEN = "Fornebubanen, kommunalt tilskudd"


def projects(stage: str) -> list[tuple[str, int, list[int]]]:
    """The investment projects a stage prints (1000 kr)."""
    out = []
    for name, total, years in PROJECTS:
        if name == "Rud svømmehall" and stage != "forslag":
            years = [0] + years[:3]  # formannskapet moves it one year later
        if name == "Tårnet senter, forprosjekt" and stage != "forslag":
            continue  # and drops the pre-project
        out.append((name, total, years))
        if name.startswith("Nadderud") and stage == "vedtak":
            out.append(KUNSTGRESS)  # kommunestyret adds the artificial turf
    return out


def investments(p: int, stage: str) -> BudgetTable:
    columns = [Column("Total ramme", None, "total")] + [Column(str(p + i), p + i, "budsjett" if i == 0 else "plan")
                                                        for i in range(4)]
    rows = [Row(name, name, [total * 1000] + [v * 1000 for v in years]) for name, total, years in projects(stage)]
    rows.append(Row("Sum investeringer", "Sum investeringer", [sum(r.values[j] for r in rows) for j in range(5)],
                    bold=True))
    for r in rows:
        r.cells = [tusen(v, dash=True) for v in r.values]
    return BudgetTable("investeringer", "C.6 Investeringer – samlet prosjektoversikt", "Beløp i 1000 kr", "Prosjekt",
                       columns, rows, stage, label_width=170, period=f"{p}-{p + 3}")


def t2b(p: int, stage: str) -> BudgetTable:
    columns = [Column(str(p + i), p + i, "budsjett" if i == 0 else "plan") for i in range(4)]
    rows = [Row(name, name, [v * 1000 for v in years]) for name, _total, years in projects(stage)]
    rows.append(Row("Sum investeringer", "Sum investeringer", [sum(r.values[j] for r in rows) for j in range(4)],
                    bold=True))
    for r in rows:
        r.cells = [tusen(v, dash=True) for v in r.values]
    return BudgetTable("investering_2b", "Bevilgningsoversikt investering 2B (§ 5-5 annet ledd)", "i 1000 kr",
                       "Prosjekt", columns, rows, stage, label_width=170, period=f"{p}-{p + 3}")


def t2a(p: int, stage: str) -> BudgetTable:
    columns = [Column(str(p + i), p + i, "budsjett" if i == 0 else "plan") for i in range(4)]
    per = []
    for j in range(4):
        durable = sum(y[j] for n, _, y in projects(stage) if n != FORNEBUBANEN)
        grant = sum(y[j] for n, _, y in projects(stage) if n == FORNEBUBANEN)
        spend = durable + grant + 26_000
        mva = durable * 16 // 100
        other, sale, transfer = 12_000, 20_000, 150_000
        loans = spend - mva - other - sale - transfer
        per.append({
            "Investeringer i varige driftsmidler": durable, "Tilskudd til andres investeringer": grant,
            "Investeringer i aksjer og andeler i selskaper": 26_000, "Utlån av egne midler": 0,
            "Avdrag på lån": 0, "Sum investeringsutgifter": spend, "Kompensasjon for merverdiavgift": mva,
            "Tilskudd fra andre": other, "Salg av varige driftsmidler": sale, "Bruk av lån": loans,
            "Sum investeringsinntekter": mva + other + sale + loans, "Overføring fra drift": transfer,
            "Sum overføring fra drift og netto avsetninger": transfer,
            "Fremført til inndekning i senere år (udekket)": 0,
        })
    bold = {"Sum investeringsutgifter", "Sum investeringsinntekter", "Sum overføring fra drift og netto avsetninger"}
    rows = [Row(label, label, [c[label] * 1000 for c in per], bold=label in bold) for label in per[0]]
    for r in rows:
        r.cells = [tusen(v, dash=True) for v in r.values]
    return BudgetTable("investering_2a", "Bevilgningsoversikt investering 2A (§ 5-5 første ledd)", "i 1000 kr",
                       "i 1000 kr", columns, rows, stage, label_width=175, period=f"{p}-{p + 3}")


def endringer(p: int, stage: str, s: int) -> BudgetTable:
    """The changes from the proposal that formannskapet recommends or kommunestyret adopts: every
    change, the higher tax estimate that balances them, and their sum (= minus the change in the
    result)."""
    columns = [Column(str(p + i), p + i, "budsjett" if i == 0 else "plan") for i in range(4)]
    rows = []
    for c in changes(p, s):
        if _applies(c.step, stage):
            rows.append(Row(c.label, c.label, [c.deltas.get(y, 0) * T for y in range(p, p + 4)]))
    cols = _overview_columns(p)[2:]
    d_tax = []
    for col in cols:
        before = tax(p, col, "forslag", s, ndr_values(p, "forslag")[_overview_columns(p).index(col)])
        after = tax(p, col, stage, s, ndr_values(p, stage)[_overview_columns(p).index(col)])
        d_tax.append(-(after - before) * T)
    rows.append(Row("Økt anslag for inntekts- og formuesskatt", "Økt anslag for inntekts- og formuesskatt", d_tax))
    total = [sum(r.values[j] for r in rows) for j in range(4)]
    for j in range(len(cols)):
        ndr_change = ndr_values(p, stage)[j + 2] - ndr_values(p, "forslag")[j + 2]
        assert total[j] == -ndr_change * T, (total, ndr_change)
    rows.append(Row("Sum endringer", "Sum endringer", total, bold=True))
    for r in rows:
        r.cells = [tusen(v, dash=True) for v in r.values]
    who = {"innstilling": "Formannskapets endringer i", "vedtak": "C.5 Endringer fra"}[stage]
    chief = "kommunedirektørens" if p >= 2021 else "rådmannens"
    return BudgetTable("endringer", f"{who} {chief} forslag", "Beløp i 1000 kr", "Endringer i driftsbudsjettet",
                       columns, rows, stage, label_width=150, period=f"{p}-{p + 3}")


CONFLICT_SECTOR, CONFLICT_OFFSET = "mik", 10  # the summary table's misprint: +1,0 mill. in the third plan year


def summary_with_misprint(p: int, s: int) -> BudgetTable:
    """The innstilling's own summary of its net frames after the changes; one cell is misprinted,
    so it disagrees with C.1 of the same document (a conflict no precedence rule settles)."""
    columns = [Column(str(p + i), p + i, "budsjett" if i == 0 else "plan") for i in range(4)]
    rows = []
    for key in SECTORS:
        vals = [sector_value(p, y, key, "innstilling", s) for y in range(p, p + 4)]
        if key == CONFLICT_SECTOR:
            vals[2] += CONFLICT_OFFSET
        label = sector_label(key, p)
        rows.append(Row(label, label, [v * T for v in vals]))
    total = [frames(p, y, "innstilling", s) * T for y in range(p, p + 4)]  # the sum is right; the cell is not
    rows.append(Row("Sum netto driftsrammer", "Sum netto driftsrammer", total, bold=True))
    for r in rows:
        r.cells = [tusen(v) for v in r.values]
    return BudgetTable("netto_driftsrammer", "Netto driftsrammer etter formannskapets endringer", "Beløp i 1000 kr",
                       "Sektor", columns, rows, "innstilling", label_width=170, period=f"{p}-{p + 3}")


def hovedtall(p: int, stage: str) -> BudgetTable:
    """The key-figures table of sample/budgetline.py, described as a budget table (for the truth only)."""
    unit = budgetline.unit_of(p)[0]
    cols = [Column(n, y, k) for n, y, k in budgetline.columns(p)]
    blocks = budgetline.table_blocks(p, stage, "", "")
    _, caption, header, printed_rows = blocks[2]
    rows = []
    base = budgetline.values(p, stage)
    for printed in printed_rows:
        label = printed[0]
        if label == budgetline.LABEL:
            vals = [v * T for v in base]
        elif "%" in label:
            rows.append(Row(label, label, [None] * 6, cells=list(printed[1:]),
                            numbers=[float(c.replace(",", ".")) for c in printed[1:]]))
            continue
        else:
            add = 3000 * (budgetline.OTHER_ROWS.index(label) + 1)
            vals = [(v + add) * T for v in base]
        rows.append(Row(label, label, vals, cells=list(printed[1:])))
    return BudgetTable("hovedtall", caption, unit, header[0], cols, rows, stage, style="table", period=f"{p}-{p + 3}")


def quoted(table: BudgetTable, caption: str, keep: list[str], unit: str, how: str) -> BudgetTable:
    """Part of a plan table as a notat or an answer quotes it: some rows, the plan years only, its own
    caption and unit, labels without programme numbers."""
    t = copy.deepcopy(table)
    first = next(j for j, c in enumerate(t.columns) if c.year == int(t.period[:4]) and c.kind != "regnskap")
    t.columns = t.columns[first:first + 4]
    rows = []
    for r in t.rows:
        if r.label in keep:
            vals = r.values[first:first + 4]
            rows.append(Row(r.label, r.label, vals, _cells(vals, how)))
    t.rows, t.caption, t.unit, t.rank, t.style = rows, caption, unit, "quoted", "grid"
    t.label_header, t.notes = unit, []
    return t


# ---------------------------------------------------------------- the answer key


def _clean(label: str) -> str:
    return label.rstrip("¹²³*").strip()


def process_truth(p: int, s: int, docs: list, stage_docs: dict[str, list[str]]) -> dict:
    """The answer key of plan period p: its stage documents, every line's value at every stage and
    plan year, what changed and by how much, the adopted figures, precedence cases and conflicts.

    A line's `values` has a stage when that stage's documents carry its table (they print at least
    one of the lines printed together with it); the value is null when the table is there without
    the line (added or dropped). Values are in the table's unit (`unit`), `values_kr` in kroner; a
    stage whose tables disagree (a conflict) has null and the disagreeing sources in `conflicts`.
    `changed` compares the stages that are settled; `delta` is last minus first of them.

    `docs` are the TruthDocs of the archive (their `budget_tables` as placed by the builder);
    `stage_docs` maps each stage to the document keys that are that stage (failed ones included).
    """
    per = f"{p}-{p + 3}"
    by_key = {d.key: d for d in docs}
    stages = []
    for stage in STAGES:
        for key in stage_docs.get(stage, []):
            d = by_key[key]
            stages.append({"stage": stage, "doc": key, "title": d.title, "date": d.date, "status": d.status,
                           "only_in_wayback": d.only_in_wayback, "parts": getattr(d, "parts", [])})
    readable = {st["stage"] for st in stages if st["status"] == "ok"}
    # every plan-rank table of the period, by stage
    plan_tables = []
    for d in docs:
        if d.status != "ok":
            continue
        for t in d.budget_tables:
            if t["period"] == per and t["rank"] == "plan" and t["family"] in FAMILIES:
                plan_tables.append((d.key, t))
    lines: dict[tuple, dict] = {}
    siblings: dict[tuple, set] = {}  # (family, label) -> every label printed in a table with it
    labels_by_stage: dict[str, set] = {}  # stage -> (family, label) printed in its tables
    for key, t in plan_tables:
        labels = {r["label"] for r in t["rows"]}
        for label in labels:
            siblings.setdefault((t["family"], label), set()).update(labels)
            labels_by_stage.setdefault(t["stage"], set()).add((t["family"], label))
        for j, col in enumerate(t["columns"]):
            if col["year"] is None or not p <= col["year"] <= p + 3 or col["kind"] not in ("budsjett", "plan"):
                continue
            for r in t["rows"]:
                v, kr = r["values"][j], r["values_kr"][j]
                if v is None:
                    continue
                k = (t["family"], r["label"], col["year"])
                line = lines.setdefault(k, {"family": t["family"], "label": r["label"], "year": col["year"],
                                            "unit": t["unit"], "printed_labels": [], "found": {}})
                if r["printed"] not in line["printed_labels"]:
                    line["printed_labels"].append(r["printed"])
                line["found"].setdefault(t["stage"], []).append(
                    {"doc": key, "page": t["page"], "value": v, "value_kr": kr, "printed": r["cells"][j],
                     "part": t["part"], "table": t["caption"]})
    out_lines = []
    conflicts = []
    for k in sorted(lines, key=lambda k: (list(FAMILIES).index(k[0]), k[1], k[2])):
        line = lines[k]
        values: dict[str, float | None] = {}
        values_kr: dict[str, int | None] = {}
        sources: dict[str, list] = {}
        conflict = {}
        kin = {(line["family"], label) for label in siblings[(line["family"], line["label"])]}
        for stage in STAGES:
            if stage not in readable or not kin & labels_by_stage.get(stage, set()):
                continue  # the stage's documents print none of this table's lines: they do not carry it
            found = line["found"].get(stage, [])
            sources[stage] = [{"doc": f["doc"], "page": f["page"]} for f in found]
            distinct = sorted({f["value"] for f in found})
            if len(distinct) > 1:
                values[stage] = values_kr[stage] = None
                conflict[stage] = found
                conflicts.append({"family": line["family"], "label": line["label"], "year": line["year"],
                                  "stage": stage, "values": found})
            else:
                values[stage] = distinct[0] if distinct else None
                values_kr[stage] = found[0]["value_kr"] if found else None
        settled = [st for st in values if st not in conflict]
        seq = [values[st] for st in settled]
        changed = len(set(seq)) > 1
        deltas = {}
        for a, b in zip(settled, settled[1:], strict=False):
            va, vb = values[a], values[b]
            deltas[f"{a}→{b}"] = None if va is None or vb is None else vb - va
        first, last = (values[settled[0]], values[settled[-1]]) if settled else (None, None)
        out_lines.append({
            "family": line["family"], "label": line["label"], "printed_labels": line["printed_labels"],
            "year": line["year"], "unit": line["unit"], "values": values, "values_kr": values_kr, "changed": changed,
            "delta": None if first is None or last is None else last - first,
            "delta_pct": None if not first or last is None else round((last - first) / abs(first) * 100, 1),
            "deltas": deltas, "sources": sources, "conflict": bool(conflict),
        })
    adopted_lines = [{"family": ln["family"], "label": ln["label"], "year": p, "unit": ln["unit"],
                      "value": ln["values"]["vedtak"], "value_kr": ln["values_kr"]["vedtak"],
                      "source": lines[(ln["family"], ln["label"], p)]["found"]["vedtak"][0]}
                     for ln in out_lines if ln["year"] == p and ln["values"].get("vedtak") is not None]
    return {
        "period": per, "budget_year": p, "stages": stages,
        "families": sorted({ln["family"] for ln in out_lines}, key=list(FAMILIES).index),
        "lines": out_lines,
        "changed_lines": [(ln["family"], ln["label"], ln["year"]) for ln in out_lines if ln["changed"]],
        "planted_changes": [{"step": c.step, "line": c.line, "label": c.label, "what": c.what,
                             "deltas_kr": {str(y): d * T for y, d in c.deltas.items()}} for c in changes(p, s)],
        "adopted": adopted_lines,
        "conflicts": conflicts,
    }


# ---------------------------------------------------------------- where the tables stand


@dataclass
class Placed:
    """A designed page of a plan document: its blocks and the tables on it."""

    blocks: list[tuple]
    tables: list[tuple[BudgetTable, str | None]]  # (table, part: "blå" | "hvit" | None)


INTRO = {
    "netto_driftsrammer": "Tabellen viser netto driftsrammer per sektor i planperioden. Negative tall er inntekter.",
    "drift_1a": "Oversikten er satt opp etter budsjett- og regnskapsforskriften § 5-4 første ledd.",
    "drift_1b": "Bevilgningene til sektorene er netto driftsrammer, jf. § 5-4 annet ledd.",
    "investeringer": "Prosjektene er oppført med total ramme og årlige bevilgninger i planperioden.",
    "investering_2a": "Oversikten er satt opp etter budsjett- og regnskapsforskriften § 5-5.",
    "endringer": "Endringene er regnet fra forslaget. Negative tall gir lavere utgifter eller høyere inntekter.",
    "hovedtall": "Hovedtallene viser resultatet i planperioden.",
}
CHAPTERS = {"bu": "4 Barn og unge", "bo": "5 Bistand og omsorg", "mik": "6 Miljø, idrett og kultur"}


def _grid_page(heading: str, tables: list[BudgetTable], part: str | None) -> Placed:
    blocks: list[tuple] = [("h2", heading), ("p", INTRO.get(tables[0].family, ""))]
    for t in tables:
        blocks.append(t.block())
    return Placed(blocks, [(t, part) for t in tables])


def _area_page(t: BudgetTable, sector: str, part: str | None, number: int) -> Placed:
    heading = f"Tabell {CHAPTERS[sector][0]}.{number} {t.caption}"
    t.caption = heading
    blocks = [("h2", heading),
              ("p", f"Tabellen viser netto driftsramme per programområde for sektor {SECTOR_NAMES[sector].lower()}."),
              t.block(),
              ("p", "Regnskapstallene er hentet fra årsregnskapet. Budsjettet for inneværende år er vedtatt budsjett.")]
    return Placed(blocks, [(t, part)])


def _others_page(p: int) -> Placed:
    """An unrecognised table (places in care homes): a family of its own, the same at every stage."""
    homes = [("Berger sykehjem", 120), ("Lindelia sykehjem", 96), ("Carpe Diem demenslandsby", 136),
             ("Nordraaks vei bo- og behandlingssenter", 72)]
    columns = [Column(str(p + i), p + i, "budsjett" if i == 0 else "plan") for i in range(4)]
    rows = [Row(n, n, [None] * 4, [str(v + (8 if "Berger" in n and i >= 2 else 0)) for i in range(4)],
                numbers=[v + (8 if "Berger" in n and i >= 2 else 0) for i in range(4)]) for n, v in homes]
    rows.append(Row("Sum plasser", "Sum plasser", [None] * 4, [str(sum(int(r.cells[i]) for r in rows)) for i in range(4)],
                    bold=True, numbers=[sum(int(r.cells[i]) for r in rows) for i in range(4)]))
    t = BudgetTable("annet", "Tabell 5.3 Plasser i sykehjem", "Antall plasser", "Institusjon", columns, rows, "forslag",
                    label_width=190, period=f"{p}-{p + 3}")
    return Placed([("h2", "5.3 Heldøgns omsorg"),
                   ("p", "Kapasiteten i heldøgns omsorg økes når Berger sykehjem står ferdig."), t.block()], [(t, "hvit")])


def plan_pages(p: int, kind: str, n_pages: int, s: int) -> dict[int, Placed]:
    """The designed pages of plan p's document of `kind` (forslag | innstilling | vedtak), by page.

    Pages 5, 12, 19, … (where the plans always had their overview tables) carry them; the
    current period's adopted plan also has its blue part's overviews on pages 5-10 and the
    white part (the proposal reprinted, its tables with the proposal's figures) from page 11.
    """
    slots = [n for n in range(5, n_pages + 1) if n % 7 == 5]
    out: dict[int, Placed] = {}
    if p == s and kind == "forslag":
        items = [
            _grid_page("3.1 Netto driftsrammer per sektor", [_retitle(c1_table(p, kind, s, "revidert"),
                                                                     "Tabell 3.1 Netto driftsrammer per sektor")], None),
            _grid_page("3.4 Obligatorisk oversikt – drift § 5-4", [t1a(p, kind, s)], None),
            _grid_page("3.5 Bevilgninger til sektorene", [t1b(p, kind, s)], None),
            _area_page(area_table(p, kind, s, "bu"), "bu", None, 1),
            _area_page(area_table(p, kind, s, "bo"), "bo", None, 1),
            _area_page(area_table(p, kind, s, "mik"), "mik", None, 1),
            _grid_page("7.1 Investeringer i planperioden", [investments(p, kind)], None),
            _grid_page("7.2 Obligatorisk oversikt – investering § 5-5", [t2a(p, kind), t2b(p, kind)], None),
        ]
        out.update(zip(slots, items, strict=False))
    elif p == s and kind == "innstilling":
        out[5] = _grid_page("C.1 Hovedoversikt netto driftsrammer", [c1_table(p, kind, s)], None)
        out[9] = _area_page(area_table(p, kind, s, "bu"), "bu", None, 1)  # barnehager after formannskapet's change
        out[12] = _grid_page("Formannskapets endringer", [endringer(p, kind, s), summary_with_misprint(p, s)], None)
        out[19] = _grid_page("C.6 Investeringer", [investments(p, kind)], None)
    elif p == s and kind == "vedtak":
        blue = "blå"
        out[5] = _grid_page("C.1 Hovedoversikt netto driftsrammer", [c1_table(p, kind, s)], blue)
        out[6] = _grid_page("C.5 Endringer i sektorenes rammer", [endringer(p, kind, s)], blue)
        out[7] = _grid_page("C.6 Investeringer – samlet prosjektoversikt", [investments(p, kind)], blue)
        out[8] = _grid_page("C.7 Obligatorisk oversikt 1A", [_retitle(t1a(p, kind, s), None)], blue)
        out[9] = _grid_page("C.8 Obligatorisk oversikt 1B", [_retitle(t1b(p, kind, s), None)], blue)
        out[10] = _grid_page("C.9–C.10 Obligatorisk oversikt 2A og 2B", [t2a(p, kind), t2b(p, kind)], blue)
        white = "hvit"
        f = "forslag"
        out[12] = Placed([("h2", "3 Økonomiske rammebetingelser")], [])  # filled by the builder: key figures
        items = [
            _grid_page("3.1 Netto driftsrammer per sektor", [_retitle(c1_table(p, f, s, "revidert"),
                                                                     "Tabell 3.1 Netto driftsrammer per sektor")], white),
            _grid_page("3.4 Obligatorisk oversikt – drift § 5-4", [t1a(p, f, s)], white),
            _area_page(area_table(p, f, s, "bu"), "bu", white, 1),
            _area_page(area_table(p, f, s, "bo"), "bo", white, 1),
            _area_page(area_table(p, f, s, "mik"), "mik", white, 1),
            _grid_page("7.1 Investeringer i planperioden", [investments(p, f)], white),
            _grid_page("3.5 Bevilgninger til sektorene", [t1b(p, f, s)], white),
            _grid_page("7.2 Obligatorisk oversikt – investering § 5-5", [t2a(p, f), t2b(p, f)], white),
            _others_page(p),
        ]
        out.update(zip([n for n in slots if n > 12], items, strict=False))
    elif kind == "vedtak":
        items = [_grid_page("C.1 Hovedoversikt netto driftsrammer", [c1_table(p, kind, s)], "blå")]
        if p == s + 1:
            items.append(_grid_page("C.7 Obligatorisk oversikt 1A", [_retitle(t1a(p, kind, s), None)], "blå"))
        items += [_area_page(area_table(p, kind, s, k), k, "blå", 2) for k in ("bu", "bo", "mik")]
        items = items[:len(slots)]
        if p == s + 1 and len(slots) >= 2:  # the last slot: the white part begins, with the proposal's C.1
            white = _grid_page("3.1 Netto driftsrammer per sektor", [_retitle(c1_table(p, "forslag", s),
                                                                         "Tabell 3.1 Netto driftsrammer per sektor")],
                               "hvit")
            white.blocks.insert(0, ("h1", f"Del 2 – {_role(p)} forslag (hvit del)"))
            items[len(slots) - 1] = white
        out.update(zip(slots, items, strict=False))
    else:  # an older proposal
        items = [_grid_page("3.1 Netto driftsrammer per sektor", [_retitle(c1_table(p, kind, s),
                                                                          "Tabell 3.1 Netto driftsrammer per sektor")],
                            None)]
        items += [_area_page(area_table(p, kind, s, k), k, None, 1) for k in ("bu", "bo")]
        out.update(zip(slots, items, strict=False))
    return out


def _role(p: int) -> str:
    return "Rådmannens" if p <= 2020 else "Kommunedirektørens"


def _retitle(t: BudgetTable, caption: str | None) -> BudgetTable:
    """The same table under another caption (the heading above it names it, or the document's own numbering)."""
    if caption is not None:
        t.caption = caption
    return t


def series_points(t: BudgetTable, page: int, part: str | None) -> list[dict]:
    """The planted budget line's cells in a table (sample/budgetline.py's truth format, plus family and stage)."""
    out = []
    for r in t.rows:
        if r.label != budgetline.LABEL:
            continue
        for col, v, text in zip(t.columns, r.values, r.cells, strict=True):
            out.append({"label": budgetline.LABEL, "column": col.header, "year": col.year, "kind": col.kind,
                        "value_kr": v, "text": text, "unit": t.unit, "page": page, "family": t.family,
                        "stage": t.stage, "part": part})
    return out


def _points(text: str) -> list[str]:
    """A decision written as "1. … 2. …" split into its numbered points."""
    parts = re.split(r"(?:^|\s)(\d+)\. (?=[A-ZÆØÅ])", text)
    return [p.strip() for p in parts[2::2]]


def decisions_diff(innstilling: list[dict], vedtak: list[dict], same: dict) -> dict:
    """Numbered text decisions added, dropped and changed from innstilling to vedtak, matched by
    content (`same`: (section, innstilling number) -> vedtak number), not by number."""
    by_number = {(v["section"], v["number"]): v for v in vedtak}
    matched = set()
    out: dict[str, list] = {"added": [], "dropped": [], "changed": [], "unchanged": []}
    for point in innstilling:
        target = same.get((point["section"], point["number"]))
        if target is None:
            out["dropped"].append(point)
            continue
        v = by_number[(point["section"], target)]
        matched.add((v["section"], v["number"]))
        entry = {"section": point["section"], "innstilling": point, "vedtak": v,
                 "renumbered": point["number"] != v["number"]}
        out["changed" if point["decision"] != v["decision"] else "unchanged"].append(entry)
    out["added"] = [v for v in vedtak if (v["section"], v["number"]) not in matched]
    return out


def verbal_diff(recommendation: str, decision: str) -> dict:
    """The protocol's verbal decision against the recommendation it was voted on, point by point."""
    before, after = _points(recommendation), _points(decision)
    out: dict[str, list] = {"added": [], "dropped": [], "changed": [], "unchanged": []}
    for i, text in enumerate(after, 1):
        old = before[i - 1] if i <= len(before) else None
        if old is None:
            out["added"].append({"number": i, "decision": text})
        elif old == text:
            out["unchanged"].append({"number": i, "decision": text})
        else:
            out["changed"].append({"number": i, "innstilling": old, "vedtak": text})
    out["dropped"] = [{"number": i, "decision": t} for i, t in enumerate(before, 1) if i > len(after)]
    return out
