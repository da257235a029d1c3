"""Search benchmark: a generated corpus of Norwegian budget pages, Whoosh against SQLite FTS5.

    python -m bench.search                 # 100,000 pages (the target size)
    python -m bench.search --pages 10000   # quicker
    python -m bench.search --rebuild       # measure a fresh index build even if one is cached

The corpus goes through the real path (catalog -> update_index -> search), and the same
pages go into an FTS5 table, so both engines answer the same queries in the same run.

Built corpora and indexes are cached under bench/out/ (git-ignored): the corpus by page
count and generator version, the index by a hash of the code that decides its contents
(schema, analysis, word list, writer). Query work can then iterate without a rebuild; a
run that reuses an index reports the build time measured when it was built.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import sqlite3
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import catalog
from bench.corpus import CORPUS_VERSION, Corpus
from catalog import DataDir, Filters, PageText

OUT = Path(__file__).resolve().parent / "out"
INDEX_SOURCES = ("schema.py", "analysis.py", "fields.py", "numbers.py", "words.txt", "writer.py")
QUERIES: dict[str, tuple[str, Filters]] = {
    "common term": ("budsjett", Filters()),
    "rare term": ("", Filters()),  # filled with a generated tail word after the corpus is made
    "two terms": ("sykehjem barnehage", Filters()),
    "phrase": ('"mill kroner"', Filters()),
    "term + year + type": ("skole", Filters(year_from=2021, year_to=2021, doctype="forslag")),
}


def build_corpus(data_dir: DataDir, n_pages: int, fts: sqlite3.Connection) -> tuple[str, float, float]:
    """Fill the catalog (and the FTS5 table) with n_pages; returns a rare word and both load times."""
    corpus = Corpus(n_pages)
    conn = catalog.connect(data_dir)
    t_cat = t_fts = 0.0
    fts.execute("CREATE VIRTUAL TABLE pages USING fts5(text, sha256 UNINDEXED, page UNINDEXED,"
                " year UNINDEXED, committee UNINDEXED, doctype UNINDEXED)")
    for doc in corpus:
        d, meta, texts = doc.number, doc.meta, doc.texts
        t0 = time.perf_counter()
        data = f"bench document {d}".encode()
        sha = data_dir.store_bytes(data)
        catalog.record_version(conn, url=f"https://example.invalid/{d}.pdf", sha256=sha, size=len(data),
                               media_type="pdf", content_type="application/pdf", etag=None,
                               last_modified=None, meta=meta, provenance={})
        catalog.record_extraction(conn, sha, status="ok", error=None,
                                  pages=[PageText(i, t) for i, t in enumerate(texts, 1)], tables=[])
        t1 = time.perf_counter()
        with fts:
            fts.executemany("INSERT INTO pages VALUES (?,?,?,?,?,?)",
                            [(t, sha, i, meta["year"], meta["committee"], meta["doctype"])
                             for i, t in enumerate(texts, 1)])
        t_cat += t1 - t0
        t_fts += time.perf_counter() - t1
        if d == 0:
            rare = corpus.rare_word(texts)
    conn.close()
    return rare, t_cat, t_fts


def timed(fn: Callable[[], object], runs: int) -> dict[str, float]:
    fn()  # warm
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1000)
    times.sort()
    return {"p50": statistics.median(times), "p95": times[min(len(times) - 1, int(0.95 * len(times)))]}


def fts_query(fts: sqlite3.Connection, text: str, f: Filters, facets: bool) -> None:
    """Top 20 by rank + total (+ the three facet counts): what `hparkiv search` returns."""
    where, params = "pages MATCH ?", [text]
    if f.year_from:
        where += " AND year >= ? AND year <= ?"
        params += [f.year_from, f.year_to]
    if f.doctype:
        where += " AND doctype = ?"
        params.append(f.doctype)
    fts.execute(f"SELECT sha256, page, snippet(pages, 0, '[[', ']]', '…', 20) FROM pages WHERE {where}"
                " ORDER BY rank LIMIT 20", params).fetchall()
    fts.execute(f"SELECT count(*) FROM pages WHERE {where}", params).fetchone()
    if facets:
        for col in ("year", "committee", "doctype"):
            fts.execute(f"SELECT {col}, count(*) FROM pages WHERE {where} GROUP BY {col}", params).fetchall()


def fts_text(query: str) -> str:
    """Our query syntax in FTS5 terms (only what the benchmark uses)."""
    return query if query.startswith('"') else " AND ".join(query.split())


def cold_cli(data_dir: DataDir, query: str, runs: int = 5) -> tuple[float, str]:
    exe = Path(sys.executable).parent / "hparkiv"
    if exe.exists():
        cmd = [str(exe), "--data-dir", str(data_dir.root), "search", query, "--format", "json", "--limit", "20"]
        how = "hparkiv --data-dir DIR search QUERY --format json --limit 20"
    else:
        code = ("import index; from catalog import DataDir, Filters; "
                f"index.search(DataDir({str(data_dir.root)!r}), {query!r}, Filters())")
        cmd = [sys.executable, "-c", code]
        how = "python -c 'import index; index.search(...)' (hparkiv CLI not installed)"
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        out = subprocess.run(cmd, capture_output=True, text=True)
        times.append(time.perf_counter() - t0)
        if out.returncode != 0:
            return float("nan"), f"{how}: failed: {out.stderr.strip().splitlines()[-1:]}"
    return statistics.median(times), how


def python_startup(runs: int = 5) -> float:
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        subprocess.run([sys.executable, "-c", "pass"], check=True)
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def dir_size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def index_hash() -> str:
    """A hash of the code that decides what the index holds (a change means a rebuild)."""
    import index

    h = hashlib.sha256(str(CORPUS_VERSION).encode())
    base = Path(index.__file__).parent
    for name in INDEX_SOURCES:
        h.update((base / name).read_bytes())
    return h.hexdigest()[:12]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pages", type=int, default=100_000)
    ap.add_argument("--runs", type=int, default=40)
    ap.add_argument("--out", type=Path, default=OUT, help="cache of built corpora and indexes (default bench/out)")
    ap.add_argument("--rebuild", action="store_true", help="rebuild the Whoosh index even if a cached one fits")
    ap.add_argument("--fresh", action="store_true", help="regenerate the corpus too (implies --rebuild)")
    ap.add_argument("--only", help="comma-separated query kinds to time (default: all)")
    args = ap.parse_args(argv)

    from index import search, update_index

    ihash = index_hash()  # of the code just imported
    root = args.out / f"p{args.pages}-c{CORPUS_VERSION}"
    meta_path = root / "meta.json"
    meta: dict = json.loads(meta_path.read_text()) if meta_path.exists() and not args.fresh else {}
    if not meta.get("corpus"):
        shutil.rmtree(root, ignore_errors=True)
        root.mkdir(parents=True)
        data_dir = DataDir(root / "data").ensure()
        fts = sqlite3.connect(root / "fts.sqlite")
        rare, t_cat, t_fts = build_corpus(data_dir, args.pages, fts)
        fts.close()
        meta = {"corpus": {"rare": rare, "catalog_fill_s": round(t_cat, 1), "fts5_build_s": round(t_fts, 1)}}
        meta_path.write_text(json.dumps(meta))
    data_dir = DataDir(root / "data").ensure()
    fts = sqlite3.connect(root / "fts.sqlite")
    report: dict[str, object] = {"pages": args.pages, "cpus": os.cpu_count(), "load": os.getloadavg()}
    report.update(meta["corpus"])
    try:
        built = meta.get("index", {})
        if args.rebuild or args.fresh or built.get("hash") != ihash:
            load0 = os.getloadavg()
            t0 = time.perf_counter()
            update_index(data_dir, rebuild=True)
            built = {"hash": ihash, "whoosh_build_s": round(time.perf_counter() - t0, 1),
                     "whoosh_size_mb": round(dir_size(data_dir.index.resolve()) / 1e6, 1),
                     "load_at_build": load0, "built_at": time.strftime("%Y-%m-%d %H:%M"), "this_run": True}
            meta["index"] = {k: v for k, v in built.items() if k != "this_run"}
            meta_path.write_text(json.dumps(meta))
        report.update(built)
        report["fts5_size_mb"] = round((root / "fts.sqlite").stat().st_size / 1e6, 1)
        queries = dict(QUERIES)
        queries["rare term"] = (meta["corpus"]["rare"], Filters())
        rows = []
        kinds = [(k, q, f, False) for k, (q, f) in queries.items()]
        kinds.append(("facets (common term)", queries["common term"][0], Filters(), True))
        if args.only:
            wanted = {k.strip() for k in args.only.split(",")}
            kinds = [k for k in kinds if k[0] in wanted or k[0].split()[0] in wanted]
        for kind, q, f, facets in kinds:
            total = search(data_dir, q, f, facets=False).total
            w = timed(lambda q=q, f=f, facets=facets: search(data_dir, q, f, facets=facets), args.runs)
            s = timed(lambda q=q, f=f, facets=facets: fts_query(fts, fts_text(q), f, facets), args.runs)
            rows.append({"kind": kind, "query": q, "hits": total, "whoosh": w, "fts5": s,
                         "ratio_p95": w["p95"] / max(s["p95"], 1e-3)})
        report["queries"] = rows
        cold, how = cold_cli(data_dir, "sykehjem")
        report["cold_cli_s"] = round(cold, 3)
        report["cold_cli_how"] = how
        report["python_startup_s"] = round(python_startup(), 3)
        report["load_after"] = os.getloadavg()
    finally:
        fts.close()
    print_report(report)
    return 0


def print_report(r: dict) -> None:
    load = " ".join(f"{x:.2f}" for x in r["load"])
    print(f"pages: {r['pages']:,} on {r['cpus']} CPUs; load average {load} at start")
    when = "this run" if r.get("this_run") else f"cached, built {r['built_at']}"
    print(f"catalog fill {r['catalog_fill_s']} s; Whoosh build (update_index rebuild, {when}) {r['whoosh_build_s']} s,"
          f" {r['whoosh_size_mb']} MB; FTS5 build {r['fts5_build_s']} s, {r['fts5_size_mb']} MB")
    print("| query kind | query | hits | Whoosh p50 / p95 ms | FTS5 p50 / p95 ms | p95 ratio |")
    print("|---|---|---:|---:|---:|---:|")
    for q in r["queries"]:
        w, s = q["whoosh"], q["fts5"]
        print(f"| {q['kind']} | `{q['query']}` | {q['hits']:,} | {w['p50']:.1f} / {w['p95']:.1f} |"
              f" {s['p50']:.1f} / {s['p95']:.1f} | {q['ratio_p95']:.1f}x |")
    print(f"cold CLI: {r['cold_cli_s']} s ({r['cold_cli_how']}); bare python start-up {r['python_startup_s']} s")
    print(json.dumps(r, default=str), file=sys.stderr)


if __name__ == "__main__":
    raise SystemExit(main())
