"""The OpenSearch backend's life cycle on the real test cluster: choosing the engine (the CLI and
engine.toml), rebuilds swapped in by alias (searches meanwhile see the old index; a failed
rebuild leaves nothing), idempotent page ids, versions the engine refuses, check and repair.

Each test has its own small archive and its own index names (unique_name), so parallel test
processes share one cluster. Without a cluster these tests are skipped (in CI they fail).
"""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from opensearch_cluster import cluster_urls, unique_name
from processes import hparkiv

import catalog
from catalog import DataDir, Filters, PageText
from extract.vedtak import derive_missing_vedtak
from index import search, update_index
from index.backend import EngineConfig, open_backend, read_config, write_config
from index.errors import EngineUnavailable

TEXTS = {
    "forslag": ["Nye sykehjemsplasser i Bærum kommune.", "Barnehageplassene øker i 2021.", "Tall i mill. kroner."],
    "vedtak": ["Kommunestyret vedtok budsjettet. Votering: H, Ap, V.", "Sak 152/20 om sykehjem ble vedtatt."],
    "notat": ["Notat om skolebygg og Aasen skole."],
}


def add(conn, data_dir: DataDir, name: str, texts: list[str], year: int = 2021, url: str | None = None,
        now: str = "2026-01-01T00:00:00Z") -> str:
    """A version with its stored file (as the crawler leaves it) and its extracted pages."""
    sha = data_dir.store_bytes(f"document {name} {texts}".encode())
    size = data_dir.file_path(sha).stat().st_size
    catalog.record_version(conn, url=url or f"http://example.invalid/{name}.pdf", sha256=sha, size=size,
                           media_type="pdf", content_type="application/pdf", etag=None, last_modified=None,
                           meta={"title": name, "year": year, "committee": "kommunestyret", "doctype": "vedtak"},
                           provenance={}, now=now)
    catalog.record_extraction(conn, sha, status="ok", error=None,
                              pages=[PageText(i, t) for i, t in enumerate(texts, 1)], tables=[])
    derive_missing_vedtak(conn)  # as extraction does: the vedtak of the pages (none here), current
    return sha


@pytest.fixture
def archive(tmp_path):
    """A small catalog whose engine.toml points at the test cluster, with its own index names."""
    from index.opensearch.client import connect

    urls = cluster_urls()
    data_dir = DataDir(tmp_path / "data").ensure()
    conn = catalog.connect(data_dir)
    shas = {name: add(conn, data_dir, name, texts) for name, texts in TEXTS.items()}
    conn.close()
    prefix = unique_name("hparkiv-backend")
    write_config(data_dir, EngineConfig("opensearch", tuple(urls), prefix))
    yield data_dir, shas
    client = connect(urls)
    for name in client.indices.get(index=f"{prefix}-*"):
        client.indices.delete(index=name, ignore=404)


def pages(data_dir: DataDir, query: str) -> int:
    return search(data_dir, query, Filters(all_versions=True), limit=None).total


def test_a_rebuild_is_swapped_in_whole(archive) -> None:
    """While a rebuild streams in, searches answer from the previous index; at the end the alias
    moves in one step; the index before the previous one is deleted."""
    data_dir, _shas = archive
    assert update_index(data_dir).rebuilt
    backend = open_backend(data_dir)
    first = backend.info(fresh=True).name
    assert pages(data_dir, "sykehjem") == 2

    conn = catalog.connect(data_dir)
    add(conn, data_dir, "nytt", ["Enda flere sykehjemsplasser."])
    conn.close()
    halfway, go_on = threading.Event(), threading.Event()

    def progress(done: int, total: int) -> None:
        if done == 2:
            halfway.set()
            assert go_on.wait(120)

    worker = threading.Thread(target=lambda: update_index(data_dir, rebuild=True, progress=progress))
    worker.start()
    assert halfway.wait(120)
    try:
        assert backend.info(fresh=True).name == first  # the new index is being written beside it
        assert pages(data_dir, "sykehjem") == 2
    finally:
        go_on.set()
        worker.join(300)
    assert backend.info(fresh=True).name != first
    assert pages(data_dir, "sykehjem") == 3
    update_index(data_dir, rebuild=True)
    assert not backend.client.indices.exists(index=first)  # two rebuilds later: gone


