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

Expansions (issue 18) are alternatives in the same tree, each an `Or` with a weight below
the form typed: a close spelling from the index's vocabulary (index/spelling.py), the amount
terms of a number typed (index/numbers.py), a committee's or the plan's abbreviation and names,
Nynorsk and bokmål, and synonyms (index/lexicons.py). So any backend that translates the tree
searches them with their weights. `ParsedQuery.exact` is the tree without them (what
`parse(text, exact=True)` gives, `--exact`): pages matching it rank first, and `expansions`
says what was added, for the front ends to show. Quoted phrases are never expanded; a negated
word excludes its alternatives too (unsaid), so `-x` leaves out every page `x` finds.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from itertools import islice, product
from typing import TYPE_CHECKING

from whoosh import query as Q
from whoosh.analysis import LowercaseFilter, RegexTokenizer

from catalog.models import Filters
from index import lexicons, numbers
from index.analysis import STOPWORDS, WORD_PATTERN, case_number, folded_term, stem
from index.errors import QueryError
from index.filters import committee_slugs, doctype_slugs, kommune_numbers, vocabulary, year_range
from index.schema import QUERY_FIELDS

if TYPE_CHECKING:
    from index.spelling import IndexSpelling

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

# Kinds of expansion and their weights (the Or holding a kind's alternatives): below the form
# typed, the corrections and synonyms lowest. Pages that match the query as typed rank first anyway.
TYPO, AMOUNT, COMPOUND = "typo", "amount", "compound"
ABBREVIATION, NYNORSK, SYNONYM, PARTY = lexicons.ABBREVIATION, lexicons.NYNORSK, lexicons.SYNONYM, lexicons.PARTY
EXPANSION_WEIGHTS = {TYPO: 0.3, AMOUNT: 0.5, COMPOUND: 0.5, ABBREVIATION: 0.5, NYNORSK: 0.5, SYNONYM: 0.3,
                     PARTY: 1.0}
MAX_FORMS = 3  # inflections of each word of a name searched as a phrase ("langsiktige drifts- og …")
MAX_PHRASES = 8

_exact_tokens = RegexTokenizer(WORD_PATTERN) | LowercaseFilter()
_TOKEN_RE = re.compile(r'\s+|"[^"]*"?|\(|\)|[^\s()"]+')


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
    query: Q.Query
    highlight: Highlight
    prefixes: list[str]  # to bound their expansion against the index
    # Top-level `field:value` clauses, as filters: {"year": (lo, hi), "committee": slugs, "doctype": slugs}.
    filters: dict[str, tuple] = field(default_factory=dict)
    expansions: list[Expansion] = field(default_factory=list)
    suggestions: list[Suggestion] = field(default_factory=list)
    # The query as typed, without expansions (None when there are none): its pages rank first.
    exact: Q.Query | None = None

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


def parse(text: str, *, exact: bool = False, spelling: IndexSpelling | None = None) -> ParsedQuery:
    """Parse a user query into a Whoosh query; raises QueryError with a one-line message.

    `exact`: no expansions (the words as typed, with their inflections and compound parts).
    `spelling`: the index's words: the inflections the stemmer leaves apart and, unless `exact`,
    corrections, the compounds that hold a word and the forms of a name (none of it without).
    """
    if len(text) > MAX_QUERY_CHARS:
        raise QueryError("query too long ({n} characters, at most {most})", n=len(text), most=MAX_QUERY_CHARS)
    tokens = _join_amounts(_lex(text))
    if not tokens:
        raise QueryError("empty query")
    parser = _Parser(tokens, exact=exact, spelling=spelling)
    q = parser.parse_or()
    if parser.pos < len(tokens):
        raise QueryError("unexpected {token!r}", token=tokens[parser.pos])
    if parser.clauses > MAX_CLAUSES:
        raise QueryError("query too complex ({n} clauses, at most {most})", n=parser.clauses, most=MAX_CLAUSES)
    q, filters = _top_level_fields(q)
    if not _has_positive(q):
        raise QueryError("the query needs at least one word that is not negated")
    parsed = ParsedQuery(q, parser.highlight, parser.prefixes, filters, parser.expansions, parser.suggestions)
    if parser.expansions:
        parsed.exact = parse(text, exact=True, spelling=spelling).query
    return parsed


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


