"""Reliability end to end: kill -9 `hparkiv update` mid-run, concurrent searches and updates.

One sample server serves every run in this module, and one uninterrupted update is the
reference that interrupted runs must reproduce exactly. Kill points are drawn at random
from a seed that is printed (set HPARKIV_SEED to replay a failure).
"""

from __future__ import annotations

import hashlib
import os
import random
import shutil
import sqlite3
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from processes import hparkiv, kill_group, normalized_list, normalized_search, start, update_args

import sample

pytestmark = pytest.mark.slow

QUERIES = ("barnehage", '"Carpe Diem" OR demenslandsby', "sykehjem*", "budsjett -skole")
VERSIONS = "SELECT COUNT(*) FROM versions"
EXTRACTED = "SELECT COUNT(*) FROM versions WHERE status<>'pending'"
SEED = int(os.environ.get("HPARKIV_SEED", random.randrange(1 << 30)))


@pytest.fixture(scope="module")
def server(sample_dir: Path) -> Iterator[sample.SampleServer]:
    with sample.serve(sample_dir) as srv:
        yield srv


@pytest.fixture(scope="module")
def reference(server: sample.SampleServer, tmp_path_factory: pytest.TempPathFactory) -> dict:
    """One uninterrupted update, and what `list` and `search` say about it."""
    data = tmp_path_factory.mktemp("reference") / "data"
    proc = hparkiv(data, *update_args(server), timeout=240)
    assert proc.returncode == 0, proc.stderr[-3000:]
    return {"dir": data, "list": normalized_list(data),
            "search": {q: normalized_search(data, q) for q in QUERIES}}


def _count(data: Path, sql: str) -> int:
    """A read-only look at the catalog while a writer may be running (0 if not there yet)."""
    if not (data / "catalog.sqlite").exists():
        return 0
    try:
        conn = sqlite3.connect(f"file:{data / 'catalog.sqlite'}?mode=ro", uri=True, timeout=5)
        try:
            return conn.execute(sql).fetchone()[0]
        finally:
            conn.close()
    except sqlite3.OperationalError:  # the schema is not written yet
        return 0


def _kill_when(data: Path, server: sample.SampleServer, ready: Callable[[], bool], delay: float,
               what: str, log: list[str]) -> None:
    """Start an update, kill -9 its process group once ready() and delay seconds more."""
    proc = start(data, *update_args(server))
    deadline = time.monotonic() + 90
    while not ready() and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.01)
    time.sleep(delay)
    finished = proc.poll() is not None
    kill_group(proc)
    state = (f"versions={_count(data, VERSIONS)} extracted={_count(data, EXTRACTED)} "
             f"generations={len(list(data.glob('index.g*')))}")
    log.append(f"kill {what} (+{delay:.2f}s){' after it had finished' if finished else ''}: {state}")
    assert not finished or proc.returncode == 0, proc.stderr.read()[-2000:] if proc.stderr else ""


