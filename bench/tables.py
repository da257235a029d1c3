"""Table benchmark: `python -m bench.tables` (run by `make bench`).

Scores hparkiv's table reader against the golden tables of the generated fixture
corpus (sample/tablecorpus.py: every layout budget documents use), and in the same
run the baselines a user would try first: pdfplumber's default `extract_tables()`
and its `text` strategy, plus camelot (lattice and stream) when it is installed.

- exact tables: golden tables found with every header and body cell equal, nothing more;
- rows exact: every golden body row found whole in the matched table (extra rows such as
  captions, and headers left unjoined, forgiven): fairer to readers that do not join headers;
- cell recall: golden cells (header and body) found in the right row and column
  of the matched table;
- split amounts: golden amount cells printed across two cells or merged with a
  neighbour (must be 0);
- values: body amounts whose parsed number equals the golden one (hparkiv only);
- by arrangement: exact tables and cell recall per way a table stands on its page (alone, beside
  text left/right, side by side, in a framed box, with wrapped labels, going on after a sub-sum).

Tables are matched by page and the best cell overlap. Touches only a temporary directory.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from catalog.amounts import normalise
from sample.tablecorpus import Golden, build_corpus, load_goldens

Grid = list[list[str]]  # a table as rows of cells, the header rows first


def clean(cell: Any) -> str:
    return " ".join(normalise(str(cell or "")).split())


def tidy(grid: list[list[Any]]) -> Grid:
    """Cells cleaned, empty rows and columns dropped: fair to every reader."""
    rows = [[clean(c) for c in row] for row in grid]
    rows = [r for r in rows if any(r)]
    if not rows:
        return []
    width = max(len(r) for r in rows)
    rows = [r + [""] * (width - len(r)) for r in rows]
    keep = [j for j in range(width) if any(r[j] for r in rows)]
    return [[r[j] for j in keep] for r in rows]


def golden_grid(g: Golden) -> Grid:
    return tidy([g.header] + g.rows)


def _row_score(a: list[str], b: list[str]) -> int:
    return sum(1 for x, y in zip(a, b, strict=False) if x and x == y)


def match(golden: Grid, found: list[Grid]) -> Grid | None:
    """The found table sharing most body cells with the golden one."""
    best, score = None, 0
    gold_cells = {c for row in golden[1:] for c in row[1:] if c}
    for grid in found:
        s = sum(1 for row in grid for c in row if c in gold_cells)
        if s > score:
            best, score = grid, s
    return best


def cell_hits(golden: Grid, grid: Grid | None) -> int:
    """Golden cells found in the matched table at the same column of a matching row."""
    if grid is None:
        return 0
    hits = 0
    for row in golden:
        hits += max((_row_score(row, other) for other in grid), default=0)
    return hits


def split_amounts(g: Golden, cells_on_page: set[str]) -> int:
    """Golden amounts not found whole in any cell of the page but present in pieces."""
    bad = 0
    for row in g.rows:
        for cell in row[1:]:
            c = clean(cell)
            if not c or not any(ch.isdigit() for ch in c) or c in cells_on_page:
                continue
            if any(p and p != c and (p in c or c in p) and any(ch.isdigit() for ch in p) for p in cells_on_page):
                bad += 1
    return bad


def score(goldens: list[Golden], found: dict[int, list[Grid]], by_arrangement: bool = True) -> dict[str, Any]:
    exact = body = hits = total = split = 0
    for g in goldens:
        gold = golden_grid(g)
        grids = found.get(g.page, [])
        best = match(gold, grids)
        total += sum(1 for row in gold for c in row if c)
        hits += cell_hits(gold, best)
        if best is not None and best == gold:
            exact += 1
        if best is not None and all(row in best for row in gold[1:]):
            body += 1
        split += split_amounts(g, {c for grid in grids for row in grid for c in row})
    out = {"tables": len(goldens), "exact": exact, "exact_ratio": round(exact / len(goldens), 3),
           "body_exact": body, "cell_recall": round(hits / total, 4), "split_amounts": split}
    if by_arrangement:
        out["by_arrangement"] = {a: score([g for g in goldens if g.arrangement == a], found, False)
                                 for a in sorted({g.arrangement for g in goldens})}
    return out


# ------------------------------------------------------------------ readers


def read_hparkiv(pdf_path: Path) -> tuple[dict[int, list[Grid]], dict[int, list[Any]]]:
    """hparkiv's reader page by page, as extraction runs it (tables only, like the baselines)."""
    import pdfplumber

    from extract.tables import continue_table, page_tables

    grids: dict[int, list[Grid]] = {}
    raw: dict[int, list[Any]] = {}
    last = None
    with pdfplumber.open(pdf_path) as pdf:
        for page in pdf.pages:
            tables = page_tables(page)
            if tables:
                continue_table(last, tables[0])
                last = tables[-1]
            for t in tables:
                grids.setdefault(t.page, []).append(tidy([t.header] + t.rows))
                raw.setdefault(t.page, []).append(t)
            page.close()
    return grids, raw


