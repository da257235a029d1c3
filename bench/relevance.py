"""The judged query set against search: recall@10, nDCG@10 and MRR per kind of query.

    python -m bench.relevance                          # build the sample archive (variant 0), update, judge
    python -m bench.relevance --data-dir D --site S    # an archive already updated from the sample site S
    python -m bench.relevance --exact                  # the same with every expansion off (what they add)
    python -m bench.relevance --write-floors           # record this run's values as the floors

The judgments (bench/relevance_judgments.toml) were written from the sample's planted truth by
sample/judgments.py, before and apart from the search they judge. Hits are mapped to judged
pages by the document's bytes (sha256 of the sample file) and the page number.

- recall@10: relevant pages among the first 10 hits, over min(10, relevant pages);
- nDCG@10: graded gain 2^grade − 1, discounted by log2(rank + 1), over the ideal ranking of
  *all* relevant pages (not only those retrieved);
- MRR@10: 1 / the rank of the first relevant hit (0 when none of the first 10 is);
- snippets (kind `snippet`): a relevant hit's snippet never cuts a kept date, amount or case
  number (`whole`: the share of such snippets that show each kept span whole or not at all).

Floors per kind are in bench/relevance_floors.toml; tests/test_relevance.py fails when a kind
falls below one. Queries with an OCR-only page skip it unless the archive has OCR.
"""

from __future__ import annotations

import argparse
import hashlib
import math
import re
import sys
import tempfile
import tomllib
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

JUDGMENTS = Path(__file__).resolve().parent / "relevance_judgments.toml"
FLOORS = Path(__file__).resolve().parent / "relevance_floors.toml"
K = 10
METRICS = ("recall", "ndcg", "mrr")


@dataclass
class Judged:
    id: str
    query: str
    kind: str
    filters: dict[str, str]
    relevant: dict[tuple[str, int], int]  # (truth key, page) -> grade
    snippet_keep: list[str] = field(default_factory=list)


@dataclass
class Scored:
    judged: Judged
    hits: list[tuple[str, int] | None]  # the first K hits as judged pages (None: a page of no truth document)
    recall: float
    ndcg: float
    mrr: float
    cuts: list[str] = field(default_factory=list)  # snippets that cut a kept span
    kept: int = 0  # relevant snippets checked for kept spans
    expansions: list[str] = field(default_factory=list)


def load_judgments(path: Path = JUDGMENTS) -> list[Judged]:
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    return [Judged(q["id"], q["query"], q["kind"], dict(q.get("filters", {})),
                   {(r["key"], r["page"]): r["grade"] for r in q["relevant"]}, list(q.get("snippet_keep", [])))
            for q in data["query"]]


def recall_at(hits: list, relevant: dict, k: int = K) -> float:
    found = sum(1 for h in hits[:k] if h in relevant)
    return found / min(k, len(relevant))


def ndcg_at(hits: list, relevant: dict, k: int = K) -> float:
    """nDCG@k with gain 2^grade - 1; the ideal ranking is every relevant page by grade (IDCG over all)."""
    dcg = sum((2 ** relevant[h] - 1) / math.log2(i + 2) for i, h in enumerate(hits[:k]) if h in relevant)
    ideal = sorted(relevant.values(), reverse=True)[:k]
    idcg = sum((2 ** g - 1) / math.log2(i + 2) for i, g in enumerate(ideal))
    return dcg / idcg if idcg else 0.0


def mrr_at(hits: list, relevant: dict, k: int = K) -> float:
    return next((1 / (i + 1) for i, h in enumerate(hits[:k]) if h in relevant), 0.0)


def truth_pages(site: Path) -> dict[str, str]:
    """sha256 of each sample document's bytes -> its truth key."""
    from sample import document_file, load_truth

    truth = load_truth(site)
    out = {}
    for d in truth.documents:
        try:
            out[hashlib.sha256(document_file(site, d).read_bytes()).hexdigest()] = d.key
        except (OSError, StopIteration):
            continue
    return out


def make_filters(spec: dict[str, str]):
    """The judged filters as search filters; `period` (no search filter of its own) is kept apart."""
    from index.filters import make_filters as resolve

    f = resolve(year=spec.get("year"), committee=spec.get("committee"), doctype=spec.get("doctype"),
                date_from=spec.get("date_from"), date_to=spec.get("date_to"))
    return f, spec.get("period")


def _norm(text: str) -> str:
    return " ".join(text.split())


def snippet_cuts(snippet: str, page_text: str, spans: list[str]) -> list[str]:
    """The kept spans that the snippet's window of the page text cuts (shows in part)."""
    from present.snippets import plain

    shown = _norm(plain(snippet).removeprefix("… ").removesuffix(" …"))
    text = _norm(page_text)
    start = text.find(shown)
    if start < 0 or not shown:
        return []
    end = start + len(shown)
    cut = []
    for span in spans:
        for m in re.finditer(re.escape(_norm(span)), text):
            if m.start() < end and m.end() > start and not (start <= m.start() and m.end() <= end):
                cut.append(span)
    return cut