def test_kill_9_at_random_points_then_resume_equals_uninterrupted(
        server: sample.SampleServer, reference: dict, tmp_path: Path) -> None:
    """Kill during crawl, extraction, indexing and at a random moment; the resumed archive is identical."""
    rng = random.Random(SEED)
    data = tmp_path / "data"
    n_docs = len(reference["list"])
    log: list[str] = [f"seed {SEED}"]
    k_crawl = rng.randrange(1, n_docs // 2)
    _kill_when(data, server, lambda: _count(data, VERSIONS) >= k_crawl, rng.uniform(0, 0.05),
               f"during crawl at {k_crawl} versions", log)
    k_extract = _count(data, EXTRACTED) + rng.randrange(1, 10)
    _kill_when(data, server, lambda: _count(data, EXTRACTED) >= k_extract, rng.uniform(0, 0.2),
               f"during extraction at {k_extract} extracted", log)
    _kill_when(data, server, lambda: any(data.glob("index.g*")), rng.uniform(0, 0.5),
               "during indexing", log)
    _kill_when(data, server, lambda: True, rng.uniform(0.5, 8), "at a random moment", log)
    print("\n".join(log))  # shown by pytest on failure: replay with HPARKIV_SEED

    proc = hparkiv(data, *update_args(server), timeout=240)
    assert proc.returncode == 0, "\n".join(log) + proc.stderr[-3000:]
    check = hparkiv(data, "check")
    assert check.returncode == 0, "\n".join(log) + check.stdout + check.stderr
    assert normalized_list(data) == reference["list"], "\n".join(log)
    for q in QUERIES:
        assert normalized_search(data, q) == reference["search"][q], f"{q!r}: " + "\n".join(log)


def test_second_update_is_refused_and_searches_stay_consistent(
        server: sample.SampleServer, reference: dict, tmp_path: Path) -> None:
    """While an update rewrites the whole index, searches answer the same; a second update is refused."""
    data = tmp_path / "data"
    shutil.copytree(reference["dir"], data, symlinks=True)
    conn = sqlite3.connect(data / "catalog.sqlite")
    conn.execute("UPDATE versions SET index_dirty=1")  # the update re-indexes every page
    conn.commit()
    conn.close()
    from catalog import DataDir
    from index import search
    from index.searcher import close_all

    expected = {q: reference["search"][q]["total"] for q in QUERIES}
    server.hold("main", server.truth.landing_path)  # the first run stays in flight (and holds the lock)
    first = start(data, *update_args(server))
    try:
        assert server.wait_held(), "the first update never asked for the landing page"
        assert DataDir(data).locked("update")
        second = hparkiv(data, *update_args(server))
        assert second.returncode == 1, second.stderr
        assert "another hparkiv update is running" in second.stderr
        assert len(second.stderr.strip().splitlines()) == 1 and "Traceback" not in second.stderr
        server.release()
        rounds = 0
        while first.poll() is None or rounds < 3:
            for q in QUERIES:
                assert search(DataDir(data), q, limit=5).total == expected[q], q
            if rounds % 10 == 0:
                assert normalized_search(data, QUERIES[0])["total"] == expected[QUERIES[0]]
            rounds += 1
        out, err = first.communicate(timeout=120)
        assert first.returncode == 0, err[-3000:]
    finally:
        server.release()
        close_all()
        if first.poll() is None:
            kill_group(first)
    assert hparkiv(data, "check").returncode == 0
    for q in QUERIES:
        assert normalized_search(data, q) == reference["search"][q]


def test_searches_during_a_rebuild_never_fail(reference: dict, tmp_path: Path) -> None:
    """`index --rebuild` swaps a new generation in; a searcher sees the old or the new, never nothing."""
    data = tmp_path / "data"
    shutil.copytree(reference["dir"], data, symlinks=True)
    rebuild = start(data, "index", "--rebuild")
    rounds = 0
    try:
        while rebuild.poll() is None or rounds < 3:
            got = normalized_search(data, QUERIES[1])
            assert got == reference["search"][QUERIES[1]]
            rounds += 1
        assert rebuild.wait(timeout=120) == 0, rebuild.stderr.read() if rebuild.stderr else ""
    finally:
        if rebuild.poll() is None:
            kill_group(rebuild)
    assert hparkiv(data, "check").returncode == 0


# --- `hparkiv check` finds each kind of damage, and `--repair` mends it -----------------------


@pytest.fixture
def damaged(reference: dict, tmp_path: Path) -> Path:
    """A private copy of the reference archive to damage."""
    data = tmp_path / "data"
    shutil.copytree(reference["dir"], data, symlinks=True)
    return data


def _stored(data: Path) -> dict[str, float]:
    """Every stored file and its mtime (repairs must not rewrite good files)."""
    return {p.name: p.stat().st_mtime_ns for p in (data / "files").rglob("*") if p.is_file()}


def _sql(data: Path, sql: str, *params: object) -> list[tuple]:
    conn = sqlite3.connect(data / "catalog.sqlite")
    try:
        rows = conn.execute(sql, params).fetchall()
        conn.commit()
        return rows
    finally:
        conn.close()


def _ok_sha(data: Path) -> str:
    return _sql(data, "SELECT sha256 FROM versions WHERE status='ok' ORDER BY pages DESC LIMIT 1")[0][0]


def _expect_found(data: Path, kind: str) -> None:
    proc = hparkiv(data, "check")
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert f"{kind}:" in proc.stdout, proc.stdout
    assert "Traceback" not in proc.stderr


def _repair_then_clean(data: Path, reference: dict) -> None:
    good = _stored(data)
    proc = hparkiv(data, "check", "--repair")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    again = hparkiv(data, "check")
    assert again.returncode == 0, again.stdout + again.stderr
    assert "ok: the archive is consistent" in again.stdout
    after = _stored(data)
    assert {k: v for k, v in good.items() if k in after} == {k: after[k] for k in good if k in after}
    assert normalized_list(data) == reference["list"]
    assert normalized_search(data, QUERIES[0]) == reference["search"][QUERIES[0]]


def _whoosh(data: Path):
    from whoosh import index as whoosh_index

    return whoosh_index.open_dir(str(data / "index"))


def test_check_orphans_and_temp_files(damaged: Path, reference: dict) -> None:
    (damaged / "files" / "ab").mkdir(exist_ok=True)
    (damaged / "files" / "ab" / ("ab" + "0" * 62)).write_bytes(b"not in the catalog")
    (damaged / "files" / "zz").mkdir()
    (damaged / "files" / "zz" / "evil.txt").write_bytes(b"a name from the web")
    (damaged / "files" / "ab" / ".tmp-killed").write_bytes(b"half a download")
    _expect_found(damaged, "orphan-file")
    _expect_found(damaged, "temp-file")
    _repair_then_clean(damaged, reference)
    assert not (damaged / "files" / "zz" / "evil.txt").exists()


def test_check_pending_version_is_extracted_by_repair(damaged: Path, reference: dict) -> None:
    sha = _ok_sha(damaged)
    _sql(damaged, "UPDATE versions SET status='pending', pages=NULL, extracted_at=NULL WHERE sha256=?", sha)
    _sql(damaged, "DELETE FROM pages WHERE sha256=?", sha)
    _expect_found(damaged, "not-extracted")
    _repair_then_clean(damaged, reference)


@pytest.mark.parametrize("damage", ["delete-pages", "duplicate", "extra", "no-index", "garbage-index"])
def test_check_index_damage_is_rebuilt(damaged: Path, reference: dict, damage: str) -> None:
    sha = _ok_sha(damaged)
    kind = {"delete-pages": "index-missing", "duplicate": "index-duplicates", "extra": "index-extra",
            "no-index": "index-unreadable", "garbage-index": "index-unreadable"}[damage]
    if damage in ("no-index", "garbage-index"):
        target = (damaged / "index").resolve()
        shutil.rmtree(target)
        if damage == "garbage-index":
            target.mkdir()
            (target / "_MAIN_1.toc").write_bytes(b"\x00garbage" * 10)
    else:
        ix = _whoosh(damaged)
        with ix.searcher() as s:
            docs = [f for f in s.all_stored_fields() if f["sha256"] == sha]
        w = ix.writer()
        if damage == "delete-pages":
            w.delete_by_term("sha256", sha)
        elif damage == "duplicate":
            w.add_document(**docs[0])
        else:
            w.add_document(**{**docs[0], "sha256": "f" * 64, "doc_id": "ffffffffffff"})
        w.commit()
        ix.close()
    _expect_found(damaged, kind)
    _repair_then_clean(damaged, reference)


def test_check_stale_leftovers_of_a_killed_rebuild(damaged: Path, reference: dict) -> None:
    (damaged / "index.g99").mkdir()
    (damaged / "index.g99" / "_MAIN_1.toc").write_bytes(b"half")
    os.symlink("index.g99", damaged / ".index-link-4242")
    _expect_found(damaged, "stale-leftover")
    _repair_then_clean(damaged, reference)


@pytest.mark.parametrize("damage", ["delete", "corrupt"])
def test_check_lost_or_corrupt_file_is_fetched_again(
        server: sample.SampleServer, damaged: Path, reference: dict, damage: str) -> None:
    sha = _ok_sha(damaged)
    path = damaged / "files" / sha[:2] / sha
    if damage == "delete":
        path.unlink()
    else:
        data = bytearray(path.read_bytes())
        data[len(data) // 2] ^= 0xFF
        path.write_bytes(bytes(data))
    _expect_found(damaged, "missing-file" if damage == "delete" else "corrupt-file")
    proc = hparkiv(damaged, "check", "--repair")
    assert proc.returncode == 1 and "next `hparkiv update` downloads it again" in proc.stdout, proc.stdout
    assert hparkiv(damaged, *update_args(server), timeout=120).returncode == 0
    _repair_then_clean(damaged, reference)
    assert hashlib.sha256(path.read_bytes()).hexdigest() == sha


@pytest.mark.parametrize("args", [("index", "--rebuild"), ("index",)])
def test_index_stage_replaces_an_unreadable_index(damaged: Path, args: tuple[str, ...]) -> None:
    target = (damaged / "index").resolve()
    shutil.rmtree(target)
    target.mkdir()
    (target / "_MAIN_1.toc").write_bytes(b"\x00garbage" * 10)
    proc = hparkiv(damaged, *args)
    assert proc.returncode == 0, proc.stderr
    check = hparkiv(damaged, "check")
    assert check.returncode == 0, check.stdout + check.stderr


def test_check_lost_pages_are_extracted_again(damaged: Path, reference: dict) -> None:
    _sql(damaged, "DELETE FROM pages WHERE sha256=?", _ok_sha(damaged))
    _expect_found(damaged, "pages-lost")
    _repair_then_clean(damaged, reference)


def test_check_catalog_row_disagreeing_with_its_file(damaged: Path, reference: dict) -> None:
    _sql(damaged, "UPDATE versions SET size=size+1 WHERE sha256=?", _ok_sha(damaged))
    _expect_found(damaged, "row-mismatch")
    _repair_then_clean(damaged, reference)
