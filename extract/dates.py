"""A document's date from its first page, once its text is extracted.

    first_page_date(version, pages) -> (date, why) | None   for catalog.record_extraction
    derive_missing_dates(conn) -> int                        versions extracted before this existed

The crawler already reads the date a PDF's first page states (crawler/classify.py, with the
same reading: catalog/dates.py) when the link gives none. It cannot for what has no text until
it is extracted: a Word file, a scan that only OCR reads, a PDF whose text pdfium cannot get.
So the date is decided again here, from the extracted first page, for a version whose date
nothing has decided yet; a date that a link, a meeting or the crawler's reading decided stays.
"""

from __future__ import annotations

from collections.abc import Iterable

import catalog
from catalog.dates import document_date
from catalog.models import PageText, Version


def first_page_date(version: Version, pages: Iterable[PageText]) -> tuple[str | None, str] | None:
    """(ISO date or None, provenance) the first page gives an undated version; None if it gives none
    (or the version's date is decided already). None as the date: the page prints one that is no day."""
    if version.date or "date" in version.provenance:
        return None
    first = next((p for p in pages if p.page == 1), None)
    if first is None or not first.text:
        return None
    reading = document_date(first.text)
    if reading is None:
        return None
    printed = reading.printed if len(reading.printed) <= 90 else reading.printed[:90] + "…"
    why = f'from first page "{printed}"' + (" (OCR)" if first.ocr else "") + ("" if reading.date else " (no such date)")
    return reading.date, why


def derive_missing_dates(conn: catalog.Connection) -> int:
    """Read the first page's date of extracted versions still undated and undecided, from their stored
    text (no document is read again). Returns how many got a date (or a reason to have none)."""
    done = 0
    for version in catalog.undated_versions(conn):
        found = first_page_date(version, catalog.pages_of(conn, version.sha256)[:1])
        if found is not None:
            with catalog.transaction(conn):
                done += catalog.fill_date(conn, version.sha256, *found)
    return done
