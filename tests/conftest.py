"""Shared fixtures: the sample site (built once per session) and a fresh server per test."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from opensearch_cluster import os_client  # noqa: F401 (the cluster fixture, for the engine tests)
from processes import hparkiv, update_args

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