def test_a_failed_rebuild_leaves_the_index_as_it_was(archive) -> None:
    data_dir, _shas = archive
    update_index(data_dir)
    backend = open_backend(data_dir)
    before = backend.info(fresh=True).name

    def boom(done: int, total: int) -> None:
        raise RuntimeError("killed half-way")

    with pytest.raises(RuntimeError):
        update_index(data_dir, rebuild=True, progress=boom)
    assert backend.info(fresh=True).name == before
    assert [n for n in backend.client.indices.get(index=f"{backend.pages_alias}-*")] == [before]
    assert pages(data_dir, "sykehjem") == 2


def test_sending_a_version_again_overwrites_it(archive) -> None:
    """Page ids are {doc_id}-v{version}-p{page}: a version sent twice is held once; a version
    whose extraction shrank loses the pages it no longer has."""
    data_dir, shas = archive
    update_index(data_dir)
    backend = open_backend(data_dir)
    count = backend.client.count(index=backend.info().name)["count"]
    conn = catalog.connect(data_dir)
    catalog.mark_dirty(conn, [shas["forslag"]])
    conn.close()
    summary = update_index(data_dir)
    assert (summary.documents, summary.pages, summary.deleted) == (1, 3, 3)
    assert backend.client.count(index=backend.info().name)["count"] == count
    ids = {h["_id"] for h in backend.client.search(index=backend.info().name, body={"size": 100})["hits"]["hits"]}
    assert f"{shas['forslag'][:12]}-v1-p3" in ids

    conn = catalog.connect(data_dir)
    catalog.record_extraction(conn, shas["forslag"], status="ok", error=None,
                              pages=[PageText(1, "Bare én side nå.")], tables=[])
    conn.close()
    update_index(data_dir)
    assert backend.client.count(index=backend.info().name)["count"] == count - 2


def test_a_new_version_at_the_same_url_is_number_two(archive) -> None:
    data_dir, shas = archive
    update_index(data_dir)
    conn = catalog.connect(data_dir)
    newer = add(conn, data_dir, "forslag", ["Revidert forslag om sykehjem."], url="http://example.invalid/forslag.pdf",
                now="2026-02-01T00:00:00Z")
    assert catalog.version_numbers(conn, [shas["forslag"], newer]) == {shas["forslag"]: 1, newer: 2}
    conn.close()
    update_index(data_dir)
    backend = open_backend(data_dir)
    ids = {h["_id"] for h in backend.client.search(index=backend.info().name, body={"size": 100})["hits"]["hits"]}
    assert f"{newer[:12]}-v2-p1" in ids
    assert search(data_dir, "revidert").total == 1
    assert search(data_dir, "barnehageplassene").total == 0  # the first version is superseded
    assert search(data_dir, "barnehageplassene", Filters(all_versions=True)).total == 1


def test_pages_the_engine_refuses_leave_their_version_for_the_next_run(archive, monkeypatch) -> None:
    import index.opensearch.schema as schema

    data_dir, shas = archive
    real = schema.page_source

    def broken(version, *args, **kwargs):
        doc = real(version, *args, **kwargs)
        if version.sha256 == shas["notat"]:
            doc["no_such_field"] = 1  # the mapping is strict: the cluster refuses the page
        return doc

    monkeypatch.setattr(schema, "page_source", broken)
    summary = update_index(data_dir)
    assert summary.refused == 1
    assert search(data_dir, "skolebygg").total == 0
    conn = catalog.connect(data_dir)
    assert [v.sha256 for v in catalog.dirty_versions(conn)] == [shas["notat"]]
    conn.close()
    monkeypatch.setattr(schema, "page_source", real)
    assert update_index(data_dir).documents == 1
    assert search(data_dir, "skolebygg").total == 1


