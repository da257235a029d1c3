"""The web UI, in process (Starlette's TestClient) over the real sample archive: every route,
every export against the CLI's, and each security point on its own."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path

import pytest
from markupsafe import escape
from processes import free_port, hparkiv, start_serve, stop_serve
from starlette.testclient import TestClient

import catalog
from catalog import DataDir
from i18n import translations
from present.labels import provenance
from web import create_app
from web.templating import external_url

ATOM = "{http://www.w3.org/2005/Atom}"
NB = {"Accept-Language": "nb-NO,nb;q=0.9"}
EN = {"Accept-Language": "en"}


@pytest.fixture(scope="module")
def data_dir(archive) -> DataDir:
    return DataDir(Path(archive[0]))


@pytest.fixture(scope="module")
def client(data_dir) -> TestClient:
    return TestClient(create_app(data_dir), raise_server_exceptions=False)


@pytest.fixture(scope="module")
def a_hit(client) -> dict:
    """The best page for `sykehjem`: a PDF page with the word and its compounds."""
    return client.get("/api/search", params={"q": "sykehjem", "size": 1}).json()["hits"][0]


class Links(HTMLParser):
    """Every href and src on a page, and the text inside <mark>."""

    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []
        self.srcs: list[str] = []
        self.marks: list[str] = []
        self._in_mark = 0

    def handle_starttag(self, tag, attrs):
        d = dict(attrs)
        if "href" in d:
            self.hrefs.append(d["href"])
        if "src" in d:
            self.srcs.append(d["src"])
        if tag == "mark":
            self._in_mark += 1
            self.marks.append("")

    def handle_endtag(self, tag):
        if tag == "mark":
            self._in_mark -= 1

    def handle_data(self, data):
        if self._in_mark:
            self.marks[-1] += data


def parsed(html: str) -> Links:
    p = Links()
    p.feed(html)
    return p


def cli_json(data_dir: DataDir, *args: str):
    proc = hparkiv(data_dir.root, *args)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


# --- pages -----------------------------------------------------------------------------------


def test_home_shows_what_the_archive_holds(client, data_dir):
    r = client.get("/", headers=NB)
    assert r.status_code == 200 and 'lang="nb"' in r.text
    status = cli_json(data_dir, "status", "--format", "json")
    assert f"{status['documents']} dokumenter" in r.text
    assert status["by_year"]
    for year in status["by_year"]:
        assert f"<td>{year}</td>" in r.text
    assert "Sist oppdatert" in r.text and 'action="/search"' in r.text


def test_search_groups_hits_by_document_with_marks_pages_and_thumbnails(client):
    r = client.get("/search", params={"q": "sykehjem"}, headers=NB)
    assert r.status_code == 200
    page = parsed(r.text)
    assert page.marks and all("sykehjem" in m.lower() for m in page.marks)
    total = int(re.search(r"(\d+) sider treffer", r.text).group(1))
    assert total > 20 and "viser 1–20" in r.text
    assert any(re.fullmatch(r"/doc/[0-9a-f]{12}\?page=\d+&q=sykehjem", h) for h in page.hrefs)
    thumbs = [s for s in page.srcs if s.endswith(".webp?w=200")]
    assert thumbs and re.search(r"Side \d+", r.text)
    # Grouped: fewer document headings than page hits.
    assert r.text.count('class="doc"') < r.text.count('class="pagehit"') == 20


def test_facets_narrow_the_search_and_can_be_removed(client):
    r = client.get("/search", params={"q": "sykehjem"}, headers=NB)
    narrow = next(h for h in parsed(r.text).hrefs if "year=" in h and h.startswith("/search"))
    year = re.search(r"year=(\d{4})", narrow).group(1)
    r2 = client.get(narrow, headers=NB)
    n_all = int(re.search(r"(\d+) sider treffer", r.text).group(1))
    n_year = int(re.search(r"(\d+) sider treffer", r2.text).group(1))
    assert 0 < n_year < n_all
    remove = [h for h in parsed(r2.text).hrefs if h.startswith("/search") and "year=" not in h and "sort" not in h]
    assert "/search?q=sykehjem" in remove, remove
    assert f"Budsjettår: {year}" in r2.text


def test_paging_and_page_size_limits(client):
    first = parsed(client.get("/search", params={"q": "kommune"}).text)
    second = client.get("/search", params={"q": "kommune", "page": 2})
    assert second.status_code == 200 and 'rel="prev"' in second.text
    assert set(parsed(second.text).hrefs) != set(first.hrefs)
    assert client.get("/search", params={"q": "kommune", "size": 101}).status_code == 400
    assert client.get("/search", params={"q": "kommune", "page": 0}).status_code == 400
    assert client.get("/search", params={"q": "kommune", "page": "x"}).status_code == 400


def test_sort_newest_and_oldest(client):
    def when(sort):  # the document's date, else its budget year (an Årsrapport 2019 is dated March 2020)
        hits = client.get("/api/search", params={"q": "budsjett", "sort": sort}).json()["hits"]
        return [h["date"] or f"{h['year']:04d}" for h in hits if h["date"] or h["year"]]

    newest, oldest = when("newest"), when("oldest")
    assert newest == sorted(newest, reverse=True) and oldest == sorted(oldest)
    assert newest[0] > oldest[0]
    assert client.get("/search", params={"q": "budsjett", "sort": "random"}).status_code == 400


def test_zero_hits_suggest_dropping_a_filter_or_a_word(client, data_dir):
    years = cli_json(data_dir, "status", "--format", "json")["by_year"]
    # A budget year without the word: every year of the sample mentions it, so the year before the archive.
    word = "demenslandsby"
    found = client.get("/api/search", params={"q": word}).json()["facets"]["year"]
    empty = next((y for y in years if y.isdigit() and y not in found),
                 str(min(int(y) for y in years if y.isdigit()) - 1))
    r = client.get("/search", params={"q": word, "year": empty}, headers=NB)
    assert r.status_code == 200 and "Ingen sider treffer" in r.text
    assert f"uten filteret Budsjettår: {empty}" in r.text
    r = client.get("/search", params={"q": "sykehjem zqxwv"}, headers=NB)
    assert r.status_code == 200 and "Ingen sider treffer" in r.text and "uten ordet zqxwv" in r.text
    assert "/search?q=sykehjem" in parsed(r.text).hrefs


def test_bad_query_is_shown_inline_with_status_400(client):
    r = client.get("/search", params={"q": "sykehjem AND (", "lang": "en"})
    assert r.status_code == 400
    assert 'role="alert"' in r.text and "Bad query" in r.text and 'name="q"' in r.text


def test_htmx_request_gets_only_the_results(client):
    r = client.get("/search", params={"q": "sykehjem"}, headers={"HX-Request": "true", "HX-Target": "results"})
    assert r.status_code == 200 and "<html" not in r.text and 'class="pagehit"' in r.text


def test_document_page_metadata_provenance_links_versions_thumbnails(client, data_dir, a_hit):
    r = client.get(f"/doc/{a_hit['doc_id']}", headers=NB)
    assert r.status_code == 200
    shown = cli_json(data_dir, "show", a_hit["doc_id"], "--format", "json")
    assert shown["provenance"]
    for how in shown["provenance"].values():  # in the page's language, its quoted evidence as found
        assert str(escape(provenance(how, translations("nb").gettext))) in r.text
    assert "Hvordan det ble bestemt" in r.text
    page = parsed(r.text)
    assert shown["url"] in page.hrefs
    assert any(link["source_page"] in page.hrefs for link in shown["links"])
    thumbs = [s for s in page.srcs if re.fullmatch(rf"/doc/{a_hit['doc_id']}/page/\d+\.webp\?w=200", s)]
    assert len(thumbs) == shown["pages"]
    assert f"/doc/{a_hit['doc_id']}/file" in page.hrefs and "gjeldende versjon" in r.text


def test_superseded_versions_are_listed_and_marked(archive, tmp_path, a_hit):
    """A changed file at the same URL (recorded as the crawler records it) supersedes the old one;
    both pages show the history, the old one marked."""
    import shutil

    data = DataDir(tmp_path / "data")
    shutil.copytree(archive[0], data.root, symlinks=True)
    conn = catalog.connect(data)
    old = catalog.find_version(conn, a_hit["doc_id"])
    body = data.file_path(old.sha256).read_bytes() + b"\n% changed by the municipality\n"
    new_sha = data.store_bytes(body)
    assert catalog.record_version(conn, url=old.url, sha256=new_sha, size=len(body), media_type="pdf",
                                  content_type="application/pdf", etag=None, last_modified=None,
                                  meta={}, provenance={}) == "changed"
    conn.close()
    c = TestClient(create_app(data))
    r_old = c.get(f"/doc/{old.doc_id}", headers=NB)
    assert "erstattet" in r_old.text and f"/doc/{new_sha[:12]}" in parsed(r_old.text).hrefs
    r_new = c.get(f"/doc/{new_sha[:12]}", headers=NB)
    assert f"/doc/{old.doc_id}" in parsed(r_new.text).hrefs and "gjeldende versjon" in r_new.text


def test_download_our_copy_has_the_bytes_type_and_a_clean_name(client, data_dir, a_hit):
    r = client.get(f"/doc/{a_hit['doc_id']}/file")
    assert r.status_code == 200 and r.headers["content-type"] == "application/pdf"
    assert hashlib.sha256(r.content).hexdigest().startswith(a_hit["doc_id"])
    name = re.search(r'filename="([^"]+)"', r.headers["content-disposition"]).group(1)
    assert re.fullmatch(r"[A-Za-z0-9._-]+\.pdf", name) and a_hit["doc_id"] in name


def test_page_view_highlights_the_matched_words_on_the_image_and_in_the_text(client, a_hit):
    r = client.get(f"/doc/{a_hit['doc_id']}", params={"page": a_hit["page"], "q": "sykehjem"}, headers=NB)
    assert r.status_code == 200
    rects = re.findall(r'<rect class="hl" [^>]*><title>([^<]+)</title>', r.text)
    assert rects and all("sykehjem" in w.lower() for w in rects)
    marks = parsed(r.text).marks
    assert {w.lower() for w in rects} <= {m.lower() for m in marks}
    # Compound parts count, as in the search: "sykehjemsplasser" is marked for "sykehjem".
    assert any(m.lower() != "sykehjem" for m in marks)
    assert f"/doc/{a_hit['doc_id']}/page/{a_hit['page']}.webp?w=1000" in r.text
    assert f"{a_hit['url']}#page={a_hit['page']}" in parsed(r.text).hrefs


def test_page_view_steps_between_hits_in_the_document(client, data_dir, a_hit):
    pages = sorted({h["page"] for h in cli_json(data_dir, "search", "sykehjem", "--format", "json")["hits"]
                    if h["doc_id"] == a_hit["doc_id"]})
    assert len(pages) > 1
    r = client.get(f"/doc/{a_hit['doc_id']}", params={"page": pages[0], "q": "sykehjem"})
    nxt = re.search(r'id="next-hit" href="([^"]+)"', r.text).group(1).replace("&amp;", "&")
    assert f"page={pages[1]}&" in nxt
    r2 = client.get(nxt)
    prev = re.search(r'id="prev-hit" href="([^"]+)"', r2.text).group(1).replace("&amp;", "&")
    assert f"page={pages[0]}&" in prev


def test_page_tables_as_html_and_csv_equal_to_the_cli(client, data_dir):
    conn = catalog.connect_readonly(data_dir)
    row = conn.execute("SELECT v.doc_id, t.page FROM tables t JOIN versions v USING (sha256) "
                       "WHERE t.caption IS NOT NULL AND t.unit IS NOT NULL LIMIT 1").fetchone()
    conn.close()
    r = client.get(f"/doc/{row['doc_id']}", params={"page": row["page"]}, headers=EN)
    assert '<table class="data">' in r.text
    captions = re.findall(r"<caption>(.*?)</caption>", r.text, re.S)
    conn = catalog.connect_readonly(data_dir)
    found = catalog.tables_of(conn, catalog.find_version(conn, row["doc_id"]).sha256, row["page"])
    conn.close()
    assert found and len(captions) == len(found)
    for t, caption in zip(found, captions, strict=True):  # numbered as the CSV, with caption and unit
        # ours, or the document's own of the same number ("Tabell 1 Hovedtall"), never both
        assert caption.startswith((f"Table {t.index + 1}", f"Tabell {t.index + 1} ")), caption
        assert not caption.startswith(f"Table {t.index + 1}: Tabell {t.index + 1} ")
        for part in (t.caption, t.unit):
            assert part is None or str(escape(part)) in caption
    if any(v is not None for t in found for row in t.values for v in row):
        assert '<td class="num">' in r.text  # amounts right-aligned
    web = client.get(f"/doc/{row['doc_id']}/tables.csv", params={"page": row["page"]})
    assert web.headers["content-type"].startswith("text/csv")
    proc = hparkiv(data_dir.root, "tables", row["doc_id"], "--page", str(row["page"]), "--format", "csv")
    assert web.text.replace("\r\n", "\n") == proc.stdout.replace("\r\n", "\n") != ""


def test_page_images_are_cached_webp_and_thumbnails_small(client, data_dir, a_hit):
    url = f"/doc/{a_hit['doc_id']}/page/{a_hit['page']}.webp"
    r = client.get(url, params={"w": 200})
    assert r.status_code == 200 and r.headers["content-type"] == "image/webp"
    assert r.content[:4] == b"RIFF" and r.content[8:12] == b"WEBP" and len(r.content) < 30_000
    cached = list(data_dir.renders.rglob(f"*-{a_hit['page']}-200.webp"))
    assert cached and cached[0].read_bytes() == r.content
    assert client.get(url, params={"w": 1000}).status_code == 200


def test_trend_is_an_svg_chart_with_title_desc_table_and_links(client, data_dir):
    r = client.get("/trend", params={"q": "barnehage"}, headers=NB)
    assert r.status_code == 200
    svg = re.search(r"<svg class=\"chart\".*?</svg>", r.text, re.S).group()
    assert "<title" in svg and "<desc" in svg
    rows = cli_json(data_dir, "trend", "barnehage", "--format", "json")["years"]
    assert any(row["pages"] for row in rows)
    for row in rows:
        assert f'href="/search?q=barnehage&amp;year={row["year"]}"' in svg
        assert f'<td class="num">{row["pages"]}</td>' in r.text
    assert "/api/trend?q=barnehage&amp;format=csv" in r.text


def test_status_page_shows_runs_and_failures(client, data_dir):
    r = client.get("/status", headers=NB)
    status = cli_json(data_dir, "status", "--format", "json")
    assert r.status_code == 200 and "Siste kjøringer" in r.text
    assert status["failures"], "the sample has documents that fail"
    for f in status["failures"]:
        assert f["url"] in r.text.replace("&amp;", "&")


def test_each_html_view_links_to_its_export(client, a_hit):
    assert "/api/search?q=sykehjem&amp;format=csv" in client.get("/search", params={"q": "sykehjem"}).text
    assert f"/api/doc/{a_hit['doc_id']}" in client.get(f"/doc/{a_hit['doc_id']}").text
    assert "/api/status" in client.get("/status").text
    assert "/api/documents?format=csv" in client.get("/").text


# --- exports ------------------------------------------------------------------------------------


def test_api_search_json_is_the_cli_shape_and_csv_jsonl_equal_the_cli(client, data_dir):
    cli = cli_json(data_dir, "search", "kommune", "--format", "json")
    web = client.get("/api/search", params={"q": "kommune"}).json()
    assert web == cli
    proc = hparkiv(data_dir.root, "search", "kommune", "--format", "csv")
    csv_web = client.get("/api/search", params={"q": "kommune", "format": "csv"})
    assert 'filename="search.csv"' in csv_web.headers["content-disposition"]
    assert list(csv.reader(io.StringIO(csv_web.text))) == list(csv.reader(io.StringIO(proc.stdout)))
    lines = client.get("/api/search", params={"q": "kommune", "format": "jsonl"}).text.splitlines()
    assert len(lines) == cli["total"]


def test_exports_have_no_cap(client, data_dir, monkeypatch):
    """More hits than one chunk of the streaming export: every row still comes."""
    from web import queries

    monkeypatch.setattr(queries, "CHUNK", 7)
    total = client.get("/api/search", params={"q": "kommune", "size": 1}).json()["total"]
    rows = client.get("/api/search", params={"q": "kommune", "format": "jsonl"}).text.splitlines()
    assert len(rows) == total > 7
    assert len({(json.loads(r)["doc_id"], json.loads(r)["page"]) for r in rows}) == total


def test_api_documents_doc_and_trend_equal_the_cli(client, data_dir, a_hit):
    assert client.get("/api/documents").json() == cli_json(data_dir, "list", "--format", "json")
    listed = client.get("/api/documents", params={"year": "2021", "type": "forslag", "format": "csv"}).text
    proc = hparkiv(data_dir.root, "list", "--year", "2021", "--type", "forslag", "--format", "csv")
    assert list(csv.reader(io.StringIO(listed))) == list(csv.reader(io.StringIO(proc.stdout)))
    doc = client.get(f"/api/doc/{a_hit['doc_id']}", params={"page": a_hit["page"]}).json()
    assert doc == cli_json(data_dir, "show", a_hit["doc_id"], "--page", str(a_hit["page"]), "--format", "json")
    assert client.get("/api/trend", params={"q": "barnehage"}).json() == \
        cli_json(data_dir, "trend", "barnehage", "--format", "json")


def test_atom_feed_lists_matching_documents_newest_first(client, data_dir):
    r = client.get("/feed.atom", params={"q": "sykehjem"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/atom+xml")
    feed = ET.fromstring(r.content)
    entries = feed.findall(f"{ATOM}entry")
    docs = {h["doc_id"] for h in cli_json(data_dir, "search", "sykehjem", "--format", "json")["hits"]}
    assert len(entries) == len(docs)
    updated = [e.find(f"{ATOM}updated").text for e in entries]
    assert updated == sorted(updated, reverse=True)
    link = entries[0].find(f"{ATOM}link").get("href")
    assert re.fullmatch(r"http://testserver/doc/[0-9a-f]{12}\?page=\d+&q=sykehjem", link)


# --- language -----------------------------------------------------------------------------------


def test_bokmal_by_default_and_english_on_request(client):
    assert "Søk i budsjettdokumentene" in client.get("/").text
    assert "Søk i budsjettdokumentene" in client.get("/", headers={"Accept-Language": "nn-NO"}).text
    assert "Search the budget documents" in client.get("/", headers=EN).text
    r = client.get("/search", params={"q": "sykehjem", "lang": "en"}, headers=NB)
    assert "Search the budget documents" in r.text
    assert 'href="/doc/' in r.text and "lang=en" in re.search(r'href="(/doc/[^"]+)"', r.text).group(1)


def test_every_web_message_has_a_bokmal_translation():
    from babel.messages.extract import extract_from_dir

    from i18n import translations

    nb = translations("nb")
    web_dir = Path(__file__).parents[1] / "web"
    method_map = [("templates/**.html", "jinja2"), ("templates/**.xml", "jinja2")]
    missing = [msg for _file, _line, msg, _comments, _ctx in extract_from_dir(web_dir, method_map)
               if isinstance(msg, str) and nb.gettext(msg) == msg and msg not in {"Status", "Type", "status", "Per type"}]
    assert not missing, missing


# --- security -----------------------------------------------------------------------------------


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


def test_check_knows_the_render_cache_and_repair_cleans_it(archive, tmp_path, a_hit):
    import shutil

    data = tmp_path / "data"
    shutil.copytree(archive[0], data, symlinks=True)
    c = TestClient(create_app(DataDir(data)))
    assert c.get(f"/doc/{a_hit['doc_id']}/page/1.webp").status_code == 200
    kept = next(DataDir(data).renders.rglob("*.webp"))
    orphan = DataDir(data).renders / "ff" / ("f" * 64 + "-1-200.webp")
    orphan.parent.mkdir(parents=True)
    orphan.write_bytes(b"RIFF")
    proc = hparkiv(data, "check")
    assert proc.returncode == 1 and "stray page image:" in proc.stdout, proc.stdout
    proc = hparkiv(data, "check", "--repair")
    assert "(repaired)" in proc.stdout and not orphan.exists() and kept.exists()
    assert hparkiv(data, "check").returncode == 0


def test_concurrent_searches_agree(client):
    """The server answers from many threads at once; the index's shared file reads must not garble."""
    from concurrent.futures import ThreadPoolExecutor

    queries = ["sykehjem", "barnehage", "budsjett", "kommune", '"Carpe Diem"', "skole"] * 4
    expected = {q: client.get("/api/search", params={"q": q, "format": "jsonl"}).text for q in set(queries)}
    assert all(expected.values()), "every query finds something to garble"
    with ThreadPoolExecutor(8) as pool:
        got = list(pool.map(lambda q: (q, client.get("/api/search", params={"q": q, "format": "jsonl"})), queries))
    for q, r in got:
        assert r.status_code == 200 and r.text == expected[q], q


