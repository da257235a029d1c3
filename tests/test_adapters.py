"""Each platform adapter against its replica (sample.municipalities), over real loopback HTTP,
checked against the replicas' answer key: every field of every document, what must not be kept
or asked for, every expired link and malformed record recorded with its reason, the eInnsyn
key and cursor paging, and the four sources crawled side by side in one run."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from catalog import DataDir, connect, fetch_failures, links_to, list_versions
from catalog.models import Filters
from crawler.parent import CrawlSummary, crawl, host_delays
from sample import Truth, TruthDoc, serve
from sample.municipalities import loopback_sources
from sample.platforms import framsikt
from sample.platforms.answers import Answers

FIELDS = ("title", "year", "period", "committee", "doctype", "date", "kommune", "kommunenummer", "source")
SOURCES = ("asker", "malvik", "stavanger", "nordrefollo")
PAGE_SIZE = 10  # eInnsyn pages of ten: the meetings and the roll-calls take several pages each


@pytest.fixture(scope="module")
def dest(kommuner_dir: Path) -> Path:
    return kommuner_dir


def replica_sources(server: Any, folder: Path) -> Path:
    """The shipped sources rewritten to the running replicas, eInnsyn asked for small pages."""
    out = loopback_sources(server, folder)
    path = out / "stavanger.toml"
    path.write_text(path.read_text(encoding="utf-8").replace('kind = "einnsyn"', f'kind = "einnsyn"\npage_size = {PAGE_SIZE}'),
                    encoding="utf-8")
    return out


def with_key(kommuner_answers: Answers) -> dict[str, str]:
    return {**os.environ, "HPARKIV_EINNSYN_API_KEY": kommuner_answers.api_key}


@pytest.fixture(scope="module")
def crawled(dest: Path, kommuner_answers: Answers, tmp_path_factory: pytest.TempPathFactory):
    """The four sources crawled side by side in one run: (server, data dir, summary)."""
    data = DataDir(tmp_path_factory.mktemp("crawl-kommuner"))
    with serve(dest) as server:
        sources = replica_sources(server, tmp_path_factory.mktemp("sources"))
        summary = crawl(data, source=str(sources), download_delay=0, environ=with_key(kommuner_answers))
        yield server, data, summary


def current(data: DataDir) -> dict[str, Any]:
    """The current version row at each URL that holds one."""
    conn = connect(data)
    try:
        return {r["url"]: conn.execute("SELECT * FROM versions WHERE sha256=?", (r["sha256"],)).fetchone()
                for r in conn.execute("SELECT url, sha256 FROM urls WHERE sha256 IS NOT NULL")}
    finally:
        conn.close()


def path_of(url: str) -> str:
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def docs_of(kommuner_truth: Truth, source: str) -> list[TruthDoc]:
    return [d for d in kommuner_truth.documents if d.source == source]


@pytest.mark.parametrize("source", SOURCES)
def test_every_document_found_with_every_field(crawled, kommuner_truth: Truth, source: str) -> None:
    server, data, summary = crawled
    found = current(data)
    conn = connect(data)
    errors = []
    docs = docs_of(kommuner_truth, source)
    assert docs
    for doc in docs:
        row = found.get(server.original_url(doc))
        if row is None:
            errors.append(f"{doc.key}: not found at {doc.path}")
            continue
        for f in FIELDS:
            if row[f] != getattr(doc, f):
                errors.append(f"{doc.key}: {f} = {row[f]!r}, expected {getattr(doc, f)!r} ({row['provenance']})")
        media = "framsikt" if doc.media_type == "framsikt" else "pdf"
        if row["media_type"] != media:
            errors.append(f"{doc.key}: media_type {row['media_type']!r}, expected {media!r}")
        if doc.final_path and server.base_url(doc.host) + doc.final_path not in found:
            errors.append(f"{doc.key}: not recorded at its final address {doc.final_path}")
        links = links_to(conn, row["sha256"])
        if doc.platform not in {link.context.get("platform") for link in links}:
            errors.append(f"{doc.key}: no link found by the {doc.platform} adapter")
        if doc.source_page and doc.source_page not in {path_of(link.source_page) for link in links}:
            errors.append(f"{doc.key}: no link from {doc.source_page} ({[link.source_page for link in links]})")
        for f in ("title", "year", "doctype", "kommune"):
            if row[f] is not None and not json.loads(row["provenance"]).get(f) and f != "kommune":
                errors.append(f"{doc.key}: {f} has no provenance")
    conn.close()
    assert not errors, "\n".join(errors)
    mine = summary.sources[source]
    assert mine.error is None and mine.documents_seen >= len(docs) and not mine.fetched_nothing()


def test_nothing_else_is_kept(crawled, kommuner_truth: Truth) -> None:
    """Only the kommuner_truth's documents, the optional ones (a summons) and eInnsyn's decision records."""
    server, data, _ = crawled
    expected = {server.original_url(d) for d in kommuner_truth.documents}
    expected |= {server.base_url(d.host) + d.final_path for d in kommuner_truth.documents if d.final_path}
    optional = {server.base_url(o["host"]) + o["path"] for o in kommuner_truth.optional if "host" in o}
    extra = [(url, row["media_type"]) for url, row in current(data).items() if url not in expected | optional]
    assert extra and all(media == "einnsyn" and "/moetesak/" in url for url, media in extra), extra


def test_skipped_documents_are_not_kept_and_other_publishers_never_asked(crawled, kommuner_truth: Truth) -> None:
    server, data, _ = crawled
    found = current(data)
    assert kommuner_truth.skipped and kommuner_truth.never_request
    for item in kommuner_truth.skipped:
        assert server.base_url(item["host"]) + item["path"] not in found, item
    asked = {(e.host, e.path) for e in server.requests}
    for item in kommuner_truth.never_request:
        if "host" in item:
            assert (item["host"], item["path"]) not in asked, item
    assert not any(host == "rogfk_filer" for host, _ in asked)
    assert not any("/Meetings/telemarkfylke" in path for host, path in asked if host == "opengov")


def test_expired_links_and_malformed_records_are_recorded_with_their_reason(crawled, kommuner_answers: Answers) -> None:
    server, data, summary = crawled
    conn = connect(data)
    failures = {f["url"]: f for f in fetch_failures(conn)}
    conn.close()
    by_path = {path_of(url): f for url, f in failures.items()}
    for p in kommuner_answers.problems:
        source = p["source"]
        if p["kind"] == "expired_link":
            f = failures.get(server.base_url(p["host"]) + p["path"])
            assert f is not None, p
            assert f["http_status"] == p["status"] and f["error"].startswith(f"HTTP {p['status']}"), f
            assert f["source"] == source
        elif p["kind"] == "malformed_record" and p["platform"] == "einnsyn":
            f = by_path[f"/{p['entity'].lower()}/{p['id']}"]
            assert "moetedato" in f["error"] and "not a date" in f["error"] and "utvalg is missing" in f["error"]
        elif p["kind"] == "malformed_record" and p["platform"] == "framsikt":
            assert "not JSON" in by_path[p["path"]]["error"]
        elif p["kind"] == "malformed_record" and p["platform"] == "opengov":
            f = by_path[p["path"]]
            assert "no date" in f["error"] and "2023-11-22" in f["error"] and "no case number" in f["error"]
        elif p["kind"] == "malformed_record":  # the truncated PDF: kept as fetched, extraction fails it
            assert server.base_url(p["host"]) + p["path"] in current(data)
        elif p["kind"] == "unknown_value":
            f = by_path[f"/votering/{p['id']}"]
            assert "Fraværende" in f["error"] and "not counted" in f["error"]
        elif p["kind"] == "missing_decision":
            assert any("no decision published" in n for n in summary.sources["stavanger"].messages)
    for name in SOURCES:
        mine = summary.sources[name]
        assert mine.failed + mine.problems >= 1 and mine.failures, name  # each replica plants failures


def test_einnsyn_is_read_page_by_page_with_the_key_in_its_header(crawled, kommuner_answers: Answers) -> None:
    server, _, _ = crawled
    api = [e for e in server.requests if e.host == "einnsyn"]

    def key(e: Any) -> str | None:
        return {k.lower(): v for k, v in e.headers.items()}.get(kommuner_answers.api_key_header.lower())

    assert api and all(key(e) == kommuner_answers.api_key for e in api if e.path != "/robots.txt")
    assert all(e.status != 401 and e.status != 403 for e in api)
    meetings = [e for e in api if e.path.startswith("/moetemappe?")]
    assert len(meetings) >= 4 and sum("startingAfter=" in e.path for e in meetings) == len(meetings) - 1
    votes = [e for e in api if "/votering" in e.path]
    assert sum("startingAfter=" in e.path for e in votes) >= 6  # 67 and 13 members, ten a page
    files = [e for e in server.requests if e.host == "stavanger_filer"]
    assert files and not any(key(e) for e in files)  # the key goes to the API only


def test_the_key_is_never_written_down(crawled, kommuner_answers: Answers) -> None:
    _, data, _ = crawled
    for path in data.root.rglob("*"):
        if path.is_file():
            assert kommuner_answers.api_key.encode() not in path.read_bytes(), path


def test_every_document_has_its_municipality_and_filters_select_it(crawled) -> None:
    _, data, _ = crawled
    conn = connect(data)
    versions = list_versions(conn, Filters(all_versions=True))
    assert versions and all(v.kommunenummer and v.kommune and v.source for v in versions)
    by = {n: {v.sha256 for v in list_versions(conn, Filters(kommune=n))} for n in ("3203", "5031", "1103", "3207")}
    assert all(by.values()) and sum(len(s) for s in by.values()) == len({v.sha256 for v in versions if not v.superseded_by})
    conn.close()


def test_politeness_is_per_host_whichever_source_asks() -> None:
    a = {"allowed_netlocs": ["pub.framsikt.net", "www.malvik.kommune.no"], "download_delay": None, "politeness": 2.0}
    b = {"allowed_netlocs": ["pub.framsikt.net", "api.einnsyn.no"], "download_delay": None, "politeness": None}
    c = {"allowed_netlocs": ["127.0.2.2:8001"], "download_delay": None, "politeness": 5.0}
    delays = host_delays([a, b, c])
    assert delays == {"pub.framsikt.net": 2.0, "www.malvik.kommune.no": 2.0, "api.einnsyn.no": 1.0, "127.0.2.2": 0.0}


def test_politeness_clock_spaces_requests_to_one_host_across_crawlers(monkeypatch) -> None:
    """Two crawlers' requests to one host are spaced by its delay; another host is not held up."""
    import asyncio

    from scrapy import Request

    from crawler import middlewares

    now = [100.0]
    slept: list[float] = []
    monkeypatch.setattr(middlewares.time, "monotonic", lambda: now[0])
    monkeypatch.setattr(middlewares, "_NEXT_SLOT", {})

    async def fake_sleep(seconds: float) -> None:
        slept.append(round(seconds, 3))

    monkeypatch.setattr(middlewares.asyncio, "sleep", fake_sleep)

    class Settings:
        def getdict(self, name: str) -> dict[str, float]:
            return {"pub.framsikt.net": 1.5}

    class FakeCrawler:
        settings = Settings()

    one, two = middlewares.PolitenessMiddleware(FakeCrawler()), middlewares.PolitenessMiddleware(FakeCrawler())

    async def run() -> None:
        for mw in (one, two, one):
            await mw.process_request(Request("https://pub.framsikt.net/2026/malvik/x"))
        await two.process_request(Request("https://www.malvik.kommune.no/"))

    asyncio.run(run())
    assert slept == [1.5, 3.0]  # the first goes at once, the next two wait their turn; malvik waits for nothing


