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
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from whoosh import query as Q
from whoosh.analysis import LowercaseFilter, RegexTokenizer

from catalog.models import Filters
from index.analysis import STOPWORDS, WORD_PATTERN, case_number, folded_term, stem
from index.errors import QueryError
from index.filters import committee_slugs, doctype_slugs, kommune_numbers, vocabulary, year_range
from index.schema import QUERY_FIELDS

MAX_QUERY_CHARS = 1000
MULTI_VALUED = ("committee", "doctype", "kommune")  # filters of several values, each an index field of its name
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
    query: Q.Query
    highlight: Highlight
    prefixes: list[str]  # to bound their expansion against the index
    # Top-level `field:value` clauses, as filters: {"year": (lo, hi), "committee": slugs, "doctype": slugs}.
    filters: dict[str, tuple] = field(default_factory=dict)

    def with_filters(self, filters: Filters) -> Filters | None:
        """The flags' filters narrowed by the query's own fields; None when they exclude each other."""
        return merge_filters(filters, self.filters)

    def title_query(self) -> Q.Query | None:
        """The query's words in the document titles: ranks a page higher, never matches one."""
        terms = [Q.Term("titles", s, boost=TITLE_BOOST) for s in sorted(self.highlight.stems)]
        if not terms:
            return None
        return terms[0] if len(terms) == 1 else Q.Or(terms)


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
    """Parse a user query into a Whoosh query; raises QueryError with a one-line message."""
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
    if not _has_positive(q):
        raise QueryError("the query needs at least one word that is not negated")
    return ParsedQuery(q, parser.highlight, parser.prefixes, filters)


def _top_level_fields(q: Q.Query) -> tuple[Q.Query, dict[str, tuple]]:
    """Split the field clauses ANDed at the top of the query off as filters, so they act
    exactly as the flags do (they narrow the match set and never change a score).

    A query of fields only keeps them in the query (they then match, scoring nothing).
    """
    children = list(q.subqueries) if type(q) is Q.And else [q]
    rest: list[Q.Query] = []
    filters: dict[str, tuple] = {}
    for c in children:
        spec = getattr(c, "field_filter", None)
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
    return (rest[0] if len(rest) == 1 else Q.And(rest)), filters


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
            if self.peek():
                raise QueryError("expected a word before {token!r}", token=self.peek())
            raise QueryError("expected a word at the end")
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

    def case(self, tok: str, number: str) -> Q.Query:
        """A case number: its normalised form in `refs`, the digits as typed highlighted."""
        if not self.negated:
            for part in re.findall(r"\d+", tok):
                self.highlight.words.update({part, part.lstrip("0") or "0", part.zfill(3)})
        return Q.Term("refs", number)

    def phrase(self, text: str) -> Q.Query:
        words = [t.text for t in _exact_tokens(text)]
        if not words:
            raise QueryError('empty phrase ""')
        if not self.negated:
            self.highlight.words.update(words)
        q: Q.Query = Q.Term("exact", words[0]) if len(words) == 1 else Q.Phrase("exact", words)
        return self.with_party_names(text, q)

    def word(self, tok: str) -> Q.Query:
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
            return Q.Prefix("exact", words[0])
        if "*" in tok:
            raise QueryError("only a trailing * is supported: {token!r}", token=tok)
        words = [t.text for t in _exact_tokens(tok)]
        if not words:
            raise QueryError("nothing searchable in {token!r}", token=tok)
        if len(words) > 1:  # "covid-19", "1.5": the pieces in order
            if not self.negated:
                self.highlight.words.update(words)
            return Q.Phrase("exact", words)
        return self.with_party_names(tok, self.term(words[0]))

    def with_party_names(self, typed: str, q: Q.Query) -> Q.Query:
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
            alts.append(Q.Phrase("exact", words) if len(words) > 1 else self.term(words[0]))
        return Q.Or(alts)

    def term(self, word: str) -> Q.Query:
        if word in STOPWORDS:
            if not self.negated:
                self.highlight.words.add(word)
            return Q.Term("exact", word)
        s = stem(word)
        if not self.negated:
            self.highlight.stems.add(s)
        f = folded_term(word)
        if not self.negated:
            self.highlight.folded.add(f)
        either = [Q.Term("text", s, boost=TEXT_BOOST), Q.Term("parts", s, boost=PARTS_BOOST)]
        if word != s:  # the very word form typed ranks above its other inflections
            either.append(Q.Term("exact", word, boost=EXACT_BOOST))
        # Scandinavian folding: "okonomi" finds "økonomi" (folded field), "økonomi" finds
        # a page that wrote "okonomi" (the stemmed field holds unfolded words as they are).
        either.append(Q.Term("folded", f, boost=FOLD_BOOST))
        if f != s:
            either.append(Q.Term("text", f, boost=FOLD_BOOST))
        return Q.Or(either)

    def field(self, name: str, value: str) -> Q.Query:
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
            q: Q.Query = Q.NumericRange("year", lo, hi)
            spec: tuple = (lo, hi)
        else:
            resolve = {"committee": committee_slugs, "doctype": doctype_slugs, "kommune": kommune_numbers}[target]
            slugs = resolve(value)
            terms = [Q.Term(target, v) for v in slugs]
            q = terms[0] if len(terms) == 1 else Q.Or(terms)
            spec = slugs
        # Under OR or NOT a field stays in the query, scoring nothing; ANDed at the top it
        # becomes a filter (see _top_level_fields).
        q = Q.ConstantScoreQuery(q, score=0.0)
        if not self.negated:
            q.field_filter = (target, spec)  # type: ignore[attr-defined]
        return q


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
    for name in MULTI_VALUED:
        values = filters.values(name)
        if values:
            terms = [Q.Term(name, v) for v in values]
            parts.append(terms[0] if len(terms) == 1 else Q.Or(terms))
    if filters.date_from or filters.date_to:
        dated: Q.Query = Q.TermRange("date", filters.date_from, filters.date_to)
        if filters.undated:  # documents without a date are kept
            dated = Q.Or([dated, Q.Not(Q.Every("date"))])
        parts.append(dated)
    if filters.tables:
        parts.append(Q.Term("tables", True))
    if not parts:
        return None
    return parts[0] if len(parts) == 1 else Q.And(parts)
