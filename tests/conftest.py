"""Shared fixtures: the sample site (built once per session) and a fresh server per test."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

import sample
from sample import SampleServer, Truth, build, load_truth, serve


@pytest.fixture(scope="session")
def sample_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The canonical sample archive (variant 0), built once per test session."""
    return build(tmp_path_factory.mktemp("sample"), variant=0)


@pytest.fixture(scope="session")
def sample_truth(sample_dir: Path) -> Truth:
    return load_truth(sample_dir)


@pytest.fixture(scope="session")
def sample_variant_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A differently shaped site (variant 1) for testing that the crawler generalises."""
    return build(tmp_path_factory.mktemp("sample-variant"), variant=1)


@pytest.fixture
def sample_server(sample_dir: Path) -> Iterator[SampleServer]:
    """A fresh server per test, so request logs and 500-counters start empty."""
    with serve(sample_dir) as server:
        yield server


def hparkiv(data_dir: Path, *args: str, check: bool = False, timeout: float = 300) -> subprocess.CompletedProcess:
    """Run the real CLI in a new process, as a user would."""
    env = {**os.environ, "HPARKIV_DATA_DIR": str(data_dir), "COLUMNS": "120"}
    env.pop("HPARKIV_DEBUG", None)
    proc = subprocess.run([sys.executable, "-m", "search_cli", *args], capture_output=True, text=True,
                          env=env, timeout=timeout)
    if check and proc.returncode != 0:
        raise AssertionError(f"hparkiv {' '.join(args)} exited {proc.returncode}:\n{proc.stderr[-3000:]}")
    return proc


def update_args(server: SampleServer) -> list[str]:
    """`hparkiv update` pointed at a loopback sample server instead of the real site."""
    portal_host = server.portal_url.split("://", 1)[1]
    return ["update", "--start-url", server.landing_url, "--allow-host", portal_host,
            "--wayback", server.wayback_url, "--delay", "0"]


@pytest.fixture(scope="session")
def archive(sample_dir, tmp_path_factory):
    """One full `hparkiv update` of the sample archive: (data dir, process), for read-only tests."""
    data_dir = tmp_path_factory.mktemp("archive")
    with sample.serve(sample_dir) as server:
        proc = hparkiv(data_dir, *update_args(server), check=True)
    return data_dir, proc


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    """Keep each phase's report on the test item, so fixtures can act on a failure (screenshots)."""
    report = yield
    setattr(item, f"rep_{report.when}", report)
    return report