def test_series_page_chart_table_and_exports_equal_the_cli(client, data_dir):
    r = client.get("/series", params={"label": "Netto driftsresultat"}, headers=NB)
    assert r.status_code == 200 and '<svg class="chart lines"' in r.text and "<desc" in r.text
    assert '<table class="data">' in r.text and "/api/series?label=Netto+driftsresultat&amp;format=csv" in r.text
    cli = cli_json(data_dir, "series", "Netto driftsresultat", "--format", "json")
    assert client.get("/api/series", params={"label": "Netto driftsresultat"}).json() == cli
    web_csv = client.get("/api/series", params={"label": "Netto driftsresultat", "format": "csv"}).text
    proc = hparkiv(data_dir.root, "series", "Netto driftsresultat", "--format", "csv")
    assert list(csv.reader(io.StringIO(web_csv))) == list(csv.reader(io.StringIO(proc.stdout)))
    assert client.get("/series", params={"label": "zqxwv finnes ikke"}).status_code == 404
    assert client.get("/api/series").status_code == 400


# --- decisions (/vedtak) ----------------------------------------------------------------------


def test_vedtak_page_shows_each_decision_with_votes_and_a_link_to_its_page(client, data_dir):
    cli = cli_json(data_dir, "vedtak", "--format", "json")
    assert cli["total"] > 0
    r = client.get("/vedtak", headers=NB)
    assert r.status_code == 200 and "Vedtak og voteringer" in r.text and 'aria-current="page"' in r.text
    assert f"Vedtak funnet: {cli['total']}" in r.text
    hrefs = parsed(r.text).hrefs
    for d in cli["decisions"][:20]:
        assert f"/doc/{d['doc_id']}?page={d['page']}" in hrefs
        assert str(escape(d["title"] or d["section"])) in r.text
        if d["decision"]:
            assert str(escape(d["decision"])) in r.text
        for p in d["proposals"]:
            assert str(escape(f"Forslag fra {p['by']}")) in r.text
    voted = [v for d in cli["decisions"][:20] for v in d["votes"] if v["parsed"] and v["parties_against"]]
    assert voted, "the sample's first decisions carry votes with parties named"
    assert "mot: " in r.text and "vedtatt" in r.text
    # English on request, and the page links to its export
    en = client.get("/vedtak", params={"lang": "en"})
    assert "Decisions and votes" in en.text and "/api/vedtak?format=csv" in en.text.replace("&amp;", "&").replace("lang=en&", "")


