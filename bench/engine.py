"""Engine benchmark: the generated corpus (bench/corpus.py) indexed into an OpenSearch cluster.

    python3 -m jobs.cluster up --heap-data 1g    # the project's local cluster (or any cluster:)
    python -m bench.engine --pages 100000         # finds it by $HPARKIV_OPENSEARCH_URL or .cache/opensearch/cluster
    python -m bench.engine --pages 20000 --rebuild

What it measures, for each engine in the same run:
- indexing: pages/s (bulk with back-pressure, idempotent ids, then a refresh; two copies of
  every page with one replica), the engine's CPU-ms per page (all its processes), the
  client's CPU-ms per page;
- queries: p50/p95 per kind (common, rare, two terms, phrase, filtered, faceted,
  highlighted), as index.search asks them: top 20 with exact totals;
- disk per page (both copies and primaries only) and the memory of each node.

An engine is a small class with `build`, `query` and `resources` (`OpenSearchEngine`
here); the Whoosh side of the same bench is one more such class (phase 2 of issue 21).
The corpus is generated once per size into bench/out/ (git-ignored) with its compound
lexicon (index.analysis.corpus_stats, as a Whoosh rebuild computes it), so indexing time is
the engine's, not the generator's. An index that already holds the corpus is reused (its
build figures come from when it was built) unless --rebuild.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Protocol

from bench.corpus import CORPUS_VERSION, Corpus
from catalog.models import Filters, Version

OUT = Path(__file__).resolve().parent / "out"

# Query kind -> (query, filters, facets, highlight). "rare" is filled with a tail word of the corpus.
KINDS: dict[str, tuple[str, Filters, bool, bool]] = {
    "common": ("budsjett", Filters(), False, False),
    "rare": ("", Filters(), False, False),
    "two terms": ("sykehjem barnehage", Filters(), False, False),
    "phrase": ('"mill kroner"', Filters(), False, False),
    "filtered": ("skole", Filters(year_from=2021, year_to=2021, doctype="forslag"), False, False),
    "faceted": ("budsjett", Filters(), True, False),
    "highlighted": ("sykehjem", Filters(), False, True),
}


# --- the corpus, generated once --------------------------------------------------------------


def corpus_file(pages: int) -> Path:
    return OUT / f"engine-corpus-p{pages}-c{CORPUS_VERSION}.jsonl"


def ensure_corpus(pages: int, log=print) -> tuple[Path, dict]:
    """The corpus as JSON lines (one document a line) and its meta (rare word, lexicon)."""
    from index.analysis import corpus_stats

    path = corpus_file(pages)
    meta_path = path.with_suffix(".meta.json")
    if path.exists() and meta_path.exists():
        meta = json.loads(meta_path.read_text())
        if "common" in meta:
            return path, meta
    OUT.mkdir(parents=True, exist_ok=True)
    corpus = Corpus(pages)
    rare = corpus.rare_word(next(iter(Corpus(min(pages, 100)))).texts)  # the first document's
    if not path.exists():
        log(f"generating {pages:,} pages into {path}")
        tmp = path.with_suffix(".tmp")
        with tmp.open("w", encoding="utf-8") as f:
            for doc in corpus:
                f.write(json.dumps({"number": doc.number, "meta": doc.meta, "texts": doc.texts},
                                   ensure_ascii=False) + "\n")
        tmp.replace(path)
    lexicon, common = corpus_stats(t for d in read_corpus(path) for t in d["texts"])
    meta = {"pages": pages, "rare": rare, "lexicon": sorted(lexicon), "common": sorted(common)}
    meta_path.write_text(json.dumps(meta, ensure_ascii=False))
    return path, meta


def read_corpus(path: Path) -> Iterator[dict]:
    with path.open(encoding="utf-8") as f:
        for line in f:
            yield json.loads(line)


def version_of(doc: dict) -> Version:
    """The catalog version a generated document would be (as bench/search.py records it)."""
    import hashlib

    sha = hashlib.sha256(f"bench document {doc['number']}".encode()).hexdigest()
    m = doc["meta"]
    return Version(sha256=sha, doc_id=sha[:12], url=f"https://example.invalid/{doc['number']}.pdf", size=0,
                   media_type="pdf", title=m["title"], year=m["year"], period=m["period"],
                   committee=m["committee"], doctype=m["doctype"], date=m["date"])


# --- measuring -------------------------------------------------------------------------------


def percentiles(times_ms: list[float]) -> dict[str, float]:
    times_ms = sorted(times_ms)
    return {"p50": round(statistics.median(times_ms), 1),
            "p95": round(times_ms[min(len(times_ms) - 1, int(0.95 * len(times_ms)))], 1)}


@dataclass
class BuildStats:
    pages: int
    seconds: float
    pages_per_s: float
    engine_cpu_ms_per_page: float | None
    client_cpu_ms_per_page: float
    failed: int = 0
    load_before: list[float] = field(default_factory=list)
    load_after: list[float] = field(default_factory=list)
    built_at: str = ""
    this_run: bool = True


# --- OpenSearch --------------------------------------------------------------------------------


class OpenSearchEngine:
    """The cluster at `urls`: one index of the corpus, `shards` primaries with `replicas` copies."""

    name = "opensearch"

    def __init__(self, urls: list[str], *, cluster_dir: Path | None, shards: int, replicas: int, streams: int):
        from index.opensearch.client import connect

        self.urls = urls
        self.cluster_dir = cluster_dir
        self.client = connect(urls, timeout=120)
        self.shards, self.replicas, self.streams = shards, replicas, streams
        self.common: frozenset[str] | None = None  # the index's common words (its pairs field), read once

    def index_name(self, pages: int) -> str:
        from index.opensearch.schema import SCHEMA_VERSION

        return f"hparkiv-bench-p{pages}-c{CORPUS_VERSION}-s{SCHEMA_VERSION}-sh{self.shards}r{self.replicas}"

    def describe(self) -> dict[str, Any]:
        info = self.client.info()
        nodes = self.client.cat.nodes(params={"format": "json", "h": "name,node.role,heap.max"})
        return {"engine": f"OpenSearch {info['version']['number']}", "cluster": info["cluster_name"],
                "nodes": [{"name": n["name"], "roles": n["node.role"], "heap_max": n["heap.max"]} for n in nodes]}

    def build(self, path: Path, meta: dict, rebuild: bool, log=print) -> BuildStats:
        from index.opensearch.bulk import create_index, index_pages, refresh

        name = self.index_name(meta["pages"])
        stats_path = OUT / f"engine-build-{name}.json"
        exists = self.client.indices.exists(index=name)
        if exists and not rebuild and stats_path.exists():
            count = self.client.count(index=name)["count"]
            if count == meta["pages"]:
                cached = json.loads(stats_path.read_text())
                return BuildStats(**{**cached, "this_run": False})
        if exists:
            self.client.indices.delete(index=name)
        create_index(self.client, name, frozenset(meta["lexicon"]), frozenset(meta["common"]), shards=self.shards,
                     replicas=self.replicas)
        self.client.indices.put_settings(index=name, body={"index": {"refresh_interval": "-1"}})
        log(f"indexing {meta['pages']:,} pages into {name} ({self.streams} bulk streams)")
        load0 = list(os.getloadavg())
        cpu0, client0, t0 = self.engine_cpu_ms(), time.process_time(), time.perf_counter()
        results: list[Any] = [None] * self.streams
        errors: list[BaseException] = []

        def stream(i: int) -> None:
            try:
                results[i] = index_pages(self.client, name, self.pages(path, i))
            except BaseException as e:  # reported below: a stream must not die silently
                errors.append(e)

        threads = [threading.Thread(target=stream, args=(i,)) for i in range(self.streams)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        if errors:
            raise errors[0]
        self.client.indices.put_settings(index=name, body={"index": {"refresh_interval": "1s"}})
        refresh(self.client, name)
        seconds = time.perf_counter() - t0
        client_ms = (time.process_time() - client0) * 1000
        cpu1 = self.engine_cpu_ms()
        indexed = sum(r.indexed for r in results)
        failed = sum(r.failed for r in results)
        for r in results:
            for e in r.errors[:3]:
                log(f"refused: {e}")
        stats = BuildStats(
            pages=indexed, seconds=round(seconds, 1), pages_per_s=round(indexed / seconds, 1),
            engine_cpu_ms_per_page=round((cpu1 - cpu0) / indexed, 2) if cpu0 is not None and cpu1 is not None else None,
            client_cpu_ms_per_page=round(client_ms / indexed, 2), failed=failed, load_before=load0,
            load_after=list(os.getloadavg()), built_at=time.strftime("%Y-%m-%d %H:%M"))
        stats_path.write_text(json.dumps({k: v for k, v in asdict(stats).items() if k != "this_run"}))
        return stats

    def pages(self, path: Path, stream: int) -> Iterator[tuple[str, dict]]:
        """Every `streams`-th document's pages, as (id, source)."""
        from index.opensearch.schema import page_id, page_source

        for doc in read_corpus(path):
            if doc["number"] % self.streams != stream:
                continue
            v = version_of(doc)
            for i, text in enumerate(doc["texts"], 1):
                yield page_id(v.doc_id, 1, i), page_source(v, i, text, [])

    def engine_cpu_ms(self) -> float | None:
        """CPU time of every node process so far (ms), from the nodes' own stats."""
        stats = self.client.nodes.stats(metric="process")
        try:
            return float(sum(n["process"]["cpu"]["total_in_millis"] for n in stats["nodes"].values()))
        except (KeyError, TypeError):
            return None

    def query(self, pages: int, text: str, filters: Filters, facets: bool, highlight: bool) -> tuple[int, float]:
        """One search as index.search asks it: (total, the engine's own `took` ms)."""
        from index.opensearch.translate import search_request

        if self.common is None:
            from index.opensearch.bulk import index_common_words

            self.common = index_common_words(self.client, self.index_name(pages))
        body = search_request(text, filters, size=20, facets=facets, highlight=highlight, common=self.common)
        r = self.client.search(index=self.index_name(pages), body=body, params={"allow_partial_search_results": "false"})
        return r["hits"]["total"]["value"], float(r["took"])

    def resources(self, pages: int) -> dict[str, Any]:
        name = self.index_name(pages)
        store = self.client.indices.stats(index=name, metric="store")["_all"]
        total = store["total"]["store"]["size_in_bytes"]
        primaries = store["primaries"]["store"]["size_in_bytes"]
        nodes = self.client.nodes.stats(metric="jvm,process")["nodes"].values()
        per_node = {n["name"]: {"heap_used_mb": round(n["jvm"]["mem"]["heap_used_in_bytes"] / 2**20),
                                "heap_max_mb": round(n["jvm"]["mem"]["heap_max_in_bytes"] / 2**20)}
                    for n in nodes}
        for node, rss in self.rss_mb().items():
            per_node.setdefault(node, {})["rss_mb"] = rss
        return {"disk_bytes_per_page": round(total / pages), "disk_bytes_per_page_primaries": round(primaries / pages),
                "disk_mb": round(total / 1e6, 1), "nodes": per_node}

    def rss_mb(self) -> dict[str, int]:
        """Resident memory of each node process, where the cluster is ours (its pid files)."""
        if self.cluster_dir is None:
            return {}
        from jobs.cluster import Cluster, ClusterError, pid_of

        try:
            cluster = Cluster.load(self.cluster_dir)
        except ClusterError:
            return {}
        out = {}
        for n in cluster.nodes:
            pid = pid_of(cluster, n.name)
            if not pid:
                continue
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    out[n.name] = int(line.split()[1]) // 1024
        return out


