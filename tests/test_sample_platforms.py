"""The platform replicas themselves (sample.municipalities): served on loopback as their answer
key says, the eInnsyn API's key and paging, OpenGov's year pages, Framsikt's static files and
republished snapshot, Asker's portal, and the budget lines and inhabitants every municipality
prints. These tests read the replicas with plain HTTP; the adapters have their own tests."""

from __future__ import annotations

import hashlib
import html
import io
import json
import re
import tomllib
import urllib.error
import urllib.request
from pathlib import Path

import pdfplumber
import pytest

from sample import Truth, TruthDoc, load_truth, serve
from sample.municipalities import HOSTS, build_municipalities
from sample.platforms import framsikt
from sample.platforms.answers import Answers, load_answers
from sample.platforms.einnsyn import visible_text
from sample.platforms.figures import LINES, RESULT, YEAR
from sources import load_source

DRAFTS = Path(__file__).parent.parent / "sample" / "draft_sources"


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):  # noqa: ANN002, ANN003 - urllib's signature
        return None


def fetch(url: str, headers: dict[str, str] | None = None, follow: bool = True) -> tuple[int, dict[str, str], bytes]:
    """GET on loopback; HTTP errors are answers too."""
    assert url.startswith("http://127."), url
    opener = urllib.request.build_opener() if follow else urllib.request.build_opener(NoRedirect)
    req = urllib.request.Request(url, headers=headers or {})
    try:
        with opener.open(req, timeout=20) as r:
            return r.status, dict(r.headers.items()), r.read()
    except urllib.error.HTTPError as e:
        return e.code, dict(e.headers.items()), e.read()


