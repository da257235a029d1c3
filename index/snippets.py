"""Snippets: the sentence around a hit's best match, query words marked [[like this]].

Cut from the catalog's page text for the hits on screen only. A word matches when it is
a query word, has a query stem, starts with a query prefix, or has a compound part with
a query stem (the same analysis the index uses, so what is found is what is marked).
"""

from __future__ import annotations

import re
from bisect import bisect_left
from functools import lru_cache

from catalog.text import strip_controls
from index.analysis import CASE_PATTERN, WORD_RE, DecompoundFilter, folded_term, split_compound, stem
from index.numbers import printed_numbers
from index.parsed import Highlight

SNIPPET_CHARS = 240
MARK_OPEN, MARK_CLOSE = "[[", "]]"

_COUNT_RE = re.compile(r"\d+(?=[^\W\d_])")
_SENTENCE_END_RE = re.compile(r"[.!?](?=\s)|\n\s*\n")

# What a snippet never cuts, and where a full stop ends no sentence: dates ("2. desember 2020"),
# amounts with their units ("2 446,3 mill. kroner", "kr 1 500,-", "1,5 mrd. kroner"), case
# numbers ("sak 123/20") and the abbreviations budgets print with a full stop.
_MONTHS = "januar|februar|mars|april|mai|juni|juli|august|september|oktober|november|desember"
_SCALE = r"(?:mill\.?|mrd\.?|millioner|million|milliarder|milliard|mnok)"
_UNIT = rf"(?:\s*{_SCALE})?(?:\s*(?:kroner|kr\b\.?|nok\b))?(?:\s*(?:%|prosent))?"
_KEEP_RE = re.compile(
    rf"\b\d{{1,2}}\.\s*(?:{_MONTHS})(?:\s+\d{{4}})?\b"  # a date
    rf"|(?:\b(?:kr|nok)\.?\s*)?(?<![\d,.])\d{{1,3}}(?:[ \u00a0\u202f]\d{{3}})+(?:,\d+)?(?:,-|{_UNIT})"  # grouped
    rf"|(?:\b(?:kr|nok)\.?\s*)(?<![\d,.])\d+(?:,\d+)?(?:,-|{_UNIT})"  # after kr
    rf"|(?<![\d,.])\d+(?:,\d+)?(?:,-)?(?=\s*(?:{_SCALE}|kroner|kr\b|nok\b|%|prosent)){_UNIT}"  # with a unit
    rf"|(?:\bsak\s+)?{CASE_PATTERN}"  # a case number
    r"|\b(?:bl\.a|f\.eks|m\.m|o\.l|t\.o\.m|jf|nr|ca|kap|pkt|dvs|mill|mrd|kr)\.",  # abbreviations
    re.IGNORECASE,
)


KEPT_REACH = 48  # no kept span is longer: a full stop is checked against this much text around it


def kept_spans(text: str, lo: int = 0, hi: int | None = None) -> list[tuple[int, int]]:
    """The (start, end) of every date, amount, case number and abbreviation in `text[lo:hi]`
    (positions in `text`); the regex is the costly part of a snippet, so it reads only the
    window a snippet may be cut in."""
    return [m.span() for m in _KEEP_RE.finditer(text, max(0, lo), len(text) if hi is None else hi)]


_MONTH_AFTER = re.compile(rf"\s*(?:{_MONTHS})\b", re.IGNORECASE)
_ABBREVIATION_BEFORE = re.compile(r"\b(?:bl\.a|f\.eks|m\.m|o\.l|t\.o\.m|jf|nr|ca|kap|pkt|dvs|mill|mrd|kr|nok)$",
                                  re.IGNORECASE)


def _ends_sentence(text: str, pos: int) -> bool:
    """Whether the full stop (or blank line) at `pos` ends a sentence: not the one of a date
    ("2. desember") nor of an abbreviation ("mill. kroner", "bl.a."). Checked by the word before
    it, not the costly regex (a page has dozens of full stops)."""
    if text[pos] != ".":
        return True
    if pos and text[pos - 1].isdigit():
        return not _MONTH_AFTER.match(text, pos + 1)
    return not _ABBREVIATION_BEFORE.search(text, max(0, pos - 8), pos)


