"""Web benchmark: the search page under 8 concurrent clients against the library's own search
time for the same queries in the same run, and page images (first render and cached).

    python -m bench.web                  # 10,000 pages (the target), 8 clients, 2 search processes
    python -m bench.web --workers 1      # `hparkiv serve --workers 1`: searches in the server's threads
    python -m bench.web --pages 2000     # quicker

The corpus is bench/search.py's (generated Norwegian budget pages through the real catalog
and index; cached in bench/out/). `hparkiv serve` runs in its own process(es) on loopback;
the clients are threads of this process with one HTTP connection each. The library is timed
twice: one search at a time, and 8 threads at once (the same load as the clients: each
thread has its own searcher, index/searcher.py), since on 2 cores 8 concurrent searches
queue whatever the front end.
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlencode

from bench import search as bs
from catalog import DataDir, Filters, PageText

SEARCH_LIMIT = 20  # what the search page shows


def ensure_corpus(pages: int) -> DataDir:
    """bench/search.py's cached corpus and index of `pages` pages (built if missing)."""
    root = bs.OUT / f"p{pages}-c{bs.CORPUS_VERSION}"
    meta_path = root / "meta.json"
    meta = json.loads(meta_path.read_text()) if meta_path.exists() else {}
    if not meta.get("corpus") or meta.get("index", {}).get("hash") != bs.index_hash():
        bs.main(["--pages", str(pages), "--runs", "3", "--only", "rare"])
    return DataDir(root / "data")


def queries(pages: int) -> list[tuple[str, str, Filters]]:
    meta = json.loads((bs.OUT / f"p{pages}-c{bs.CORPUS_VERSION}" / "meta.json").read_text())
    out = []
    for kind, (q, f) in bs.QUERIES.items():
        out.append((kind, q or meta["corpus"]["rare"], f))
    return out


def url_of(q: str, f: Filters) -> str:
    params = {"q": q}
    if f.year_from:
        params["year"] = str(f.year_from) if f.year_from == f.year_to else f"{f.year_from}-{f.year_to}"
    if f.doctype:
        params["type"] = f.doctype
    if f.committee:
        params["committee"] = f.committee
    return "/search?" + urlencode(params)


def p95(times: list[float]) -> float:
    times = sorted(times)
    return times[min(len(times) - 1, int(0.95 * len(times)))]


def concurrently(clients: int, per_client: int, work: Callable[[int, int], tuple[str, float]]) -> dict[str, list[float]]:
    """Run work(client, i) per_client times in each of `clients` threads; times by kind (ms)."""
    out: dict[str, list[float]] = {}
    lock = threading.Lock()
    start = threading.Barrier(clients)

    def run(c: int) -> None:
        start.wait()
        for i in range(per_client):
            kind, ms = work(c, i)
            with lock:
                out.setdefault(kind, []).append(ms)

    threads = [threading.Thread(target=run, args=(c,)) for c in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return out


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(data_dir: DataDir, workers: int = 1) -> tuple[subprocess.Popen, str]:
    import httpx

    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "search_cli", "--data-dir", str(data_dir.root), "serve",
                             "--port", str(port), "--workers", str(workers)], stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    for _ in range(300):
        try:
            httpx.get(base + "/status", timeout=5)
            return proc, base
        except httpx.TransportError:
            time.sleep(0.1)
    proc.kill()
    raise SystemExit("hparkiv serve did not start")


