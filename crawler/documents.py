"""Is a response a document, and which kind? Decided by magic bytes and Content-Type, not URL."""

from __future__ import annotations

import io
import re
import zipfile
from email.message import Message
from email.utils import collapse_rfc2231_value

from catalog.sniff import OLE, PDF, ZIP, magic
from catalog.text import strip_controls

DOCX_TYPES = ("application/vnd.openxmlformats-officedocument.wordprocessingml",)
DOC_TYPES = ("application/msword",)


def media_type(body: bytes, content_type: str | None) -> str | None:
    """pdf | docx | doc | other for documents; None when it is an HTML page (or nothing we keep)."""
    ctype = (content_type or "").split(";")[0].strip().lower()
    kind = magic(body[:1024])
    if kind == PDF:
        return "pdf"
    if kind == ZIP:
        if ctype.startswith(DOCX_TYPES) or _zip_has_word(body):
            return "docx"
        return "other"
    if kind == OLE:
        return "doc"
    if ctype == "application/pdf":
        return "pdf" if not body else "other"
    if ctype.startswith(DOCX_TYPES):
        return "docx"
    if ctype.startswith(DOC_TYPES):
        return "doc"
    if looks_like_html(body, ctype):
        return None
    return "other"


def looks_like_html(body: bytes, content_type: str | None) -> bool:
    ctype = (content_type or "").lower()
    if "html" in ctype or "xml" in ctype:
        return True
    start = body[:512].lstrip().lower()
    return start.startswith((b"<!doctype html", b"<html", b"<head", b"<body"))


def _zip_has_word(body: bytes) -> bool:
    try:
        with zipfile.ZipFile(io.BytesIO(body)) as z:
            return any(n.startswith("word/") for n in z.namelist())
    except (zipfile.BadZipFile, ValueError, OSError):
        return False


# A link that announces a file: "(PDF, 4,4 MB)", "| 763 KB", "Last ned", "pdf", "Word".
_FILE_HINT = re.compile(r"\b(pdf|docx?|word)\b|\d[\d,.]*\s*(kb|mb)\b|\blast ned\b", re.IGNORECASE)


def announces_file(*texts: str | None) -> bool:
    """The link's own text or title says it points at a file, whatever its URL looks like."""
    return any(t and _FILE_HINT.search(t) for t in texts)


def attachment_name(header: bytes | None) -> str:
    """The file name a Content-Disposition header gives (RFC 6266, `filename*` included), or ""."""
    if not header:
        return ""
    msg = Message()
    msg["Content-Disposition"] = header.decode("latin-1")
    names = [v for k, v in msg.get_params([], header="content-disposition") if k == "filename"]
    # `filename*` (an RFC 2231 tuple, UTF-8) wins over the plain ASCII fallback
    names.sort(key=lambda v: isinstance(v, tuple), reverse=True)
    try:
        name = collapse_rfc2231_value(names[0]) if names else ""
    except (ValueError, LookupError):  # a malformed or unknown-charset parameter
        return ""
    return strip_controls(name.replace("\\", "/").rsplit("/", 1)[-1], keep="").strip()
