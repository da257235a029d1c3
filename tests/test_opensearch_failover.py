"""Failover on a real cluster of our own: 2 data nodes and 1 manager-only node (jobs/cluster.py).

One test, one cluster of its own (started here, in a temporary directory, on free ports),
because it kills nodes: a shared cluster would fail other tests running beside it. Every
step waits for a state the cluster reports (its health, its node count, its elected
manager), never for a length of time.

1. A data node dies during a query loop: no query fails and every total stays the same.
2. It comes back: every shard has its two copies again, with the same pages.
3. The elected manager dies during a write loop: writes resume under a new manager, and
   every write that was acknowledged is there.
"""

from __future__ import annotations

import random
import signal
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from opensearch_cluster import cluster_urls, version

from catalog.models import Filters
from index.opensearch.bulk import create_index, index_pages, refresh
from index.opensearch.client import connect, search
from index.opensearch.schema import page_id, page_source
from index.opensearch.translate import search_request
from jobs.cluster import down, up
from jobs.cluster_nodes import get_json, pid_of, start_node, stop_node, wait_for

# Starting a cluster and three node changes, each waited for: minutes on a loaded 2-core machine.
pytestmark = [pytest.mark.slow, pytest.mark.timeout(1200)]

QUERIES = ["budsjett", "sykehjem barnehage", '"mill kroner"', "skole year:2021", "kultur OR idrett"]
PAGES = 600
DEADLINE = 240  # seconds a state may take to arrive on a loaded 2-core machine before the test fails


WORDS = ("budsjett sykehjem barnehage skole kultur idrett tilskudd drift investering vedlikehold mill kroner"
         " og i til for med kommunen").split()


