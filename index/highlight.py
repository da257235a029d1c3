"""Which words of a page a query matched: the same stems, exact words, prefixes and compound
parts that the snippets mark, for front ends that draw their own highlights (the web's word
boxes over a page image).

    is_hit = word_matcher(data_dir, "sykehjem")
    is_hit("Sykehjemsplassene")   # True: a compound part's stem matches
"""

from __future__ import annotations

from collections.abc import Callable

from catalog.paths import DataDir
from index.query import parse
from index.searcher import open_index
from index.snippets import _is_match


def word_matcher(data_dir: DataDir, query: str) -> Callable[[str], bool]:
    """A predicate on single words; raises QueryError for a bad query, IndexMissing without an index."""
    ix = open_index(data_dir)
    hl = parse(query, spelling=ix.spelling()).highlight  # what search found: corrections and expansions too
    parts = ix.snippet_parts
    seen: dict[str, bool] = {}

    def is_hit(word: str) -> bool:
        got = seen.get(word)
        if got is None:
            got = seen[word] = _is_match(word, hl, parts)
        return got

    return is_hit