def test_api_vedtak_equals_the_cli_json_and_streams_csv_and_jsonl(client, data_dir):
    for args, params in (([], {}), (["sykehjem"], {"q": "sykehjem"}), (["--year", "2021"], {"year": "2021"})):
        cli = cli_json(data_dir, "vedtak", *args, "--format", "json")
        assert client.get("/api/vedtak", params=params).json() == cli
    cli = cli_json(data_dir, "vedtak", "--format", "json")
    lines = client.get("/api/vedtak", params={"format": "jsonl"}).text.splitlines()
    assert [json.loads(line) for line in lines] == cli["decisions"]
    web_csv = client.get("/api/vedtak", params={"format": "csv"})
    assert web_csv.headers["content-type"].startswith("text/csv") and "vedtak.csv" in web_csv.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(web_csv.text)))
    assert len(rows) == cli["total"]
    assert [(r["doc_id"], r["case"], r["title"]) for r in rows] == [(d["doc_id"], d["case"] or "", d["title"] or "") for d in cli["decisions"]]


def test_vedtak_party_and_outcome_filters_equal_the_cli(client, data_dir):
    everything = cli_json(data_dir, "vedtak", "--format", "json")
    lost = cli_json(data_dir, "vedtak", "--party", "Ap", "--outcome", "falt", "--format", "json")
    assert 0 < lost["total"] < everything["total"]
    assert client.get("/api/vedtak", params={"party": "Ap", "outcome": "falt"}).json() == lost
    r = client.get("/vedtak", params={"party": "Ap", "outcome": "falt", "lang": "en"})
    assert r.status_code == 200 and f"Decisions found: {lost['total']}" in r.text
    assert '<option value="falt" selected>' in r.text and 'name="party" value="Ap"' in r.text
    adopted = cli_json(data_dir, "vedtak", "--outcome", "vedtatt", "--format", "json")
    assert client.get("/api/vedtak", params={"outcome": "vedtatt"}).json() == adopted