# --- the run -----------------------------------------------------------------------------------


class Engine(Protocol):
    """What the bench asks of an engine. Adding one (Whoosh, through the catalog as
    bench/search.py does) is a class with these four methods and a line in `make_engines`."""

    name: str

    def describe(self) -> dict[str, Any]: ...

    def build(self, path: Path, meta: dict, rebuild: bool, log=print) -> BuildStats: ...

    def query(self, pages: int, text: str, filters: Filters, facets: bool, highlight: bool) -> tuple[int, float]:
        """(total hits, the engine's own time in ms, or the wall time where it reports none)."""
        ...

    def resources(self, pages: int) -> dict[str, Any]: ...


def find_cluster(urls: str | None) -> tuple[list[str], Path | None]:
    from index.opensearch.client import URL_ENV, parse_urls
    from jobs.cluster import default_dir, running_urls

    if urls:
        return parse_urls(urls), None
    if os.environ.get(URL_ENV):
        return parse_urls(os.environ[URL_ENV]), default_dir() if running_urls() else None
    found = running_urls()
    if not found:
        raise SystemExit("no cluster: start one (python3 -m jobs.cluster up --heap-data 1g) or pass --urls")
    return found, default_dir()


def make_engines(names: list[str], args: argparse.Namespace) -> list[Engine]:
    engines: list[Engine] = []
    for name in names:
        if name == "opensearch":
            urls, cluster_dir = find_cluster(args.urls)
            engines.append(OpenSearchEngine(urls, cluster_dir=cluster_dir, shards=args.shards,
                                            replicas=args.replicas, streams=args.streams))
        else:
            raise SystemExit(f"unknown engine {name!r} (this bench knows: opensearch)")
    return engines


