"""catalog/migrations.py: a catalog made by every earlier schema is upgraded on open, loses
nothing, and ends with exactly the schema of a fresh catalog; a newer one is refused.

The old schemas are the DDL each released version wrote (tests/fixtures/catalog/, copied
from `git log -p catalog/db.py`), so these tests build the catalogs those versions made.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from pathlib import Path

import pytest

import catalog
from catalog import DataDir
from catalog.migrations import MIGRATIONS
from catalog.models import Vedtak, Vote
from catalog.vedtak import DerivedVedtak, record_vedtak, vedtak_of, versions_needing_vedtak

FIXTURES = Path(__file__).parent / "fixtures" / "catalog"
NOW = "2021-03-01T12:00:00Z"
A, B, C = "a" * 64, "b" * 64, "c" * 64  # A has a table, B has vedtak, C gave no text
RENAMED = {"decisions": "vedtak", "decision_state": "vedtak_state"}  # schema 4

# (fixture, the user_version it carries): each released schema, the schema 2 of the branch that
# brought vedtak, and catalogs an older hparkiv opened after a newer one (it wrote its own number).
OLD_CATALOGS = [
    ("schema_1.sql", 1),
    ("schema_2.sql", 2),
    ("schema_2-vedtak-branch.sql", 2),
    ("schema_3.sql", 3),
    ("schema_4.sql", 4),
    ("schema_5.sql", 5),
    ("schema_6.sql", 6),
    ("schema_3.sql", 2),
    ("schema_2.sql", 1),
]


@pytest.fixture
def dd(tmp_path) -> DataDir:
    return DataDir(tmp_path / "data").ensure()


def _columns(conn: sqlite3.Connection, table: str) -> list[str]:
    return [r[1] for r in conn.execute(f"PRAGMA table_info({table})")]


def _tables(conn: sqlite3.Connection) -> list[str]:
    return sorted(r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'"
                                             " AND name NOT LIKE 'sqlite_%'"))


def _fill(conn: sqlite3.Connection) -> None:
    """Rows in every table the old schema has, as that version's code wrote them."""
    tables = _tables(conn)
    for sha, status in ((A, "ok"), (B, "ok"), (C, "no_text")):
        conn.execute(
            "INSERT INTO versions (sha256, doc_id, url, size, media_type, content_type, title, year, period,"
            " committee, doctype, date, provenance, first_seen, last_seen, status, pages, extracted_at, index_dirty)"
            " VALUES (?,?,?,?,'pdf','application/pdf',?,2021,'2021-2024','kst',?,'2020-12-10',?,?,?,?,?,?,0)",
            (sha, sha[:12], f"https://www.baerum.kommune.no/{sha[0]}.pdf", 1000 + ord(sha[0]), f"Dokument {sha[0]}",
             "protokoll" if sha == B else "vedtak", json.dumps({"year": "link text"}), NOW, NOW, status,
             None if sha == C else 2, NOW),
        )
        conn.execute("INSERT INTO urls (url, sha256, etag, last_modified, http_status, first_seen, last_seen,"
                     " last_checked) VALUES (?,?,'\"e\"','Wed, 02 Dec 2020 10:00:00 GMT',200,?,?,?)",
                     (f"https://www.baerum.kommune.no/{sha[0]}.pdf", sha, NOW, NOW, NOW))
        conn.execute("INSERT INTO url_versions (url, sha256, first_seen, last_seen) VALUES (?,?,?,?)",
                     (f"https://www.baerum.kommune.no/{sha[0]}.pdf", sha, NOW, NOW))
        conn.execute("INSERT INTO links (url, source_page, text, context, snapshot, first_seen, last_seen)"
                     " VALUES (?,?,?,?,'',?,?)", (f"https://www.baerum.kommune.no/{sha[0]}.pdf",
                                                 "https://www.baerum.kommune.no/hp/", "Vedtatt budsjett",
                                                 json.dumps({"heading": "2021"}), NOW, NOW))
    conn.execute("INSERT INTO urls (url, http_status, error, first_seen, last_seen, last_checked)"
                 " VALUES ('https://www.baerum.kommune.no/gone.pdf', 404, 'HTTP 404', ?, ?, ?)", (NOW, NOW, NOW))
    conn.executemany("INSERT INTO pages (sha256, page, text, ocr) VALUES (?,?,?,?)",
                     [(A, 1, "Netto driftsresultat 1 234,5", 0), (A, 2, "Side to", 1),
                      (B, 1, "Sak 152/20 Budsjett\nVedtak: Vedtatt.\nEnstemmig vedtatt.", 0)])
    conn.execute("INSERT INTO tables (sha256, page, idx, header, rows) VALUES (?,1,0,?,?)",
                 (A, json.dumps(["", "2021"]), json.dumps([["Netto driftsresultat", "1 234,5"]])))
    if "caption" in _columns(conn, "tables"):
        conn.execute("UPDATE tables SET caption='Tabell 1', unit='Tall i mill. kroner', bbox='[1, 2, 3, 4]',"
                     " cell_values='[[null, 1234.5]]'")
    conn.execute("INSERT INTO runs (stage, started, finished, stats) VALUES ('extract', ?, ?, '{\"ok\": 2}')",
                 (NOW, NOW))
    named = "decisions" if "decisions" in tables else "vedtak" if "vedtak" in tables else None
    if named:  # schema 3 named them decisions, schema 4 vedtak
        state = "decision_state" if named == "decisions" else "vedtak_state"
        conn.execute(f"INSERT INTO {named} (sha256, seq, kind, case_no, title, decision, decision_label, page_from,"
                     " page_to) VALUES (?, 1, 'sak', '152/20', 'Budsjett', 'Vedtatt.', 'Vedtak', 1, 1)", (B,))
        conn.execute("INSERT INTO proposals (sha256, seq, idx, by_text, parties, text, page)"
                     " VALUES (?, 1, 0, 'H, V og KrF', '[\"H\", \"V\", \"KrF\"]', 'Nytt punkt.', 1)", (B,))
        conn.execute("INSERT INTO votes (sha256, seq, idx, text, parsed, result, unanimous, page)"
                     " VALUES (?, 1, 0, 'Enstemmig vedtatt.', 1, 'vedtatt', 1, 1)", (B,))
        conn.execute(f"INSERT INTO {state} (sha256, parser_version, doctype, derived_at)"
                     " VALUES (?, 1, 'protokoll', ?)", (B, NOW))