def test_a_missing_key_stops_that_source_only(dest: Path, kommuner_answers: Answers, tmp_path: Path) -> None:
    data = DataDir(tmp_path / "data")
    env = {k: v for k, v in os.environ.items() if k != "HPARKIV_EINNSYN_API_KEY"}
    with serve(dest) as server:
        sources = replica_sources(server, tmp_path / "sources")
        summary = crawl(data, source=f"{sources / 'stavanger.toml'},{sources / 'nordrefollo.toml'}", download_delay=0,
                        environ=env)
        asked_api = [e for e in server.requests if e.host == "einnsyn"]
    assert "HPARKIV_EINNSYN_API_KEY is not set" in summary.sources["stavanger"].error
    assert summary.failed_sources() == {"stavanger": summary.sources["stavanger"].error}
    assert summary.sources["nordrefollo"].new >= 10 and not asked_api


def test_a_wrong_key_is_refused_with_the_reason(dest: Path, tmp_path: Path) -> None:
    data = DataDir(tmp_path / "data")
    with serve(dest) as server:
        sources = replica_sources(server, tmp_path / "sources")
        summary = crawl(data, source=sources / "stavanger.toml", download_delay=0,
                        environ={**os.environ, "HPARKIV_EINNSYN_API_KEY": "secret_wrong"})
    mine = summary.sources["stavanger"]
    assert mine.fetched_nothing() and "refused the key" in mine.failures[0][1] and "authorizationError" in mine.failures[0][1]


