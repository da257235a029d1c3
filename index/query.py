"""The query language, parsed by hand so every error is one clear line.

    barnehage budsjett        both words (stemmed; compound parts count too)
    "sykehjem plasser"        exact phrase (unstemmed)
    a OR b, NOT a, -a         alternatives and exclusion; AND is implied
    barneh*                   prefix (unstemmed)
    152/20, 20/13890          a case number or an archive case number ("087/20" too)
    year:2021 year:2019-2022 committee:HBO type:vedtak,protokoll kommune:asker,3207
    ( ... )                   grouping

A word searches the stemmed `text` field (boosted) or the `parts` field of compound
parts, so `sykehjem` finds "sykehjemsplasser" but pages with the word itself rank first;
and the `folded` field (Scandinavian folding, lowest boost), so "baerum" finds "Bærum".
Field values go through index/filters.py, as the flags do (same aliases, same errors).

The result is one query tree (index/tree.py) that every backend translates term for term
(Whoosh: index/whoosh_tree.py; OpenSearch: index/opensearch/translate.py), so a query means
the same on both.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from whoosh.analysis import LowercaseFilter, RegexTokenizer

from catalog.models import Filters
from index.analysis import STOPWORDS, WORD_PATTERN, case_number, folded_term, stem
from index.errors import QueryError
from index.filters import committee_slugs, doctype_slugs, kommune_numbers, vocabulary, year_range
from index.schema import QUERY_FIELDS
from index.tree import (
    MULTI_VALUED,
    And,
    Constant,
    Node,
    Not,
    Or,
    Phrase,
    Prefix,
    Range,
    Term,
    both,
    either,
    filter_node,
    has_positive,
    pair_phrases,
)

MAX_QUERY_CHARS = 1000
MAX_CLAUSES = 64
MIN_PREFIX = 2
MAX_PREFIX_TERMS = 2000
TEXT_BOOST = 2.0
PARTS_BOOST = 1.0
EXACT_BOOST = 1.0
TITLE_BOOST = 1.0  # a query word in the document's title, added to each matching page's score
FOLD_BOOST = 0.5  # a folded match ("baerum" for "Bærum") ranks below the form typed

_exact_tokens = RegexTokenizer(WORD_PATTERN) | LowercaseFilter()
_TOKEN_RE = re.compile(r'\s+|"[^"]*"?|\(|\)|[^\s()"]+')


@dataclass
class Highlight:
    """What a snippet marks: stems of words, exact words of phrases, prefixes."""

    stems: set[str] = field(default_factory=set)
    words: set[str] = field(default_factory=set)
    prefixes: set[str] = field(default_factory=set)
    folded: set[str] = field(default_factory=set)  # `folded_term`s: "barum" marks "Bærum"


@dataclass
class ParsedQuery:
    query: Node  # the tree (index/tree.py) each backend translates
    highlight: Highlight
    prefixes: list[str]  # to bound their expansion against the index
    # Top-level `field:value` clauses, as filters: {"year": (lo, hi), "committee": slugs, "doctype": slugs}.
    filters: dict[str, tuple] = field(default_factory=dict)

    def with_filters(self, filters: Filters) -> Filters | None:
        """The flags' filters narrowed by the query's own fields; None when they exclude each other."""
        return merge_filters(filters, self.filters)

    def title_query(self) -> Node | None:
        """The query's words in the document titles: ranks a page higher, never matches one."""
        terms: list[Node] = [Term("titles", s, boost=TITLE_BOOST) for s in sorted(self.highlight.stems)]
        return either(terms) if terms else None


def merge_filters(filters: Filters, extra: dict[str, tuple]) -> Filters | None:
    """`filters` AND the query's field filters (year ranges intersect, slug sets intersect)."""
    from dataclasses import replace

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


def parse(text: str) -> ParsedQuery:
    """Parse a user query into the query tree; raises QueryError with a one-line message."""
    if len(text) > MAX_QUERY_CHARS:
        raise QueryError("query too long ({n} characters, at most {most})", n=len(text), most=MAX_QUERY_CHARS)
    tokens = _lex(text)
    if not tokens:
        raise QueryError("empty query")
    parser = _Parser(tokens)
    q = parser.parse_or()
    if parser.pos < len(tokens):
        raise QueryError("unexpected {token!r}", token=tokens[parser.pos])
    if parser.clauses > MAX_CLAUSES:
        raise QueryError("query too complex ({n} clauses, at most {most})", n=parser.clauses, most=MAX_CLAUSES)
    q, filters = _top_level_fields(q)
    if not has_positive(q):
        raise QueryError("the query needs at least one word that is not negated")
    return ParsedQuery(q, parser.highlight, parser.prefixes, filters)


