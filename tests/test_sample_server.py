"""How the sample server (sample/server.py) answers, over real loopback HTTP: failed fetches, a 500
before the document, redirects, robots.txt, conditional requests, a replaced document, its
request log, the Wayback replica, and the optional faults."""

from __future__ import annotations

import email.utils
import json
import urllib.request
from pathlib import Path

import pytest
from loopback import fetch

from sample import SampleServer, Truth, serve

# ---------------------------------------------------------------- failures and redirects


def test_fetch_failures_404(sample_server: SampleServer, sample_truth: Truth) -> None:
    assert sample_truth.fetch_failures
    for failure in sample_truth.fetch_failures:
        assert fetch(sample_server.main_url + failure["path"])[0] == int(failure["expect"])


def test_500_then_ok_is_counted_per_server(sample_dir: Path, sample_truth: Truth) -> None:
    doc = next(d for d in sample_truth.documents if d.fail_first)
    for _ in range(2):  # a new server starts counting again
        with serve(sample_dir) as srv:
            codes = [fetch(srv.url_for(doc))[0] for _ in range(doc.fail_first + 2)]
            assert codes == [500] * doc.fail_first + [200, 200]


def test_redirect_to_moved_document(sample_server: SampleServer, sample_truth: Truth) -> None:
    doc = next(d for d in sample_truth.documents if d.final_path)
    status, headers, _ = fetch(sample_server.url_for(doc), follow=False)
    assert status == 301
    assert headers["Location"] == doc.final_path
    status, headers, data = fetch(sample_server.url_for(doc))
    assert status == 200 and data.startswith(b"%PDF")


def test_head_and_trailing_slash_redirect(sample_server: SampleServer, sample_truth: Truth) -> None:
    request = urllib.request.Request(sample_server.url_for(sample_truth.doc("vedtak-cur")), method="HEAD")
    with urllib.request.urlopen(request, timeout=10) as r:
        assert r.status == 200 and r.read() == b"" and int(r.headers["Content-Length"]) > 100_000
    status, headers, _ = fetch(sample_server.main_url + sample_truth.landing_path.rstrip("/"), follow=False)
    assert status == 301 and headers["Location"] == sample_truth.landing_path


def test_robots_txt(sample_server: SampleServer, sample_truth: Truth) -> None:
    status, headers, body = fetch(sample_server.main_url + "/robots.txt")
    assert status == 200 and headers["Content-Type"].startswith("text/plain")
    assert "Disallow: /intern/" in body.decode()
    disallowed = [n for n in sample_truth.never_request if "path" in n]
    assert disallowed and all(n["path"].startswith("/intern/") for n in disallowed)


def test_skipped_portal_documents_are_served(sample_server: SampleServer, sample_truth: Truth) -> None:
    assert any(s["title"] == "Godkjenning av protokoll" for s in sample_truth.skipped)
    for item in sample_truth.skipped:
        status, headers, _ = fetch(sample_server.portal_url + item["path"])
        assert status == 200 and headers["Content-Type"] == "application/pdf"


def test_optional_faults(sample_dir: Path, sample_truth: Truth) -> None:
    notat, innspill, prot, samarbeid = (sample_truth.doc(k).path for k in
                                        ("notat-cur", "innspill-miljo-idrett-og-kultur", "protokoll-eldreradet",
                                         "innspill-samarbeid"))  # fmt: skip
    faults = {notat: "503_retry_after", innspill: "short_body", prot: "redirect_loop", samarbeid: "reset"}
    with serve(sample_dir, faults=faults) as srv:
        status, headers, _ = fetch(srv.main_url + notat)
        assert status == 503 and headers["Retry-After"] == "1"
        assert fetch(srv.main_url + notat)[0] == 200
        with pytest.raises(Exception):  # noqa: B017 - http.client.IncompleteRead
            fetch(srv.main_url + innspill)
        status, headers, _ = fetch(srv.main_url + prot, follow=False)
        assert status == 302 and fetch(srv.main_url + headers["Location"], follow=False)[1]["Location"] == prot
        with pytest.raises(Exception):  # noqa: B017 - connection closed without a response
            fetch(srv.main_url + samarbeid)


