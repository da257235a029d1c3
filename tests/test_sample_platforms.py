"""The platform replicas themselves (sample.municipalities): built deterministically, served on
loopback as their answer key says, every document and planted failure where the key puts it,
Asker's portal, the decisions in protocols, and the budget lines and inhabitants every
municipality prints. These tests read the replicas with plain HTTP; the adapters have their own
tests, and each platform's API its own module (test_sample_einnsyn.py, test_sample_opengov.py,
test_sample_framsikt.py)."""

from __future__ import annotations

import hashlib
import html
import io
import json
import re
import tomllib
from pathlib import Path

import pdfplumber
from loopback import fetch

from sample import Truth, TruthDoc
from sample.municipalities import HOSTS, build_municipalities
from sample.platforms.answers import Answers
from sample.platforms.figures import LINES, RESULT, YEAR
from sources import load_source

DRAFTS = Path(__file__).parent.parent / "sample" / "draft_sources"


def pdf_pages(data: bytes) -> list[str]:
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        return [" ".join((page.extract_text() or "").split()) for page in pdf.pages]


# ---------------------------------------------------------------- the build


def test_build_is_deterministic(kommuner_dir: Path, tmp_path: Path) -> None:
    again = build_municipalities(tmp_path / "again")
    for name in ("routes.json", "truth.json", "replicas.json", "einnsyn.json", "apps.json"):
        assert (again / name).read_bytes() == (kommuner_dir / name).read_bytes(), name

    def digest(root: Path) -> dict[str, str]:
        return {str(p.relative_to(root)): hashlib.sha1(p.read_bytes()).hexdigest()
                for p in sorted((root / "files").rglob("*")) if p.is_file()}  # fmt: skip

    assert digest(again) == digest(kommuner_dir)


def test_every_host_is_its_own_loopback_address(kommuner_server, kommuner_answers: Answers) -> None:
    assert kommuner_answers.hosts == HOSTS
    assert len(set(HOSTS.values())) == len(HOSTS)
    for name, ip in HOSTS.items():
        assert ip.startswith("127.") and not ip.startswith("127.0.0."), (name, ip)  # Bærum keeps 127.0.0.x
        assert kommuner_server.base_url(name).startswith(f"http://{ip}:")


def test_four_municipalities_with_real_names_and_numbers(kommuner_answers: Answers,
                                                         kommuner_truth: Truth) -> None:
    got = {(m.source, m.name, m.number) for m in kommuner_answers.municipalities}
    assert got == {("asker", "Asker", "3203"), ("malvik", "Malvik", "5031"), ("stavanger", "Stavanger", "1103"),
                   ("nordrefollo", "Nordre Follo", "3207")}  # fmt: skip
    platforms = {m.source: set(m.platforms) for m in kommuner_answers.municipalities}
    assert platforms == {"asker": {"cms", "acos"}, "malvik": {"framsikt"}, "stavanger": {"einnsyn"},
                         "nordrefollo": {"opengov"}}  # fmt: skip
    for doc in kommuner_truth.documents:
        m = kommuner_answers.municipality(doc.source)
        assert (doc.kommune, doc.kommunenummer) == (m.name, m.number), doc.key
        assert doc.platform in m.platforms + ["cms"], doc.key
        assert doc.host in m.hosts, doc.key
        assert doc.year == YEAR or doc.key == "asker-vedtak-2023", doc.key
    assert {d.platform for d in kommuner_truth.documents} == {"cms", "acos", "framsikt", "einnsyn", "opengov"}


def test_no_pdf_of_malviks_plan_exists(kommuner_truth: Truth) -> None:
    malvik = [d for d in kommuner_truth.documents if d.source == "malvik"]
    assert malvik and all(d.media_type == "framsikt" and d.host == "framsikt" for d in malvik)
    assert {d.doctype for d in malvik} == {"forslag", "vedtak"}


def test_truth_speaks_the_draft_sources_vocabulary(kommuner_truth: Truth) -> None:
    doctypes = load_source("baerum").vocabulary.doctype_slugs()  # the national document types
    for doc in kommuner_truth.documents:
        vocab = load_source(DRAFTS / f"{doc.source}.toml").vocabulary
        assert doc.committee is None or doc.committee in vocab.committee_slugs(), doc.key
        assert doc.doctype in doctypes, doc.key
        for decision in doc.decisions:
            assert decision["committee"] in vocab.committee_slugs(), (doc.key, decision["case"])