def _join_amounts(tokens: list[str]) -> list[str]:
    """Tokens that spell one number typed with spaces ("2 446,3", "2,4 mrd", "kr 1 500,-") joined
    into one (with no-break spaces), so the parser sees the amount."""
    out: list[str] = []
    i = 0
    while i < len(tokens):
        j = i + (1 if tokens[i].lower() in ("kr", "kr.", "nok") and i + 1 < len(tokens) else 0)
        if not numbers.NUMBER_START.match(tokens[j]):
            out.append(tokens[i])
            i += 1
            continue
        end = j + 1
        if numbers.LEAD_RE.match(tokens[j]):
            while end < len(tokens) and numbers.GROUP_RE.match(tokens[end]):
                end += 1
        if end < len(tokens) and numbers.UNIT_WORDS.match(tokens[end]):
            end += 1
            if end < len(tokens) and tokens[end - 1].lower().startswith(("mill", "mrd", "milliard", "million")) \
                    and tokens[end].lower().rstrip(".") in ("kroner", "kr"):
                end += 1
        if end - i > 1 and numbers.typed_amount(" ".join(tokens[i:end])) is not None:
            out.append("\u00a0".join(tokens[i:end]))
            i = end
        else:
            out.append(tokens[i])
            i += 1
    return out


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
            name = self.name() if self.expanding() else None
            parts.append(name if name is not None else self.parse_unary())
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
        amount = numbers.typed_amount(tok)
        if amount is not None:
            return self.amount(tok, amount)
        return self.word(tok)

    def amount(self, tok: str, amount: numbers.TypedAmount) -> Q.Query:
        """A number typed: its words as typed (a phrase), or its value printed any way (`amounts`)."""
        words = [t.text for t in _exact_tokens(tok)]
        typed: Q.Query = Q.Term("exact", words[0]) if len(words) == 1 else Q.Phrase("exact", words)
        if not self.expanding():
            if not self.negated:
                self.highlight.words.update(words)
            return typed
        terms = amount.terms()
        if not self.negated:
            self.highlight.amounts.update(terms)
            self.expansions.append(Expansion(AMOUNT, tok.replace("\u00a0", " "), tuple(terms)))
        return Q.Or([typed, Q.Or([Q.Term(numbers.FIELD, t) for t in terms], boost=EXPANSION_WEIGHTS[AMOUNT])])

    def name(self) -> Q.Query | None:
        """A name of several words typed as words ("hovedutvalg for bistand og omsorg", "pleie og
        omsorg"): the words as typed, or the name's abbreviation and other names."""
        names = lexicons.names()
        start = self.pos
        plain: list[str] = []
        while len(plain) < names.longest and start + len(plain) < len(self.tokens):
            tok = self.tokens[start + len(plain)]
            if tok in ("AND", "OR", "NOT", "(", ")") or tok[0] in '"-' or ":" in tok or not tok.rstrip(",.;").isalpha():
                break
            plain.append(tok)
        for n in range(len(plain), 1, -1):
            typed_words = lexicons.words_of(" ".join(plain[:n]))
            groups = names.groups(typed_words)
            if not groups:
                continue
            self.pos += n
            self.clauses += n
            words = [self.word(t, expand=False) for t in plain[:n]]
            typed = " ".join(plain[:n])
            rest = " ".join(self.tokens[:start] + self.tokens[start + n:])
            return self.with_alternatives(Q.And(words), typed, self.alias_alternatives(typed, typed_words, groups, rest))
        return None

    def alias_alternatives(self, typed: str, typed_words: tuple[str, ...], groups: list[lexicons.Alias],
                           rest: str) -> list[tuple[str, Q.Query, str]]:
        """(kind, query, label) of every other name of the groups a typed name or word belongs to."""
        out = []
        key = lexicons.key_of(typed_words)
        for g in groups:
            if g.short and typed_words == lexicons.words_of(g.short) and not lexicons.is_short_form(typed, g):
                continue  # "er" typed is the word, not Eldrerådet's "ER"
            if g.committee and not self.negated and all(s.committee != g.committee for s in self.suggestions):
                self.suggestions.append(Suggestion(g.committee, typed, rest or typed))
            for other in g.names:
                if lexicons.key_of(other) == key:
                    continue
                out.append((g.kind, self.words_query(list(other)), " ".join(other)))
        return out

    def words_query(self, words: list[str]) -> Q.Query:
        """An alternative name: one word with its inflections, or the words as a phrase, each word
        in the forms the index holds ("langsiktige drifts- og investeringsplanen" for the name
        "langsiktig drifts- og investeringsplan")."""
        if len(words) == 1:
            return self.term(words[0])
        choices = []
        for w in words:
            forms = [w]
            if self.spelling is not None and w not in STOPWORDS and len(w) >= 4 and w.isalpha():
                forms += [f for f in self.spelling.forms(w) if f != w][:MAX_FORMS - 1]
            choices.append(forms)
        phrases = [list(p) for p in islice(product(*choices), MAX_PHRASES)]
        for p in phrases:
            self.highlight.words.update(p)
        qs: list[Q.Query] = [Q.Phrase("exact", p) for p in phrases]
        return qs[0] if len(qs) == 1 else Q.Or(qs)

    def may_match(self, q: Q.Query) -> bool:
        """Whether an alternative can find a page (its terms are in the index): one that cannot is
        left out of the tree and unsaid ("skole" has no "skule" where no page is in Nynorsk)."""
        if self.spelling is None:
            return True
        if isinstance(q, Q.Term):
            return self.spelling.holds(q.fieldname, q.text)
        if isinstance(q, Q.Phrase):
            return all(self.spelling.holds(q.fieldname, w) for w in q.words)
        if isinstance(q, Q.Or):
            return any(self.may_match(c) for c in q.subqueries)
        if isinstance(q, Q.And):
            return all(self.may_match(c) for c in q.subqueries)
        return True

    def with_alternatives(self, q: Q.Query, typed: str, alternatives: list[tuple[str, Q.Query, str]]) -> Q.Query:
        """`q` or the alternatives, each kind in an Or of its weight; the expansions recorded."""
        alternatives = [a for a in alternatives if self.may_match(a[1])]
        if not alternatives:
            return q
        kinds: dict[str, list[tuple[Q.Query, str]]] = {}
        for kind, alt, label in alternatives:
            if all(label != seen for _q, seen in kinds.get(kind, [])):
                kinds.setdefault(kind, []).append((alt, label))
        ors: list[Q.Query] = [q]
        for kind, alts in kinds.items():
            if not self.negated:
                self.expansions.append(Expansion(kind, typed, tuple(label for _q, label in alts),
                                                 self.typed_pages.get(typed) if kind == TYPO else None))
            ors.append(Q.Or([a for a, _label in alts], boost=EXPANSION_WEIGHTS[kind]))
        return Q.Or(ors)

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

    def word(self, tok: str, expand: bool = True) -> Q.Query:
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
            q: Q.Query = Q.Phrase("exact", words)
            if expand and self.expanding():
                return self.with_alternatives(q, tok, self.compound_alternatives(words))
            return q
        q = self.with_party_names(tok, self.term(words[0]))
        if not (expand and self.expanding()):
            return q
        return self.with_alternatives(q, tok, self.word_alternatives(tok, words[0]))

    def word_alternatives(self, tok: str, word: str) -> list[tuple[str, Q.Query, str]]:
        """Abbreviations and names, synonyms, Nynorsk or bokmål; failing all, a close spelling."""
        groups = [g for g in lexicons.names().groups((word,)) if g.kind != PARTY]  # parties: with_party_names
        out = self.alias_alternatives(tok, (word,), groups, " ".join(self.tokens[:self.pos - 1] + self.tokens[self.pos:]))
        if not out:
            out = self.head_alternatives(word)
        out += [(NYNORSK, self.term(w), self.as_printed(w)) for w in lexicons.counterparts(word) if w != word]
        out = [a for a in out if self.may_match(a[1])]
        if out or self.spelling is None or vocabulary().party(tok) is not None:
            return out
        within = self.spelling.containing(word)
        if within:
            self.highlight.stems.update(stem(w) for w, _n in within)
            return [(COMPOUND, Q.Term("text", stem(w)), w) for w, _n in within]
        fix = self.spelling.correct(word)
        if fix is not None:
            self.typed_pages[tok] = fix.typed_pages
            out.append((TYPO, self.term(fix.word), fix.word))
        return out

    def as_printed(self, word: str) -> str:
        """A made-up form ("sykehjemsplassar", a compound translated by its head) shown as the
        archive prints the word (its commonest form of the same stem, "sykehjemsplasser")."""
        forms = self.spelling.forms(word) if self.spelling is not None else []
        return forms[0] if forms else word

    def head_alternatives(self, word: str) -> list[tuple[str, Q.Query, str]]:
        """A name at the head of a compound: "økonomiplanperioden" is also "ØP-perioden", and
        "skolebyggprosjektet" also "skoleanleggprosjektet"."""
        out = []
        for head, groups in lexicons.heads(word):
            rest = word[len(head):]
            linker = rest[0] if rest[0] in "se" and len(rest) > lexicons.MIN_PART else ""
            rest = rest[len(linker):]
            for g in groups:
                if g.short:
                    short = g.short.lower()
                    out.append((g.kind, self.words_query([short, rest]), f"{short}-{rest}"))
                for other in g.names:
                    if len(other) == 1 and other[0] != head and other != lexicons.words_of(g.short):
                        out.append((g.kind, self.term(other[0] + linker + rest), other[0] + linker + rest))
        return out

    def compound_alternatives(self, words: list[str]) -> list[tuple[str, Q.Query, str]]:
        """An abbreviation joined to a word ("ØP-perioden"): the name it stands for, joined the same
        way ("økonomiplanperioden")."""
        if len(words) != 2 or len(words[1]) < lexicons.MIN_PART or not words[1].isalpha():
            return []
        out = []
        for g in lexicons.names().groups((words[0],)):
            if g.short and (words[0],) == lexicons.words_of(g.short):
                for other in g.names:
                    if len(other) == 1 and other != (words[0],):
                        out.append((g.kind, self.term(other[0] + words[1]), other[0] + words[1]))
        return out

    def with_party_names(self, typed: str, q: Q.Query) -> Q.Query:
        """A party's name, abbreviation or alias also finds its other names (Høyre <-> H,
        "Miljøpartiet De Grønne" <-> MDG), as data from the source file; not with `exact`."""
        party = None if self.exact else vocabulary().party(typed)
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
        if self.spelling is not None:  # inflections the stemmer does not join ("kunstgressbane"/-banen)
            for other in self.spelling.missed_stems(word):
                either.append(Q.Term("text", other, boost=TEXT_BOOST))
                if not self.negated:
                    self.highlight.stems.add(other)
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
