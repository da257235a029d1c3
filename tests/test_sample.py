"""The sample site must be what its truth.json says, over real loopback HTTP: its pages, every
document (the bad ones bad as declared), every document and meeting reachable from the landing
page, and builds that are cached, deterministic and different per variant. How the server answers
(failures, caching, its log, the Wayback replica) is in test_sample_server.py."""

from __future__ import annotations

import io
import json
import re
import shutil
import subprocess
import urllib.parse
import zipfile
from pathlib import Path

import pdfplumber
import pytest
from loopback import fetch

from sample import SampleServer, Truth, build, document_file, load_truth, serve
from sample.site import canonical
from sample.truth import GENERATOR_VERSION


def squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def page_text(data: bytes, page: int) -> str:
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        return pdf.pages[page - 1].extract_text() or ""


# ---------------------------------------------------------------- pages


def test_landing_page_has_accordion_and_link_texts(sample_server: SampleServer, sample_truth: Truth) -> None:
    status, headers, body = fetch(sample_server.landing_url)
    assert status == 200
    assert headers["Content-Type"] == "text/html; charset=utf-8"
    html = body.decode()
    for committee in ("Hovedutvalg for barn og unge", "Hovedutvalg for bistand og omsorg", "Eldrerådet"):
        assert f'<button class="accordion__button" aria-expanded="false">{committee}</button>' in html
        assert html.count(committee) == 1  # only in the heading
    assert html.count("Behandling:") == 6
    assert html.count("Spørsmål og innspill:") == 5
    for text in ("Her kan du lese vedtatt budsjett 2021. (pdf)", ">protokollen<", ">pdf<", ">her<", "Spørsmål og svar HBU (PDF,"):
        assert text in html
    assert "Link til budsjettbehandlingen i kommunestyret 2.desember 2020 ( Møteportalen)" in html
    assert f"{sample_server.portal_url}/innsyn/politikk/wfinnsyn.ashx?moteid=" in html
    assert "https://issuu.com/" in html
    assert "/intern/" in html
    assert sample_truth.archive_path in html


def test_archive_page_has_periods_and_renaming(sample_server: SampleServer, sample_truth: Truth) -> None:
    _, _, body = fetch(sample_server.main_url + sample_truth.archive_path)
    html = body.decode()
    for p in ("2016-2019", "2017-2020", "2018-2021", "2019-2022", "2020-2023"):
        assert f"Handlingsprogram {p}" in html
    assert "Budsjett og økonomiplan 2022-2025" in html
    assert "Rådmannens forslag" in html and "Kommunedirektørens forslag" in html


def test_every_html_page_is_served(sample_server: SampleServer, sample_truth: Truth) -> None:
    for path in sample_truth.html_pages:
        status, headers, _ = fetch(sample_server.main_url + path)
        assert status == 200, path
        assert headers["Content-Type"].startswith("text/html")


def test_meeting_page_fields_and_query_order(sample_server: SampleServer, sample_truth: Truth) -> None:
    meeting = next(m for m in sample_truth.portal_meetings if m["committee"] == "formannskapet")
    _, _, body = fetch(sample_server.portal_url + meeting["path"])
    html = body.decode()
    assert "Møte i Formannskapet den 18.11.2020" in html
    for field in ("Utvalg:", "Dato:", "Møtested:", "Sakskart", "Møteprotokoll", "Dokumenttype", "Saksfremlegg"):
        assert field in html
    assert "Møteinnkalling - Formannskapet - 18.11.2020 (Hoveddokument)" in html
    assert "Protokoll - Formannskapet 18 11 20 (Hoveddokument)" in html
    assert re.search(r"149/20 - 20/\d+ - Handlingsprogram 2021-2024 - Formannskapets innstilling", html)
    assert "Godkjenning av protokoll" in html
    assert re.search(r'href="wfdocument\.ashx\?journalpostid=\d+&amp;dokid=\d+&amp;versjon=1&amp;variant=A&amp;"', html)
    assert re.search(r'title="Hoveddokument \| \d+ KB"', html)
    swapped = f"/innsyn/politikk/wfinnsyn.ashx?moteid={meeting['moteid']}&response=mote"
    assert fetch(sample_server.portal_url + swapped)[2] == body