def _old_catalog(dd: DataDir, fixture: str, version: int) -> dict[str, set[tuple]]:
    """A catalog as the old version left it, closed; returns every row of every table."""
    return _old_catalog_and_columns(dd, fixture, version)[0]


def _old_catalog_and_columns(dd: DataDir, fixture: str, version: int) -> tuple[dict[str, set[tuple]],
                                                                              dict[str, list[str]]]:
    conn = sqlite3.connect(dd.catalog)
    conn.executescript((FIXTURES / fixture).read_text(encoding="utf-8"))
    _fill(conn)
    conn.execute(f"PRAGMA user_version={version}")
    conn.commit()
    columns = {t: _columns(conn, t) for t in _tables(conn)}
    rows = _rows(conn, columns)
    conn.close()
    return rows, columns


def _rows(conn: sqlite3.Connection, columns: dict[str, list[str]] | None = None) -> dict[str, set[tuple]]:
    """Every row of every table (of `columns`: only those columns of those tables)."""
    wanted = columns or {t: _columns(conn, t) for t in _tables(conn)}
    return {t: {tuple(r) for r in conn.execute(f"SELECT {', '.join(cols)} FROM {t}")} for t, cols in wanted.items()}


def _structure(conn: sqlite3.Connection) -> dict[str, object]:
    """Tables with their columns (name, type, not null, default, key) and indexes, as SQLite reads them."""
    out: dict[str, object] = {}
    for table in _tables(conn):
        cols = [tuple(r[1:]) for r in conn.execute(f"PRAGMA table_info({table})")]
        indexes = sorted(
            (r[2], r[3], tuple(i[2] for i in conn.execute(f"PRAGMA index_info('{r[1]}')")),
             r[1] if r[3] == "c" else "")  # an index's own name counts; SQLite names the automatic ones
            for r in conn.execute(f"PRAGMA index_list({table})"))
        out[table] = (cols, indexes)
    return out


