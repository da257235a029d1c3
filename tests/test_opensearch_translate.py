"""index/query.py's trees in OpenSearch's DSL (no cluster needed: the shapes are checked here,
the answers in tests/test_opensearch_schema.py)."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from catalog.models import Filters
from index.errors import QueryError
from index.opensearch.client import EngineError, parse_urls
from index.opensearch.schema import FIELDS, analysis, index_body, mappings, page_id
from index.opensearch.translate import search_request, translate
from index.query import parse


def clauses(body: dict, kind: str) -> list[dict]:
    """Every `kind` clause anywhere in a request body."""
    found = []

    def walk(x):
        if isinstance(x, dict):
            for k, v in x.items():
                if k == kind:
                    found.append(v)
                walk(v)
        elif isinstance(x, list):
            for v in x:
                walk(v)

    walk(body)
    return found


def test_a_word_is_its_stem_parts_and_folded_form_with_whooshs_weights() -> None:
    q = translate(parse("økonomien").query)
    terms = {(field, v["value"] if isinstance(v, dict) else v, v.get("boost", 1.0) if isinstance(v, dict) else 1.0)
             for t in clauses(q, "term") for field, v in t.items()}
    assert terms == {("body", "økonomi", 2.0), ("body.parts", "økonomi", 0.5), ("body.exact", "økonomien", 1.0),
                     ("body.folded", "okonomi", 0.5), ("body", "okonomi", 0.5)}


def test_phrases_negations_fields_and_titles() -> None:
    body = search_request('"mill kroner" drift -skole year:2020-2021 committee:kommunestyret', Filters())
    assert clauses(body, "match_phrase") == [{"body.exact": {"query": "mill kroner", "slop": 0}}]
    assert clauses(body, "must_not")  # the negated word, and superseded versions
    filters = body["query"]["bool"]["filter"]
    assert clauses(filters, "range") == [{"year": {"gte": 2020, "lte": 2021}}]
    assert clauses(filters, "term") == [{"committee": "kommunestyret"}, {"superseded": True}]
    assert {"bool": {"must_not": [{"term": {"superseded": True}}]}} in filters
    assert not clauses(body["query"]["bool"]["must"], "range")  # the fields left the scored part
    assert clauses(body["query"]["bool"]["should"], "term") == [{"title": "drift"}]  # the title adds to the score
    assert set(body["aggs"]) == {"year", "committee", "doctype", "kommune"} and body["track_total_hits"] is True


def test_filters_that_exclude_each_other_ask_nothing() -> None:
    assert search_request("skole year:2020", Filters(year_from=2022, year_to=2023)) is None


def test_all_versions_keeps_superseded_pages() -> None:
    body = search_request("skole", Filters(all_versions=True), facets=False)
    assert "superseded" not in json.dumps(body)


def test_sorts() -> None:
    assert search_request("skole", sort="newest")["sort"][0] == {"when": {"order": "desc", "missing": "_last"}}
    with pytest.raises(QueryError):
        search_request("skole", sort="sideways")


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from(["budsjett", "Ap", "152/20", '"nye sykehjemsplasser"', "barneh*", "-skole",
                                 "NOT kultur", "OR", "year:2021", "type:vedtak", "(", ")", "Høyre", "covid-19",
                                 "committee:HBO", "baerum", "og", "2,4 mrd", "2446,3", "HMIK", "sjukeheim",
                                 "eldreomsorg", "hovedutvalg for bistand og omsorg"]), min_size=1, max_size=6))
def test_every_query_the_parser_accepts_translates(words: list[str]) -> None:
    """Whatever the parser turns into a tree, the translator can spell, on fields the index has."""
    text = " ".join(words)
    try:
        parsed = parse(text)
    except QueryError:
        return
    body = search_request(parsed, Filters())
    if body is None:
        return
    known = set(mappings()["properties"]) | {f"body.{f}" for f in mappings()["properties"]["body"]["fields"]}
    for kind in ("term", "match_phrase", "prefix", "range"):
        for clause in clauses(body, kind):
            assert set(clause) <= known, clause


def test_every_whoosh_field_has_a_home() -> None:
    props = mappings()["properties"]
    subfields = props["body"]["fields"]
    for field in FIELDS.values():
        head, _, sub = field.partition(".")
        assert head in props and (not sub or sub in subfields), field


def test_the_analysis_names_only_what_it_defines() -> None:
    a = analysis(frozenset({"sykehjem", "plass", "vei"}))
    for name, spec in a["analyzer"].items():
        assert spec["tokenizer"] in a["tokenizer"], name
        for f in spec["filter"]:
            assert f in a["filter"] or f == "lowercase", (name, f)
    for field in mappings()["properties"]["body"]["fields"].values():
        assert field["analyzer"] in a["analyzer"]
    assert index_body(frozenset())["settings"]["index"]["number_of_replicas"] == 1


def test_page_ids_are_idempotent() -> None:
    assert page_id("0123456789ab", 2, 17) == "0123456789ab-v2-p17"


def test_urls() -> None:
    assert parse_urls("http://127.0.0.1:9200, http://127.0.0.1:9201/") == ["http://127.0.0.1:9200",
                                                                           "http://127.0.0.1:9201"]
    for bad in ("", "127.0.0.1:9200", "ftp://x", ","):
        with pytest.raises(EngineError):
            parse_urls(bad)


def test_phrases_of_common_words_use_their_pairs() -> None:
    """As Whoosh's pair_phrases: two common words are one pairs term; a longer phrase keeps its
    position check, with its pairs and words as a cheap pre-filter."""
    common = frozenset({"mill", "kroner", "i"})
    body = search_request('"mill kroner"', facets=False, common=common)
    assert clauses(body["query"]["bool"]["must"], "term") == [{"body.pairs": "mill kroner"}]
    assert not clauses(body, "match_phrase")
    body = search_request('"tall i mill kroner"', facets=False, common=common)
    must = body["query"]["bool"]["must"]
    assert {"body.pairs": "i mill"} in clauses(must, "term") and {"body.pairs": "mill kroner"} in clauses(must, "term")
    assert clauses(must, "match_phrase") == [{"body.exact": {"query": "tall i mill kroner", "slop": 0}}]
    plain = search_request('"mill kroner"', facets=False)["query"]["bool"]["must"]  # no common words: positions
    assert not clauses(plain, "term") and clauses(plain, "match_phrase")


def test_expansions_translate_with_their_weights_and_the_words_as_typed_rank_first() -> None:
    """Issue 18: the alternatives are in the tree (an Or of each kind's weight), and the query as
    typed is a constant score above any expansion's, as index.search ranks it first."""
    body = search_request("sjukeheim 2,4 mrd", Filters())
    boosts = [c.get("boost") for c in clauses(body, "bool") if c.get("minimum_should_match") == 1 and "boost" in c]
    assert 0.5 in boosts
    assert {"amounts": "k24e8"} in [c for c in clauses(body, "term")]
    (first,) = [c for c in clauses(body, "constant_score") if c.get("boost") == 1e4]
    assert "sykehjem" not in str(first["filter"]) and "sjukeheim" in str(first["filter"])
    assert not [c for c in clauses(search_request("budsjett", Filters()), "constant_score") if c.get("boost") == 1e4]
