"""The Norwegian analysis under the index (index/analysis.py, index/fields.py) and the Whoosh
internals it leans on (index/postings.py, index/docsets.py): each held to Whoosh's own results."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from index_archive import add_doc, pages_of

import catalog
from catalog import DataDir
from index import update_index
from index.analysis import corpus_stats, joined_amounts, split_compound, stem
from index.searcher import close_all


def test_joined_amounts() -> None:
    """Grouped amounts are also indexed joined, so 1234567 finds "1 234 567" (any space kind)."""
    text = "Ramme 1 234 567 og -12 345 samt 1 234,5; år 2021 2022 2023, 45 og 12,5 %"
    assert joined_amounts(text) == ["1234567", "12345", "1234"]
    assert joined_amounts("kr 1\u202f234\u202f567 og 1\u00a0234") == ["1234567", "1234"]


def test_compound_splitting_rules() -> None:
    lex, _common = corpus_stats([])  # the shipped words
    stems = frozenset(stem(w) for w in lex)
    assert split_compound("sykehjemsplasser", lex, stems)[:1] == ["sykehjem"]
    assert "barnehage" in split_compound("barnehageplassene", lex, stems)
    assert "skole" in split_compound("grunnskoleopplæring", lex, stems)
    assert split_compound("budsjettet", lex, stems) == []
    assert split_compound("forslaget", lex, stems) == []


def test_folding_comes_before_stemming(tmp_path: Path) -> None:
    """"åsen" finds "Aasen": folded first, both are "asen" (stemmed first, the double vowel
    moves Snowball's stem region: "aas" against "åsen"). OpenSearch's folded field does the same."""
    from index.analysis import folded_term, scandinavian_fold

    assert stem("aasen") != stem("åsen") and folded_term("aasen") == folded_term("åsen") == "asen"
    # Lucene's folding, one pass: plain double vowels lose their second letter, æøå never pair.
    assert scandinavian_fold("blaabaarsyltetoej") == scandinavian_fold("blåbærsyltetøj") == "blabarsyltetoj"
    assert scandinavian_fold("investeringsnivået") == "investeringsnivaet"
    data_dir = DataDir(tmp_path / "data")
    conn = catalog.connect(data_dir)
    sha = add_doc(conn, data_dir, "aasen", ["Reguleringsplan for Aasen skole."], {"title": "Plan", "year": 2021})
    other = add_doc(conn, data_dir, "asen", ["Turvei ved Åsen gård."], {"title": "Tur", "year": 2021})
    update_index(data_dir)
    try:
        assert pages_of(data_dir, "åsen") == pages_of(data_dir, "Aasen") == pages_of(data_dir, "asen") == {
            (sha, 1), (other, 1)}
    finally:
        close_all()
        conn.close()


@settings(max_examples=60, deadline=None)
@given(st.text(alphabet=st.sampled_from("aæbkSø IİÅ-1 2\n.ß"), max_size=60)
       | st.sampled_from(["Barnehageplassene og sykehjemsplasser i 2021", "mill. kroner 1 234 567 mill kroner",
                          "Bærum økonomiplan 2Ap Åsen baerum", "sykehjemsplassene på Østerås"]))
def test_shared_tokenisation_equals_the_analyzers(text: str) -> None:
    """The fields' one-pass indexing (index/fields.py) gives the postings their analyzers would."""
    from whoosh.fields import FieldType

    from index.schema import make_schema

    schema = make_schema(frozenset({"barnehage", "barn", "hage", "plass", "sykehjem", "kroner"}),
                         frozenset({"mill", "kroner", "i", "og", "1", "ß"}))
    for name in ("text", "exact", "parts", "pairs", "folded"):
        field = schema[name]
        fast = sorted(field.index(text))
        slow = sorted(FieldType.index(field, text, mode="index"))
        assert fast == slow, name


@pytest.mark.parametrize("phrase", ["nye sykehjemsplasser", "sykehjem plasser", "mill kroner",
                                    "til nye sykehjemsplasser", "i budsjettet for"])
def test_pair_phrases_match_what_positions_match(small_archive, phrase: str) -> None:
    """Phrases answered from the word-pair field (and the exact set algebra) equal Whoosh's Phrase."""

    from index.docsets import docset
    from index.searcher import open_index
    from index.tree import Phrase, pair_phrases
    from index.whoosh_tree import to_whoosh

    data_dir, _conn, _shas = small_archive
    searcher = open_index(data_dir).searcher
    q = Phrase("exact", tuple(phrase.split()))
    for common in (searcher.schema["pairs"].common, frozenset()):  # pair terms, or positions only
        assert docset(searcher, to_whoosh(pair_phrases(q, common))) == set(searcher.docs_for_query(to_whoosh(q)))


def test_posting_blocks_equal_whoosh_matchers(small_archive) -> None:
    """index/postings.py reads Whoosh's private block layout: its ids and weights must be the
    matcher's own, deleted pages reported, in every segment (re-run after a Whoosh upgrade)."""
    from whoosh import index as whoosh_index

    from index.postings import term_postings
    from index.searcher import open_index

    data_dir, _conn, shas = small_archive
    ix = whoosh_index.open_dir(str(data_dir.index))
    writer = ix.writer()
    assert writer.delete_by_term("sha256", shas["vedtak23"]) == 2
    writer.commit(merge=False)
    ix.close()
    searcher = open_index(data_dir).searcher
    deleted_seen = False
    for fieldname, text in [("text", stem("barnehage")), ("text", stem("økes")), ("exact", "og"),
                            ("parts", stem("plass")), ("doctype", "protokoll"), ("superseded", False)]:
        want = []
        for sub, base in searcher.leaf_searchers():
            m = sub.reader().postings(fieldname, text)  # Whoosh's matcher skips deleted pages itself
            while m.is_active():
                want.append((m.id() + base, m.weight()))
                m.next()
        got = []
        for seg in term_postings(searcher, fieldname, text, weights=True):
            deleted_seen = deleted_seen or bool(seg.deleted)
            got += [(d + seg.base, w) for d, w in zip(seg.ids, seg.weights, strict=True) if d not in seg.deleted]
        assert want and got == want, (fieldname, text)
    assert deleted_seen, "the deleted pages were still in the postings, and reported"
