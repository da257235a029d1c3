"""Every change of the catalog's schema, in order: `MIGRATIONS[n - 1]` brings schema n to n + 1.

`catalog.db.connect` reads the catalog's `PRAGMA user_version` and runs the steps it
lacks, all in one transaction with the new version number, so a catalog is upgraded
whole or not at all. A step holds the DDL of its own time, never `catalog.schema.SCHEMA`
(which is the schema of now, and moves on).

Steps are idempotent: hparkiv up to schema 3 stamped its own number on every catalog it
opened (and created the tables it knew), so a catalog a newer version had upgraded can
come back with an older number and some of the newer tables. A step does only what is
missing. (From schema 4 on, a catalog newer than the code is refused, never restamped.)

Adding a step: write `_n_to_n1(conn)` below, append it to MIGRATIONS, bump
`catalog.schema.SCHEMA_VERSION` and change `SCHEMA` to match; save the old schema as
`tests/fixtures/catalog/schema_<n>.sql` (tests/test_migrations.py builds a catalog from
it, fills it and checks the upgrade loses nothing and equals a fresh catalog).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable


def _columns(conn: sqlite3.Connection, table: str) -> set[str]:
    return {r[1] for r in conn.execute(f"PRAGMA table_info({table})")}


def _tables(conn: sqlite3.Connection) -> set[str]:
    return {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}


def _add_table_columns(conn: sqlite3.Connection) -> None:
    """Tables keep their caption, unit, position and parsed amounts (schema 2).

    Versions with tables go back to `pending`: the next `hparkiv extract`/`update`
    reads them again with the table reader that keeps amounts whole (their pages stay
    searchable meanwhile).
    """
    have = _columns(conn, "tables")
    missing = [c for c in ("caption", "unit", "bbox", "cell_values") if c not in have]
    for name in missing:
        conn.execute(f"ALTER TABLE tables ADD COLUMN {name} TEXT")
    if missing:
        conn.execute("UPDATE versions SET status='pending' WHERE status='ok'"
                     " AND sha256 IN (SELECT DISTINCT sha256 FROM tables)")


def _1_to_2(conn: sqlite3.Connection) -> None:
    _add_table_columns(conn)


_DECISION_TABLES_V3 = (
    """CREATE TABLE IF NOT EXISTS decisions (
    sha256 TEXT NOT NULL, seq INTEGER NOT NULL, kind TEXT NOT NULL, case_no TEXT, archive_case TEXT,
    title TEXT, section TEXT, number INTEGER, recommendation TEXT, recommendation_label TEXT,
    decision TEXT, decision_label TEXT, page_from INTEGER NOT NULL, page_to INTEGER NOT NULL,
    PRIMARY KEY (sha256, seq))""",
    """CREATE TABLE IF NOT EXISTS proposals (
    sha256 TEXT NOT NULL, seq INTEGER NOT NULL, idx INTEGER NOT NULL, by_text TEXT NOT NULL,
    parties TEXT NOT NULL DEFAULT '[]', text TEXT NOT NULL, page INTEGER,
    PRIMARY KEY (sha256, seq, idx))""",
    """CREATE TABLE IF NOT EXISTS votes (
    sha256 TEXT NOT NULL, seq INTEGER NOT NULL, idx INTEGER NOT NULL, text TEXT NOT NULL,
    parsed INTEGER NOT NULL, motion TEXT, alternative TEXT, result TEXT, votes_for INTEGER,
    votes_against INTEGER, parties_for TEXT NOT NULL DEFAULT '[]', parties_against TEXT NOT NULL DEFAULT '[]',
    counts_for TEXT NOT NULL DEFAULT '{}', counts_against TEXT NOT NULL DEFAULT '{}',
    unanimous INTEGER NOT NULL DEFAULT 0, motion_parties TEXT NOT NULL DEFAULT '[]',
    alternative_parties TEXT NOT NULL DEFAULT '[]', page INTEGER,
    PRIMARY KEY (sha256, seq, idx))""",
    """CREATE TABLE IF NOT EXISTS decision_state (
    sha256 TEXT PRIMARY KEY, parser_version INTEGER NOT NULL, doctype TEXT, derived_at TEXT NOT NULL)""",
)


def _2_to_3(conn: sqlite3.Connection) -> None:
    """Decisions (vedtak), proposals and votes (schema 3), empty: the next extract run derives them from
    the stored page text (no document is read again).

    A catalog stamped 2 by the branch that brought vedtak (before it met the table
    columns) has these tables and lacks the columns: it gets the columns here.
    """
    for ddl in _DECISION_TABLES_V3:
        conn.execute(ddl)
    _add_table_columns(conn)


def _3_to_4(conn: sqlite3.Connection) -> None:
    """`decisions` and `decision_state` are named `vedtak` and `vedtak_state`, the word the
    CLI, the web and the code use (schema 4).

    Where both names exist, an hparkiv from before schema 4 opened the upgraded catalog,
    made its own empty `decisions` and may have written the vedtak of some versions there
    (with their proposals and votes, which keep their names). Those versions' vedtak are
    taken from there, the rest stay, and the old tables go: nothing is lost either way.
    """
    tables = _tables(conn)
    if "decisions" not in tables:
        return
    if "vedtak" not in tables:
        conn.execute("ALTER TABLE decisions RENAME TO vedtak")
        conn.execute("ALTER TABLE decision_state RENAME TO vedtak_state")
        return
    if "decision_state" in tables:
        written = "SELECT sha256 FROM decision_state"
        columns = ", ".join(r[1] for r in conn.execute("PRAGMA table_info(decisions)"))
        conn.execute(f"DELETE FROM vedtak WHERE sha256 IN ({written})")
        conn.execute(f"INSERT INTO vedtak ({columns}) SELECT {columns} FROM decisions WHERE sha256 IN ({written})")
        conn.execute("INSERT INTO vedtak_state (sha256, parser_version, doctype, derived_at)"
                     " SELECT sha256, parser_version, doctype, derived_at FROM decision_state WHERE true"
                     " ON CONFLICT(sha256) DO UPDATE SET parser_version=excluded.parser_version,"
                     " doctype=excluded.doctype, derived_at=excluded.derived_at")
        conn.execute("DROP TABLE decision_state")
    conn.execute("DROP TABLE decisions")


def _4_to_5(conn: sqlite3.Connection) -> None:
    """Each version's municipality (name and number) and the source that found it, and the
    source of each URL's last fetch (schema 5). Empty in an older catalog: the next crawl fills
    them for every document it meets again (a 304 too), never overwriting what is known."""
    have = _columns(conn, "versions")
    for name in ("kommune", "kommunenummer", "source"):
        if name not in have:
            conn.execute(f"ALTER TABLE versions ADD COLUMN {name} TEXT")
    if "source" not in _columns(conn, "urls"):
        conn.execute("ALTER TABLE urls ADD COLUMN source TEXT")
    conn.execute("CREATE INDEX IF NOT EXISTS versions_by_kommune ON versions(kommunenummer)")


def _5_to_6(conn: sqlite3.Connection) -> None:
    """A vote keeps its `warning` (schema 6): parsed, but doubtful as printed ("count_mismatch":
    the count disagrees with the parties printed with it). Empty here: the vedtak parser's new
    version derives every version's vedtak again from the stored page text on the next run."""
    if "warning" not in _columns(conn, "votes"):
        conn.execute("ALTER TABLE votes ADD COLUMN warning TEXT")


