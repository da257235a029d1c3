"""The crawl's child process: `python -m crawler.child CONFIG_JSON`.

Twisted's reactor cannot be restarted, so every crawl runs in a fresh process; the parent
(`crawler.parent.crawl`) reads the progress lines this prints on stdout.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from scrapy.crawler import CrawlerProcess

from catalog import DataDir, connect, finish_run, last_run, start_run
from crawler.pipelines import progress_counts
from crawler.progress import emit
from crawler.settings import build_settings
from crawler.spiders.budget import BudgetSpider
from sources import load_source

# A run that finds fewer than this share of the last run's links probably met a rebuilt site.
LINK_DROP = 0.5


def run(config: dict[str, Any]) -> dict[str, Any]:
    source = load_source(config["source"])
    settings = build_settings(
        hosts=list(config["allowed_netlocs"]), max_file_mb=source.max_file_mb,
        download_delay=config.get("download_delay"), verbose=bool(config.get("verbose")),
        timeout=int(config.get("timeout") or 30),
    )
    settings["HPARKIV_DATA_DIR"] = config["data_dir"]
    settings["HPARKIV_SOURCE"] = config["source"]
    conn = connect(DataDir(Path(config["data_dir"])))
    previous = last_run(conn, "crawl")
    run_id = start_run(conn, "crawl")

    process = CrawlerProcess(settings)
    crawler = process.create_crawler(BudgetSpider)
    process.crawl(crawler, config=config)
    process.start()

    stats = crawler.stats.get_stats() if crawler.stats else {}
    summary = progress_counts(stats)
    summary["event"] = "summary"
    summary["failures"] = stats.get("hparkiv/failures", [])
    summary["not_allowed"] = stats.get("hparkiv/not_allowed", {})
    summary["warnings"] = warnings_for(summary, previous)
    finish_run(conn, run_id, {k: v for k, v in summary.items() if k != "event"})
    conn.close()
    return summary


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
