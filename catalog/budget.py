"""The budget model's stored facts and renamings (budget/facts.py derives them): written per
version, replaced whenever its tables, its classification or the model change, read by line
or by plan period.

Facts are plain rows here (dicts with the fields of `budget.facts.Fact`); the catalog knows
no budget rule, only what was derived from what (`budget_state`).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from catalog.db import transaction, utcnow
from catalog.problem import Problem

FACT_FIELDS = ("sha256", "page", "table", "row", "col", "family", "table_key", "caption", "line", "line_key",
               "printed", "column", "year", "kind", "stage", "period", "part", "rank", "text", "value", "unit",
               "value_kr")
# The columns the fields are stored in (`table`, `column` and `row` are SQL words or awkward there).
_COLUMNS = tuple({"table": "tbl", "column": "heading"}.get(f, f) for f in FACT_FIELDS)


def basis_of(doctype: str | None, year: int | None, period: str | None) -> str:
    """What a version's facts were derived for: its type, year and period (a reclassified
    version's facts are derived again)."""
    return f"{doctype or ''}|{year or ''}|{period or ''}"


def write_budget(conn: sqlite3.Connection, sha256: str, facts: Iterable[dict[str, Any]],
                 renamings: Iterable[dict[str, Any]], model_version: int, basis: str) -> None:
    """Replace one version's facts and renamings (its own transaction)."""
    with transaction(conn):
        clear_budget(conn, sha256)
        conn.executemany(
            f"INSERT INTO budget_facts ({', '.join(_COLUMNS)}) VALUES ({', '.join('?' * len(_COLUMNS))})",
            [tuple(f[k] for k in FACT_FIELDS) for f in facts],
        )
        conn.executemany("INSERT OR IGNORE INTO budget_renamings (sha256, page, old, new, text) VALUES (?,?,?,?,?)",
                         [(sha256, r["page"], r["old"], r["new"], r["text"]) for r in renamings])
        conn.execute("INSERT INTO budget_state (sha256, model_version, basis, derived_at) VALUES (?,?,?,?)",
                     (sha256, model_version, basis, utcnow()))


def forget_budget(conn: sqlite3.Connection, sha256: str) -> None:
    """Forget a version's facts and that they were derived (its own transaction): it has no tables."""
    with transaction(conn):
        clear_budget(conn, sha256)


def clear_budget(conn: sqlite3.Connection, sha256: str) -> None:
    """Forget a version's facts (call inside a transaction): its tables are about to change."""
    for table in ("budget_facts", "budget_renamings", "budget_state"):
        conn.execute(f"DELETE FROM {table} WHERE sha256=?", (sha256,))


def versions_needing_budget(conn: sqlite3.Connection, model_version: int) -> list[str]:
    """Extracted versions with tables whose facts were never derived, or by an older model, or
    for another classification; and versions with facts whose tables are gone."""
    rows = conn.execute(
        "SELECT v.sha256, v.doctype, v.year, v.period, s.model_version, s.basis,"
        " EXISTS (SELECT 1 FROM tables t WHERE t.sha256 = v.sha256) AS has_tables"
        " FROM versions v LEFT JOIN budget_state s ON s.sha256 = v.sha256"
        " WHERE (v.status = 'ok' AND EXISTS (SELECT 1 FROM tables t WHERE t.sha256 = v.sha256))"
        " OR s.sha256 IS NOT NULL ORDER BY v.sha256")
    out = []
    for r in rows:
        if not r["has_tables"]:
            out.append(r["sha256"])  # facts of tables that are gone
        elif r["model_version"] != model_version or r["basis"] != basis_of(r["doctype"], r["year"], r["period"]):
            out.append(r["sha256"])
    return out


def derived_versions(conn: sqlite3.Connection, model_version: int) -> set[str]:
    """Versions whose stored facts are current."""
    rows = conn.execute("SELECT s.sha256, s.basis, v.doctype, v.year, v.period FROM budget_state s"
                        " JOIN versions v ON v.sha256 = s.sha256 WHERE s.model_version = ?", (model_version,))
    return {r["sha256"] for r in rows if r["basis"] == basis_of(r["doctype"], r["year"], r["period"])}


def _fact(r: sqlite3.Row) -> dict[str, Any]:
    return {f: r[c] for f, c in zip(FACT_FIELDS, _COLUMNS, strict=True)}


def read_facts(conn: sqlite3.Connection, sha256s: Iterable[str], *, line_keys: Iterable[str] | None = None,
               period: str | None = None) -> list[dict[str, Any]]:
    """The stored facts of these versions, only of these lines or of this plan period if given."""
    out: list[dict[str, Any]] = []
    keys = list(line_keys) if line_keys is not None else None
    shas = list(sha256s)
    for i in range(0, len(shas), 400):
        chunk = shas[i:i + 400]
        sql = f"SELECT * FROM budget_facts WHERE sha256 IN ({', '.join('?' * len(chunk))})"
        params: list[Any] = list(chunk)
        if keys is not None:
            sql += f" AND line_key IN ({', '.join('?' * len(keys))})"
            params += keys
        if period is not None:
            sql += " AND period = ?"
            params.append(period)
        out += [_fact(r) for r in conn.execute(sql + " ORDER BY sha256, page, tbl, row, col", params)]
    return out


def read_line_keys(conn: sqlite3.Connection, sha256s: Iterable[str]) -> dict[str, set[str]]:
    """Every stored line: key -> the labels it is printed as."""
    shas = list(sha256s)
    out: dict[str, set[str]] = {}
    for i in range(0, len(shas), 400):
        chunk = shas[i:i + 400]
        for r in conn.execute(f"SELECT DISTINCT line_key, line FROM budget_facts WHERE sha256 IN"
                              f" ({', '.join('?' * len(chunk))})", chunk):
            out.setdefault(r["line_key"], set()).add(r["line"])
    return out


def read_renamings(conn: sqlite3.Connection) -> list[dict[str, Any]]:
    return [dict(r) for r in conn.execute("SELECT sha256, page, old, new, text FROM budget_renamings"
                                          " ORDER BY sha256, page")]


@dataclass
class BudgetStale(Problem):
    """Versions whose budget facts are missing, were derived by an older model or for an old
    classification, or outlived their tables."""

    kind = "budget-stale"


def check_budget(conn: sqlite3.Connection, model_version: int) -> list[Problem]:
    stale = versions_needing_budget(conn, model_version)
    if not stale:
        return []
    return [BudgetStale(f"{len(stale)} versions have no current budget facts (the budget model is rebuilt by"
                        " `hparkiv update` or `hparkiv check --repair`)")]
