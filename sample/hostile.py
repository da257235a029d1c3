"""A hostile little site on loopback: what a compromised or broken web server could serve.

One budget page links to documents that try path traversal, overlong URLs, poisoned
Content-Disposition names, non-PDFs served as PDF, PDFs built to exhaust a parser
(millions of pages, huge pages, deep nesting, cycles) and PDFs whose text carries
terminal escape sequences and HTML. `HOSTILE` says what each one is, for the tests.
"""

from __future__ import annotations

import threading
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

LANDING = "/politikk/handlingsprogram/"
ESCAPES = "\x1b[2J\x1b]0;pwned\x07\x1b[31m"


def pdf(objects: list[bytes], root: int = 1) -> bytes:
    """A PDF file from numbered object bodies (1-based), with a correct xref table."""
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for n, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % n + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % off for off in offsets)
    out += b"trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, root, xref)
    return bytes(out)


def _stream(data: bytes) -> bytes:
    packed = zlib.compress(data)
    return b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(packed) + packed + b"\nendstream"


def text_pdf(text: bytes, count: int = 1, media_box: bytes = b"[0 0 595 842]") -> bytes:
    """One page showing `text` (a PDF string body, octal escapes allowed); /Count may lie."""
    content = b"BT /F1 12 Tf 72 760 Td (" + text + b") Tj ET"
    return pdf([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count %d >>" % count,
        b"<< /Type /Page /Parent 2 0 R /MediaBox " + media_box + b" /Contents 4 0 R"
        b" /Resources << /Font << /F1 5 0 R >> >> >>",
        _stream(content),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ])


def cyclic_pdf() -> bytes:
    """A page tree whose Pages node lists itself as its own kid, and an object that is its own value."""
    return pdf([
        b"<< /Type /Catalog /Pages 2 0 R /Loop 4 0 R >>",
        b"<< /Type /Pages /Kids [2 0 R 3 0 R] /Count 2 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 5 0 R >>",
        b"4 0 R",
        b"<< /Length 5 0 R >>\nstream\nBT ET\nendstream",
    ])


def nested_pdf(depth: int = 200_000) -> bytes:
    """A page whose resources hold an array nested `depth` levels deep."""
    deep = b"[" * depth + b"]" * depth
    return pdf([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Deep " + deep + b" /Contents 4 0 R >>",
        _stream(b"BT ET"),
    ])


@dataclass(frozen=True)
class Hostile:
    """One hostile thing the landing page links to."""

    name: str
    href: str  # as it stands in the page's HTML
    body: bytes
    ctype: str = "application/pdf"
    headers: tuple[tuple[str, str], ...] = ()
    text: str = "Handlingsprogram 2021-2024 (pdf)"


ELF = b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 8 + b"\x02\x00\x3e\x00" + b"\x00" * 200
ZIP = b"PK\x03\x04\x14\x00\x00\x00\x08\x00" + b"\x00" * 20 + b"evil.sh" + b"\x00" * 100
GOOD = text_pdf(b"Sykehjemsplasser i handlingsprogrammet 2021-2024.")

HOSTILE: tuple[Hostile, ...] = (
    Hostile("dot-dot", "/globalassets/../../../../etc/passwd.pdf", text_pdf(b"Dot dot slash sykehjem.")),
    Hostile("encoded-traversal", "/globalassets/%2e%2e%2f%2e%2e%2fetc%2fshadow.pdf",
            text_pdf(b"Encoded traversal sykehjem.")),
    Hostile("double-encoded", "/globalassets/%252e%252e%252fboot.pdf", text_pdf(b"Double encoded sykehjem.")),
    Hostile("long-url", "/globalassets/" + "a" * 9000 + ".pdf", GOOD),
    Hostile("disposition-path", "/globalassets/disposition-1.pdf", text_pdf(b"Disposition path sykehjem."),
            headers=(("Content-Disposition", 'attachment; filename="../../../../tmp/hparkiv-evil.pdf"'),)),
    Hostile("disposition-control", "/globalassets/disposition-2.pdf", text_pdf(b"Disposition control sykehjem."),
            headers=(("Content-Disposition", "attachment; filename=\"a\x1b[31m\x07b/..\\\\c.pdf\""),)),
    Hostile("html-as-pdf", "/globalassets/html.pdf", b"<html><body><script>alert(1)</script></body></html>"),
    Hostile("zip-as-pdf", "/globalassets/zip.pdf", ZIP),
    Hostile("exe-as-pdf", "/globalassets/exe.pdf", ELF),
    Hostile("million-pages", "/globalassets/million.pdf", text_pdf(b"Million pages sykehjem.", count=10_000_000)),
    Hostile("huge-page", "/globalassets/huge.pdf",
            text_pdf(b"Huge page sykehjem.", media_box=b"[0 0 14400000 14400000]")),
    Hostile("nested", "/globalassets/nested.pdf", nested_pdf()),
    Hostile("cyclic", "/globalassets/cyclic.pdf", cyclic_pdf()),
    Hostile("escapes", "/globalassets/escapes.pdf",
            text_pdf(b"Sykehjem \\033[2J\\033]0;pwned\\007\\033[31mRED\\033[0m <script>alert(1)</script> "
                     b"<b>fet</b> \\015\\010 slutt")),
    Hostile("escape-link", "/globalassets/escape-link.pdf", text_pdf(b"Escape link sykehjem."),
            text=f"Handlingsprogram 2021-2024 {ESCAPES}<b>(pdf)</b>"),
)


def landing_html() -> bytes:
    """The budget page: one link per hostile thing, in a list under a heading."""
    from html import escape

    items = "".join(f'<li><a href="{escape(h.href)}">{escape(h.text)}</a></li>\n' for h in HOSTILE)
    return (
        "<!DOCTYPE html><html lang=\"nb\"><head><meta charset=\"utf-8\"><title>Handlingsprogram</title></head>"
        f"<body><h1>Handlingsprogram og budsjett</h1><h2>Handlingsprogram 2021-2024</h2><ul>\n{items}</ul>"
        "</body></html>"
    ).encode()


def _route(path: str) -> Hostile | None:
    """The hostile thing a request path names (after the client's own normalisation, if any)."""
    for h in HOSTILE:
        if path == h.href:
            return h
    from posixpath import normpath

    for h in HOSTILE:
        if path == normpath(h.href):
            return h
    return None


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: object) -> None:
        """Quiet."""

    def do_GET(self) -> None:
        self.server.paths.append(self.path)  # type: ignore[attr-defined]
        if self.path == "/robots.txt":
            self._send(200, b"User-agent: *\nDisallow:\n", "text/plain")
        elif self.path == LANDING:
            self._send(200, landing_html(), "text/html; charset=utf-8")
        elif (h := _route(self.path)) is not None:
            self._send(200, h.body, h.ctype, h.headers)
        else:
            self._send(404, b"not found", "text/plain")

    def _send(self, status: int, body: bytes, ctype: str, headers: tuple[tuple[str, str], ...] = ()) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for k, v in headers:
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(body)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    paths: list[str]

    def handle_error(self, request: object, client_address: object) -> None:
        pass


@contextmanager
def serve_hostile(host: str = "127.0.0.1") -> Iterator[str]:
    """Serve the hostile site on a free port; yields the landing page's URL."""
    httpd = _Server((host, 0), _Handler)
    httpd.paths = []
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield f"http://{host}:{httpd.server_address[1]}{LANDING}"
    finally:
        httpd.shutdown()
        httpd.server_close()
