"""Norwegian text analysis: stemming, exact tokens, compound splitting and joined amounts.

Norwegian writes compounds as one word ("sykehjemsplasser"), so a stemmer alone never
lets `sykehjem` find it. We split compounds against a lexicon of known words and index
the parts in their own field, which the query side searches with a lower boost: pages
with the exact word still rank first.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Iterator
from functools import lru_cache
from importlib import resources

from whoosh.analysis import Filter, LowercaseFilter, RegexTokenizer, StemFilter, StopFilter
from whoosh.lang import stemmer_for_language, stopwords_for_language

# Words are \w runs, except that digits followed by letters end there: a vote list's
# "2Ap" or "3FrP" (two members of Ap) is the count and the party, so `Ap` finds it.
WORD_PATTERN = r"\d+(?=[^\W\d_])|\w+"
WORD_RE = re.compile(WORD_PATTERN)
STOPWORDS = frozenset(stopwords_for_language("no"))
_stem = stemmer_for_language("no")

# Compound splitting bounds: short parts ("tak", "ved") make false splits.
MIN_PART = 4
MIN_COMPOUND = 8
LINKERS = ("s", "e")

# "1 234 567" (thin or normal spaces as thousands separators) -> "1234567".
AMOUNT_RE = re.compile(r"(?<![\d,.])\d{1,3}(?:[ \u00a0\u202f]\d{3})+(?![\d])")


_VOWELS = set("aeiouyæøå")


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """The Snowball stem, with a final double consonant made single.

    Snowball leaves "programmet" as "programm" but "program" as "program"; folding the
    double consonant on both the index and the query side lets them meet.
    """
    s = _stem(word)
    if len(s) >= 4 and s[-1] == s[-2] and s[-1] not in _VOWELS and s[-1].isalpha():
        s = s[:-1]
    return s


def stem_token(word: str) -> str:
    """`stem` as a plain function Whoosh can pickle with the schema."""
    return stem(word)


def text_analyzer():
    """The main field: Norwegian stop words and Snowball stemming (as LanguageAnalyzer("no"))."""
    return (
        RegexTokenizer(WORD_PATTERN)
        | LowercaseFilter()
        | StopFilter(stoplist=STOPWORDS, minsize=1)
        | StemFilter(stemfn=stem_token, cachesize=None)
    )


def exact_analyzer():
    """The unstemmed field for quoted phrases and prefixes: lowercase only, stop words kept."""
    return RegexTokenizer(WORD_PATTERN) | LowercaseFilter()


def parts_analyzer(lexicon: frozenset[str], decompound: DecompoundFilter | None = None):
    """The compound-parts field: index-time splitting, stemmed like the main field."""
    return (
        RegexTokenizer(WORD_PATTERN)
        | LowercaseFilter()
        | (decompound or DecompoundFilter(lexicon))
        | StemFilter(stemfn=stem_token, cachesize=None)
    )


def pairs_analyzer(common: frozenset[str]):
    """The word-pair field: two adjacent exact words, both common, as one term "a b"."""
    return RegexTokenizer(WORD_PATTERN) | LowercaseFilter() | PairFilter(common)


class PairFilter(Filter):
    """Turns a token stream into its adjacent pairs of common words ("mill kroner").

    Only pairs of the corpus's most frequent words are worth a term of their own: a
    phrase with a rarer word is cheap to check by positions, since that word's own
    posting list is short. The set is pickled with the schema, like the lexicon.
    """

    def __init__(self, common: frozenset[str]):
        self.common = frozenset(common)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, PairFilter) and other.common == self.common

    def __hash__(self) -> int:
        return hash(len(self.common))

    def __call__(self, tokens: Iterator) -> Iterator:
        common = self.common
        prev = None
        for t in tokens:
            text = t.text
            if prev is not None and prev in common and text in common:
                t.text = prev + " " + text
                yield t
            prev = text


class DecompoundFilter(Filter):
    """Replaces each compound word by its parts (index time); passes words through at query time.

    The lexicon is pickled with the schema in the index's TOC, so an index keeps splitting
    the same way until it is rebuilt with a new lexicon.
    """

    def __init__(self, lexicon: frozenset[str]):
        self.lexicon = frozenset(lexicon)
        self._stems: frozenset[str] | None = None
        self._cache: dict[str, tuple[str, ...]] = {}

    def __getstate__(self) -> dict:
        return {"lexicon": self.lexicon}

    def __setstate__(self, state: dict) -> None:
        self.lexicon = state["lexicon"]
        self._stems = None
        self._cache = {}

    def __eq__(self, other: object) -> bool:
        return isinstance(other, DecompoundFilter) and other.lexicon == self.lexicon

    def __hash__(self) -> int:
        return hash(len(self.lexicon))

    def parts(self, word: str) -> tuple[str, ...]:
        cached = self._cache.get(word)
        if cached is None:
            if self._stems is None:
                self._stems = frozenset(stem(w) for w in self.lexicon)
            cached = tuple(split_compound(word, self.lexicon, self._stems))
            if len(self._cache) > 500_000:
                self._cache.clear()
            self._cache[word] = cached
        return cached

    def __call__(self, tokens: Iterator) -> Iterator:
        for t in tokens:
            if t.mode == "query":
                yield t
                continue
            for part in self.parts(t.text):
                t.text = part
                yield t


def split_compound(word: str, lexicon: frozenset[str], stems: frozenset[str]) -> list[str]:
    """All parts of a compound (nested parts too), or [] if the word is not one.

    Non-final parts must be lexicon words, optionally followed by a linking -s- or -e-;
    the final part may be inflected (its stem must be a lexicon word's stem). Among the
    valid splits the one with the fewest parts wins, so "barnehageplassene" gives
    "barnehage" + "plassene", and then "barnehage" is split again into "barn" + "hage".
    """
    if len(word) < MIN_COMPOUND or not word.isalpha():
        return []
    top = _best_split(word, lexicon, stems)
    if not top:
        return []
    out: list[str] = []
    for part in top:
        out.append(part)
        out.extend(split_compound(part, lexicon, stems))
    return out


def _best_split(word: str, lexicon: frozenset[str], stems: frozenset[str]) -> list[str]:
    n = len(word)
    # best[i]: fewest lexicon parts covering word[:i] (a linker may follow a part).
    best: list[list[str] | None] = [None] * (n + 1)
    best[0] = []
    for i in range(MIN_PART, n + 1):
        cands: list[list[str]] = []
        for k in range(0, i - MIN_PART + 1):
            prev = best[k]
            if prev is None:
                continue
            piece = word[k:i]
            if piece in lexicon:
                cands.append([*prev, piece])
            elif piece[-1] in LINKERS and piece[:-1] in lexicon and len(piece) - 1 >= MIN_PART:
                cands.append([*prev, piece[:-1]])
        if cands:
            best[i] = min(cands, key=lambda c: (len(c), [-len(p) for p in c]))
    choice: list[str] | None = None
    for j in range(MIN_PART, n - MIN_PART + 1):
        head = best[j]
        if not head:
            continue
        tail = word[j:]
        if _is_word_form(tail, lexicon, stems):
            cand = [*head, tail]
            if choice is None or (len(cand), [-len(p) for p in cand]) < (len(choice), [-len(p) for p in choice]):
                choice = cand
    return choice or []


# Inflection endings the stemmer leaves on some compound tails ("programmet", "senteret").
SUFFIXES = ("enes", "ene", "ens", "ets", "er", "et", "en", "es", "a", "e", "s")


def _is_word_form(tail: str, lexicon: frozenset[str], stems: frozenset[str]) -> bool:
    """Whether a compound's final part is a lexicon word, possibly inflected."""
    if tail in lexicon or stem(tail) in stems:
        return True
    for suffix in SUFFIXES:
        base = tail[: -len(suffix)]
        if len(base) >= MIN_PART and tail.endswith(suffix):
            if base in lexicon or (base[-1] == base[-2] and base[:-1] in lexicon):
                return True
    return False


# --- Scandinavian folding ------------------------------------------------------------------

_FOLD_RE = re.compile(r"[åäæøö]|a[aeo]|o[eo]")
_FOLD_LETTERS = {"å": "a", "ä": "a", "æ": "a", "ø": "o", "ö": "o"}


def scandinavian_fold(word: str) -> str:
    """Scandinavian folding, as Lucene's (and so OpenSearch's) `scandinavian_folding`, in one
    pass from the left: å, ä, æ -> a and ø, ö -> o; a plain "a" followed by a, e or o, and a
    plain "o" followed by e or o, lose the second letter. So "Bærum" and "baerum" both fold
    to "barum", "økonomi" and "okonomi" to "okonomi", "Åsen" and "Aasen" to "asen"; "åe"
    stays "ae" (only plain letters pair)."""
    return _FOLD_RE.sub(lambda m: _FOLD_LETTERS.get(m.group(0)) or m.group(0)[0], word.lower())


@lru_cache(maxsize=200_000)
def folded_term(word: str) -> str:
    """The `folded` field's term of a (lowercase) word: the stem of its folded form.

    Folding comes first: the stemmer's region starts after the first vowel-consonant pair,
    so "aasen" (two vowels) stems to "aas" where "åsen" stays "åsen"; folded first, both are
    "asen" and meet. OpenSearch's folded field does the same (index/opensearch/schema.py).
    """
    return stem(scandinavian_fold(word))


def folded_analyzer(decompound: DecompoundFilter):
    """The folded field: the folded terms of words and compound parts where they differ from
    the stem (what folding leaves alone is found through the stemmed and parts fields
    under the same term). `decompound` is shared with the parts field (one split cache)."""
    return (
        RegexTokenizer(WORD_PATTERN)
        | LowercaseFilter()
        | StopFilter(stoplist=STOPWORDS, minsize=1)
        | WithPartsFilter(decompound)
        | FoldedStemFilter()
    )


class WithPartsFilter(Filter):
    """Each word, then its compound parts (if it is a compound)."""

    def __init__(self, decompound: DecompoundFilter):
        self.decompound = decompound

    def __eq__(self, other: object) -> bool:
        return isinstance(other, WithPartsFilter) and other.decompound == self.decompound

    def __hash__(self) -> int:
        return hash(self.decompound)

    def __call__(self, tokens: Iterator) -> Iterator:
        for t in tokens:
            word = t.text
            yield t
            for part in self.decompound.parts(word):
                t.text = part
                yield t


class FoldedStemFilter(Filter):
    """Each word's `folded_term`, kept only where it differs from the word's stem."""

    def __eq__(self, other: object) -> bool:
        return isinstance(other, FoldedStemFilter)

    def __hash__(self) -> int:
        return hash("FoldedStemFilter")

    def __call__(self, tokens: Iterator) -> Iterator:
        for t in tokens:
            f = folded_term(t.text)
            if f != stem(t.text):
                t.text = f
                yield t


class FoldFilter(Filter):
    """Keeps only the tokens that folding changes, folded. (The folded field of indexes built
    before folding came first; kept so that their schema unpickles and they are rebuilt.)"""

    def __eq__(self, other: object) -> bool:
        return isinstance(other, FoldFilter)

    def __hash__(self) -> int:
        return hash("FoldFilter")

    def __call__(self, tokens: Iterator) -> Iterator:
        for t in tokens:
            f = scandinavian_fold(t.text)
            if f != t.text:
                t.text = f
                yield t


# --- case numbers --------------------------------------------------------------------------

# Case numbers "152/20" (case 152 of 2020) and archive case numbers "20/13890", also
# "087/20" or "2020/13890": one pattern, normalised so the ways of writing one number meet.
CASE_PATTERN = r"(?<![\w/])\d{1,4} ?/ ?\d{2,6}(?![\w/])"
CASE_RE = re.compile(CASE_PATTERN)


def case_number(text: str) -> str | None:
    """"087/20" -> "87/20", "2020/13890" -> "20/13890"; None if `text` is no case number."""
    m = CASE_RE.fullmatch(text.strip())
    if not m:
        return None
    parts = []
    for p in m.group(0).replace(" ", "").split("/"):
        n = int(p)
        if len(p) == 4 and 1990 <= n <= 2049:
            n %= 100  # a four-digit year is written with two digits in case numbers
        parts.append(str(n))
    return "/".join(parts)


def refs_analyzer():
    """The `refs` field: case numbers in the page, normalised by `case_number`."""
    return RegexTokenizer(CASE_PATTERN) | CaseNumberFilter()


class CaseNumberFilter(Filter):
    def __eq__(self, other: object) -> bool:
        return isinstance(other, CaseNumberFilter)

    def __hash__(self) -> int:
        return hash("CaseNumberFilter")

    def __call__(self, tokens: Iterator) -> Iterator:
        for t in tokens:
            n = case_number(t.text)
            if n:
                t.text = n
                yield t


def joined_amounts(text: str) -> list[str]:
    """Amounts written with spaces as thousands separators, joined: "1 234 567" -> "1234567"."""
    return [re.sub(r"\D", "", m.group(0)) for m in AMOUNT_RE.finditer(text)]


# --- the lexicon ---------------------------------------------------------------------------


def shipped_words() -> frozenset[str]:
    """The base word list shipped with the package (budget and municipal vocabulary)."""
    text = resources.files("index").joinpath("words.txt").read_text(encoding="utf-8")
    return frozenset(
        w.strip().lower() for w in text.splitlines() if w.strip() and not w.lstrip().startswith("#")
    )


# Words whose adjacent pairs get a term of their own in the `pairs` field (most frequent first).
PAIR_WORDS = 500


def corpus_stats(texts: Iterable[str]) -> tuple[frozenset[str], frozenset[str]]:
    """One pass over the corpus: (the lexicon: the shipped words and the corpus's own standalone words
    (seen 3 times or more), minus stop words; the PAIR_WORDS commonest words)."""
    counts: Counter[str] = Counter()
    for text in texts:
        counts.update(WORD_RE.findall(text.lower()))
    ranked = counts.most_common()
    common = frozenset(w for w, _c in ranked[:PAIR_WORDS])
    standalone = [w for w, c in ranked if len(w) >= MIN_PART and c >= 3 and w.isalpha() and w not in STOPWORDS]
    words = set(shipped_words()) | set(standalone[:40_000])
    return frozenset(w for w in words if len(w) >= MIN_PART and w not in STOPWORDS), common
