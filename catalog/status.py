"""What the archive holds, from the catalog alone (cheap): for `hparkiv status` and the web's /status."""

from __future__ import annotations

import sqlite3
from collections import Counter
from pathlib import Path
from typing import Any

from catalog.crawl import fetch_failures
from catalog.db import connect_readonly
from catalog.models import Filters
from catalog.paths import DataDir
from catalog.runs import last_run
from catalog.vedtak import count_vedtak
from catalog.versions import list_versions


def archive_status(data_dir: DataDir) -> dict[str, Any]:
    """Documents per status, year, type and committee; the last run of each stage; failures."""
    if not data_dir.catalog.exists():
        return {"data_dir": str(data_dir.root), "documents": 0, "by_status": {}, "runs": {}, "failures": []}
    conn = connect_readonly(data_dir)
    try:
        versions = list_versions(conn, Filters(all_versions=True))
        current = [v for v in versions if not v.superseded_by]
        by_status = Counter(v.status for v in current)
        return {
            "data_dir": str(data_dir.root),
            "documents": len(current),
            "superseded_versions": len(versions) - len(current),
            "pages": sum(v.pages or 0 for v in current),
            "by_status": dict(by_status),
            "by_year": dict(sorted(Counter(str(v.year) for v in current).items())),
            "by_doctype": dict(Counter(v.doctype or "?" for v in current).most_common()),
            "by_committee": dict(Counter(v.committee or "-" for v in current).most_common()),
            "by_kommune": dict(Counter(f"{v.kommune} {v.kommunenummer}" if v.kommunenummer else "-"
                                       for v in current).most_common()),
            "runs": {s: last_run(conn, s) for s in ("crawl", "extract", "index")},
            "failed_documents": [
                {"doc_id": v.doc_id, "url": v.url, "status": v.status, "error": v.error}
                for v in current if v.status in ("failed", "no_text")
            ],
            "failures": fetch_failures(conn),
            "index_exists": Path(data_dir.index).exists(),
            "decisions": _vedtak_counts(conn),  # the key users have always read
        }
    finally:
        conn.close()


def _vedtak_counts(conn: sqlite3.Connection) -> dict[str, Any]:
    """Vedtak, votes, the vote statements that could not be parsed and those read with a warning
    (as `hparkiv status` names them)."""
    c = count_vedtak(conn)
    return {"decisions": c.vedtak, "by_kind": c.by_kind, "votes": c.votes, "unparsed_votes": c.unparsed_votes,
            "votes_with_warning": c.votes_with_warning}