def run_queries(engine: Engine, pages: int, rare: str, runs: int, only: set[str] | None) -> list[dict]:
    rows = []
    for kind, (text, filters, facets, highlight) in KINDS.items():
        if only and kind not in only:
            continue
        text = text or rare
        total, _ = engine.query(pages, text, filters, facets, highlight)  # warm, and the total
        wall, took = [], []
        for _ in range(runs):
            t0 = time.perf_counter()
            n, engine_ms = engine.query(pages, text, filters, facets, highlight)
            wall.append((time.perf_counter() - t0) * 1000)
            took.append(engine_ms)
            if n != total:
                raise SystemExit(f"{engine.name} {kind}: the total changed between runs ({total} -> {n})")
        rows.append({"kind": kind, "query": text, "hits": total, "wall": percentiles(wall), "took": percentiles(took)})
    return rows


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pages", type=int, default=100_000)
    ap.add_argument("--runs", type=int, default=40)
    ap.add_argument("--engines", default="opensearch", help="comma-separated engines to run (default opensearch)")
    ap.add_argument("--urls", help="the cluster's node URLs (default: $HPARKIV_OPENSEARCH_URL, or make cluster's)")
    ap.add_argument("--shards", type=int, default=2, help="primary shards (default 2: one per data node)")
    ap.add_argument("--replicas", type=int, default=1, help="replicas of each shard (default 1: two copies)")
    ap.add_argument("--streams", type=int, default=2, help="bulk requests in flight at once (default 2)")
    ap.add_argument("--rebuild", action="store_true", help="index again even if the engine holds the corpus")
    ap.add_argument("--only", help="comma-separated query kinds to time (default: all)")
    args = ap.parse_args(argv)
    say = lambda m: print(m, file=sys.stderr)  # noqa: E731

    engines = make_engines([e.strip() for e in args.engines.split(",") if e.strip()], args)
    path, meta = ensure_corpus(args.pages, log=say)
    only = {k.strip() for k in args.only.split(",")} if args.only else None
    report: dict[str, Any] = {"pages": args.pages, "cpus": os.cpu_count(), "load": list(os.getloadavg()),
                              "lexicon_words": len(meta["lexicon"]), "engines": {}}
    for engine in engines:
        r = report["engines"][engine.name] = engine.describe()
        r["build"] = asdict(engine.build(path, meta, args.rebuild, log=say))
        r["queries"] = run_queries(engine, args.pages, meta["rare"], args.runs, only)
        r["resources"] = engine.resources(args.pages)
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
        print(f"indexing ({when}, load {blo} before): {b['pages']:,} pages in {b['seconds']} s = {b['pages_per_s']} pages/s;"
              f" engine {b['engine_cpu_ms_per_page']} CPU-ms/page, client {b['client_cpu_ms_per_page']} CPU-ms/page;"
              f" {b['failed']} refused")
        print(f"disk: {res['disk_mb']} MB, {res['disk_bytes_per_page']} bytes/page"
              f" ({res['disk_bytes_per_page_primaries']} without replicas)")
        for node, n in sorted(res.get("nodes", {}).items()):
            rss = f"RSS {n['rss_mb']} MB, " if "rss_mb" in n else ""
            print(f"  {node}: {rss}heap {n.get('heap_used_mb')} / {n.get('heap_max_mb')} MB")
    names = list(r["engines"])
    print("\n| query kind | query | hits | " + " | ".join(f"{n} p50 / p95 ms (client; engine)" for n in names) + " |")
    print("|---|---|---:|" + "---:|" * len(names))
    first = r["engines"][names[0]]["queries"]
    for i, q in enumerate(first):
        cells = []
        hits = {r["engines"][n]["queries"][i]["hits"] for n in names}
        for n in names:
            row = r["engines"][n]["queries"][i]
            w, t = row["wall"], row["took"]
            cells.append(f"{w['p50']} / {w['p95']}; {t['p50']} / {t['p95']}")
        shown = f"{q['hits']:,}" if len(hits) == 1 else " vs ".join(f"{h:,}" for h in sorted(hits))
        print(f"| {q['kind']} | `{q['query']}` | {shown} | " + " | ".join(cells) + " |")
    print(json.dumps(r, default=str), file=sys.stderr)


if __name__ == "__main__":
    raise SystemExit(main())
