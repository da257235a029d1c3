"""The budget model over the catalog: facts stored per version, derived again when stale, read
by line or by plan period, and settled by the precedence rules (docs/budget.md).

Why stored: `series` and `endringer` ask for a few lines or one period out of every table the
archive holds; the catalog answers that by index instead of re-reading every table on every
question, each fact keeps its source, and `hparkiv check` can say when the model is behind
its tables. `derive_missing` brings it up to date (run by `hparkiv update` and `check --repair`);
a reader that meets a version whose facts are stale derives them in memory, so an answer is
never older than the tables (the web is read-only and never writes them).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace

import catalog
from budget.facts import MODEL_VERSION, DerivedBudget, Fact, Renaming, derive
from catalog import budget as stored
from catalog.models import Filters, Version

RANK_ORDER = {"plan": 0, "repeated": 1, "quoted": 2}


def derive_version(conn: catalog.Connection, v: Version) -> DerivedBudget:
    return derive(v, catalog.tables_of(conn, v.sha256), catalog.pages_of(conn, v.sha256))


def derive_missing(conn: catalog.Connection) -> int:
    """Derive and store the facts of every version whose facts are missing or stale; returns how many."""
    done = 0
    for sha in stored.versions_needing_budget(conn, MODEL_VERSION):
        v = catalog.get_version(conn, sha)
        tables = catalog.tables_of(conn, sha) if v is not None else []
        if not tables:
            stored.forget_budget(conn, sha)  # its tables are gone: so are its facts
            done += 1
            continue
        derived = derive(v, tables, catalog.pages_of(conn, sha)) if v.status == "ok" else DerivedBudget()
        basis = stored.basis_of(v.doctype, v.year, v.period)
        stored.write_budget(conn, sha, (f.to_dict() for f in derived.facts),
                            (vars(r) for r in derived.renamings), MODEL_VERSION, basis)
        done += 1
    return done


@dataclass
class Model:
    """The facts of the documents asked for, with their versions and the renamings the archive shows."""

    facts: list[Fact]
    versions: dict[str, Version]
    renamings: list[Renaming] = field(default_factory=list)

    def kommune_of(self, sha256: str) -> str | None:
        return getattr(self.versions.get(sha256), "kommune", None)

    def renamed(self, kommune: str | None | bool = False) -> dict[str, str]:
        """Old line key -> the key it is known by now (chains followed); with `kommune`, only the
        renamings that municipality's documents show (one municipality's renaming is not another's)."""
        from budget.labels import line_key

        step = {line_key(r.old): line_key(r.new) for r in self.renamings if line_key(r.old) != line_key(r.new)
                and (kommune is False or self.kommune_of(r.sha256) == kommune)}
        out = {}
        for old in step:
            seen, key = {old}, step[old]
            while key in step and step[key] not in seen:
                seen.add(key)
                key = step[key]
            out[old] = key
        return out


def _fact(d: dict) -> Fact:
    return Fact(doc_id=d["sha256"][:12], **d)


def load(conn: catalog.Connection, filters: Filters | None = None, *, line_keys: Iterable[str] | None = None,
         period: str | None = None) -> Model:
    """The model of the documents the filters select (their year filter is not applied: a
    value's year is what `series --year` filters on), only these lines or one period if given."""
    f = replace(filters or Filters(), year_from=None, year_to=None)
    versions = {v.sha256: v for v in catalog.list_versions(conn, f) if v.status == "ok"}
    current = stored.derived_versions(conn, MODEL_VERSION) & set(versions)
    keys = set(line_keys) if line_keys is not None else None
    facts = [_fact(d) for d in stored.read_facts(conn, sorted(current), line_keys=keys, period=period)]
    renamings = [Renaming(r["old"], r["new"], r["sha256"], r["page"], r["text"]) for r in stored.read_renamings(conn)
                 if r["sha256"] in current]
    for sha in _stale(conn, versions):
        derived = derive_version(conn, versions[sha])
        renamings += derived.renamings
        facts += [x for x in derived.facts if (keys is None or x.line_key in keys)
                  and (period is None or x.period == period)]
    return Model(facts, versions, renamings)


def line_keys(conn: catalog.Connection, filters: Filters | None = None) -> dict[str, set[str]]:
    """Every line the selected documents print: key -> its labels (stale versions derived as read)."""
    f = replace(filters or Filters(), year_from=None, year_to=None)
    versions = {v.sha256: v for v in catalog.list_versions(conn, f) if v.status == "ok"}
    current = stored.derived_versions(conn, MODEL_VERSION) & set(versions)
    out = stored.read_line_keys(conn, sorted(current))
    for sha in _stale(conn, versions):
        for x in derive_version(conn, versions[sha]).facts:
            out.setdefault(x.line_key, set()).add(x.line)
    return out


def _stale(conn: catalog.Connection, versions: dict[str, Version]) -> list[str]:
    return [sha for sha in stored.versions_needing_budget(conn, MODEL_VERSION) if sha in versions]


@dataclass
class Settled:
    """One value of a line, year and stage after precedence: `value_kr` (None when the sources
    disagree and no rule settles it: `conflict` then holds every disagreeing source), the
    facts it stands on (best first) and those that precedence set aside (`overruled`)."""

    value_kr: float | None
    facts: list[Fact]
    conflict: list[Fact] = field(default_factory=list)
    overruled: list[Fact] = field(default_factory=list)

    @property
    def first(self) -> Fact:
        return self.facts[0]


def amount(f: Fact) -> float:
    return f.value_kr if f.value_kr is not None else f.value


def settle(facts: list[Fact]) -> Settled:
    """Precedence among facts about the same line, year and stage: a plan document's own
    figures before a later plan's repetition before a quote; the adopted plan's own figures
    before its white part's (which are another stage anyway). Disagreement within the best
    rank is a conflict: kept, never picked."""
    best = min(RANK_ORDER.get(f.rank, 9) for f in facts)
    top = sorted((f for f in facts if RANK_ORDER.get(f.rank, 9) == best),
                 key=lambda f: (f.part == "hvit", f.sha256, f.page, f.table, f.row))
    rest = [f for f in facts if RANK_ORDER.get(f.rank, 9) != best]
    values = {round(amount(f), 2) for f in top}
    if len(values) > 1:
        return Settled(None, top, conflict=top, overruled=rest)
    value = amount(top[0])
    return Settled(value, top, overruled=[f for f in rest if round(amount(f), 2) != round(value, 2)])
