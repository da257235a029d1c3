"""The index stage on a small real catalog of hand-written Norwegian pages."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import catalog
from catalog import DataDir, Filters, PageText, Table
from index import IndexLocked, IndexMissing, QueryError, search, trend, update_index
from index.analysis import corpus_stats, joined_amounts, split_compound, stem
from index.errors import IndexOutdated
from index.query import parse
from index.searcher import close_all
from index.snippets import snippet
from index.writer import indexed_pages, writer_lock

BASE = "https://www.baerum.kommune.no/politikk/hp/"

DOCS = {
    "forslag21": dict(
        meta=dict(title="Kommunedirektørens forslag HP 2021-2024", year=2021, period="2021-2024",
                  committee="formannskapet", doctype="forslag", date="2020-09-15"),
        pages=[
            "Kommunedirektørens forslag til budsjettet for 2021. Barnehageplassene skal økes med 120.",
            "Det bygges nye sykehjemsplasser på Carpe Diem demenslandsby. Tall i mill. kroner: 1 234 567.",
            "Oversikt over driften i sektoren.",
        ],
        tables={3: Table(3, 0, ["Tjeneste", "Beløp"], [["Grunnskoleopplæring", "45 000"]])},
    ),
    "protokoll22": dict(
        meta=dict(title="Protokoll HBU", year=2022, period="2022-2025", committee="barn-og-unge",
                  doctype="protokoll", date="2021-11-02"),
        pages=[
            "Vedtak: Barnehage og skole prioriteres i planperioden. Votering: enstemmig.",
            "Midler til grunnskoleopplæring i Bærum økes.",
        ],
        tables={},
    ),
    "vedtak23": dict(
        meta=dict(title="Vedtatt HP 2023-2026", year=2023, period="2023-2026", committee="kommunestyret",
                  doctype="vedtak", date="2022-12-14"),
        pages=[
            "Sykehjem og hjemmetjenester styrkes. Kommunestyret vedtok handlingsprogrammet.",
            "Investeringer i idrettshaller og svømmebasseng.",
        ],
        tables={},
    ),
}


def add_doc(conn, data_dir: DataDir, name: str, pages: list[str], meta: dict, tables: dict | None = None,
            url: str | None = None) -> str:
    """Record and extract one version the way the crawler and extractor would."""
    data = ("\n".join(pages) + name).encode()
    sha = data_dir.store_bytes(data)
    catalog.record_version(
        conn, url=url or BASE + name + ".pdf", sha256=sha, size=len(data), media_type="pdf",
        content_type="application/pdf", etag=None, last_modified=None, meta=meta,
        provenance={k: "test" for k in meta},
    )
    catalog.record_extraction(
        conn, sha, status="ok", error=None,
        pages=[PageText(i, t) for i, t in enumerate(pages, 1)],
        tables=list((tables or {}).values()),
    )
    return sha


@pytest.fixture
def archive(tmp_path: Path):
    data_dir = DataDir(tmp_path / "data")
    conn = catalog.connect(data_dir)
    shas = {name: add_doc(conn, data_dir, name, d["pages"], d["meta"], d["tables"]) for name, d in DOCS.items()}
    update_index(data_dir)
    yield data_dir, conn, shas
    close_all()
    conn.close()


def pages_of(data_dir: DataDir, query: str, filters: Filters | None = None) -> set[tuple[str, int]]:
    return {(h.sha256, h.page) for h in search(data_dir, query, filters or Filters(), limit=None).hits}


def test_missing_index_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(IndexMissing, match="hparkiv update"):
        search(DataDir(tmp_path), "budsjett", Filters())


def test_stemming_finds_inflected_forms(archive) -> None:
    data_dir, _conn, shas = archive
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
def test_compound_words_find_their_parts(archive, query, expected) -> None:
    data_dir, _conn, shas = archive
    assert pages_of(data_dir, query) == {(shas[n], p) for n, p in expected}


def test_exact_word_ranks_above_compound(archive) -> None:
    data_dir, _conn, shas = archive
    hits = search(data_dir, "sykehjem", Filters()).hits
    assert (hits[0].sha256, hits[0].page) == (shas["vedtak23"], 1)
    assert hits[0].score > hits[1].score


def test_phrases_match_exactly(archive) -> None:
    data_dir, _conn, shas = archive
    assert pages_of(data_dir, '"nye sykehjemsplasser"') == {(shas["forslag21"], 2)}
    assert pages_of(data_dir, '"sykehjem plasser"') == set()
    assert pages_of(data_dir, '"budsjettet"') == {(shas["forslag21"], 1)}
    assert pages_of(data_dir, '"budsjett"') == set()  # quoted = unstemmed


def test_prefix_not_or(archive) -> None:
    data_dir, _conn, shas = archive
    assert pages_of(data_dir, "barneh*") == {(shas["forslag21"], 1), (shas["protokoll22"], 1)}
    assert pages_of(data_dir, "sykehjem -demenslandsby") == {(shas["vedtak23"], 1)}
    assert pages_of(data_dir, "sykehjem NOT carpe") == {(shas["vedtak23"], 1)}
    assert pages_of(data_dir, "demenslandsby OR votering") == {(shas["forslag21"], 2), (shas["protokoll22"], 1)}
    assert pages_of(data_dir, "(demenslandsby OR votering) AND enstemmig") == {(shas["protokoll22"], 1)}


def test_amounts_and_table_cells_are_searchable(archive) -> None:
    data_dir, _conn, shas = archive
    assert pages_of(data_dir, "1234567") == {(shas["forslag21"], 2)}
    assert pages_of(data_dir, '"1 234 567"') == {(shas["forslag21"], 2)}
    assert pages_of(data_dir, "45000") == {(shas["forslag21"], 3)}
    assert pages_of(data_dir, "grunnskoleopplæring") == {(shas["forslag21"], 3), (shas["protokoll22"], 2)}


def test_joined_amounts() -> None:
    """Grouped amounts are also indexed joined, so 1234567 finds "1 234 567" (any space kind)."""
    text = "Ramme 1 234 567 og -12 345 samt 1 234,5; år 2021 2022 2023, 45 og 12,5 %"
    assert joined_amounts(text) == ["1234567", "12345", "1234"]
    assert joined_amounts("kr 1\u202f234\u202f567 og 1\u00a0234") == ["1234567", "1234"]


def test_field_syntax(archive) -> None:
    data_dir, _conn, shas = archive
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
def test_every_hit_respects_the_filters(archive, filters) -> None:
    data_dir, conn, _shas = archive
    allowed = {v.sha256 for v in catalog.list_versions(conn, filters)}
    everything = pages_of(data_dir, "skole OR sykehjem OR barnehage OR investering")
    found = pages_of(data_dir, "skole OR sykehjem OR barnehage OR investering", filters)
    assert found == {(s, p) for s, p in everything if s in allowed}


def test_facets_and_trend_equal_catalog_counts(archive) -> None:
    data_dir, conn, _shas = archive
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


def test_limit_offset_and_snippets(archive) -> None:
    data_dir, _conn, _shas = archive
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
def test_bad_queries_raise_one_line_errors(archive, query) -> None:
    data_dir, _conn, _shas = archive
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


def test_superseded_hidden_unless_all_versions(archive) -> None:
    data_dir, conn, shas = archive
    new = add_doc(conn, data_dir, "forslag21-v2", ["Revidert forslag: sykehjemsplasser utsettes."],
                  DOCS["forslag21"]["meta"], url=BASE + "forslag21.pdf")
    summary = update_index(data_dir)
    assert (summary.documents, summary.pages, summary.deleted) == (2, 4, 3)  # new version; old re-flagged
    assert pages_of(data_dir, "sykehjem") == {(new, 1), (shas["vedtak23"], 1)}
    assert pages_of(data_dir, "sykehjem", Filters(all_versions=True)) == {
        (new, 1), (shas["vedtak23"], 1), (shas["forslag21"], 2)}
    assert "forslag" not in search(data_dir, "demenslandsby", Filters()).facets["doctype"]


def test_reextraction_replaces_pages(archive) -> None:
    data_dir, conn, shas = archive
    catalog.record_extraction(conn, shas["vedtak23"], status="ok", error=None,
                              pages=[PageText(1, "Kun svømmehall nå.")], tables=[])
    update_index(data_dir)
    assert pages_of(data_dir, "sykehjem") == {(shas["forslag21"], 2)}
    assert (shas["vedtak23"], 1) in pages_of(data_dir, "svømmehall")
    assert sorted(indexed_pages(data_dir)) == sorted(
        (s, p.page) for s in shas.values() for p in catalog.pages_of(conn, s))


def test_rebuild_equals_incremental(archive) -> None:
    data_dir, conn, _shas = archive
    add_doc(conn, data_dir, "nytt", ["Barnehageutbygging og skolebygg i 2024."],
            dict(title="Notat", year=2024, committee="formannskapet", doctype="notat"))
    update_index(data_dir)
    queries = ["skole", "barnehage", "sykehjem OR budsjett", '"nye sykehjemsplasser"', "barneh*"]
    before = {q: pages_of(data_dir, q) for q in queries}
    old_target = os.readlink(data_dir.index) if data_dir.index.is_symlink() else None
    summary = update_index(data_dir, rebuild=True)
    assert summary.rebuilt and summary.pages == 8
    assert os.readlink(data_dir.index) != old_target
    assert {q: pages_of(data_dir, q) for q in queries} == before
    assert catalog.dirty_versions(conn) == []


def test_a_second_writer_is_refused(archive) -> None:
    data_dir, _conn, _shas = archive
    with writer_lock(data_dir):
        with pytest.raises(IndexLocked, match=rf"another hparkiv update is writing the index \(pid {os.getpid()}\)"):
            update_index(data_dir)


def test_killed_writer_leaves_index_usable_and_next_run_repairs(archive, tmp_path: Path) -> None:
    data_dir, conn, shas = archive
    new = add_doc(conn, data_dir, "sent", ["Ny demenslandsby vedtatt i desember."],
                  dict(title="Sent", year=2024, committee="kommunestyret", doctype="vedtak"))
    script = textwrap.dedent(f"""
        import sys, time
        sys.path.insert(0, {str(Path.cwd())!r})
        from whoosh import index
        ix = index.open_dir({str(data_dir.index)!r})
        w = ix.writer()
        for i in range(300):
            w.add_document(key=f"x:{{i}}", sha256="{new}", page=i + 1, text="demenslandsby " * 50,
                           exact="demenslandsby", parts="demenslandsby")
        w.delete_by_term("sha256", "{shas['forslag21']}")
        print("ready", flush=True)
        time.sleep(60)
    """)
    proc = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout.readline().strip() == "ready"
        # While the writer is mid-write, searches see the last committed state.
        assert pages_of(data_dir, "demenslandsby") == {(shas["forslag21"], 2)}
        proc.send_signal(signal.SIGKILL)
        proc.wait()
    finally:
        if proc.poll() is None:
            proc.kill()
    assert pages_of(data_dir, "demenslandsby") == {(shas["forslag21"], 2)}
    update_index(data_dir)
    assert pages_of(data_dir, "demenslandsby") == {(shas["forslag21"], 2), (new, 1)}
    assert not [p for p in data_dir.index.iterdir() if p.name.endswith(".lock")]
    assert sorted(indexed_pages(data_dir)) == sorted(set(indexed_pages(data_dir)))


def test_compound_splitting_rules() -> None:
    lex, _common = corpus_stats([])  # the shipped words
    stems = frozenset(stem(w) for w in lex)
    assert split_compound("sykehjemsplasser", lex, stems)[:1] == ["sykehjem"]
    assert "barnehage" in split_compound("barnehageplassene", lex, stems)
    assert "skole" in split_compound("grunnskoleopplæring", lex, stems)
    assert split_compound("budsjettet", lex, stems) == []
    assert split_compound("forslaget", lex, stems) == []


def test_search_imports_no_crawler_or_pdf_libraries() -> None:
    # Nor the OpenSearch client: Whoosh is the default, and a cluster's library loads only for a cluster.
    code = ("import sys, index, index.search; print(any(m.split('.')[0] in ('scrapy', 'pdfplumber', 'opensearchpy')"
            " for m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=Path.cwd())
    assert out.stdout.strip() == "False"


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


def test_decompounding_recall(archive) -> None:
    """Recall of compound queries with the parts field and with the stemmed field alone."""
    from whoosh import query as Q

    from index.searcher import open_index

    data_dir, _conn, shas = archive
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
def test_pair_phrases_match_what_positions_match(archive, phrase: str) -> None:
    """Phrases answered from the word-pair field (and the exact set algebra) equal Whoosh's Phrase."""
    from whoosh import query as Q

    from index.docsets import docset
    from index.query import pair_phrases
    from index.searcher import open_index

    data_dir, _conn, _shas = archive
    searcher = open_index(data_dir).searcher
    q = Q.Phrase("exact", phrase.split())
    for common in (searcher.schema["pairs"].common, frozenset()):  # pair terms, or positions only
        assert docset(searcher, pair_phrases(q, common)) == set(searcher.docs_for_query(q))