def _fresh_structure(tmp_path: Path) -> dict[str, object]:
    conn = catalog.connect(DataDir(tmp_path / "fresh"))
    try:
        return _structure(conn)
    finally:
        conn.close()


def test_the_schema_version_counts_the_migrations():
    assert catalog.SCHEMA_VERSION == len(MIGRATIONS) + 1
    names = {path.name for path in FIXTURES.glob("schema_*.sql")}
    assert {f"schema_{n}.sql" for n in range(1, catalog.SCHEMA_VERSION)} <= names  # each earlier one is tested


@pytest.mark.parametrize(("fixture", "version"), OLD_CATALOGS)
def test_an_old_catalog_is_upgraded_loses_nothing_and_equals_a_fresh_one(dd, tmp_path, fixture, version):
    before, old_columns = _old_catalog_and_columns(dd, fixture, version)
    had_table_columns = "caption" in (FIXTURES / fixture).read_text()
    conn = catalog.connect(dd)
    try:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == catalog.SCHEMA_VERSION
        assert _structure(conn) == _fresh_structure(tmp_path)
        now_named = {RENAMED.get(t, t): cols for t, cols in old_columns.items()}
        after = _rows(conn, now_named)
        if not had_table_columns:  # tables read by the old reader are read again (schema 2)
            at = old_columns["versions"].index("status")
            before["versions"] = {r[:at] + ("pending",) + r[at + 1:] if r[0] == A else r for r in before["versions"]}
        assert all(before.values())  # every table had rows to lose
        assert after == {RENAMED.get(t, t): rows for t, rows in before.items()}

        # ... and the stages read them as they read a fresh catalog's rows.
        (table,) = catalog.tables_of(conn, A)
        assert table.rows == [["Netto driftsresultat", "1 234,5"]]
        assert [p.text for p in catalog.pages_of(conn, A)] == ["Netto driftsresultat 1 234,5", "Side to"]
        assert [v.sha256 for v in catalog.pending_versions(conn)] == ([] if had_table_columns else [A])
        assert catalog.links_to(conn, B)[0].context == {"heading": "2021"}
        assert catalog.last_run(conn, "extract")["stats"] == {"ok": 2}
        if "decisions" in old_columns or "vedtak" in old_columns:
            (d,) = vedtak_of(conn, B)
            assert (d.case, d.decision, d.proposals[0].parties, d.votes[0].unanimous) == (
                "152/20", "Vedtatt.", ["H", "V", "KrF"], True)
            assert versions_needing_vedtak(conn, 1) == ([A] if had_table_columns else [])  # B's stay derived
    finally:
        conn.close()
    conn = catalog.connect(dd)  # a second open changes nothing
    try:
        assert _rows(conn, now_named) == after
    finally:
        conn.close()


@pytest.mark.parametrize("fixture", ["schema_6.sql", "schema_4.sql"])
def test_an_upgraded_catalog_gets_its_budget_facts_from_the_tables_it_has(dd, fixture):
    """Schema 7 adds the budget model empty: its facts come from the stored tables (no document
    is read again), `check` says they are missing until then, and `check --repair` derives them."""
    from budget.facts import MODEL_VERSION
    from budget.model import derive_missing
    from catalog.budget import check_budget, read_facts

    _old_catalog(dd, fixture, int(fixture[7]))
    conn = catalog.connect(dd)
    try:
        assert read_facts(conn, [A]) == []
        assert [p.kind for p in check_budget(conn, MODEL_VERSION)] and derive_missing(conn) == 1
        (fact,) = read_facts(conn, [A])
        assert (fact["line"], fact["year"], fact["stage"], fact["value_kr"]) == ("Netto driftsresultat", 2021, "vedtak",
                                                                                 1234.5e6)
        assert check_budget(conn, MODEL_VERSION) == [] and derive_missing(conn) == 0
    finally:
        conn.close()


