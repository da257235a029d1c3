"""Snippets: the sentence around a hit's best match, query words marked [[like this]].

Cut from the catalog's page text for the hits on screen only. A word matches when it is
a query word, has a query stem, starts with a query prefix, or has a compound part with
a query stem (the same analysis the index uses, so what is found is what is marked).
"""

from __future__ import annotations

import re
from functools import lru_cache

from catalog.text import strip_controls
from index.analysis import WORD_RE, DecompoundFilter, folded_term, split_compound, stem
from index.query import Highlight

SNIPPET_CHARS = 240
MARK_OPEN, MARK_CLOSE = "[[", "]]"

_COUNT_RE = re.compile(r"\d+(?=[^\W\d_])")
_SENTENCE_END_RE = re.compile(r"[.!?](?=\s)|\n\s*\n")


def snippet(text: str, hl: Highlight, decompound: DecompoundFilter | SnippetParts | None = None) -> str:
    """The sentence around the best match, query words marked [[like this]], one line."""
    text = strip_controls(text, keep="\n", replacement=" ").replace("[[", "[ [").replace("]]", "] ]")
    seen: dict[str, bool] = {}  # a page repeats its words: decide each distinct word once
    matches = []
    lowered = text.lower()
    needles = hl.words | hl.stems | hl.prefixes
    # Every word _is_match accepts contains a query word, stem or prefix (stems are
    # prefixes of their words and of compound parts): find only those words, with one
    # regex, instead of testing every word of the page. Lowercasing that changes the
    # text's length would misalign positions: then every word is tested.
    # A folded query ("baerum" for "Bærum") matches words that do not contain it: test every word.
    if needles and len(lowered) == len(text) and not (hl.folded - hl.stems):
        found = _needle_re(frozenset(needles)).finditer(lowered)
    else:
        found = WORD_RE.finditer(text) if needles else iter(())
    for m in found:
        w = text[m.start():m.end()]
        hit = seen.get(w)
        if hit is None:
            hit = seen[w] = _is_match(w, hl, decompound)
        if hit:
            matches.append((m.start(), m.end()))
    if not matches:
        return _clip(text, 0, 0)
    # The sentence with the most distinct matched words wins; the earliest on ties.
    bounds = [0, *(m.end() for m in _SENTENCE_END_RE.finditer(text)), len(text)]
    best, best_score = None, -1
    for lo, hi in zip(bounds, bounds[1:], strict=False):
        inside = {text[s:e].lower() for s, e in matches if lo <= s < hi}
        if len(inside) > best_score:
            best, best_score = (lo, hi), len(inside)
    lo, hi = best or (0, len(text))
    first = next(s for s, _e in matches if s >= lo)
    if hi - lo > SNIPPET_CHARS:
        lo = max(lo, first - SNIPPET_CHARS // 3)
        hi = min(hi, lo + SNIPPET_CHARS)
    pieces, pos = [], lo
    for s, e in matches:
        if s >= lo and e <= hi:
            pieces.append(text[pos:s])
            pieces.append(MARK_OPEN + text[s:e] + MARK_CLOSE)
            pos = e
    pieces.append(text[pos:hi])
    out = " ".join("".join(pieces).split())
    return ("… " if lo > 0 else "") + out + (" …" if hi < len(text) else "")


@lru_cache(maxsize=256)
def _needle_re(needles: frozenset[str]) -> re.Pattern[str]:
    """Whole words (\\w runs) that contain any of the needles."""
    alts = "|".join(re.escape(n) for n in sorted(needles, key=len, reverse=True))
    return re.compile(rf"\w*(?:{alts})\w*")


def _clip(text: str, lo: int, _hi: int) -> str:
    out = " ".join(text[lo:lo + SNIPPET_CHARS].split())
    return out + (" …" if len(text) > lo + SNIPPET_CHARS else "")


def _is_match(word: str, hl: Highlight, decompound: DecompoundFilter | SnippetParts | None) -> bool:
    w = word.lower()
    counted = _COUNT_RE.match(w)
    if counted and counted.end() < len(w):  # "2Ap": the party after the count
        w = w[counted.end():]
    if w in hl.words or any(w.startswith(p) for p in hl.prefixes):
        return True
    if not hl.stems:
        return False
    if stem(w) in hl.stems:
        return True
    if hl.folded and folded_term(w) in hl.folded:
        return True
    # A part's stem is a prefix of the part, and a part a substring of the word: words
    # that contain no query stem cannot match through their parts (most words on a page).
    if decompound is None or not any(s in w for s in hl.stems):
        return False
    return any(stem(p) in hl.stems for p in decompound.parts(w))


class _PrefixStems:
    """`stem(x) in {stem(w) for w in lexicon}`, without stemming the whole lexicon.

    Equal stems share their first three letters (Norwegian Snowball stems of words of 4+
    letters keep at least three), so only the lexicon words with that prefix are stemmed.
    Stemming all 40,000 words up front cost a new `hparkiv search` process ~0.25 s.
    """

    def __init__(self, lexicon: frozenset[str]) -> None:
        self.by_prefix: dict[str, list[str]] = {}
        for w in lexicon:
            self.by_prefix.setdefault(w[:3], []).append(w)
        self.known: dict[str, bool] = {}

    def __contains__(self, st: object) -> bool:
        if not isinstance(st, str):
            return False
        got = self.known.get(st)
        if got is None:
            got = self.known[st] = any(stem(w) == st for w in self.by_prefix.get(st[:3], ()))
        return got


class SnippetParts:
    """Compound parts for snippets, as DecompoundFilter.parts, with lazily stemmed lexicon."""

    def __init__(self, lexicon: frozenset[str]) -> None:
        self.lexicon = lexicon
        self._stems: _PrefixStems | None = None
        self._cache: dict[str, tuple[str, ...]] = {}

    def parts(self, word: str) -> tuple[str, ...]:
        got = self._cache.get(word)
        if got is None:
            if self._stems is None:
                self._stems = _PrefixStems(self.lexicon)
            got = tuple(split_compound(word, self.lexicon, self._stems))  # type: ignore[arg-type]
            if len(self._cache) > 100_000:
                self._cache.clear()
            self._cache[word] = got
        return got
