"""The OpenSearch index analyses pages as Whoosh does, proved on the real local cluster.

Each test makes its own index (index/opensearch/schema.py), asks the `_analyze` API what
a field holds, and runs the queries that index/query.py parses, translated.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from opensearch_cluster import unique_name, version

from catalog.models import Filters
from index.analysis import (
    STOPWORDS,
    case_number,
    corpus_stats,
    folded_term,
    shipped_words,
    stem,
)
from index.opensearch.schema import MAX_PART, WEIGHTS, index_body, word_list
from index.opensearch.translate import search_request
from index.schema import FIELD_BOOSTS

PAGES = {
    "aasen": ["Reguleringsplan for Aasen skole og boligfelt."],
    "sykehjem": ["Det bygges nye sykehjemsplasser på Carpe Diem demenslandsby."],
    "veiledning": ["Veiledning til søknaden om tilskudd."],
    "veibygging": ["Ny vei til skolen: vei og fortau bygges i 2024."],
    "sak2020": ["Kommunestyret behandlet sak 152/2020 om budsjett."],
    "sak20": ["Se sak 152/20 og arkivsak 2020/13890."],
    "sak087": ["Formannskapet, sak 087/20, innstilling."],
    "ap-navn": ["Arbeiderpartiet fremmet et alternativt budsjett."],
    "ap-forkortelse": ["Forslaget fra Ap ble vedtatt."],
    "ap-stemmer": ["Forslaget falt mot 2Ap og 3FrP sine stemmer."],
    "skole": ["Skolen trenger nye lokaler."],
}
PAGES["tall"] = ["Tall i mill. kroner: 1 234 567. Driften i mill kroner, og mill. og kroner."]
LEXICON, COMMON = corpus_stats(t for texts in PAGES.values() for t in texts)


def analyze(client, index: str, field: str, text: str) -> list[dict]:
    return client.indices.analyze(index=index, body={"field": field, "text": text})["tokens"]


def terms(client, index: str, field: str, text: str) -> list[str]:
    return [t["token"] for t in analyze(client, index, field, text)]


def found(client, index: str, query: str, filters: Filters | None = None) -> set[str]:
    """The test documents (by name) whose pages the query finds."""
    body = search_request(query, filters, size=100, facets=False, common=COMMON)
    if body is None:
        return set()
    hits = client.search(index=index, body=body)["hits"]
    assert hits["total"]["relation"] == "eq"
    return {h["_source"]["title"] for h in hits["hits"]}


@pytest.fixture(scope="module")
def archive(os_client):
    """The test pages in one index, shared by this module's tests."""
    from index.opensearch.bulk import create_index, index_pages, refresh
    from index.opensearch.schema import page_id, page_source

    name = unique_name()
    create_index(os_client, name, LEXICON, COMMON)
    pages = [(page_id(version(d).doc_id, 1, i), page_source(version(d), i, t, []))
             for d, texts in PAGES.items() for i, t in enumerate(texts, 1)]
    summary = index_pages(os_client, name, pages)
    assert (summary.indexed, summary.failed) == (len(pages), 0), summary.errors
    refresh(os_client, name)
    yield name
    os_client.indices.delete(index=name)


def test_stems_and_folds_are_pythons(os_client, archive):
    """The stemmed and folded fields hold exactly the terms index/analysis.py makes, over a
    real vocabulary (the shipped words, the sample archive's and the research notes' words),
    so a term the query parser computes meets the same term in OpenSearch."""
    from index.analysis import WORD_RE

    root = Path(__file__).resolve().parent.parent
    texts = [p.read_text(errors="replace") for p in (root / "sample").glob("*.py")]
    texts += [p.read_text(errors="replace") for p in (root / "docs").glob("*.md")]
    words = sorted({w.lower() for t in texts for w in WORD_RE.findall(t) if w.isalpha()} | set(shipped_words()))
    assert len(words) > 1500
    words = [w for w in words if w not in STOPWORDS]
    stem_diffs, fold_diffs = [], []
    for i in range(0, len(words), 2000):
        chunk = words[i:i + 2000]
        stems = by_analyzer(os_client, archive, "hp_text", chunk)
        folded = by_analyzer(os_client, archive, "hp_folded_query", chunk)
        stem_diffs += [(w, s) for w, s in zip(chunk, stems, strict=True) if s != stem(w)]
        fold_diffs += [(w, f) for w, f in zip(chunk, folded, strict=True) if f != folded_term(w)]
    assert stem_diffs == []
    assert fold_diffs == []


def by_analyzer(client, index: str, analyzer: str, words: list[str]) -> list[str]:
    """Each word's one term under an index's analyzer (words given one by one)."""
    tokens = client.indices.analyze(index=index, body={"analyzer": analyzer, "text": words})["tokens"]
    assert len(tokens) == len(words)
    return [t["token"] for t in tokens]


def test_aasen_is_asen(os_client, archive):
    """Scandinavian folding: "åsen" finds "Aasen", "aasen" too; the folded field holds the folded stem."""
    assert terms(os_client, archive, "body.folded", "Aasen") == [folded_term("aasen")] == [folded_term("åsen")]
    assert stem("aasen") != stem("åsen")  # why folding comes before stemming
    assert found(os_client, archive, "åsen") == {"aasen"}
    assert found(os_client, archive, "Aasen") == {"aasen"}


