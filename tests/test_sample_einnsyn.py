"""The eInnsyn replica (sample/platforms/einnsyn.py) read with plain HTTP as its API documents it:
the API key, cursor paging both ways, the journalenhet, decisions with their votes, documents
reached through the API, the planted malformed records, and search."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
from loopback import fetch

from sample import Truth
from sample.platforms.answers import Answers
from sample.platforms.einnsyn import visible_text


@pytest.fixture(scope="module")
def api(kommuner_server, kommuner_answers: Answers):
    """GET on the eInnsyn replica with the key; returns (status, json)."""
    base = kommuner_server.base_url("einnsyn")

    def get(path: str, key: str | None = kommuner_answers.api_key) -> tuple[int, dict]:
        status, _, body = fetch(base + path, {kommuner_answers.api_key_header: key} if key else {})
        return status, json.loads(body)

    return get


def all_pages(api, path: str, direction: str = "next") -> list[dict]:
    items, seen_urls = [], set()
    url: str | None = path
    while url:
        assert url not in seen_urls, f"a cursor loops: {url}"
        seen_urls.add(url)
        status, body = api(url)
        assert status == 200, body
        items += body["items"] if direction == "next" else list(reversed(body["items"]))
        url = body.get(direction)
        assert url is None or url.startswith("/"), url  # host-less, as the backend writes it
    return items


def test_einnsyn_requires_the_api_key(kommuner_server, kommuner_answers: Answers, api) -> None:
    base = kommuner_server.base_url("einnsyn")
    status, headers, body = fetch(base + "/moetemappe")
    assert status == 401 and json.loads(body)["type"] == "authenticationError"
    assert headers["Content-Type"].startswith("application/json")
    old_header = {"X-EIN-API-KEY": kommuner_answers.api_key}
    assert fetch(base + "/moetemappe", old_header)[0] == 401  # the old header name
    status, body = api("/moetemappe", key="secret_wrong")
    assert status == 403 and body["type"] == "authorizationError"
    assert api("/moetemappe")[0] == 200
    assert fetch(kommuner_server.base_url("einnsyn") + "/robots.txt")[0] == 200


@pytest.mark.parametrize("limit", [1, 7, 25, 100])
@pytest.mark.parametrize("order", ["asc", "desc"])
def test_einnsyn_paging_returns_every_item_once(api, kommuner_dir: Path, limit: int, order: str) -> None:
    objects = json.loads((kommuner_dir / "einnsyn.json").read_text(encoding="utf-8"))["objects"]
    every = sorted((i for i, o in objects.items() if o["entity"] == "Moetemappe"), reverse=order == "desc")
    got = [o["id"] for o in all_pages(api, f"/moetemappe?limit={limit}&sortOrder={order}")]
    assert got == every  # once each, in order
    if limit < len(every):
        last = api(f"/moetemappe?limit={limit}&sortOrder={order}&startingAfter={every[-limit - 1]}")[1]
        back = all_pages(api, last["previous"], direction="previous")
        assert [o["id"] for o in reversed(back)] == every[: len(every) - limit]


def test_einnsyn_default_page_is_25_and_limits_are_checked(api) -> None:
    status, body = api("/moetemappe")
    assert status == 200 and len(body["items"]) == 25 and "next" in body and "previous" not in body
    for bad in ("0", "101", "abc"):
        status, body = api(f"/moetemappe?limit={bad}")
        assert status == 400 and body["type"] == "validationError", bad
    assert api("/moetemappe/mm_00000000000000000000000000")[0] == 404
    assert api("/nosuchthing")[0] == 404


def test_einnsyn_journalenhet_keeps_only_stavanger(api, kommuner_answers: Answers) -> None:
    ein = kommuner_answers.einnsyn
    mine = all_pages(api, f"/moetemappe?journalenhet={ein['journalenhet']['id']}&limit=10")
    assert {m["id"] for m in mine} == {m["id"] for m in ein["meetings"]}
    others = all_pages(api, f"/moetemappe?journalenhet={ein['journalenhet']['other']['id']}")
    assert {m["id"] for m in others} == {m["id"] for m in ein["noise_meetings"]}
    enhet = api(f"/enhet/{ein['journalenhet']['id']}?expand=underenhet")[1]
    assert enhet["orgnummer"] == ein["journalenhet"]["orgnummer"] and enhet["enhetstype"] == "KOMMUNE"
    assert {u["enhetskode"] for u in enhet["underenhet"]} >= {"KST", "FSK", "UOU", "UHV"}


def test_einnsyn_decisions_and_votes_match_the_truth(api, kommuner_answers: Answers) -> None:
    decisions = kommuner_answers.einnsyn["decisions"]
    assert {d["committee"] for d in decisions if d["vedtak"]} >= {"kommunestyret", "formannskapet"}
    budget = [d for d in decisions if "udsjett" in d["title"]]
    assert len(budget) == 5
    for d in budget:
        status, sak = api(f"/moetesak/{d['moetesak']}?expand=vedtak.vedtakstekst,vedtak.behandlingsprotokoll")
        assert status == 200 and sak["offentligTittel"] == d["title"]
        if d["vedtak"] is None:
            assert sak.get("vedtak") is None
            assert api(f"/moetesak/{d['moetesak']}/vedtak")[0] == 404
            continue
        vedtak = sak["vedtak"]
        assert vedtak["dato"] == d["date"]
        assert vedtak["vedtakstekst"]["tekstInnhold"] == d["decision_html"]
        assert visible_text(vedtak["vedtakstekst"]["tekstInnhold"]) == d["decision"]
        if d["protocol"]:
            assert vedtak["behandlingsprotokoll"]["tekstInnhold"] == d["protocol"]
            for v in d["votes"]:
                assert v["text"] in d["protocol"]
        if d["tally"]:
            votes = all_pages(api, f"/vedtak/{vedtak['id']}/votering?expand=representerer,moetedeltaker")
            assert len(votes) == d["tally"]["members"] == len({v["id"] for v in votes})
            tally: dict[str, dict[str, int]] = {}
            for v in votes:
                party = tally.setdefault(v["representerer"]["identifikator"], {})
                party[v["stemme"]] = party.get(v["stemme"], 0) + 1
            assert tally == d["tally"]["by_party"]
    kst = next(d for d in decisions if d["committee"] == "kommunestyret" and d["vedtak"] and "udsjett" in d["title"])
    assert kst["tally"]["totals"] == {"Ja": 38, "Nei": 27, "Blankt": 1, "Fraværende": 1}


def test_einnsyn_documents_are_reached_through_the_api(kommuner_server, api, kommuner_truth: Truth,
                                                       kommuner_answers: Answers) -> None:
    docs = [d for d in kommuner_truth.documents if d.platform == "einnsyn"]
    assert len(docs) == 8
    for doc in docs:
        do_id = doc.source_page.rsplit("/", 1)[1]
        status, obj = api(f"/dokumentobjekt/{do_id}?expand=dokumentbeskrivelse")
        assert status == 200 and obj["referanseDokumentfil"] == kommuner_server.original_url(doc)
        assert obj["dokumentbeskrivelse"]["tittel"] == doc.title
        status, headers, _ = fetch(kommuner_server.base_url("einnsyn") + f"/dokumentobjekt/{do_id}/download",
                                   {kommuner_answers.api_key_header: kommuner_answers.api_key},
                                   follow=False)  # fmt: skip
        assert status == 302 and headers["Location"] == kommuner_server.original_url(doc)
        body = fetch(kommuner_server.original_url(doc))[2]
        assert obj["sjekksum"] == hashlib.sha256(body).hexdigest()


def test_einnsyn_malformed_records_are_served_as_planted(api, kommuner_answers: Answers) -> None:
    problems = {p["kind"]: p for p in kommuner_answers.problems if p["platform"] == "einnsyn"}
    mm = api(f"/moetemappe/{problems['malformed_record']['id']}")[1]
    assert mm["moetedato"] == "2023-09-31T15:00:00Z" and "utvalg" not in mm
    vote = api(f"/votering/{problems['unknown_value']['id']}?expand=moetedeltaker")[1]
    assert vote["stemme"] == "Fraværende"
    assert vote["moetedeltaker"]["moetedeltakerNavn"] == problems["unknown_value"]["moetedeltaker"]
    sak = api(f"/moetesak/{problems['missing_decision']['id']}")[1]
    assert "vedtak" in sak and sak["vedtak"] is None
    fsk = next(m for m in kommuner_answers.einnsyn["meetings"]
               if m["committee"] == "formannskapet" and m["budget"])
    stored = api(f"/moetemappe/{fsk['id']}")[1]["moetedato"]
    assert stored == fsk["moetedato_as_printed"] == "2023-11-29T23:00:00Z" and fsk["date"] == "2023-11-30"


def test_einnsyn_search_filters_and_pages(api, kommuner_answers: Answers) -> None:
    ein = kommuner_answers.einnsyn
    q = (f"/search?entity=Moetemappe&administrativEnhet={ein['journalenhet']['id']}"
         "&moetedatoAfter=2023-11-01T00:00:00Z&sortBy=moetedato&sortOrder=asc&limit=2")  # fmt: skip
    found = all_pages(api, q)
    want = [m for m in ein["meetings"] if m["date"] and m["date"] >= "2023-11-01"]
    assert sorted(m["id"] for m in found) == sorted(m["id"] for m in want)
    dates = [m["moetedato"] for m in found]
    assert dates == sorted(dates)
    hits = all_pages(api, f"/search?entity=Moetesak&journalenhet={ein['journalenhet']['id']}&query=budsjett")
    assert {h["id"] for h in hits} == {d["moetesak"] for d in ein["decisions"] if "udsjett" in d["title"]}