# ---------------------------------------------------------------- documents


def check_documents(server: SampleServer, truth: Truth) -> None:
    """Every truth document is served as declared and its planted text is on the declared page."""
    assert len(truth.documents) >= 30
    for doc in truth.documents:
        status, headers, data = fetch(server.url_for(doc))
        if doc.fail_first:
            assert status == 500, doc.key
            for _ in range(doc.fail_first - 1):
                assert fetch(server.url_for(doc))[0] == 500
            status, headers, data = fetch(server.url_for(doc))
        assert status == 200, doc.key
        assert headers["Content-Type"] == doc.content_type, doc.key
        assert int(headers["Content-Length"]) == len(data)
        assert headers["ETag"] and headers["Last-Modified"]
        if doc.status == "ok" and doc.media_type == "pdf":
            with pdfplumber.open(io.BytesIO(data)) as pdf:
                assert len(pdf.pages) == doc.pages, doc.key
                assert (pdf.metadata.get("Title") or None) == doc.pdf_title, doc.key
                for plant in doc.planted:
                    text = squash(pdf.pages[plant["page"] - 1].extract_text() or "")
                    assert squash(plant["text"]) in text, (doc.key, plant)
        if doc.media_type == "docx":
            with zipfile.ZipFile(io.BytesIO(data)) as z:
                xml = z.read("word/document.xml").decode()
            assert doc.planted and all(p["text"] in xml for p in doc.planted)


def test_every_document_is_served_as_declared(sample_server: SampleServer, sample_truth: Truth) -> None:
    check_documents(sample_server, sample_truth)


def test_truth_fields_use_the_contract_vocabulary(sample_truth: Truth) -> None:
    committees = {"kommunestyret", "formannskapet", "barn-og-unge", "bistand-og-omsorg", "miljo-idrett-og-kultur",
                  "eldreradet", "funksjonsnedsettelse", "ungdomsradet", "samarbeid", "planutvalget",
                  "kontrollutvalget"}  # fmt: skip
    doctypes = {"forslag", "innstilling", "vedtak", "protokoll", "saksframlegg", "sporsmal", "innspill", "notat", "annet"}
    keys = [d.key for d in sample_truth.documents]
    assert len(keys) == len(set(keys))
    for d in sample_truth.documents:
        assert d.committee is None or d.committee in committees, d.key
        assert d.doctype in doctypes, d.key
        assert d.period is None or re.fullmatch(r"(\d{4})-(\d{4})", d.period), d.key
        if d.period:
            assert d.year == int(d.period[:4]), d.key
        assert d.date is None or re.fullmatch(r"\d{4}-\d\d-\d\d", d.date), d.key
        assert d.status in {"ok", "no_text", "failed"}
        assert (d.status == "failed") == bool(d.error_contains), d.key
        assert d.link_text and d.source_page, d.key
    by_key = {d.key: d for d in sample_truth.documents}
    assert (by_key["forslag-cur"].committee, by_key["innstilling-cur"].committee) == (None, "formannskapet")
    assert by_key["vedtak-cur"].committee == "kommunestyret"
    assert {d.doctype for d in sample_truth.documents} >= doctypes - {"annet"}


def test_portal_documents_have_no_pdf_suffix(sample_truth: Truth) -> None:
    portal = [d for d in sample_truth.documents if d.host == "portal"]
    assert len(portal) >= 5
    for doc in portal:
        assert doc.path.startswith("/innsyn/politikk/wfdocument.ashx?journalpostid=")
        assert doc.path.endswith("&versjon=1&variant=A&")


