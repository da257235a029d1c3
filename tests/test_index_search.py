"""What a search of the small real catalog (tests/index_archive.py) finds and counts: stems,
compounds, phrases, operators, fields and filters, amounts and tables, facets, trend, paging,
snippets, and one-line errors."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from index_archive import DOCS, add_doc, pages_of

import catalog
from catalog import DataDir, Filters, Table
from index import QueryError, search, trend, update_index
from index.analysis import corpus_stats, stem
from index.query import parse
from index.searcher import close_all
from index.snippets import snippet


def test_stemming_finds_inflected_forms(small_archive) -> None:
    data_dir, _conn, shas = small_archive
    assert pages_of(data_dir, "budsjett") == {(shas["forslag21"], 1)}
    assert (shas["vedtak23"], 2) in pages_of(data_dir, "investering")


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("barnehage", {("forslag21", 1), ("protokoll22", 1)}),
        ("sykehjem", {("forslag21", 2), ("vedtak23", 1)}),
        ("skole", {("forslag21", 3), ("protokoll22", 1), ("protokoll22", 2)}),
        ("handlingsprogram", {("vedtak23", 1)}),
        ("idrettshall", {("vedtak23", 2)}),
    ],
)
def test_compound_words_find_their_parts(small_archive, query, expected) -> None:
    data_dir, _conn, shas = small_archive
    assert pages_of(data_dir, query) == {(shas[n], p) for n, p in expected}


def test_exact_word_ranks_above_compound(small_archive) -> None:
    data_dir, _conn, shas = small_archive
    hits = search(data_dir, "sykehjem", Filters()).hits
    assert (hits[0].sha256, hits[0].page) == (shas["vedtak23"], 1)
    assert hits[0].score > hits[1].score


def test_phrases_match_exactly(small_archive) -> None:
    data_dir, _conn, shas = small_archive
    assert pages_of(data_dir, '"nye sykehjemsplasser"') == {(shas["forslag21"], 2)}
    assert pages_of(data_dir, '"sykehjem plasser"') == set()
    assert pages_of(data_dir, '"budsjettet"') == {(shas["forslag21"], 1)}
    assert pages_of(data_dir, '"budsjett"') == set()  # quoted = unstemmed


def test_prefix_not_or(small_archive) -> None:
    data_dir, _conn, shas = small_archive
    assert pages_of(data_dir, "barneh*") == {(shas["forslag21"], 1), (shas["protokoll22"], 1)}
    assert pages_of(data_dir, "sykehjem -demenslandsby") == {(shas["vedtak23"], 1)}
    assert pages_of(data_dir, "sykehjem NOT carpe") == {(shas["vedtak23"], 1)}
    assert pages_of(data_dir, "demenslandsby OR votering") == {(shas["forslag21"], 2), (shas["protokoll22"], 1)}
    assert pages_of(data_dir, "(demenslandsby OR votering) AND enstemmig") == {(shas["protokoll22"], 1)}


def test_amounts_and_table_cells_are_searchable(small_archive) -> None:
    data_dir, _conn, shas = small_archive
    assert pages_of(data_dir, "1234567") == {(shas["forslag21"], 2)}
    assert pages_of(data_dir, '"1 234 567"') == {(shas["forslag21"], 2)}
    assert pages_of(data_dir, "45000") == {(shas["forslag21"], 3)}
    assert pages_of(data_dir, "grunnskoleopplæring") == {(shas["forslag21"], 3), (shas["protokoll22"], 2)}


def test_field_syntax(small_archive) -> None:
    data_dir, _conn, shas = small_archive
    assert pages_of(data_dir, "skole year:2022") == {(shas["protokoll22"], 1), (shas["protokoll22"], 2)}
    assert pages_of(data_dir, "skole type:forslag") == {(shas["forslag21"], 3)}
    assert pages_of(data_dir, "sykehjem committee:Kommunestyret") == {(shas["vedtak23"], 1)}
    assert pages_of(data_dir, "skole year:2021-2021") == {(shas["forslag21"], 3)}


@pytest.mark.parametrize(
    "filters",
    [
        Filters(year_from=2022),
        Filters(year_from=2021, year_to=2022),
        Filters(committee="barn-og-unge"),
        Filters(doctype="vedtak"),
        Filters(date_from="2021-01-01", date_to="2021-12-31"),
        Filters(year_to=2022, doctype="forslag"),
    ],
)
def test_every_hit_respects_the_filters(small_archive, filters) -> None:
    data_dir, conn, _shas = small_archive
    allowed = {v.sha256 for v in catalog.list_versions(conn, filters)}
    everything = pages_of(data_dir, "skole OR sykehjem OR barnehage OR investering")
    found = pages_of(data_dir, "skole OR sykehjem OR barnehage OR investering", filters)
    assert found == {(s, p) for s, p in everything if s in allowed}


def test_facets_and_trend_equal_catalog_counts(small_archive) -> None:
    data_dir, conn, _shas = small_archive
    versions = {v.sha256: v for v in catalog.list_versions(conn, Filters())}
    # Every page whose text holds "sykehjem" or "skole" (as a word or inside a compound).
    expected = [
        (v, p) for v, p in catalog.current_pages(conn)
        if v.sha256 in versions and ("sykehjem" in p.text.lower() or "skole" in p.text.lower()
                                     or any("skole" in c.lower() for t in catalog.tables_of(conn, v.sha256, p.page)
                                            for c in sum(t.rows, t.header)))
    ]
    result = search(data_dir, "sykehjem OR skole", Filters())
    assert result.total == len(expected)
    assert result.facets["year"] == {str(k): n for k, n in Counter(v.year for v, _ in expected).items()}
    assert result.facets["committee"] == dict(Counter(v.committee for v, _ in expected))
    assert result.facets["doctype"] == dict(Counter(v.doctype for v, _ in expected))
    rows = trend(data_dir, "sykehjem OR skole", Filters())
    assert [(r.year, r.pages, r.documents) for r in rows] == [
        (y, n, len({v.sha256 for v, _ in expected if v.year == y}))
        for y, n in sorted(Counter(v.year for v, _ in expected).items())
    ]


def test_limit_offset_and_snippets(small_archive) -> None:
    data_dir, _conn, _shas = small_archive
    full = search(data_dir, "skole", Filters(), limit=None)
    assert full.total == len(full.hits) == 3
    page = search(data_dir, "skole", Filters(), limit=1, offset=1)
    assert page.total == 3 and [(h.sha256, h.page) for h in page.hits] == [(full.hits[1].sha256, full.hits[1].page)]
    hit = next(h for h in full.hits if h.page == 1)
    assert "[[skole]]" in hit.snippet and hit.snippet.startswith("Vedtak")
    assert hit.url.endswith(".pdf") and hit.year == 2022 and hit.doc_id == hit.sha256[:12]
    assert search(data_dir, "skole", Filters(), facets=False).facets == {}


def test_snippet_marks_compounds_and_strips_control_characters() -> None:
    hl = parse("sykehjem").highlight
    lex, _common = corpus_stats([])  # the shipped words
    from index.analysis import DecompoundFilter

    text = "Innledning.\x1b[31m Nye sykehjemsplasser\x07 bygges i 2024. Annet."
    out = snippet(text, hl, DecompoundFilter(lex))
    assert out == "… Nye [[sykehjemsplasser]] bygges i 2024. …"
    assert out.isprintable()


@pytest.mark.parametrize(
    "query",
    ['"unbalanced', "(a OR b", "a)", "OR b", "a OR", "NOT", "-budsjett", "foo:bar", "year:abc",
     "*", "b*h", "a*", "x" * 2000, " ", '""', "a AND", "year:2023-2021"],
)
def test_bad_queries_raise_one_line_errors(small_archive, query) -> None:
    data_dir, _conn, _shas = small_archive
    with pytest.raises(QueryError) as e:
        search(data_dir, query, Filters())
    assert "\n" not in str(e.value) and str(e.value)


def test_huge_prefix_expansion_is_refused(tmp_path: Path) -> None:
    data_dir = DataDir(tmp_path / "data")
    conn = catalog.connect(data_dir)
    words = " ".join(f"ka{i:05d}x" for i in range(2100))
    add_doc(conn, data_dir, "many", [words], dict(title="t", year=2021, committee="kommunestyret", doctype="notat"))
    update_index(data_dir)
    with pytest.raises(QueryError, match="too many"):
        search(data_dir, "ka*", Filters())
    assert search(data_dir, "ka0000*", Filters()).total == 1
    close_all()


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=80))
def test_parser_raises_only_query_errors(text: str) -> None:
    try:
        parse(text)
    except QueryError as e:
        assert "\n" not in str(e)


def test_total_counts_every_match_beyond_the_top_hits(tmp_path: Path) -> None:
    """Regression: Whoosh's top-N optimisations must not drop matches from the total and facets."""
    data_dir = DataDir(tmp_path / "data")
    conn = catalog.connect(data_dir)
    pages = [f"Budsjettet side {i}. " + "drift " * (i % 37) + ("sykehjem" if i % 3 else "") for i in range(400)]
    add_doc(conn, data_dir, "lang", pages, dict(title="Lang", year=2021, committee="formannskapet", doctype="forslag"))
    update_index(data_dir)
    assert search(data_dir, "budsjett", Filters(), limit=1).total == 400
    result = search(data_dir, "budsjett sykehjem", Filters(), limit=2)
    assert result.total == len(search(data_dir, "budsjett sykehjem", Filters(), limit=None).hits) == 266
    assert result.facets["year"] == {"2021": 266}
    close_all()


