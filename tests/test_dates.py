"""A document's date from its first page (catalog/dates.py), and its way into the catalog when
the text is extracted (extract/dates.py): first pages the sample does not print, dates of
something else, dates that are no day, and a catalog from before the reading existed."""

from __future__ import annotations

import json

import pytest

import catalog
from catalog import DataDir, PageText
from catalog.dates import document_date, find_date
from extract.dates import derive_missing_dates, first_page_date


@pytest.mark.parametrize("page, date, printed", [
    ("Spørsmål og svar\nSandvika, 6. november 2020\nDet har kommet inn 50 spørsmål.", "2020-11-06",
     "Sandvika, 6. november 2020"),
    ("Notat\nDato: 12.03.2021\nTil: Formannskapet", "2021-03-12", "Dato: 12.03.2021"),
    ("Økonomimelding II 2020\nRapportering per 31. august 2020\nDato: 07.10.2020", "2020-10-07", "Dato: 07.10.2020"),
    ("Brev\nDeres dato: 01.02.2021\nVår dato: 12.02.2021", "2021-02-12", "Vår dato: 12.02.2021"),
    ("Notat\nDato\n12.03.2021\nSak: Budsjett", "2021-03-12", "Dato 12.03.2021"),
    ("Datert 6. mai 2021\nHøringsuttalelse", "2021-05-06", "Datert 6. mai 2021"),
    ("Innspill til budsjettet\nBærum kommune, 12. mars 2021", "2021-03-12", "Bærum kommune, 12. mars 2021"),
    ("Uttalelse\nOslo den 3. mars 2021", "2021-03-03", "Oslo den 3. mars 2021"),
    ("Høyringsinnspel\nBekkestua, 25. november 2020", "2020-11-25", "Bekkestua, 25. november 2020"),
    ("Forord\n2. des. 2020", "2020-12-02", "2. des. 2020"),
    ("Høringssvar\nSandvika 2021-03-04", "2021-03-04", "Sandvika 2021-03-04"),
    ("Handlingsprogram 2021–2024\nVedtatt av kommunestyret 2. desember 2020", "2020-12-02",
     "Vedtatt av kommunestyret 2. desember 2020"),
    ("Protokoll Formannskapet 18.11.2020\nTil stede: alle", "2020-11-18", "Protokoll Formannskapet 18.11.2020"),
    ("Møteprotokoll\nMøte 18.11.2020 kl. 17.00", "2020-11-18", "Møte 18.11.2020 kl. 17.00"),
    ("Spørsmål og svar samla\nOppdatert 13. november 2020", "2020-11-13", "Oppdatert 13. november 2020"),  # this version's
])
def test_the_date_a_first_page_gives_its_document(page, date, printed):
    reading = document_date(page)
    assert reading is not None and (reading.date, reading.printed) == (date, printed)


@pytest.mark.parametrize("page", [
    "Økonomimelding I\nRapportering per 30. april 2021",         # the period reported on
    "Høring\nHøringsfrist 1. mars 2021",
    "Høring\nSvarfristen er 1. mars 2021",
    "Reglement\nGjeldende fra 1. januar 2021",
    "Brev\nDeres dato: 01.02.2021",                              # the letter answered
    "Rapport\nUtskriftsdato: 04.03.2021",
    "Årsrapport 2020\nKommunestyret vedtok 12. desember 2019 at målene i handlingsprogrammet skulle følges opp.",
    "Budsjett 2021\nPerioden 1. januar – 31. desember 2021",
    "Tertialrapport\nStatus per 31.08.2021",
    "Handlingsprogram 2021-2024",                                # a plan period is no date
])
def test_dates_of_something_else_are_not_the_documents(page):
    assert document_date(page) is None