@pytest.mark.parametrize("params", [{"outcome": "kanskje"}, {"party": "Piratpartiet zzz"}, {"q": "vedtak AND ("},
                                    {"year": "tjue"}, {"page": "0"}])
def test_vedtak_bad_input_is_400_inline_and_in_the_api(client, params):
    r = client.get("/vedtak", params=params | {"lang": "en"})
    assert r.status_code == 400 and 'role="alert"' in r.text and "Bad " in r.text
    assert 'name="q"' in r.text and "Decisions found" not in r.text  # the form stays, no results
    if "page" not in params:
        api = client.get("/api/vedtak", params=params)
        assert api.status_code == 400 and "error" in api.json()


def test_vedtak_zero_hits_suggests_dropping_a_filter(client):
    r = client.get("/vedtak", params={"q": "sykehjem", "party": "Ap", "year": "1999", "lang": "en"})
    assert r.status_code == 200 and "No decisions match." in r.text and "Decisions found: 0" in r.text
    hrefs = [h.replace("&amp;", "&") for h in parsed(r.text).hrefs]
    assert "/vedtak?q=sykehjem&party=Ap&lang=en" in hrefs
    assert "Year: 1999" in r.text and "the words: sykehjem" in r.text


def test_vedtak_escapes_a_hostile_query_and_party(client):
    hostile = '<script>alert(1)</script>"><img src=x onerror=alert(2)>'
    for params in ({"q": hostile}, {"party": hostile}, {"committee": hostile}):
        r = client.get("/vedtak", params=params)
        assert "<script>alert" not in r.text and "<img src=x" not in r.text
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in r.text


