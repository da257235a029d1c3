"""Streaming exports: every row, no cap, in constant memory (rows are generated in chunks
and written as they come). The shapes are the CLI's (catalog/export.py), so a CSV from the
browser equals `hparkiv search --format csv`.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from starlette.responses import StreamingResponse

from catalog.export import csv_cell, safe

CHUNK = 500  # hits fetched from the index per step of an export
MEDIA = {"csv": "text/csv; charset=utf-8", "jsonl": "application/x-ndjson; charset=utf-8",
         "json": "application/json; charset=utf-8"}


def stream(rows: Iterable[Any], fmt: str, columns: Sequence[str] | None, filename: str | None) -> StreamingResponse:
    """Rows as CSV (dict rows by `columns`, or lists when columns is None) or JSON lines."""
    body = _csv(rows, columns) if fmt == "csv" else _jsonl(rows)
    headers = {"Content-Disposition": f'attachment; filename="{filename}"'} if filename else {}
    return StreamingResponse(_batched(body), media_type=MEDIA[fmt], headers=headers)


def stream_array(rows: Iterable[Any]) -> StreamingResponse:
    """A JSON array, written row by row."""
    def body() -> Iterator[str]:
        yield "["
        for i, row in enumerate(rows):
            yield ("," if i else "") + "\n  " + json.dumps(row, ensure_ascii=False)
        yield "\n]\n"
    return StreamingResponse(_batched(body()), media_type=MEDIA["json"])


def stream_object(head: dict[str, Any], key: str, rows: Iterable[Any], tail: dict[str, Any]) -> StreamingResponse:
    """{**head, key: [rows...], **tail}, with the rows written as they come."""
    def body() -> Iterator[str]:
        yield json.dumps(head, ensure_ascii=False)[:-1] + f', "{key}": ['
        for i, row in enumerate(rows):
            yield ("," if i else "") + "\n  " + json.dumps(row, ensure_ascii=False)
        yield "\n], " + json.dumps(tail, ensure_ascii=False)[1:] + "\n"
    return StreamingResponse(_batched(body()), media_type=MEDIA["json"])


def table_rows(tables: Iterable[Any]) -> Iterator[list[Any]]:
    """A document's tables as the CLI's `tables --format csv` writes them."""
    for t in tables:
        yield ["page", "table", *t.header]
        for r in t.rows:
            yield [t.page, t.index + 1, *[safe(c) for c in r]]


# The columns of `hparkiv vedtak --format csv`; proposals and votes one cell each.
DECISION_COLUMNS = ("doc_id", "url", "page", "date", "year", "committee", "case", "archive_case", "title", "kind",
                    "section", "number", "recommendation", "decision", "proposals", "votes")


def decision_rows(records: Iterable[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    """Decision records (index.vedtak.decision_record) as CSV rows: proposals as "by: text"
    and votes as printed in the protocol, each joined by " | " (language-neutral data)."""
    for r in records:
        yield r | {"proposals": " | ".join(f"{p['by']}: {p['text']}" for p in r["proposals"]),
                   "votes": " | ".join(v["text"] or "" for v in r["votes"])}


def _csv(rows: Iterable[Any], columns: Sequence[str] | None) -> Iterator[str]:
    buf = io.StringIO()
    if columns is not None:
        writer: Any = csv.DictWriter(buf, fieldnames=list(columns), extrasaction="ignore", lineterminator="\n")
        writer.writeheader()
    else:
        writer = csv.writer(buf, lineterminator="\n")
    for row in rows:
        if columns is not None:
            writer.writerow({k: csv_cell(row.get(k)) for k in columns})
        else:
            writer.writerow([csv_cell(c) for c in row])
        yield buf.getvalue()
        buf.seek(0)
        buf.truncate()
    yield buf.getvalue()


def _jsonl(rows: Iterable[Any]) -> Iterator[str]:
    for row in rows:
        yield json.dumps(row, ensure_ascii=False) + "\n"


def _batched(parts: Iterator[str], size: int = 64 * 1024) -> Iterator[bytes]:
    """Join small pieces into ~64 KB writes (one per row would be one socket write per row)."""
    pending: list[str] = []
    n = 0
    for p in parts:
        pending.append(p)
        n += len(p)
        if n >= size:
            yield "".join(pending).encode()
            pending, n = [], 0
    if pending:
        yield "".join(pending).encode()
