"""What a query searches beside the words as typed (issue 18): the parser's alternatives.

Expansions are alternatives in the query tree, each kind an `Expansion` node (the form typed, or
the alternatives at a weight below it): a close spelling from the index's vocabulary
(index/spelling.py), the amount terms of a number typed (index/numbers.py), a committee's or the
plan's abbreviation and names, Nynorsk and bokmål, synonyms (index/lexicons.py), and a party's
other names. So any backend that translates the tree searches them with their weights. An
alternative no page can match is left out, and unsaid. Quoted phrases are never expanded; a
negated word excludes its alternatives too (unsaid), so `-x` leaves out every page `x` finds.
"""

from __future__ import annotations

from itertools import islice, product
from typing import TYPE_CHECKING

from index import lexicons
from index import tree as T
from index.analysis import STOPWORDS, stem
from index.filters import vocabulary
from index.parsed import Expansion, Highlight, Suggestion
from index.tokens import exact_words
from index.tree import And, Node, Or, Phrase, Term, both, either

if TYPE_CHECKING:
    from index.spelling import IndexSpelling

# Kinds of expansion and their weights (the tree's Expansion node holding a kind's alternatives):
# below the form typed, the corrections and synonyms lowest. Pages that match the query as typed
# rank first anyway. A word no page holds as typed has nothing to rank below: its correction or
# the compounds that hold it stand for it at full weight (weight_of), beside the other words.
TYPO, AMOUNT, COMPOUND = "typo", "amount", "compound"
ABBREVIATION, NYNORSK, SYNONYM, PARTY = lexicons.ABBREVIATION, lexicons.NYNORSK, lexicons.SYNONYM, lexicons.PARTY
EXPANSION_WEIGHTS = {TYPO: 0.3, AMOUNT: 0.5, COMPOUND: 0.5, ABBREVIATION: 0.5, NYNORSK: 0.5, SYNONYM: 0.3,
                     PARTY: 1.0}
MAX_FORMS = 3  # inflections of each word of a name searched as a phrase ("langsiktige drifts- og …")
MAX_PHRASES = 8


class Alternatives:
    """What a word or name is searched as beside itself: mixed into the parser (index/query.py),
    whose state these methods read and add to (declared here), building on its `word` and `term`."""

    tokens: list[str]
    pos: int
    clauses: int
    negated: int
    exact: bool
    spelling: IndexSpelling | None
    highlight: Highlight
    expansions: list[Expansion]
    suggestions: list[Suggestion]
    typed_pages: dict[str, int]  # words corrected: pages with the word as typed

    def word(self, tok: str, expand: bool = True) -> Node:
        raise NotImplementedError

    def term(self, word: str) -> Node:
        raise NotImplementedError

    def name(self) -> Node | None:
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
            return self.with_alternatives(both(words), typed, self.alias_alternatives(typed, typed_words, groups, rest))
        return None

    def alias_alternatives(self, typed: str, typed_words: tuple[str, ...], groups: list[lexicons.Alias],
                           rest: str) -> list[tuple[str, Node, str]]:
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

    def words_query(self, words: list[str]) -> Node:
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
        return either([Phrase("exact", tuple(p)) for p in phrases])

    def may_match(self, q: Node) -> bool:
        """Whether an alternative can find a page (its terms are in the index): one that cannot is
        left out of the tree and unsaid ("skole" has no "skule" where no page is in Nynorsk)."""
        if self.spelling is None:
            return True
        if isinstance(q, Term):
            return self.spelling.holds(q.field, q.text)
        if isinstance(q, Phrase):
            return all(self.spelling.holds(q.field, w) for w in q.words)
        if isinstance(q, Or):
            return any(self.may_match(c) for c in q.children)
        if isinstance(q, T.Expansion):
            return self.may_match(q.typed) or any(self.may_match(c) for c in q.alternatives)
        if isinstance(q, And):
            return all(self.may_match(c) for c in q.children)
        return True

    def with_alternatives(self, q: Node, typed: str, alternatives: list[tuple[str, Node, str]]) -> Node:
        """`q` or the alternatives, each kind an Expansion node of its weight; the expansions recorded."""
        alternatives = [a for a in alternatives if self.may_match(a[1])]
        if not alternatives:
            return q
        kinds: dict[str, list[tuple[Node, str]]] = {}
        for kind, alt, label in alternatives:
            if all(label != seen for _q, seen in kinds.get(kind, [])):
                kinds.setdefault(kind, []).append((alt, label))
        for kind, alts in kinds.items():
            if not self.negated:
                self.expansions.append(Expansion(kind, typed, tuple(label for _q, label in alts),
                                                 self.typed_pages.get(typed) if kind == TYPO else None))
            q = T.Expansion(kind, q, tuple(a for a, _label in alts), self.weight_of(kind, typed))
        return q

    def weight_of(self, kind: str, typed: str) -> float:
        """A kind's weight; full for what stands for a word no page holds (its compounds, a
        correction of a word on no page): ranked by the other words, not below them."""
        if kind == COMPOUND or (kind == TYPO and self.typed_pages.get(typed) == 0):
            return 1.0
        return EXPANSION_WEIGHTS[kind]

    def word_alternatives(self, tok: str, word: str) -> list[tuple[str, Node, str]]:
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
            return [(COMPOUND, Term("text", stem(w)), w) for w, _n in within]
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

    def head_alternatives(self, word: str) -> list[tuple[str, Node, str]]:
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

    def compound_alternatives(self, words: list[str]) -> list[tuple[str, Node, str]]:
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

    def with_party_names(self, typed: str, q: Node) -> Node:
        """A party's name, abbreviation or alias also finds its other names (Høyre <-> H,
        "Miljøpartiet De Grønne" <-> MDG), as data from the source file; not with `exact`."""
        party = None if self.exact else vocabulary().party(typed)
        if party is None:
            return q
        typed_words = exact_words(typed)
        alts = [q]
        for name in party.names():
            words = exact_words(name)
            if not words or words == typed_words:
                continue
            if not self.negated:
                self.highlight.words.update(words)
            alts.append(Phrase("exact", tuple(words)) if len(words) > 1 else self.term(words[0]))
        return Or(tuple(alts))