@pytest.fixture(scope="module")
def dest(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_municipalities(tmp_path_factory.mktemp("kommuner"))


@pytest.fixture(scope="module")
def truth(dest: Path) -> Truth:
    return load_truth(dest)


@pytest.fixture(scope="module")
def answers(dest: Path) -> Answers:
    return load_answers(dest)


@pytest.fixture(scope="module")
def server(dest: Path):
    with serve(dest) as srv:
        yield srv


@pytest.fixture(scope="module")
def api(server, answers: Answers):
    """GET on the eInnsyn replica with the key; returns (status, json)."""
    base = server.base_url("einnsyn")

    def get(path: str, key: str | None = answers.api_key) -> tuple[int, dict]:
        status, _, body = fetch(base + path, {answers.api_key_header: key} if key else {})
        return status, json.loads(body)

    return get


def pdf_pages(data: bytes) -> list[str]:
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        return [" ".join((page.extract_text() or "").split()) for page in pdf.pages]


# ---------------------------------------------------------------- the build


def test_build_is_deterministic(dest: Path, tmp_path: Path) -> None:
    again = build_municipalities(tmp_path / "again")
    for name in ("routes.json", "truth.json", "replicas.json", "einnsyn.json", "apps.json"):
        assert (again / name).read_bytes() == (dest / name).read_bytes(), name

    def digest(root: Path) -> dict[str, str]:
        return {str(p.relative_to(root)): hashlib.sha1(p.read_bytes()).hexdigest()
                for p in sorted((root / "files").rglob("*")) if p.is_file()}  # fmt: skip

    assert digest(again) == digest(dest)


def test_every_host_is_its_own_loopback_address(server, answers: Answers) -> None:
    assert answers.hosts == HOSTS
    assert len(set(HOSTS.values())) == len(HOSTS)
    for name, ip in HOSTS.items():
        assert ip.startswith("127.") and not ip.startswith("127.0.0."), (name, ip)  # Bærum keeps 127.0.0.x
        assert server.base_url(name).startswith(f"http://{ip}:")


def test_four_municipalities_with_real_names_and_numbers(answers: Answers, truth: Truth) -> None:
    got = {(m.source, m.name, m.number) for m in answers.municipalities}
    assert got == {("asker", "Asker", "3203"), ("malvik", "Malvik", "5031"), ("stavanger", "Stavanger", "1103"),
                   ("nordrefollo", "Nordre Follo", "3207")}  # fmt: skip
    platforms = {m.source: set(m.platforms) for m in answers.municipalities}
    assert platforms == {"asker": {"cms", "acos"}, "malvik": {"framsikt"}, "stavanger": {"einnsyn"},
                         "nordrefollo": {"opengov"}}  # fmt: skip
    for doc in truth.documents:
        m = answers.municipality(doc.source)
        assert (doc.kommune, doc.kommunenummer) == (m.name, m.number), doc.key
        assert doc.platform in m.platforms + ["cms"], doc.key
        assert doc.host in m.hosts, doc.key
        assert doc.year == YEAR or doc.key == "asker-vedtak-2023", doc.key
    assert {d.platform for d in truth.documents} == {"cms", "acos", "framsikt", "einnsyn", "opengov"}


def test_no_pdf_of_malviks_plan_exists(truth: Truth) -> None:
    malvik = [d for d in truth.documents if d.source == "malvik"]
    assert malvik and all(d.media_type == "framsikt" and d.host == "framsikt" for d in malvik)
    assert {d.doctype for d in malvik} == {"forslag", "vedtak"}


def test_truth_speaks_the_draft_sources_vocabulary(truth: Truth) -> None:
    doctypes = load_source("baerum").vocabulary.doctype_slugs()  # the national document types
    for doc in truth.documents:
        vocab = load_source(DRAFTS / f"{doc.source}.toml").vocabulary
        assert doc.committee is None or doc.committee in vocab.committee_slugs(), doc.key
        assert doc.doctype in doctypes, doc.key
        for decision in doc.decisions:
            assert decision["committee"] in vocab.committee_slugs(), (doc.key, decision["case"])


def test_draft_sources_name_the_municipality_and_its_platforms(answers: Answers) -> None:
    for m in answers.municipalities:
        data = tomllib.loads((DRAFTS / f"{m.source}.toml").read_text(encoding="utf-8"))
        assert data["name"] == m.source and data["kommune"]["number"] == m.number
        assert data["kommune"]["name"] == m.name
        assert {p["kind"] for p in data["platforms"]} == set(m.platforms)
        text = json.dumps(data)
        assert "secret_" not in text and "api_key\"" not in text  # a key never lives in a file
        for url in re.findall(r"https?://[^\"\s]+", text):
            assert "127.0." not in url  # the drafts name the real sites; tests rewrite them


# ---------------------------------------------------------------- every document and failure


def test_every_truth_document_is_served_as_promised(server, truth: Truth) -> None:
    for doc in truth.documents:
        status, headers, body = fetch(server.original_url(doc))
        assert status == 200, (doc.key, status)
        assert headers["Content-Type"].split(";")[0] == doc.content_type.split(";")[0], doc.key
        if doc.media_type == "framsikt":
            assert b"<app-root>" in body and doc.title.encode() not in body, doc.key  # a shell, no text
            continue
        assert body.startswith(b"%PDF"), doc.key
        if doc.status == "failed":
            assert b"%%EOF" not in body, doc.key  # cut off
            continue
        assert len(pdf_pages(body)) == doc.pages, doc.key


def test_planted_text_stands_on_its_page(server, truth: Truth) -> None:
    for doc in truth.documents:
        if doc.media_type != "pdf" or not doc.planted:
            continue
        pages = pdf_pages(fetch(server.original_url(doc))[2])
        for p in doc.planted:
            assert p["text"] in pages[p["page"] - 1], (doc.key, p)
    words = {w["word"] for w in truth.planted_words}
    assert len(words) == 4 and all(w["unique"] for w in truth.planted_words)


def test_failures_answer_as_the_answer_key_says(server, answers: Answers) -> None:
    kinds = {(p["platform"], p["kind"]) for p in answers.problems}
    assert {("einnsyn", "expired_link"), ("einnsyn", "malformed_record"), ("einnsyn", "unknown_value"),
            ("einnsyn", "missing_decision"), ("opengov", "expired_link"), ("opengov", "malformed_record"),
            ("framsikt", "expired_link"), ("framsikt", "malformed_record"), ("cms", "expired_link"),
            ("cms", "malformed_record")} <= kinds  # fmt: skip
    for p in answers.problems:
        assert p["reason"] and p["expect"], p
        if p["kind"] == "expired_link":
            status, _, _ = fetch(server.base_url(p["host"]) + p["path"])
            assert status == p["status"] and status in (404, 410), p


def test_skipped_documents_exist_but_are_not_truth(server, truth: Truth) -> None:
    kept = {(d.host, d.path) for d in truth.documents}
    assert len(truth.skipped) >= 10
    for item in truth.skipped:
        assert (item["host"], item["path"]) not in kept
        assert fetch(server.base_url(item["host"]) + item["path"])[0] == 200, item
    for item in truth.never_request:
        if "host" in item:
            assert (item["host"], item["path"]) not in kept


def test_baerums_planted_words_stay_baerums(server, dest: Path) -> None:
    """An archive holding Bærum and these four must still find Bærum's unique words once."""
    from sample.content import UNIQUE_WORDS

    routes = json.loads((dest / "routes.json").read_text(encoding="utf-8"))
    for r in routes:
        if "file" in r and not r["ctype"].startswith("application/pdf"):
            text = (dest / r["file"]).read_bytes().decode("utf-8", "replace").lower()
            assert not any(w in text for w in UNIQUE_WORDS), r["key"]
    for obj in json.loads((dest / "einnsyn.json").read_text(encoding="utf-8"))["objects"].values():
        assert not any(w in json.dumps(obj, ensure_ascii=False).lower() for w in UNIQUE_WORDS)


# ---------------------------------------------------------------- eInnsyn


def test_einnsyn_requires_the_api_key(server, answers: Answers, api) -> None:
    base = server.base_url("einnsyn")
    status, headers, body = fetch(base + "/moetemappe")
    assert status == 401 and json.loads(body)["type"] == "authenticationError"
    assert headers["Content-Type"].startswith("application/json")
    assert fetch(base + "/moetemappe", {"X-EIN-API-KEY": answers.api_key})[0] == 401  # the old header name
    status, body = api("/moetemappe", key="secret_wrong")
    assert status == 403 and body["type"] == "authorizationError"
    assert api("/moetemappe")[0] == 200
    assert fetch(server.base_url("einnsyn") + "/robots.txt")[0] == 200


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


@pytest.mark.parametrize("limit", [1, 7, 25, 100])
@pytest.mark.parametrize("order", ["asc", "desc"])
def test_einnsyn_paging_returns_every_item_once(api, dest: Path, limit: int, order: str) -> None:
    objects = json.loads((dest / "einnsyn.json").read_text(encoding="utf-8"))["objects"]
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


def test_einnsyn_journalenhet_keeps_only_stavanger(api, answers: Answers) -> None:
    ein = answers.einnsyn
    mine = all_pages(api, f"/moetemappe?journalenhet={ein['journalenhet']['id']}&limit=10")
    assert {m["id"] for m in mine} == {m["id"] for m in ein["meetings"]}
    others = all_pages(api, f"/moetemappe?journalenhet={ein['journalenhet']['other']['id']}")
    assert {m["id"] for m in others} == {m["id"] for m in ein["noise_meetings"]}
    enhet = api(f"/enhet/{ein['journalenhet']['id']}?expand=underenhet")[1]
    assert enhet["orgnummer"] == ein["journalenhet"]["orgnummer"] and enhet["enhetstype"] == "KOMMUNE"
    assert {u["enhetskode"] for u in enhet["underenhet"]} >= {"KST", "FSK", "UOU", "UHV"}


def test_einnsyn_decisions_and_votes_match_the_truth(api, answers: Answers) -> None:
    decisions = answers.einnsyn["decisions"]
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


def test_einnsyn_documents_are_reached_through_the_api(server, api, truth: Truth, answers: Answers) -> None:
    docs = [d for d in truth.documents if d.platform == "einnsyn"]
    assert len(docs) == 8
    for doc in docs:
        do_id = doc.source_page.rsplit("/", 1)[1]
        status, obj = api(f"/dokumentobjekt/{do_id}?expand=dokumentbeskrivelse")
        assert status == 200 and obj["referanseDokumentfil"] == server.original_url(doc)
        assert obj["dokumentbeskrivelse"]["tittel"] == doc.title
        status, headers, _ = fetch(server.base_url("einnsyn") + f"/dokumentobjekt/{do_id}/download",
                                   {answers.api_key_header: answers.api_key}, follow=False)  # fmt: skip
        assert status == 302 and headers["Location"] == server.original_url(doc)
        body = fetch(server.original_url(doc))[2]
        assert obj["sjekksum"] == hashlib.sha256(body).hexdigest()


def test_einnsyn_malformed_records_are_served_as_planted(api, answers: Answers) -> None:
    problems = {p["kind"]: p for p in answers.problems if p["platform"] == "einnsyn"}
    mm = api(f"/moetemappe/{problems['malformed_record']['id']}")[1]
    assert mm["moetedato"] == "2023-09-31T15:00:00Z" and "utvalg" not in mm
    vote = api(f"/votering/{problems['unknown_value']['id']}?expand=moetedeltaker")[1]
    assert vote["stemme"] == "Fraværende"
    assert vote["moetedeltaker"]["moetedeltakerNavn"] == problems["unknown_value"]["moetedeltaker"]
    sak = api(f"/moetesak/{problems['missing_decision']['id']}")[1]
    assert "vedtak" in sak and sak["vedtak"] is None
    fsk = next(m for m in answers.einnsyn["meetings"] if m["committee"] == "formannskapet" and m["budget"])
    stored = api(f"/moetemappe/{fsk['id']}")[1]["moetedato"]
    assert stored == fsk["moetedato_as_printed"] == "2023-11-29T23:00:00Z" and fsk["date"] == "2023-11-30"


def test_einnsyn_search_filters_and_pages(api, answers: Answers) -> None:
    ein = answers.einnsyn
    q = (f"/search?entity=Moetemappe&administrativEnhet={ein['journalenhet']['id']}"
         "&moetedatoAfter=2023-11-01T00:00:00Z&sortBy=moetedato&sortOrder=asc&limit=2")  # fmt: skip
    found = all_pages(api, q)
    want = [m for m in ein["meetings"] if m["date"] and m["date"] >= "2023-11-01"]
    assert sorted(m["id"] for m in found) == sorted(m["id"] for m in want)
    dates = [m["moetedato"] for m in found]
    assert dates == sorted(dates)
    hits = all_pages(api, f"/search?entity=Moetesak&journalenhet={ein['journalenhet']['id']}&query=budsjett")
    assert {h["id"] for h in hits} == {d["moetesak"] for d in ein["decisions"] if "udsjett" in d["title"]}


# ---------------------------------------------------------------- OpenGov


def test_opengov_budget_meetings_are_behind_year_pages_only(server, answers: Answers) -> None:
    og = answers.opengov
    base = server.base_url("opengov") + og["base"]
    budget = [m for m in og["meetings"] if m["budget"]]
    assert {m["committee"] for m in budget} == {"kommunestyret", "formannskapet", "oppvekst-og-kultur"}
    for board in og["boards"]:
        status, _, body = fetch(f"{base}/Boards/Details/{board['id']}")
        assert status == 200
        page = body.decode()
        years = re.findall(r"<option(?: selected)?>(\d{4})</option>", page)
        assert [int(y) for y in years] == board["years"]
        assert "href=" not in page.split('id="boardsYearSelection"')[1].split("</select>")[0]
        mine = [m for m in og["meetings"] if m["board"] == board["id"]]
        for m in mine:
            link = f'/Meetings/Details/{m["id"]}"'
            assert (link in page) == m["date"].startswith(str(board["default_year"])), (board["id"], m["id"])
            year_page = fetch(f"{base}/Boards/Details/{board['id']}?Year={m['date'][:4]}")[2].decode()
            assert link in year_page
    home = fetch(base)[2].decode()
    assert not any(f"Details/{m['id']}\"" in home for m in budget)


def test_opengov_agenda_items_load_by_script(server, answers: Answers) -> None:
    og = answers.opengov
    base = server.base_url("opengov")
    for m in og["meetings"]:
        page = fetch(f"{base}{og['base']}/Meetings/Details/{m['id']}")[2].decode()
        assert "href=\"" + og["base"] + "/Meetings/LoadAgendaItemDetail" not in page
        for it in m["items"]:
            detail = f"{og['base']}/Meetings/LoadAgendaItemDetail/{it['id']}"
            assert f"loadAgendaItem('{detail}','{it['id']}')" in page
            heading = f"{it['case']} - {it['title']}" if it["case"] else it["title"]
            assert f"<h4>{html.unescape(heading)}</h4>" in html.unescape(page)
            status, headers, frag = fetch(base + detail)
            assert status == 200 and not frag.lstrip().startswith(b"<!DOCTYPE")
            hrefs = re.findall(r'href="([^"]+)"', frag.decode())
            assert [int(re.search(r"/File/Details/(\d+)\.PDF", h).group(1)) for h in hrefs] == it["files"]
            for h in hrefs:
                url = html.unescape(h)
                size = int(re.search(r"fileSize=(\d+)", url).group(1))
                status, _, body = fetch(base + url)
                assert status in (200, 404)
                assert status == 404 or len(body) == size, url


def test_opengov_pages_are_encoded_as_aspnet_does(server, answers: Answers) -> None:
    og = answers.opengov
    page = fetch(server.base_url("opengov") + og["base"] + "/Boards")[2].decode()
    assert "m&#248;ter" in page and "møter" not in page
    hu = next(m for m in og["meetings"] if not m["date_on_page"])
    page = fetch(server.base_url("opengov") + og["base"] + f"/Meetings/Details/{hu['id']}")[2].decode()
    assert "<span>Dato</span></div>\n            <div class=\"detailContent\"><p></p>" in page
    assert hu["date"] not in page and hu["date"][8:] + "." + hu["date"][5:7] not in page
    board = fetch(server.base_url("opengov") + og["base"] + f"/Boards/Details/{hu['board']}?Year=2023")[2].decode()
    assert "22.11.2023" in board


def test_opengov_redirects_and_the_other_organisation(server, answers: Answers, truth: Truth) -> None:
    base = server.base_url("opengov")
    og = answers.opengov
    status, headers, _ = fetch(base + og["base"] + "/", follow=False)
    assert status == 301 and headers["Location"] == base + og["base"]
    status, headers, _ = fetch(base + og["base"].replace(og["org"], og["org"].lower()), follow=False)
    assert status == 302 and headers["Location"] == base + og["base"]
    noise = [n for n in truth.never_request if n.get("host") == "opengov"]
    assert noise and all("/Meetings/telemarkfylke/" in n["path"] for n in noise)
    assert fetch(base + "/Meetings/telemarkfylke")[0] == 200


# ---------------------------------------------------------------- Framsikt


def framsikt_pages(server, pub: dict) -> list[dict]:
    """Read a publication the documented way: content.html, then each dataId's description.json."""
    base = server.base_url("framsikt")
    content = fetch(base + pub["content_html"])[2].decode()
    pages: list[dict] = []
    for m in re.finditer(r'class="row h([1-6])"[^>]*>([^<]*)</div>|dataId="([^"]+)"|tableId="([^"]+)"', content):
        if m.group(1):
            heading = html.unescape(m.group(2))
            if int(m.group(1)) <= 2:
                pages.append({"heading": heading, "headings": [heading], "text": [], "tables": []})
            else:
                pages[-1]["headings"].append(heading)
        elif m.group(3):
            status, _, body = fetch(f"{base}{pub['path']}/content/text{m.group(3)}/description.json")
            if status != 200:
                continue
            try:
                description = json.loads(body)["description"]
            except json.JSONDecodeError:
                continue
            if description is not None:
                pages[-1]["text"].append(visible_text(description))
        else:
            pages[-1]["tables"].append(json.loads(fetch(f"{base}{pub['path']}/content/table/{m.group(4)}/data.json")[2]))
    return pages


def test_framsikt_publications_read_as_their_truth(server, answers: Answers) -> None:
    fs = answers.framsikt
    assert len(fs["publications"]) == 2 and fs["unverified"]
    for pub in fs["publications"]:
        read = framsikt_pages(server, pub)
        truth_pages = pub["pages"]
        assert [p["heading"] for p in read] == [p["heading"] for p in truth_pages]
        for got, want in zip(read, truth_pages, strict=True):
            assert got["headings"] == want["headings"]
            assert got["text"] == want["text"], want["heading"]
            assert got["tables"] == [{k: v for k, v in t.items() if k not in ("id",)} for t in want["tables"]]
        assert "3.1 Oppvekst & utdanning" in [p["heading"] for p in read]
        tree = json.loads(fetch(server.base_url("framsikt") + pub["tree_json"])[2])
        assert [n["title"] for n in tree["nodes"]] == [p["heading"] for p in truth_pages if p["level"] == 1]


def test_framsikt_broken_blocks_fail_as_planted(server, answers: Answers) -> None:
    base = server.base_url("framsikt")
    for pub in answers.framsikt["publications"]:
        kinds = {}
        for page in pub["pages"]:
            for block in page["blocks"]:
                if block["kind"] != "text":
                    continue
                status, _, body = fetch(f"{base}{pub['path']}/content/text/{block['id']}/description.json")
                kinds[block["broken"]] = kinds.get(block["broken"], 0) + 1
                if block["broken"] == "gone":
                    assert status == 404
                elif block["broken"] == "null":
                    assert json.loads(body) == {"description": None}
                elif block["broken"] == "invalid":
                    with pytest.raises(json.JSONDecodeError):
                        json.loads(body)
                else:
                    assert status == 200 and json.loads(body)["description"]
        assert kinds["gone"] == kinds["null"] == kinds["invalid"] == 1
    gone = answers.framsikt["gone_publication"]
    assert fetch(base + gone["path"])[0] == 404


def test_framsikt_publication_url_redirects_to_its_shell(server, truth: Truth) -> None:
    for doc in (d for d in truth.documents if d.platform == "framsikt"):
        status, headers, _ = fetch(server.original_url(doc), follow=False)
        assert status == 301 and headers["Location"] == server.base_url("framsikt") + doc.final_path
    page = fetch(server.base_url("malvik") + framsikt.CMS_PAGE)[2].decode()
    assert "#/" in page and ".pdf" not in page.lower()


def test_framsikt_republished_snapshot_changes_text_figures_and_etags(dest: Path, answers: Answers) -> None:
    pub = next(p for p in answers.framsikt["publications"] if p["key"] == "framsikt-forslag")
    snap = pub["snapshots"]["b"]
    with serve(dest) as srv:  # a server of its own: the module's server keeps snapshot a
        base = srv.base_url("framsikt")
        before = {path: fetch(base + path) for path in pub["snapshots"]["a"]}
        changed = framsikt.republish(srv, dest)
        assert sorted(changed) == sorted(c["path"] for c in snap["changed"])
        for path, (_, headers, body) in before.items():
            status, _, new = fetch(base + path, {"If-None-Match": headers["ETag"]})
            if path in changed:
                assert status == 200 and new != body, path
            else:
                assert status == 304, path
        read = framsikt_pages(srv, pub)
    assert [p["text"] for p in read] == [p["text"] for p in snap["pages"]]
    assert snap["differs"] and snap["differs"] == [
        n + 1 for n, (a, b) in enumerate(zip(pub["pages"], snap["pages"], strict=True)) if a != b]

    def kulturskole(pages: list[dict]) -> list[int]:
        return next(r["values"] for p in pages for t in p["tables"] for r in t["rows"] if r["label"] == "Kulturskole")

    assert kulturskole(snap["pages"])[2] - kulturskole(pub["pages"])[2] == 300_000


# ---------------------------------------------------------------- Asker


def test_asker_portal_is_latin1_and_hides_last_year_behind_a_link(server, answers: Answers) -> None:
    base = server.base_url("asker_innsyn")
    status, headers, body = fetch(base + "/wfinnsyn.ashx?response=moteplan&utvalg=11&")
    assert headers["Content-Type"] == "text/html; charset=iso-8859-1"
    page = body.decode("iso-8859-1")
    assert "Møteplan Kommunestyret 2024" in page and "aar=2023" in page
    kst = next(m for m in answers.acos["meetings"] if m["committee"] == "kommunestyret" and m["date"] == "2023-12-12")
    ref = html.escape(kst["path"].lstrip("/"))
    assert ref not in page
    assert ref in fetch(base + "/wfinnsyn.ashx?response=moteplan&utvalg=11&aar=2023&")[2].decode("iso-8859-1")
    meeting = fetch(base + kst["path"])[2].decode("iso-8859-1")
    for item in kst["items"]:
        assert html.escape(item["path"].lstrip("/")) in meeting
        assert fetch(base + item["path"])[0] == 200
    plan = fetch(base + "/wfinnsyn.ashx?response=moteplan&utvalg=12&")[2].decode("iso-8859-1")
    assert "(Avlyst)" in plan


def test_asker_cms_redirects_and_archive(server, truth: Truth) -> None:
    base = server.base_url("asker")
    status, headers, _ = fetch(base + "/politikk/handlingsprogram/", follow=False)
    assert status == 301 and headers["Location"] == base + "/om-asker-kommune/okonomi/handlingsprogram/"
    old = next(d for d in truth.documents if d.key == "asker-vedtak-2023")
    status, headers, _ = fetch(server.original_url(old), follow=False)
    assert status == 301 and headers["Location"] == base + old.final_path


# ---------------------------------------------------------------- decisions in protocols


def test_protocol_decisions_stand_on_their_pages(server, truth: Truth) -> None:
    docs = [d for d in truth.documents if d.decisions]
    assert {d.source for d in docs} == {"asker", "nordrefollo"}
    statements = 0
    for doc in docs:
        pages = pdf_pages(fetch(server.original_url(doc))[2])
        for decision in doc.decisions:
            text = " ".join(pages[n - 1] for n in decision["pages"])
            assert decision["title"] in text, (doc.key, decision["case"])
            for v in decision["votes"]:
                assert v["text"] in text, (doc.key, v["text"])
                statements += 1
            if decision["decision"]:
                assert decision["decision"] in text
    assert statements >= 10
    unparsed = [v for d in docs for dec in d.decisions for v in dec["votes"] if not v["parsed"]]
    assert len(unparsed) == 1


# ---------------------------------------------------------------- budget lines and inhabitants


def test_every_municipality_prints_the_compared_lines_and_its_inhabitants(answers: Answers) -> None:
    per_capita = {}
    for m in answers.municipalities:
        adopted = [p for p in m.series if p["year"] == YEAR and p["kind"] == "budsjett" and p["stage"] == "vedtak"]
        labels = {p["label"] for p in adopted}
        assert labels >= set(LINES) | {RESULT}, m.source
        inhabitants = {i["value"] for i in m.inhabitants if i["year"] == YEAR}
        assert len(inhabitants) == 1, m.source  # every document of a municipality agrees
        n = inhabitants.pop()
        grunnskole = next(p for p in adopted if p["label"] == "Grunnskole")
        per_capita[m.source] = grunnskole["value_kr"] / n
        stages = {p["stage"] for p in m.series}
        assert {"forslag", "vedtak"} <= stages, m.source
    assert all(10_000 < v < 20_000 for v in per_capita.values()), per_capita
    assert len({round(v) for v in per_capita.values()}) == 4


def test_printed_cells_stand_where_the_truth_says(server, truth: Truth, answers: Answers) -> None:
    docs = {d.key: d for d in truth.documents}
    texts: dict[str, list[str]] = {}
    for m in answers.municipalities:
        for p in m.series + m.inhabitants:
            doc = docs[p["doc"]]
            assert doc.source == m.source
            if doc.media_type == "framsikt":
                continue  # read as data in test_framsikt_publications_read_as_their_truth
            if doc.key not in texts:
                texts[doc.key] = pdf_pages(fetch(server.original_url(doc))[2])
            page = texts[doc.key][p["page"] - 1]
            assert p["text"] in page, (doc.key, p)
            if "label" in p:
                assert p["label"] in page
    framsikt_points = [p for m in answers.municipalities for p in m.series + m.inhabitants
                       if docs[p["doc"]].media_type == "framsikt"]  # fmt: skip
    assert {docs[p["doc"]].key for p in framsikt_points if "value" in p} == {"framsikt-forslag", "framsikt-vedtak"}
    for p in framsikt_points:
        doc = docs[p["doc"]]
        pub = next(x for x in answers.framsikt["publications"] if x["key"] == doc.key)
        cells = [str(v) for pg in pub["pages"] for t in pg["tables"] for r in t["rows"] for v in r["values"]
                 if r["label"] == p["label"]]  # fmt: skip
        kf = next(pg for pg in pub["pages"] if pg["n"] == p["page"])
        assert p["text"] in cells or p["text"] in " ".join(kf["text"]), p


def test_series_truth_matches_truth_documents(truth: Truth, answers: Answers) -> None:
    by_doc: dict[str, list[dict]] = {}
    for m in answers.municipalities:
        for p in m.series:
            by_doc.setdefault(p["doc"], []).append(p)
    with_series: list[TruthDoc] = [d for d in truth.documents if d.series]
    assert {d.key for d in with_series} == set(by_doc)
    for doc in with_series:
        assert doc.series == by_doc[doc.key]
        assert {p["source"] for p in doc.series} == {doc.source}
