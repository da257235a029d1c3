"""Extraction benchmark: `python -m bench.extract` (run by `make bench`).

On generated budget PDFs (one of 400+ pages), in one run: pages/s with 1 worker and
with all workers (parallel efficiency), peak RSS per worker, pdfplumber with and
without table finding, and pypdfium2 text extraction of the same files as a ceiling.
Touches only a temporary directory.
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from pathlib import Path

import catalog
from catalog import DataDir
from extract.run import ExtractSummary, extract_pending
from sample.synth import budget_pdf


def make_corpus(pages: list[int]) -> list[bytes]:
    """Budget documents of the given lengths, every third page a ruled table."""
    return [budget_pdf(n, seed=i, table_every=3) for i, n in enumerate(pages)]


def populate(root: Path, docs: list[bytes]) -> DataDir:
    data_dir = DataDir(root)
    conn = catalog.connect(data_dir)
    for i, data in enumerate(docs):
        sha = data_dir.store_bytes(data)
        catalog.record_version(
            conn, url=f"https://bench.invalid/{i}.pdf", sha256=sha, size=len(data), media_type="pdf",
            content_type="application/pdf", etag=None, last_modified=None, meta={}, provenance={},
        )
    conn.close()
    return data_dir


def run_pool(root: Path, docs: list[bytes], workers: int, tables: bool = True) -> ExtractSummary:
    data_dir = populate(root, docs)
    return extract_pending(data_dir, workers=workers, ocr=False, tables=tables)


def pdfium_pages_per_s(paths: list[Path]) -> tuple[int, float]:
    """Text of every page with pypdfium2, in this process: the reference ceiling."""
    import pypdfium2 as pdfium

    t0 = time.perf_counter()
    pages = 0
    for path in paths:
        doc = pdfium.PdfDocument(str(path))
        for page in doc:
            textpage = page.get_textpage()
            textpage.get_text_range()
            textpage.close()
            page.close()
            pages += 1
        doc.close()
    return pages, pages / (time.perf_counter() - t0)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--big", type=int, default=420, help="pages of the long document")
    parser.add_argument("--docs", type=int, default=12, help="number of 20-60 page documents")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    args = parser.parse_args(argv)

    lengths = [args.big] + [20 + (i * 7) % 41 for i in range(args.docs)]
    docs = make_corpus(lengths)
    total_pages = sum(lengths)
    print(f"corpus: {len(docs)} PDFs, {total_pages} pages (largest {args.big}), "
          f"{sum(map(len, docs)) / 2**20:.1f} MB; cores: {os.cpu_count()}; "
          f"load average before: {os.getloadavg()[0]:.1f} (other work skews the rates)")
    rows = []
    with tempfile.TemporaryDirectory(prefix="hparkiv-bench-") as tmp:
        tmp_path = Path(tmp)
        # The long document alone, one worker: peak RSS of a worker on 400+ pages.
        big = run_pool(tmp_path / "big", docs[:1], 1)
        rows.append((f"pdfplumber, {args.big}-page PDF alone, 1 worker", big))
        one = run_pool(tmp_path / "one", docs, 1)
        rows.append(("pdfplumber + tables, 1 worker", one))
        one_nt = run_pool(tmp_path / "one-nt", docs, 1, tables=False)
        rows.append(("pdfplumber, no tables, 1 worker", one_nt))
        many = run_pool(tmp_path / "many", docs, args.workers)
        rows.append((f"pdfplumber + tables, {args.workers} workers", many))
        paths = []
        for i, data in enumerate(docs):
            p = tmp_path / f"{i}.pdf"
            p.write_bytes(data)
            paths.append(p)
        pdfium_pages, pdfium_rate = pdfium_pages_per_s(paths)

    print(f"{'run':48} {'pages':>6} {'s':>7} {'pages/s':>8} {'peak RSS/worker':>16}")
    for name, s in rows:
        print(f"{name:48} {s.pages:6d} {s.seconds:7.1f} {s.pages / s.seconds:8.1f} {s.peak_worker_rss_mb:13.0f} MB")
    rate1, rate_n = one.pages / one.seconds, many.pages / many.seconds
    efficiency = rate_n / (rate1 * args.workers)
    print(f"{'pypdfium2 text only, 1 process':48} {pdfium_pages:6d} {pdfium_pages / pdfium_rate:7.1f} {pdfium_rate:8.1f}")
    print(f"parallel efficiency with {args.workers} workers: {efficiency:.0%} of linear (target >= 85%)")
    print(f"table finding costs {1 - (one_nt.seconds / one.seconds):.0%} of the 1-worker time")
    print(f"pypdfium2 / pdfplumber (1 worker): {pdfium_rate / rate1:.0f}x")
    print(f"peak RSS per worker on the {args.big}-page PDF: {big.peak_worker_rss_mb:.0f} MB (target < 200 MB)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