def test_compound_parts_found_and_marked_whole(os_client, archive):
    """"sykehjemsplasser" is found by "sykehjem" and by "plasser"; each part carries the whole
    word's offsets, so the highlight marks the whole word; the parts field keeps only parts."""
    text = "Nye sykehjemsplasser."
    parts = analyze(os_client, archive, "body.parts", text)
    assert {t["token"] for t in parts} >= {stem("sykehjem"), stem("plasser")}
    assert stem("sykehjemsplasser") not in {t["token"] for t in parts}  # the whole word is in `body` only
    assert {(t["start_offset"], t["end_offset"]) for t in parts} == {(4, 20)}
    assert found(os_client, archive, "sykehjem") == {"sykehjem"}
    assert found(os_client, archive, "plasser") == {"sykehjem"}
    assert found(os_client, archive, "sykehjemsplasser") == {"sykehjem"}

    body = search_request("sykehjem", size=5, facets=False, highlight=True)
    hit = os_client.search(index=archive, body=body)["hits"]["hits"][0]
    assert hit["highlight"]["body.parts"] == ["Det bygges nye [[sykehjemsplasser]] på Carpe Diem demenslandsby."]


def test_short_words_are_no_parts(os_client, archive):
    """"vei" is in our word list but shorter than a part may be: it does not match
    "Veiledning". An unbounded decompounder over the same list would split it off."""
    assert "vei" in shipped_words() and "vei" not in word_list(LEXICON)
    assert "vei" not in terms(os_client, archive, "body.parts", "Veiledning")
    assert found(os_client, archive, "vei") == {"veibygging"}
    unbounded = os_client.indices.analyze(body={"tokenizer": "standard", "text": "Veiledning", "filter": [
        "lowercase", {"type": "dictionary_decompounder", "word_list": sorted(shipped_words())}]})["tokens"]
    assert "vei" in {t["token"] for t in unbounded}  # the pitfall the bounds prevent


def test_decompounder_is_bounded_in_the_settings():
    """The decompounder's bounds are the splitter's (index/analysis.py) and the weights Whoosh's."""
    from index.analysis import MIN_COMPOUND, MIN_PART

    settings = index_body(LEXICON)["settings"]["index"]["analysis"]["filter"]["hp_compound_parts"]
    assert (settings["min_subword_size"], settings["max_subword_size"]) == (MIN_PART, MAX_PART)
    assert settings["min_word_size"] == MIN_COMPOUND + 1  # words carry a one-character mark when split
    assert all(MIN_PART <= len(w) <= MAX_PART for w in settings["word_list"])
    assert WEIGHTS == {"body.parts": FIELD_BOOSTS["parts"]}


def test_case_numbers(os_client, archive):
    """"152/20" = "152/2020"; "087/20" = "87/20"; the refs field holds case_number()'s form."""
    for typed in ("152/2020", "152/20", "087/2020", "2020/13890", "20 / 13890", "0152/20"):
        assert terms(os_client, archive, "body.refs", typed) == [case_number(typed)]
    assert found(os_client, archive, "152/20") == {"sak2020", "sak20"}
    assert found(os_client, archive, "152/2020") == {"sak2020", "sak20"}
    assert found(os_client, archive, "87/20") == {"sak087"}
    assert found(os_client, archive, "20/13890") == {"sak20"}


def test_party_names(os_client, archive):
    """"Ap" finds "Arbeiderpartiet" and the vote list's "2Ap" (split into a count and a party), and
    the other way round: the parser's party names, translated."""
    assert terms(os_client, archive, "body.exact", "2Ap og 3FrP") == ["2", "ap", "og", "3", "frp"]
    party_pages = {"ap-navn", "ap-forkortelse", "ap-stemmer"}
    assert found(os_client, archive, "Ap") == party_pages
    assert found(os_client, archive, "Arbeiderpartiet") == party_pages


def test_stemming_and_filters(os_client, archive):
    """Inflections meet ("skolen" finds "skole"), and filters restrict without scoring."""
    assert found(os_client, archive, "skolen") >= {"skole", "aasen"}
    assert found(os_client, archive, "skolen", Filters(year_from=2022)) == set()
    assert found(os_client, archive, "skolen year:2021") >= {"skole"}


def test_word_pairs_are_whooshs(os_client, archive):
    """The pairs field holds the adjacent pairs of common words Whoosh's does (none across a
    word left out), and a phrase of two common words is answered from it."""
    from index.analysis import pairs_analyzer
    from index.opensearch.bulk import index_common_words

    assert index_common_words(os_client, archive) == COMMON
    text = PAGES["tall"][0] + " Carpe Diem kroner mill xylofon kroner mill"
    assert "xylofon" not in COMMON  # a word left out: no pair across it
    expected = [t.text for t in pairs_analyzer(COMMON)(text)]
    assert terms(os_client, archive, "body.pairs", text) == expected
    assert "mill kroner" in expected and "kroner mill" in expected and "mill xylofon" not in expected
    assert len(expected) == len(text.split()) - 1 - 2  # every adjacent pair but the two across "xylofon"
    body = search_request('"mill kroner"', size=10, facets=False, common=COMMON)
    assert clauses_of(body, "term") and not clauses_of(body, "match_phrase")
    assert found(os_client, archive, '"mill kroner"') == {"tall"}
    assert found(os_client, archive, '"kroner og mill"') == {"tall"}  # positions still decide longer phrases
    assert found(os_client, archive, '"kroner mill og"') == set()


def clauses_of(body: dict, kind: str) -> list:
    out = []

    def walk(x):
        if isinstance(x, dict):
            out.extend(v for k, v in x.items() if k == kind)
            for v in x.values():
                walk(v)
        elif isinstance(x, list):
            for v in x:
                walk(v)

    walk(body)
    return out
