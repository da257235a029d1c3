"""`check`: files, catalog and index must agree; `repair` mends what it can.

Only coordinates: the checks and repairs are the catalog's (catalog/check.py) and the
index's (index/check.py); extraction is asked to redo what was lost. Repairs never touch
good data: orphans and temp files are removed, versions without an extraction are
extracted, a disagreeing index is rebuilt from the catalog, and a version whose file is
lost is marked for re-download by the next `update`.
"""

from __future__ import annotations

from catalog import DataDir
from catalog.problem import Problem
from jobs.locks import update_lock


def check(data_dir: DataDir, *, repair: bool = False) -> list[Problem]:
    """Every problem found (each marked `repaired` when `repair` mended it). Repairing holds
    the update lock (raises jobs.errors.Busy while a run holds it)."""
    import catalog
    from budget.facts import MODEL_VERSION
    from catalog import check as catalog_check
    from catalog.budget import check_budget
    from catalog.vedtak import check_vedtak
    from extract.vedtak import PARSER_VERSION
    from index import check as index_check

    if not data_dir.catalog.exists():
        return [catalog_check.NoCatalog(f"no archive in {data_dir.root}; run `hparkiv update`")]
    conn = catalog.connect(data_dir)
    try:
        problems = (catalog_check.check_files(data_dir, conn) + catalog_check.check_rows(data_dir, conn)
                    + catalog_check.check_extraction(conn) + catalog_check.check_renders(data_dir, conn))
        problems += index_check.check_leftovers(data_dir)
        problems += index_check.check_index(data_dir, conn)
        problems += check_vedtak(conn, PARSER_VERSION)
        problems += check_budget(conn, MODEL_VERSION)
        if repair and problems:
            _repair(data_dir, conn, problems)
    finally:
        conn.close()
    return problems


def repair(data_dir: DataDir, problems: list[Problem]) -> list[Problem]:
    """Mend what `check` found, under the update lock; each mended problem is marked `repaired`."""
    import catalog

    if problems and data_dir.catalog.exists():
        conn = catalog.connect(data_dir)
        try:
            _repair(data_dir, conn, problems)
        finally:
            conn.close()
    return problems


def _repair(data_dir: DataDir, conn, problems: list[Problem]) -> None:
    from catalog import check as catalog_check
    from catalog.budget import BudgetStale
    from catalog.vedtak import VedtakStale
    from index import check as index_check

    with update_lock(data_dir):
        catalog_check.repair(conn, problems)
        index_check.remove_leftovers(problems)
        unextracted = catalog_check.needs_extraction(problems)
        if unextracted:
            from extract.run import extract_pending

            extract_pending(data_dir)
            for p in unextracted:
                p.repaired = True
        stale = [p for p in problems if isinstance(p, VedtakStale)]
        if stale:
            from extract.vedtak import derive_missing_vedtak

            derive_missing_vedtak(conn)  # from the stored page text: no document is read again
            for p in stale:
                p.repaired = True
        budget_stale = [p for p in problems if isinstance(p, BudgetStale)]
        if budget_stale or unextracted:  # tables written again drop their facts: derive them too
            from budget.model import derive_missing

            derive_missing(conn)  # from the stored tables and page text
            for p in budget_stale:
                p.repaired = True
        index_check.repair_index(data_dir, problems, catalog_changed=any(p.repaired for p in problems))
