"""The parser's expansions (issue 18, index/expansions.py): every alternative is a node of the query tree, in an
Expansion node of its kind's weight, so any backend that translates the tree searches it; `exact` and quoted
phrases have none; the parsed query says what was added and which committees were named."""

from __future__ import annotations

import pytest

from index import tree as T
from index.expansions import EXPANSION_WEIGHTS
from index.query import parse
from index.spelling import Correction
from index.tree import walk as nodes


def terms(q: T.Node) -> set[tuple[str, str]]:
    return {(n.field, n.text) for n in nodes(q) if isinstance(n, T.Term)}


def kinds(text: str, **kw) -> dict[str, tuple[str, ...]]:
    return {e.kind: e.alternatives for e in parse(text, **kw).expansions}


class FakeSpelling:
    """What search gives the parser from an index: pages of a word, corrections, compounds, forms."""

    def correct(self, word):
        return Correction(word, "demenslandsby", 1, 90, 0) if word == "demenslandsy" else None

    def containing(self, word):
        return [("trygghetsalarm", 3)] if word == "alarm" else []

    def forms(self, word):
        return ["langsiktige"] if word == "langsiktig" else []

    def missed_stems(self, word):
        return ["kunstgressb"] if word == "kunstgressbanen" else []

    def holds(self, fieldname, text):
        return True


@pytest.mark.parametrize("text, kind, alternative", [
    ("HBO", "abbreviation", "hovedutvalg for bistand og omsorg"),
    ("hovedutvalg for bistand og omsorg", "abbreviation", "hbo"),
    ("LDIP", "abbreviation", "langsiktig drifts og investeringsplan"),
    ("økonomiplanperioden", "abbreviation", "øp-perioden"),
    ("ØP-perioden", "abbreviation", "økonomiplanperioden"),
    ("sjukeheim", "nynorsk", "sykehjem"),
    ("sykehjemmene", "nynorsk", "sjukeheim"),
    ("eldreomsorg", "synonym", "pleie og omsorg"),
    ("SFO", "synonym", "skolefritidsordning"),
    ("Miljøpartiet De Grønne", "party", "mdg"),
    ("2,4 mrd", "amount", "k24e8"),
    ("2446,3", "amount", "n24463e-1"),
])
def test_each_kind_of_expansion(text, kind, alternative):
    assert alternative in kinds(text).get(kind, ()), kinds(text)


def test_expansions_are_tree_nodes_with_their_weights_below_the_form_typed():
    parsed = parse("HBO sjukeheim eldreomsorg 2,4 mrd demenslandsy alarm", spelling=FakeSpelling())
    assert {e.kind for e in parsed.expansions} == {"abbreviation", "nynorsk", "synonym", "amount", "typo", "compound"}
    expansions = [n for n in nodes(parsed.query) if isinstance(n, T.Expansion)]
    assert {n.kind for n in expansions} == {e.kind for e in parsed.expansions}
    assert all(n.boost == EXPANSION_WEIGHTS[n.kind] < 1.0 for n in expansions if n.kind not in ("typo", "compound"))
    # "demenslandsy" and "alarm" are on no page: what stands for them has nothing to rank below
    assert all(n.boost == 1.0 for n in expansions if n.kind in ("typo", "compound"))
    assert parsed.exact == parse("HBO sjukeheim eldreomsorg 2,4 mrd demenslandsy alarm", exact=True,
                                 spelling=FakeSpelling()).query
    assert not any(isinstance(n, T.Expansion) for n in nodes(parsed.exact))


def test_exact_quoted_and_negated_words_are_never_expanded():
    assert parse("HBO sjukeheim 2,4 mrd", exact=True).expansions == []
    assert parse('"sjukeheim" "eldreomsorg"').expansions == []
    negated = parse("barnehage -sjukeheim -eldreomsorg")
    assert negated.expansions == [] and "sykehjem" in str(negated.query)  # excluded too, unsaid
    assert parse("demenslandsy", exact=True, spelling=FakeSpelling()).expansions == []
    # a party's other names too: --exact is the word as typed
    assert ("text", "h") in terms(parse("Høyre").query) and ("text", "h") not in terms(parse("Høyre", exact=True).query)


def test_a_correction_and_compounds_come_from_the_index_only_when_nothing_else_explains_the_word():
    sp = FakeSpelling()
    assert kinds("demenslandsy", spelling=sp) == {"typo": ("demenslandsby",)}
    assert kinds("alarm", spelling=sp) == {"compound": ("trygghetsalarm",)}
    assert "typo" not in kinds("sjukeheim", spelling=sp) and "typo" not in kinds("demenslandsy")  # no index, no typo


def test_a_multiword_name_is_searched_in_the_forms_the_index_holds():
    parsed = parse("LDIP", spelling=FakeSpelling())
    phrases = [n.words for n in nodes(parsed.query) if isinstance(n, T.Phrase)]
    assert ("langsiktig", "drifts", "og", "investeringsplan") in phrases
    assert ("langsiktige", "drifts", "og", "investeringsplan") in phrases


def test_a_committee_named_is_a_filter_suggestion_and_a_search_term():
    parsed = parse("HMIK kunstgress")
    (s,) = parsed.suggestions
    assert (s.committee, s.typed, s.rest) == ("miljo-idrett-og-kultur", "HMIK", "kunstgress")
    assert {("text", "hmik"), ("text", "kunstgres")} <= terms(parsed.query)  # never only a filter
    assert parse("hovedutvalg for bistand og omsorg").suggestions[0].committee == "bistand-og-omsorg"
    assert parse("er det").suggestions == [] and parse("er det").expansions == []  # "er" is no Eldrerådet


def test_years_and_case_numbers_keep_working():
    assert parse("2021").expansions == [] and ("text", "2021") in terms(parse("2021").query)
    assert parse("123/20").query == T.Term("refs", "123/20")
    assert kinds("HP 2021 kapittel").keys() == {"abbreviation"}


def test_inflections_the_stemmer_leaves_apart_are_the_word_even_when_exact():
    for exact in (False, True):
        q = parse("kunstgressbanen", exact=exact, spelling=FakeSpelling()).query
        assert {("text", "kunstgressb"), ("text", "kunstgressban")} <= terms(q)


def test_a_correction_of_a_word_some_pages_hold_ranks_below_the_word():
    class Rare(FakeSpelling):
        def correct(self, word):
            return Correction(word, "demenslandsby", 1, 90, 2) if word == "demenslandsy" else None

    (n,) = [n for n in nodes(parse("demenslandsy", spelling=Rare()).query) if isinstance(n, T.Expansion)]
    assert n.kind == "typo" and n.boost == EXPANSION_WEIGHTS["typo"] < 1.0