def image_corpus(root: Path, n_pages: int = 24) -> tuple[DataDir, str]:
    """A real PDF (reportlab, text and a table) in a small data dir of its own, for page images."""
    import io

    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    import catalog

    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4)
    for p in range(1, n_pages + 1):
        y = 800
        c.setFont("Helvetica-Bold", 16)
        c.drawString(60, y, f"Handlingsprogram 2021-2024, side {p}")
        c.setFont("Helvetica", 10)
        for line in range(60):
            y -= 12
            c.drawString(60, y, f"Sykehjemsplasser og barnehageplasser i planperioden, linje {line}: "
                                f"{1000 + 37 * line + p} mill. kroner")
        c.showPage()
    c.save()
    data = buf.getvalue()
    data_dir = DataDir(root).ensure()
    sha = data_dir.store_bytes(data)
    conn = catalog.connect(data_dir)
    catalog.record_version(conn, url="https://example.invalid/hp.pdf", sha256=sha, size=len(data),
                           media_type="pdf", content_type="application/pdf", etag=None, last_modified=None,
                           meta={"title": "Bench", "year": 2021}, provenance={})
    catalog.record_extraction(conn, sha, status="ok", error=None,
                              pages=[PageText(i, f"side {i}") for i in range(1, n_pages + 1)], tables=[])
    conn.close()
    return data_dir, sha[:12]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pages", type=int, default=10_000)
    ap.add_argument("--clients", type=int, default=8)
    ap.add_argument("--requests", type=int, default=40, help="requests per client")
    ap.add_argument("--workers", type=int, default=2, help="search processes (`hparkiv serve --workers`)")
    ap.add_argument("--no-images", action="store_true", help="skip the page-image part")
    args = ap.parse_args(argv)

    import httpx

    from index import search

    data_dir = ensure_corpus(args.pages)
    qs = queries(args.pages)
    report: dict = {"pages": args.pages, "cpus": os.cpu_count(), "clients": args.clients, "workers": args.workers,
                    "load_start": os.getloadavg()}

    # The library, in this process: one at a time, then as many threads as clients.
    for _kind, q, f in qs:
        search(data_dir, q, f, limit=SEARCH_LIMIT)  # warm
    alone: dict[str, list[float]] = {}
    for _ in range(args.requests):
        for kind, q, f in qs:
            t0 = time.perf_counter()
            search(data_dir, q, f, limit=SEARCH_LIMIT)
            alone.setdefault(kind, []).append((time.perf_counter() - t0) * 1000)

    def lib_work(c: int, i: int) -> tuple[str, float]:
        kind, q, f = qs[(c + i) % len(qs)]
        t0 = time.perf_counter()
        search(data_dir, q, f, limit=SEARCH_LIMIT)
        return kind, (time.perf_counter() - t0) * 1000

    lib8 = concurrently(args.clients, args.requests, lib_work)

    proc, base = start_server(data_dir, args.workers)
    try:
        clients = [httpx.Client(base_url=base, timeout=60) for _ in range(args.clients)]
        for _ in range(2):  # warm: the searchers of every search process are opened at start
            for c in clients:
                for kind, q, f in qs:
                    assert c.get(url_of(q, f)).status_code == 200, kind

        def web_work(c: int, i: int) -> tuple[str, float]:
            kind, q, f = qs[(c + i) % len(qs)]
            t0 = time.perf_counter()
            r = clients[c].get(url_of(q, f))
            ms = (time.perf_counter() - t0) * 1000
            assert r.status_code == 200, r.status_code
            return kind, ms

        web8 = concurrently(args.clients, args.requests, web_work)
        single = {kind: [] for kind, _q, _f in qs}
        for _ in range(10):
            for kind, q, f in qs:
                t0 = time.perf_counter()
                clients[0].get(url_of(q, f))
                single[kind].append((time.perf_counter() - t0) * 1000)
        for c in clients:
            c.close()
    finally:
        proc.terminate()
        proc.wait(timeout=30)

    rows = []
    for kind, q, f in qs:
        rows.append({"kind": kind, "url": url_of(q, f), "lib_alone_p95": p95(alone[kind]),
                     "lib_8_p95": p95(lib8[kind]), "web_1_p95": p95(single[kind]), "web_8_p95": p95(web8[kind]),
                     "web_8_p50": statistics.median(web8[kind])})
    every_lib8 = [t for ts in lib8.values() for t in ts]
    every_web8 = [t for ts in web8.values() for t in ts]
    report["queries"] = rows
    report["all"] = {"lib_8_p95": p95(every_lib8), "web_8_p95": p95(every_web8),
                     "lib_alone_p95": p95([t for ts in alone.values() for t in ts])}

    report["load_end"] = os.getloadavg()
    if args.no_images:
        print_report(report)
        return 0

    # Page images: a real PDF, through the server (first render of each page, then cached).
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        img_dir, doc_id = image_corpus(Path(tmp) / "data")
        proc, base = start_server(img_dir)
        try:
            with httpx.Client(base_url=base, timeout=60) as c:
                first = {200: [], 1000: []}
                cached = {200: [], 1000: []}
                sizes = []
                for page in range(1, 25):
                    for width in (200, 1000):
                        url = f"/doc/{doc_id}/page/{page}.webp?w={width}"
                        t0 = time.perf_counter()
                        r = c.get(url)
                        first[width].append((time.perf_counter() - t0) * 1000)
                        assert r.status_code == 200
                        if width == 200:
                            sizes.append(len(r.content))
                        for _ in range(5):
                            t0 = time.perf_counter()
                            c.get(url)
                            cached[width].append((time.perf_counter() - t0) * 1000)
        finally:
            proc.terminate()
            proc.wait(timeout=30)
    report["images"] = {f"first_{w}_p95": p95(first[w]) for w in first} | \
        {f"first_{w}_p50": statistics.median(first[w]) for w in first} | \
        {f"cached_{w}_p95": p95(cached[w]) for w in cached} | {"thumb_max_bytes": max(sizes)}
    report["load_end"] = os.getloadavg()
    print_report(report)
    return 0


def print_report(r: dict) -> None:
    print(f"pages: {r['pages']:,} on {r['cpus']} CPUs, {r['clients']} concurrent clients, `serve --workers "
          f"{r['workers']}`; load average "
          f"{' '.join(f'{x:.2f}' for x in r['load_start'])} at start, "
          f"{' '.join(f'{x:.2f}' for x in r['load_end'])} at end")
    print("| query kind | library p95, alone | library p95, 8 threads | web p95, 1 client | web p95, 8 clients "
          "| web / library (8) |")
    print("|---|---:|---:|---:|---:|---:|")
    for q in r["queries"]:
        print(f"| {q['kind']} | {q['lib_alone_p95']:.1f} | {q['lib_8_p95']:.1f} | {q['web_1_p95']:.1f} |"
              f" {q['web_8_p95']:.1f} | {q['web_8_p95'] / max(q['lib_8_p95'], 1e-3):.2f}x |")
    a = r["all"]
    print(f"| all | {a['lib_alone_p95']:.1f} | {a['lib_8_p95']:.1f} | | {a['web_8_p95']:.1f} |"
          f" {a['web_8_p95'] / max(a['lib_8_p95'], 1e-3):.2f}x |")
    i = r.get("images")
    if not i:
        print(json.dumps(r, default=str), file=sys.stderr)
        return
    print(f"page images (ms): first render p50/p95 thumbnail {i['first_200_p50']:.0f}/{i['first_200_p95']:.0f},"
          f" page {i['first_1000_p50']:.0f}/{i['first_1000_p95']:.0f}; cached p95 thumbnail"
          f" {i['cached_200_p95']:.1f}, page {i['cached_1000_p95']:.1f}; largest thumbnail {i['thumb_max_bytes']:,} bytes")
    print(json.dumps(r, default=str), file=sys.stderr)


if __name__ == "__main__":
    raise SystemExit(main())
