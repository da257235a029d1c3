"""Interleaved A/B of the search benchmark's queries: one checkout's code against another's.

    # first, each checkout builds its corpus and index with its own code:
    (cd BEFORE && python -m bench.search --pages 10000 --out OUT/before)
    (cd AFTER && python -m bench.search --pages 10000 --out OUT/after)
    python -m bench.ab --before BEFORE --after AFTER --out OUT --pages 10000 --rounds 6 --runs 20

A shared, loaded machine drifts by more than the differences that matter, so two separate runs
compare badly. Here the rounds alternate: a fresh process of the `before` code times every
query `runs` times (after one warm-up) on its own index, then a fresh process of the `after`
code on its own, and so on; drift hits both sides alike. Reported per query kind: p50 and p95
over every round's times of each side, and after/before of each. The queries are bench/search.py's
(the rare word from the corpus, the same for the same seed), plus `--extra` queries timed on both
sides (issue 18's: a typo and an amount) that are not part of the comparison's verdict.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

WORKER = r"""
import json, sys, time
from pathlib import Path
from catalog import DataDir, Filters
from index import search
data_dir, queries, runs = DataDir(Path(sys.argv[1])), json.loads(sys.argv[2]), int(sys.argv[3])
out = {}
for kind, q, f, facets in queries:
    filters = Filters(**f)
    search(data_dir, q, filters, facets=facets)  # warm
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        search(data_dir, q, filters, facets=facets)
        times.append((time.perf_counter() - t0) * 1000)
    out[kind] = {"times": times, "total": search(data_dir, q, filters, facets=False).total}
print(json.dumps(out))
"""

EXTRA = [("typo (issue 18)", "sykehjm", {}, False), ("amount (issue 18)", "2 446", {}, False)]


def queries(rare: str) -> list[tuple[str, str, dict, bool]]:
    from bench.search import QUERIES

    out = []
    for kind, (q, f) in QUERIES.items():
        fields = {k: v for k, v in vars(f).items() if v not in (None, False)}
        out.append((kind, rare if kind == "rare term" else q, fields, False))
    out.append(("facets (common term)", QUERIES["common term"][0], {}, True))
    return out


def run_side(code: Path, data_dir: Path, qs: list, runs: int) -> dict:
    env = {**os.environ, "PYTHONPATH": str(code)}
    proc = subprocess.run([sys.executable, "-c", WORKER, str(data_dir), json.dumps(qs), str(runs)], cwd=code,
                          env=env, capture_output=True, text=True, check=True)
    return json.loads(proc.stdout)


def p95(times: list[float]) -> float:
    s = sorted(times)
    return s[min(len(s) - 1, int(0.95 * len(s)))]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--before", type=Path, required=True, help="the baseline checkout")
    ap.add_argument("--after", type=Path, required=True, help="the changed checkout")
    ap.add_argument("--out", type=Path, required=True, help="holds before/ and after/ as bench.search built them")
    ap.add_argument("--pages", type=int, default=10_000)
    ap.add_argument("--rounds", type=int, default=6)
    ap.add_argument("--runs", type=int, default=20)
    ap.add_argument("--only", help="comma-separated query kinds to time (default: all)")
    args = ap.parse_args(argv)
    sides = {}
    for side in ("before", "after"):
        root = args.out / side / f"p{args.pages}-c1"
        meta = json.loads((root / "meta.json").read_text())
        sides[side] = (getattr(args, side), root / "data", meta["corpus"]["rare"])
    qs = queries(sides["after"][2]) + EXTRA
    if args.only:
        wanted = {k.strip() for k in args.only.split(",")}
        qs = [q for q in qs if q[0] in wanted]
    times: dict[str, dict[str, list[float]]] = {"before": {}, "after": {}}
    totals: dict[str, dict[str, int]] = {"before": {}, "after": {}}
    loads = [os.getloadavg()[0]]
    for r in range(args.rounds):
        for side in (("before", "after") if r % 2 == 0 else ("after", "before")):
            code, data_dir, _rare = sides[side]
            got = run_side(code, data_dir, qs, args.runs)
            for kind, row in got.items():
                times[side].setdefault(kind, []).extend(row["times"])
                totals[side][kind] = row["total"]
        loads.append(os.getloadavg()[0])
    print(f"{args.rounds} rounds × {args.runs} runs per query and side, alternating; "
          f"load average {min(loads):.1f}–{max(loads):.1f} on {os.cpu_count()} CPUs; {args.pages:,} pages")
    print("| query kind | query | hits before / after | p50 before / after ms | p95 before / after ms | p95 after/before |")
    print("|---|---|---:|---:|---:|---:|")
    worst = 0.0
    for kind, q, _f, _facets in qs:
        b, a = times["before"][kind], times["after"][kind]
        ratio = p95(a) / p95(b)
        if (kind, q) not in {(k, qq) for k, qq, _x, _y in EXTRA}:
            worst = max(worst, ratio)
        print(f"| {kind} | `{q}` | {totals['before'][kind]:,} / {totals['after'][kind]:,} |"
              f" {statistics.median(b):.1f} / {statistics.median(a):.1f} | {p95(b):.1f} / {p95(a):.1f} | {ratio:.2f} |")
    print(f"largest p95 after/before of the benchmark's own kinds: {worst:.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
