"""Connections to the catalog, its transactions and its upgrades.

Every write that must be all-or-nothing (a fetched version with its URL state, an
extraction with its pages, tables and vedtak) happens inside one `transaction`, so a run
killed at any point leaves either the old state or the new one, never half of each.

A catalog made by an earlier hparkiv is upgraded when it is opened: `PRAGMA user_version`
says which schema it has, and the migrations it lacks (catalog/migrations.py) run in one
transaction. A catalog made by a newer hparkiv is refused with a clear error.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from catalog.errors import CatalogOutdated, CatalogTooNew
from catalog.migrations import MIGRATIONS
from catalog.paths import DataDir
from catalog.schema import SCHEMA, SCHEMA_VERSION

# What the stages hold: an open catalog. They pass it to catalog functions and never run SQL on it.
Connection = sqlite3.Connection


def utcnow() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def connect(data_dir: DataDir) -> Connection:
    """Open the catalog, creating it or upgrading it to the current schema first.

    Autocommit mode: writers use `transaction`. Raises CatalogTooNew for a catalog a
    newer hparkiv wrote.
    """
    data_dir.ensure()
    conn = sqlite3.connect(data_dir.catalog, timeout=60, isolation_level=None)
    try:
        conn.row_factory = sqlite3.Row
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=NORMAL")
        conn.execute("PRAGMA busy_timeout=60000")
        upgrade(conn, data_dir)
    except BaseException:
        conn.close()
        raise
    return conn


def connect_readonly(data_dir: DataDir) -> Connection:
    """Open an existing catalog for reading only (the web UI): no writes, no creation.

    A catalog older than the code is upgraded first (the schema is the program's, not
    the data's): readers always see the current schema. Raises sqlite3.OperationalError
    when there is no catalog, CatalogTooNew for a newer one, CatalogOutdated for an
    older one that cannot be written.
    """
    conn = sqlite3.connect(f"{data_dir.catalog.resolve().as_uri()}?mode=ro", uri=True, timeout=30,
                           check_same_thread=False)
    try:
        conn.row_factory = sqlite3.Row
        conn.execute("PRAGMA busy_timeout=30000")
        found = schema_version(conn)
        if found > SCHEMA_VERSION:
            raise CatalogTooNew(data_dir.catalog, found, SCHEMA_VERSION)
        if found < SCHEMA_VERSION:
            try:
                connect(data_dir).close()
            except sqlite3.OperationalError:
                raise CatalogOutdated(data_dir.catalog, found, SCHEMA_VERSION) from None
    except BaseException:
        conn.close()
        raise
    return conn


def data_dir_of(conn: Connection) -> DataDir | None:
    """The data dir an open catalog belongs to (None for one not in a file)."""
    for row in conn.execute("PRAGMA database_list"):
        if row[1] == "main" and row[2]:
            return DataDir(Path(row[2]).parent)
    return None


def schema_version(conn: Connection) -> int:
    """The schema a catalog has: its user_version (0 for an empty file, 1 for a first
    catalog killed before its number was written)."""
    found = conn.execute("PRAGMA user_version").fetchone()[0]
    if found == 0 and conn.execute("SELECT 1 FROM sqlite_master WHERE type='table' AND name='versions'").fetchone():
        return 1
    return found


def upgrade(conn: Connection, data_dir: DataDir) -> None:
    """Create an empty catalog, or run the migrations an older one lacks, in one transaction."""
    if schema_version(conn) == SCHEMA_VERSION:
        return
    with transaction(conn):
        found = schema_version(conn)  # again, inside the lock: another process may have done it
        if found > SCHEMA_VERSION:
            raise CatalogTooNew(data_dir.catalog, found, SCHEMA_VERSION)
        if found == 0:
            for statement in _statements(SCHEMA):
                conn.execute(statement)
        else:
            for step in MIGRATIONS[found - 1:]:
                step(conn)
        conn.execute(f"PRAGMA user_version={SCHEMA_VERSION}")


def _statements(script: str) -> Iterator[str]:
    """The statements of a script one by one (executescript would commit the open transaction)."""
    buf = ""
    for line in script.splitlines(keepends=True):
        buf += line
        if sqlite3.complete_statement(buf):
            yield buf
            buf = ""
    if buf.strip():
        raise ValueError(f"incomplete SQL statement: {buf[:60]!r}")


@contextmanager
def transaction(conn: Connection) -> Iterator[Connection]:
    """BEGIN IMMEDIATE ... COMMIT, rolled back on any exception."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield conn
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")
