"""The crawler against the sample archive over real loopback HTTP, checked against truth.json."""

from __future__ import annotations

import hashlib
import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from catalog import DataDir, connect, fetch_failures, links_to, list_versions
from catalog.models import Filters
from crawler.parent import CrawlSummary, crawl
from sample import SampleServer, Truth, load_truth, serve

FIELDS = ("year", "period", "committee", "doctype")


def run_crawl(server: SampleServer, data: DataDir, **kw: Any) -> CrawlSummary:
    portal = server.portal_url.split("://", 1)[1]
    kw.setdefault("wayback", server.wayback_url)
    return crawl(data, start_urls=[server.landing_url], allow_hosts=[portal], download_delay=0, **kw)


def versions_by_url(data: DataDir, key: Callable[[str], str] = str) -> dict[str, Any]:
    """The current version row at each URL that holds one, keyed by `key(url)`."""
    conn = connect(data)
    out = {}
    for row in conn.execute("SELECT url, sha256 FROM urls WHERE sha256 IS NOT NULL"):
        out[key(row["url"])] = conn.execute("SELECT * FROM versions WHERE sha256=?", (row["sha256"],)).fetchone()
    conn.close()
    return out


def classification_errors(truth: Truth, server: SampleServer, data: DataDir) -> list[str]:
    """Every truth document present at its linked URL, with the expected fields."""
    found = versions_by_url(data)
    errors = []
    for doc in truth.documents:
        row = found.get(server.original_url(doc))
        if row is None:
            errors.append(f"{doc.key}: not found at {doc.path}")
            continue
        for f in FIELDS:
            if row[f] != getattr(doc, f):
                errors.append(f"{doc.key}: {f} = {row[f]!r}, expected {getattr(doc, f)!r} ({row['provenance']})")
    return errors


@pytest.fixture(scope="module")
def crawled(sample_dir: Path, tmp_path_factory: pytest.TempPathFactory):
    """One full crawl (with the web archive) of a fresh server: (server, data dir, summary)."""
    data = DataDir(tmp_path_factory.mktemp("crawl"))
    with serve(sample_dir) as server:
        summary = run_crawl(server, data)
        yield server, data, summary


def test_every_expected_document_found_and_classified(crawled, sample_truth: Truth) -> None:
    server, data, summary = crawled
    errors = classification_errors(sample_truth, server, data)
    assert not errors, "\n".join(errors)
    assert summary.new >= len(sample_truth.documents) - 1  # the HTML-at-.pdf URL shares no bytes
    assert not summary.warnings


def test_each_field_has_provenance(crawled) -> None:
    _, data, _ = crawled
    for v in list_versions(connect(data), Filters(all_versions=True)):
        for f in ("year", "period", "committee", "doctype", "title"):
            if getattr(v, f) is not None:
                assert v.provenance.get(f), (v.url, f)


def test_off_site_and_disallowed_never_requested(crawled, sample_truth: Truth) -> None:
    server, data, _ = crawled
    requested = {e.path for e in server.requests}
    forbidden = [item for item in sample_truth.never_request if "path" in item]
    assert forbidden and len(requested) > 1, "there was something to avoid, and a crawl that could have asked"
    for item in forbidden:
        assert item["path"] not in requested, item
    conn = connect(data)
    hosts = {row["url"].split("/")[2] for row in conn.execute("SELECT url FROM urls UNION SELECT url FROM links")}
    allowed = {u.split("://", 1)[1] for u in (server.main_url, server.portal_url, server.wayback_url)}
    assert hosts <= allowed
    assert any(e.path == "/robots.txt" for e in server.requests)


def test_skipped_meeting_documents_not_kept(crawled, sample_truth: Truth) -> None:
    server, data, _ = crawled
    found = versions_by_url(data)
    assert sample_truth.skipped and found, "documents to skip, beside documents kept"
    for item in sample_truth.skipped:
        url = getattr(server, f"{item['host']}_url") + item["path"]
        assert url not in found, item


