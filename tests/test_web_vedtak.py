"""The decisions in the web (`/vedtak` and `/api/vedtak`), in process over the real sample archive:
each decision with its votes and page, the filters and exports equal to the CLI's, bad input as a
400 and a hostile query escaped."""

from __future__ import annotations

import csv
import io
import json

import pytest
from markupsafe import escape
from webpage import NB, cli_json, parsed


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
