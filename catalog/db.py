"""The SQLite catalog: the schema, declared once, and the few operations the stages need.

Every write that must be all-or-nothing (a fetched version with its URL state, an
extraction with its pages and tables) happens inside one `transaction`, so a run killed
at any point leaves either the old state or the new one, never half of each.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

from catalog.models import META_FIELDS, Filters, Link, PageText, Table, Version
from catalog.paths import DataDir

SCHEMA_VERSION = 3  # 2: tables keep caption, unit, bbox and parsed values; 3: decisions, proposals, votes

SCHEMA = """
CREATE TABLE IF NOT EXISTS versions (
    sha256        TEXT PRIMARY KEY,
    doc_id        TEXT NOT NULL UNIQUE,      -- the first 12 hex digits of sha256
    url           TEXT NOT NULL,             -- where this version was first fetched
    size          INTEGER NOT NULL,
    media_type    TEXT NOT NULL,             -- pdf | docx | doc | other
    content_type  TEXT,
    title         TEXT,
    year          INTEGER,                   -- the budget year the document concerns
    period        TEXT,                      -- "2021-2024"
    committee     TEXT,                      -- committee slug
    doctype       TEXT,                      -- doctype slug
    date          TEXT,                      -- ISO date of meeting or publication
    provenance    TEXT NOT NULL DEFAULT '{}',-- JSON: field -> how it was decided
    first_seen    TEXT NOT NULL,
    last_seen     TEXT NOT NULL,
    superseded_by TEXT,                      -- sha256 of the newer version at the same URL
    status        TEXT NOT NULL DEFAULT 'pending',  -- pending | ok | no_text | failed
    error         TEXT,
    pages         INTEGER,
    ocr_pages     INTEGER NOT NULL DEFAULT 0,
    extracted_at  TEXT,
    index_dirty   INTEGER NOT NULL DEFAULT 1 -- 1 until the index holds this version as it is
);
CREATE TABLE IF NOT EXISTS urls (
    url           TEXT PRIMARY KEY,
    sha256        TEXT,                      -- the current version at this URL
    etag          TEXT,
    last_modified TEXT,
    http_status   INTEGER,
    error         TEXT,                      -- why the last fetch failed, if it did
    first_seen    TEXT NOT NULL,
    last_seen     TEXT NOT NULL,             -- last time the URL answered with a document
    last_checked  TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS url_versions (
    url        TEXT NOT NULL,
    sha256     TEXT NOT NULL,
    first_seen TEXT NOT NULL,
    last_seen  TEXT NOT NULL,
    PRIMARY KEY (url, sha256)
);
CREATE TABLE IF NOT EXISTS links (
    url         TEXT NOT NULL,               -- the document URL linked to
    source_page TEXT NOT NULL,               -- the page the link stood on
    text        TEXT NOT NULL DEFAULT '',
    context     TEXT NOT NULL DEFAULT '{}',  -- JSON: heading, section, page title, meeting fields
    snapshot    TEXT NOT NULL DEFAULT '',    -- Wayback timestamp if found on an archived page
    first_seen  TEXT NOT NULL,
    last_seen   TEXT NOT NULL,
    PRIMARY KEY (url, source_page, text, snapshot)
);
CREATE TABLE IF NOT EXISTS pages (
    sha256 TEXT NOT NULL,
    page   INTEGER NOT NULL,                 -- 1-based
    text   TEXT NOT NULL,
    ocr    INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (sha256, page)
);
CREATE TABLE IF NOT EXISTS tables (
    sha256 TEXT NOT NULL,
    page   INTEGER NOT NULL,
    idx    INTEGER NOT NULL,
    header TEXT NOT NULL,                    -- JSON list of strings
    rows   TEXT NOT NULL,                    -- JSON list of lists of strings
    caption     TEXT,                        -- "Tabell 3 Netto driftsrammer" or the heading above
    unit        TEXT,                        -- as printed: "Tall i mill. kroner"
    bbox        TEXT,                        -- JSON [x0, top, x1, bottom] in points
    cell_values TEXT,                        -- JSON: per cell of rows, its amount or null
    PRIMARY KEY (sha256, page, idx)
);
CREATE TABLE IF NOT EXISTS runs (
    id       INTEGER PRIMARY KEY AUTOINCREMENT,
    stage    TEXT NOT NULL,                  -- crawl | extract | index
    started  TEXT NOT NULL,
    finished TEXT,
    stats    TEXT NOT NULL DEFAULT '{}'
);
-- Decisions (extract/vedtak.py): derived from the pages of protocols ("sak": an agenda item)
-- and adopted budgets ("tekstvedtak": one numbered point), replaced whenever pages are.
CREATE TABLE IF NOT EXISTS decisions (
    sha256         TEXT NOT NULL,
    seq            INTEGER NOT NULL,         -- order in the document
    kind           TEXT NOT NULL,            -- sak | tekstvedtak
    case_no        TEXT,                     -- "152/20"
    archive_case   TEXT,                     -- "20/18211"
    title          TEXT,
    section        TEXT,                     -- tekstvedtak: "Tekstvedtak", "Særskilte vedtak"
    number         INTEGER,                  -- tekstvedtak: the point's number
    recommendation TEXT,
    recommendation_label TEXT,               -- "Kommunedirektørens forslag til vedtak"
    decision       TEXT,
    decision_label TEXT,                     -- "Kommunestyrets vedtak"
    page_from      INTEGER NOT NULL,
    page_to        INTEGER NOT NULL,
    PRIMARY KEY (sha256, seq)
);
CREATE TABLE IF NOT EXISTS proposals (
    sha256  TEXT NOT NULL,
    seq     INTEGER NOT NULL,                -- the decision's
    idx     INTEGER NOT NULL,
    by_text TEXT NOT NULL,                   -- who, as printed: "H, V og KrF", "Kari Nordmann (MDG)"
    parties TEXT NOT NULL DEFAULT '[]',      -- JSON list of party abbreviations
    text    TEXT NOT NULL,
    page    INTEGER,
    PRIMARY KEY (sha256, seq, idx)
);
CREATE TABLE IF NOT EXISTS votes (
    sha256        TEXT NOT NULL,
    seq           INTEGER NOT NULL,          -- the decision's
    idx           INTEGER NOT NULL,
    text          TEXT NOT NULL,             -- the statement as printed
    parsed        INTEGER NOT NULL,          -- 0: could not be read; only `text` is set
    motion        TEXT,
    alternative   TEXT,                      -- the other motion of an alternative vote
    result        TEXT,                      -- vedtatt | falt
    votes_for     INTEGER,                   -- NULL where the protocol gives no number
    votes_against INTEGER,
    parties_for   TEXT NOT NULL DEFAULT '[]',-- JSON lists of abbreviations; counts as JSON objects
    parties_against TEXT NOT NULL DEFAULT '[]',
    counts_for    TEXT NOT NULL DEFAULT '{}',
    counts_against TEXT NOT NULL DEFAULT '{}',
    unanimous     INTEGER NOT NULL DEFAULT 0,
    motion_parties TEXT NOT NULL DEFAULT '[]',
    alternative_parties TEXT NOT NULL DEFAULT '[]',
    page          INTEGER,
    PRIMARY KEY (sha256, seq, idx)
);
CREATE TABLE IF NOT EXISTS decision_state (
    sha256         TEXT PRIMARY KEY,         -- a version whose decisions are derived
    parser_version INTEGER NOT NULL,         -- by this parser (older: derived again)
    doctype        TEXT,                     -- for this type (changed: derived again)
    derived_at     TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS links_by_url ON links(url);
CREATE INDEX IF NOT EXISTS url_versions_by_sha ON url_versions(sha256);
CREATE INDEX IF NOT EXISTS versions_by_status ON versions(status);
"""


def utcnow() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def connect(data_dir: DataDir) -> sqlite3.Connection:
    """Open (and create if needed) the catalog. Autocommit mode: writers use `transaction`."""
    data_dir.ensure()
    conn = sqlite3.connect(data_dir.catalog, timeout=60, isolation_level=None)
    conn.row_factory = sqlite3.Row
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=NORMAL")
    conn.execute("PRAGMA busy_timeout=60000")
    conn.executescript(SCHEMA)
    _migrate_table_columns(conn)
    conn.execute(f"PRAGMA user_version={SCHEMA_VERSION}")
    return conn


def connect_readonly(data_dir: DataDir) -> sqlite3.Connection:
    """Open an existing catalog for reading only (the web UI): no schema, no writes, no creation.

    Raises sqlite3.OperationalError when there is no catalog.
    """
    conn = sqlite3.connect(f"{data_dir.catalog.resolve().as_uri()}?mode=ro", uri=True, timeout=30,
                           check_same_thread=False)
    conn.row_factory = sqlite3.Row
    conn.execute("PRAGMA busy_timeout=30000")
    return conn


# Columns the tables table gained in schema 2 (caption, unit, bbox, parsed values).
_TABLE_COLUMNS_V2 = {"caption": "TEXT", "unit": "TEXT", "bbox": "TEXT", "cell_values": "TEXT"}


def _migrate_table_columns(conn: sqlite3.Connection) -> None:
    """Schema 1 -> 2, keyed on the columns themselves so it runs once whatever the version number.

    Old catalogs get the columns, and their versions that have tables go back to
    `pending`: the next `hparkiv extract`/`update` re-reads them with the table reader
    that keeps amounts whole (text and pages stay searchable meanwhile).
    """
    have = {r["name"] for r in conn.execute("PRAGMA table_info(tables)")}
    missing = {k: v for k, v in _TABLE_COLUMNS_V2.items() if k not in have}
    if not missing:
        return
    with transaction(conn):
        for name, kind in missing.items():
            conn.execute(f"ALTER TABLE tables ADD COLUMN {name} {kind}")
        conn.execute("UPDATE versions SET status='pending' WHERE status='ok'"
                     " AND sha256 IN (SELECT DISTINCT sha256 FROM tables)")


@contextmanager
def transaction(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """BEGIN IMMEDIATE ... COMMIT, rolled back on any exception."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield conn
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")


def _version(row: sqlite3.Row) -> Version:
    d = dict(row)
    d.pop("index_dirty", None)
    d["provenance"] = json.loads(d.get("provenance") or "{}")
    return Version(**d)


# --- crawl -------------------------------------------------------------------------------


def record_version(
    conn: sqlite3.Connection,
    *,
    url: str,
    sha256: str,
    size: int,
    media_type: str,
    content_type: str | None,
    etag: str | None,
    last_modified: str | None,
    meta: dict[str, Any],
    provenance: dict[str, str],
    http_status: int = 200,
    now: str | None = None,
) -> str:
    """Record that `url` answered with the bytes `sha256` (already stored in files/).

    Returns "new" (bytes never seen before), "changed" (the URL had another version,
    which is now superseded) or "unchanged". Classification fields fill only what is
    still unknown, so the first, most specific context wins.
    """
    now = now or utcnow()
    with transaction(conn):
        prev = conn.execute("SELECT sha256 FROM urls WHERE url=?", (url,)).fetchone()
        prev_sha = prev["sha256"] if prev else None
        existing = conn.execute("SELECT * FROM versions WHERE sha256=?", (sha256,)).fetchone()
        if existing is None:
            cols = {f: meta.get(f) for f in META_FIELDS}
            conn.execute(
                "INSERT INTO versions (sha256, doc_id, url, size, media_type, content_type, title, year,"
                " period, committee, doctype, date, provenance, first_seen, last_seen)"
                " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                (
                    sha256, sha256[:12], url, size, media_type, content_type, cols["title"],
                    cols["year"], cols["period"], cols["committee"], cols["doctype"], cols["date"],
                    # also for a field decided as none ("a calendar-year report names no plan period")
                    json.dumps({k: v for k, v in provenance.items() if v}, ensure_ascii=False),
                    now, now,
                ),
            )
        else:
            _merge_meta(conn, existing, meta, provenance, now)
        conn.execute(
            "INSERT INTO url_versions (url, sha256, first_seen, last_seen) VALUES (?,?,?,?)"
            " ON CONFLICT(url, sha256) DO UPDATE SET last_seen=excluded.last_seen",
            (url, sha256, now, now),
        )
        conn.execute(
            "INSERT INTO urls (url, sha256, etag, last_modified, http_status, error, first_seen,"
            " last_seen, last_checked) VALUES (?,?,?,?,?,NULL,?,?,?)"
            " ON CONFLICT(url) DO UPDATE SET sha256=excluded.sha256, etag=excluded.etag,"
            " last_modified=excluded.last_modified, http_status=excluded.http_status, error=NULL,"
            " last_seen=excluded.last_seen, last_checked=excluded.last_checked",
            (url, sha256, etag, last_modified, http_status, now, now, now),
        )
        if prev_sha and prev_sha != sha256:
            conn.execute(
                "UPDATE versions SET superseded_by=?, index_dirty=1 WHERE sha256=? AND sha256<>?",
                (sha256, prev_sha, sha256),
            )
            # A version that comes back at its URL is current again.
            conn.execute(
                "UPDATE versions SET superseded_by=NULL, index_dirty=1 WHERE sha256=? AND superseded_by IS NOT NULL",
                (sha256,),
            )
            return "changed"
    return "new" if existing is None else "unchanged"


def _merge_meta(
    conn: sqlite3.Connection, row: sqlite3.Row, meta: dict[str, Any], provenance: dict[str, str], now: str
) -> None:
    prov = json.loads(row["provenance"] or "{}")
    updates: dict[str, Any] = {}
    for f in META_FIELDS:
        if row[f] is None and meta.get(f) is not None:
            updates[f] = meta[f]
            if f in provenance:
                prov[f] = provenance[f]
    sets = ", ".join(f"{f}=?" for f in updates)
    params: list[Any] = list(updates.values())
    extra = ", index_dirty=1" if updates else ""
    conn.execute(
        f"UPDATE versions SET {sets + ', ' if sets else ''}provenance=?, last_seen=?{extra} WHERE sha256=?",
        [*params, json.dumps(prov, ensure_ascii=False), now, row["sha256"]],
    )


def set_classification(
    conn: sqlite3.Connection, sha256: str, meta: dict[str, Any], provenance: dict[str, str]
) -> None:
    """Overwrite classification fields (e.g. decided later from the document's first pages)."""
    row = conn.execute("SELECT provenance FROM versions WHERE sha256=?", (sha256,)).fetchone()
    if row is None:
        raise KeyError(sha256)
    fields = [f for f in META_FIELDS if f in meta]
    if not fields:
        return
    prov = json.loads(row["provenance"] or "{}")
    prov.update({f: provenance[f] for f in fields if f in provenance})
    sets = ", ".join(f"{f}=?" for f in fields)
    with transaction(conn):
        conn.execute(
            f"UPDATE versions SET {sets}, provenance=?, index_dirty=1 WHERE sha256=?",
            [*(meta[f] for f in fields), json.dumps(prov, ensure_ascii=False), sha256],
        )


def record_not_modified(conn: sqlite3.Connection, url: str, now: str | None = None) -> str | None:
    """A 304 for `url`: its current version is still current. Returns that version's sha256."""
    now = now or utcnow()
    with transaction(conn):
        row = conn.execute("SELECT sha256 FROM urls WHERE url=?", (url,)).fetchone()
        conn.execute("UPDATE urls SET last_seen=?, last_checked=?, error=NULL WHERE url=?", (now, now, url))
        if row and row["sha256"]:
            conn.execute("UPDATE versions SET last_seen=? WHERE sha256=?", (now, row["sha256"]))
            conn.execute(
                "UPDATE url_versions SET last_seen=? WHERE url=? AND sha256=?", (now, url, row["sha256"])
            )
            return row["sha256"]
    return None


def conditional_headers(conn: sqlite3.Connection, url: str) -> dict[str, str]:
    """If-None-Match / If-Modified-Since for a URL we hold a stored version of."""
    row = conn.execute("SELECT sha256, etag, last_modified FROM urls WHERE url=?", (url,)).fetchone()
    if not row or not row["sha256"]:
        return {}
    headers = {}
    if row["etag"]:
        headers["If-None-Match"] = row["etag"]
    if row["last_modified"]:
        headers["If-Modified-Since"] = row["last_modified"]
    return headers


def holds_version(conn: sqlite3.Connection, url: str) -> bool:
    """Whether the catalog has a stored version at this URL."""
    row = conn.execute("SELECT sha256 FROM urls WHERE url=?", (url,)).fetchone()
    return bool(row and row["sha256"])


def record_fetch_failure(
    conn: sqlite3.Connection, url: str, http_status: int | None, error: str, now: str | None = None
) -> None:
    """A URL that gave no document (404, refused, timeout, too large...): keep why."""
    now = now or utcnow()
    with transaction(conn):
        conn.execute(
            "INSERT INTO urls (url, http_status, error, first_seen, last_seen, last_checked)"
            " VALUES (?,?,?,?,?,?) ON CONFLICT(url) DO UPDATE SET http_status=excluded.http_status,"
            " error=excluded.error, last_checked=excluded.last_checked",
            (url, http_status, error, now, now, now),
        )


def fetch_failures(conn: sqlite3.Connection) -> list[dict[str, Any]]:
    rows = conn.execute(
        "SELECT url, http_status, error, last_checked FROM urls WHERE error IS NOT NULL ORDER BY url"
    )
    return [dict(r) for r in rows]


def record_link(conn: sqlite3.Connection, link: Link, now: str | None = None) -> None:
    now = now or utcnow()
    with transaction(conn):
        conn.execute(
            "INSERT INTO links (url, source_page, text, context, snapshot, first_seen, last_seen)"
            " VALUES (?,?,?,?,?,?,?) ON CONFLICT(url, source_page, text, snapshot)"
            " DO UPDATE SET context=excluded.context, last_seen=excluded.last_seen",
            (
                link.url, link.source_page, link.text,
                json.dumps(link.context, ensure_ascii=False), link.snapshot or "", now, now,
            ),
        )


def links_to(conn: sqlite3.Connection, sha256: str) -> list[Link]:
    """Every link that led to this version, through any URL it was served at."""
    rows = conn.execute(
        "SELECT l.* FROM links l JOIN url_versions uv ON uv.url = l.url WHERE uv.sha256=?"
        " ORDER BY l.first_seen, l.source_page",
        (sha256,),
    )
    return [
        Link(r["url"], r["source_page"], r["text"], json.loads(r["context"]), r["snapshot"] or None)
        for r in rows
    ]


def urls_of(conn: sqlite3.Connection, sha256: str) -> list[dict[str, Any]]:
    rows = conn.execute(
        "SELECT url, first_seen, last_seen FROM url_versions WHERE sha256=? ORDER BY first_seen", (sha256,)
    )
    return [dict(r) for r in rows]


# --- extract -----------------------------------------------------------------------------


def versions_at_urls_of(conn: sqlite3.Connection, sha256: str) -> list[Version]:
    """Every version served at any URL this version was served at (itself included), newest first:
    a document's history, current and superseded."""
    rows = conn.execute(
        "SELECT DISTINCT v.* FROM versions v JOIN url_versions uv ON uv.sha256 = v.sha256"
        " WHERE uv.url IN (SELECT url FROM url_versions WHERE sha256=?) OR v.sha256=?"
        " ORDER BY v.first_seen DESC, v.sha256",
        (sha256, sha256),
    )
    return [_version(r) for r in rows]


def pending_versions(conn: sqlite3.Connection, force: bool = False) -> list[Version]:
    """Versions that still need extraction (all of them with `force`)."""
    where = "" if force else "WHERE status='pending'"
    return [_version(r) for r in conn.execute(f"SELECT * FROM versions {where} ORDER BY first_seen, sha256")]


def mark_extracted(
    conn: sqlite3.Connection,
    sha256: str,
    *,
    status: str,
    error: str | None,
    pages: list[PageText],
    tables: list[Table],
    page_count: int | None = None,
    now: str | None = None,
    decisions: Any = None,
) -> None:
    """Store one version's extraction result in a single transaction (with the decisions
    derived from its pages, a `catalog.decisions.Derived`, when given)."""
    now = now or utcnow()
    with transaction(conn):
        if decisions is not None:
            from catalog.decisions import write_decisions

            write_decisions(conn, sha256, decisions)
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
    # A catalog opened read-only (the web) may predate schema 2's columns.
    extra = {k: r[k] for k in ("caption", "unit", "bbox", "cell_values") if k in r.keys()}
    return Table(
        r["page"], r["idx"], json.loads(r["header"]), json.loads(r["rows"]), caption=extra.get("caption"),
        unit=extra.get("unit"), bbox=json.loads(extra["bbox"]) if extra.get("bbox") else None,
        values=json.loads(extra["cell_values"]) if extra.get("cell_values") else [],
    )


def all_tables(conn: sqlite3.Connection, filters: Filters | None = None) -> Iterator[tuple[Version, Table]]:
    """(version, table) for every table of the versions the filters select (current versions by default)."""
    for v in list_versions(conn, filters or Filters()):
        for r in conn.execute("SELECT * FROM tables WHERE sha256=? ORDER BY page, idx", (v.sha256,)):
            yield v, _table(r)


# --- index -------------------------------------------------------------------------------


def dirty_versions(conn: sqlite3.Connection) -> list[Version]:
    """Versions whose index entries are missing or stale."""
    return [_version(r) for r in conn.execute("SELECT * FROM versions WHERE index_dirty=1 ORDER BY sha256")]


def mark_indexed(conn: sqlite3.Connection, sha256s: list[str]) -> None:
    with transaction(conn):
        conn.executemany("UPDATE versions SET index_dirty=0 WHERE sha256=?", [(s,) for s in sha256s])


def mark_all_dirty(conn: sqlite3.Connection) -> None:
    with transaction(conn):
        conn.execute("UPDATE versions SET index_dirty=1")


def current_pages(conn: sqlite3.Connection, sha256s: list[str] | None = None) -> Iterator[tuple[Version, PageText]]:
    """(version, page) pairs to index: every extracted page, superseded versions included."""
    if sha256s is None:
        versions = [_version(r) for r in conn.execute("SELECT * FROM versions ORDER BY sha256")]
    else:
        versions = [v for s in sha256s if (v := get_version(conn, s)) is not None]
    for v in versions:
        for p in pages_of(conn, v.sha256):
            yield v, p


# --- read --------------------------------------------------------------------------------


def get_version(conn: sqlite3.Connection, sha256: str) -> Version | None:
    row = conn.execute("SELECT * FROM versions WHERE sha256=?", (sha256,)).fetchone()
    return _version(row) if row else None


def find_version(conn: sqlite3.Connection, ref: str) -> Version | None:
    """A version by doc_id, full sha256 or an unambiguous sha256 prefix (>= 6 hex digits)."""
    ref = ref.strip().lower()
    if len(ref) < 6 or any(c not in "0123456789abcdef" for c in ref):
        return None
    rows = conn.execute("SELECT * FROM versions WHERE sha256 LIKE ? LIMIT 2", (ref + "%",)).fetchall()
    return _version(rows[0]) if len(rows) == 1 else None


# Each filter field and the condition it puts on the versions table.
_FILTER_CONDITIONS = (
    ("year_from", "year >= ?"),
    ("year_to", "year <= ?"),
    ("date_from", "date >= ?"),
    ("date_to", "date <= ?"),
    ("status", "status = ?"),
)


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
    for name in ("committee", "doctype"):
        values = filters.values(name)
        if values:
            clauses.append(f"{name} IN ({', '.join('?' * len(values))})")
            params.extend(values)
    if not filters.all_versions:
        clauses.append("superseded_by IS NULL")
    return (" AND ".join(clauses) or "1=1"), params


def list_versions(conn: sqlite3.Connection, filters: Filters | None = None) -> list[Version]:
    where, params = filter_sql(filters or Filters())
    rows = conn.execute(
        f"SELECT * FROM versions WHERE {where} ORDER BY year IS NULL, year, date, title, sha256", params
    )
    return [_version(r) for r in rows]


def year_stats(conn: sqlite3.Connection, filters: Filters | None = None) -> dict[int, dict[str, int]]:
    """Per budget year, within `filters`: documents, their extracted pages, and how many
    failed to give text (failed or no_text), so a trend can say where it is blind."""
    from dataclasses import replace

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
    from dataclasses import replace

    where, params = filter_sql(replace(filters, date_from=None, date_to=None))
    return conn.execute(f"SELECT COUNT(*) FROM versions WHERE {where} AND (date IS NULL OR date = '')",
                        params).fetchone()[0]


# --- runs --------------------------------------------------------------------------------


def start_run(conn: sqlite3.Connection, stage: str) -> int:
    with transaction(conn):
        cur = conn.execute("INSERT INTO runs (stage, started) VALUES (?, ?)", (stage, utcnow()))
    return int(cur.lastrowid or 0)


def finish_run(conn: sqlite3.Connection, run_id: int, stats: dict[str, Any]) -> None:
    with transaction(conn):
        conn.execute(
            "UPDATE runs SET finished=?, stats=? WHERE id=?",
            (utcnow(), json.dumps(stats, ensure_ascii=False), run_id),
        )


def last_run(conn: sqlite3.Connection, stage: str, finished: bool = True) -> dict[str, Any] | None:
    cond = "AND finished IS NOT NULL" if finished else ""
    row = conn.execute(
        f"SELECT * FROM runs WHERE stage=? {cond} ORDER BY id DESC LIMIT 1", (stage,)
    ).fetchone()
    if not row:
        return None
    d = dict(row)
    d["stats"] = json.loads(d["stats"] or "{}")
    return d
