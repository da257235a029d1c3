"""index/query.py's expansions (issue 18): every alternative is a node of the query tree, in an Or
of its kind's weight, so any backend that translates the tree searches it; `exact` and quoted
phrases have none; the parsed query says what was added and which committees were named."""

from __future__ import annotations

import pytest
from whoosh import query as Q

from index.query import EXPANSION_WEIGHTS, parse
from index.spelling import Correction

# What a backend's translation must know (index/opensearch/translate.py handles these).
TREE_NODES = (Q.Term, Q.Phrase, Q.Or, Q.And, Q.Not, Q.AndNot, Q.Prefix, Q.NumericRange, Q.ConstantScoreQuery)


def nodes(q: Q.Query):
    yield q
    for child in getattr(q, "subqueries", ()) or ():
        yield from nodes(child)
    for attr in ("a", "b", "query", "child"):
        child = getattr(q, attr, None)
        if isinstance(child, Q.Query):
            yield from nodes(child)


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
    weights = {round(n.boost, 3) for n in nodes(parsed.query) if isinstance(n, Q.Or) and n.boost != 1.0}
    assert weights <= {w for w in EXPANSION_WEIGHTS.values() if w < 1.0} and weights
    assert all(isinstance(n, TREE_NODES) for n in nodes(parsed.query))
    assert parsed.exact == parse("HBO sjukeheim eldreomsorg 2,4 mrd demenslandsy alarm", exact=True,
                                 spelling=FakeSpelling()).query
    assert not any(isinstance(n, Q.Or) and n.boost < 1.0 for n in nodes(parsed.exact))


def test_exact_quoted_and_negated_words_are_never_expanded():
    assert parse("HBO sjukeheim 2,4 mrd", exact=True).expansions == []
    assert parse('"sjukeheim" "eldreomsorg"').expansions == []
    negated = parse("barnehage -sjukeheim -eldreomsorg")
    assert negated.expansions == [] and "sykehjem" in str(negated.query)  # excluded too, unsaid
    assert parse("demenslandsy", exact=True, spelling=FakeSpelling()).expansions == []
    # a party's other names too: --exact is the word as typed
    assert "text:h^" in str(parse("Høyre").query) and "text:h^" not in str(parse("Høyre", exact=True).query)


def test_a_correction_and_compounds_come_from_the_index_only_when_nothing_else_explains_the_word():
    sp = FakeSpelling()
    assert kinds("demenslandsy", spelling=sp) == {"typo": ("demenslandsby",)}
    assert kinds("alarm", spelling=sp) == {"compound": ("trygghetsalarm",)}
    assert "typo" not in kinds("sjukeheim", spelling=sp) and "typo" not in kinds("demenslandsy")  # no index, no typo


def test_a_multiword_name_is_searched_in_the_forms_the_index_holds():
    parsed = parse("LDIP", spelling=FakeSpelling())
    phrases = [n.words for n in nodes(parsed.query) if isinstance(n, Q.Phrase)]
    assert ["langsiktig", "drifts", "og", "investeringsplan"] in phrases
    assert ["langsiktige", "drifts", "og", "investeringsplan"] in phrases


def test_a_committee_named_is_a_filter_suggestion_and_a_search_term():
    parsed = parse("HMIK kunstgress")
    (s,) = parsed.suggestions
    assert (s.committee, s.typed, s.rest) == ("miljo-idrett-og-kultur", "HMIK", "kunstgress")
    assert "hmik" in str(parsed.query) and "kunstgres" in str(parsed.query)  # never only a filter
    assert parse("hovedutvalg for bistand og omsorg").suggestions[0].committee == "bistand-og-omsorg"
    assert parse("er det").suggestions == [] and parse("er det").expansions == []  # "er" is no Eldrerådet


def test_years_and_case_numbers_keep_working():
    assert parse("2021").expansions == [] and "2021" in str(parse("2021").query)
    assert str(parse("123/20").query) == "refs:123/20"
    assert kinds("HP 2021 kapittel").keys() == {"abbreviation"}


def test_inflections_the_stemmer_leaves_apart_are_the_word_even_when_exact():
    for exact in (False, True):
        q = parse("kunstgressbanen", exact=exact, spelling=FakeSpelling()).query
        assert "text:kunstgressb^" in str(q) and "text:kunstgressban^" in str(q)
