"""Extraction of the whole sample archive, checked against its truth.json."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

import catalog
from catalog import DataDir
from catalog.amounts import find_unit
from catalog.dates import find_date
from extract import ocr as ocr_mod
from extract.run import ExtractSummary, extract_pending
from sample import Truth
from sample.site import canonical

HAS_TESSERACT = ocr_mod.tesseract_available()


def flat(text: str) -> str:
    """Whitespace collapsed: planted sentences may wrap onto several lines."""
    return " ".join(text.split())


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text).lower()


def stored_file(sample_dir: Path, routes: dict, snapshots: list[dict], doc) -> Path:
    """Where the sample keeps a document's bytes (redirects and Wayback-only ones included)."""
    if doc.only_in_wayback:
        snap = next(s for s in snapshots if s["original"] == doc.path and s["timestamp"] == doc.wayback_timestamp)
        return sample_dir / snap["file"]
    return sample_dir / routes[(doc.host, canonical(doc.final_path or doc.path))]["file"]


@pytest.fixture(scope="module")
def extracted(sample_dir: Path, sample_truth: Truth, tmp_path_factory: pytest.TempPathFactory):
    """The sample's documents in a fresh catalog, extracted once with two workers."""
    routes = {
        (r["host"], r["key"]): r
        for r in json.loads((sample_dir / "routes.json").read_text(encoding="utf-8"))
        if "file" in r
    }
    snapshots = json.loads((sample_dir / "snapshots.json").read_text(encoding="utf-8"))
    data_dir = DataDir(tmp_path_factory.mktemp("extract-sample"))
    conn = catalog.connect(data_dir)
    shas: dict[str, str] = {}
    for doc in sample_truth.documents:
        data = stored_file(sample_dir, routes, snapshots, doc).read_bytes()
        sha = data_dir.store_bytes(data)
        catalog.record_version(
            conn, url=f"http://sample{doc.path}", sha256=sha, size=len(data), media_type=doc.media_type,
            content_type=doc.content_type, etag=None, last_modified=None, meta={}, provenance={},
        )
        shas[doc.key] = sha
    summary = extract_pending(data_dir, workers=2)
    yield conn, shas, summary
    conn.close()


def test_every_document_has_the_right_status(extracted, sample_truth: Truth) -> None:
    conn, shas, summary = extracted
    assert isinstance(summary, ExtractSummary)
    assert summary.done == len({*shas.values()})
    wrong = []
    for doc in sample_truth.documents:
        v = catalog.get_version(conn, shas[doc.key])
        assert v is not None
        expected = "ok" if doc.ocr and HAS_TESSERACT else doc.status
        if v.status != expected or (doc.error_contains and doc.error_contains not in (v.error or "").lower()):
            wrong.append((doc.key, v.status, v.error, expected, doc.error_contains))
        if doc.pages is not None and v.status == "ok":
            assert v.pages == doc.pages, doc.key
    assert not wrong


def test_planted_sentences_on_their_pages(extracted, sample_truth: Truth) -> None:
    conn, shas, _ = extracted
    missing = []
    checked = 0
    for doc in sample_truth.documents:
        if doc.ocr:
            continue  # test_scanned_page_is_ocrd
        pages = {p.page: flat(p.text) for p in catalog.pages_of(conn, shas[doc.key])}
        for planted in doc.planted:
            checked += 1
            if flat(planted["text"]) not in pages.get(planted["page"], ""):
                missing.append((doc.key, planted["page"], planted["text"]))
    assert checked > 10, "the sample plants sentences to find"
    assert not missing


def test_planted_words_dehyphenated(extracted, sample_truth: Truth) -> None:
    conn, shas, _ = extracted
    for w in sample_truth.planted_words:
        pages = {p.page: p.text for p in catalog.pages_of(conn, shas[w["key"]])}
        words = set(re.findall(r"\w+", pages[w["page"]]))
        assert w["word"] in words, w
        if w.get("unique"):
            elsewhere = [n for n, t in pages.items() if n != w["page"] and w["word"] in t]
            assert not elsewhere, w


def test_tables_have_right_headers_and_cells(extracted, sample_truth: Truth) -> None:
    conn, shas, _ = extracted
    checked = 0
    for doc in sample_truth.documents:
        for expected in doc.tables:
            found = catalog.tables_of(conn, shas[doc.key], page=expected["page"])
            assert [(t.header, t.rows[0]) for t in found] == [(expected["header"], expected["first_row"])], (
                doc.key, expected["page"])
            checked += 1
    assert checked >= 10


