"""Close spellings from an index's words: rapidfuzz, symspellpy and Whoosh's `terms_within` compared.

    python -m bench.spelling --data-dir DIR     # the words of an archive's index (the demo, the sample)
    python -m bench.spelling --synthetic 60000  # a generated vocabulary of that size (bench/search.py's words)

Each way answers the same question index/spelling.py asks: every word of the index within
edit distance 1 (5–8 letters) or 2 (longer) of a word typed, transpositions counting one.
The typed words are the judged typo queries (bench/relevance_judgments.toml) where the
archive holds their target, and generated typos of the vocabulary's own words (a letter
dropped, added, changed, or two swapped; two edits for longer words), the same for every way.
Reported: the time to get ready (build what the way needs from the words), the memory that
takes, the time per lookup (p50/p95), and how often the intended word is among the candidates
and is the best (closest, then on most pages).
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

from index.analysis import scandinavian_fold, stem
from index.spelling import Vocabulary, max_distance

SEED = 18
ALPHABET = "abcdefghijklmnoprstuvyæøå"


def typo_of(word: str, rng: random.Random) -> str:
    """`word` with max_distance(word) random edits (drop, add, change, swap neighbours)."""
    w = list(word)
    for _ in range(max_distance(word)):
        i = rng.randrange(len(w))
        kind = rng.choice("dacs")
        if kind == "d" and len(w) > 5:
            del w[i]
        elif kind == "a":
            w.insert(i, rng.choice(ALPHABET))
        elif kind == "s" and i + 1 < len(w):
            w[i], w[i + 1] = w[i + 1], w[i]
        else:
            w[i] = rng.choice([c for c in ALPHABET if c != w[i]])
    return "".join(w)


def cases(words: dict[str, int], n: int, rng: random.Random) -> list[tuple[str, str]]:
    """(typed, intended) pairs: generated typos of frequent-enough words, none itself a word."""
    pool = sorted(w for w, c in words.items() if len(w) >= 5 and c >= 2)
    folded = {scandinavian_fold(w) for w in words}
    out = []
    while len(out) < n and pool:
        w = rng.choice(pool)
        t = typo_of(w, rng)
        if t != w and scandinavian_fold(t) not in folded and stem(t) != stem(w):
            out.append((t, w))
    return out


def judged_cases(words: dict[str, int]) -> list[tuple[str, str]]:
    """The judged typo queries whose intended word the archive holds."""
    pairs = [("fornebubnaen", "fornebubanen"), ("demenslandsy", "demenslandsby"), ("vøyenega", "vøyenenga"),
             ("hjort", "hjorth"), ("hundsnd", "hundsund"), ("kalvøia", "kalvøya"), ("bekkestau", "bekkestua"),
             ("barnehageplasene", "barnehageplassene"), ("nadderund", "nadderud"), ("lindela", "lindelia")]
    return [(t, w) for t, w in pairs if w in words]


def best(candidates: list[tuple[str, int, int]], typed: str) -> str | None:
    ranked = sorted((d, -n, w) for w, d, n in candidates if w != typed)
    return ranked[0][2] if ranked else None


# --- the three ways ---------------------------------------------------------------------------


def way_rapidfuzz(words: dict[str, int]) -> Callable[[str], list[tuple[str, int, int]]]:
    vocab = Vocabulary(words)
    return lambda t: vocab.close(t, max_distance(t))


def way_symspell(words: dict[str, int]) -> Callable[[str], list[tuple[str, int, int]]]:
    from symspellpy import SymSpell, Verbosity

    sym = SymSpell(max_dictionary_edit_distance=2, prefix_length=7)
    originals: dict[str, tuple[str, int]] = {}
    for w, n in words.items():
        f = scandinavian_fold(w)
        if f not in originals or n > originals[f][1]:
            originals[f] = (w, n)
    for f, (_w, n) in originals.items():
        sym.create_dictionary_entry(f, n)

    def lookup(t: str) -> list[tuple[str, int, int]]:
        got = sym.lookup(scandinavian_fold(t), Verbosity.ALL, max_edit_distance=max_distance(t))
        return [(originals[s.term][0], s.distance, originals[s.term][1]) for s in got]

    return lookup


def way_whoosh(words: dict[str, int], searcher=None) -> Callable[[str], list[tuple[str, int, int]]]:
    """Whoosh's own automaton over the `exact` field's term list (a throwaway index of the words
    when no archive's searcher is given)."""
    if searcher is None:
        import tempfile

        from whoosh import fields, index

        tmp = tempfile.mkdtemp()
        ix = index.create_in(tmp, fields.Schema(exact=fields.KEYWORD()))
        w = ix.writer()
        items = list(words)
        for i in range(0, len(items), 500):
            w.add_document(exact=" ".join(items[i:i + 500]))
        w.commit()
        searcher = ix.searcher()
    reader = searcher.reader()

    def lookup(t: str) -> list[tuple[str, int, int]]:
        k = max_distance(t)
        return [(w, k, words.get(w, 0)) for w in reader.terms_within("exact", t, k) if w in words]

    return lookup


WAYS = {"rapidfuzz": way_rapidfuzz, "symspellpy": way_symspell, "whoosh terms_within": way_whoosh}


def measure(name: str, make: Callable, words: dict[str, int], typos: list[tuple[str, str]]) -> dict:
    tracemalloc.start()
    t0 = time.perf_counter()
    lookup = make(words)
    ready = time.perf_counter() - t0
    _cur, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    times, found, top = [], 0, 0
    for typed, intended in typos:
        t0 = time.perf_counter()
        got = lookup(typed)
        times.append((time.perf_counter() - t0) * 1000)
        found += any(w == intended for w, _d, _n in got)
        top += best(got, typed) == intended
    times.sort()
    return {"way": name, "ready_s": ready, "memory_mb": peak / 1e6, "p50_ms": statistics.median(times),
            "p95_ms": times[min(len(times) - 1, int(0.95 * len(times)))],
            "found": found / len(typos), "best": top / len(typos), "n": len(typos)}


def archive_words(data_dir: Path) -> tuple[dict[str, int], object]:
    from catalog import DataDir
    from index.searcher import open_index
    from index.spelling import index_vocabulary

    ix = open_index(DataDir(data_dir))
    return index_vocabulary(ix.searcher).words, ix.searcher


def synthetic_words(n: int) -> dict[str, int]:
    from bench.search import vocabulary

    rng = random.Random(SEED)
    vocab = [w for w in vocabulary(rng, n) if len(w) >= 4]
    return {w: max(1, int(5000 / (i + 1) ** 0.9)) for i, w in enumerate(vocab)}  # Zipf-like page counts


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data-dir", type=Path, help="an archive whose index's words to use")
    ap.add_argument("--synthetic", type=int, help="a generated vocabulary of this many words instead")
    ap.add_argument("--typos", type=int, default=300)
    args = ap.parse_args(argv)
    rng = random.Random(SEED)
    searcher = None
    if args.data_dir:
        words, searcher = archive_words(args.data_dir)
        source = f"the index of {args.data_dir}"
    else:
        words = synthetic_words(args.synthetic or 60_000)
        source = f"a generated vocabulary (bench/search.py's words, seed {SEED})"
    typos = judged_cases(words) + cases(words, args.typos, rng)
    print(f"words: {len(words):,} from {source}; typos: {len(typos)} "
          f"({len(judged_cases(words))} judged, the rest generated)")
    print("| way | ready (s) | memory (MB) | lookup p50 / p95 (ms) | intended found | intended best |")
    print("|---|---:|---:|---:|---:|---:|")
    for name, make in WAYS.items():
        if name.startswith("whoosh"):
            r = measure(name, lambda w: way_whoosh(w, searcher), words, typos)
        else:
            r = measure(name, make, words, typos)
        print(f"| {r['way']} | {r['ready_s']:.2f} | {r['memory_mb']:.1f} | {r['p50_ms']:.2f} / {r['p95_ms']:.2f} |"
              f" {r['found']:.1%} | {r['best']:.1%} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
