"""The third replica (sample.third) itself: deterministic, served as its truth declares."""

from __future__ import annotations

import urllib.request
from pathlib import Path

import pytest

from sample import Truth, load_truth, serve
from sample.third import HOSTS, LANDING, build_third
from sources import load_source


@pytest.fixture(scope="module")
def third_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_third(tmp_path_factory.mktemp("third"))


@pytest.fixture(scope="module")
def third_truth(third_dir: Path) -> Truth:
    return load_truth(third_dir)


def get(url: str) -> tuple[int, dict[str, str], bytes]:
    with urllib.request.urlopen(url, timeout=10) as r:  # loopback only
        return r.status, dict(r.headers.items()), r.read()


def test_build_is_deterministic(third_dir: Path, tmp_path: Path) -> None:
    again = build_third(tmp_path / "again")
    for name in ("routes.json", "truth.json"):
        assert (again / name).read_bytes() == (third_dir / name).read_bytes()


def test_truth_uses_the_source_vocabulary(third_truth: Truth) -> None:
    vocab = load_source("baerum").vocabulary
    assert third_truth.documents and third_truth.skipped
    for doc in third_truth.documents:
        assert doc.doctype in vocab.doctype_slugs(), doc.key
        assert doc.committee is None or doc.committee in vocab.committee_slugs(), doc.key
    calendar = [d for d in third_truth.documents if d.year < 2021]
    assert {d.key for d in calendar} >= {"okonomimelding-1", "okonomimelding-2", "arsrapport-2019", "kostra-2020"}
    assert all(d.doctype == "annet" for d in calendar)


def test_documents_are_named_only_in_content_disposition(third_dir: Path, third_truth: Truth) -> None:
    with serve(third_dir) as server:
        assert server.portal_url.startswith(f"http://{HOSTS['portal']}:")
        for doc in third_truth.documents:
            status, headers, body = get(server.original_url(doc))
            assert status == 200 and body, doc.key
            if doc.host == "main":
                assert doc.path.startswith("/download?id=")
                assert headers["Content-Type"] == "application/octet-stream"
                assert "filename*=UTF-8''" in headers["Content-Disposition"], doc.key
            assert body.startswith(b"PK" if doc.media_type == "docx" else b"%PDF"), doc.key


def test_landing_page_has_tabs_nynorsk_and_the_portal_on_another_host(third_dir: Path) -> None:
    with serve(third_dir) as server:
        _, _, body = get(server.main_url + LANDING)
    html = body.decode("utf-8")
    assert 'role="tablist"' in html and 'aria-labelledby="fane-hbu"' in html
    assert "Kommunedirektøren sitt framlegg" in html and "2. des. 2020" in html
    assert server.portal_url + "/innsyn/wfinnsyn.ashx" in html


def test_the_budget_meeting_is_only_on_page_two_of_the_plan(third_dir: Path, third_truth: Truth) -> None:
    budget = next(m for m in third_truth.portal_meetings if m["date"] == "2020-12-02")
    with serve(third_dir) as server:
        plan = server.portal_url + "/innsyn/wfinnsyn.ashx?response=moteplan&utvalg=1"
        first = get(plan)[2].decode()
        second = get(plan + "&side=2")[2].decode()
        landing = get(server.main_url + LANDING)[2].decode()
    ref = budget["path"].rsplit("/", 1)[1].replace("&", "&amp;")
    assert "Neste side" in first and ref not in first
    assert ref in second
    assert ref not in landing