def test_vedtak_an_older_hparkiv_wrote_after_the_rename_are_kept(dd, tmp_path):
    """hparkiv before schema 4, opening a schema 4 catalog, made its own `decisions` tables
    (stamping 3) and wrote the vedtak of what it extracted there: the next upgrade keeps
    those, keeps the others, and leaves one set of tables."""
    _old_catalog(dd, "schema_3.sql", 3)
    conn = catalog.connect(dd)  # schema 4: vedtak, vedtak_state; and a vedtak the new hparkiv derives for C
    kept = Vedtak(kind="tekstvedtak", seq=1, page_from=1, page_to=1, number=1, decision="Punkt 1.",
                  votes=[Vote("Enstemmig.", unanimous=True, result="vedtatt")])
    record_vedtak(conn, C, DerivedVedtak([kept], parser_version=2, doctype="vedtak"))
    conn.close()
    with sqlite3.connect(dd.catalog) as raw:  # what the older hparkiv did on open, then on extracting B again
        raw.executescript((FIXTURES / "schema_3.sql").read_text(encoding="utf-8"))
        for table in ("proposals", "votes"):
            raw.execute(f"DELETE FROM {table} WHERE sha256=?", (B,))
        raw.execute("INSERT INTO decisions (sha256, seq, kind, case_no, decision, page_from, page_to)"
                    " VALUES (?, 1, 'sak', '152/20', 'Vedtatt, lest på nytt.', 1, 1)", (B,))
        raw.execute("INSERT INTO votes (sha256, seq, idx, text, parsed, page) VALUES (?, 1, 0, 'Uleselig.', 0, 1)", (B,))
        raw.execute("INSERT INTO decision_state (sha256, parser_version, doctype, derived_at)"
                    " VALUES (?, 2, 'protokoll', '2022-01-01T00:00:00Z')", (B,))
        raw.execute("PRAGMA user_version=3")
    conn = catalog.connect(dd)
    try:
        assert _structure(conn) == _fresh_structure(tmp_path)
        (d,) = vedtak_of(conn, B)
        assert (d.decision, d.proposals, [v.text for v in d.votes]) == ("Vedtatt, lest på nytt.", [], ["Uleselig."])
        assert vedtak_of(conn, C) == [kept]
        assert versions_needing_vedtak(conn, 2) == [A]  # B was derived by parser 2
    finally:
        conn.close()


def test_an_upgrade_is_all_or_nothing(dd, monkeypatch):
    """A step that fails leaves the catalog as it was, with its old number: the next open tries again."""
    before = _old_catalog(dd, "schema_1.sql", 1)

    def broken(conn):
        conn.execute("CREATE TABLE half_done (x)")
        raise RuntimeError("disk on fire")

    monkeypatch.setattr("catalog.db.MIGRATIONS", (MIGRATIONS[0], broken, *MIGRATIONS[2:]))
    with pytest.raises(RuntimeError, match="disk on fire"):
        catalog.connect(dd)
    with sqlite3.connect(dd.catalog) as raw:
        assert raw.execute("PRAGMA user_version").fetchone()[0] == 1
        assert "half_done" not in _tables(raw) and "caption" not in _columns(raw, "tables")
        assert _rows(raw) == before
    monkeypatch.undo()
    catalog.connect(dd).close()


