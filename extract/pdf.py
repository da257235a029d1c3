"""One document's text and tables: PDF with pdfplumber, Word .docx with the stdlib.

Everything that can go wrong with a web document (not a PDF at all, encrypted,
truncated, empty) becomes an `ExtractResult` with status and a human reason, never an
exception, so one bad file cannot stop a batch.
"""

from __future__ import annotations

import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from xml.etree import ElementTree

from catalog.models import PageText, Table, Vedtak
from catalog.sniff import OLE, PDF, ZIP, magic
from extract.text import clean_page_text

OK, NO_TEXT, FAILED = "ok", "no_text", "failed"


@dataclass
class ExtractResult:
    """What extraction of one document produced; `error` says why when status is not ok."""

    status: str
    error: str | None = None
    pages: list[PageText] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    page_count: int | None = None
    vedtak: list[Vedtak] | None = None  # decided by the document's own data (a platform's record), not its text


def failed(reason: str) -> ExtractResult:
    return ExtractResult(status=FAILED, error=reason)


def sniff(path: Path) -> tuple[str, str | None]:
    """(kind, reason) from the first bytes: kind is pdf | docx | record | failed.

    Web servers lie about content types, so the bytes decide, before any parser runs.
    """
    try:
        size = path.stat().st_size
        with path.open("rb") as fh:
            head = fh.read(2048)
    except FileNotFoundError:
        return FAILED, "file missing from the data dir"
    if size == 0:
        return FAILED, "empty file (0 bytes)"
    kind = magic(head)
    if kind == PDF:
        return "pdf", None
    if head.lstrip().startswith(b'{"record":'):
        return "record", None  # a platform's data as archived (extract/records.py)
    if kind == ZIP:
        return "docx", None
    if kind == OLE:
        return FAILED, "not a PDF (Word 97-2003 .doc, not supported; .docx and PDF are)"
    lowered = head.lstrip().lower()
    if lowered.startswith((b"<!doctype html", b"<html", b"<head", b"<?xml")) or b"<html" in lowered:
        return FAILED, "not a PDF (looks like HTML)"
    if not head.strip():
        return FAILED, "empty file (only whitespace)"
    return FAILED, f"not a PDF (starts with {head[:16]!r})"


def extract_document(
    path: Path, *, ocr: bool = True, tables: bool = True, on_page: Callable[[int], None] | None = None
) -> ExtractResult:
    """Extract any stored document: dispatch on its bytes, not its name or content type."""
    kind, reason = sniff(path)
    if kind == "pdf":
        return extract_pdf(path, ocr=ocr, tables=tables, on_page=on_page)
    if kind == "record":
        from extract.records import extract_record
        from sources import shipped_vocabulary

        return extract_record(path, shipped_vocabulary())
    if kind == "docx":
        return extract_docx(path)
    return failed(reason or "unknown format")


