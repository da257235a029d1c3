"""The text of a PDF's first pages, for classifying documents whose links say nothing.

pypdfium2 (pdfplumber's own dependency) reads a page in milliseconds, so this stays cheap
inside the crawl; anything unreadable (corrupt, encrypted, empty) simply gives "".
"""

from __future__ import annotations

import logging

from catalog.sniff import PDF, magic

logger = logging.getLogger(__name__)


def first_page_text(data: bytes, pages: int = 2, max_chars: int = 6000) -> str:
    return first_pages(data, pages, max_chars)[0]


def first_pages(data: bytes, pages: int = 2, max_chars: int = 6000) -> tuple[str, str]:
    """(the text of the first pages, the PDF's own /Title or "")."""
    if magic(data[:1024]) != PDF:
        return "", ""
    try:
        import pypdfium2 as pdfium

        pdf = pdfium.PdfDocument(data)
    except Exception as e:  # pdfium raises its own error types for every bad file
        logger.debug("no first page: %s", e)
        return "", ""
    parts: list[str] = []
    title = ""
    try:
        title = str(pdf.get_metadata_dict().get("Title") or "")
        for i in range(min(pages, len(pdf))):
            page = pdf[i]
            textpage = page.get_textpage()
            parts.append(textpage.get_text_range())
            textpage.close()
            page.close()
    except Exception as e:  # the same: a page pdfium cannot read
        logger.debug("first page unreadable: %s", e)
    finally:
        pdf.close()
    return "\n".join(parts)[:max_chars], title
