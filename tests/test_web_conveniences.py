"""The web's conveniences of issue 20, in process over the real sample archive: repeated passages
folded with "+N flere sider", a page's archived copy and citation, the way back to the search,
tables offered only where there are some (CSV with one header, xlsx a sheet per table), decisions
named by their document and linked from their protocol, /trend with the CLI's options, and
Norwegian throughout (numbers, names, reasons) with no raw keys."""

from __future__ import annotations

import csv
import io
import json
import re
import subprocess
import sys
from html.parser import HTMLParser
from urllib.parse import parse_qs, urlsplit

import pytest
from processes import env_for

from catalog import DataDir, Filters
from present.hits import group_by_document
from present.numbers import number

NB = {"Accept-Language": "nb-NO,nb;q=0.9"}
RAW_KEYS = ("pages_visited", "documents_seen", "links_found", "no_text", "superseded_by", "first_seen", "last_seen",
            "per_1000_pages", "unparsed_votes", "count_mismatch", "doctype", "provenance")
SLUGS = ("barn-og-unge", "bistand-og-omsorg", "miljo-idrett-og-kultur", "eldreradet", "ungdomsradet")


def cli(data_dir: DataDir, *args: str) -> str:
    proc = subprocess.run([sys.executable, "-m", "search_cli", *args], capture_output=True, text=True, timeout=300,
                          env=env_for(data_dir.root))
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


