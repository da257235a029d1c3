"""Server faults beyond tests/test_crawler.py: 503 bursts, a 500 that never heals, a stalled
body, slow answers, all at once; the crawl ends in bounded time, records each failure with
its reason, and the next run against a healed server fills the gaps."""

from __future__ import annotations

from pathlib import Path

import pytest

from catalog import DataDir, connect, fetch_failures
from crawler.parent import crawl
from sample import Truth, serve
from sample.server import BURST
from sample.site import canonical


def _docs(truth: Truth) -> list:
    return [d for d in truth.documents if d.host == "main" and d.status == "ok" and not d.only_in_wayback
            and not d.final_path and not d.fail_first]


def _paths(data: DataDir) -> set[str]:
    rows = connect(data).execute("SELECT url FROM urls WHERE sha256 IS NOT NULL").fetchall()
    return {"/" + r["url"].split("/", 3)[3] for r in rows}


@pytest.mark.slow
def test_bursts_stalls_and_dead_documents(sample_dir: Path, sample_truth: Truth, tmp_path: Path) -> None:
    docs = _docs(sample_truth)
    plan = {"503_burst": docs[0], "500_always": docs[1], "stall": docs[2], "slow": docs[3]}
    data = DataDir(tmp_path / "data")
    with serve(sample_dir, faults={canonical(d.path): name for name, d in plan.items()}) as server:
        # The stall lasts until the crawler gives up, so only its own timeout can end it (the crawl
        # ending at all is the bound; pytest-timeout fails a hang); 4 s is 8 times the slow answer.
        summary = crawl(data, start_urls=[server.landing_url],
                        allow_hosts=[server.portal_url.split("://", 1)[1]], wayback=False,
                        download_delay=0, timeout=4)
        hits = [e for e in server.requests if canonical(e.path) == canonical(plan["503_burst"].path)]
        failures = {f["url"]: f["error"] for f in fetch_failures(connect(data))}
        urls = {name: server.original_url(d) for name, d in plan.items()}
    found = _paths(data)
    assert plan["503_burst"].path in found and plan["slow"].path in found
    assert [e.status for e in hits] == [503] * BURST + [200]
    assert failures[urls["500_always"]].startswith("HTTP 500"), failures[urls["500_always"]]
    assert failures[urls["stall"]].startswith("timeout after 4 s"), failures[urls["stall"]]
    assert plan["500_always"].path not in found and plan["stall"].path not in found
    assert summary.failed >= 2
    # Nothing half-written: every stored file is complete and named by its hash.
    for path in data.files.rglob("*"):
        assert not path.name.startswith(".tmp-"), path

    with serve(sample_dir) as healed:
        crawl(data, start_urls=[healed.landing_url], allow_hosts=[healed.portal_url.split("://", 1)[1]],
              wayback=False, download_delay=0)
    found = _paths(data)
    assert all(d.path in found for d in plan.values())
