"""`endringer`: what changed between the stages of one budget process (forslag → innstilling → vedtak).

For a plan period, every line of the stage documents' recognised tables with its value per
stage and plan year, whether it changed and by how much; the text decisions added, dropped
or changed between innstilling and vedtak; the vote that adopted a change where a protocol's
proposal names the line; and the quotes (answers, notater) whose figures the politicians
changed afterwards.

A stage is in a line's `values` when that stage's documents carry the line's table (they
print at least one line printed together with it); its value is None there when the table
has no such line (added or dropped). A stage whose sources disagree, where no precedence
rule settles it, has None and the disagreeing sources in `conflicts`: kept, never picked.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field, replace
from typing import Any

import catalog
from budget import decisions as dec
from budget.facts import STAGES, Fact
from budget.families import RECOGNISED
from budget.labels import is_sum
from budget.model import Model, load, settle
from catalog.amounts import unit_factor
from catalog.models import Filters, Version
from catalog.vedtak import list_vedtak

_PERIOD = re.compile(r"^\s*((?:19|20)\d\d)\s*(?:[-–]\s*((?:19|20)\d\d))?\s*$")
_BUDGET_CASE = re.compile(r"handlingsprogram|budsjett|økonomiplan|\bHP\b", re.I)


class NoSuchPeriod(LookupError):
    """No document of the archive belongs to the plan period asked for."""


class SeveralKommuner(LookupError):
    """The period's documents belong to several municipalities, none was asked for, and the
    archive's home municipality is not among them (or several were asked for, `asked`): which
    one is meant must be said. One budget process is one municipality's."""

    def __init__(self, period: str, kommuner: list[str], asked: bool = False) -> None:
        super().__init__(period)
        self.period, self.kommuner, self.asked = period, kommuner, asked


def scope(conn: catalog.Connection, period: str, kommune: str | tuple[str, ...] | None = None) -> Filters:
    """The documents one budget process is read from: those of `kommune` (kommunenumre) if
    given. Otherwise all of the period's when they belong to one municipality (or name none:
    a catalog from before municipalities were recorded); else those of the home source's
    municipality (Bærum, by any of its numbers). Two municipalities' budgets are never mixed."""
    if kommune:
        numbers = (kommune,) if isinstance(kommune, str) else tuple(kommune)
        if len(numbers) > 1:
            raise SeveralKommuner(period, list(numbers), asked=True)
        return Filters(kommune=numbers[0])
    named: dict[str, str] = {}
    for v in catalog.list_versions(conn, Filters()):
        if v.period == period and v.kommunenummer:
            named.setdefault(v.kommunenummer, v.kommune or v.kommunenummer)
    if len(named) <= 1:
        return Filters()
    from sources import load_source

    home = load_source().kommune
    mine = tuple(n for n in named if home is not None and n in home.numbers())
    if not mine:
        raise SeveralKommuner(period, sorted(f"{name} ({number})" for number, name in named.items()))
    return Filters(kommune=mine)


def parse_period(text: str) -> str:
    """"2021-2024" or the budget year "2021" as a plan period "2021-2024"; ValueError otherwise."""
    m = _PERIOD.match(text or "")
    if not m:
        raise ValueError(text)
    first = int(m.group(1))
    if m.group(2) and int(m.group(2)) != first + 3:
        raise ValueError(text)
    return f"{first}-{first + 3}"


@dataclass
class StageDoc:
    stage: str
    doc_id: str
    title: str | None
    date: str | None
    url: str
    status: str
    pages: int | None = None


@dataclass
class ChangeLine:
    label: str
    family: str
    table: str | None  # the caption of the table it stands in (the first stage's)
    year: int
    unit: str | None
    values: dict[str, float | None]
    values_kr: dict[str, float | None]
    changed: bool
    delta: float | None  # last stage minus first, in `unit`
    delta_kr: float | None
    delta_pct: float | None
    sources: dict[str, dict[str, Any]]
    conflict: bool = False
    conflicts: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    printed: list[str] = field(default_factory=list)  # the labels as printed
    votes: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class Endringer:
    period: str
    budget_year: int
    stages: list[StageDoc]
    lines: list[ChangeLine]
    decisions: dict[str, list[dict[str, Any]]]
    quoted: list[dict[str, Any]] = field(default_factory=list)
    renamings: list[dict[str, Any]] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)  # stages with no readable document
    kommune: str | None = None  # the municipality whose budget it is, where the catalog knows

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    def changed(self) -> list[ChangeLine]:
        return [ln for ln in self.lines if ln.changed]