def _top_level_fields(q: Node) -> tuple[Node, dict[str, tuple]]:
    """Split the field clauses ANDed at the top of the query off as filters, so they act
    exactly as the flags do (they narrow the match set and never change a score).

    A query of fields only keeps them in the query (they then match, scoring nothing).
    """
    children = list(q.children) if isinstance(q, And) else [q]
    rest: list[Node] = []
    filters: dict[str, tuple] = {}
    for c in children:
        spec = c.spec if isinstance(c, Constant) else None
        if spec is None:
            rest.append(c)
            continue
        name, value = spec
        if name == "year" and "year" in filters:
            lo, hi = filters["year"]
            value = (max(lo, value[0]), min(hi, value[1]))
        elif name in filters:
            value = tuple(v for v in filters[name] if v in value)
        filters[name] = value
    if not rest or not filters:
        return q, {}
    return both(rest), filters


def _lex(text: str) -> list[str]:
    text = "".join(c if c.isprintable() else " " for c in text)
    tokens = []
    for m in _TOKEN_RE.finditer(text):
        tok = m.group(0)
        if tok.isspace():
            continue
        if tok.startswith('"') and (len(tok) == 1 or not tok.endswith('"')):
            raise QueryError('unbalanced quote: close the phrase with "')
        tokens.append(tok)
    return tokens


