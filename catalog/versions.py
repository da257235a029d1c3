"""Document versions: reading them (by id, by filters, per year) and marking them for the index."""

from __future__ import annotations

import json
import sqlite3
from dataclasses import replace
from typing import Any

from catalog.db import transaction
from catalog.models import Filters, Version


def version_from_row(row: sqlite3.Row) -> Version:
    d = dict(row)
    d.pop("index_dirty", None)
    d["provenance"] = json.loads(d.get("provenance") or "{}")
    return Version(**d)


def get_version(conn: sqlite3.Connection, sha256: str) -> Version | None:
    row = conn.execute("SELECT * FROM versions WHERE sha256=?", (sha256,)).fetchone()
    return version_from_row(row) if row else None


def find_version(conn: sqlite3.Connection, ref: str) -> Version | None:
    """A version by doc_id, full sha256 or an unambiguous sha256 prefix (>= 6 hex digits)."""
    ref = ref.strip().lower()
    if len(ref) < 6 or any(c not in "0123456789abcdef" for c in ref):
        return None
    rows = conn.execute("SELECT * FROM versions WHERE sha256 LIKE ? LIMIT 2", (ref + "%",)).fetchall()
    return version_from_row(rows[0]) if len(rows) == 1 else None


# Each filter field and the condition it puts on the versions table.
_FILTER_CONDITIONS = (
    ("year_from", "year >= ?"),
    ("year_to", "year <= ?"),
    ("date_from", "date >= ?"),
    ("date_to", "date <= ?"),
    ("status", "status = ?"),
)
# Filters that take several values (any of them), and the column each compares.
_MULTI_VALUED = (("committee", "committee"), ("doctype", "doctype"), ("kommune", "kommunenummer"))


def filter_sql(filters: Filters) -> tuple[str, list[Any]]:
    """A WHERE clause for `filters` (without the WHERE), so list and counts agree with search."""
    clauses: list[str] = []
    params: list[Any] = []
    for name, condition in _FILTER_CONDITIONS:
        value = getattr(filters, name)
        if value is not None and value != "":
            if filters.undated and name.startswith("date_"):
                condition = f"({condition} OR date IS NULL OR date = '')"
            clauses.append(condition)
            params.append(value)
    for name, column in _MULTI_VALUED:
        values = filters.values(name)
        if values:
            clauses.append(f"{column} IN ({', '.join('?' * len(values))})")
            params.extend(values)
    if not filters.all_versions:
        clauses.append("superseded_by IS NULL")
    return (" AND ".join(clauses) or "1=1"), params


def list_versions(conn: sqlite3.Connection, filters: Filters | None = None) -> list[Version]:
    where, params = filter_sql(filters or Filters())
    rows = conn.execute(
        f"SELECT * FROM versions WHERE {where} ORDER BY year IS NULL, year, date, title, sha256", params
    )
    return [version_from_row(r) for r in rows]


def year_stats(conn: sqlite3.Connection, filters: Filters | None = None) -> dict[int, dict[str, int]]:
    """Per budget year, within `filters`: documents, their extracted pages, and how many
    failed to give text (failed or no_text), so a trend can say where it is blind."""
    where, params = filter_sql(replace(filters or Filters(), status=None))
    rows = conn.execute(
        f"""SELECT year, COUNT(*) AS documents,
                   SUM((SELECT COUNT(*) FROM pages p WHERE p.sha256 = versions.sha256)) AS pages,
                   SUM(status IN ('failed', 'no_text')) AS failed
            FROM versions WHERE {where} AND year IS NOT NULL GROUP BY year ORDER BY year""",
        params,
    )
    return {r["year"]: {"documents": r["documents"], "pages": r["pages"] or 0, "failed": r["failed"] or 0}
            for r in rows}


def year_span(conn: sqlite3.Connection) -> tuple[int, int] | None:
    """The first and last budget year the archive holds (None when it holds no dated year)."""
    row = conn.execute("SELECT MIN(year), MAX(year) FROM versions WHERE year IS NOT NULL").fetchone()
    return (row[0], row[1]) if row and row[0] is not None else None