def _number(x: float | None) -> float | int | None:
    if x is None:
        return None
    x = round(x, 6)
    return int(x) if float(x).is_integer() else x


def stage_documents(conn: catalog.Connection, period: str, model: Model | None = None,
                    within: Filters | None = None) -> list[StageDoc]:
    """The plan documents of each stage (of the municipality `within` selects): those that carry
    the plan's tables; where no document of a stage does (none could be read), every document of
    that type, with its status."""
    stage_filters = replace(within or Filters(), doctype=STAGES)
    versions = [v for v in catalog.list_versions(conn, stage_filters) if v.period == period]
    if model is None:
        model = load(conn, stage_filters, period=period)
    with_tables = {f.sha256 for f in model.facts if f.rank == "plan" and f.period == period}
    out = []
    for stage in STAGES:
        of_stage = [v for v in versions if v.doctype == stage]
        chosen = [v for v in of_stage if v.sha256 in with_tables] or of_stage
        out += [StageDoc(stage, v.doc_id, v.title, v.date, v.url, v.status, v.pages)
                for v in sorted(chosen, key=lambda v: (v.date or "", v.doc_id))]
    return out


def endringer(conn: catalog.Connection, period_text: str, kommune: str | tuple[str, ...] | None = None) -> Endringer:
    """What changed between the stages of plan period `period_text` ("2021-2024" or "2021") in
    one municipality's budget (`scope`: `kommune`, else the only or the home one)."""
    period = parse_period(period_text)
    first = int(period[:4])
    within = scope(conn, period, kommune)
    model = load(conn, within, period=period)
    stages = stage_documents(conn, period, model, within)
    if not stages and not any(v.period == period for v in model.versions.values()):
        raise NoSuchPeriod(period)
    stage_shas = {d.doc_id for d in stages if d.status == "ok"}
    plan = [f for f in model.facts if f.rank == "plan" and f.period == period and f.stage in STAGES
            and f.family in RECOGNISED and f.kind in ("budsjett", "plan") and first <= f.year <= first + 3
            and f.doc_id in stage_shas]
    lines = _lines(plan)
    out = Endringer(period, first, stages, lines, {}, missing=[s for s in STAGES if not any(
        d.stage == s and d.status == "ok" for d in stages)])
    out.quoted = _quoted(model, period, lines)
    out.renamings = [{"old": r.old, "new": r.new, "doc_id": r.sha256[:12], "page": r.page, "text": r.text}
                     for r in model.renamings]
    out.kommune = next((v.kommune for v in model.versions.values() if v.kommune), None)
    out.decisions = _decisions(conn, model, stages, period, within)
    _attach_votes(conn, out, period, within)
    return out


def _table_id(f: Fact) -> tuple:
    return (f.sha256, f.page, f.caption or f.table)


def _lines(plan: list[Fact]) -> list[ChangeLine]:
    by_table: dict[tuple, set[tuple[str, str]]] = {}
    for f in plan:
        by_table.setdefault(_table_id(f), set()).add((f.family, f.line_key))
    siblings: dict[tuple[str, str], set[tuple[str, str]]] = {}
    carried: dict[str, set[tuple[str, str]]] = {}
    for f in plan:
        siblings.setdefault((f.family, f.line_key), set()).update(by_table[_table_id(f)])
        carried.setdefault(f.stage, set()).add((f.family, f.line_key))
    groups: dict[tuple[str, str, int], list[Fact]] = {}
    for f in plan:
        groups.setdefault((f.family, f.line_key, f.year), []).append(f)
    out = []
    for (family, key, year), facts in groups.items():
        kin = siblings[(family, key)]
        units = [f.unit for f in facts]
        unit = max(set(units), key=lambda u: (units.count(u), u or ""))
        factor = unit_factor(unit) if unit != "%" else None
        values: dict[str, float | None] = {}
        values_kr: dict[str, float | None] = {}
        sources: dict[str, dict[str, Any]] = {}
        conflicts: dict[str, list[dict[str, Any]]] = {}
        for stage in STAGES:
            if not kin & carried.get(stage, set()):
                continue  # the stage's documents print none of this table's lines
            at = [f for f in facts if f.stage == stage]
            if not at:
                values[stage] = values_kr[stage] = None
                continue
            s = settle(at)
            if s.value_kr is None:
                values[stage] = values_kr[stage] = None
                conflicts[stage] = [_source(f) | {"value": _number(f.value), "unit": f.unit} for f in s.conflict]
                continue
            kr = s.value_kr if s.first.value_kr is not None else None
            values_kr[stage] = _number(kr)
            values[stage] = _number(kr / factor if kr is not None and factor else s.first.value)
            sources[stage] = _source(s.first) | {"also": [_source(f) for f in s.facts[1:]]}
        settled = [st for st in values if st not in conflicts]
        seq = [values[st] for st in settled]
        a, b = (values[settled[0]], values[settled[-1]]) if settled else (None, None)
        akr, bkr = (values_kr[settled[0]], values_kr[settled[-1]]) if settled else (None, None)
        label = _label(facts)
        out.append(ChangeLine(
            label=label, family=family, table=facts[0].caption, year=year, unit=unit, values=values,
            values_kr=values_kr, changed=len(set(seq)) > 1,
            delta=_number(b - a) if a is not None and b is not None else None,
            delta_kr=_number(bkr - akr) if akr is not None and bkr is not None else None,
            delta_pct=round((b - a) / abs(a) * 100, 2) if a and b is not None else None,
            sources=sources, conflict=bool(conflicts), conflicts=conflicts,
            printed=sorted({f.printed for f in facts}),
        ))
    order = {f: i for i, f in enumerate(RECOGNISED)}
    out.sort(key=lambda ln: (order.get(ln.family, 99), ln.label, ln.year))
    return out


