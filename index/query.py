"""The query language, parsed by hand so every error is one clear line.

    barnehage budsjett        both words (stemmed; compound parts count too)
    "sykehjem plasser"        exact phrase (unstemmed)
    a OR b, NOT a, -a         alternatives and exclusion; AND is implied
    barneh*                   prefix (unstemmed)
    year:2021 year:2019-2022 committee:formannskapet type:forslag
    ( ... )                   grouping

A word searches the stemmed `text` field (boosted) or the `parts` field of compound
parts, so `sykehjem` finds "sykehjemsplasser" but pages with the word itself rank first.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from whoosh import query as Q
from whoosh.analysis import LowercaseFilter, RegexTokenizer

from catalog.models import Filters
from index.analysis import STOPWORDS, WORD_PATTERN, stem
from index.errors import QueryError
from index.schema import QUERY_FIELDS

MAX_QUERY_CHARS = 1000
MAX_CLAUSES = 64
MIN_PREFIX = 2
MAX_PREFIX_TERMS = 2000
TEXT_BOOST = 2.0
PARTS_BOOST = 1.0
EXACT_BOOST = 1.0

_exact_tokens = RegexTokenizer(WORD_PATTERN) | LowercaseFilter()
_TOKEN_RE = re.compile(r'\s+|"[^"]*"?|\(|\)|[^\s()"]+')


@dataclass
class Highlight:
    """What a snippet marks: stems of words, exact words of phrases, prefixes."""

    stems: set[str] = field(default_factory=set)
    words: set[str] = field(default_factory=set)
    prefixes: set[str] = field(default_factory=set)


@dataclass
class ParsedQuery:
    query: Q.Query
    highlight: Highlight
    prefixes: list[str]  # to bound their expansion against the index


def parse(text: str) -> ParsedQuery:
    """Parse a user query into a Whoosh query; raises QueryError with a one-line message."""
    if len(text) > MAX_QUERY_CHARS:
        raise QueryError(f"query too long ({len(text)} characters, at most {MAX_QUERY_CHARS})")
    tokens = _lex(text)
    if not tokens:
        raise QueryError("empty query")
    parser = _Parser(tokens)
    q = parser.parse_or()
    if parser.pos < len(tokens):
        raise QueryError(f"unexpected {tokens[parser.pos]!r}")
    if parser.clauses > MAX_CLAUSES:
        raise QueryError(f"query too complex ({parser.clauses} clauses, at most {MAX_CLAUSES})")
    if not _has_positive(q):
        raise QueryError("the query needs at least one word that is not negated")
    return ParsedQuery(q, parser.highlight, parser.prefixes)


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

    def parse_or(self) -> Q.Query:
        parts = [self.parse_and()]
        while self.peek() == "OR":
            self.pos += 1
            if self.peek() in (None, ")", "OR"):
                raise QueryError("OR needs a word on both sides")
            parts.append(self.parse_and())
        return parts[0] if len(parts) == 1 else Q.Or(parts)

    def parse_and(self) -> Q.Query:
        parts: list[Q.Query] = []
        while (tok := self.peek()) not in (None, ")", "OR"):
            if tok == "AND":
                self.pos += 1
                if not parts or self.peek() in (None, ")", "OR", "AND"):
                    raise QueryError("AND needs a word on both sides")
                continue
            parts.append(self.parse_unary())
        if not parts:
            raise QueryError("expected a word" + (f" before {self.peek()!r}" if self.peek() else " at the end"))
        return parts[0] if len(parts) == 1 else Q.And(parts)

    def parse_unary(self) -> Q.Query:
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
            return Q.Not(inner)
        return self.parse_primary()

    def parse_primary(self) -> Q.Query:
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
            return self.field(m.group(1).lower(), m.group(2))
        return self.word(tok)

    def phrase(self, text: str) -> Q.Query:
        words = [t.text for t in _exact_tokens(text)]
        if not words:
            raise QueryError('empty phrase ""')
        if not self.negated:
            self.highlight.words.update(words)
        if len(words) == 1:
            return Q.Term("exact", words[0])
        return Q.Phrase("exact", words)

    def word(self, tok: str) -> Q.Query:
        if tok.endswith("*"):
            prefix = tok.rstrip("*")
            if "*" in prefix or "?" in prefix:
                raise QueryError(f"only a trailing * is supported: {tok!r}")
            words = [t.text for t in _exact_tokens(prefix)]
            if len(words) != 1 or len(words[0]) < MIN_PREFIX:
                raise QueryError(f"a prefix needs at least {MIN_PREFIX} letters before *: {tok!r}")
            self.prefixes.append(words[0])
            if not self.negated:
                self.highlight.prefixes.add(words[0])
            return Q.Prefix("exact", words[0])
        if "*" in tok:
            raise QueryError(f"only a trailing * is supported: {tok!r}")
        words = [t.text for t in _exact_tokens(tok)]
        if not words:
            raise QueryError(f"nothing searchable in {tok!r}")
        if len(words) > 1:  # "covid-19", "1.5": the pieces in order
            if not self.negated:
                self.highlight.words.update(words)
            return Q.Phrase("exact", words)
        return self.term(words[0])

    def term(self, word: str) -> Q.Query:
        if word in STOPWORDS:
            if not self.negated:
                self.highlight.words.add(word)
            return Q.Term("exact", word)
        s = stem(word)
        if not self.negated:
            self.highlight.stems.add(s)
        either = [Q.Term("text", s, boost=TEXT_BOOST), Q.Term("parts", s, boost=PARTS_BOOST)]
        if word != s:  # the very word form typed ranks above its other inflections
            either.append(Q.Term("exact", word, boost=EXACT_BOOST))
        return Q.Or(either)

    def field(self, name: str, value: str) -> Q.Query:
        target = QUERY_FIELDS.get(name)
        if target is None:
            valid = ", ".join(sorted(QUERY_FIELDS))
            raise QueryError(f"unknown field {name!r} (use one of: {valid})")
        value = value.strip()
        if not value:
            raise QueryError(f"{name}: needs a value")
        if target == "year":
            m = re.fullmatch(r"(\d{4})(?:-(\d{4}))?", value)
            if not m:
                raise QueryError(f"year must be like 2021 or 2019-2022, not {value!r}")
            lo, hi = int(m.group(1)), int(m.group(2) or m.group(1))
            if lo > hi:
                raise QueryError(f"year range {value!r} runs backwards")
            return Q.NumericRange("year", lo, hi)
        return Q.Term(target, value.lower())


def _has_positive(q: Q.Query) -> bool:
    """Whether a document could match without matching only negations."""
    if isinstance(q, Q.Not):
        return False
    if isinstance(q, Q.And):
        return any(_has_positive(c) for c in q.subqueries)
    if isinstance(q, Q.Or):
        return all(_has_positive(c) for c in q.subqueries)
    return True


def fix_negations(q: Q.Query) -> Q.Query:
    """Rewrite And([a, Not(b)]) to AndNot(a, b): Whoosh's Not alone walks every document."""
    if isinstance(q, Q.And):
        subs = [fix_negations(c) for c in q.subqueries]
        pos = [c for c in subs if not isinstance(c, Q.Not)]
        neg = [c.query for c in subs if isinstance(c, Q.Not)]
        base = pos[0] if len(pos) == 1 else Q.And(pos)
        if not neg:
            return base
        return Q.AndNot(base, neg[0] if len(neg) == 1 else Q.Or(neg))
    if isinstance(q, Q.Or):
        return Q.Or([fix_negations(c) for c in q.subqueries])
    return q


