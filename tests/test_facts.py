"""The budget model in the catalog (budget/facts.py, catalog/budget.py): the update stores every
version's facts, a reader derives what is stale as it reads, and `check` finds and repairs it."""

from __future__ import annotations

import catalog
from budget.endringer import endringer


def test_facts_are_stored_rebuilt_when_tables_change_and_checked(archive, tmp_path):
    """The update stored every version's facts; `check` finds facts that are stale (a new model, a
    reclassified version, tables written again) and `check --repair` derives them; a reader never
    waits for that (it derives what is stale as it reads)."""
    import shutil

    from budget.facts import MODEL_VERSION
    from catalog import budget as stored
    from jobs.check import check

    src = catalog.DataDir(archive[0])
    dd = catalog.DataDir(tmp_path / "data").ensure()
    shutil.copy(src.catalog, dd.catalog)
    conn = catalog.connect(dd)
    try:
        assert stored.versions_needing_budget(conn, MODEL_VERSION) == []
        before = endringer(conn, "2021").to_dict()["lines"]
        sha = conn.execute("SELECT sha256 FROM budget_state ORDER BY sha256 LIMIT 1").fetchone()[0]
        conn.execute("UPDATE budget_state SET model_version = 0 WHERE sha256 = ?", (sha,))  # an older model's facts
        vedtak = next(v for v in catalog.list_versions(conn, catalog.Filters(doctype="vedtak")) if v.period == "2021-2024")
        tables, pages = catalog.tables_of(conn, vedtak.sha256), catalog.pages_of(conn, vedtak.sha256)
        catalog.record_extraction(conn, vedtak.sha256, status="ok", error=None, pages=pages, tables=tables)
        assert not conn.execute("SELECT 1 FROM budget_facts WHERE sha256 = ?", (vedtak.sha256,)).fetchone()
        assert set(stored.versions_needing_budget(conn, MODEL_VERSION)) == {sha, vedtak.sha256}
        assert endringer(conn, "2021").to_dict()["lines"] == before  # derived as it is read (its vedtak are gone)
    finally:
        conn.close()
    problems = check(dd)
    assert [p.kind for p in problems if p.kind == "budget-stale"] == ["budget-stale"]
    repaired = check(dd, repair=True)
    assert all(p.repaired for p in repaired if p.kind == "budget-stale")
    conn = catalog.connect(dd)
    try:
        assert stored.versions_needing_budget(conn, MODEL_VERSION) == []
        assert endringer(conn, "2021").to_dict()["lines"] == before
    finally:
        conn.close()
