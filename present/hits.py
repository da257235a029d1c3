"""Page hits as people read them: grouped by document, a repeated sentence shown once.

`index.search` returns pages best first. A reader wants the documents: each document once,
at the place of its best page, with its matching pages under it, and how many more pages of
it match beyond those shown ("+4 more pages"). A sentence several pages repeat (a running
head, a standard paragraph) is folded into one line with its page numbers.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from present.snippets import sentence


@dataclass
class SamePassage:
    """Pages of one document whose snippets say the same sentence: shown once."""

    hits: list[Any]

    @property
    def pages(self) -> list[int]:
        return sorted(h.page for h in self.hits)

    @property
    def snippet(self) -> str:
        """The shortest of the pages' snippets (the least around the shared sentence)."""
        return min((h.snippet for h in self.hits), key=len)

    @property
    def first(self) -> Any:
        return self.hits[0]


@dataclass
class DocumentHits:
    """One document's hits, in rank order, and how many more of its pages match."""

    hits: list[Any] = field(default_factory=list)
    more: int = 0

    @property
    def first(self) -> Any:
        return self.hits[0]

    def passages(self) -> list[SamePassage]:
        """The hits with each repeated sentence folded into one passage, in order of first appearance."""
        same: OrderedDict[str, list[Any]] = OrderedDict()
        for h in self.hits:
            same.setdefault(sentence(h.snippet), []).append(h)
        return [SamePassage(hits) for hits in same.values()]


def group_by_document(hits: Iterable[Any], doc_pages: Mapping[str, int] | None = None) -> list[DocumentHits]:
    """Hits (index.Hit) grouped by document version in order of first appearance.

    `doc_pages`: matching pages per version (sha256) over the whole match set
    (`SearchResult.doc_pages`), for "+N more pages"."""
    groups: OrderedDict[str, DocumentHits] = OrderedDict()
    for h in hits:
        groups.setdefault(h.sha256 or h.doc_id, DocumentHits()).hits.append(h)
    for key, g in groups.items():
        g.more = max(0, (doc_pages or {}).get(key, 0) - len(g.hits))
    return list(groups.values())