COMPOUND_CASES = {
    "barnehage": {("forslag21", 1), ("protokoll22", 1)},
    "sykehjem": {("forslag21", 2), ("vedtak23", 1)},
    "skole": {("forslag21", 3), ("protokoll22", 1), ("protokoll22", 2)},
    "handlingsprogram": {("vedtak23", 1)},
    "idrettshall": {("vedtak23", 2)},
}


def test_decompounding_recall(small_archive) -> None:
    """Recall of compound queries with the parts field and with the stemmed field alone."""
    from whoosh import query as Q

    from index.searcher import open_index

    data_dir, _conn, shas = small_archive
    searcher = open_index(data_dir).searcher
    expected = {(shas[n], p) for pages in COMPOUND_CASES.values() for n, p in pages}
    with_parts = {k for q in COMPOUND_CASES for k in pages_of(data_dir, q)}
    text_only = set()
    for q in COMPOUND_CASES:
        for d in searcher.docs_for_query(Q.Term("text", stem(q))):
            f = searcher.stored_fields(d)
            text_only.add((f["sha256"], f["page"]))
    recall = len(with_parts & expected) / len(expected)
    recall_without = len(text_only & expected) / len(expected)
    assert recall == 1.0
    assert recall_without == 3 / 7  # only pages with the word standing alone (or "idrettshaller" by stem)