def test_check_finds_what_differs_and_repair_sends_it_again(archive) -> None:
    from jobs.check import check

    data_dir, shas = archive
    update_index(data_dir)
    backend = open_backend(data_dir)
    client, name = backend.client, backend.info().name
    client.delete_by_query(index=name, body={"query": {"term": {"sha256": shas["vedtak"]}}}, params={"refresh": "true"})
    stray = "f" * 64
    client.index(index=name, id=f"{stray[:12]}-v1-p1", params={"refresh": "true"},
                 body={"key": f"{stray}:1", "sha256": stray, "doc_id": stray[:12], "version": 1, "page": 1,
                       "body": "x", "superseded": False})
    assert {p.kind for p in check(data_dir)} == {"index-missing", "index-extra"}
    assert all(p.repaired for p in check(data_dir, repair=True))
    assert check(data_dir) == []
    assert search(data_dir, "152/20").total == 1


def test_choosing_the_engine_from_the_cli(archive) -> None:
    """`hparkiv index --engine opensearch --url …` asks the cluster first, writes engine.toml and
    builds the index there; `--engine whoosh` goes back and builds Whoosh's from the catalog."""
    data_dir, _shas = archive
    config = read_config(data_dir)
    data_dir.root.joinpath("engine.toml").unlink()
    dead = hparkiv(data_dir.root, "index", "--engine", "opensearch", "--url", "http://127.0.0.1:9")
    assert dead.returncode == 1 and "does not answer" in dead.stderr and dead.stderr.count("\n") == 1
    assert not data_dir.root.joinpath("engine.toml").exists()
    assert hparkiv(data_dir.root, "index", "--url", "http://127.0.0.1:9").returncode == 2

    urls = ",".join(config.urls)
    done = hparkiv(data_dir.root, "index", "--engine", "opensearch", "--url", urls, "--index-name", config.index,
                   check=True)
    assert "3 documents, 6 pages" in done.stderr
    assert read_config(data_dir) == EngineConfig("opensearch", config.urls, config.index)
    found = hparkiv(data_dir.root, "search", "sykehjem", "--format", "json", check=True)
    assert '"total": 2' in found.stdout
    assert "ok" in hparkiv(data_dir.root, "check", check=True).stdout

    hparkiv(data_dir.root, "index", "--engine", "whoosh", check=True)
    assert read_config(data_dir).engine == "whoosh"
    assert Path(data_dir.index).exists()
    assert '"total": 2' in hparkiv(data_dir.root, "search", "sykehjem", "--format", "json", check=True).stdout


def test_a_cluster_that_does_not_answer_is_one_line(tmp_path) -> None:
    data_dir = DataDir(tmp_path / "data").ensure()
    conn = catalog.connect(data_dir)
    add(conn, data_dir, "x", ["Sykehjem."])
    conn.close()
    write_config(data_dir, EngineConfig("opensearch", ("http://127.0.0.1:9",), "hparkiv-nowhere"))
    with pytest.raises(EngineUnavailable, match="does not answer"):
        search(data_dir, "sykehjem")
    for args in (["search", "sykehjem"], ["trend", "sykehjem"], ["vedtak", "sykehjem"], ["index"]):
        proc = hparkiv(data_dir.root, *args)
        assert proc.returncode == 1, args
        assert proc.stderr.startswith("hparkiv: ") and proc.stderr.count("\n") == 1, proc.stderr
        assert "Traceback" not in proc.stderr
    data_dir.root.joinpath("engine.toml").write_text('engine = "solr"\n')
    proc = hparkiv(data_dir.root, "search", "sykehjem")
    assert proc.returncode == 1 and "unknown engine 'solr'" in proc.stderr
