"""Writing answers over HTTP: an export (present.exports) streamed in any of present.formats'
formats, every row, no cap, in constant memory (xlsx, a zip, is built whole); one JSON object
as the CLI's `--format json` prints it. The bytes are the CLI's: the same encoders write both.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from starlette.responses import Response, StreamingResponse

from present.exports import Export
from present.formats import FORMATS, document, encode


def stream(export: Export, fmt: str, dialect: str = "rfc4180", filename: str | None = None) -> StreamingResponse:
    """The export in `fmt`: a file to save (CSV, xlsx: named after the export unless `filename`
    says otherwise), or text a browser shows (JSON, JSON lines)."""
    f = FORMATS[fmt]
    name = filename or f.filename(export)
    headers = {"Content-Disposition": f'attachment; filename="{name}"'} if f.attachment else {}
    body = encode(export, fmt, dialect)
    return StreamingResponse(body if f.binary else _batched(body), media_type=f.media_type, headers=headers)


def json_document(obj: Any) -> Response:
    """One JSON object (a document, the archive's status), as `--format json` prints it."""
    return Response(document(obj), media_type=FORMATS["json"].media_type)


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
