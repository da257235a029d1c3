"""What the crawler records: versions as fetched, URL state (validators, failures) and links.

Each write is one transaction: a fetched version with its URL state is all or nothing.
"""

from __future__ import annotations

import json
import sqlite3
from typing import Any

from catalog.db import transaction, utcnow
from catalog.models import META_FIELDS, ORIGIN_FIELDS, Link


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
    origin: dict[str, str] | None = None,
    http_status: int = 200,
    now: str | None = None,
) -> str:
    """Record that `url` answered with the bytes `sha256` (already stored in files/).

    Returns "new" (bytes never seen before), "changed" (the URL had another version,
    which is now superseded) or "unchanged". Classification fields fill only what is
    still unknown, so the first, most specific context wins; so does the origin (kommune,
    kommunenummer, source): identical bytes two municipalities publish keep the first's.
    """
    now = now or utcnow()
    origin = origin or {}
    with transaction(conn):
        prev = conn.execute("SELECT sha256 FROM urls WHERE url=?", (url,)).fetchone()
        prev_sha = prev["sha256"] if prev else None
        existing = conn.execute("SELECT * FROM versions WHERE sha256=?", (sha256,)).fetchone()
        if existing is None:
            cols = {f: meta.get(f) for f in META_FIELDS}
            conn.execute(
                "INSERT INTO versions (sha256, doc_id, url, size, media_type, content_type, title, year,"
                " period, committee, doctype, date, provenance, first_seen, last_seen, kommune, kommunenummer,"
                " source) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                (
                    sha256, sha256[:12], url, size, media_type, content_type, cols["title"],
                    cols["year"], cols["period"], cols["committee"], cols["doctype"], cols["date"],
                    # also for a field decided as none ("a calendar-year report names no plan period")
                    json.dumps({k: v for k, v in provenance.items() if v}, ensure_ascii=False),
                    now, now, *(origin.get(f) for f in ORIGIN_FIELDS),
                ),
            )
        else:
            _merge_meta(conn, existing, meta, provenance, now)
            _fill_origin(conn, sha256, origin)
        conn.execute(
            "INSERT INTO url_versions (url, sha256, first_seen, last_seen) VALUES (?,?,?,?)"
            " ON CONFLICT(url, sha256) DO UPDATE SET last_seen=excluded.last_seen",
            (url, sha256, now, now),
        )
        conn.execute(
            "INSERT INTO urls (url, sha256, etag, last_modified, http_status, error, first_seen,"
            " last_seen, last_checked, source) VALUES (?,?,?,?,?,NULL,?,?,?,?)"
            " ON CONFLICT(url) DO UPDATE SET sha256=excluded.sha256, etag=excluded.etag,"
            " last_modified=excluded.last_modified, http_status=excluded.http_status, error=NULL,"
            " last_seen=excluded.last_seen, last_checked=excluded.last_checked,"
            " source=COALESCE(excluded.source, urls.source)",
            (url, sha256, etag, last_modified, http_status, now, now, now, origin.get("source")),
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


def _fill_origin(conn: sqlite3.Connection, sha256: str, origin: dict[str, str]) -> None:
    """The origin fields a version still lacks (a catalog from before schema 5), never overwritten."""
    for f in ORIGIN_FIELDS:
        if origin.get(f):
            conn.execute(f"UPDATE versions SET {f}=?, index_dirty=1 WHERE sha256=? AND {f} IS NULL",
                         (origin[f], sha256))


def record_not_modified(conn: sqlite3.Connection, url: str, now: str | None = None,
                        origin: dict[str, str] | None = None) -> str | None:
    """A 304 for `url`: its current version is still current. Returns that version's sha256."""
    now = now or utcnow()
    with transaction(conn):
        row = conn.execute("SELECT sha256 FROM urls WHERE url=?", (url,)).fetchone()
        conn.execute("UPDATE urls SET last_seen=?, last_checked=?, error=NULL WHERE url=?", (now, now, url))
        if row and row["sha256"]:
            _fill_origin(conn, row["sha256"], origin or {})
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
    conn: sqlite3.Connection, url: str, http_status: int | None, error: str, now: str | None = None,
    source: str | None = None,
) -> None:
    """A URL that gave no document (404, refused, timeout, too large...) or a record that could
    not be read as its platform documents it (a malformed answer): keep why, and whose crawl it was."""
    now = now or utcnow()
    with transaction(conn):
        conn.execute(
            "INSERT INTO urls (url, http_status, error, first_seen, last_seen, last_checked, source)"
            " VALUES (?,?,?,?,?,?,?) ON CONFLICT(url) DO UPDATE SET http_status=excluded.http_status,"
            " error=excluded.error, last_checked=excluded.last_checked,"
            " source=COALESCE(excluded.source, urls.source)",
            (url, http_status, error, now, now, now, source),
        )


def fetch_failures(conn: sqlite3.Connection, source: str | None = None) -> list[dict[str, Any]]:
    """Every URL whose last fetch failed, with its reason (of one source's crawls with `source`)."""
    where, params = ("AND source=?", [source]) if source else ("", [])
    rows = conn.execute(
        f"SELECT url, http_status, error, last_checked, source FROM urls WHERE error IS NOT NULL {where} ORDER BY url",
        params,
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