def evaluate(data_dir: Path, site: Path, *, exact: bool = False, judged: list[Judged] | None = None) -> list[Scored]:
    """Every judged query searched on `data_dir` (an archive updated from the sample site `site`)."""
    import catalog
    from catalog import DataDir
    from index import search
    from index.schema import page_text

    dd = DataDir(Path(data_dir))
    keys = truth_pages(Path(site))
    conn = catalog.connect_readonly(dd)
    try:
        periods = {v.sha256: v.period for v in catalog.list_versions(conn, catalog.Filters(all_versions=True))}
    finally:
        conn.close()
    out = []
    for j in judged if judged is not None else load_judgments():
        filters, period = make_filters(j.filters)
        result = search(dd, j.query, filters, limit=None if period else K, facets=False, exact=exact)
        hits = [h for h in result.hits if period is None or periods.get(h.sha256) == period][:K]
        judged_hits = [(keys[h.sha256], h.page) if h.sha256 in keys else None for h in hits]
        scored = Scored(j, judged_hits, recall_at(judged_hits, j.relevant), ndcg_at(judged_hits, j.relevant),
                        mrr_at(judged_hits, j.relevant),
                        expansions=[f"{e.kind}:{e.typed}->{'|'.join(e.alternatives)}" for e in getattr(result, "expansions", [])])
        if j.snippet_keep:
            wanted = [(h, jh) for h, jh in zip(hits, judged_hits, strict=True) if jh in j.relevant]
            conn = catalog.connect_readonly(dd)
            try:
                texts = catalog.pages_with_tables(conn, [(h.sha256, h.page) for h, _ in wanted])
            finally:
                conn.close()
            for h, _jh in wanted:
                text, tables = texts.get((h.sha256, h.page), ("", []))
                scored.kept += 1
                scored.cuts += snippet_cuts(h.snippet, page_text(text, tables), j.snippet_keep)
        out.append(scored)
    return out


def evaluate_fts5(data_dir: Path, site: Path, judged: list[Judged] | None = None) -> list[Scored]:
    """The peer: SQLite FTS5 (unicode61, diacritics removed, bm25) over the same pages, the judged
    queries as its words ANDed (each quoted, so "2446,3" is its phrase) and quoted phrases kept."""
    import sqlite3

    import catalog
    from catalog import DataDir
    from index.schema import page_text

    dd = DataDir(Path(data_dir))
    keys = truth_pages(Path(site))
    conn = catalog.connect_readonly(dd)
    fts = sqlite3.connect(":memory:")
    fts.execute("CREATE VIRTUAL TABLE pages USING fts5(body, sha256 UNINDEXED, page UNINDEXED, year UNINDEXED,"
                " committee UNINDEXED, doctype UNINDEXED, date UNINDEXED, period UNINDEXED,"
                " tokenize='unicode61 remove_diacritics 2')")
    try:
        versions = catalog.list_versions(conn, catalog.Filters())
        for v in versions:
            rows = catalog.pages_with_tables(conn, [(v.sha256, p.page) for p in catalog.pages_of(conn, v.sha256)])
            fts.executemany("INSERT INTO pages VALUES (?,?,?,?,?,?,?,?)",
                            [(page_text(text, tables), v.sha256, page, v.year, v.committee, v.doctype, v.date,
                              v.period) for (_sha, page), (text, tables) in rows.items()])
    finally:
        conn.close()
    out = []
    for j in judged if judged is not None else load_judgments():
        terms = re.findall(r'"[^"]*"|\S+', j.query)
        match = " AND ".join(t if t.startswith('"') else '"' + t.replace('"', "") + '"' for t in terms)
        where, params = ["pages MATCH ?"], [match]
        f = j.filters
        for col, key in (("committee", "committee"), ("doctype", "doctype"), ("period", "period")):
            if key in f:
                where.append(f"{col} = ?")
                params.append(f[key])
        if "year" in f:
            where.append("year = ?")
            params.append(int(f["year"]))
        if "date_from" in f:
            where.append("date >= ?")
            params.append(f["date_from"])
        if "date_to" in f:
            where.append("date <= ?")
            params.append(f["date_to"])
        rows = fts.execute(f"SELECT sha256, page FROM pages WHERE {' AND '.join(where)} ORDER BY rank LIMIT {K}",
                           params).fetchall()
        hits = [(keys[sha], page) if sha in keys else None for sha, page in rows]
        out.append(Scored(j, hits, recall_at(hits, j.relevant), ndcg_at(hits, j.relevant), mrr_at(hits, j.relevant)))
    return out


def by_kind(scored: list[Scored]) -> dict[str, dict[str, float]]:
    """Mean recall@10, nDCG@10 and MRR@10 per kind (and `whole` for snippets), plus `all`."""
    groups: dict[str, list[Scored]] = defaultdict(list)
    for s in scored:
        groups[s.judged.kind].append(s)
    groups["all"] = list(scored)
    out = {}
    for kind, items in groups.items():
        row = {m: sum(getattr(s, m) for s in items) / len(items) for m in METRICS}
        row["queries"] = len(items)
        kept = sum(s.kept for s in items if s.judged.snippet_keep)
        if kept:
            row["whole"] = 1 - sum(1 for s in items for _c in s.cuts) / kept
        out[kind] = row
    return out