_BUDGET_TABLES_V7 = (
    """CREATE TABLE IF NOT EXISTS budget_facts (
    sha256 TEXT NOT NULL, page INTEGER NOT NULL, tbl INTEGER NOT NULL, row INTEGER NOT NULL, col INTEGER NOT NULL,
    family TEXT NOT NULL, table_key TEXT NOT NULL, caption TEXT, line TEXT NOT NULL, line_key TEXT NOT NULL,
    printed TEXT NOT NULL, heading TEXT NOT NULL, year INTEGER NOT NULL, kind TEXT NOT NULL, stage TEXT NOT NULL,
    period TEXT, part TEXT, rank TEXT NOT NULL, text TEXT NOT NULL, value REAL NOT NULL, unit TEXT, value_kr REAL,
    PRIMARY KEY (sha256, page, tbl, row, col))""",
    """CREATE TABLE IF NOT EXISTS budget_renamings (
    sha256 TEXT NOT NULL, page INTEGER NOT NULL, old TEXT NOT NULL, new TEXT NOT NULL, text TEXT NOT NULL,
    PRIMARY KEY (sha256, page, old, new))""",
    """CREATE TABLE IF NOT EXISTS budget_state (
    sha256 TEXT PRIMARY KEY, model_version INTEGER NOT NULL, basis TEXT NOT NULL, derived_at TEXT NOT NULL)""",
    "CREATE INDEX IF NOT EXISTS budget_facts_by_line ON budget_facts(line_key)",
    "CREATE INDEX IF NOT EXISTS budget_facts_by_period ON budget_facts(period)",
)


def _6_to_7(conn: sqlite3.Connection) -> None:
    """The budget model's facts (schema 7), empty: the next `hparkiv update` (or `check --repair`)
    derives them from the stored tables and page text; until then `series` and `endringer`
    derive what is missing as they read (no document is read again)."""
    for ddl in _BUDGET_TABLES_V7:
        conn.execute(ddl)


MIGRATIONS: tuple[Callable[[sqlite3.Connection], None], ...] = (
    _1_to_2,
    _2_to_3,
    _3_to_4,
    _4_to_5,
    _5_to_6,
    _6_to_7,
)
