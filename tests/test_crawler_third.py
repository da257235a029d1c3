"""The crawler, run through the real CLI, against the third replica (sample.third), checked
against its truth: another CMS with tabs and /download?id=N, Nynorsk, a portal on another host
and port, a paginated meeting plan and calendar-year reports."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from processes import hparkiv
from test_crawler import versions_by_url

import sources
from catalog import DataDir, connect
from sample import Truth, load_truth, serve
from sample.third import HOSTS, build_third

FIELDS = ("year", "period", "committee", "doctype", "date", "title", "media_type")


@pytest.fixture(scope="module")
def third_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_third(tmp_path_factory.mktemp("third"))


@pytest.fixture(scope="module")
def third_truth(third_dir: Path) -> Truth:
    return load_truth(third_dir)


def crawl_args(landing: str, *allow: str) -> list[str]:
    hosts = [arg for host in allow for arg in ("--allow-host", host)]
    return ["crawl", "--start-url", landing, *hosts, "--no-wayback", "--delay", "0"]


@pytest.fixture(scope="module")
def crawled(third_dir: Path, tmp_path_factory: pytest.TempPathFactory):
    """The portal allowed by its host alone: `--allow-host 127.0.0.4` means every port."""
    data_dir = tmp_path_factory.mktemp("crawl-third")
    with serve(third_dir) as server:
        proc = hparkiv(data_dir, *crawl_args(server.landing_url, HOSTS["portal"]), check=True)
        yield server, DataDir(data_dir), proc


def test_the_portal_is_on_another_host_and_port(crawled) -> None:
    server, _, _ = crawled
    main, portal = server.main_url.split("://")[1], server.portal_url.split("://")[1]
    assert portal.split(":")[0] == HOSTS["portal"] != main.split(":")[0]
    assert portal.split(":")[1] != main.split(":")[1]


def test_every_document_found_and_classified(crawled, third_truth: Truth) -> None:
    server, data, proc = crawled
    found = versions_by_url(data)
    errors = []
    for doc in third_truth.documents:
        row = found.get(server.original_url(doc))
        if row is None:
            errors.append(f"{doc.key}: not found at {doc.path}")
            continue
        for f in FIELDS:
            if row[f] != getattr(doc, f):
                errors.append(f"{doc.key}: {f} = {row[f]!r}, expected {getattr(doc, f)!r} ({row['provenance']})")
    assert not errors, f"{len(errors)} errors:\n" + "\n".join(errors) + "\n" + proc.stderr[-2000:]
    assert len(found) == len(third_truth.documents), set(found) - {server.original_url(d) for d in third_truth.documents}


def test_the_budget_meeting_is_found_on_the_second_page_of_the_meeting_plan(crawled, third_truth: Truth) -> None:
    server, _, _ = crawled
    requested = {e.path for e in server.requests if e.host == "portal"}
    assert any("side=2" in p for p in requested)
    kst = {d.key for d in third_truth.documents if d.committee == "kommunestyret" and d.host == "portal"}
    assert kst == {"kst-innkalling", "kst-protokoll", "kst-saksframlegg"}


def test_non_budget_meeting_documents_are_not_kept(crawled, third_truth: Truth) -> None:
    server, data, _ = crawled
    assert third_truth.skipped
    found = versions_by_url(data)
    for item in third_truth.skipped:
        assert server.portal_url + item["path"] not in found, item


def test_calendar_year_reports_say_which_evidence_won(crawled) -> None:
    _, data, _ = crawled
    conn = connect(data)
    row = conn.execute("SELECT * FROM versions WHERE title = 'Økonomimelding I 2020'").fetchone()
    conn.close()
    assert row is not None
    assert (row["year"], row["period"], row["doctype"]) == (2020, None, "annet")
    prov = row["provenance"]
    assert "Økonomimelding I 2020" in prov and "won over" in prov and "2021-2024" in prov.replace("–", "-"), prov


def test_nothing_off_site_requested(crawled) -> None:
    server, data, _ = crawled
    allowed = {u.split("://", 1)[1] for u in (server.main_url, server.portal_url)}
    conn = connect(data)
    hosts = {row["url"].split("/")[2] for row in conn.execute("SELECT url FROM urls")}
    conn.close()
    assert hosts <= allowed, hosts - allowed


def test_without_allow_host_the_summary_names_the_dropped_portal_links(third_dir: Path, tmp_path: Path) -> None:
    with serve(third_dir) as server:
        proc = hparkiv(tmp_path, *crawl_args(server.landing_url), check=True)
        portal = server.portal_url.split("://", 1)[1]
        assert not any(e.host == "portal" for e in server.requests)
    m = re.search(rf"(\d+) links? to {re.escape(portal)} not followed: host not allowed \(add it with --allow-host\)",
                  proc.stderr)
    assert m and int(m.group(1)) == 2, proc.stderr  # the FSK and HBO meetings linked from the landing page
    assert "facebook" not in proc.stderr  # links the crawl would not follow anyway are no news


def test_allow_host_with_a_port_allows_only_that_port(third_dir: Path, tmp_path: Path) -> None:
    with serve(third_dir) as server:
        wrong = f"{HOSTS['portal']}:1"
        proc = hparkiv(tmp_path, *crawl_args(server.landing_url, wrong), check=True)
        assert not any(e.host == "portal" for e in server.requests)
    assert "not followed: host not allowed" in proc.stderr


def test_show_prints_the_evidence_that_won_and_lost(crawled) -> None:
    _, data, _ = crawled
    listed = hparkiv(data.root, "list", "--year", "2020", "--format", "json", check=True)
    doc = next(d for d in json.loads(listed.stdout) if d["title"] == "Økonomimelding I 2020")
    shown = hparkiv(data.root, "show", doc["doc_id"], check=True).stdout
    period = next(line for line in shown.splitlines() if line.strip().startswith("period:"))
    assert "period: -" in period and "won over" in period and "2021–2024" in period, shown
    year = next(line for line in shown.splitlines() if line.strip().startswith("year:"))
    assert "2020" in year and "Økonomimelding I 2020" in year and "won over" in year, shown


def test_a_source_files_allowed_hosts_allow_every_port(third_dir: Path, third_truth: Truth, tmp_path: Path) -> None:
    """The same rule for a source file: `allowed_hosts = ["127.0.0.4"]` reaches the portal on its port."""
    shipped = (Path(sources.__file__).parent / "baerum.toml").read_text(encoding="utf-8")
    with serve(third_dir) as server:
        own = re.sub(r"(?ms)^start_urls = \[.*?\]\s*^allowed_hosts = \[.*?\]\s*",
                     f'start_urls = ["{server.landing_url}"]\nallowed_hosts = ["{HOSTS["portal"]}"]\n', shipped)
        assert own != shipped
        source = tmp_path / "third.toml"
        source.write_text(own, encoding="utf-8")
        hparkiv(tmp_path / "data", "crawl", "--source", str(source), "--no-wayback", "--delay", "0", check=True)
        found = versions_by_url(DataDir(tmp_path / "data"))
        assert {server.original_url(d) for d in third_truth.documents} <= set(found)
