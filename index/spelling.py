"""What search asks of the index's own words: close spellings, words that contain a word, inflections.

A query word is corrected when it matches nothing, or matches far fewer pages than a close
spelling would (FAR_FEWER times fewer, and at most RARE pages). Close means an edit distance
(letters inserted, dropped, changed or two neighbours swapped, after Scandinavian folding) of
1 for words of 5 to 8 letters and 2 for longer ones; shorter words are never corrected. The
candidates are the words the index holds (the `exact` field: every word of every page, so
names of places and projects count), by how many pages have them; a candidate that is only
another inflection of the word typed (the same stem) is no correction. A word the index knows
as a word is taken as meant however rare: it is in the compound lexicon, a compound part of
a page, or a party's name.

A word that matches nothing may still stand inside the compounds of the archive ("alarm" in
"trygghetsalarmen", "celler" in "solceller") where the compound lexicon could not split them:
`containing` finds those words first (at the start or the end of a word, by stems), and only
failing them is a close spelling searched.

The distances are rapidfuzz's (measured against symspellpy and Whoosh's own `terms_within` in
bench/spelling.py, docs/benchmarks.md "Spelling"): a C scan of the words of similar length,
no index of its own to build, so a new `hparkiv search` pays only for reading the words once
(per index generation, when a query first needs them).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import TYPE_CHECKING

from index.analysis import STOPWORDS, folded_term, scandinavian_fold, stem

if TYPE_CHECKING:
    from whoosh.searching import Searcher

MIN_LENGTH = 5
RARE = 3  # a word on more pages than this is taken as meant
FAR_FEWER = 20  # ... and below it, corrected only when a close spelling is on this many times more pages
MAX_CONTAINING = 20  # words that contain a word, the most frequent first
MIN_REST = 2  # what a compound adds to the word ("bo" + "fellesskap")
# Endings of Norwegian nouns and adjectives, for the inflections the stemmer leaves apart.
INFLECTIONS = ("n", "r", "t", "a", "e", "en", "er", "et", "ene", "ens", "ets", "es", "s")


def max_distance(word: str) -> int:
    """The edit distance a correction may be from `word`: 0 (never) under 5 letters, 1 up to 8, else 2."""
    n = len(word)
    return 0 if n < MIN_LENGTH else 1 if n <= 8 else 2


def correctable(word: str) -> bool:
    return max_distance(word) > 0 and word.isalpha() and word not in STOPWORDS


@dataclass(frozen=True)
class Correction:
    """A word searched for one typed: `pages` have it, `typed_pages` have the word typed."""

    typed: str
    word: str
    distance: int
    pages: int
    typed_pages: int


class Vocabulary:
    """The words of an index with their page counts, folded and grouped by length for the scan."""

    def __init__(self, words: dict[str, int]) -> None:
        by_fold: dict[str, tuple[str, int]] = {}
        for w, n in words.items():
            f = scandinavian_fold(w)
            if f not in by_fold or n > by_fold[f][1]:
                by_fold[f] = (w, n)
        self.by_length: dict[int, tuple[list[str], list[str], list[int]]] = {}
        for f, (w, n) in by_fold.items():
            folded, originals, pages = self.by_length.setdefault(len(f), ([], [], []))
            folded.append(f)
            originals.append(w)
            pages.append(n)
        self.size = len(by_fold)
        self.words = words
        self._stems: list[tuple[str, str, int]] | None = None

    def stems(self) -> list[tuple[str, str, int]]:
        """(stem, word, pages) of every word, stemmed once (when first needed)."""
        if self._stems is None:
            self._stems = [(stem(w), w, n) for w, n in self.words.items()]
        return self._stems

    def containing(self, word: str) -> list[tuple[str, int]]:
        """(word, pages) of the words whose stem starts or ends with `word`'s stem and adds at least
        MIN_REST letters to it: the compounds that hold it."""
        s = stem(word)
        got: dict[str, tuple[str, int]] = {}
        for vs, w, n in self.stems():
            if len(vs) >= len(s) + MIN_REST and (vs.startswith(s) or vs.endswith(s)):
                if vs not in got or n > got[vs][1]:
                    got[vs] = (w, n)
        return sorted(got.values(), key=lambda wn: (-wn[1], wn[0]))[:MAX_CONTAINING]

    def close(self, word: str, distance: int) -> list[tuple[str, int, int]]:
        """(word, distance, pages) of every vocabulary word within `distance` of `word`, folded."""
        from rapidfuzz import process
        from rapidfuzz.distance import OSA

        f = scandinavian_fold(word)
        out = []
        for n in range(len(f) - distance, len(f) + distance + 1):
            bucket = self.by_length.get(n)
            if not bucket:
                continue
            folded, originals, pages = bucket
            for _choice, d, i in process.extract(f, folded, scorer=OSA.distance, score_cutoff=distance, limit=None):
                out.append((originals[i], int(d), pages[i]))
        return out


def likely_forms(word: str) -> list[str]:
    """The word, and its stem with the endings of INFLECTIONS (a final consonant doubled too):
    the forms a page may print it in ("sykehjemsplassar" -> "sykehjemsplasser", …)."""
    s = stem(word)
    bases = [s] + ([s + s[-1]] if s and s[-1] not in "aeiouyæøå" else [])
    endings = (*INFLECTIONS, "ar", "ane", "ene", "ers", "ets")
    return list(dict.fromkeys([word, *(word + e for e in endings), *bases, *(b + e for b in bases for e in endings)]))


def index_vocabulary(searcher: Searcher) -> Vocabulary:
    """The `exact` field's words (letters only, 4 or more, no stop words) and their page counts."""
    words: dict[str, int] = {}
    reader = searcher.reader()
    for btext, info in reader.iter_field("exact"):
        w = btext.decode("utf-8") if isinstance(btext, bytes) else btext
        if len(w) >= MIN_LENGTH - 1 and w.isalpha() and w not in STOPWORDS:
            words[w] = words.get(w, 0) + info.doc_frequency()
    return Vocabulary(words)


