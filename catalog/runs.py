"""Runs of each stage (crawl, extract, index): when they started and finished, and what they did."""

from __future__ import annotations

import json
import sqlite3
from typing import Any

from catalog.db import transaction, utcnow


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