def test_big_plan_has_tables_and_hyphenation(sample_server: SampleServer, sample_truth: Truth) -> None:
    doc = sample_truth.doc("vedtak-cur")
    assert doc.pages >= 150
    _, _, data = fetch(sample_server.url_for(doc))
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        assert pdf.metadata.get("Title") == doc.pdf_title
        for table in doc.tables:
            page = pdf.pages[table["page"] - 1]
            assert "Tall i mill. kroner" in page.extract_text()
            rows = page.extract_tables()[0]
            assert rows[0] == table["header"]
            assert rows[1] == table["first_row"]
        assert "barne-\nhagene" in pdf.pages[41].extract_text()
    assert re.match(r"-?\d{1,3}( \d{3})*,\d$", doc.tables[0]["first_row"][1])


def test_first_page_only_document(sample_truth: Truth, sample_server: SampleServer) -> None:
    doc = next(d for d in sample_truth.documents if d.link_text == "pdf" and d.doctype == "forslag")
    _, _, data = fetch(sample_server.url_for(doc))
    assert "Handlingsprogram 2019–2022" in page_text(data, 1)
    assert "Rådmannens forslag 26. september 2018" in page_text(data, 1)


def test_document_file_matches_what_is_served(sample_server: SampleServer, sample_dir: Path, sample_truth: Truth) -> None:
    for key in ("vedtak-cur", f"vedtak-{sample_truth.doc('vedtak-cur').year - 3}", "innspill-tom"):
        doc = sample_truth.doc(key)
        assert document_file(sample_dir, doc).read_bytes() == fetch(sample_server.url_for(doc))[2]
    gone = next(d for d in sample_truth.documents if d.only_in_wayback)
    assert document_file(sample_dir, gone).read_bytes() == fetch(sample_server.url_for(gone))[2]


# ---------------------------------------------------------------- bad documents


def test_bad_documents_fail_as_declared(sample_server: SampleServer, sample_truth: Truth) -> None:
    failed = {d.error_contains: d for d in sample_truth.documents if d.status == "failed"}
    assert set(failed) == {"corrupt", "encrypt", "html", "empty"}
    data = fetch(sample_server.url_for(failed["empty"]))[2]
    assert data == b""
    status, headers, data = fetch(sample_server.url_for(failed["html"]))
    assert status == 200 and headers["Content-Type"].startswith("text/html") and data.startswith(b"<!DOCTYPE html>")
    data = fetch(sample_server.url_for(failed["corrupt"]))[2]
    assert data.startswith(b"%PDF")
    with pytest.raises(Exception):  # noqa: B017 - pdfminer raises several types for broken files
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            [p.extract_text() for p in pdf.pages]
    data = fetch(sample_server.url_for(failed["encrypt"]))[2]
    with pytest.raises(Exception):  # noqa: B017
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            pdf.pages[0].extract_text()
    with pdfplumber.open(io.BytesIO(data), password="rokus") as pdf:
        assert len(pdf.pages) == 2


def test_scanned_pdf_has_no_text_layer(sample_server: SampleServer, sample_truth: Truth) -> None:
    doc = next(d for d in sample_truth.documents if d.status == "no_text")
    _, _, data = fetch(sample_server.url_for(doc))
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        assert len(pdf.pages) == 1
        assert not (pdf.pages[0].extract_text() or "").strip()
        assert len(pdf.pages[0].images) == 1


@pytest.mark.skipif(not shutil.which("tesseract"), reason="tesseract not installed")
def test_scanned_pdf_is_ocr_readable(sample_dir: Path, sample_truth: Truth, tmp_path: Path) -> None:
    pdfium = pytest.importorskip("pypdfium2")
    doc = next(d for d in sample_truth.documents if d.ocr)
    pdf = pdfium.PdfDocument(str(sample_dir / "files" / "main" / doc.path.lstrip("/")))
    pdf[0].render(scale=300 / 72).to_pil().save(tmp_path / "page.png")
    langs = subprocess.run(["tesseract", "--list-langs"], capture_output=True, text=True).stdout.split()
    lang = "nor" if "nor" in langs else "eng"
    out = subprocess.run(["tesseract", str(tmp_path / "page.png"), "-", "-l", lang], capture_output=True, text=True)
    assert squash(doc.planted[0]["text"]) in squash(out.stdout)


# ---------------------------------------------------------------- reachable


