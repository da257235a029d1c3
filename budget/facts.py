"""Budget facts: every amount of every budget table, with what it is about and where it stands.

A fact is one printed cell: the line (its row), the year and kind its column is about, the
value in kroner, the stage of the budget process it belongs to, and its source (document,
page, table, row, column, the cell as printed). Facts are derived from one document version
at a time (its tables, its classification and its page text), so they are stored beside the
tables in the catalog and derived again whenever those change (catalog/budget.py).

How a cell gets its stage (docs/budget.md has the full rules, with examples):
- a stage document (forslag, innstilling, vedtak) gives its own stage to the budget and plan
  years of its own period;
- an adopted plan's white part ("Del 2 – Kommunedirektørens forslag (hvit del)") reprints the
  proposal: its figures are stage forslag, never vedtak;
- a column about an earlier year's budget ("Budsjett 2020", "Vedtatt 2020" in plan 2021-2024)
  repeats that year's adopted budget: stage vedtak of that year's plan, rank `repeated`;
  a revised budget ("Revidert budsjett 2020") is stage revidert, accounts are regnskap;
- any other document (an answer, a notat, a presentation, a report) only quotes figures:
  rank `quoted`, with the stage its caption names ("… i kommunedirektørens forslag").
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field

from budget.columns import parse_column, period_bounds
from budget.families import recognise, table_key
from budget.labels import clean_label, footnote_mark, line_key, row_unit
from catalog.amounts import find_unit, is_dash, parse_amount, unit_factor
from catalog.models import PageText, Table, Version

MODEL_VERSION = 2  # bump when derivation changes: stored facts are derived again
STAGES = ("forslag", "innstilling", "vedtak")
STAGE_DOCTYPES = STAGES
RANKS = ("plan", "repeated", "quoted")

_WHITE = re.compile(r"\(hvit del\)|\bhvit del\b|\bdel\s*(?:2|II)\b[^.\n]{0,80}?\b(?:forslag|hvit)", re.I)
_BLUE = re.compile(r"\(blå del\)|\bblå del\b", re.I)
_TOC = re.compile(r"^(?:innhold|innholdsfortegnelse)\b", re.I | re.M)
_FOOTNOTE_LINE = re.compile(r"^([1-9¹²³⁴⁵⁶⁷⁸⁹*])\)?\s+(?=\S)(.*)$")
_RENAMED = re.compile(r"(?:tidligere|tidl\.|het tidligere|før|endret navn fra|nytt navn,? tidligere)\s*[:«\"“']*"
                      r"\s*(?P<old>[^»\"”']+?)\s*[»\"”']*\s*\.?$", re.I)
_INLINE_RENAMED = re.compile(r"\s*\((?:tidligere|tidl\.)\s+(?P<old>[^()]+)\)\s*$", re.I)
_QUOTED_STAGE = [("innstilling", re.compile(r"innstilling|formannskapets", re.I)),
                 ("vedtak", re.compile(r"\bvedtatt|\bvedtak", re.I)),
                 ("forslag", re.compile(r"forslag", re.I))]


@dataclass
class Fact:
    """One printed amount of a budget table, with what it is about and where it stands."""

    sha256: str
    doc_id: str
    page: int
    table: int  # the table's index on its page (0-based, as the catalog keeps it)
    row: int  # the row's index in the table as stored (wrapped labels are joined into their last row)
    col: int
    family: str
    table_key: str  # the caption without numbering: what groups tables of family "annet"
    caption: str | None
    line: str  # the label as a reader says it ("Barnehager")
    line_key: str  # what matches lines across documents and years
    printed: str  # the label as printed ("23 Barnehager")
    column: str  # the column header as printed
    year: int
    kind: str  # regnskap | budsjett | revidert | plan | prognose | annet (a bare year outside the period)
    stage: str  # forslag | innstilling | vedtak | revidert | regnskap | prognose | annet
    period: str | None  # the plan period whose stage this is ("2021-2024"); None for accounts
    part: str | None  # an adopted plan's part: blå | hvit | None
    rank: str  # plan | repeated | quoted
    text: str  # the cell as printed
    value: float  # the number as printed (a dash is 0)
    unit: str | None  # as printed ("Beløp i 1000 kr"; "%" for a percentage row)
    value_kr: float | None  # in kroner; None when the unit is unknown or not kroner

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass
class Renaming:
    """A line the documents say was renamed: "¹ Tidligere «Rådmann og stab»."."""

    old: str
    new: str
    sha256: str
    page: int
    text: str  # the footnote or label as printed


@dataclass
class DerivedBudget:
    facts: list[Fact] = field(default_factory=list)
    renamings: list[Renaming] = field(default_factory=list)


def _period(p: int) -> str:
    return f"{p}-{p + 3}"


def white_part_start(pages: list[PageText]) -> int | None:
    """The first page of an adopted plan's white part (the proposal it reprints), or None.

    A page starts the white part when a heading near its top says so ("Del 2 – Kommunedirektørens
    forslag (hvit del)"); a table of contents, which names both parts, does not."""
    for p in pages:
        head = "\n".join(p.text.split("\n")[:6])
        if _TOC.search(p.text) or (_BLUE.search(p.text) and _WHITE.search(p.text)):
            continue
        if _WHITE.search(" ".join(head.split())):
            return p.page
    return None


def _footnotes(text: str) -> dict[str, str]:
    """The page's footnote lines by mark: {"1": "Tidligere «Rådmann og stab»."}."""
    out = {}
    for raw in text.split("\n")[-12:]:
        m = _FOOTNOTE_LINE.match(raw.strip())
        if m and len(m.group(2)) < 160 and not re.match(r"^[\d\s,.–-]+$", m.group(2)):
            mark = m.group(1)
            mark = str("¹²³⁴⁵⁶⁷⁸⁹".index(mark) + 1) if mark in "¹²³⁴⁵⁶⁷⁸⁹" else mark
            out.setdefault(mark, m.group(2).strip())
    return out


def _merge_wrapped(table: Table) -> list[tuple[int, str, list[str], list]]:
    """(row index, label, cells, values) with wrapped labels joined: rows with a label and no
    amounts followed by a row whose label goes on in lower case ("Bistand og omsorg: Carpe Diem" /
    "demenslandsby, flere plasser 12 500") are one line. A label-only row followed by a row that
    starts anew is a heading inside the table, not a line."""
    out = []
    pending: list[str] = []
    for r, row in enumerate(table.rows):
        if not row:
            continue
        cells = row[1:]
        values = table.values[r][1:] if r < len(table.values) else []
        label = row[0].strip()
        if not any(c.strip() for c in cells):
            if label[:1].islower() or label[:1] == "(":
                pending.append(label)
            else:
                pending = [label]
            continue
        if pending and (label[:1].islower() or label[:1] == "("):
            label = " ".join(pending + [label])
        pending = []
        out.append((r, label, cells, values))
    return out


def _doc_stage(version: Version) -> str | None:
    return version.doctype if version.doctype in STAGE_DOCTYPES else None


def _quoted_stage(caption: str | None) -> str:
    for stage, pattern in _QUOTED_STAGE:
        if caption and pattern.search(caption):
            return stage
    return "annet"


def derive(version: Version, tables: list[Table], pages: list[PageText]) -> DerivedBudget:
    """Every fact and renaming one document version's tables give."""
    out = DerivedBudget()
    first, last = period_bounds(version.period, version.year)
    own_stage = _doc_stage(version)
    white = white_part_start(pages) if own_stage in ("vedtak", "innstilling") else None
    text_of = {p.page: p.text for p in pages}
    previous: Table | None = None
    for t in sorted(tables, key=lambda t: (t.page, t.index)):
        header, caption, unit = t.header, t.caption, t.unit
        if previous is not None and previous.page == t.page and t.index == previous.index + 1 \
                and not caption and not any(h.strip() for h in header) and len(header) == len(previous.header):
            header, caption, unit = previous.header, previous.caption, previous.unit  # continued under the same columns
            t = Table(t.page, t.index, header, t.rows, caption, unit, t.bbox, t.values)
        previous = t
        unit = unit or find_unit(" ".join([caption or ""] + header[:1]))
        rows = _merge_wrapped(t)
        family = recognise(caption, header, [label for _r, label, _c, _v in rows], unit_factor(unit) is not None)
        key = table_key(caption)
        footnotes = _footnotes(text_of.get(t.page, ""))
        marks = set(footnotes)
        part = None
        if white is not None:
            part = "hvit" if t.page >= white else "blå"
        columns = [parse_column(h, version.year, version.period) for h in header]
        for r, printed, cells, values in rows:
            label_text, own_unit = row_unit(printed)
            line = clean_label(label_text, marks)
            if m := _INLINE_RENAMED.search(line):
                out.renamings.append(Renaming(clean_label(m.group("old")), line[:m.start()].strip(), version.sha256,
                                              t.page, printed))
                line = line[:m.start()].strip()
            if not line or not line_key(line):
                continue
            mark = footnote_mark(printed)
            if mark and mark in footnotes and (m := _RENAMED.search(footnotes[mark])):
                out.renamings.append(Renaming(clean_label(m.group("old")), line, version.sha256, t.page,
                                              f"{mark} {footnotes[mark]}"))
            row_unit_ = own_unit or unit
            factor = unit_factor(row_unit_) if row_unit_ != "%" else None
            for j, cell in enumerate(cells, start=1):
                year, kind = columns[j] if j < len(columns) else (None, "annet")
                if year is None or not cell.strip():
                    continue
                if cell.strip().endswith("%") and row_unit_ != "%":
                    continue
                value = values[j - 1] if j - 1 < len(values) and values[j - 1] is not None else parse_amount(cell)
                if value is None:
                    if not is_dash(cell):
                        continue
                    value = 0.0
                stage, period, rank = _place(kind, year, first, last, own_stage, part, caption)
                if stage is None:
                    continue
                out.facts.append(Fact(
                    sha256=version.sha256, doc_id=version.doc_id, page=t.page, table=t.index, row=r, col=j,
                    family=family, table_key=key, caption=caption, line=line, line_key=line_key(line),
                    printed=printed, column=header[j] if j < len(header) else "", year=year, kind=kind, stage=stage,
                    period=period, part=part, rank=rank, text=cell.strip(), value=value, unit=row_unit_,
                    value_kr=round(value * factor, 2) if factor is not None else None,
                ))
    return out


def _place(kind: str, year: int, first: int | None, last: int | None, own_stage: str | None, part: str | None,
           caption: str | None) -> tuple[str | None, str | None, str]:
    """(stage, plan period, rank) of a value of `kind` about `year` in a document."""
    rank = "plan" if own_stage else "quoted"
    if kind in ("regnskap", "revidert", "prognose"):
        return kind, None, rank
    if kind == "annet":  # a bare year outside the plan period: kept as printed, never a stage's figure
        return "annet", None, rank
    if first is None or last is None:
        return None, None, rank
    if first <= year <= last:
        if own_stage is None:
            return _quoted_stage(caption), _period(first), rank
        return ("forslag" if part == "hvit" else own_stage), _period(first), rank
    if kind == "budsjett" and year < first:  # last year's budget: the adopted budget of that year's plan
        return "vedtak", _period(year), "repeated" if own_stage else "quoted"
    return None, None, rank