def read_pdfplumber(pdf_path: Path, settings: dict[str, Any] | None) -> dict[int, list[Grid]]:
    import pdfplumber

    grids: dict[int, list[Grid]] = {}
    with pdfplumber.open(pdf_path) as pdf:
        for page in pdf.pages:
            tables = page.extract_tables(settings) if settings else page.extract_tables()
            grids[page.page_number] = [tidy(t) for t in tables]
            page.close()
    return grids


def read_camelot(pdf_path: Path, flavor: str) -> dict[int, list[Grid]] | str:
    try:
        import camelot
    except ImportError as e:
        return f"not installed ({e})"
    grids: dict[int, list[Grid]] = {}
    try:
        tables = camelot.read_pdf(str(pdf_path), pages="all", flavor=flavor)
    except Exception as e:  # a baseline's failure is a result to report, not a crash
        return f"failed: {type(e).__name__}: {str(e)[:80]}"
    for t in tables:
        grids.setdefault(int(t.page), []).append(tidy(t.df.values.tolist()))
    return grids


def print_arrangements(goldens: list[Golden], results: list[tuple[str, dict[str, Any], float]]) -> None:
    """Exact tables (and cell recall) per arrangement on the page: alone, beside text, side by side,
    in a framed box, with wrapped labels, going on after a sub-sum (issue 20), for every reader."""
    kinds = sorted({g.arrangement for g in goldens}, key=lambda a: (a != "alone", a))
    print(f"\n{'exact by arrangement':38} " + " ".join(f"{k[:22]:>22}" for k in kinds))
    for name, s, _ in results:
        cells = []
        for k in kinds:
            part = s["by_arrangement"][k]
            cells.append(f"{part['exact']:>3}/{part['tables']:<3} {part['cell_recall']:.3f}")
        print(f"{name:38} " + " ".join(f"{c:>22}" for c in cells))


def value_accuracy(goldens: list[Golden], raw: dict[int, list[Any]]) -> tuple[int, int]:
    """(right, total) parsed amounts of matched tables, compared cell by cell."""
    right = total = 0
    for g in goldens:
        tables = raw.get(g.page, [])
        best = None
        for t in tables:
            if t.rows == g.rows:
                best = t
        for r, row in enumerate(g.values):
            for j, v in enumerate(row[1:], start=1):
                if v is None:
                    continue
                total += 1
                if best is not None and best.values[r][j] is not None and abs(best.values[r][j] - v) < 1e-9:
                    right += 1
    return right, total


