"""The engines bench/engine.py compares, each behind `Engine`: Whoosh in this process and an
OpenSearch cluster through a data dir's engine.toml. Both build from a copy of one catalog
of the generated corpus (written once per size under bench/out/) the way `hparkiv index
--rebuild` does, search the way `hparkiv search` does, and report what they measure
(build time and CPU, the engine's own query time, disk, memory)."""

from __future__ import annotations

import hashlib
import json
import os
import resource
import shutil
import statistics
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Protocol

from bench.corpus import CORPUS_VERSION, Corpus
from catalog import DataDir, Filters, PageText

OUT = Path(__file__).resolve().parent / "out"


# --- the corpus, in a real catalog, once per size ------------------------------------------------


def corpus_dir(pages: int) -> Path:
    return OUT / f"engine-p{pages}-c{CORPUS_VERSION}"


def ensure_catalog(pages: int, log=print) -> tuple[Path, dict]:
    """The corpus's catalog (bench/out/engine-pN-cV/catalog.sqlite) and its meta (the rare word)."""
    root = corpus_dir(pages)
    meta_path = root / "corpus.json"
    if meta_path.exists():
        return root / "catalog.sqlite", json.loads(meta_path.read_text())
    import catalog

    shutil.rmtree(root, ignore_errors=True)
    fill = DataDir(root / "fill").ensure()
    log(f"writing {pages:,} generated pages into a catalog in {root}")
    conn = catalog.connect(fill)
    corpus, rare, t0 = Corpus(pages), "", time.perf_counter()
    for doc in corpus:
        sha = hashlib.sha256(f"bench document {doc.number}".encode()).hexdigest()
        catalog.record_version(conn, url=f"https://example.invalid/{doc.number}.pdf", sha256=sha, size=1,
                               media_type="pdf", content_type="application/pdf", etag=None, last_modified=None,
                               meta=doc.meta, provenance={})
        catalog.record_extraction(conn, sha, status="ok", error=None,
                                  pages=[PageText(i, t) for i, t in enumerate(doc.texts, 1)], tables=[])
        if doc.number == 0:
            rare = corpus.rare_word(doc.texts)
    conn.close()
    os.replace(fill.catalog, root / "catalog.sqlite")
    shutil.rmtree(fill.root, ignore_errors=True)
    meta = {"pages": pages, "rare": rare, "fill_s": round(time.perf_counter() - t0, 1)}
    meta_path.write_text(json.dumps(meta))
    return root / "catalog.sqlite", meta


def engine_dir(pages: int, name: str, source: Path) -> DataDir:
    """The engine's own data dir: a copy of the corpus's catalog (an update marks versions indexed)."""
    data_dir = DataDir(corpus_dir(pages) / name)
    if not data_dir.catalog.exists():
        data_dir.ensure()
        shutil.copyfile(source, data_dir.catalog)
    return data_dir


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
    refused: int = 0
    load_before: list[float] = field(default_factory=list)
    load_after: list[float] = field(default_factory=list)
    built_at: str = ""
    this_run: bool = True


def dir_size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def code_hash(*names: str) -> str:
    """A hash of the index code whose change means an index must be built again."""
    import index

    base = Path(index.__file__).parent
    h = hashlib.sha256(str(CORPUS_VERSION).encode())
    for name in names:
        h.update((base / name).read_bytes())
    return h.hexdigest()[:12]


class Engine(Protocol):
    """What the bench asks of an engine: a class with these methods and a line in `make_engines` (bench/engine.py)."""

    name: str

    def describe(self) -> dict[str, Any]: ...

    def build(self, rebuild: bool, log=print) -> BuildStats: ...

    def query(self, text: str, filters: Filters, facets: bool) -> tuple[int, float, float | None]:
        """The search as `hparkiv search` runs it: (total hits, its wall time in ms, the engine's
        own time in ms of the requests it sent, where the engine reports one)."""
        ...

    def extra(self, kind: str, text: str, filters: Filters) -> dict[str, Any]:
        """Anything else this engine measures for a query kind (OpenSearch: its own highlighter)."""
        ...

    def resources(self) -> dict[str, Any]: ...