def crawl_links(server: SampleServer, start: str) -> set[str]:
    """Breadth-first over HTML on the main and portal hosts; returns every URL linked."""
    allowed = (server.main_url, server.portal_url)
    seen, queue = {start}, [start]
    while queue:
        url = queue.pop()
        status, headers, body = fetch(url)
        if status != 200 or not headers.get("Content-Type", "").startswith("text/html"):
            continue
        for href in re.findall(r'href="([^"]+)"', body.decode()):
            target = urllib.parse.urljoin(url, href.replace("&amp;", "&")).split("#")[0]
            if target not in seen and target.startswith(allowed) and "/intern/" not in target:
                seen.add(target)
                queue.append(target)
    return seen


def test_every_document_and_meeting_is_reachable_from_the_landing_page(
    sample_server: SampleServer, sample_truth: Truth
) -> None:
    check_reachable(sample_server, sample_truth)


def check_reachable(sample_server: SampleServer, sample_truth: Truth) -> None:
    reached = {canonical(urllib.parse.urlsplit(u).path + "?" + urllib.parse.urlsplit(u).query)
               for u in crawl_links(sample_server, sample_server.landing_url)}  # fmt: skip
    for doc in sample_truth.documents:
        if not doc.only_in_wayback:
            assert canonical(doc.path) in reached, doc.key
    for meeting in sample_truth.portal_meetings:
        assert canonical(meeting["path"]) in reached
    for item in sample_truth.skipped:
        assert canonical(item["path"]) in reached  # linked, but not to be kept
    html = "".join(
        fetch(f"{sample_server.wayback_url}/web/{p['timestamp']}id_/{sample_server.landing_url}")[2].decode()
        for p in sample_truth.wayback_pages
    )
    for doc in sample_truth.documents:
        if doc.only_in_wayback:
            assert f'href="{doc.path}"' in html


# ---------------------------------------------------------------- builds


def test_build_is_cached_and_deterministic(sample_dir: Path, tmp_path: Path) -> None:
    truth_file = sample_dir / "truth.json"
    stamp = truth_file.stat().st_mtime_ns
    build(sample_dir)
    assert truth_file.stat().st_mtime_ns == stamp
    again = build(tmp_path / "again")
    assert (again / "truth.json").read_bytes() == truth_file.read_bytes()
    for name in ("routes.json", "snapshots.json"):
        assert (again / name).read_bytes() == (sample_dir / name).read_bytes()
    for f in sorted((sample_dir / "files").rglob("*")):
        if f.is_file():
            assert (again / f.relative_to(sample_dir)).read_bytes() == f.read_bytes(), f
    assert json.loads(truth_file.read_text())["generator_version"] == GENERATOR_VERSION


def test_variant_differs_but_is_complete(sample_truth: Truth, sample_variant_dir: Path) -> None:
    variant = load_truth(sample_variant_dir)
    assert variant.variant == 1
    assert {d.path for d in variant.documents}.isdisjoint({d.path for d in sample_truth.documents})
    assert {d.link_text for d in variant.documents} != {d.link_text for d in sample_truth.documents}
    assert len(variant.documents) == len(sample_truth.documents)
    assert {d.doctype for d in variant.documents} == {d.doctype for d in sample_truth.documents}
    with serve(sample_variant_dir) as srv:
        check_documents(srv, variant)
        check_reachable(srv, variant)
        html = fetch(srv.landing_url)[2].decode()
    assert "Budsjett og økonomiplan 2022-2025" in html
    assert "accordion__button" not in html and "<summary>" in html  # another accordion markup
    assert variant.doc("forslag-cur").title.startswith("Kommunedirektørens forslag")
    assert {m["moteid"] for m in variant.portal_meetings}.isdisjoint({m["moteid"] for m in sample_truth.portal_meetings})


@pytest.mark.slow
@pytest.mark.parametrize("variant", [2, 3])
def test_more_variants_build_and_serve(variant: int, tmp_path: Path) -> None:
    dest = build(tmp_path / f"v{variant}", variant=variant)
    truth = load_truth(dest)
    assert truth.variant == variant
    with serve(dest) as srv:
        check_documents(srv, truth)
        check_reachable(srv, truth)
