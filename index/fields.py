"""Text fields that index a page from one shared tokenisation.

A page's body goes into four fields (stemmed, exact with positions, compound parts,
word pairs). Whoosh would run each field's analyzer chain over the body separately,
token object by token object; these fields override `FieldType.index` (Whoosh's hook
for turning a value into postings) to split the body into lowercase words once and
derive each field's postings from that list with plain dicts. The analyzers stay in the
schema and describe the same analysis (query time and the tests use them), and
`tests/test_index_analysis.py` checks that both paths give identical postings.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator

from whoosh.fields import TEXT
from whoosh.system import pack_uint

from index.analysis import (
    STOPWORDS,
    WORD_RE,
    DecompoundFilter,
    WithPartsFilter,
    folded_term,
    pairs_analyzer,
    stem,
)

_last: list = [None, []]  # (the last body seen, its lowercase words): the four fields share it


def words_of(value: str) -> list[str]:
    """The body's words as the exact analyzer sees them: \\w+ runs, lowercased."""
    if value is not _last[0]:
        _last[0] = value
        _last[1] = [w.lower() for w in WORD_RE.findall(value)]
    return _last[1]


def part_terms(words: list[str], decompound: DecompoundFilter) -> Counter:
    """The `parts` field's terms of a page's words: each compound's stemmed parts (not the
    word itself). The OpenSearch backend sends the same terms (index/opensearch/schema.py)."""
    parts = decompound.parts
    return Counter(stem(p) for w in words for p in parts(w))


def folded_terms(words: list[str], decompound: DecompoundFilter) -> Counter:
    """The `folded` field's terms: `folded_term`s of words and their compound parts, where
    they differ from the stem (the same terms OpenSearch is sent)."""
    parts = decompound.parts
    counts: Counter = Counter()
    for w in words:
        if w in STOPWORDS:
            continue
        for form in (w, *parts(w)):
            f = folded_term(form)
            if f != stem(form):
                counts[f] += 1
    return counts


def _encode(counts: Counter, boost: float) -> Iterator[tuple[bytes, int, float, bytes]]:
    for w, freq in counts.items():
        yield w.encode("utf-8"), freq, freq * boost, pack_uint(freq)


class StemmedText(TEXT):
    """The `text` field: stop words dropped, Snowball stems (as `text_analyzer`)."""

    def index(self, value, **kwargs):
        if not isinstance(value, str):
            return super().index(value, **kwargs)
        counts = Counter(stem(w) for w in words_of(value) if w not in STOPWORDS)
        return _encode(counts, self.format.field_boost)


class ExactText(TEXT):
    """The `exact` field: every word unstemmed, with positions (as `exact_analyzer`)."""

    def index(self, value, **kwargs):
        if not isinstance(value, str):
            return super().index(value, **kwargs)
        fmt = self.format
        poses: dict[str, list[int]] = {}
        for i, w in enumerate(words_of(value)):
            p = poses.get(w)
            if p is None:
                poses[w] = [i]
            else:
                p.append(i)
        fb = fmt.field_boost
        encode = fmt.encode
        return ((w.encode("utf-8"), len(p), len(p) * fb, encode(p)) for w, p in poses.items())


class PartsText(TEXT):
    """The `parts` field: compound words replaced by their stemmed parts (as `parts_analyzer`)."""

    def _decompound(self) -> DecompoundFilter:
        for item in getattr(self.analyzer, "items", []):
            if isinstance(item, DecompoundFilter):
                return item
        raise TypeError("parts field without a DecompoundFilter")

    def index(self, value, **kwargs):
        if not isinstance(value, str):
            return super().index(value, **kwargs)
        return _encode(part_terms(words_of(value), self._decompound()), self.format.field_boost)


class PairsText(TEXT):
    """The `pairs` field: two adjacent common words as one term "a b", so a two-word phrase
    of common words is one posting list instead of two intersected and checked position
    by position (as `pairs_analyzer`)."""

    def __init__(self, common: frozenset[str], **kwargs):
        super().__init__(analyzer=pairs_analyzer(common), phrase=False, **kwargs)
        self.common = frozenset(common)

    def index(self, value, **kwargs):
        if not isinstance(value, str):
            return super().index(value, **kwargs)
        words = words_of(value)
        common = self.common
        counts = Counter(a + " " + b for a, b in zip(words, words[1:], strict=False) if a in common and b in common)
        return _encode(counts, self.format.field_boost)



class FoldedText(TEXT):
    """The `folded` field: `folded_term`s of words and compound parts where they differ from
    the stem (as `folded_analyzer`)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Pickled with the schema: an index whose folded field lacks it stemmed before
        # folding, and is rebuilt by the next update (index.writer._outdated).
        self.folds_first = True

    def _decompound(self) -> DecompoundFilter:
        for item in getattr(self.analyzer, "items", []):
            if isinstance(item, WithPartsFilter):
                return item.decompound
        raise TypeError("folded field without a WithPartsFilter")

    def index(self, value, **kwargs):
        if not isinstance(value, str):
            return super().index(value, **kwargs)
        return _encode(folded_terms(words_of(value), self._decompound()), self.format.field_boost)