class _Parser:
    def __init__(self, tokens: list[str]) -> None:
        self.tokens = tokens
        self.pos = 0
        self.clauses = 0
        self.depth = 0
        self.highlight = Highlight()
        self.prefixes: list[str] = []
        self.negated = 0

    def peek(self) -> str | None:
        return self.tokens[self.pos] if self.pos < len(self.tokens) else None

    def parse_or(self) -> Node:
        parts = [self.parse_and()]
        while self.peek() == "OR":
            self.pos += 1
            if self.peek() in (None, ")", "OR"):
                raise QueryError("OR needs a word on both sides")
            parts.append(self.parse_and())
        return either(parts)

    def parse_and(self) -> Node:
        parts: list[Node] = []
        while (tok := self.peek()) not in (None, ")", "OR"):
            if tok == "AND":
                self.pos += 1
                if not parts or self.peek() in (None, ")", "OR", "AND"):
                    raise QueryError("AND needs a word on both sides")
                continue
            parts.append(self.parse_unary())
        if not parts:
            if self.peek():
                raise QueryError("expected a word before {token!r}", token=self.peek())
            raise QueryError("expected a word at the end")
        return both(parts)

    def parse_unary(self) -> Node:
        tok = self.peek()
        if tok == "NOT" or (tok is not None and tok.startswith("-") and len(tok) > 1 and tok != "-"):
            if tok == "NOT":
                self.pos += 1
                if self.peek() in (None, ")", "OR", "AND"):
                    raise QueryError("NOT needs a word after it")
            else:
                self.tokens[self.pos] = tok[1:]
            self.negated += 1
            inner = self.parse_unary()
            self.negated -= 1
            return Not(inner)
        return self.parse_primary()

    def parse_primary(self) -> Node:
        tok = self.peek()
        assert tok is not None
        self.pos += 1
        self.clauses += 1
        if tok == "(":
            self.depth += 1
            if self.depth > 10:
                raise QueryError("too many nested parentheses")
            inner = self.parse_or()
            if self.peek() != ")":
                raise QueryError("unbalanced parenthesis: missing )")
            self.pos += 1
            self.depth -= 1
            return inner
        if tok == ")":
            raise QueryError("unbalanced parenthesis: unexpected )")
        if tok.startswith('"'):
            return self.phrase(tok[1:-1])
        m = re.fullmatch(r"([A-Za-z]+):(.*)", tok)
        if m:
            value = m.group(2)
            nxt = self.peek()
            if not value and nxt is not None and nxt.startswith('"'):  # committee:"barn og unge"
                value = nxt[1:-1]
                self.pos += 1
            return self.field(m.group(1).lower(), value)
        number = case_number(tok)
        if number:
            return self.case(tok, number)
        return self.word(tok)

    def case(self, tok: str, number: str) -> Node:
        """A case number: its normalised form in `refs`, the digits as typed highlighted."""
        if not self.negated:
            for part in re.findall(r"\d+", tok):
                self.highlight.words.update({part, part.lstrip("0") or "0", part.zfill(3)})
        return Term("refs", number)

    def phrase(self, text: str) -> Node:
        words = [t.text for t in _exact_tokens(text)]
        if not words:
            raise QueryError('empty phrase ""')
        if not self.negated:
            self.highlight.words.update(words)
        q: Node = Term("exact", words[0]) if len(words) == 1 else Phrase("exact", tuple(words))
        return self.with_party_names(text, q)

    def word(self, tok: str) -> Node:
        if tok.endswith("*"):
            prefix = tok.rstrip("*")
            if "*" in prefix or "?" in prefix:
                raise QueryError("only a trailing * is supported: {token!r}", token=tok)
            words = [t.text for t in _exact_tokens(prefix)]
            if len(words) != 1 or len(words[0]) < MIN_PREFIX:
                raise QueryError("a prefix needs at least {n} letters before *: {token!r}", n=MIN_PREFIX, token=tok)
            self.prefixes.append(words[0])
            if not self.negated:
                self.highlight.prefixes.add(words[0])
            return Prefix("exact", words[0])
        if "*" in tok:
            raise QueryError("only a trailing * is supported: {token!r}", token=tok)
        words = [t.text for t in _exact_tokens(tok)]
        if not words:
            raise QueryError("nothing searchable in {token!r}", token=tok)
        if len(words) > 1:  # "covid-19", "1.5": the pieces in order
            if not self.negated:
                self.highlight.words.update(words)
            return Phrase("exact", tuple(words))
        return self.with_party_names(tok, self.term(words[0]))

    def with_party_names(self, typed: str, q: Node) -> Node:
        """A party's name, abbreviation or alias also finds its other names (Høyre <-> H,
        "Miljøpartiet De Grønne" <-> MDG), as data from the source file."""
        party = vocabulary().party(typed)
        if party is None:
            return q
        typed_words = [t.text for t in _exact_tokens(typed)]
        alts = [q]
        for name in party.names():
            words = [t.text for t in _exact_tokens(name)]
            if not words or words == typed_words:
                continue
            if not self.negated:
                self.highlight.words.update(words)
            alts.append(Phrase("exact", tuple(words)) if len(words) > 1 else self.term(words[0]))
        return Or(tuple(alts))

    def term(self, word: str) -> Node:
        if word in STOPWORDS:
            if not self.negated:
                self.highlight.words.add(word)
            return Term("exact", word)
        s = stem(word)
        if not self.negated:
            self.highlight.stems.add(s)
        f = folded_term(word)
        if not self.negated:
            self.highlight.folded.add(f)
        forms: list[Node] = [Term("text", s, boost=TEXT_BOOST), Term("parts", s, boost=PARTS_BOOST)]
        if word != s:  # the very word form typed ranks above its other inflections
            forms.append(Term("exact", word, boost=EXACT_BOOST))
        # Scandinavian folding: "okonomi" finds "økonomi" (folded field), "økonomi" finds
        # a page that wrote "okonomi" (the stemmed field holds unfolded words as they are).
        forms.append(Term("folded", f, boost=FOLD_BOOST))
        if f != s:
            forms.append(Term("text", f, boost=FOLD_BOOST))
        return Or(tuple(forms))

    def field(self, name: str, value: str) -> Node:
        """`year:2019-2021`, `committee:HBO`, `type:vedtak,protokoll`: resolved as the flags are."""
        target = QUERY_FIELDS.get(name)
        if target is None:
            valid = ", ".join(sorted(QUERY_FIELDS))
            raise QueryError("unknown field {name!r} (use one of: {valid})", name=name, valid=valid)
        value = value.strip()
        if not value:
            raise QueryError("{name}: needs a value", name=name)
        if target == "year":
            lo, hi = year_range(value, f"{name}:")
            q: Node = Range("year", lo, hi)
            spec: tuple = (lo, hi)
        else:
            resolve = {"committee": committee_slugs, "doctype": doctype_slugs, "kommune": kommune_numbers}[target]
            slugs = resolve(value)
            q = either([Term(target, v) for v in slugs])
            spec = slugs
        # Under OR or NOT a field stays in the query, scoring nothing; ANDed at the top it
        # becomes a filter (see _top_level_fields).
        return Constant(q, None if self.negated else (target, spec))


def filter_query(filters: Filters) -> Node | None:
    """The catalog filters as a query tree (superseded versions are each backend's mask)."""
    return filter_node(filters)


__all__ = ["Highlight", "ParsedQuery", "QueryError", "filter_query", "merge_filters", "pair_phrases", "parse"]
