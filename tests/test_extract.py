"""Extraction of generated PDFs: text, tables, OCR, bad files, and the bounded worker pool."""

from __future__ import annotations

import os
import re
import signal
import zipfile
from io import BytesIO
from pathlib import Path

import pytest

import catalog
from catalog import DataDir
from extract import ocr as ocr_mod
from extract.pdf import extract_document, extract_pdf
from extract.run import extract_pending
from sample.synth import budget_pdf, dense_pdf, scanned_pdf

HAS_TESSERACT = ocr_mod.tesseract_available()
SCAN_LINES = ["Kommunestyret vedtok budsjettet", "for barnehagene i Bærum 2021."]


def squash(text: str) -> str:
    """Lowercase without whitespace: compares OCR output without caring about line breaks."""
    return re.sub(r"\s+", "", text).lower()


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Good and bad documents, generated once for this module."""
    d = tmp_path_factory.mktemp("extract-files")
    good = budget_pdf(6)
    docx = BytesIO()
    with zipfile.ZipFile(docx, "w") as z:
        z.writestr("word/document.xml", (
            '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>'
            "<w:p><w:r><w:t>Innspill fra rådet</w:t></w:r></w:p>"
            "<w:p><w:r><w:t>Vi ber om 1\u00a0234\u00a0567 kroner.</w:t></w:r></w:p></w:body></w:document>"
        ))
    content: dict[str, bytes] = {
        "good.pdf": good,
        "long.pdf": budget_pdf(60, table_every=10),
        "scan.pdf": scanned_pdf(SCAN_LINES),
        "encrypted.pdf": budget_pdf(2, encrypt="hemmelig"),
        "truncated.pdf": good[: len(good) // 3],
        "empty.pdf": b"",
        "html.pdf": b"<!DOCTYPE html>\n<html><head><title>Feil</title></head><body>Ikke funnet</body></html>",
        "doc.docx": docx.getvalue(),
        "garbage.pdf": b"\x00\x01binary junk that is no document" * 10,
        "dense.pdf": dense_pdf(),
    }
    paths = {}
    for name, data in content.items():
        paths[name] = d / name
        paths[name].write_bytes(data)
    return paths


@pytest.fixture(scope="module")
def good(files: dict[str, Path]):
    return extract_pdf(files["good.pdf"], ocr=False)


def test_page_text_is_clean(good) -> None:
    assert good.status == "ok" and good.page_count == 6
    assert [p.page for p in good.pages] == [1, 2, 3, 4, 5, 6]
    first = good.pages[0].text
    assert "flere plasser i barnehagene" in first
    assert "Nord-Norge-samarbeidet" in first
    assert "kr 1 234 567 og underskuddet -12 345." in first
    assert "1 234,5 per år for barne- og ungdomsskolene" in first
    assert "\u00a0" not in first and "\u2009" not in first and "\u202f" not in first


def test_ruled_table(good) -> None:
    (table,) = [t for t in good.tables if t.page == 6]
    assert table.header == ["Tall i mill. kroner", "Regnskap 2019", "Budsjett 2020", "2021", "2022", "2023", "2024"]
    assert len(table.rows) == 6
    assert table.rows[0][0] == "Barn og unge"
    assert len(table.rows[0]) == len(table.header)
    assert all(re.fullmatch(r"\d{1,3}( \d{3})*,\d", c) for c in table.rows[0][1:])


def test_two_row_header_is_merged(good) -> None:
    (table,) = [t for t in good.tables if t.page == 3]
    assert table.header == ["Tall i mill. kroner", "Regnskap 2019", "Budsjett 2020", "2021", "2022", "2023", "2024"]
    assert table.rows[0][0] == "Barn og unge"


def test_unruled_table_found_by_text_strategy(good) -> None:
    (table,) = [t for t in good.tables if t.page == 2]
    assert table.header[-4:] == ["2021", "2022", "2023", "2024"]
    assert any(row[0] == "Helse og omsorg" for row in table.rows)


def test_prose_pages_have_no_tables(good) -> None:
    assert {1, 4, 5} <= {p.page for p in good.pages} and any(t.page not in (1, 4, 5) for t in good.tables)
    assert not [t for t in good.tables if t.page in (1, 4, 5)]


def test_tables_can_be_skipped(files: dict[str, Path]) -> None:
    result = extract_pdf(files["good.pdf"], ocr=False, tables=False)
    assert result.tables == [] and len(result.pages) == 6


@pytest.mark.parametrize(
    ("name", "status", "reason"),
    [
        ("encrypted.pdf", "failed", "encrypted (password-protected PDF)"),
        ("truncated.pdf", "failed", "corrupt PDF: "),
        ("empty.pdf", "failed", "empty file (0 bytes)"),
        ("html.pdf", "failed", "not a PDF (looks like HTML)"),
        ("garbage.pdf", "failed", "not a PDF (starts with"),
    ],
)
def test_bad_files_give_status_and_reason(files: dict[str, Path], name: str, status: str, reason: str) -> None:
    result = extract_document(files[name], ocr=False)
    assert result.status == status
    assert result.error is not None and result.error.startswith(reason)
    assert result.pages == []


def test_docx_is_one_page(files: dict[str, Path]) -> None:
    result = extract_document(files["doc.docx"])
    assert result.status == "ok" and result.page_count == 1
    assert result.pages[0].text == "Innspill fra rådet\nVi ber om 1 234 567 kroner."


def test_scan_without_tesseract_gives_hint(files: dict[str, Path], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ocr_mod, "tesseract_available", lambda: False)
    result = extract_pdf(files["scan.pdf"], ocr=True)
    assert result.status == "no_text"
    assert result.error == "no text layer; install tesseract-ocr and tesseract-ocr-nor to OCR it"
    assert extract_pdf(files["scan.pdf"], ocr=False).status == "no_text"


@pytest.mark.skipif(not HAS_TESSERACT, reason="tesseract with Norwegian data not installed")
def test_scan_is_ocrd(files: dict[str, Path]) -> None:
    result = extract_pdf(files["scan.pdf"], ocr=True)
    assert result.status == "ok" and result.error is None
    (page,) = result.pages
    assert page.ocr
    assert squash(" ".join(SCAN_LINES)) in squash(page.text)


# --- the pool ---------------------------------------------------------------------------


def populate(root: Path, paths: list[Path]) -> tuple[DataDir, dict[str, str]]:
    """A data dir whose catalog holds these files as pending versions; name -> sha256."""
    data_dir = DataDir(root)
    conn = catalog.connect(data_dir)
    shas = {}
    for i, path in enumerate(paths):
        data = path.read_bytes()
        sha = data_dir.store_bytes(data)
        catalog.record_version(  # seen one second apart, so they are extracted in the order given
            conn, url=f"https://www.baerum.kommune.no/{path.name}", sha256=sha, size=len(data),
            media_type="docx" if path.suffix == ".docx" else "pdf", content_type="application/pdf",
            etag=None, last_modified=None, meta={}, provenance={}, now=f"2020-12-02T00:{i // 60:02d}:{i % 60:02d}Z",
        )
        shas[path.name] = sha
    conn.close()
    return data_dir, shas


@pytest.mark.slow
def test_batch_records_every_file_and_goes_on(files: dict[str, Path], tmp_path: Path) -> None:
    batch = [p for name, p in files.items() if name != "dense.pdf"]
    data_dir, shas = populate(tmp_path / "data", batch)
    seen: list[dict] = []
    summary = extract_pending(data_dir, workers=2, ocr=False, progress=seen.append)
    assert summary.done == len(batch)
    assert summary.ok == 3 and summary.no_text == 1 and summary.failed == 5
    assert summary.pages == 6 + 60 + 1 + 1
    assert 0 < summary.peak_worker_rss_mb < 200
    assert seen and seen[-1]["done"] == len(batch) and seen[-1]["total"] == len(batch)
    conn = catalog.connect(data_dir)
    good = catalog.get_version(conn, shas["good.pdf"])
    assert good is not None and good.status == "ok" and good.pages == 6
    assert "barnehagene" in catalog.pages_of(conn, shas["good.pdf"])[0].text
    assert len(catalog.tables_of(conn, shas["good.pdf"])) == 3
    enc = catalog.get_version(conn, shas["encrypted.pdf"])
    assert enc is not None and (enc.status, enc.error) == ("failed", "encrypted (password-protected PDF)")
    assert catalog.pages_of(conn, shas["encrypted.pdf"]) == []
    # Incremental: nothing pending now; --force does everything again.
    assert extract_pending(data_dir, workers=2, ocr=False).done == 0
    assert extract_pending(data_dir, workers=1, ocr=False, force=True, tables=False).done == len(batch)
    assert catalog.tables_of(conn, shas["good.pdf"]) == []
    assert catalog.last_run(conn, "extract")["stats"]["done"] == len(batch)  # type: ignore[index]


def never_ending(data_dir: DataDir, sha: str) -> Path:
    """Make a stored document one whose reading never ends: its file becomes a FIFO nobody writes
    to. However fast or loaded the machine, a worker that opens it stays inside it until it
    is killed, and that it is inside is a state a test can see (`has_reader`)."""
    path = data_dir.file_path(sha)
    path.unlink()
    os.mkfifo(path)
    return path


def has_reader(fifo: Path) -> int | None:
    """A write end of the FIFO if a reader has it open (the worker is inside the document), else None.

    Keep it open while the reader must stay blocked (closing it gives the reader an EOF)."""
    try:
        return os.open(fifo, os.O_WRONLY | os.O_NONBLOCK)
    except OSError:  # ENXIO: no reader yet
        return None


@pytest.mark.slow
def test_slow_document_is_bounded(files: dict[str, Path], tmp_path: Path) -> None:
    # A document that never ends can only end by the clock; the Word file after it takes milliseconds.
    data_dir, shas = populate(tmp_path / "data", [files["good.pdf"], files["doc.docx"]])
    never_ending(data_dir, shas["good.pdf"])  # the larger: taken first
    summary = extract_pending(data_dir, workers=1, ocr=False, timeout_s=5)
    assert summary.failures == [(shas["good.pdf"][:12], "timed out after 5 s")]
    assert summary.ok == 1  # the next document still ran, in a fresh worker


def test_killed_worker_fails_only_its_document(files: dict[str, Path], tmp_path: Path) -> None:
    import multiprocessing

    data_dir, shas = populate(tmp_path / "data", [files["long.pdf"], files["good.pdf"]])
    fifo = never_ending(data_dir, shas["long.pdf"])  # the larger: taken first
    killed: list[int] = []
    held: list[int] = []

    def kill_the_worker_inside(p: dict) -> None:
        """Called with each progress report: once the worker is inside the document, kill -9 it."""
        if killed or (fd := has_reader(fifo)) is None:
            return
        held.append(fd)  # open until the end: the worker never sees an end of file
        # Every live child: an earlier test's idle worker may still be exiting beside ours.
        for worker in [c for c in multiprocessing.active_children() if c.pid and c.is_alive()]:
            os.kill(worker.pid, signal.SIGKILL)
            killed.append(worker.pid)

    try:
        summary = extract_pending(data_dir, workers=1, ocr=False, progress=kill_the_worker_inside)
    finally:
        for fd in held:
            os.close(fd)
    assert killed
    assert summary.failures == [(shas["long.pdf"][:12], "worker killed (signal SIGKILL; out of memory? limit 1 GB)")], \
        summary
    assert summary.ok == 1  # the next document ran, in a fresh worker


def test_memory_bound(files: dict[str, Path], tmp_path: Path) -> None:
    data_dir, shas = populate(tmp_path / "data", [files["dense.pdf"], files["good.pdf"]])
    summary = extract_pending(data_dir, workers=1, ocr=False, memory_mb=24, timeout_s=60)
    assert summary.failures == [(shas["dense.pdf"][:12], "gave up: used more than 24 MB memory")], summary
    assert summary.ok == 1  # the next document ran in a fresh worker


def test_partly_scanned_document_is_ok_and_says_which_pages_lack_text(tmp_path: Path) -> None:
    import io

    from PIL import Image
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    from extract.pdf import extract_pdf

    buf = io.BytesIO()
    c = canvas.Canvas(buf, invariant=1)
    c.drawString(72, 720, "Budsjett og økonomiplan 2024-2027")
    c.showPage()
    c.drawImage(ImageReader(Image.new("L", (200, 100), 255)), 72, 500, 200, 100)
    c.showPage()
    c.save()
    path = tmp_path / "partly.pdf"
    path.write_bytes(buf.getvalue())
    result = extract_pdf(path, ocr=False)
    assert result.status == "ok" and result.page_count == 2
    assert result.error == "1 of 2 pages without text: no text layer; OCR is off"
