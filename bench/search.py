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
import random
import shutil
import sqlite3
import statistics
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable
from itertools import accumulate
from pathlib import Path

import catalog
from catalog import DataDir, Filters, PageText

SEED = 2024
CORPUS_VERSION = 1  # bump when the generated corpus changes
OUT = Path(__file__).resolve().parent / "out"
INDEX_SOURCES = ("schema.py", "analysis.py", "fields.py", "words.txt", "writer.py")
PAGES_PER_DOC = 100
YEARS = list(range(2016, 2026))
COMMITTEES = ["kommunestyret", "formannskapet", "barn-og-unge", "bistand-og-omsorg",
              "miljo-idrett-og-kultur", "eldreradet", "funksjonsnedsettelse", "ungdomsradet",
              "samarbeid", "planutvalget", "kontrollutvalget"]
DOCTYPES = ["forslag", "innstilling", "vedtak", "protokoll", "saksframlegg", "sporsmal", "innspill", "notat"]

# Frequent budget vocabulary, most common first; a long tail of generated words follows.
COMMON = """kommunen budsjett budsjettet tiltak drift økning tjenester handlingsprogrammet kroner
kommunedirektøren forslag vedtak sektor skole barnehage sykehjem helse omsorg eldre barn unge
investering investeringer økonomi økonomiplan ramme rammen innsparing kostnader utgifter inntekter
skatt eiendomsskatt gebyrer vann avløp renovasjon bolig boliger kultur idrett bibliotek
sykehjemsplasser barnehageplasser grunnskoleopplæring hjemmetjenester helsestasjon barnevern
formannskapet kommunestyret utvalg protokoll votering enstemmig flertall mindretall partiene
høyre arbeiderpartiet venstre miljøpartiet kristelig demokratisk fremskrittspartiet sosialistisk
befolkningsvekst demografi prognose vekst reduksjon effektivisering digitalisering klima
klimabudsjett utslipp energi vedlikehold rehabilitering skolebygg idrettshall svømmehall
tilskudd frivillighet lag foreninger ansatte årsverk lønn pensjon lånegjeld renter avdrag
fond disposisjonsfond driftsresultat netto brutto mill kroner prosent andel""".split()

FILLER = "og i på til for av med som det er en et skal ble har vil kan fra om".split()

SYLLABLES = ["bar", "ne", "ha", "ge", "sko", "le", "sy", "ke", "hjem", "plass", "tje", "nes", "te",
             "om", "sorg", "bud", "sjett", "fond", "lån", "vekst", "kul", "tur", "vei", "bro",
             "park", "gård", "dal", "sen", "ter", "ning", "heim", "vik", "strand", "berg", "li"]

QUERIES: dict[str, tuple[str, Filters]] = {
    "common term": ("budsjett", Filters()),
    "rare term": ("", Filters()),  # filled with a generated tail word after the corpus is made
    "two terms": ("sykehjem barnehage", Filters()),
    "phrase": ('"mill kroner"', Filters()),
    "term + year + type": ("skole", Filters(year_from=2021, year_to=2021, doctype="forslag")),
}


def vocabulary(rng: random.Random, size: int = 40_000) -> list[str]:
    words = list(COMMON)
    seen = set(words)
    while len(words) < size:
        w = "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4)))
        if w not in seen:
            seen.add(w)
            words.append(w)
    return words


def make_page(rng: random.Random, vocab: list[str], weights: list[float]) -> str:
    """About 300 words of budget prose: Zipf-distributed vocabulary, stop words, amounts."""
    sentences = []
    n_words = 0
    while n_words < rng.randint(250, 350):
        k = rng.randint(8, 20)
        content = rng.choices(vocab, cum_weights=weights, k=k)
        words = []
        for w in content:
            words.append(w)
            if rng.random() < 0.45:
                words.append(rng.choice(FILLER))
        if rng.random() < 0.15:
            words += ["Tall", "i", "mill.", "kroner:", f"{rng.randint(1, 999)} {rng.randint(0, 999):03d}"]
        sentences.append(" ".join(words).capitalize() + ".")
        n_words += len(words)
    return " ".join(sentences)


def build_corpus(data_dir: DataDir, n_pages: int, fts: sqlite3.Connection) -> tuple[str, float, float]:
    """Fill the catalog (and the FTS5 table) with n_pages; returns a rare word and both load times."""
    rng = random.Random(SEED)
    vocab = vocabulary(rng)
    # Cumulative weights once: `choices(weights=...)` would re-add 40,000 weights per sentence.
    weights = list(accumulate(1.0 / (r + 1) ** 1.05 for r in range(len(vocab))))
    conn = catalog.connect(data_dir)
    t_cat = t_fts = 0.0
    fts.execute("CREATE VIRTUAL TABLE pages USING fts5(text, sha256 UNINDEXED, page UNINDEXED,"
                " year UNINDEXED, committee UNINDEXED, doctype UNINDEXED)")
    n_docs = (n_pages + PAGES_PER_DOC - 1) // PAGES_PER_DOC
    for d in range(n_docs):
        count = min(PAGES_PER_DOC, n_pages - d * PAGES_PER_DOC)
        texts = [make_page(rng, vocab, weights) for _ in range(count)]
        meta = {"title": f"Dokument {d}", "year": YEARS[d % len(YEARS)], "period": None,
                "committee": COMMITTEES[d % len(COMMITTEES)], "doctype": DOCTYPES[(d // len(YEARS)) % len(DOCTYPES)],
                "date": f"{YEARS[d % len(YEARS)] - 1}-{1 + d % 12:02d}-15"}
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
            seen = Counter(w for t in texts for w in t.lower().split())
            rare = next(w for w in reversed(vocab) if seen.get(w) == 1)
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
