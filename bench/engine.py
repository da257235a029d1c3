"""Engine benchmark: the generated corpus through hparkiv's real path, into Whoosh and an
OpenSearch cluster, in the same run.

    python3 -m jobs.cluster up --heap-data 1g              # the project's local cluster (or any cluster)
    python -m bench.engine --pages 100000                   # both engines, 100,000 pages each
    python -m bench.engine --pages 1000000 --engines opensearch
    python -m bench.engine --pages 5000 --runs 10           # a quick check that everything works

The corpus (bench/corpus.py, bench/search.py's, the same pages for the same seed) is written
once per size into a real catalog under bench/out/ (git-ignored). Each engine then indexes
it the way `hparkiv index --rebuild` does (`index.update_index`: the catalog read, the compound
lexicon and common words computed, every page analysed and sent), and answers every query
kind the way `hparkiv search` does (`index.search`: top 20 with exact totals and snippets cut
from the catalog; facets only in "faceted"). For OpenSearch the engine's own time (`took`,
summed over the requests that search sent: the hits, then "+N more pages") is reported
beside, and, in "highlighted", the cost of the engine's own highlighter, which hparkiv does
not use (its snippets come from the catalog, the same for both engines).

Reported per engine: pages/s of the whole rebuild, the engine's CPU-ms per page (all its
processes; for Whoosh the process itself), the client's CPU-ms per page, p50/p95 per query
kind, disk per page (both copies and primaries only), RSS per node. An index that already
holds the corpus is reused (its build figures come from when it was built) unless --rebuild.

Here: the query kinds, the run and the report; the corpus's catalog and the engines, one class
each, are bench/engines.py.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from dataclasses import asdict
from pathlib import Path
from typing import Any

from bench.engines import Engine, OpenSearchEngine, WhooshEngine, ensure_catalog, percentiles
from catalog import Filters

# Query kind -> (query, filters, facets). "rare" is filled with a tail word of the corpus.
KINDS: dict[str, tuple[str, Filters, bool]] = {
    "common": ("budsjett", Filters(), False),
    "rare": ("", Filters(), False),
    "two terms": ("sykehjem barnehage", Filters(), False),
    "phrase": ('"mill kroner"', Filters(), False),
    "filtered": ("skole", Filters(year_from=2021, year_to=2021, doctype="forslag"), False),
    "faceted": ("budsjett", Filters(), True),
    "highlighted": ("sykehjem", Filters(), False),
}


# --- the run -----------------------------------------------------------------------------------


def find_cluster(urls: str | None) -> tuple[list[str], Path | None]:
    from index.opensearch.client import URL_ENV, parse_urls
    from jobs.cluster import running_urls
    from jobs.cluster_state import default_dir

    if urls:
        return parse_urls(urls), None
    if os.environ.get(URL_ENV):
        return parse_urls(os.environ[URL_ENV]), default_dir() if running_urls() else None
    found = running_urls()
    if not found:
        raise SystemExit("no cluster: start one (python3 -m jobs.cluster up --heap-data 1g) or pass --urls")
    return found, default_dir()


def make_engines(names: list[str], pages: int, source: Path, args: argparse.Namespace) -> list[Engine]:
    engines: list[Engine] = []
    for name in names:
        if name == "whoosh":
            engines.append(WhooshEngine(pages, source))
        elif name == "opensearch":
            urls, cluster_dir = find_cluster(args.urls)
            engines.append(OpenSearchEngine(pages, source, urls, cluster_dir=cluster_dir, shards=args.shards,
                                            replicas=args.replicas))
        else:
            raise SystemExit(f"unknown engine {name!r} (this bench knows: whoosh, opensearch)")
    return engines


def run_queries(engine: Engine, rare: str, runs: int, only: set[str] | None) -> list[dict]:
    rows = []
    for kind, (text, filters, facets) in KINDS.items():
        if only and kind not in only:
            continue
        text = text or rare
        total, _, _ = engine.query(text, filters, facets)  # warm, and the total
        wall, took = [], []
        for _ in range(runs):
            n, wall_ms, engine_ms = engine.query(text, filters, facets)
            wall.append(wall_ms)
            if engine_ms is not None:
                took.append(engine_ms)
            if n != total:
                raise SystemExit(f"{engine.name} {kind}: the total changed between runs ({total} -> {n})")
        row = {"kind": kind, "query": text, "hits": total, "wall": percentiles(wall)}
        if took:
            row["took"] = percentiles(took)
        row.update(engine.extra(kind, text, filters))
        rows.append(row)
    return rows


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pages", type=int, default=100_000)
    ap.add_argument("--runs", type=int, default=40)
    ap.add_argument("--engines", default="whoosh,opensearch", help="comma-separated engines (default both)")
    ap.add_argument("--urls", help="the cluster's node URLs (default: $HPARKIV_OPENSEARCH_URL, or make cluster's)")
    ap.add_argument("--shards", type=int, default=2, help="primary shards (default 2: one per data node)")
    ap.add_argument("--replicas", type=int, default=1, help="replicas of each shard (default 1: two copies)")
    ap.add_argument("--rebuild", action="store_true", help="index again even if the engine holds the corpus")
    ap.add_argument("--only", help="comma-separated query kinds to time (default: all)")
    args = ap.parse_args(argv)
    say = lambda m: print(m, file=sys.stderr)  # noqa: E731

    source, meta = ensure_catalog(args.pages, log=say)
    engines = make_engines([e.strip() for e in args.engines.split(",") if e.strip()], args.pages, source, args)
    only = {k.strip() for k in args.only.split(",")} if args.only else None
    report: dict[str, Any] = {"pages": args.pages, "cpus": os.cpu_count(), "load": list(os.getloadavg()),
                              "catalog_fill_s": meta.get("fill_s"), "engines": {}}
    for engine in engines:
        r = report["engines"][engine.name] = engine.describe()
        r["build"] = asdict(engine.build(args.rebuild, log=say))
        r["queries"] = run_queries(engine, meta["rare"], args.runs, only)
        r["resources"] = engine.resources()
    report["load_after"] = list(os.getloadavg())
    print_report(report)
    return 0


def print_report(r: dict) -> None:
    load = " ".join(f"{x:.2f}" for x in r["load"])
    after = " ".join(f"{x:.2f}" for x in r["load_after"])
    print(f"{r['pages']:,} pages on {r['cpus']} CPUs; load average {load} at start, {after} at the end")
    for e in r["engines"].values():
        b, res = e["build"], e["resources"]
        nodes = ", ".join(f"{n['name']} {n['roles']} {n['heap_max']}" for n in e.get("nodes", []))
        print(f"\n{e['engine']}" + (f", {len(e['nodes'])} nodes ({nodes})" if nodes else ""))
        when = "this run" if b["this_run"] else f"cached, built {b['built_at']}"
        blo = " ".join(f"{x:.2f}" for x in b["load_before"])
        print(f"rebuild ({when}, load {blo} before): {b['pages']:,} pages in {b['seconds']} s = {b['pages_per_s']} pages/s;"
              f" engine {b['engine_cpu_ms_per_page']} CPU-ms/page, client {b['client_cpu_ms_per_page']} CPU-ms/page;"
              f" {b['refused']} versions refused")
        print(f"disk: {res['disk_mb']} MB, {res['disk_bytes_per_page']} bytes/page"
              f" ({res['disk_bytes_per_page_primaries']} without replicas)")
        for node, n in sorted(res.get("nodes", {}).items()):
            heap = f", heap {n.get('heap_used_mb')} / {n.get('heap_max_mb')} MB" if "heap_max_mb" in n else ""
            print(f"  {node}: RSS {n.get('rss_mb', '?')} MB{heap}")
    names = list(r["engines"])
    print("\n| query kind | query | hits | " + " | ".join(f"{n} p50 / p95 ms" for n in names) + " |")
    print("|---|---|---:|" + "---:|" * len(names))
    first = r["engines"][names[0]]["queries"]
    for i, q in enumerate(first):
        cells = []
        hits = {r["engines"][n]["queries"][i]["hits"] for n in names}
        for n in names:
            row = r["engines"][n]["queries"][i]
            cell = f"{row['wall']['p50']} / {row['wall']['p95']}"
            if "took" in row:
                cell += f" (engine {row['took']['p50']} / {row['took']['p95']})"
            if "engine_highlighter_took" in row:
                h = row["engine_highlighter_took"]
                cell += f"; its own highlighter {h['p50']} / {h['p95']}"
            cells.append(cell)
        shown = f"{q['hits']:,}" if len(hits) == 1 else " vs ".join(f"{h:,}" for h in sorted(hits))
        print(f"| {q['kind']} | `{q['query']}` | {shown} | " + " | ".join(cells) + " |")
    print(json.dumps(r, default=str), file=sys.stderr)


if __name__ == "__main__":
    raise SystemExit(main())
