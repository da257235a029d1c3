"""The web's security points, each on its own (web/security.py, web/errors.py, web/params.py), in
process over the real sample archive and the hostile site: headers on every response, GET and HEAD
only, every id and number validated, errors as friendly pages without a traceback, hostile text
inert, and `hparkiv serve` on loopback unless told otherwise."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest
from processes import free_port, hparkiv, start_serve, stop_serve
from starlette.testclient import TestClient
from webpage import NB

from catalog import DataDir
from web import create_app
from web.templating import external_url


@pytest.mark.parametrize("path", ["/", "/search?q=sykehjem", "/status", "/doc/000000000000", "/nope",
                                  "/static/style.css", "/api/search?q=sykehjem"])
def test_every_response_has_a_csp_without_inline_script_and_nosniff(client, path):
    r = client.get(path)
    csp = r.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert "object-src 'none'" in csp and "frame-ancestors 'none'" in csp
    assert r.headers["x-content-type-options"] == "nosniff"


def test_pages_carry_no_inline_script_or_style(client, a_hit):
    for path in ("/", "/search?q=sykehjem", f"/doc/{a_hit['doc_id']}?page={a_hit['page']}&q=sykehjem",
                 "/trend?q=sykehjem", "/status"):
        html = client.get(path).text
        assert not re.search(r"<script(?![^>]*\bsrc=)", html), path
        assert not re.search(r"\son[a-z]+=", html) and " style=" not in html and "<style" not in html, path


@pytest.mark.parametrize("method", ["POST", "PUT", "DELETE", "PATCH", "OPTIONS", "TRACE"])
def test_only_get_and_head(client, method):
    r = client.request(method, "/search?q=sykehjem")
    assert r.status_code == 405 and r.headers["allow"] == "GET, HEAD"


def test_head_works(client):
    r = client.head("/search?q=sykehjem")
    assert r.status_code == 200 and r.content == b""


@pytest.mark.parametrize("doc_id", ["../../etc/passwd", "..%2F..%2Fcatalog.sqlite", "zzzzzzzzzzzz", "abc",
                                    "0" * 65, "5141e1ebe39c;rm", "%00"])
def test_bad_doc_ids_are_404_without_a_path(client, data_dir, doc_id):
    for path in (f"/doc/{doc_id}", f"/doc/{doc_id}/file", f"/api/doc/{doc_id}", f"/doc/{doc_id}/page/1.webp"):
        r = client.get(path)
        assert r.status_code == 404, path
        assert str(data_dir.root) not in r.text and "Traceback" not in r.text and "SQLite format" not in r.text


def test_page_numbers_and_widths_are_validated(client, a_hit):
    doc = a_hit["doc_id"]
    assert client.get(f"/doc/{doc}", params={"page": 99999}).status_code == 400
    assert client.get(f"/doc/{doc}", params={"page": "-1"}).status_code == 400
    assert client.get(f"/doc/{doc}/page/99999.webp").status_code == 404
    assert client.get(f"/doc/{doc}/page/0.webp").status_code == 404
    for width in (0, 199, 5000, 100000):
        assert client.get(f"/doc/{doc}/page/1.webp", params={"w": width}).status_code == 400
    assert client.get(f"/doc/{doc}/page/1.webp", params={"w": "1e9"}).status_code == 400


def test_no_directory_listing_and_no_escape_from_static(client):
    for path in ("/static/", "/static", "/static/..%2F..%2Fweb%2Fapp.py", "/static/../app.py", "/doc/",
                 "/renders/", "/files/"):
        r = client.get(path)
        assert r.status_code == 404, path
        assert "htmx-LICENSE" not in r.text and "from starlette" not in r.text


def test_vendored_htmx_is_served_with_its_licence(client):
    r = client.get("/static/htmx-2.0.4.min.js")
    assert r.status_code == 200 and "javascript" in r.headers["content-type"]
    assert "Zero-Clause BSD" in client.get("/static/htmx-LICENSE.txt").text or \
        "BSD" in client.get("/static/htmx-LICENSE.txt").text


def test_query_length_is_limited(client):
    long = "sykehjem " * 100
    for path in ("/search", "/api/search", "/trend", "/feed.atom"):
        r = client.get(path, params={"q": long})
        assert r.status_code == 400, path
    assert client.get("/search?q=" + "a" * 5000).status_code == 414


def test_a_crash_is_a_friendly_page_without_a_traceback(data_dir, monkeypatch):
    from web import queries

    def boom(*_a, **_k):
        raise RuntimeError("secret internals /etc/passwd")

    monkeypatch.setattr(queries, "search", boom)
    r = TestClient(create_app(data_dir), raise_server_exceptions=False).get("/search?q=x", headers=NB)
    assert r.status_code == 500 and "Noe gikk galt" in r.text
    assert "Traceback" not in r.text and "secret" not in r.text and "passwd" not in r.text
    assert r.headers["x-content-type-options"] == "nosniff"


def test_no_archive_is_a_friendly_page(tmp_path):
    c = TestClient(create_app(DataDir(tmp_path / "empty")), raise_server_exceptions=False)
    r = c.get("/search?q=sykehjem", headers=NB)
    assert r.status_code == 503 and "hparkiv update" in r.text
    assert not (tmp_path / "empty").exists()  # read-only: nothing created


def test_external_links_are_http_only():
    assert external_url("javascript:alert(1)") == "#"
    assert external_url(" JaVaScRiPt:alert(1)") == "#"
    assert external_url("data:text/html,<script>") == "#"
    assert external_url("https://www.baerum.kommune.no/a.pdf") == "https://www.baerum.kommune.no/a.pdf"


@pytest.fixture(scope="module")
def hostile_data(hostile_update) -> DataDir:
    """The hostile site crawled (conftest.hostile_update): this worker's copy."""
    return DataDir(hostile_update["data"])