# --- the budget model: /prosess and /series ----------------------------------------------------------


def test_process_page_steps_changes_bars_and_downloads(client, data_dir, sample_truth):
    bp = next(bp for bp in sample_truth.budget_processes if bp["decisions"])
    r = client.get(f"/prosess/{bp['budget_year']}", headers=NB)
    assert r.status_code == 200
    html = r.text
    steps = re.search(r'<ol class="timeline">(.*?)</ol>', html, re.S).group(1)
    assert steps.count("<h3>") == 7
    for title in ("Forslaget", "Partienes spørsmål", "Innspill", "Behandling i hovedutvalgene",
                  "Formannskapets innstilling", "Offentlig ettersyn", "Kommunestyrets vedtak"):
        assert title in steps
    cli = cli_json(data_dir, "endringer", str(bp["budget_year"]), "--format", "json")
    for s in cli["stages"]:
        assert f'href="/doc/{s["doc_id"]}"' in steps
    bars = re.findall(r'<svg class="changebar".*?</svg>', html, re.S)
    changed = [ln for ln in cli["lines"] if ln["changed"]]
    assert len(bars) == len(changed)
    assert 'class="up"' in html and 'class="down"' in html  # green up, red down ...
    assert '<span class="dir up">opp</span>' in html and '<span class="dir down">ned</span>' in html  # ... and said
    assert "+4 000 000 kr" in html and "-1 500 000 kr" in html  # changes in kroner
    assert "≠" in html and "dokumentene er uenige" in html
    assert "<del>" in html and "<ins>" in html  # the word diff of a changed text decision
    for fmt in ("csv", "xlsx"):
        assert f"/api/endringer/{bp['period']}?format={fmt}" in html
    web_csv = client.get(f"/api/endringer/{bp['period']}", params={"format": "csv"}).text
    assert web_csv == hparkiv(data_dir.root, "endringer", bp["period"], "--format", "csv", check=True).stdout
    assert client.get(f"/api/endringer/{bp['period']}").json() == cli
    assert not re.search(r"<script(?![^>]*\bsrc=)", html) and " style=" not in html


