"""The web's pages people read (web/pages.py), in process (Starlette's TestClient) over the real
sample archive: home, search with its facets, paging and suggestions, trend and status, each
linking to its export, in bokmål by default and English on request."""

from __future__ import annotations

import re
from pathlib import Path

from webpage import EN, NB, cli_json, parsed


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