def test_draft_sources_name_the_municipality_and_its_platforms(kommuner_answers: Answers) -> None:
    for m in kommuner_answers.municipalities:
        data = tomllib.loads((DRAFTS / f"{m.source}.toml").read_text(encoding="utf-8"))
        assert data["name"] == m.source and data["kommune"]["number"] == m.number
        assert data["kommune"]["name"] == m.name
        assert {p["kind"] for p in data["platforms"]} == set(m.platforms)
        text = json.dumps(data)
        assert "secret_" not in text and "api_key\"" not in text  # a key never lives in a file
        for url in re.findall(r"https?://[^\"\s]+", text):
            assert "127.0." not in url  # the drafts name the real sites; tests rewrite them


# ---------------------------------------------------------------- every document and failure


def test_every_truth_document_is_served_as_promised(kommuner_server, kommuner_truth: Truth) -> None:
    for doc in kommuner_truth.documents:
        status, headers, body = fetch(kommuner_server.original_url(doc))
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


def test_planted_text_stands_on_its_page(kommuner_server, kommuner_truth: Truth) -> None:
    for doc in kommuner_truth.documents:
        if doc.media_type != "pdf" or not doc.planted:
            continue
        pages = pdf_pages(fetch(kommuner_server.original_url(doc))[2])
        for p in doc.planted:
            assert p["text"] in pages[p["page"] - 1], (doc.key, p)
    words = {w["word"] for w in kommuner_truth.planted_words}
    assert len(words) == 4 and all(w["unique"] for w in kommuner_truth.planted_words)


def test_failures_answer_as_the_answer_key_says(kommuner_server, kommuner_answers: Answers) -> None:
    kinds = {(p["platform"], p["kind"]) for p in kommuner_answers.problems}
    assert {("einnsyn", "expired_link"), ("einnsyn", "malformed_record"), ("einnsyn", "unknown_value"),
            ("einnsyn", "missing_decision"), ("opengov", "expired_link"), ("opengov", "malformed_record"),
            ("framsikt", "expired_link"), ("framsikt", "malformed_record"), ("cms", "expired_link"),
            ("cms", "malformed_record")} <= kinds  # fmt: skip
    for p in kommuner_answers.problems:
        assert p["reason"] and p["expect"], p
        if p["kind"] == "expired_link":
            status, _, _ = fetch(kommuner_server.base_url(p["host"]) + p["path"])
            assert status == p["status"] and status in (404, 410), p


def test_skipped_documents_exist_but_are_not_truth(kommuner_server, kommuner_truth: Truth) -> None:
    kept = {(d.host, d.path) for d in kommuner_truth.documents}
    assert len(kommuner_truth.skipped) >= 10
    for item in kommuner_truth.skipped:
        assert (item["host"], item["path"]) not in kept
        assert fetch(kommuner_server.base_url(item["host"]) + item["path"])[0] == 200, item
    for item in kommuner_truth.never_request:
        if "host" in item:
            assert (item["host"], item["path"]) not in kept


def test_baerums_planted_words_stay_baerums(kommuner_server, kommuner_dir: Path) -> None:
    """An archive holding Bærum and these four must still find Bærum's unique words once."""
    from sample.content import UNIQUE_WORDS

    routes = json.loads((kommuner_dir / "routes.json").read_text(encoding="utf-8"))
    for r in routes:
        if "file" in r and not r["ctype"].startswith("application/pdf"):
            text = (kommuner_dir / r["file"]).read_bytes().decode("utf-8", "replace").lower()
            assert not any(w in text for w in UNIQUE_WORDS), r["key"]
    for obj in json.loads((kommuner_dir / "einnsyn.json").read_text(encoding="utf-8"))["objects"].values():
        assert not any(w in json.dumps(obj, ensure_ascii=False).lower() for w in UNIQUE_WORDS)


# ---------------------------------------------------------------- Asker