def test_a_republished_framsikt_publication_is_a_new_version(dest: Path, kommuner_truth: Truth, kommuner_answers: Answers,
                                                            tmp_path: Path) -> None:
    data = DataDir(tmp_path / "data")
    forslag = kommuner_truth.doc("framsikt-forslag")
    with serve(dest) as server:
        sources = replica_sources(server, tmp_path / "sources")
        first = crawl(data, source=sources / "malvik.toml", download_delay=0)
        url = server.original_url(forslag)
        old = current(data)[url]["sha256"]
        again = crawl(data, source=sources / "malvik.toml", download_delay=0)
        assert (again.new, again.changed) == (0, 0) and again.unchanged == first.new  # same files, same snapshot
        framsikt.republish(server, dest)
        third = crawl(data, source=sources / "malvik.toml", download_delay=0)
    new = current(data)[url]
    assert (third.changed, third.unchanged, third.new) == (1, 1, 0) and new["sha256"] != old
    conn = connect(data)
    assert conn.execute("SELECT superseded_by FROM versions WHERE sha256=?", (old,)).fetchone()[0] == new["sha256"]
    assert (new["title"], new["doctype"], new["kommunenummer"]) == (forslag.title, "forslag", "5031")
    assert data.file_path(old).exists() and data.file_path(new["sha256"]).exists()
    conn.close()


def test_a_second_run_changes_nothing(dest: Path, kommuner_answers: Answers, tmp_path: Path) -> None:
    """Crawling the four again: every document unchanged, nothing new, no duplicate version."""
    data = DataDir(tmp_path / "data")
    with serve(dest) as server:
        sources = replica_sources(server, tmp_path / "sources")
        one = crawl(data, source=str(sources), download_delay=0, environ=with_key(kommuner_answers))
        versions = len(list_versions(connect(data), Filters(all_versions=True)))
        two = crawl(data, source=str(sources), download_delay=0, environ=with_key(kommuner_answers))
    assert two.new == 0 and two.changed == 0 and two.unchanged == one.new
    assert len(list_versions(connect(data), Filters(all_versions=True))) == versions


def test_summary_per_source(crawled) -> None:
    _, _, summary = crawled
    assert isinstance(summary, CrawlSummary)
    assert set(summary.sources) == set(SOURCES)
    assert summary.new == sum(s.new for s in summary.sources.values())
    assert {s.kommune for s in summary.sources.values()} == {"Asker 3203", "Malvik 5031", "Stavanger 1103",
                                                             "Nordre Follo 3207"}
    assert not summary.failed_sources()