# ---------------------------------------------------------------- HTTP caching and logging


def test_conditional_requests_get_304(sample_server: SampleServer, sample_truth: Truth) -> None:
    url = sample_server.url_for(sample_truth.doc("vedtak-cur"))
    _, headers, data = fetch(url)
    status, _, body = fetch(url, {"If-None-Match": headers["ETag"]})
    assert (status, body) == (304, b"")
    status, _, body = fetch(url, {"If-Modified-Since": headers["Last-Modified"]})
    assert (status, body) == (304, b"")
    earlier = email.utils.formatdate(email.utils.parsedate_to_datetime(headers["Last-Modified"]).timestamp() - 10, usegmt=True)
    assert fetch(url, {"If-Modified-Since": earlier})[0] == 200
    assert sample_server.requests[-1].bytes_sent == len(data)
    assert sample_server.requests[1].status == 304


def test_replace_document_changes_validators(sample_server: SampleServer, sample_truth: Truth) -> None:
    doc = sample_truth.doc("notat-cur")
    url = sample_server.url_for(doc)
    _, old, _ = fetch(url)
    sample_server.replace_document(doc.key, b"%PDF-1.4 new version")
    status, new, data = fetch(url, {"If-None-Match": old["ETag"]})
    assert status == 200 and data == b"%PDF-1.4 new version"
    assert new["ETag"] != old["ETag"] and new["Last-Modified"] != old["Last-Modified"]


def test_request_log(sample_server: SampleServer) -> None:
    fetch(sample_server.landing_url, {"User-Agent": "hparkiv-test"})
    entry = sample_server.requests[-1]
    assert (entry.method, entry.host, entry.status) == ("GET", "main", 200)
    assert entry.headers["User-Agent"] == "hparkiv-test"
    sample_server.clear_log()
    assert sample_server.requests == []


# ---------------------------------------------------------------- Wayback


def test_cdx_api(sample_server: SampleServer, sample_truth: Truth) -> None:
    base = f"{sample_server.wayback_url}/cdx/search/cdx?url={sample_server.landing_url}&output=json"
    rows = json.loads(fetch(base)[2])
    assert rows[0] == ["urlkey", "timestamp", "original", "mimetype", "statuscode", "digest", "length"]
    assert [r[1] for r in rows[1:]] == [p["timestamp"] for p in sample_truth.wayback_pages]
    collapsed = json.loads(fetch(base + "&collapse=digest&filter=statuscode:200")[2])
    assert len(collapsed) == len(rows) - 1
    assert json.loads(fetch(base + "&fl=timestamp,original")[2])[1][1] == sample_server.landing_url
    assert json.loads(fetch(f"{sample_server.wayback_url}/cdx/search/cdx?url=example.org/x&output=json")[2]) == []


def test_wayback_snapshots_and_gone_documents(sample_server: SampleServer, sample_truth: Truth) -> None:
    gone = [d for d in sample_truth.documents if d.only_in_wayback]
    assert gone
    for doc in gone:
        assert fetch(sample_server.original_url(doc))[0] == 404
        status, headers, data = fetch(sample_server.url_for(doc))
        assert status == 200 and data.startswith(b"%PDF") and headers["Content-Type"] == "application/pdf"
    for doc in gone:
        cdx = f"{sample_server.wayback_url}/cdx/search/cdx?url={sample_server.original_url(doc)}&output=json"
        rows = json.loads(fetch(cdx)[2])
        assert [r[1] for r in rows[1:]] == [doc.wayback_timestamp]
    snap = sample_truth.wayback_pages[-1]
    url = f"{sample_server.wayback_url}/web/{snap['timestamp']}id_/{sample_server.main_url}{snap['original_path']}"
    html = fetch(url)[2].decode()
    assert gone and all(d.path in html for d in gone)
    near = f"{sample_server.wayback_url}/web/{snap['timestamp'][:8]}id_/{sample_server.landing_url}"
    status, headers, _ = fetch(near, follow=False)
    assert status == 302 and snap["timestamp"] in headers["Location"]