def test_two_processes_opening_an_old_catalog_at_once_upgrade_it_once(dd, tmp_path):
    before, old_columns = _old_catalog_and_columns(dd, "schema_2.sql", 2)
    opened: list[object] = []
    start = threading.Barrier(2)

    def open_it() -> None:
        start.wait()
        try:
            catalog.connect(dd).close()
            opened.append("ok")
        except Exception as e:  # recorded: the assert below shows it
            opened.append(e)

    threads = [threading.Thread(target=open_it) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert opened == ["ok", "ok"]
    conn = catalog.connect(dd)
    try:
        assert _structure(conn) == _fresh_structure(tmp_path)
        assert _rows(conn, {t: old_columns[t] for t in ("versions", "pages", "tables")}) == {
            t: before[t] for t in ("versions", "pages", "tables")}
    finally:
        conn.close()


def test_an_empty_file_becomes_a_fresh_catalog(dd, tmp_path):
    dd.catalog.touch()
    conn = catalog.connect_readonly(dd)
    try:
        assert _structure(conn) == _fresh_structure(tmp_path)
        assert conn.execute("PRAGMA user_version").fetchone()[0] == catalog.SCHEMA_VERSION
    finally:
        conn.close()


def test_the_web_reader_upgrades_an_old_catalog_before_it_reads(dd, tmp_path):
    _old_catalog(dd, "schema_1.sql", 1)
    conn = catalog.connect_readonly(dd)
    try:
        assert _structure(conn) == _fresh_structure(tmp_path)
        assert catalog.tables_of(conn, A)[0].caption is None
    finally:
        conn.close()


def _newer_catalog(dd: DataDir) -> dict[str, set[tuple]]:
    catalog.connect(dd).close()
    with sqlite3.connect(dd.catalog) as raw:
        raw.execute("CREATE TABLE from_the_future (x)")
        raw.execute(f"PRAGMA user_version={catalog.SCHEMA_VERSION + 1}")
        return _rows(raw)


@pytest.mark.parametrize("open_it", [catalog.connect, catalog.connect_readonly])
def test_a_catalog_from_a_newer_hparkiv_is_refused_and_left_alone(dd, open_it):
    before = _newer_catalog(dd)
    with pytest.raises(catalog.CatalogTooNew, match=rf"newer hparkiv \(schema {catalog.SCHEMA_VERSION + 1};"):
        open_it(dd)
    with sqlite3.connect(dd.catalog) as raw:
        assert raw.execute("PRAGMA user_version").fetchone()[0] == catalog.SCHEMA_VERSION + 1
        assert _rows(raw) == before


@pytest.mark.parametrize("command", [("status",), ("list",), ("check",), ("extract",), ("vedtak",),
                                     ("update", "--start-url", "http://127.0.0.1:9/")])
def test_the_cli_says_the_catalog_is_too_new_in_one_line(dd, command):
    from processes import hparkiv

    _newer_catalog(dd)
    proc = hparkiv(dd.root, *command)
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr and "internal error" not in proc.stderr
    assert [line for line in proc.stderr.splitlines() if line.strip()] == [
        f"hparkiv: the catalog {dd.catalog} was written by a newer hparkiv (schema {catalog.SCHEMA_VERSION + 1};"
        f" this one reads schema {catalog.SCHEMA_VERSION} and older): upgrade hparkiv"]
    nb = hparkiv(dd.root, "--lang", "nb", *command)
    assert "skrevet av en nyere hparkiv" in nb.stderr


def test_schema_1_catalog_gains_table_columns_and_rereads_its_tables(dd):
    """An existing data dir keeps working: columns are added, versions with tables go back to pending."""
    conn = sqlite3.connect(dd.catalog)
    conn.executescript(catalog.SCHEMA.replace(
        "    caption     TEXT,                        -- \"Tabell 3 Netto driftsrammer\" or the heading above\n"
        "    unit        TEXT,                        -- as printed: \"Tall i mill. kroner\"\n"
        "    bbox        TEXT,                        -- JSON [x0, top, x1, bottom] in points\n"
        "    cell_values TEXT,                        -- JSON: per cell of rows, its amount or null\n", ""))
    assert "caption" not in {r[1] for r in conn.execute("PRAGMA table_info(tables)")}
    now = "2020-01-01T00:00:00Z"
    for sha in ("a" * 64, "b" * 64):
        conn.execute("INSERT INTO versions (sha256, doc_id, url, size, media_type, first_seen, last_seen, status)"
                     " VALUES (?,?,?,?,?,?,?,'ok')", (sha, sha[:12], f"http://a/{sha[0]}.pdf", 1, "pdf", now, now))
    conn.execute("INSERT INTO tables (sha256, page, idx, header, rows) VALUES (?,1,0,?,?)",
                 ("a" * 64, '["", "2021"]', '[["Skatt", "4"], ["Sum", "497,9"]]'))
    conn.execute("PRAGMA user_version=1")
    conn.commit()
    conn.close()
    conn = catalog.connect(dd)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == catalog.SCHEMA_VERSION
    (old,) = catalog.tables_of(conn, "a" * 64)
    assert old.rows == [["Skatt", "4"], ["Sum", "497,9"]] and old.caption is None and old.values == []
    assert [v.sha256 for v in catalog.pending_versions(conn)] == ["a" * 64]  # re-read with the new reader
    conn.close()
    conn = catalog.connect(dd)  # a second open changes nothing more
    assert [v.sha256 for v in catalog.pending_versions(conn)] == ["a" * 64]
