"""The query tree: what a query means, built once by index/query.py and spelled by each backend.

    And((Or((Term("text", "sykehjem", 2.0), Term("parts", "sykehjem"), ...)), Not(Term("exact", "kultur"))))

Nodes are small frozen dataclasses over the index's logical fields (index/schema.py: `text`,
`exact`, `parts`, `folded`, `refs`, `pairs`, `titles`, `amounts`; `year`, `committee`, `doctype`, `date`,
`tables`, `sha256`, `kommune`). The parser decides every term (stems, exact words, compound
parts, folding, party names, case numbers); a backend only translates the tree into its own
queries, term for term, and never analyses a word again: Whoosh's in index/whoosh_tree.py,
OpenSearch's in index/opensearch/translate.py.

An expansion (issue 18: typos, amounts, abbreviations, nynorsk, synonyms, compounds) is a node
of its own, `Expansion`: the query as typed, or the alternatives the expansion found, at their
kind's weight (index/expansions.py EXPANSION_WEIGHTS). A word expanded in several kinds is nested,
one Expansion per kind around the form typed; both engines add the scores of an "either", so
that scores as one either of them all. Both backends translate it as "either", so an expansion
added to the parser reaches every backend with no backend code; pages that match the query
with every expansion left out (`ParsedQuery.exact`) rank first on both.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Union

from catalog.models import Filters


@dataclass(frozen=True)
class Term:
    """One term of a field, as stored (stemmed, folded, normalised: the parser's job)."""

    field: str
    text: Any
    boost: float = 1.0


@dataclass(frozen=True)
class Phrase:
    """Exact words, adjacent and in order (positions of the `exact` field)."""

    field: str
    words: tuple[str, ...]
    boost: float = 1.0


@dataclass(frozen=True)
class Prefix:
    """Every term of the field that starts with `text` (scored as one constant, as both engines do)."""

    field: str
    text: str


@dataclass(frozen=True)
class Range:
    """Values from `lo` to `hi`, both included (None: open); numbers for `year`, ISO strings for `date`."""

    field: str
    lo: Any = None
    hi: Any = None


@dataclass(frozen=True)
class Exists:
    """Pages that have any value in the field (`date`: the dated ones)."""

    field: str


@dataclass(frozen=True)
class And:
    children: tuple[Node, ...]
    boost: float = 1.0


@dataclass(frozen=True)
class Or:
    children: tuple[Node, ...]
    boost: float = 1.0


@dataclass(frozen=True)
class Not:
    child: Node


@dataclass(frozen=True)
class Constant:
    """Matches as `child` does and scores nothing: a field clause (`year:2021`) or a filter.
    `spec` is the filter it stands for at the top of a query, ("year", (lo, hi)) or (name, values)."""

    child: Node
    spec: tuple[str, tuple] | None = field(default=None, compare=False)


@dataclass(frozen=True)
class Expansion:
    """The query as typed, or alternatives an expansion found (`kind`: "typo", "synonym",
    "abbreviation", "nynorsk", "amount", ...), each alternative's score times `boost`."""

    kind: str
    typed: Node
    alternatives: tuple[Node, ...]
    boost: float = 1.0


Node = Union[Term, Phrase, Prefix, Range, Exists, And, Or, Not, Constant, Expansion]  # noqa: UP007

NUMERIC_FIELDS = frozenset({"year"})  # ranges compare numbers; other ranges compare strings (dates)


def either(children: list[Node]) -> Node:
    """One node, or an Or of several."""
    return children[0] if len(children) == 1 else Or(tuple(children))


def both(children: list[Node]) -> Node:
    """One node, or an And of several."""
    return children[0] if len(children) == 1 else And(tuple(children))


def has_positive(q: Node) -> bool:
    """Whether a page could match without matching only negations."""
    if isinstance(q, Not):
        return False
    if isinstance(q, And):
        return any(has_positive(c) for c in q.children)
    if isinstance(q, Or):
        return all(has_positive(c) for c in q.children)
    return True


def pair_phrases(q: Node, common: frozenset[str]) -> Node:
    """Phrases on the word-pair field (pairs of common words are indexed as one term).

    A two-word phrase of common words becomes that one term. Any other phrase keeps its
    position check, ANDed with its indexed pairs and its words, so the check runs only on
    pages that have all of them (few, since a word outside `common` is rarer).
    """
    if isinstance(q, Phrase) and q.field == "exact" and len(q.words) >= 2:
        words = q.words
        pairs: list[Node] = [Term("pairs", a + " " + b) for a, b in zip(words, words[1:], strict=False)
                             if a in common and b in common]
        if len(words) == 2 and pairs:
            return pairs[0]
        return And((*pairs, *(Term("exact", w) for w in dict.fromkeys(words)), q))
    if isinstance(q, (And, Or)):
        return type(q)(tuple(pair_phrases(c, common) for c in q.children), boost=q.boost)
    if isinstance(q, Not):
        return Not(pair_phrases(q.child, common))
    if isinstance(q, Constant):
        return Constant(pair_phrases(q.child, common), q.spec)
    if isinstance(q, Expansion):
        return Expansion(q.kind, pair_phrases(q.typed, common),
                         tuple(pair_phrases(a, common) for a in q.alternatives), q.boost)
    return q


def filter_node(filters: Filters) -> Node | None:
    """The catalog filters as a tree (superseded versions are left to each backend: a mask)."""
    parts: list[Node] = []
    if filters.year_from is not None or filters.year_to is not None:
        parts.append(Range("year", filters.year_from, filters.year_to))
    for name in MULTI_VALUED:
        values = filters.values(name) if hasattr(filters, name) else ()
        if values:
            parts.append(either([Term(name, v) for v in values]))
    if filters.date_from or filters.date_to:
        dated: Node = Range("date", filters.date_from, filters.date_to)
        if filters.undated:  # documents without a date are kept
            dated = Or((dated, Not(Exists("date"))))
        parts.append(dated)
    if filters.tables:
        parts.append(Term("tables", True))
    if not parts:
        return None
    return both(parts)


# Filters of several values, each an index field of its name.
MULTI_VALUED = ("committee", "doctype", "kommune")


def walk(q: Node):
    """Every node of the tree, parents before children."""
    yield q
    if isinstance(q, (And, Or)):
        for c in q.children:
            yield from walk(c)
    elif isinstance(q, (Not, Constant)):
        yield from walk(q.child)
    elif isinstance(q, Expansion):
        yield from walk(q.typed)
        for a in q.alternatives:
            yield from walk(a)