def test_asker_portal_is_latin1_and_hides_last_year_behind_a_link(kommuner_server,
                                                                  kommuner_answers: Answers) -> None:
    base = kommuner_server.base_url("asker_innsyn")
    status, headers, body = fetch(base + "/wfinnsyn.ashx?response=moteplan&utvalg=11&")
    assert headers["Content-Type"] == "text/html; charset=iso-8859-1"
    page = body.decode("iso-8859-1")
    assert "Møteplan Kommunestyret 2024" in page and "aar=2023" in page
    kst = next(m for m in kommuner_answers.acos["meetings"]
               if m["committee"] == "kommunestyret" and m["date"] == "2023-12-12")
    ref = html.escape(kst["path"].lstrip("/"))
    assert ref not in page
    assert ref in fetch(base + "/wfinnsyn.ashx?response=moteplan&utvalg=11&aar=2023&")[2].decode("iso-8859-1")
    meeting = fetch(base + kst["path"])[2].decode("iso-8859-1")
    for item in kst["items"]:
        assert html.escape(item["path"].lstrip("/")) in meeting
        assert fetch(base + item["path"])[0] == 200
    plan = fetch(base + "/wfinnsyn.ashx?response=moteplan&utvalg=12&")[2].decode("iso-8859-1")
    assert "(Avlyst)" in plan


def test_asker_cms_redirects_and_archive(kommuner_server, kommuner_truth: Truth) -> None:
    base = kommuner_server.base_url("asker")
    status, headers, _ = fetch(base + "/politikk/handlingsprogram/", follow=False)
    assert status == 301 and headers["Location"] == base + "/om-asker-kommune/okonomi/handlingsprogram/"
    old = next(d for d in kommuner_truth.documents if d.key == "asker-vedtak-2023")
    status, headers, _ = fetch(kommuner_server.original_url(old), follow=False)
    assert status == 301 and headers["Location"] == base + old.final_path


# ---------------------------------------------------------------- decisions in protocols


def test_protocol_decisions_stand_on_their_pages(kommuner_server, kommuner_truth: Truth) -> None:
    docs = [d for d in kommuner_truth.documents if d.decisions]
    assert {d.source for d in docs} == {"asker", "nordrefollo"}
    statements = 0
    for doc in docs:
        pages = pdf_pages(fetch(kommuner_server.original_url(doc))[2])
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


def test_every_municipality_prints_the_compared_lines_and_its_inhabitants(kommuner_answers: Answers) -> None:
    per_capita = {}
    for m in kommuner_answers.municipalities:
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


def test_printed_cells_stand_where_the_truth_says(kommuner_server, kommuner_truth: Truth,
                                                  kommuner_answers: Answers) -> None:
    docs = {d.key: d for d in kommuner_truth.documents}
    texts: dict[str, list[str]] = {}
    for m in kommuner_answers.municipalities:
        for p in m.series + m.inhabitants:
            doc = docs[p["doc"]]
            assert doc.source == m.source
            if doc.media_type == "framsikt":
                continue  # read as data in test_framsikt_publications_read_as_their_truth
            if doc.key not in texts:
                texts[doc.key] = pdf_pages(fetch(kommuner_server.original_url(doc))[2])
            page = texts[doc.key][p["page"] - 1]
            assert p["text"] in page, (doc.key, p)
            if "label" in p:
                assert p["label"] in page
    framsikt_points = [p for m in kommuner_answers.municipalities for p in m.series + m.inhabitants
                       if docs[p["doc"]].media_type == "framsikt"]  # fmt: skip
    assert {docs[p["doc"]].key for p in framsikt_points if "value" in p} == {"framsikt-forslag", "framsikt-vedtak"}
    for p in framsikt_points:
        doc = docs[p["doc"]]
        pub = next(x for x in kommuner_answers.framsikt["publications"] if x["key"] == doc.key)
        cells = [str(v) for pg in pub["pages"] for t in pg["tables"] for r in t["rows"] for v in r["values"]
                 if r["label"] == p["label"]]  # fmt: skip
        kf = next(pg for pg in pub["pages"] if pg["n"] == p["page"])
        assert p["text"] in cells or p["text"] in " ".join(kf["text"]), p


def test_series_truth_matches_truth_documents(kommuner_truth: Truth, kommuner_answers: Answers) -> None:
    by_doc: dict[str, list[dict]] = {}
    for m in kommuner_answers.municipalities:
        for p in m.series:
            by_doc.setdefault(p["doc"], []).append(p)
    with_series: list[TruthDoc] = [d for d in kommuner_truth.documents if d.series]
    assert {d.key for d in with_series} == set(by_doc)
    for doc in with_series:
        assert doc.series == by_doc[doc.key]
        assert {p["source"] for p in doc.series} == {doc.source}