def load_floors(path: Path = FLOORS) -> dict[str, dict[str, float]]:
    return tomllib.loads(path.read_text(encoding="utf-8")).get("floors", {})


def below_floors(table: dict[str, dict[str, float]], floors: dict[str, dict[str, float]]) -> list[str]:
    """Each kind and metric below its recorded floor, as a line."""
    out = []
    for kind, wanted in floors.items():
        got = table.get(kind)
        if got is None:
            out.append(f"{kind}: no judged queries")
            continue
        for metric, floor in wanted.items():
            if got.get(metric, 0.0) + 1e-9 < floor:
                out.append(f"{kind} {metric} {got.get(metric, 0.0):.3f} < floor {floor:.3f}")
    return out


def write_floors(table: dict[str, dict[str, float]], path: Path = FLOORS) -> None:
    """The floors as this run measured them, rounded down to two decimals."""
    lines = ["# Floors of the judged query set per kind (bench/relevance.py; tests/test_relevance.py).",
             "# Set from measured values (`python -m bench.relevance --write-floors`), rounded down to",
             "# two decimals: a change that lowers any of them fails the test. Raise them when search",
             "# gets better; never lower one to make a change pass without saying why in the commit.", ""]
    for kind in sorted(k for k in table if k != "all"):
        row = table[kind]
        lines.append(f"[floors.{kind}]")
        for metric in (*METRICS, "whole"):
            if metric in row:
                lines.append(f"{metric} = {math.floor(row[metric] * 100) / 100:.2f}")
        lines.append("")
    path.write_text("\n".join(lines), encoding="utf-8")


def report(table: dict[str, dict[str, float]], scored: list[Scored], verbose: bool = False) -> str:
    lines = ["| kind | queries | recall@10 | nDCG@10 | MRR@10 | snippets whole |", "|---|---:|---:|---:|---:|---:|"]
    order = sorted((k for k in table if k != "all"), key=lambda k: k)
    for kind in [*order, "all"]:
        r = table[kind]
        whole = f"{r['whole']:.2f}" if "whole" in r else ""
        lines.append(f"| {kind} | {r['queries']} | {r['recall']:.2f} | {r['ndcg']:.2f} | {r['mrr']:.2f} | {whole} |")
    if verbose:
        lines.append("")
        for s in scored:
            lines.append(f"{s.judged.kind:12} {s.judged.id:32} R {s.recall:.2f} N {s.ndcg:.2f} M {s.mrr:.2f}"
                         f" {'CUT ' + ';'.join(s.cuts) if s.cuts else ''} {' '.join(s.expansions)}")
    return "\n".join(lines)


def build_archive(root: Path) -> tuple[Path, Path]:
    """The sample site (variant 0) and an archive updated from it, under `root`."""
    import sample
    from catalog import DataDir
    from jobs import update as jobs

    site = sample.build(root / "site", variant=0)
    data_dir = DataDir(root / "data").ensure()
    with sample.serve(site) as server:
        host = server.portal_url.split("://", 1)[1]
        options = jobs.CrawlOptions(source="baerum", start_urls=(server.landing_url,), allow_hosts=(host,),
                                    wayback=server.wayback_url, delay=0.0)
        jobs.update(data_dir, options)
    return root / "data", site


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data-dir", type=Path, help="an archive updated from --site (default: build one)")
    ap.add_argument("--site", type=Path, help="the sample site the archive was updated from")
    ap.add_argument("--exact", action="store_true", help="every expansion off")
    ap.add_argument("--write-floors", action="store_true", help="record this run's values as the floors")
    ap.add_argument("-v", "--verbose", action="store_true", help="one line per query")
    ap.add_argument("--no-peer", action="store_true", help="skip SQLite FTS5 over the same pages")
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        if args.data_dir is None:
            data_dir, site = build_archive(Path(tmp))
        else:
            data_dir, site = args.data_dir, args.site
        scored = evaluate(data_dir, site, exact=args.exact)
        peer = None if args.no_peer else evaluate_fts5(data_dir, site)
    table = by_kind(scored)
    print(f"judged queries: {len(scored)} ({JUDGMENTS.name}); {'--exact' if args.exact else 'expansions on'}")
    print(report(table, scored, verbose=args.verbose))
    if peer is not None:
        print("\nthe peer, SQLite FTS5 (unicode61, diacritics removed, bm25) over the same pages:")
        print(report(by_kind(peer), peer))
    if args.write_floors:
        write_floors(table)
        print(f"floors written to {FLOORS}")
    else:
        failed = below_floors(table, load_floors()) if FLOORS.exists() and not args.exact else []
        for line in failed:
            print("below floor:", line, file=sys.stderr)
        return 1 if failed else 0
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