def rebuild_stats(data_dir: DataDir, engine_cpu, log) -> BuildStats:
    """`hparkiv index --rebuild` on the data dir, timed: wall, this process's CPU, the engine's CPU."""
    from index import update_index

    load0 = list(os.getloadavg())
    cpu0, client0, t0 = engine_cpu(), time.process_time(), time.perf_counter()
    done = [0]

    def progress(n: int, total: int) -> None:
        if n * 20 // total != done[0]:
            done[0] = n * 20 // total
            log(f"  {n:,} / {total:,} documents, {time.perf_counter() - t0:.0f} s")

    summary = update_index(data_dir, rebuild=True, progress=progress)
    seconds = time.perf_counter() - t0
    client_ms = (time.process_time() - client0) * 1000
    cpu1 = engine_cpu()
    pages = summary.pages
    return BuildStats(
        pages=pages, seconds=round(seconds, 1), pages_per_s=round(pages / seconds, 1),
        engine_cpu_ms_per_page=round((cpu1 - cpu0) / pages, 2) if cpu0 is not None and cpu1 is not None else None,
        client_cpu_ms_per_page=round(client_ms / pages, 2), refused=summary.refused, load_before=load0,
        load_after=list(os.getloadavg()), built_at=time.strftime("%Y-%m-%d %H:%M"))


def timed_search(data_dir: DataDir, text: str, filters: Filters, facets: bool) -> tuple[int, float]:
    """(total, wall ms) of one search the way `hparkiv search` runs it: top 20, exact totals."""
    from index import search

    t0 = time.perf_counter()
    total = search(data_dir, text, filters, limit=20, facets=facets).total
    return total, (time.perf_counter() - t0) * 1000


@contextmanager
def engine_times() -> Iterator[list[float]]:
    """The engine's own `took` (ms) of every request the real path sends meanwhile: the
    requests themselves are unchanged, only observed on their way back."""
    import index.opensearch.client as client

    seen: list[float] = []
    real = client.search

    def observed(*args: Any, **kwargs: Any) -> dict[str, Any]:
        answer = real(*args, **kwargs)
        seen.append(float(answer.get("took", 0)))
        return answer

    client.search = observed
    try:
        yield seen
    finally:
        client.search = real


# --- Whoosh ------------------------------------------------------------------------------------


class WhooshEngine:
    """The embedded engine: the data dir's own index, built and searched in this process."""

    name = "whoosh"
    SOURCES = ("schema.py", "analysis.py", "fields.py", "words.txt", "whoosh_writer.py", "postings.py")

    def __init__(self, pages: int, source: Path) -> None:
        self.data_dir = engine_dir(pages, "whoosh", source)
        self.stats_path = self.data_dir.root / f"build-{code_hash(*self.SOURCES)}.json"

    def describe(self) -> dict[str, Any]:
        import whoosh

        return {"engine": f"Whoosh {'.'.join(map(str, whoosh.__version__))} (embedded, one process)", "nodes": []}

    def build(self, rebuild: bool, log=print) -> BuildStats:
        from index.whoosh_writer import index_exists

        if not rebuild and self.stats_path.exists() and index_exists(self.data_dir):
            return BuildStats(**{**json.loads(self.stats_path.read_text()), "this_run": False})
        log(f"whoosh: rebuilding the index of {self.data_dir.root}")
        stats = rebuild_stats(self.data_dir, lambda: None, log)
        stats.engine_cpu_ms_per_page = stats.client_cpu_ms_per_page  # the engine is this process
        self.stats_path.write_text(json.dumps({k: v for k, v in asdict(stats).items() if k != "this_run"}))
        return stats

    def query(self, text: str, filters: Filters, facets: bool) -> tuple[int, float, float | None]:
        return (*timed_search(self.data_dir, text, filters, facets), None)

    def extra(self, kind: str, text: str, filters: Filters) -> dict[str, Any]:
        return {}

    def resources(self) -> dict[str, Any]:
        size = dir_size(self.data_dir.index.resolve())
        pages = json.loads(self.stats_path.read_text())["pages"]
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
        return {"disk_bytes_per_page": round(size / pages), "disk_bytes_per_page_primaries": round(size / pages),
                "disk_mb": round(size / 1e6, 1), "nodes": {"bench process (peak)": {"rss_mb": rss}}}