def extract_pdf(
    path: Path, *, ocr: bool = True, tables: bool = True, on_page: Callable[[int], None] | None = None
) -> ExtractResult:
    """Every page's clean text (1-based) and its budget tables.

    Each page is closed after use: pdfplumber caches its layout objects and would hold
    gigabytes on long documents otherwise. `on_page(n)` is called after page n.
    """
    kind, reason = sniff(path)
    if kind != "pdf":
        return failed(reason or "not a PDF")
    import pdfplumber

    from extract.tables import continue_table, find_tables

    pages: list[PageText] = []
    found: list[Table] = []
    no_layer: list[int] = []  # 0-based pages with images but no text layer
    try:
        with pdfplumber.open(path) as pdf:
            page_count = len(pdf.pages)
            for i, page in enumerate(pdf.pages):
                try:
                    if not page.chars:
                        if page.images:
                            no_layer.append(i)
                        pages.append(PageText(i + 1, ""))
                    else:
                        text = clean_page_text(page.extract_text() or "")
                        pages.append(PageText(i + 1, text))
                        if tables:
                            page_tables = find_tables(page, text)
                            if page_tables:
                                continue_table(found[-1] if found else None, page_tables[0])
                            found.extend(page_tables)
                finally:
                    page.close()
                if on_page is not None:
                    on_page(i + 1)
    except MemoryError:
        raise
    except Exception as e:  # pdfminer raises many kinds; each means "this file is broken"
        return failed(pdf_error_reason(e))
    if page_count == 0:
        return ExtractResult(status=FAILED, error="corrupt PDF: no pages", page_count=0)
    if no_layer:
        error = _ocr_pages(path, pages, no_layer, ocr)
        if error:
            has_text = any(p.text for p in pages)
            if has_text:  # usable, but say which pages are missing and why
                error = f"{len(no_layer)} of {page_count} pages without text: {error}"
            return ExtractResult(
                status=OK if has_text else NO_TEXT, error=error, pages=pages, tables=found, page_count=page_count,
            )
    if not any(p.text for p in pages):
        return ExtractResult(
            status=NO_TEXT, error="no text on any page", pages=pages, tables=found, page_count=page_count
        )
    return ExtractResult(status=OK, pages=pages, tables=found, page_count=page_count)


def _ocr_pages(path: Path, pages: list[PageText], indexes: list[int], ocr: bool) -> str | None:
    """OCR the given pages in place; returns why the text is missing if it could not."""
    from extract import ocr as ocr_mod

    if not ocr:
        return "no text layer; OCR is off"
    if not ocr_mod.tesseract_available():
        return ocr_mod.HINT
    for i in indexes:
        try:
            text = clean_page_text(ocr_mod.ocr_page(path, i))
        except RuntimeError as e:
            return f"no text layer; OCR failed: {e}"
        pages[i] = PageText(i + 1, text, ocr=True)
    if not any(pages[i].text for i in indexes):
        return "no text layer; OCR found no text"
    return None


def pdf_error_reason(e: BaseException) -> str:
    """A one-line human reason for a pdfminer/pdfplumber exception."""
    chain: list[BaseException] = []
    cur: BaseException | None = e
    while cur is not None and len(chain) < 5:
        chain.append(cur)
        cur = cur.__cause__ or cur.__context__
    for exc in chain:
        name = type(exc).__name__
        if "Password" in name or "Encrypt" in name:
            return "encrypted (password-protected PDF)"
    for exc in chain:
        if isinstance(exc, RecursionError):
            return "corrupt PDF: nesting too deep"
    inner = chain[-1]
    detail = str(inner).strip().splitlines()[0] if str(inner).strip() else type(inner).__name__
    if len(detail) > 120:
        detail = detail[:117] + "..."
    return f"corrupt PDF: {detail}"


_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def extract_docx(path: Path) -> ExtractResult:
    """A Word .docx as one page of paragraph text (Word has no fixed pages to number)."""
    try:
        with zipfile.ZipFile(path) as z:
            xml = z.read("word/document.xml")
        root = ElementTree.fromstring(xml)
    except KeyError:
        return failed("not a PDF (a zip file without word/document.xml)")
    except (zipfile.BadZipFile, ElementTree.ParseError, OSError) as e:
        return failed(f"corrupt .docx: {e}")
    paragraphs = []
    for p in root.iter(f"{_W}p"):
        parts = []
        for node in p.iter():
            if node.tag == f"{_W}t" and node.text:
                parts.append(node.text)
            elif node.tag == f"{_W}tab":
                parts.append(" ")
            elif node.tag in (f"{_W}br", f"{_W}cr"):
                parts.append("\n")
        paragraphs.append("".join(parts))
    text = clean_page_text("\n".join(paragraphs))
    if not text:
        return ExtractResult(status=NO_TEXT, error="no text in the .docx", pages=[PageText(1, "")], page_count=1)
    return ExtractResult(status=OK, pages=[PageText(1, text)], page_count=1)