def test_hostile_document_text_renders_inert(hostile_data):
    c = TestClient(create_app(hostile_data), raise_server_exceptions=False)
    docs = c.get("/api/documents").json()
    escapes = next(d for d in docs if d["url"].endswith("/escapes.pdf"))
    pages = [c.get("/search", params={"q": "script"}), c.get("/search", params={"q": "sykehjem"}),
             c.get(f"/doc/{escapes['doc_id']}"), c.get(f"/doc/{escapes['doc_id']}", params={"page": 1, "q": "fet"}),
             c.get("/status"), c.get("/")]
    for d in docs:
        pages.append(c.get(f"/doc/{d['doc_id']}"))
    for r in pages:
        assert r.status_code == 200, r.url
        assert "<script>alert" not in r.text and "<b>fet</b>" not in r.text and "\x1b" not in r.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in pages[3].text
    assert "<mark>fet</mark>" in pages[3].text
    feed = c.get("/feed.atom", params={"q": "sykehjem"})
    ET.fromstring(feed.content)  # well-formed whatever the titles hold
    # Every hostile PDF that extracted renders to an image (or a 404), never a crash.
    extracted = [d for d in docs if d["status"] == "ok"]
    assert extracted
    for d in extracted:
        assert c.get(f"/doc/{d['doc_id']}/page/1.webp").status_code in (200, 404)


# --- the command ----------------------------------------------------------------------------------


@pytest.mark.parametrize("host, warns", [("127.0.0.1", False), ("0.0.0.0", True)])
def test_serve_binds_loopback_by_default_and_warns_otherwise(data_dir, host, warns):
    proc, base = start_serve(data_dir.root, host=host)
    try:
        import httpx

        r = httpx.get(f"{base}/search?q=sykehjem", timeout=30)
        assert r.status_code == 200
    finally:
        err = stop_serve(proc)
    assert ("warning" in err or "advarsel" in err) == warns, err
    assert base.removeprefix("http://") in err and "Traceback" not in err


def test_serve_without_an_archive_is_one_line(tmp_path):
    proc = hparkiv(tmp_path / "none", "serve", "--port", str(free_port()))
    assert proc.returncode == 1 and proc.stderr.startswith("hparkiv: no archive") and "Traceback" not in proc.stderr
