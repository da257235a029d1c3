"""Vedtak benchmark: parsing protocols into vedtak (decisions), and searching them.

    python -m bench.vedtak                  # 1,000 protocols (~3,000 decisions)
    python -m bench.vedtak --protocols 200  # quicker

Protocols come from `sample.protocols` (the sample archive's generator, fresh random
content per protocol). Parsing is measured on their page text and set against pdfplumber
extracting the same pages from PDF (the stage it runs in): the ratio says what decisions
add to an extract run. Search goes through the real path (catalog -> update_index ->
`search_vedtak`) and is set against SQLite FTS5 over the same decision texts in the
same run.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import random
import sqlite3
import statistics
import tempfile
import time
from pathlib import Path

import catalog
from catalog import DataDir, PageText
from extract.vedtak import derive_vedtak, parse_vedtak
from sample import pdfs, protocols
from sources import load_source

COMMITTEES = [("kommunestyret", "Kommunestyret"), ("formannskapet", "Formannskapet"),
              ("barn-og-unge", "Hovedutvalg for barn og unge"), ("eldreradet", "Eldrerådet")]
QUERIES = ["Nadderud", "sykehjem", "klimabudsjett", "forslag Ap", '"tas til orientering"', "barnehager"]


def make_protocols(n: int) -> list[tuple[str, str, list[list[tuple]]]]:
    """(committee, date, pages of blocks) for n protocols."""
    rng = random.Random(13)
    out = []
    for i in range(n):
        slug, name = COMMITTEES[i % len(COMMITTEES)]
        year = 2016 + i % 9
        when = dt.date(year - 1, 11, 1) + dt.timedelta(days=i % 40)
        ctx = protocols.Context(rng=random.Random(rng.random()), committee=slug, cname=name, when=when, year=year,
                                chief="kommunedirektøren", role="Kommunedirektørens", plan="Handlingsprogram")
        t, _ = protocols.protocol(ctx, 10 + i % 150, f"{year % 100}/{10000 + i}", {})
        out.append((slug, when.isoformat(), t.pages))
    return out


def page_texts(pages: list[list[tuple]]) -> list[tuple[int, str]]:
    """The text a PDF of these pages yields, line for line (running head and page number too)."""
    out = []
    for n, blocks in enumerate(pages, 1):
        lines = ["Bærum kommune"]
        for b in blocks:
            if b[0] == "lines":
                lines += b[1]
            else:
                font, size, _ = pdfs.FONTS.get(b[0], pdfs.BODY_FONT)
                lines += pdfs.wrap(b[1], font, size, pdfs.WIDTH - 2 * pdfs.MARGIN)
        lines.append(f"Side {n} av {len(pages)}")
        out.append((n, "\n".join(lines)))
    return out


def bench_parse(docs: list, vocab) -> tuple[int, int, float]:
    texts = [(slug, page_texts(pages)) for slug, _, pages in docs]
    t0 = time.perf_counter()
    found = sum(len(parse_vedtak(p, "protokoll", vocab, slug)) for slug, p in texts)
    return sum(len(p) for _, p in texts), found, time.perf_counter() - t0


def bench_pdfplumber(docs: list, k: int) -> tuple[int, float]:
    """pdfplumber's text extraction of the first k protocols, rendered to PDF."""
    from extract.pdf import extract_document

    with tempfile.TemporaryDirectory() as tmp:
        paths = []
        for i, (_, _, pages) in enumerate(docs[:k]):
            path = Path(tmp) / f"p{i}.pdf"
            path.write_bytes(pdfs.render_pdf([[b[:2] for b in page] for page in pages]))
            paths.append(path)
        t0 = time.perf_counter()
        n = sum(len(extract_document(p, ocr=False, tables=False).pages) for p in paths)
        return n, time.perf_counter() - t0


def bench_search(docs: list, vocab) -> dict[str, float]:
    from index import update_index
    from index.vedtak import search_vedtak, vedtak_text

    with tempfile.TemporaryDirectory() as tmp:
        data_dir = DataDir(Path(tmp))
        conn = catalog.connect(data_dir)
        for i, (slug, date, pages) in enumerate(docs):
            sha = hashlib.sha256(f"protokoll-{i}".encode()).hexdigest()
            catalog.record_version(conn, url=f"https://example.invalid/p{i}.pdf", sha256=sha, size=1,
                                   media_type="pdf", content_type="application/pdf", etag=None, last_modified=None,
                                   meta={"committee": slug, "doctype": "protokoll", "date": date,
                                         "year": int(date[:4]) + 1}, provenance={})
            texts = [PageText(n, t) for n, t in page_texts(pages)]
            version = catalog.get_version(conn, sha)
            catalog.record_extraction(conn, sha, status="ok", error=None, pages=texts, tables=[],
                                      vedtak=derive_vedtak(version, texts))
        t0 = time.perf_counter()
        update_index(data_dir)
        build_s = time.perf_counter() - t0
        from catalog.vedtak import list_vedtak

        found = list_vedtak(conn)
        fts = sqlite3.connect(":memory:")
        fts.execute("CREATE VIRTUAL TABLE d USING fts5(key, body)")
        fts.executemany("INSERT INTO d VALUES (?, ?)", [(f"{v.sha256}:{d.seq}", vedtak_text(d)) for v, d in found])
        ours, theirs = [], []
        for _ in range(3):
            for q in QUERIES:
                t0 = time.perf_counter()
                search_vedtak(data_dir, q, limit=20)
                ours.append(time.perf_counter() - t0)
                t0 = time.perf_counter()
                fts.execute("SELECT key FROM d WHERE d MATCH ? ORDER BY rank LIMIT 20", (q,)).fetchall()
                theirs.append(time.perf_counter() - t0)
        return {"decisions": len(found), "build_s": build_s, "ours_ms": statistics.median(ours) * 1000,
                "fts5_ms": statistics.median(theirs) * 1000}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    ap.add_argument("--protocols", type=int, default=1000)
    ap.add_argument("--pdf", type=int, default=40, help="Protocols also rendered and read by pdfplumber.")
    args = ap.parse_args()
    vocab = load_source().vocabulary
    docs = make_protocols(args.protocols)
    pages, found, parse_s = bench_parse(docs, vocab)
    print(f"parse: {pages} pages, {found} decisions in {parse_s:.2f} s = {pages / parse_s:.0f} pages/s")
    k = min(args.pdf, len(docs))
    pdf_pages, pdf_s = bench_pdfplumber(docs, k)
    per_page_parse = parse_s / pages
    per_page_pdf = pdf_s / pdf_pages
    print(f"pdfplumber: {pdf_pages} pages in {pdf_s:.2f} s = {pdf_pages / pdf_s:.1f} pages/s; "
          f"parsing decisions costs {100 * per_page_parse / per_page_pdf:.2f} % of extracting the page")
    s = bench_search(docs, vocab)
    print(f"search: {s['decisions']} decisions, index build (pages + decisions) {s['build_s']:.1f} s; "
          f"median query: hparkiv vedtak {s['ours_ms']:.1f} ms, SQLite FTS5 {s['fts5_ms']:.2f} ms "
          f"(ratio {s['ours_ms'] / max(s['fts5_ms'], 1e-6):.0f}x)")


if __name__ == "__main__":
    main()
