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
    DecompoundFilter,
    case_number,
    corpus_stats,
    folded_term,
    shipped_words,
    stem,
)
from index.opensearch.schema import WEIGHTS, index_body, page_source
from index.opensearch.translate import search_request
from index.schema import FIELD_BOOSTS, make_schema

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
SPLIT = DecompoundFilter(LEXICON)


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
    from index.opensearch.schema import page_id

    name = unique_name()
    create_index(os_client, name, LEXICON, COMMON)
    pages = [(page_id(version(d).doc_id, 1, i), page_source(version(d), i, t, [], decompound=SPLIT))
             for d, texts in PAGES.items() for i, t in enumerate(texts, 1)]
    summary = index_pages(os_client, name, pages)
    assert (summary.indexed, summary.failed) == (len(pages), 0), summary.errors
    refresh(os_client, name)
    yield name
    os_client.indices.delete(index=name)


def test_stems_are_pythons(os_client, archive):
    """The stemmed field holds exactly the terms index/analysis.py makes, over a real vocabulary
    (the shipped words, the sample archive's and the research notes' words), so a term the
    query parser computes meets the same term in OpenSearch."""
    from index.analysis import WORD_RE

    root = Path(__file__).resolve().parent.parent
    texts = [p.read_text(errors="replace") for p in (root / "sample").glob("*.py")]
    texts += [p.read_text(errors="replace") for p in (root / "docs").glob("*.md")]
    words = sorted({w.lower() for t in texts for w in WORD_RE.findall(t) if w.isalpha()} | set(shipped_words()))
    assert len(words) > 1500
    words = [w for w in words if w not in STOPWORDS]
    stem_diffs = []
    for i in range(0, len(words), 2000):
        chunk = words[i:i + 2000]
        stems = by_analyzer(os_client, archive, "hp_text", chunk)
        stem_diffs += [(w, s) for w, s in zip(chunk, stems, strict=True) if s != stem(w)]
    assert stem_diffs == []


def test_parts_and_folded_terms_are_whooshs(os_client, archive):
    """The parts and folded fields hold, term for term and count for count, what Whoosh's
    fields index for the same page: the document sent carries Whoosh's postings, and the
    engine finds each page by each of them."""
    from collections import Counter

    whoosh = make_schema(LEXICON, COMMON)
    for name, texts in PAGES.items():
        doc_id = version(name).doc_id
        for i, text in enumerate(texts, 1):
            sent = page_source(version(name), i, text, [], decompound=SPLIT)
            for field in ("parts", "folded"):
                expected = {t.decode(): freq for t, freq, _w, _v in whoosh[field].index(text)}
                assert Counter(sent[field].split()) == expected, (name, field)
                for term in expected:
                    q = {"bool": {"filter": [{"ids": {"values": [f"{doc_id}-v1-p{i}"]}}, {"term": {field: term}}]}}
                    assert os_client.count(index=archive, body={"query": q})["count"] == 1, (name, field, term)


def by_analyzer(client, index: str, analyzer: str, words: list[str]) -> list[str]:
    """Each word's one term under an index's analyzer (words given one by one)."""
    tokens = client.indices.analyze(index=index, body={"analyzer": analyzer, "text": words})["tokens"]
    assert len(tokens) == len(words)
    return [t["token"] for t in tokens]


def test_aasen_is_asen(os_client, archive):
    """Scandinavian folding: "åsen" finds "Aasen", "aasen" too; the folded field holds the folded stem."""
    assert folded_term("aasen") == folded_term("åsen")
    assert stem("aasen") != stem("åsen")  # why folding comes before stemming
    assert found(os_client, archive, "åsen") == {"aasen"}
    assert found(os_client, archive, "Aasen") == {"aasen"}


def test_compound_parts_are_found(os_client, archive):
    """"sykehjemsplasser" is found by "sykehjem" and by "plasser"; the parts field keeps only parts."""
    parts = set(page_source(version("x"), 1, "Nye sykehjemsplasser.", [], decompound=SPLIT)["parts"].split())
    assert parts >= {stem("sykehjem"), stem("plasser")}
    assert stem("sykehjemsplasser") not in parts  # the whole word is in `body` only
    assert found(os_client, archive, "sykehjem") == {"sykehjem"}
    assert found(os_client, archive, "plasser") == {"sykehjem"}
    assert found(os_client, archive, "sykehjemsplasser") == {"sykehjem"}


def test_short_words_are_no_parts(os_client, archive):
    """"vei" is in our word list but shorter than a part may be: it does not match "Veiledning"
    (an unbounded decompounder over the same list would split it off, the issue's pitfall)."""
    assert "vei" in shipped_words()
    assert stem("vei") not in page_source(version("x"), 1, "Veiledning", [], decompound=SPLIT)["parts"].split()
    assert found(os_client, archive, "vei") == {"veibygging"}


def test_no_decompounder_in_the_engine():
    """The parts come from index/fields.py, so the engine's settings carry no word list, and
    the field weights are Whoosh's."""
    settings = index_body(LEXICON)["settings"]["index"]["analysis"]
    assert not any(f.get("type", "").endswith("decompounder") for f in settings["filter"].values())
    assert WEIGHTS == {"parts": FIELD_BOOSTS["parts"]}


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
