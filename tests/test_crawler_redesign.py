"""The crawler against an independently designed replica (sample.redesign), checked against its truth.

The first replica and the crawler were written together; this one was not, so it shows whether
the crawler's vocabulary and parsing generalise to a redesigned site (BØP 2024-2027).
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import parse_qsl, unquote, urlencode, urlsplit

import pytest
from test_crawler import versions_by_url

from catalog import DataDir, connect
from crawler.context import extract_links
from crawler.meeting_page import ITEM, parse_meeting
from crawler.parent import crawl
from sample import Truth, load_truth, serve
from sample.redesign import build_redesign

FIELDS = ("year", "period", "committee", "doctype")


def norm(url: str) -> str:
    """Compare URLs by host, decoded path and sorted non-empty query pairs."""
    parts = urlsplit(url)
    query = urlencode(sorted(parse_qsl(parts.query)))
    return f"{parts.netloc}{unquote(parts.path)}?{query}"


@pytest.fixture(scope="module")
def redesign_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_redesign(tmp_path_factory.mktemp("redesign"))


@pytest.fixture(scope="module")
def redesign_truth(redesign_dir: Path) -> Truth:
    return load_truth(redesign_dir)


@pytest.fixture(scope="module")
def crawled(redesign_dir: Path, tmp_path_factory: pytest.TempPathFactory):
    data = DataDir(tmp_path_factory.mktemp("crawl-redesign"))
    with serve(redesign_dir) as server:
        portal = server.portal_url.split("://", 1)[1]
        summary = crawl(data, start_urls=[server.landing_url], allow_hosts=[portal], download_delay=0, wayback=False)
        yield server, data, summary


def test_documents_found_and_classified(crawled, redesign_truth: Truth) -> None:
    server, data, _ = crawled
    found = versions_by_url(data, key=norm)
    assert redesign_truth.documents
    errors = []
    for doc in redesign_truth.documents:
        row = found.get(norm(server.original_url(doc)))
        if row is None:
            errors.append(f"{doc.key}: not found at {doc.path}")
            continue
        for f in FIELDS:
            if row[f] != getattr(doc, f):
                errors.append(f"{doc.key}: {f} = {row[f]!r}, expected {getattr(doc, f)!r} ({row['provenance']})")
        if row["media_type"] != doc.media_type:
            errors.append(f"{doc.key}: media_type = {row['media_type']!r}, expected {doc.media_type!r}")
    assert not errors, f"{len(errors)} errors:\n" + "\n".join(errors)


def test_nothing_off_site_or_disallowed_requested(crawled, redesign_truth: Truth) -> None:
    server, data, _ = crawled
    requested = {e.path for e in server.requests}
    forbidden = [item for item in redesign_truth.never_request if "path" in item]
    assert forbidden and len(requested) > 1, "there was something to avoid, and a crawl that could have asked"
    for item in forbidden:
        assert item["path"] not in requested, item
    allowed = {u.split("://", 1)[1] for u in (server.main_url, server.portal_url)}
    conn = connect(data)
    hosts = {row["url"].split("/")[2] for row in conn.execute("SELECT url FROM urls")}
    assert hosts <= allowed, hosts - allowed
    assert not any(e.host == "wayback" for e in server.requests)


def test_non_budget_agenda_items_skipped(crawled, redesign_truth: Truth) -> None:
    server, data, _ = crawled
    found = versions_by_url(data, key=norm)
    assert redesign_truth.skipped
    for item in redesign_truth.skipped:
        assert norm(server.portal_url + item["path"]) not in found, item


def test_meeting_pages_visited(crawled, redesign_truth: Truth) -> None:
    server, _, _ = crawled
    requested = {norm(server.portal_url + e.path) for e in server.requests if e.host == "portal"}
    for meeting in redesign_truth.portal_meetings:
        assert norm(server.portal_url + meeting["path"]) in requested, meeting


def test_redesign_build_is_deterministic(redesign_dir: Path, tmp_path: Path) -> None:
    again = build_redesign(tmp_path / "again")
    for name in ("routes.json", "truth.json"):
        assert (again / name).read_text(encoding="utf-8") == (redesign_dir / name).read_text(encoding="utf-8")



# --- the general rules the redesign needed, as units ---------------------------------------

DOC = re.compile(r"wfdocument\.ashx")


@pytest.mark.parametrize(
    "line, number, title",
    [
        ("026/18 - 18/88861 - Godkjenning av protokoll", "026/18", "Godkjenning av protokoll"),
        ("088/23 23/123456 Budsjett og økonomiplan 2024-2027 - uttalelse", "088/23", "Budsjett og økonomiplan 2024-2027 - uttalelse"),
        ("PS 12/23 Budsjett 2024", "12/23", "Budsjett 2024"),
        ("045/23 - 23/123456 - Budsjett og økonomiplan 2024-2027 uttalelse", "045/23", "Budsjett og økonomiplan 2024-2027 uttalelse"),
    ],
)
def test_agenda_item_spellings(line: str, number: str, title: str) -> None:
    m = ITEM.match(line)
    assert m and m.group(1) == number and m.group(3) == title


def test_bare_case_numbers_are_no_item() -> None:
    assert ITEM.match("045/23 - 23/123456 -") is None
    assert ITEM.match("14/11 2023") is None


def test_protocol_without_protocol_heading() -> None:
    page = """<h1>Møte i Kommunestyret den 13.12.2023</h1><ul><li><a href="wfdocument.ashx?dokid=1">Protokoll (Hoveddokument)</a></li>
    <li><a href="wfdocument.ashx?dokid=2">Møteinnkalling (Hoveddokument)</a></li></ul>"""
    meeting = parse_meeting(page, "http://x/innsyn/wfinnsyn.ashx?response=mote&moteid=1", DOC)
    assert [d.section for d in meeting.documents] == ["protokoll", "innkalling"]


def test_table_row_is_the_links_block_and_card_headings_do_not_leak() -> None:
    page = """<h2>Behandling</h2><table><tr><th>Dato</th><th>Dokument</th><th>Utvalg</th></tr>
    <tr><td>20.11.23</td><td><a href="a.pdf">Protokoll</a></td><td>Eldrerådet</td></tr></table>
    <div><a href="b.pdf"><h3>Hovedutvalg for barn og unge</h3>Spørsmål</a></div><p><a href="c.pdf">pdf</a></p>"""
    _, links = extract_links(page, "http://x/")
    by_url = {lc.url.rsplit("/", 1)[1]: lc.context for lc in links}
    assert "Eldrerådet" in by_url["a.pdf"]["block"]
    assert by_url["c.pdf"]["headings"] == ["Behandling"]
