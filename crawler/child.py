"""The crawl's child process: `python -m crawler.child CONFIG_JSON`.

Twisted's reactor cannot be restarted, so every crawl runs in a fresh process; the parent
(`crawler.parent.crawl`) reads the progress lines this prints on stdout. Each source is one
Scrapy crawler in this process, all running side by side: their requests to one host share
one politeness clock (crawler.middlewares.PolitenessMiddleware), their stats stay their own.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from scrapy.crawler import Crawler, CrawlerProcess

from catalog import DataDir, connect, finish_run, last_run, start_run
from crawler.pipelines import progress_counts
from crawler.progress import emit
from crawler.settings import build_settings
from crawler.spiders.budget import BudgetSpider
from sources import load_source

# A run that finds fewer than this share of the last run's links probably met a rebuilt site.
LINK_DROP = 0.5


def run(config: dict[str, Any]) -> dict[str, Any]:
    data_dir = DataDir(Path(config["data_dir"]))
    conn = connect(data_dir)
    previous = last_run(conn, "crawl")
    run_id = start_run(conn, "crawl")
    verbose = bool(config.get("verbose"))
    process = CrawlerProcess(build_settings(hosts=[], max_file_mb=200, verbose=verbose))
    crawlers: dict[str, Crawler] = {}
    errors: dict[str, str] = {}
    for sc in config["sources"]:
        source = load_source(sc["source"])
        settings = build_settings(
            hosts=list(sc["allowed_netlocs"]), max_file_mb=source.max_file_mb, download_delay=sc.get("download_delay"),
            verbose=verbose, timeout=int(sc.get("timeout") or config.get("timeout") or 30),
        )
        settings.update(HPARKIV_DATA_DIR=config["data_dir"], HPARKIV_SOURCE=sc["source"],
                        HPARKIV_HOST_DELAYS=config.get("host_delays", {}))
        # One spider class per source, its settings as the spider's own (hosts, timeout, delay).
        spider = type(f"BudgetSpider_{len(crawlers)}", (BudgetSpider,), {"custom_settings": settings})
        crawler = process.create_crawler(spider)
        crawlers[sc["name"]] = crawler
        deferred = process.crawl(crawler, config=sc)
        deferred.addErrback(lambda failure, name=sc["name"]: errors.__setitem__(
            name, f"{failure.type.__name__}: {failure.getErrorMessage()}"[:300]))
    process.start()

    sources: dict[str, dict[str, Any]] = {}
    for sc in config["sources"]:
        name = sc["name"]
        stats = crawlers[name].stats.get_stats() if crawlers[name].stats else {}
        s = progress_counts(stats)
        s.pop("event")
        s["failures"] = stats.get("hparkiv/failures", [])
        s["not_allowed"] = stats.get("hparkiv/not_allowed", {})
        s["notes"] = stats.get("hparkiv/notes", [])
        s["kommune"] = sc.get("kommune")
        if name in errors:
            s["error"] = f"the crawl of {name} stopped: {errors[name]}"
        s["warnings"] = warnings_for(s, _previous(previous, name, len(config["sources"])))
        sources[name] = s
    summary: dict[str, Any] = {"event": "summary", "sources": sources}
    for key in ("pages_visited", "documents_seen", "new", "changed", "unchanged", "failed", "problems", "links_found"):
        summary[key] = sum(int(s.get(key, 0)) for s in sources.values())
    summary["failures"] = [f for s in sources.values() for f in s["failures"]]
    summary["notes"] = [n if len(sources) == 1 else f"{name}: {n}" for name, s in sources.items() for n in s["notes"]]
    summary["warnings"] = [w if len(sources) == 1 else f"{name}: {w}" for name, s in sources.items() for w in s["warnings"]]
    not_allowed: dict[str, int] = {}
    for s in sources.values():
        for host, n in s["not_allowed"].items():
            not_allowed[host] = not_allowed.get(host, 0) + n
    summary["not_allowed"] = not_allowed
    finish_run(conn, run_id, {k: v for k, v in summary.items() if k != "event"})
    conn.close()
    return summary


def _previous(previous: dict[str, Any] | None, name: str, n_sources: int) -> dict[str, Any] | None:
    """The last run's stats of this source (a run from before several sources: its totals, when
    this run has one source)."""
    stats = (previous or {}).get("stats", {})
    if name in stats.get("sources", {}):
        return {"stats": stats["sources"][name]}
    if "sources" not in stats and n_sources == 1:
        return previous
    return None


def warnings_for(summary: dict[str, Any], previous: dict[str, Any] | None) -> list[str]:
    """Say loudly when the site seems to have changed under us."""
    warnings = []
    if summary["documents_seen"] == 0:
        warnings.append("no documents were found: the site has probably changed (or the start URL is wrong)")
    before = (previous or {}).get("stats", {}).get("links_found", 0)
    if before and summary["links_found"] < before * LINK_DROP:
        warnings.append(
            f"only {summary['links_found']} links found, {before} last time: the site has probably changed"
        )
    return warnings


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1:
        print("usage: python -m crawler.child CONFIG_JSON", file=sys.stderr)
        return 2
    emit(run(json.loads(args[0])))
    return 0


if __name__ == "__main__":
    sys.exit(main())
