"""The query language, parsed by hand so every error is one clear line.

    barnehage budsjett        both words (stemmed; compound parts count too)
    "sykehjem plasser"        exact phrase (unstemmed)
    a OR b, NOT a, -a         alternatives and exclusion; AND is implied
    barneh*                   prefix (unstemmed)
    152/20, 20/13890          a case number or an archive case number ("087/20" too)
    2446,3  2 446  2,4 mrd    a number or an amount, however it is printed (index/numbers.py)
    year:2021 year:2019-2022 committee:HBO type:vedtak,protokoll kommune:asker,3207
    ( ... )                   grouping

A word searches the stemmed `text` field (boosted) or the `parts` field of compound
parts, so `sykehjem` finds "sykehjemsplasser" but pages with the word itself rank first;
and the `folded` field (Scandinavian folding, lowest boost), so "baerum" finds "Bærum".
Field values go through index/filters.py, as the flags do (same aliases, same errors).

The result is one query tree (index/tree.py) that every backend translates term for term
(Whoosh: index/whoosh_tree.py; OpenSearch: index/opensearch/translate.py), so a query means
the same on both.

Expansions (issue 18) are alternatives in the same tree (index/expansions.py): a close
spelling, an amount however printed, a name's other names, Nynorsk and bokmål, synonyms.
`ParsedQuery.exact` (index/parsed.py) is the tree without them (what `parse(text, exact=True)`
gives, `--exact`): pages matching it rank first, and `expansions` says what was added, for the
front ends to show.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from catalog.models import Filters
from index import numbers
from index import tree as T
from index.analysis import STOPWORDS, case_number, folded_term, stem
from index.errors import QueryError
from index.expansions import AMOUNT, EXPANSION_WEIGHTS, Alternatives
from index.filters import committee_slugs, doctype_slugs, kommune_numbers, year_range
from index.parsed import Expansion, Highlight, ParsedQuery
from index.schema import QUERY_FIELDS
from index.tokens import exact_words, join_amounts, lex
from index.tree import (
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
)

if TYPE_CHECKING:
    from index.parsed import Suggestion
    from index.spelling import IndexSpelling

MAX_QUERY_CHARS = 1000
MAX_CLAUSES = 64
MIN_PREFIX = 2
MAX_PREFIX_TERMS = 2000
TEXT_BOOST = 2.0
PARTS_BOOST = 1.0
EXACT_BOOST = 1.0
FOLD_BOOST = 0.5  # a folded match ("baerum" for "Bærum") ranks below the form typed


def parse(text: str, *, exact: bool = False, spelling: IndexSpelling | None = None) -> ParsedQuery:
    """Parse a user query into the query tree; raises QueryError with a one-line message.

    `exact`: no expansions (the words as typed, with their inflections and compound parts).
    `spelling`: the index's words: the inflections the stemmer leaves apart and, unless `exact`,
    corrections, the compounds that hold a word and the forms of a name (none of it without).
    """
    if len(text) > MAX_QUERY_CHARS:
        raise QueryError("query too long ({n} characters, at most {most})", n=len(text), most=MAX_QUERY_CHARS)
    tokens = join_amounts(lex(text))
    if not tokens:
        raise QueryError("empty query")
    parser = _Parser(tokens, exact=exact, spelling=spelling)
    q = parser.parse_or()
    if parser.pos < len(tokens):
        raise QueryError("unexpected {token!r}", token=tokens[parser.pos])
    if parser.clauses > MAX_CLAUSES:
        raise QueryError("query too complex ({n} clauses, at most {most})", n=parser.clauses, most=MAX_CLAUSES)
    q, filters = _top_level_fields(q)
    if not has_positive(q):
        raise QueryError("the query needs at least one word that is not negated")
    parsed = ParsedQuery(q, parser.highlight, parser.prefixes, filters, parser.expansions, parser.suggestions)
    if parser.expansions:
        parsed.exact = parse(text, exact=True, spelling=spelling).query
    return parsed


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


class _Parser(Alternatives):
    """A recursive-descent parser over the tokens; its expansions are index/expansions.py's."""

    def __init__(self, tokens: list[str], exact: bool = False, spelling: IndexSpelling | None = None) -> None:
        self.tokens = tokens
        self.pos = 0
        self.clauses = 0
        self.depth = 0
        self.highlight = Highlight()
        self.prefixes: list[str] = []
        self.negated = 0
        self.exact = exact
        self.spelling = spelling
        self.expansions: list[Expansion] = []
        self.suggestions: list[Suggestion] = []
        self.typed_pages: dict[str, int] = {}  # words corrected: pages with the word as typed

    def expanding(self) -> bool:
        """Whether alternatives are searched: always but with `exact`. A negated word excludes what
        it would find (its alternatives too), but nothing is said about it (`self.negated`)."""
        return not self.exact

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
            name = self.name() if self.expanding() else None
            parts.append(name if name is not None else self.parse_unary())
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
        amount = numbers.typed_amount(tok)
        if amount is not None:
            return self.amount(tok, amount)
        return self.word(tok)

    def amount(self, tok: str, amount: numbers.TypedAmount) -> Node:
        """A number typed: its words as typed (a phrase), or its value printed any way (`amounts`)."""
        words = exact_words(tok)
        typed: Node = Term("exact", words[0]) if len(words) == 1 else Phrase("exact", tuple(words))
        if not self.expanding():
            if not self.negated:
                self.highlight.words.update(words)
            return typed
        terms = amount.terms()
        if not self.negated:
            self.highlight.amounts.update(terms)
            self.expansions.append(Expansion(AMOUNT, tok.replace("\u00a0", " "), tuple(terms)))
        return T.Expansion(AMOUNT, typed, tuple(Term(numbers.FIELD, t) for t in terms), EXPANSION_WEIGHTS[AMOUNT])

    def case(self, tok: str, number: str) -> Node:
        """A case number: its normalised form in `refs`, the digits as typed highlighted."""
        if not self.negated:
            for part in re.findall(r"\d+", tok):
                self.highlight.words.update({part, part.lstrip("0") or "0", part.zfill(3)})
        return Term("refs", number)

    def phrase(self, text: str) -> Node:
        words = exact_words(text)
        if not words:
            raise QueryError('empty phrase ""')
        if not self.negated:
            self.highlight.words.update(words)
        q: Node = Term("exact", words[0]) if len(words) == 1 else Phrase("exact", tuple(words))
        return self.with_party_names(text, q)

    def word(self, tok: str, expand: bool = True) -> Node:
        if tok.endswith("*"):
            prefix = tok.rstrip("*")
            if "*" in prefix or "?" in prefix:
                raise QueryError("only a trailing * is supported: {token!r}", token=tok)
            words = exact_words(prefix)
            if len(words) != 1 or len(words[0]) < MIN_PREFIX:
                raise QueryError("a prefix needs at least {n} letters before *: {token!r}", n=MIN_PREFIX, token=tok)
            self.prefixes.append(words[0])
            if not self.negated:
                self.highlight.prefixes.add(words[0])
            return Prefix("exact", words[0])
        if "*" in tok:
            raise QueryError("only a trailing * is supported: {token!r}", token=tok)
        words = exact_words(tok)
        if not words:
            raise QueryError("nothing searchable in {token!r}", token=tok)
        if len(words) > 1:  # "covid-19", "1.5": the pieces in order
            if not self.negated:
                self.highlight.words.update(words)
            q: Node = Phrase("exact", tuple(words))
            if expand and self.expanding():
                return self.with_alternatives(q, tok, self.compound_alternatives(words))
            return q
        q = self.with_party_names(tok, self.term(words[0]))
        if not (expand and self.expanding()):
            return q
        return self.with_alternatives(q, tok, self.word_alternatives(tok, words[0]))

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
        if self.spelling is not None:  # inflections the stemmer does not join ("kunstgressbane"/-banen)
            for other in self.spelling.missed_stems(word):
                forms.append(Term("text", other, boost=TEXT_BOOST))
                if not self.negated:
                    self.highlight.stems.add(other)
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


__all__ = ["filter_query", "parse"]