def test_a_table_caption_and_row_labels_find_its_page(tmp_path: Path) -> None:
    data_dir = DataDir(tmp_path / "data")
    conn = catalog.connect(data_dir)
    table = Table(2, 0, ["Programområde", "Regnskap 2019", "2021"], [["23 Barnehager", "1 234,5", "1 300,0"]],
                  caption="Tabell 4 Netto driftsrammer", unit="Tall i mill. kroner")
    sha = add_doc(conn, data_dir, "tab", ["Innledning om økonomien.", "Se tabellen."], DOCS["forslag21"]["meta"],
                  {2: table})
    update_index(data_dir)
    try:
        assert pages_of(data_dir, "netto driftsrammer") == {(sha, 2)}
        assert pages_of(data_dir, '"tall i mill. kroner"') == {(sha, 2)}
        assert pages_of(data_dir, "barnehager") == {(sha, 2)}
        (hit,) = search(data_dir, "driftsrammer", Filters()).hits  # the snippet is cut from what was indexed
        assert "[[driftsrammer]]" in hit.snippet.lower() and "Tabell 4" in hit.snippet
    finally:
        close_all()
        conn.close()


def test_search_tables_keeps_only_pages_with_tables(small_archive) -> None:
    data_dir, _conn, shas = small_archive
    everything = pages_of(data_dir, "skole")
    assert len(everything) > 1  # pages without tables match too
    assert pages_of(data_dir, "skole", Filters(tables=True)) == {(shas["forslag21"], 3)}