def test_fetch_failures_recorded_with_reason(crawled, sample_truth: Truth) -> None:
    server, data, summary = crawled
    failures = {f["url"]: f for f in fetch_failures(connect(data))}
    for item in sample_truth.fetch_failures:
        url = getattr(server, f"{item['host']}_url") + item["path"]
        assert url in failures, item
        assert failures[url]["http_status"] == int(item["expect"])
        assert failures[url]["error"].startswith(f"HTTP {item['expect']}")
    assert {u for u, _ in summary.failures} >= {
        getattr(server, f"{i['host']}_url") + i["path"] for i in sample_truth.fetch_failures
    }


def test_retry_redirect_and_bad_inputs(crawled, sample_truth: Truth) -> None:
    server, data, _ = crawled
    found = versions_by_url(data)
    for doc in sample_truth.documents:
        row = found[server.original_url(doc)]
        if doc.fail_first:  # 500 first, then fine
            assert row["size"] > 0 and row["media_type"] == "pdf"
        if doc.final_path:  # redirect followed, recorded under the linked and the final URL
            assert server.main_url + doc.final_path in found
        if "text/html" in doc.content_type:
            assert row["media_type"] == "other"  # HTML at a .pdf URL: kept, extraction fails it
        if doc.error_contains == "empty":
            assert row["size"] == 0
        if doc.media_type == "docx":
            assert row["media_type"] == "docx"


def test_stored_files_match_their_hash(crawled) -> None:
    _, data, _ = crawled
    for v in list_versions(connect(data), Filters(all_versions=True)):
        path = data.file_path(v.sha256)
        assert hashlib.sha256(path.read_bytes()).hexdigest() == v.sha256


def test_wayback_only_documents_found_with_snapshot(crawled, sample_truth: Truth) -> None:
    server, data, _ = crawled
    conn = connect(data)
    found = versions_by_url(data)
    wayback_docs = [d for d in sample_truth.documents if d.only_in_wayback]
    assert wayback_docs
    for doc in wayback_docs:
        row = found[server.original_url(doc)]
        snapshots = {link.snapshot for link in links_to(conn, row["sha256"])}
        assert snapshots - {None, ""}, doc.key


def test_meeting_documents_carry_meeting_context(crawled, sample_truth: Truth) -> None:
    server, data, _ = crawled
    conn = connect(data)
    found = versions_by_url(data)
    for doc in (d for d in sample_truth.documents if d.host == "portal"):
        row = found[server.original_url(doc)]
        assert row["date"] == doc.date, doc.key
        assert "meeting" in json.loads(row["provenance"])["committee"]
        assert any(link.context.get("meeting") for link in links_to(conn, row["sha256"]))


def test_second_run_downloads_no_document_body(sample_dir: Path, sample_truth: Truth, tmp_path: Path) -> None:
    data = DataDir(tmp_path)
    with serve(sample_dir) as server:
        first = run_crawl(server, data, wayback=False)
        server.clear_log()
        second = run_crawl(server, data, wayback=False)
        doc_paths = {d.path for d in sample_truth.documents if not d.only_in_wayback and d.host != "wayback"}
        doc_hits = [e for e in server.requests if e.path in doc_paths]
    assert doc_hits
    bodies = [e for e in doc_hits if e.status == 200 and e.bytes_sent > 0]
    assert not bodies, bodies
    assert second.new == 0 and second.changed == 0
    assert second.unchanged >= first.new - 2


def test_changed_pdf_becomes_new_version(sample_dir: Path, sample_truth: Truth, tmp_path: Path) -> None:
    data = DataDir(tmp_path)
    doc = sample_truth.doc("vedtak-2016")
    with serve(sample_dir) as server:
        run_crawl(server, data, wayback=False)
        old = versions_by_url(data)[server.original_url(doc)]["sha256"]
        new_bytes = data.file_path(old).read_bytes().replace(b"%%EOF", b"% corrected\n%%EOF")
        server.replace_document(doc.key, new_bytes)
        summary = run_crawl(server, data, wayback=False)
        new = versions_by_url(data)[server.original_url(doc)]
    assert summary.changed == 1
    assert new["sha256"] == hashlib.sha256(new_bytes).hexdigest()
    conn = connect(data)
    old_row = conn.execute("SELECT * FROM versions WHERE sha256=?", (old,)).fetchone()
    assert old_row["superseded_by"] == new["sha256"]
    assert data.file_path(old).exists()
    assert new["year"] == doc.year and new["doctype"] == doc.doctype