def count_undated(conn: sqlite3.Connection, filters: Filters) -> int:
    """Documents a date range leaves out because they have no date (the other filters kept)."""
    where, params = filter_sql(replace(filters, date_from=None, date_to=None))
    return conn.execute(f"SELECT COUNT(*) FROM versions WHERE {where} AND (date IS NULL OR date = '')",
                        params).fetchone()[0]


def versions_at_urls_of(conn: sqlite3.Connection, sha256: str) -> list[Version]:
    """Every version served at any URL this version was served at (itself included), newest first:
    a document's history, current and superseded."""
    rows = conn.execute(
        "SELECT DISTINCT v.* FROM versions v JOIN url_versions uv ON uv.sha256 = v.sha256"
        " WHERE uv.url IN (SELECT url FROM url_versions WHERE sha256=?) OR v.sha256=?"
        " ORDER BY v.first_seen DESC, v.sha256",
        (sha256, sha256),
    )
    return [version_from_row(r) for r in rows]


def pending_versions(conn: sqlite3.Connection, force: bool = False) -> list[Version]:
    """Versions that still need extraction (all of them with `force`)."""
    where = "" if force else "WHERE status='pending'"
    return [version_from_row(r) for r in conn.execute(f"SELECT * FROM versions {where} ORDER BY first_seen, sha256")]


def dirty_versions(conn: sqlite3.Connection) -> list[Version]:
    """Versions whose index entries are missing or stale."""
    return [version_from_row(r) for r in conn.execute("SELECT * FROM versions WHERE index_dirty=1 ORDER BY sha256")]


def mark_indexed(conn: sqlite3.Connection, sha256s: list[str]) -> None:
    with transaction(conn):
        conn.executemany("UPDATE versions SET index_dirty=0 WHERE sha256=?", [(s,) for s in sha256s])


def kommuner(conn: sqlite3.Connection) -> list[dict[str, Any]]:
    """Each municipality the archive holds documents of: number, name, sources, documents (current)."""
    rows = conn.execute(
        "SELECT kommunenummer, MAX(kommune) AS kommune, GROUP_CONCAT(DISTINCT source) AS sources,"
        " COUNT(*) AS documents FROM versions WHERE superseded_by IS NULL AND kommunenummer IS NOT NULL"
        " GROUP BY kommunenummer ORDER BY MAX(kommune)")
    return [{"number": r["kommunenummer"], "name": r["kommune"], "sources": sorted((r["sources"] or "").split(",")),
             "documents": r["documents"]} for r in rows]


def undated_versions(conn: sqlite3.Connection) -> list[Version]:
    """Extracted versions without a date whose date nothing has decided yet (no provenance for it):
    their first page may state one (extract/dates.py)."""
    rows = conn.execute("SELECT * FROM versions WHERE status='ok' AND (date IS NULL OR date='')"
                        " AND json_extract(provenance, '$.date') IS NULL ORDER BY sha256")
    return [version_from_row(r) for r in rows]


def fill_date(conn: sqlite3.Connection, sha256: str, date: str | None, why: str) -> bool:
    """Give an undated version the date its own first page states (call inside a transaction), with
    `why` as its provenance; a version without a budget year takes the date's year. `date` None
    records that the page prints a date that cannot be read. Never changes a date already decided.
    Returns whether it changed anything."""
    row = conn.execute("SELECT date, year, provenance FROM versions WHERE sha256=?", (sha256,)).fetchone()
    if row is None or row["date"]:
        return False
    prov = json.loads(row["provenance"] or "{}")
    if "date" in prov:
        return False
    prov["date"] = why
    year = row["year"]
    if date and year is None:
        year, prov["year"] = int(date[:4]), f"year of date {date}"
    conn.execute("UPDATE versions SET date=?, year=?, provenance=?, index_dirty=1 WHERE sha256=?",
                 (date, year, json.dumps(prov, ensure_ascii=False), sha256))
    return True