def test_process_page_says_which_steps_have_no_document(client, sample_truth):
    bp = next(bp for bp in sample_truth.budget_processes if bp["missing_steps"])
    html = client.get(f"/prosess/{bp['period']}", headers=NB).text
    assert html.count('<li class="empty">') == len(bp["missing_steps"])
    assert html.count("Ingen dokumenter i arkivet.") == len(bp["missing_steps"])
    assert client.get("/prosess/1999").status_code == 404 and client.get("/prosess/abc").status_code == 404
    assert client.get("/prosess/2021-2023").status_code == 404


def test_process_is_linked_from_home_and_from_every_stage_document(client, data_dir, sample_truth):
    home = client.get("/", headers=NB).text
    periods = {bp["period"] for bp in sample_truth.budget_processes}
    for period in periods:
        assert f'href="/prosess/{period}"' in home
    for period in periods:
        for s in cli_json(data_dir, "endringer", period, "--format", "json")["stages"]:
            if s["status"] == "ok":  # the document's own municipality's process
                doc = client.get(f"/doc/{s['doc_id']}").text
                assert f'href="/prosess/{period}?kommune=3201"' in doc
                assert client.get(f"/prosess/{period}", params={"kommune": "3201"}).status_code == 200


def test_series_page_one_line_per_family_with_legend_and_norwegian_numbers(client, data_dir):
    r = client.get("/series", params={"label": "netto driftsresultat"}, headers=NB)
    assert r.status_code == 200
    chart = re.search(r'<svg class="chart lines".*?</svg>', r.text, re.S).group()
    cli = cli_json(data_dir, "series", "netto driftsresultat", "--format", "json")
    assert chart.count("<polyline") == len([s for s in cli["series"] if s["adopted"]]) == 2
    legend = re.search(r'<ul class="legend">(.*?)</ul>', r.text, re.S).group(1)
    assert legend.count("<li>") == 2 and "Hovedtall" in legend and "1A" in legend
    assert "+3,9 %" in r.text and "610 000" in r.text  # Norwegian numbers: space thousands, a decimal comma
    assert "s. 4</a>" in r.text and "Handlingsprogram 2016-2019" in r.text  # sources by title and page
    assert "Tegn:" in r.text and "≠" in r.text and "*" in r.text  # every mark explained
    one = client.get("/series", params={"label": "netto driftsresultat", "table": "1A"}, headers=NB)
    assert one.status_code == 200 and one.text.count("<polyline") == 1
    assert client.get("/series", params={"label": "netto driftsresultat", "table": "nope"}).status_code == 400