def against(old_checkout: Path, pdfs: dict[str, list[bytes]]) -> None:
    """CPU seconds of page text + table finding, this reader vs `extract/tables.py` of another
    checkout, on the same pages in one process (CPU time, so other load on the machine skews less)."""
    import importlib.util
    import io

    import pdfplumber

    from extract import tables as new
    from extract.text import clean_page_text

    spec = importlib.util.spec_from_file_location("old_tables", old_checkout / "extract" / "tables.py")
    assert spec and spec.loader
    old = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = old  # dataclasses look their module up while the class is made
    spec.loader.exec_module(old)
    for name, blobs in pdfs.items():
        spent = {"text": 0.0, "old": 0.0, "new": 0.0}
        pages = 0
        for rep in range(2):  # both orders: the first reader of a page pays for pdfplumber's lazy objects
            for data in blobs:
                with pdfplumber.open(io.BytesIO(data)) as pdf:
                    for page in pdf.pages:
                        t0 = time.process_time()
                        text = clean_page_text(page.extract_text() or "")
                        spent["text"] += time.process_time() - t0
                        for label, mod in (("old", old), ("new", new))[:: 1 if rep == 0 else -1]:
                            t0 = time.process_time()
                            mod.find_tables(page, text)
                            spent[label] += time.process_time() - t0
                        pages += 1
                        page.close()
        before, after = spent["text"] + spent["old"], spent["text"] + spent["new"]
        print(f"{name}: {pages} pages, CPU s text {spent['text']:.2f} + tables {spent['old']:.2f} (old) / "
              f"{spent['new']:.2f} (new): text+tables {after / before - 1:+.1%}")


def timed(fn: Callable[[], Any]) -> tuple[Any, float]:
    t0 = time.perf_counter()
    out = fn()
    return out, time.perf_counter() - t0


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keep", type=Path, help="Write the corpus here instead of a temporary directory.")
    parser.add_argument("--show", action="store_true", help="Print hparkiv's tables that are not exact.")
    parser.add_argument("--against", type=Path, metavar="CHECKOUT",
                        help="Also compare CPU time with the table reader of another hparkiv checkout.")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        dest = args.keep or Path(tmp)
        pdf_path, truth_path = build_corpus(dest)
        goldens = load_goldens(truth_path)
        pages = max(g.page for g in goldens)
        print(f"corpus: {len(goldens)} tables on {pages} pages, layouts "
              f"{', '.join(sorted({g.layout for g in goldens}))}")
        (ours, raw), t_ours = timed(lambda: read_hparkiv(pdf_path))
        results = [("hparkiv", score(goldens, ours), t_ours)]
        base, t = timed(lambda: read_pdfplumber(pdf_path, None))
        results.append(("pdfplumber extract_tables() (lines)", score(goldens, base), t))
        text_settings = {"vertical_strategy": "text", "horizontal_strategy": "text"}
        base, t = timed(lambda: read_pdfplumber(pdf_path, text_settings))
        results.append(("pdfplumber text strategy", score(goldens, base), t))
        notes = []
        for flavor in ("lattice", "stream"):
            cam, t = timed(lambda flavor=flavor: read_camelot(pdf_path, flavor))
            if isinstance(cam, str):
                notes.append(f"camelot {flavor}: {cam}")
            else:
                results.append((f"camelot {flavor}", score(goldens, cam), t))
        print(f"{'reader':38} {'exact':>11} {'rows exact':>10} {'cell recall':>11} {'split amounts':>13} {'s':>6}")
        for name, s, secs in results:
            print(f"{name:38} {s['exact']:>4}/{s['tables']:<3} {s['exact_ratio']:.3f} {s['body_exact']:>6}/{s['tables']:<3} "
                  f"{s['cell_recall']:>11.4f} {s['split_amounts']:>13} {secs:>6.2f}")
        for note in notes:
            print(note)
        print_arrangements(goldens, results)
        right, total = value_accuracy(goldens, raw)
        print(f"hparkiv values: {right}/{total} amounts parsed to the golden number")
        if args.against:
            from sample.synth import budget_pdf

            against(args.against, {
                "bench.extract's budget PDFs": [budget_pdf(n, seed=i, table_every=3) for i, n in enumerate([60, 41, 27])],
                "the table corpus": [pdf_path.read_bytes()],
            })
        if args.show:
            for g in goldens:
                gold = golden_grid(g)
                best = match(gold, ours.get(g.page, []))
                if best != gold:
                    print(f"\n--- page {g.page} {g.layout} caption={g.caption!r}")
                    print("want:", gold[:3])
                    print("got: ", (best or [])[:3])
            for g in goldens:
                t = next((t for t in raw.get(g.page, []) if t.rows == g.rows), None)
                if t is not None and (t.caption != g.caption or t.unit != g.unit):
                    print(f"page {g.page}: caption/unit {t.caption!r}/{t.unit!r} want {g.caption!r}/{g.unit!r}")


if __name__ == "__main__":
    main()