def _outside(pos: int, spans: list[tuple[int, int]], forward: bool) -> int:
    """`pos` moved out of a span it falls inside (to the span's end, or start), then out of a word."""
    for s, e in spans:
        if s < pos < e:
            pos = e if forward else s
            break
    return pos


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
        found = _words_containing(lowered, frozenset(needles))
    else:
        found = (m.span() for m in WORD_RE.finditer(text)) if needles else iter(())
    for start, end in found:
        w = text[start:end]
        hit = seen.get(w)
        if hit is None:
            hit = seen[w] = _is_match(w, hl, decompound)
        if hit:
            matches.append((start, end))
    if hl.amounts:  # a number typed: the printed numbers of the same value, with their units
        matches = sorted(matches + [(a, b) for a, b, terms in printed_numbers(text, table_units=True)
                                   if hl.amounts.intersection(terms)])
    if not matches:
        return _clip(text, kept_spans(text, 0, SNIPPET_CHARS + KEPT_REACH))
    # The sentence with the most distinct matched words wins; the earliest on ties. A full stop
    # inside a date, an amount or an abbreviation ends no sentence.
    bounds = [0, *(m.end() for m in _SENTENCE_END_RE.finditer(text) if _ends_sentence(text, m.start())), len(text)]
    best, best_score = None, -1
    starts = [s for s, _e in matches]
    for lo, hi in zip(bounds, bounds[1:], strict=False):
        first, last = bisect_left(starts, lo), bisect_left(starts, hi)
        if last - first <= best_score:  # fewer matches than the best has distinct words
            continue
        inside = {text[s:e].lower() for s, e in matches[first:last]}
        if len(inside) > best_score:
            best, best_score = (lo, hi), len(inside)
    lo, hi = best or (0, len(text))
    first = next(s for s, _e in matches if s >= lo)
    if hi - lo > SNIPPET_CHARS:
        lo = max(lo, first - SNIPPET_CHARS // 3)
        hi = min(hi, lo + SNIPPET_CHARS)
        spans = kept_spans(text, lo - KEPT_REACH, min(len(text), hi + KEPT_REACH))
        lo, hi = _word_start(text, _outside(lo, spans, False)), _word_end(text, _outside(hi, spans, True))
    pieces, pos = [], lo
    for s, e in matches:
        if s >= lo and e <= hi:
            pieces.append(text[pos:s])
            pieces.append(MARK_OPEN + text[s:e] + MARK_CLOSE)
            pos = e
    pieces.append(text[pos:hi])
    out = " ".join("".join(pieces).split())
    return ("… " if lo > 0 else "") + out + (" …" if hi < len(text) else "")


_WORD_TAIL = re.compile(r"\w+\Z")
_WORD_HEAD = re.compile(r"\w*")
_LONGEST_WORD = 64  # how far back a needle's word start is looked for first


def _words_containing(lowered: str, needles: frozenset[str]):
    """The (start, end) of each whole word (\\w run) that contains any of the needles, in order.

    The needles are found as plain text (fast) and each grown to its word; a regex that
    matched whole words directly tried a word at every position of the page (20x slower).
    Needles of one or two letters are everywhere: there, the word regex is cheaper."""
    if min(map(len, needles)) < 3:
        yield from (m.span() for m in _needle_re(needles, whole=True).finditer(lowered))
        return
    last = -1
    for m in _needle_re(needles, whole=False).finditer(lowered):
        start = m.start()
        if start < last:  # a second needle in a word already given
            continue
        reach = _LONGEST_WORD
        while (before := _WORD_TAIL.search(lowered, max(0, start - reach), start)) and before.start() == start - reach:
            reach *= 2  # a word longer than the reach (text run together): look further back
        if before:
            start = before.start()
        last = _WORD_HEAD.match(lowered, m.end()).end()
        yield start, last


@lru_cache(maxsize=256)
def _needle_re(needles: frozenset[str], whole: bool) -> re.Pattern[str]:
    """Any of the needles (longest first), or (whole) the words (\\w runs) that contain one."""
    alts = "|".join(re.escape(n) for n in sorted(needles, key=len, reverse=True))
    return re.compile(rf"\w*(?:{alts})\w*" if whole else alts)


def _clip(text: str, spans: list[tuple[int, int]]) -> str:
    """The page's start, cut after SNIPPET_CHARS (never inside a word, date, amount or case number)."""
    hi = _word_end(text, _outside(min(len(text), SNIPPET_CHARS), spans, True))
    out = " ".join(text[:hi].split())
    return out + (" …" if len(text) > hi else "")


def _word_start(text: str, pos: int) -> int:
    while 0 < pos < len(text) and text[pos - 1].isalnum() and text[pos].isalnum():
        pos -= 1
    return pos


def _word_end(text: str, pos: int) -> int:
    while 0 < pos < len(text) and text[pos - 1].isalnum() and text[pos].isalnum():
        pos += 1
    return pos


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