class Page(HTMLParser):
    """A page's visible text (no attributes, no script), its links by id and all its hrefs."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.text: list[str] = []
        self.hrefs: list[str] = []
        self.ids: dict[str, dict[str, str]] = {}
        self._skip = 0
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        d = {k: v or "" for k, v in attrs}
        if tag in ("script", "style", "title"):
            self._skip += 1
        if "href" in d:
            self.hrefs.append(d["href"])
        if "id" in d:
            self.ids[d["id"]] = d

    def handle_endtag(self, tag):
        if tag in ("script", "style", "title"):
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip:
            self.text.append(data)

    @property
    def visible(self) -> str:
        return re.sub(r"\s+", " ", " ".join(self.text))


def _hits(client, q: str, **params) -> list[dict]:
    return client.get("/api/search", params={"q": q, **params}).json()["hits"]


# --- search results ---------------------------------------------------------------------------------


def test_a_repeated_passage_is_shown_once_with_its_pages_and_more_pages_are_counted(client, data_dir):
    from index import search

    folded = None
    for q in ("barnehage", "demenslandsby", "netto", "budsjett", "sykehjem"):
        result = search(data_dir, q, Filters(), limit=20)
        groups = group_by_document(result.hits, result.doc_pages)
        same = [p for g in groups for p in g.passages() if len(p.pages) > 1]
        if same:
            folded = (q, groups, same)
            break
    assert folded, "the sample repeats a passage on several pages of a document (running heads, standard text)"
    q, groups, same = folded
    r = client.get("/search", params={"q": q}, headers=NB)
    html = r.text
    assert html.count('class="pagehit"') == sum(len(g.passages()) for g in groups) < 20
    for p in same:
        assert "Sidene " + ", ".join(map(str, p.pages)) in html
        for n in p.pages:
            assert f"/doc/{p.first.doc_id}?page={n}&amp;q=" in html
    for g in groups:
        if g.more > 1:
            assert f"+{g.more} flere sider" in html
        elif g.more == 1:
            assert "+1 side til" in html
    assert any(g.more for g in groups)


def test_counts_are_singular_for_one(client):
    r = client.get("/search", params={"q": "kulturhusparkeringen"}, headers=NB)
    assert "1 side treffer; viser 1–1." in r.text and "1 sider" not in r.text
    en = client.get("/search", params={"q": "kulturhusparkeringen", "lang": "en"})
    assert "1 page matches; showing 1–1." in en.text


def test_committees_are_named_not_slugged(client):
    r = client.get("/search", params={"q": "sykehjem", "committee": "HBO"}, headers=NB)
    text = Page(r.text).visible
    assert "Hovedutvalg for bistand og omsorg" in text and not [s for s in SLUGS if s in text]
    assert "committee=HBO" in r.text.replace("&amp;", "&")  # the filter's value stays what was typed


# --- a page: our copy, the citation, the way back ------------------------------------------------------


def test_a_page_links_our_archived_copy_and_offers_a_citation(client, data_dir):
    hit = _hits(client, "sykehjem", size=1)[0]
    doc = client.get(f"/api/doc/{hit['doc_id']}").json()
    r = client.get(f"/doc/{hit['doc_id']}", params={"page": hit["page"], "q": "sykehjem"}, headers=NB)
    page = Page(r.text)
    ours = page.ids["archived-copy"]["href"]
    assert ours == f"http://testserver/doc/{hit['doc_id']}/pdf#page={hit['page']}"
    assert page.ids["original"]["href"] == f"{doc['url']}#page={hit['page']}"
    cite = re.search(r'<p class="citation" id="citation">(.*?)</p>', r.text, re.S).group(1)
    for part in (f"«{doc['title']}»", f"s. {hit['page']}", doc["date"], f"{doc['url']}#page={hit['page']}",
                 f"Arkivert kopi: {ours}", f"hentet {doc['first_seen'][:10]}"):
        assert str(part).replace("&", "&amp;") in cite, part
    assert not re.search(r"<script(?![^>]*\bsrc=)", r.text) and " onclick=" not in r.text
    pdf = client.get(f"/doc/{hit['doc_id']}/pdf")
    assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf"
    assert pdf.headers["content-disposition"].startswith("inline;")
    assert pdf.content == client.get(f"/doc/{hit['doc_id']}/file").content
    assert "object-src 'self'" in pdf.headers["content-security-policy"]


def test_a_document_that_is_no_pdf_has_no_pages_to_open(client):
    docs = client.get("/api/documents").json()
    word = next(d for d in docs if d["media_type"] == "docx" and d["status"] == "ok")
    assert client.get(f"/doc/{word['doc_id']}/pdf").status_code == 404
    r = client.get(f"/doc/{word['doc_id']}", params={"page": 1})
    assert 'id="archived-copy"' not in r.text and 'id="citation"' in r.text


def test_back_to_the_search_keeps_words_filters_sort_and_page(client):
    search = {"q": "kommune", "year": "2021", "type": "vedtak", "sort": "newest", "page": "2"}
    r = client.get("/search", params=search, headers=NB)
    links = [h.replace("&amp;", "&") for h in Page(r.text).hrefs if h.startswith("/doc/") and "page=" in h]
    assert links
    opened = client.get(links[0], headers=NB)
    back = Page(opened.text).ids["back-to-search"]["href"].replace("&amp;", "&")
    assert back.startswith("/search?") and parse_qs(urlsplit(back).query) == {k: [v] for k, v in search.items()}
    # The way back stays on the way back: from the page view to the next hit and to the document.
    nxt = Page(opened.text).ids.get("next-hit")
    if nxt:
        assert "back=" in nxt["href"]


@pytest.mark.parametrize("back", ["//evil.example/x", "q=x&next=http://evil.example", "javascript:alert(1)",
                                  "year=2021", "q=" + "x" * 2000])
def test_a_hostile_way_back_leads_only_to_a_search(client, back):
    hit = _hits(client, "sykehjem", size=1)[0]
    r = client.get(f"/doc/{hit['doc_id']}", params={"page": hit["page"], "q": "sykehjem", "back": back})
    assert r.status_code == 200
    link = Page(r.text).ids["back-to-search"]["href"].replace("&amp;", "&")
    assert link.startswith("/search?") and "evil" not in link and "javascript" not in link and "next=" not in link


# --- tables --------------------------------------------------------------------------------------------


def test_tables_are_offered_only_where_there_are_some(client, data_dir):
    docs = [d for d in client.get("/api/documents").json() if d["status"] == "ok"]
    with_tables = [d for d in docs if json.loads(cli(data_dir, "tables", d["doc_id"], "--format", "json"))]
    without = [d for d in docs if d not in with_tables]
    assert with_tables and without
    bare = client.get(f"/doc/{without[0]['doc_id']}", headers=NB).text
    assert "tables.csv" not in bare and "tables.xlsx" not in bare
    full = client.get(f"/doc/{with_tables[0]['doc_id']}", headers=NB).text
    assert f"/doc/{with_tables[0]['doc_id']}/tables.csv" in full and f"/doc/{with_tables[0]['doc_id']}/tables.xlsx" in full


def test_the_webs_tables_are_the_clis_one_header_csv_and_workbook(client, data_dir, tmp_path):
    from openpyxl import load_workbook

    hit = _hits(client, "tabell", tables="1", size=1)
    doc_id = hit[0]["doc_id"] if hit else client.get("/api/search", params={"q": "Netto"}).json()["hits"][0]["doc_id"]
    web = client.get(f"/doc/{doc_id}/tables.csv")
    rows = list(csv.reader(io.StringIO(web.text)))
    assert web.text == cli(data_dir, "tables", doc_id, "--format", "csv") and rows[0][6] == "row"
    assert sum(row == rows[0] for row in rows) == 1
    xlsx = client.get(f"/doc/{doc_id}/tables.xlsx")
    assert xlsx.headers["content-type"].startswith("application/vnd.openxmlformats")
    assert f'filename="{doc_id}-tables.xlsx"' in xlsx.headers["content-disposition"]
    (tmp_path / "t.xlsx").write_bytes(xlsx.content)
    wb = load_workbook(tmp_path / "t.xlsx")
    tables = json.loads(cli(data_dir, "tables", doc_id, "--format", "json"))
    assert [ws["B1"].value for ws in wb.worksheets] == [t["caption"] for t in tables]
    assert [ws["B5"].value for ws in wb.worksheets] == [t["page"] for t in tables]


# --- decisions -----------------------------------------------------------------------------------------


def test_vedtak_names_the_document_behind_a_point(client, data_dir):
    decisions = json.loads(cli(data_dir, "vedtak", "--format", "json"))["decisions"]
    point = next(d for d in decisions if d["kind"] == "tekstvedtak")
    r = client.get("/vedtak", headers=NB)
    assert f'<a class="document" href="/doc/{point["doc_id"]}">{point["document_title"]}</a>' in r.text
    assert f"{point['section']} · punkt {point['number']}" in r.text
    assert f"{point['section']} · {point['section']}" not in r.text


def test_a_protocol_links_its_decisions_with_their_votes(client, data_dir):
    decisions = json.loads(cli(data_dir, "vedtak", "--type", "protokoll", "--format", "json"))["decisions"]
    doc_id = decisions[0]["doc_id"]
    mine = [d for d in decisions if d["doc_id"] == doc_id]
    page = client.get(f"/doc/{doc_id}", headers=NB)
    assert f'href="/doc/{doc_id}/vedtak"' in page.text
    for d in mine:
        assert d["case"] in page.text
    full = client.get(f"/doc/{doc_id}/vedtak", headers=NB)
    assert full.status_code == 200 and full.text.count('class="decision"') == len(mine)
    votes = [v for d in mine for v in d["votes"] if v["parsed"]]
    for v in votes:
        if v["for"] is not None and v["against"] is not None:
            assert f"{v['for']} mot {v['against']} stemmer" in full.text
        elif v["for"] is not None:
            assert "(stemmer mot ikke oppgitt)" in full.text
    # The page a decision stands on names it and links to the decisions.
    one = client.get(f"/doc/{doc_id}", params={"page": mine[0]["page"]}, headers=NB)
    assert "Vedtak på denne siden" in one.text and f'href="/doc/{doc_id}/vedtak"' in one.text


# --- /trend, /series, /status -----------------------------------------------------------------------------


def test_trend_takes_the_clis_filters_count_and_per_thousand_pages(client, data_dir):
    args = ("trend", "barnehage", "--committee", "HBU", "--normalise", "--format", "json")
    expected = json.loads(cli(data_dir, *args))
    api = client.get("/api/trend", params={"q": "barnehage", "committee": "HBU", "normalise": "1"}).json()
    assert api == expected and expected["normalise"] is True
    r = client.get("/trend", params={"q": "barnehage", "committee": "HBU", "normalise": "1"}, headers=NB)
    for row in expected["years"]:
        if row["per_1000_pages"] is not None:
            assert f'<td class="num">{number(row["per_1000_pages"], "nb", 1)}</td>' in r.text
    assert 'name="normalise" type="checkbox" value="1" checked' in r.text and 'value="HBU"' in r.text
    docs = client.get("/api/trend", params={"q": "barnehage", "count": "documents"}).json()
    assert docs == json.loads(cli(data_dir, "trend", "barnehage", "--count", "documents", "--format", "json"))
    assert client.get("/trend", params={"q": "barnehage", "count": "words"}).status_code == 400


def test_trend_notes_the_years_whose_documents_gave_no_text(client, data_dir):
    years = json.loads(cli(data_dir, "trend", "barnehage", "--format", "json"))["years"]
    blind = [y for y in years if y["failed"] and y["archive_documents"]]
    assert blind, "the sample has documents that give no text"
    text = Page(client.get("/trend", params={"q": "barnehage"}, headers=NB).text).visible
    for y in blind:
        word = "dokument" if y["failed"] == 1 else "dokumenter"
        assert f"{y['failed']} {word} uten tekst" in text
    total = sum(y["failed"] for y in years)
    assert f"{total} dokument{'er' if total > 1 else ''} ga ingen tekst" in text


def test_series_numbers_and_tooltips_are_norwegian(client, data_dir):
    found = json.loads(cli(data_dir, "series", "Netto driftsresultat", "--format", "json"))
    html = client.get("/series", params={"label": "Netto driftsresultat"}, headers=NB).text
    tips = re.findall(r"<title>(\d{4}: [^<]*)</title>", html)
    assert tips and all(re.fullmatch(r"\d{4}: -?[\d ]+,\d+ mill\. kr \(vedtak(, [+-]?\d+,\d+ %)?\) · .+", t)
                        for t in tips), tips
    assert any(" %" in t for t in tips)
    changes = re.findall(r'<td class="num">([^<]+)</td>', html)
    assert any(re.fullmatch(r"[+-]\d+,\d %", c) for c in changes)
    first = next(f["value"] for s in found["series"] for f in s["adopted"] if not f["repeated"] and not f["conflict"])
    assert f'<td class="num">{number(first, "nb")}</td>' in html  # as printed: "587 100", "4 497,9"
    english = client.get("/series", params={"label": "Netto driftsresultat", "lang": "en"}).text
    assert re.search(r"<title>\d{4}: [\d,]+\.\d+ mill\. kr \(vedtak, [+-]\d+\.\d+%\) · [^<]+</title>", english)


def test_status_and_a_document_say_keys_and_reasons_in_words(client, data_dir):
    for lang, words, absent in (("nb", ("sider besøkt", "ødelagt PDF", "uttrekk", "uten tekst"), ("corrupt PDF",)),
                                ("en", ("pages visited", "corrupt PDF", "extraction"), ("ødelagt",))):
        text = Page(client.get("/status", params={"lang": lang}).text).visible
        assert not [k for k in (*RAW_KEYS, *SLUGS) if k in text], lang
        assert all(w in text for w in words) and not any(a in text for a in absent), lang
    docs = client.get("/api/documents").json()
    failed = next(d for d in docs if d["status"] == "failed")
    text = Page(client.get(f"/doc/{failed['doc_id']}", headers=NB).text).visible
    assert "tittel" in text and "lenketekst" in text and "feilet" in text
    assert not [k for k in (*RAW_KEYS, *SLUGS, "link text", "rule:") if k in text]
    home = Page(client.get("/", headers=NB).text).visible
    assert "Hovedutvalg for barn og unge" in home and not [s for s in SLUGS if s in home]