def test_posting_blocks_equal_whoosh_matchers(archive) -> None:
    """index/postings.py reads Whoosh's private block layout: its ids and weights must be the
    matcher's own, deleted pages reported, in every segment (re-run after a Whoosh upgrade)."""
    from whoosh import index as whoosh_index

    from index.postings import term_postings
    from index.searcher import open_index

    data_dir, _conn, shas = archive
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


def test_search_tables_keeps_only_pages_with_tables(archive) -> None:
    data_dir, _conn, shas = archive
    everything = pages_of(data_dir, "skole")
    assert len(everything) > 1  # pages without tables match too
    assert pages_of(data_dir, "skole", Filters(tables=True)) == {(shas["forslag21"], 3)}


def test_an_index_from_before_table_search_is_rebuilt(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """An older index lacks the `tables` field: `--tables` says to rebuild, and the next update does."""
    import index.schema
    import index.writer

    real = index.schema.make_schema

    def old_schema(lexicon, common=frozenset()):
        schema = real(lexicon, common)
        schema.remove("tables")
        return schema

    def old_page_document(*args, **kwargs):
        doc = index.schema.page_document(*args, **kwargs)
        doc.pop("tables")
        return doc

    data_dir = DataDir(tmp_path / "data")
    conn = catalog.connect(data_dir)
    sha = add_doc(conn, data_dir, "forslag21", DOCS["forslag21"]["pages"], DOCS["forslag21"]["meta"],
                  DOCS["forslag21"]["tables"])
    with monkeypatch.context() as m:
        m.setattr(index.writer, "make_schema", old_schema)
        m.setattr(index.writer, "page_document", old_page_document)
        update_index(data_dir)
    try:
        with pytest.raises(IndexOutdated, match="hparkiv index"):
            search(data_dir, "skole", Filters(tables=True))
        close_all()
        assert update_index(data_dir).rebuilt
        assert pages_of(data_dir, "skole", Filters(tables=True)) == {(sha, 3)}
    finally:
        close_all()
        conn.close()


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


def test_an_index_that_stemmed_before_folding_is_rebuilt(tmp_path: Path, monkeypatch) -> None:
    """An index built before folding came first (its folded field lacks the mark) is rebuilt by
    the next update, so its folded terms meet the parser's."""
    from index.fields import FoldedText

    data_dir = DataDir(tmp_path / "data")
    conn = catalog.connect(data_dir)
    sha = add_doc(conn, data_dir, "aasen", ["Reguleringsplan for Aasen skole."], {"title": "Plan", "year": 2021})
    real_init = FoldedText.__init__

    def old_init(self, *args, **kwargs):
        real_init(self, *args, **kwargs)
        del self.folds_first

    monkeypatch.setattr(FoldedText, "__init__", old_init)
    assert update_index(data_dir).rebuilt
    close_all()
    monkeypatch.setattr(FoldedText, "__init__", real_init)
    try:
        assert update_index(data_dir).rebuilt
        assert not update_index(data_dir).rebuilt
        assert pages_of(data_dir, "åsen") == {(sha, 1)}
    finally:
        close_all()
        conn.close()