def _label(facts: list[Fact]) -> str:
    """The line's name as the latest stage prints it."""
    best = max(facts, key=lambda f: (STAGES.index(f.stage) if f.stage in STAGES else -1, f.part != "hvit"))
    return best.line


def _source(f: Fact) -> dict[str, Any]:
    return {"doc_id": f.doc_id, "page": f.page, "table": f.table + 1, "caption": f.caption, "text": f.text,
            "part": f.part}


def size_of_change(ln: ChangeLine) -> float:
    """What the text view sorts by: the change in kroner, else the value a line gained or lost."""
    if ln.delta_kr is not None:
        return abs(ln.delta_kr)
    if ln.delta is not None:
        return abs(ln.delta) * (unit_factor(ln.unit) or 1.0)
    present = [v for v in ln.values_kr.values() if v is not None]
    return max((abs(v) for v in present), default=0.0)


def _quoted(model: Model, period: str, lines: list[ChangeLine]) -> list[dict[str, Any]]:
    """Figures other documents quote for the period, beside what the stage they quote and the
    adopted plan say: a quote of the proposal that the politicians changed is outdated."""
    by_line = {(ln.family, _key(ln.label), ln.year): ln for ln in lines}
    by_key: dict[tuple[str, int], list[ChangeLine]] = {}
    for ln in lines:
        by_key.setdefault((_key(ln.label), ln.year), []).append(ln)
    out = []
    for f in model.facts:
        if f.rank != "quoted" or f.period != period or f.stage not in STAGES:
            continue
        ln = by_line.get((f.family, f.line_key, f.year)) or next(
            (x for x in by_key.get((f.line_key, f.year), []) if f.stage in x.values_kr), None)
        at_stage = ln.values_kr.get(f.stage) if ln else None
        later = [st for st in STAGES[STAGES.index(f.stage):] if ln and ln.values_kr.get(st) is not None]
        latest = later[-1] if later else None
        latest_kr = ln.values_kr[latest] if ln and latest else None
        v = model.versions.get(f.sha256)
        out.append({"doc_id": f.doc_id, "title": v.title if v else None, "doctype": v.doctype if v else None,
                    "page": f.page, "table": f.caption, "label": f.line, "year": f.year, "text": f.text,
                    "value": _number(f.value), "unit": f.unit, "value_kr": _number(f.value_kr),
                    "quotes_stage": f.stage, "stage_value_kr": at_stage, "latest_stage": latest,
                    "latest_kr": latest_kr, "adopted_kr": ln.values_kr.get("vedtak") if ln else None,
                    "outdated": _outdated(f, ln, later)})
    return out


def _outdated(f: Fact, ln: ChangeLine | None, later: list[str]) -> bool | None:
    """A quote differs from what a later stage prints: outdated. It equals the adopted figure:
    current. Otherwise (the adopted plan does not print the line) the archive cannot tell: None."""
    if ln is None or f.value_kr is None or not later:
        return None
    if any(round(ln.values_kr[st], 2) != round(f.value_kr, 2) for st in later):
        return True
    return False if later[-1] == "vedtak" else None