def pair_phrases(q: Q.Query, common: frozenset[str]) -> Q.Query:
    """Phrases on the word-pair field (pairs of common words are indexed as one term).

    A two-word phrase of common words becomes that one term. Any other phrase keeps its
    position check, ANDed with its indexed pairs and its words, so the check runs only on
    pages that have all of them (few, since a word outside `common` is rarer).
    """
    if isinstance(q, Q.Phrase) and q.fieldname == "exact" and len(q.words) >= 2 and q.slop == 1:
        words = q.words
        pairs: list[Q.Query] = [Q.Term("pairs", a + " " + b) for a, b in zip(words, words[1:], strict=False)
                                if a in common and b in common]
        if len(words) == 2 and pairs:
            return pairs[0]
        return Q.And([*pairs, *(Q.Term("exact", w) for w in dict.fromkeys(words)), q])
    if isinstance(q, (Q.And, Q.Or)):
        return type(q)([pair_phrases(c, common) for c in q.subqueries], boost=q.boost)
    if isinstance(q, Q.AndNot):
        return Q.AndNot(pair_phrases(q.a, common), pair_phrases(q.b, common))
    if isinstance(q, Q.Not):
        return Q.Not(pair_phrases(q.query, common))
    return q


def filter_query(filters: Filters) -> Q.Query | None:
    """The catalog filters as an index query (superseded versions are handled as a mask)."""
    parts: list[Q.Query] = []
    if filters.year_from is not None or filters.year_to is not None:
        parts.append(Q.NumericRange("year", filters.year_from, filters.year_to))
    if filters.committee:
        parts.append(Q.Term("committee", filters.committee))
    if filters.doctype:
        parts.append(Q.Term("doctype", filters.doctype))
    if filters.date_from or filters.date_to:
        parts.append(Q.TermRange("date", filters.date_from, filters.date_to))
    if filters.tables:
        parts.append(Q.Term("tables", True))
    if not parts:
        return None
    return parts[0] if len(parts) == 1 else Q.And(parts)
