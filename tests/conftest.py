"""Shared fixtures: the sample site, one full `update` of it, and a fresh server per test; the
four municipalities' replicas with their answer key; the web app over the sample archive.

The suite runs in parallel (pytest-xdist). What is expensive and read-only is built once per
run, whichever worker asks first, under a file lock in the directory all workers of the run
share; each worker then reads the one build (the sample sites) or works on its own copy (the
archives, which the web UI writes page images into). Everything else a test writes goes into
its own tmp_path, and every server binds a free port of its own.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path

import index_archive
import pytest
from filelock import FileLock
from opensearch_cluster import os_client  # noqa: F401 (the cluster fixture, for the engine tests)
from processes import hparkiv, update_args

import sample
from catalog import DataDir
from sample import SampleServer, Truth, build, load_truth, serve
from sample.platforms.answers import Answers, load_answers

DONE = ".built"  # written last into a shared build: it is complete


def built_once(factory: pytest.TempPathFactory, name: str, make: Callable[[Path], None]) -> Path:
    """`make(dir)` once per test run, shared by every xdist worker of the run.

    The first worker to ask builds it under a file lock; the others wait for the lock and
    find it done. A build that failed is not marked done: the next one to ask tries again
    (and fails the same way, in its own test).
    """
    root = factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        root = root.parent  # the run's base temp: each worker's own is one level below it
    dest = root / "shared" / name
    dest.parent.mkdir(parents=True, exist_ok=True)
    with FileLock(str(dest) + ".lock"):
        if not (dest / DONE).exists():
            shutil.rmtree(dest, ignore_errors=True)
            dest.mkdir()
            make(dest)
            (dest / DONE).write_text("complete\n")
    return dest


def own_copy(factory: pytest.TempPathFactory, shared: Path, name: str) -> Path:
    """This worker's private copy of a shared data dir (cheap: a few MB)."""
    copy = factory.mktemp(name) / "data"
    shutil.copytree(shared, copy, symlinks=True)
    return copy


def save_run(dest: Path, proc: subprocess.CompletedProcess[str]) -> None:
    (dest / "run.json").write_text(json.dumps({"args": proc.args, "returncode": proc.returncode,
                                               "stdout": proc.stdout, "stderr": proc.stderr}))


def load_run(dest: Path) -> subprocess.CompletedProcess[str]:
    run = json.loads((dest / "run.json").read_text())
    return subprocess.CompletedProcess(run["args"], run["returncode"], run["stdout"], run["stderr"])


@pytest.fixture(scope="session")
def sample_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The canonical sample archive (variant 0), built once per test run."""
    return built_once(tmp_path_factory, "sample", lambda d: build(d, variant=0))


@pytest.fixture(scope="session")
def kommuner_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The four municipalities' platform replicas (sample.municipalities), built once per test run."""
    from sample.municipalities import build_municipalities

    return built_once(tmp_path_factory, "kommuner", build_municipalities)


@pytest.fixture(scope="module")
def kommuner_truth(kommuner_dir: Path) -> Truth:
    return load_truth(kommuner_dir)


@pytest.fixture(scope="module")
def kommuner_answers(kommuner_dir: Path) -> Answers:
    """The replicas' answer key (replicas.json): municipalities, platforms, planted problems."""
    return load_answers(kommuner_dir)


@pytest.fixture(scope="module")
def kommuner_server(kommuner_dir: Path) -> Iterator[SampleServer]:
    """The four municipalities' replicas served on their loopback addresses, a server per module."""
    with serve(kommuner_dir) as server:
        yield server


@pytest.fixture(scope="session")
def sample_truth(sample_dir: Path) -> Truth:
    return load_truth(sample_dir)


@pytest.fixture(scope="session")
def sample_variant_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A differently shaped site (variant 1) for testing that the crawler generalises."""
    return built_once(tmp_path_factory, "sample-variant", lambda d: build(d, variant=1))


@pytest.fixture
def sample_server(sample_dir: Path) -> Iterator[SampleServer]:
    """A fresh server per test, so request logs and 500-counters start empty."""
    with serve(sample_dir) as server:
        yield server


@pytest.fixture(scope="session")
def archive(sample_dir: Path, tmp_path_factory: pytest.TempPathFactory):
    """One full `hparkiv update` of the sample archive, for tests that only read it: (this worker's
    copy of its data dir, the update's process). The update runs once per test run."""

    def make(dest: Path) -> None:
        with sample.serve(sample_dir) as server:
            proc = hparkiv(dest / "data", *update_args(server), check=True)
        save_run(dest, proc)

    shared = built_once(tmp_path_factory, "archive", make)
    return own_copy(tmp_path_factory, shared / "data", "archive"), load_run(shared)


@pytest.fixture(scope="module")
def data_dir(archive) -> DataDir:
    """The sample archive (this worker's copy) as a DataDir; a module that needs another defines its own."""
    return DataDir(Path(archive[0]))


@pytest.fixture(scope="module")
def client(data_dir: DataDir):
    """The web app over `data_dir`, in process (Starlette's TestClient): the web tests' browser."""
    from starlette.testclient import TestClient

    from web import create_app

    return TestClient(create_app(data_dir), raise_server_exceptions=False)


@pytest.fixture(scope="module")
def a_hit(client) -> dict:
    """The best page for `sykehjem`: a PDF page with the word and its compounds."""
    return client.get("/api/search", params={"q": "sykehjem", "size": 1}).json()["hits"][0]


@pytest.fixture
def small_archive(tmp_path: Path):
    """The hand-written pages of tests/index_archive.py, catalogued and indexed, fresh per test:
    (data dir, its catalog connection, sha256 by name)."""
    yield from index_archive.indexed(tmp_path)


@pytest.fixture(scope="session")
def hostile_update(tmp_path_factory: pytest.TempPathFactory) -> dict:
    """One `hparkiv update` of the hostile site (sample/hostile.py), once per test run: this worker's
    copy of the data dir, the process, and the files beside the data dir before and after it."""
    from sample.hostile import serve_hostile

    def make(dest: Path) -> None:
        data = dest / "data"
        before = tree_beside(dest, data)
        with serve_hostile() as url:
            proc = hparkiv(data, "update", "--start-url", url, "--no-wayback", "--delay", "0", timeout=150)
        save_run(dest, proc)
        (dest / "beside.json").write_text(json.dumps({"before": sorted(before),
                                                      "after": sorted(tree_beside(dest, data))}))

    shared = built_once(tmp_path_factory, "hostile", make)
    beside = json.loads((shared / "beside.json").read_text())
    return {"data": own_copy(tmp_path_factory, shared / "data", "hostile"), "proc": load_run(shared),
            "shared": shared / "data", "before": set(beside["before"]), "after": set(beside["after"])}


def tree_beside(root: Path, data: Path) -> set[str]:
    """Every path under root outside the data dir (the bookkeeping files of a shared build aside)."""
    return {str(p.relative_to(root)) for p in root.rglob("*")
            if data not in p.parents and p != data and p.name not in ("run.json", "beside.json", DONE)}


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    """Keep each phase's report on the test item, so fixtures can act on a failure (screenshots)."""
    report = yield
    setattr(item, f"rep_{report.when}", report)
    return report