@pytest.mark.parametrize("page, printed", [
    ("Spørsmål og svar\nDato: 31.11.2020\nDet har kommet inn 9 spørsmål.\nSvar 12.11.2020", "Dato: 31.11.2020"),
    ("Forord\nSandvika, 31. februar 2021", "Sandvika, 31. februar 2021"),
    ("Notat\nDato: 12.13.2021", "Dato: 12.13.2021"),
])
def test_a_date_that_is_no_day_stays_empty_and_no_other_is_taken(page, printed):
    reading = document_date(page)
    assert reading is not None and reading.date is None and reading.printed == printed


def test_find_date_reads_every_form():
    assert [find_date(t) for t in ("2. desember 2020", "2. des. 2020", "18.11.2020", "02.12.20", "2020-12-02",
                                   "31.11.2020 og 1.12.2020", "ingen dato")] == [
        "2020-12-02", "2020-12-02", "2020-11-18", "2020-12-02", "2020-12-02", "2020-12-01", None]


def _version(conn, sha: str, **meta) -> catalog.Version:
    catalog.record_version(conn, url=f"https://example.org/{sha[:4]}.pdf", sha256=sha, size=10, media_type="pdf",
                           content_type="application/pdf", etag=None, last_modified=None,
                           meta=meta, provenance={k: "link text" for k in meta})
    return catalog.get_version(conn, sha)


def test_extraction_dates_an_undated_document_and_says_where_from(tmp_path):
    conn = catalog.connect(DataDir(tmp_path / "d"))
    scan = _version(conn, "a" * 64, title="Innspill")
    pages = [PageText(1, "Lommedalen velforening\nLommedalen, 6. november 2020", ocr=True), PageText(2, "Tekst")]
    catalog.record_extraction(conn, scan.sha256, status="ok", error=None, pages=pages, tables=[],
                              date=first_page_date(scan, pages))
    v = catalog.get_version(conn, scan.sha256)
    assert (v.date, v.year) == ("2020-11-06", 2020)
    assert v.provenance["date"] == 'from first page "Lommedalen, 6. november 2020" (OCR)'
    assert v.provenance["year"] == "year of date 2020-11-06"

    dated = _version(conn, "b" * 64, date="2020-12-02", year=2021)
    assert first_page_date(dated, [PageText(1, "Dato: 01.01.2020")]) is None  # a decided date stays
    typo = _version(conn, "c" * 64, year=2021)
    found = first_page_date(typo, [PageText(1, "Spørsmål\nDato: 31.11.2020")])
    assert found == (None, 'from first page "Dato: 31.11.2020" (no such date)')


def test_a_catalog_from_before_gets_first_page_dates_from_its_stored_text(tmp_path):
    """Versions extracted before the reading existed are dated from the stored page text, once,
    without reading a document again; dates decided elsewhere and undated pages stay as they are."""
    conn = catalog.connect(DataDir(tmp_path / "d"))
    docx = _version(conn, "d" * 64, year=2021)
    nothing = _version(conn, "e" * 64, year=2021)
    decided = _version(conn, "f" * 64, year=2021, date="2020-11-01")
    for v, text in ((docx, "Innspill fra rådet\nSandvika, 9. november 2020"), (nothing, "Innspill uten dato"),
                    (decided, "Sandvika, 9. november 2020")):
        catalog.record_extraction(conn, v.sha256, status="ok", error=None, pages=[PageText(1, text)], tables=[])
    catalog.mark_indexed(conn, [docx.sha256, nothing.sha256, decided.sha256])
    assert derive_missing_dates(conn) == 1
    assert derive_missing_dates(conn) == 0  # the next run finds nothing more to do
    got = {v.sha256: v for v in catalog.list_versions(conn)}
    assert got[docx.sha256].date == "2020-11-09" and got[docx.sha256].provenance["date"].startswith("from first page")
    assert got[nothing.sha256].date is None and "date" not in got[nothing.sha256].provenance
    assert got[decided.sha256].date == "2020-11-01"
    assert [v.sha256 for v in catalog.dirty_versions(conn)] == [docx.sha256]  # the index learns the new date
    row = conn.execute("SELECT provenance FROM versions WHERE sha256=?", (docx.sha256,)).fetchone()
    assert json.loads(row["provenance"])["year"] == "link text"  # a year already decided stays