KILL_SCRIPT = """
import sys
from pathlib import Path
from catalog import DataDir
from crawler.parent import crawl
crawl(DataDir(Path(sys.argv[1])), start_urls=[sys.argv[2]], allow_hosts=[sys.argv[3]], wayback=sys.argv[4],
      download_delay=0.05)
"""


@pytest.mark.slow
def test_kill_9_then_resume_leaves_no_duplicates(sample_dir: Path, sample_truth: Truth, tmp_path: Path) -> None:
    data = DataDir(tmp_path / "data")
    data.ensure()
    with serve(sample_dir) as server:
        portal = server.portal_url.split("://", 1)[1]
        child = subprocess.Popen(
            [sys.executable, "-c", KILL_SCRIPT, str(data.root), server.landing_url, portal, server.wayback_url],
            start_new_session=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parent.parent)},
        )
        deadline = time.monotonic() + 60
        try:
            while time.monotonic() < deadline:
                if data.catalog.exists():
                    conn = connect(data)
                    n = conn.execute("SELECT COUNT(*) FROM versions").fetchone()[0]
                    conn.close()
                    if n >= 5:
                        break
                time.sleep(0.02)
        finally:
            os.killpg(child.pid, signal.SIGKILL)  # the crawl() process and its Scrapy child
            child.wait()
        conn = connect(data)
        killed_at = conn.execute("SELECT COUNT(*) FROM versions").fetchone()[0]
        assert 5 <= killed_at < len(sample_truth.documents)
        run_crawl(server, data)
        errors = classification_errors(sample_truth, server, data)
    assert not errors, "\n".join(errors)
    rows = conn.execute("SELECT url, COUNT(*) AS n FROM url_versions GROUP BY url HAVING n > 1").fetchall()
    assert not rows
    assert not conn.execute("SELECT 1 FROM versions WHERE superseded_by IS NOT NULL").fetchall()
    for v in list_versions(conn, Filters(all_versions=True)):
        assert hashlib.sha256(data.file_path(v.sha256).read_bytes()).hexdigest() == v.sha256


def test_variant_site_crawled_just_as_correctly(sample_variant_dir: Path, tmp_path: Path) -> None:
    truth = load_truth(sample_variant_dir)
    data = DataDir(tmp_path)
    with serve(sample_variant_dir) as server:
        summary = run_crawl(server, data)
        errors = classification_errors(truth, server, data)
    assert not errors, "\n".join(errors)
    assert summary.documents_seen >= len(truth.documents)


def test_no_documents_gives_a_loud_warning(sample_dir: Path, tmp_path: Path) -> None:
    with serve(sample_dir) as server:
        summary = crawl(DataDir(tmp_path), start_urls=[server.main_url + "/no-such-page/"], wayback=False,
                        download_delay=0)
    assert summary.documents_seen == 0
    assert any("site has probably changed" in w for w in summary.warnings)
    assert summary.failures and summary.failures[0][1] == "HTTP 404"


def test_misbehaving_server_answers(sample_dir: Path, sample_truth: Truth, tmp_path: Path) -> None:
    """503 with Retry-After is retried; resets, short bodies and redirect loops are recorded failures."""
    from sample.site import canonical

    docs = [d for d in sample_truth.documents if d.host == "main" and d.status == "ok" and not d.only_in_wayback
            and not d.final_path and not d.fail_first]
    plan = {"503_retry_after": docs[0], "reset": docs[1], "short_body": docs[2], "redirect_loop": docs[3]}
    faults = {canonical(d.path): name for name, d in plan.items()}
    data = DataDir(tmp_path)
    with serve(sample_dir, faults=faults) as server:
        summary = run_crawl(server, data, wayback=False)
        found = versions_by_url(data)
        failures = {f["url"]: f["error"] for f in fetch_failures(connect(data))}
        urls = {name: server.original_url(d) for name, d in plan.items()}
    assert urls["503_retry_after"] in found
    assert "connection" in failures[urls["reset"]]
    assert "connection" in failures[urls["short_body"]]
    assert "redirect" in failures[urls["redirect_loop"]]
    assert summary.failed >= 3