class IndexSpelling:
    """What the query parser asks of an index's words: pages of a word, corrections, compounds, forms.

    The vocabulary is read once per index generation and shared by the threads (`lock`)."""

    def __init__(self, searcher: Searcher, shared: dict, lexicon: frozenset[str] = frozenset()) -> None:
        self.searcher = searcher
        self.shared = shared  # the generation's cache: {"vocabulary": Vocabulary, "corrections": {...}}
        self.lock = shared.setdefault("lock", threading.Lock())
        self.lexicon = lexicon  # the index's compound lexicon: words it knows as words

    def pages(self, word: str) -> int:
        """Pages where the word, its stem, a compound part or its folded form occurs (an upper bound)."""
        reader = self.searcher.reader()
        s = stem(word)
        return (reader.doc_frequency("text", s) + reader.doc_frequency("parts", s)
                + reader.doc_frequency("folded", folded_term(word)))

    def holds(self, fieldname: str, text: str) -> bool:
        """Whether any page has the term."""
        return self.searcher.reader().doc_frequency(fieldname, text) > 0

    def known(self, word: str) -> bool:
        """A word of the compound lexicon, or a compound part of some page: meant as typed."""
        return word in self.lexicon or self.searcher.reader().doc_frequency("parts", stem(word)) > 0

    def forms(self, word: str) -> list[str]:
        """The forms of `word`'s stem that the index holds, the commonest first ("langsiktige",
        "langsiktig"): each likely form looked up (no vocabulary read)."""
        own = stem(word)
        reader = self.searcher.reader()
        found = [(reader.doc_frequency("exact", f), f) for f in likely_forms(word) if stem(f) == own]
        return [f for n, f in sorted(found, key=lambda nf: (-nf[0], nf[1])) if n > 0]

    def missed_stems(self, word: str) -> list[str]:
        """Stems of the word's other inflections that the index holds and the stemmer does not join
        to it: Snowball takes "-ane" off "kunstgressbane" (a Nynorsk plural ending), so
        "kunstgressbanen" and "kunstgressbane" get stems of their own. Checked against the
        index's words one by one (no vocabulary read)."""
        if len(word) < 5 or not word.isalpha() or word in STOPWORDS:
            return []
        cache = self.shared.setdefault("missed", {})  # per generation: a word asked again costs nothing
        got = cache.get(word)
        if got is None:
            got = self._missed_stems(word)
            with self.lock:
                if len(cache) > 50_000:
                    cache.clear()
                cache[word] = got
        return got

    def _missed_stems(self, word: str) -> list[str]:
        own = stem(word)
        forms = {word[: -len(e)] for e in INFLECTIONS if word.endswith(e) and len(word) - len(e) >= 4}
        forms |= {word + e for e in INFLECTIONS}
        reader = self.searcher.reader()
        return sorted({stem(f) for f in forms if stem(f) != own and reader.doc_frequency("exact", f) > 0})

    def containing(self, word: str) -> list[tuple[str, int]]:
        """The archive's compounds that hold `word`, when it matches nothing itself (else [])."""
        if len(word) < 4 or not word.isalpha() or word in STOPWORDS or self.pages(word):
            return []
        return self.vocabulary().containing(word)

    def vocabulary(self) -> Vocabulary:
        with self.lock:
            v = self.shared.get("vocabulary")
            if v is None:
                v = self.shared["vocabulary"] = index_vocabulary(self.searcher)
            return v

    def correct(self, word: str) -> Correction | None:
        """The spelling to search beside `word` (lowercase), or None when the word is taken as meant."""
        if not correctable(word):
            return None
        cache = self.shared.setdefault("corrections", {})
        if word in cache:
            return cache[word]
        got = None
        typed = self.pages(word)
        if typed <= RARE and not (typed and self.known(word)):
            got = best_correction(word, typed, self.vocabulary().close(word, max_distance(word)))
        with self.lock:
            if len(cache) > 10_000:
                cache.clear()
            cache[word] = got
        return got


def best_correction(word: str, typed_pages: int, candidates: list[tuple[str, int, int]]) -> Correction | None:
    """The closest candidate, the most pages among equally close ones; None when the word typed is on
    enough pages next to it (or the candidates are only its own inflections)."""
    own = stem(word)
    ranked = sorted((d, -n, w) for w, d, n in candidates if w != word and stem(w) != own and n > 0)
    if not ranked:
        return None
    d, neg_pages, w = ranked[0]
    if typed_pages and -neg_pages < FAR_FEWER * typed_pages:
        return None
    return Correction(word, w, d, -neg_pages, typed_pages)
