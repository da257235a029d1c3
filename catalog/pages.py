"""Extraction results: a version's page texts, tables and vedtak, written together; pages and tables read back."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from typing import Any

from catalog.budget import clear_budget
from catalog.db import transaction, utcnow
from catalog.models import Filters, PageText, Table, Version
from catalog.vedtak import DerivedVedtak, write_vedtak
from catalog.versions import fill_date, get_version, list_versions, version_from_row


def record_extraction(
    conn: sqlite3.Connection,
    sha256: str,
    *,
    status: str,
    error: str | None,
    pages: list[PageText],
    tables: list[Table],
    vedtak: DerivedVedtak | None = None,
    page_count: int | None = None,
    date: tuple[str | None, str] | None = None,
    now: str | None = None,
) -> None:
    """Store one version's extraction in a single transaction: its pages, its tables, the
    vedtak derived from those pages and its status. A failure anywhere leaves the version
    as it was. Without `vedtak`, the version's old vedtak go and are derived again from
    the new pages (`extract.vedtak.derive_missing_vedtak`); its budget facts always go and are
    derived again from the new tables (`budget.derive_missing`). `date` is (ISO date or None, why):
    the date its first page states, for a version whose date is still undecided (`fill_date`)."""
    now = now or utcnow()
    with transaction(conn):
        conn.execute("DELETE FROM pages WHERE sha256=?", (sha256,))
        conn.execute("DELETE FROM tables WHERE sha256=?", (sha256,))
        conn.executemany(
            "INSERT INTO pages (sha256, page, text, ocr) VALUES (?,?,?,?)",
            [(sha256, p.page, p.text, int(p.ocr)) for p in pages],
        )
        conn.executemany(
            "INSERT INTO tables (sha256, page, idx, header, rows, caption, unit, bbox, cell_values)"
            " VALUES (?,?,?,?,?,?,?,?,?)",
            [
                (sha256, t.page, t.index, json.dumps(t.header, ensure_ascii=False),
                 json.dumps(t.rows, ensure_ascii=False), t.caption, t.unit,
                 json.dumps(t.bbox) if t.bbox is not None else None,
                 json.dumps(t.values) if t.values else None)
                for t in tables
            ],
        )
        write_vedtak(conn, sha256, vedtak)
        clear_budget(conn, sha256)  # the budget model derives this version's facts again (budget.derive_missing)
        if date is not None:
            fill_date(conn, sha256, *date)
        conn.execute(
            "UPDATE versions SET status=?, error=?, pages=?, ocr_pages=?, extracted_at=?, index_dirty=1"
            " WHERE sha256=?",
            (
                status, error, page_count if page_count is not None else (len(pages) or None),
                sum(1 for p in pages if p.ocr), now, sha256,
            ),
        )


def pages_of(conn: sqlite3.Connection, sha256: str) -> list[PageText]:
    rows = conn.execute("SELECT page, text, ocr FROM pages WHERE sha256=? ORDER BY page", (sha256,))
    return [PageText(r["page"], r["text"], bool(r["ocr"])) for r in rows]


def tables_of(conn: sqlite3.Connection, sha256: str, page: int | None = None) -> list[Table]:
    sql = "SELECT * FROM tables WHERE sha256=?"
    params: list[Any] = [sha256]
    if page is not None:
        sql += " AND page=?"
        params.append(page)
    rows = conn.execute(sql + " ORDER BY page, idx", params)
    return [_table(r) for r in rows]


def _table(r: sqlite3.Row) -> Table:
    return Table(
        r["page"], r["idx"], json.loads(r["header"]), json.loads(r["rows"]), caption=r["caption"], unit=r["unit"],
        bbox=json.loads(r["bbox"]) if r["bbox"] else None,
        values=json.loads(r["cell_values"]) if r["cell_values"] else [],
    )


def pages_with_tables(
    conn: sqlite3.Connection, keys: list[tuple[str, int]]
) -> dict[tuple[str, int], tuple[str, list[Table]]]:
    """The text and the tables of each (sha256, page) asked for: what a search hit's snippet is
    cut from. A page the catalog does not hold gives ("", [])."""
    out = {}
    for sha, page in keys:
        row = conn.execute("SELECT text FROM pages WHERE sha256=? AND page=?", (sha, page)).fetchone()
        out[(sha, page)] = (row["text"] if row else "", tables_of(conn, sha, page))
    return out


def all_tables(conn: sqlite3.Connection, filters: Filters | None = None) -> Iterator[tuple[Version, Table]]:
    """(version, table) for every table of the versions the filters select (current versions by default)."""
    for v in list_versions(conn, filters or Filters()):
        for r in conn.execute("SELECT * FROM tables WHERE sha256=? ORDER BY page, idx", (v.sha256,)):
            yield v, _table(r)


def current_pages(conn: sqlite3.Connection, sha256s: list[str] | None = None) -> Iterator[tuple[Version, PageText]]:
    """(version, page) pairs to index: every extracted page, superseded versions included."""
    if sha256s is None:
        versions = [version_from_row(r) for r in conn.execute("SELECT * FROM versions ORDER BY sha256")]
    else:
        versions = [v for s in sha256s if (v := get_version(conn, s)) is not None]
    for v in versions:
        for p in pages_of(conn, v.sha256):
            yield v, p
