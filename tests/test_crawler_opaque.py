"""Links that say what they are when their URLs do not: a document at an opaque address,
an archive page whose slug has no budget word. Served by a minimal loopback server."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from reportlab.pdfgen import canvas

import catalog
from catalog import DataDir, Filters
from crawler.documents import announces_file
from crawler.parent import crawl


def _pdf(lines: list[str]) -> bytes:
    import io

    buf = io.BytesIO()
    c = canvas.Canvas(buf, invariant=1)
    for i, line in enumerate(lines):
        c.drawString(72, 760 - 20 * i, line)
    c.showPage()
    c.save()
    return buf.getvalue()


LANDING = """<html><head><title>Budsjett og økonomiplan</title></head><body>
<h1>Budsjett og økonomiplan 2024-2027</h1>
<h2>Kommunedirektørens forslag</h2>
<p><a href="/dokument/4711">Kommunedirektørens forslag til budsjett og økonomiplan 2024-2027 (PDF, 2 MB)</a></p>
<p><a href="/arkiv/">Tidligere vedtatte budsjetter</a></p>
<p><a href="/bilde/logo">Logo</a> <a href="/om-oss/">Om kommunen</a></p>
</body></html>"""
ARCHIVE = """<html><head><title>Arkiv</title></head><body><h1>Tidligere vedtatte budsjetter</h1>
<ul><li><a href="/fil?id=99">Budsjett og økonomiplan 2023-2026 vedtatt | 812 KB</a></li></ul></body></html>"""
PAGES = {
    "/budsjett/": ("text/html; charset=utf-8", LANDING.encode()),
    "/arkiv/": ("text/html; charset=utf-8", ARCHIVE.encode()),
    "/dokument/4711": ("application/pdf", _pdf(["Budsjett og økonomiplan 2024-2027",
                                                "Kommunedirektørens forslag 27. september 2023"])),
    "/fil?id=99": ("application/octet-stream", _pdf(["Budsjett og økonomiplan 2023-2026",
                                                     "Vedtatt av kommunestyret 14. desember 2022"])),
    "/om-oss/": ("text/html", b"<html><body><a href='/dokument/1'>Annet</a></body></html>"),
    "/bilde/logo": ("image/png", b"\x89PNG\r\n\x1a\n"),
    "/robots.txt": ("text/plain", b"User-agent: *\nDisallow:\n"),
}


class _Handler(BaseHTTPRequestHandler):
    requested: list[str] = []

    def do_GET(self) -> None:  # the http.server API
        self.requested.append(self.path)
        ctype, body = PAGES.get(self.path, ("text/plain", b""))
        self.send_response(200 if self.path in PAGES else 404)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def opaque_site():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    _Handler.requested = []
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def test_documents_and_pages_found_by_what_their_links_say(opaque_site, tmp_path: Path) -> None:
    data = DataDir(tmp_path)
    crawl(data, start_urls=[f"{opaque_site}/budsjett/"], wayback=False, download_delay=0)
    versions = {v.url.removeprefix(opaque_site): v for v in catalog.list_versions(catalog.connect(data), Filters())}
    assert set(versions) == {"/dokument/4711", "/fil?id=99"}
    forslag, vedtak = versions["/dokument/4711"], versions["/fil?id=99"]
    assert (forslag.doctype, forslag.year, forslag.period, forslag.committee) == ("forslag", 2024, "2024-2027", None)
    assert (vedtak.doctype, vedtak.year, vedtak.committee) == ("vedtak", 2023, "kommunestyret")
    assert "/om-oss/" not in _Handler.requested  # no budget word in its URL or its link text


@pytest.mark.parametrize("text, expected", [
    ("Last ned (PDF, 4,4 MB)", True), ("Protokoll | 763 KB", True), ("Innspill (Word)", True),
    ("pdf", True), ("Tidligere vedtatte budsjetter", False), ("Pdfs er fine", False),
])
def test_announces_file(text: str, expected: bool) -> None:
    assert announces_file(text) is expected