def documents(pages: int) -> list[tuple[str, dict, list[str]]]:
    """(name, catalog fields, page texts): 20 pages a document, years and types spread."""
    rng = random.Random(21)
    out = []
    for d in range(pages // 20):
        meta = {"year": 2016 + d % 8, "committee": "kommunestyret", "doctype": ("forslag", "vedtak")[d % 2]}
        out.append((f"d{d}", meta, [" ".join(rng.choices(WORDS, k=60)) for _ in range(20)]))
    return out


def wait_until(what: str, ready: Callable[[], bool], seconds: float = DEADLINE) -> None:
    """Poll a state until it holds; fail with `what` if it never does."""
    deadline = time.monotonic() + seconds
    while not ready():
        if time.monotonic() > deadline:
            pytest.fail(f"not within {seconds} s: {what}")
        time.sleep(0.05)


class Loop(threading.Thread):
    """Calls `step` until stopped, counting rounds and keeping every failure."""

    def __init__(self, step: Callable[[int], None]):
        super().__init__(daemon=True)
        self.step = step
        self.rounds = 0
        self.failures: list[str] = []
        self.stopped = threading.Event()

    def run(self) -> None:
        while not self.stopped.is_set():
            try:
                self.step(self.rounds)
            except Exception as e:  # noqa: BLE001 - every failure is the test's finding
                self.failures.append(f"round {self.rounds}: {type(e).__name__}: {e}")
            self.rounds += 1

    def stop(self) -> None:
        self.stopped.set()
        self.join(timeout=DEADLINE)
        assert not self.is_alive(), "the loop did not stop"


def elected_manager(cluster, names: list[str]) -> str | None:
    for n in cluster.nodes:
        if n.name not in names:
            continue
        try:
            rows = get_json(f"{n.url}/_cat/cluster_manager?format=json", timeout=10)
        except (OSError, ValueError):
            continue
        if rows:
            return rows[0]["node"]
    return None


def test_a_cluster_survives_the_loss_of_any_one_node(tmp_path: Path) -> None:
    cluster_urls()  # runs where the engine tests run: always in CI, else when a cluster is configured
    cluster = up(tmp_path / "cluster", heap_data="384m", heap_manager="192m", log=lambda _m: None)
    try:
        assert [n.name for n in cluster.nodes] == ["data1", "data2", "manager"]
        client = connect(cluster.urls, timeout=60, retries=6)
        create_index(client, "pages", frozenset(), shards=2, replicas=1)
        summary = index_pages(client, "pages", ((page_id(version(name).doc_id, 1, i),
                                                 page_source(version(name, **meta), i, text, []))
                                                for name, meta, texts in documents(PAGES)
                                                for i, text in enumerate(texts, 1)))
        assert (summary.indexed, summary.failed) == (PAGES, 0), summary.errors
        refresh(client, "pages")
        bodies = {q: search_request(q, Filters(), size=10, facets=True) for q in QUERIES}
        expected = {q: search(client, "pages", b)["hits"]["total"]["value"] for q, b in bodies.items()}
        assert all(expected.values()), expected

        # 1. A data node (not the elected manager) dies while queries run.
        totals: list[tuple[str, int]] = []

        def ask(i: int) -> None:
            q = QUERIES[i % len(QUERIES)]
            totals.append((q, search(client, "pages", bodies[q])["hits"]["total"]["value"]))

        manager = elected_manager(cluster, ["data1", "data2", "manager"])
        victim = "data2" if manager == "data1" else "data1"
        survivors = [n for n in ("data1", "data2", "manager") if n != victim]
        loop = Loop(ask)
        loop.start()
        wait_until("20 query rounds before the kill", lambda: loop.rounds >= 20 or bool(loop.failures))
        stop_node(cluster, victim, signal.SIGKILL)
        wait_for(cluster, status="yellow", nodes=2, expect_running=survivors, timeout=DEADLINE)
        after = loop.rounds
        wait_until("20 query rounds after the node left", lambda: loop.rounds >= after + 20 or bool(loop.failures))
        loop.stop()
        assert loop.failures == []
        assert len(totals) >= 40
        assert {(q, n) for q, n in totals} == {(q, expected[q]) for q in {q for q, _ in totals}}

        # 2. It comes back: both copies of every shard, with the same pages.
        start_node(cluster, victim)
        wait_for(cluster, status="green", nodes=3, timeout=DEADLINE)
        shards = client.cat.shards(index="pages", params={"format": "json", "h": "shard,prirep,state,node,docs"})
        assert len(shards) == 4 and {s["state"] for s in shards} == {"STARTED"}
        for shard in ("0", "1"):
            copies = [s for s in shards if s["shard"] == shard]
            assert {c["prirep"] for c in copies} == {"p", "r"}
            assert len({c["node"] for c in copies}) == 2
            assert len({c["docs"] for c in copies}) == 1
        assert sum(int(s["docs"]) for s in shards if s["prirep"] == "p") == PAGES

        # 3. The elected manager dies while pages are written: writes resume, nothing acknowledged is lost.
        acknowledged: list[str] = []

        def write(i: int) -> None:
            doc_id = f"w{i}"
            r = client.index(index="pages", id=doc_id, body=page_source(version(doc_id), 1, f"Skriv {i}.", []),
                             request_timeout=90)
            if r.get("result") in ("created", "updated") and r["_shards"]["successful"] >= 1:
                acknowledged.append(doc_id)

        manager = elected_manager(cluster, ["data1", "data2", "manager"])
        assert manager in ("data1", "data2", "manager")
        survivors = [n for n in ("data1", "data2", "manager") if n != manager]
        writer = Loop(write)
        writer.start()
        wait_until("20 acknowledged writes before the kill", lambda: len(acknowledged) >= 20)
        stop_node(cluster, manager, signal.SIGKILL)
        wait_until("a new manager elected among the survivors",
                   lambda: elected_manager(cluster, survivors) in survivors)
        wait_for(cluster, status="yellow", nodes=2, expect_running=survivors, timeout=DEADLINE)
        resumed = len(acknowledged)
        wait_until("20 acknowledged writes under the new manager", lambda: len(acknowledged) >= resumed + 20)
        writer.stop()
        refresh(client, "pages")
        found = client.mget(index="pages", body={"ids": acknowledged}, params={"_source": "false"})["docs"]
        lost = [d["_id"] for d in found if not d.get("found")]
        assert lost == [], f"{len(lost)} acknowledged writes lost: {lost[:10]}"

        start_node(cluster, manager)
        wait_for(cluster, status="green", nodes=3, timeout=DEADLINE)
    finally:
        down(cluster.dir, wipe=True, log=lambda _m: None)
    assert all(pid_of(cluster, n.name) is None for n in cluster.nodes)