def _key(label: str) -> str:
    from budget.labels import line_key

    return line_key(label)


# ---------------------------------------------------------------- decisions and votes


def _decisions(conn: catalog.Connection, model: Model, stages: list[StageDoc], period: str,
               within: Filters) -> dict[str, list]:
    from extract.vedtak import text_vedtak

    out: dict[str, list] = {"added": [], "dropped": [], "changed": [], "unchanged": []}
    innst = [d for d in stages if d.stage == "innstilling" and d.status == "ok"]
    vedt = [d for d in stages if d.stage == "vedtak" and d.status == "ok"]
    if innst and vedt:
        before = []
        for d in innst:
            v = catalog.find_version(conn, d.doc_id)
            pages = [(p.page, p.text) for p in catalog.pages_of(conn, v.sha256)] if v else []
            before += [dec.Point(x.section, x.number, x.decision or "", d.doc_id, x.page_from)
                       for x in text_vedtak(pages)]
        after = []
        for d in vedt:
            v = catalog.find_version(conn, d.doc_id)
            if v is None:
                continue
            after += [dec.Point(x.section, x.number, x.decision or "", d.doc_id, x.page_from)
                      for _v, x in list_vedtak(conn, Filters(all_versions=True), {v.sha256}) if x.kind == "tekstvedtak"]
        if before and after:
            _merge(out, dec.diff_points("tekstvedtak", before, after))
    case = _budget_case(conn, period, "kommunestyret", within)
    if case is not None:
        v, x = case
        _merge(out, dec.diff_verbal(x.recommendation, x.decision, v.doc_id, x.page_from))
    return out


def _merge(out: dict[str, list], d: dec.PointDiff) -> None:
    for k in out:
        out[k] += getattr(d, k)


def _budget_cases(conn: catalog.Connection, period: str, committee: str,
                  within: Filters) -> list[tuple[Version, Any]]:
    """The budget case (its agenda item) in a committee's protocols of the period."""
    first = int(period[:4])
    found = []
    for v, x in list_vedtak(conn, replace(within, committee=committee, doctype="protokoll")):
        if x.kind != "sak" or not (v.period == period or v.year == first):
            continue
        if _BUDGET_CASE.search(x.title or "") and (period in (x.title or "") or str(first) in (x.title or "")
                                                    or x.proposals):
            found.append((v, x))
    return found


def _budget_case(conn: catalog.Connection, period: str, committee: str,
                 within: Filters) -> tuple[Version, Any] | None:
    cases = _budget_cases(conn, period, committee, within)
    return cases[0] if cases else None


def _attach_votes(conn: catalog.Connection, out: Endringer, period: str, within: Filters) -> None:
    """The vote that adopted a change, on each line a proposal names at the step it changed."""
    steps = (("formannskapet", "forslag", "innstilling"), ("kommunestyret", "innstilling", "vedtak"))
    for committee, before, after in steps:
        for v, x in _budget_cases(conn, period, committee, within):
            for p in x.proposals:
                for by, text in dec.split_proposals(p.by, p.text):
                    vote = dec.votes_for(by, x.votes)
                    if vote is None:
                        continue
                    record = {"doc_id": v.doc_id, "title": v.title, "date": v.date, "case": x.case,
                              "committee": committee, "stage": after, "proposal_by": by, "proposal": text,
                              "page": p.page or x.page_from, "vote": {
                                  "text": vote.text, "motion": vote.motion, "result": vote.result,
                                  "for": vote.votes_for,
                                  "against": vote.votes_against, "parties_for": vote.parties_for,
                                  "parties_against": vote.parties_against, "page": vote.page}}
                    for ln in out.lines:
                        if is_sum(ln.label) or not _changed_at(ln, before, after):
                            continue
                        if any(dec.names_line(s, ln.label) for s in dec.sentences(text)):
                            ln.votes.append(record)


def _changed_at(ln: ChangeLine, before: str, after: str) -> bool:
    """Whether a line's value changed at a step (from the stage before it, or from the proposal
    where the stage before has no table with the line)."""
    if after not in ln.values or after in ln.conflicts:
        return False
    prev = before if before in ln.values else "forslag"
    if prev not in ln.values or prev in ln.conflicts:
        return False
    return ln.values[prev] != ln.values[after]