def test_tables_in_hard_layouts_are_read_whole(extracted, sample_truth: Truth) -> None:
    """Issue 20: beside a paragraph (left, right), side by side, in a framed box, with wrapped row
    labels, going on after a sub-sum: each is one table with its own header, rows, caption and unit."""
    conn, shas, _ = extracted
    seen = set()
    for doc in sample_truth.documents:
        for want in doc.layout_tables:
            found = catalog.tables_of(conn, shas[doc.key], page=want["page"])
            rows = [[r for r in t.rows if r[0] not in want["label_only_rows"]] for t in found]
            assert want["rows"] in rows, (doc.key, want["page"], [t.rows[:2] for t in found])
            t = found[rows.index(want["rows"])]
            # The key gives unit None where the unit is printed only as the header's first cell ("Tall i
            # mill. kroner" over the labels); the table corpus's key counts that as the table's unit, as we do.
            unit = want["unit"] or next((u for u in map(find_unit, want["header"]) if u), None)
            assert (t.header, t.caption, t.unit) == (want["header"], want["caption"], unit), (doc.key, want["page"])
            values = [v for r, v in zip(t.rows, t.values, strict=True) if r[0] not in want["label_only_rows"]]
            assert values == want["values"], (doc.key, want["page"])
            seen.add((want["arrangement"], want["side"]))
        pages = {w["page"] for w in doc.layout_tables}
        for page in pages:  # nothing else is read as a table there: no prose in a cell, no half table
            assert len(catalog.tables_of(conn, shas[doc.key], page=page)) == sum(
                1 for w in doc.layout_tables if w["page"] == page), (doc.key, page)
    assert seen >= {("beside_text", "left"), ("beside_text", "right"), ("side_by_side", "left"),
                    ("side_by_side", "right"), ("framed_box", None), ("wrapped_labels", None),
                    ("continues_after_subsum", None)}


def test_extraction_dates_documents_by_their_first_page(extracted, sample_truth: Truth) -> None:
    """Issue 20: with nothing known from the links (this catalog has no crawl), every document whose
    first page states its date gets it from there, with the words that say so; a date line that is
    no day leaves the date empty and says why; Word files and scans (by OCR) too."""
    conn, shas, _ = extracted
    checked = set()
    for doc in sample_truth.documents:
        pages = [e for e in doc.date_evidence if e["source"] == "first_page"]
        readable = doc.status == "ok" or (doc.ocr and HAS_TESSERACT)  # a scan has text once OCR reads it
        if not pages or not readable or (pages[0].get("ocr") and not HAS_TESSERACT):
            continue
        v = catalog.get_version(conn, shas[doc.key])
        assert v is not None and v.date == doc.date, (doc.key, v and v.date, v and v.provenance)
        why = v.provenance["date"]
        quoted = why.split('"')[1]  # the words that state it, as page 1 prints them
        page1 = next(p.text for p in catalog.pages_of(conn, shas[doc.key]) if p.page == 1)
        assert why.startswith("from first page ") and squash(quoted) in squash(page1), (doc.key, why)
        if pages[0].get("unreadable"):
            assert why.endswith("(no such date)") and quoted == pages[0]["text"], (doc.key, why)
        else:
            assert find_date(quoted) == doc.date, (doc.key, why)
        checked.add(doc.media_type if not pages[0].get("ocr") else "ocr")
    assert checked >= {"pdf", "docx"} and ("ocr" in checked) == HAS_TESSERACT


@pytest.mark.skipif(not HAS_TESSERACT, reason="tesseract with Norwegian data not installed")
def test_scanned_page_is_ocrd(extracted, sample_truth: Truth) -> None:
    conn, shas, _ = extracted
    scanned = [d for d in sample_truth.documents if d.ocr]
    assert scanned
    for doc in scanned:
        pages = {p.page: p for p in catalog.pages_of(conn, shas[doc.key])}
        for planted in doc.planted:
            page = pages[planted["page"]]
            assert page.ocr
            assert squash(planted["text"]) in squash(page.text)


def test_failures_are_reported(extracted, sample_truth: Truth) -> None:
    _, shas, summary = extracted
    bad = {shas[d.key][:12] for d in sample_truth.documents if d.status == "failed"}
    assert {doc_id for doc_id, _ in summary.failures} >= bad