# --- OpenSearch --------------------------------------------------------------------------------


class OpenSearchEngine:
    """The cluster at `urls`, through the data dir's engine.toml: `shards` primaries, `replicas` copies."""

    name = "opensearch"

    def __init__(self, pages: int, source: Path, urls: list[str], *, cluster_dir: Path | None, shards: int,
                 replicas: int) -> None:
        from index.backend import EngineConfig, write_config
        from index.opensearch.schema import SCHEMA_VERSION

        self.data_dir = engine_dir(pages, "opensearch", source)
        self.urls, self.cluster_dir = urls, cluster_dir
        prefix = f"hparkiv-bench-p{pages}-c{CORPUS_VERSION}-s{SCHEMA_VERSION}-sh{shards}r{replicas}"
        write_config(self.data_dir, EngineConfig("opensearch", tuple(urls), prefix, shards, replicas))
        from index.backend import open_backend

        self.backend = open_backend(self.data_dir)
        self.client = self.backend.client
        self.stats_path = self.data_dir.root / f"build-{prefix}.json"

    def describe(self) -> dict[str, Any]:
        info = self.client.info()
        nodes = self.client.cat.nodes(params={"format": "json", "h": "name,node.role,heap.max"})
        return {"engine": f"OpenSearch {info['version']['number']}", "cluster": info["cluster_name"],
                "nodes": [{"name": n["name"], "roles": n["node.role"], "heap_max": n["heap.max"]} for n in nodes]}

    def build(self, rebuild: bool, log=print) -> BuildStats:
        from index.errors import IndexMissing

        if not rebuild and self.stats_path.exists():
            cached = json.loads(self.stats_path.read_text())
            try:
                if self.backend.prepare() and self.client.count(index=self.backend.info().name)["count"] == cached["pages"]:
                    return BuildStats(**{**cached, "this_run": False})
            except IndexMissing:
                pass
        log(f"opensearch: rebuilding {self.backend.pages_alias} from {self.data_dir.catalog}")
        stats = rebuild_stats(self.data_dir, self.engine_cpu_ms, log)
        self.stats_path.write_text(json.dumps({k: v for k, v in asdict(stats).items() if k != "this_run"}))
        return stats

    def engine_cpu_ms(self) -> float | None:
        """CPU time of every node process so far (ms), from the nodes' own stats."""
        stats = self.client.nodes.stats(metric="process")
        try:
            return float(sum(n["process"]["cpu"]["total_in_millis"] for n in stats["nodes"].values()))
        except (KeyError, TypeError):
            return None

    def _request(self, text: str, filters: Filters, facets: bool, highlight: bool = False) -> dict[str, Any]:
        from index.opensearch.client import search
        from index.opensearch.translate import search_request

        info = self.backend.info()
        body = search_request(text, filters, size=20, facets=facets, highlight=highlight, common=info.common)
        return search(self.client, info.name, body,
                      search_type="dfs_query_then_fetch" if info.shards > 1 else None)

    def query(self, text: str, filters: Filters, facets: bool) -> tuple[int, float, float | None]:
        with engine_times() as took:
            total, wall = timed_search(self.data_dir, text, filters, facets)
        return total, wall, sum(took)

    def extra(self, kind: str, text: str, filters: Filters) -> dict[str, Any]:
        if kind != "highlighted":
            return {}
        took = [float(self._request(text, filters, False, highlight=True)["took"]) for _ in range(10)]
        return {"engine_highlighter_took": percentiles(took)}

    def resources(self) -> dict[str, Any]:
        name = self.backend.info().name
        pages = self.client.count(index=name)["count"]
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
        from jobs.cluster_nodes import pid_of
        from jobs.cluster_state import Cluster, ClusterError

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
