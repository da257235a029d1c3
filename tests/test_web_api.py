"""The web's API and feed (web/api.py, web/streaming.py), in process over the real sample archive:
the CLI's JSON, CSV and JSONL, every row without a cap, the Atom feed, and many searches at once."""

from __future__ import annotations

import csv
import io
import json
import re
import xml.etree.ElementTree as ET

from processes import hparkiv
from webpage import cli_json

ATOM = "{http://www.w3.org/2005/Atom}"


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