# --- issue 18: search that forgives, and says so -----------------------------------------------


def test_a_forgiving_search_says_what_it_added_with_links_to_undo_and_to_filter(client):
    r = client.get("/search", params={"q": "demenslandsy"}, headers=NB)
    assert "Viser treff for <em>demenslandsby</em> (du skrev <em>demenslandsy</em>)" in r.text
    assert "/search?q=demenslandsy&exact=1" in parsed(r.text).hrefs
    exact = client.get("/search", params={"q": "demenslandsy", "exact": "1"}, headers=NB)
    assert "Ingen sider treffer" in exact.text and "Søk med rettelser og andre skrivemåter" in exact.text
    assert 'name="exact" value="1" checked' in exact.text
    en = client.get("/search", params={"q": "demenslandsy"}, headers=EN)
    assert "Showing results for <em>demenslandsby</em> (you wrote <em>demenslandsy</em>)" in en.text
    hmik = client.get("/search", params={"q": "HMIK kunstgress"}, headers=NB)
    assert "Bare dokumenter fra <em>HMIK</em>?" in hmik.text and "kunstgressbane" in hmik.text
    assert "/search?q=kunstgress&committee=miljo-idrett-og-kultur" in parsed(hmik.text).hrefs


def test_api_search_says_what_it_added_as_the_cli_does(client, data_dir):
    for q in ("demenslandsy", "2,4 mrd", "HMIK kunstgress", "sjukeheimsplassar Fornebu"):
        web = client.get("/api/search", params={"q": q}).json()
        assert web == cli_json(data_dir, "search", q, "--format", "json"), q
        assert web["expansions"] and web["exact"] is False and web["total"] > 0, q
    kinds = {e["kind"] for e in client.get("/api/search", params={"q": "HMIK kunstgress"}).json()["expansions"]}
    assert kinds == {"abbreviation", "compound"}
    exact = client.get("/api/search", params={"q": "demenslandsy", "exact": "1"}).json()
    assert exact["total"] == 0 and exact["exact"] is True and exact["expansions"] == []
    assert exact == cli_json(data_dir, "search", "demenslandsy", "--exact", "--format", "json")
