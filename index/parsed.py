"""What a parsed query is (index/query.py's answer): the tree each backend translates, what a
snippet marks, what was searched beside the words as typed, and the committees a query named.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from catalog.models import Filters
from index.tree import MULTI_VALUED, Node, Term, either

TITLE_BOOST = 1.0  # a query word in the document's title, added to each matching page's score


@dataclass
class Highlight:
    """What a snippet marks: stems of words, exact words of phrases, prefixes."""

    stems: set[str] = field(default_factory=set)
    words: set[str] = field(default_factory=set)
    prefixes: set[str] = field(default_factory=set)
    folded: set[str] = field(default_factory=set)  # `folded_term`s: "barum" marks "Bærum"
    amounts: set[str] = field(default_factory=set)  # `amounts` terms: "2446,3" marks "2 446,3"


@dataclass(frozen=True)
class Expansion:
    """What a query searched beside a word or name as typed: `kind` (typo, amount, abbreviation,
    nynorsk, synonym), the text typed and the alternatives searched (as words, or amount terms)."""

    kind: str
    typed: str
    alternatives: tuple[str, ...]
    typed_pages: int | None = None  # a close spelling's: pages with the word typed (0: it matches nothing)


@dataclass(frozen=True)
class Suggestion:
    """A committee named in the query (its abbreviation or name): the front ends offer its filter
    ("Bare dokumenter fra HBO?"). `rest`: the query without the name, to search within it."""

    committee: str  # slug
    typed: str
    rest: str


@dataclass
class ParsedQuery:
    query: Node  # the tree (index/tree.py) each backend translates
    highlight: Highlight
    prefixes: list[str]  # to bound their expansion against the index
    # Top-level `field:value` clauses, as filters: {"year": (lo, hi), "committee": slugs, "doctype": slugs}.
    filters: dict[str, tuple] = field(default_factory=dict)
    expansions: list[Expansion] = field(default_factory=list)
    suggestions: list[Suggestion] = field(default_factory=list)
    # The query as typed, without expansions (None when there are none): its pages rank first.
    exact: Node | None = None

    def with_filters(self, filters: Filters) -> Filters | None:
        """The flags' filters narrowed by the query's own fields; None when they exclude each other."""
        return merge_filters(filters, self.filters)

    def title_query(self) -> Node | None:
        """The query's words in the document titles: ranks a page higher, never matches one."""
        terms: list[Node] = [Term("titles", s, boost=TITLE_BOOST) for s in sorted(self.highlight.stems)]
        return either(terms) if terms else None


def merge_filters(filters: Filters, extra: dict[str, tuple]) -> Filters | None:
    """`filters` AND the query's field filters (year ranges intersect, slug sets intersect)."""
    out = replace(filters)
    if "year" in extra:
        lo, hi = extra["year"]
        if out.year_from is not None:
            lo = max(lo, out.year_from)
        if out.year_to is not None:
            hi = min(hi, out.year_to)
        if lo > hi:
            return None
        out.year_from, out.year_to = lo, hi
    for name in MULTI_VALUED:
        if name in extra:
            wanted = tuple(extra[name])
            have = filters.values(name)
            if have:
                wanted = tuple(v for v in wanted if v in have)
                if not wanted:
                    return None
            setattr(out, name, wanted[0] if len(wanted) == 1 else wanted)
    return out
