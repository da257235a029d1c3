"""Search quality on the crawled sample archive: the planted sentences, words, amounts and
compounds are found on the right document and page, through the real pipeline."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import catalog
from catalog import DataDir, Filters
from index import search


@pytest.fixture(scope="module")
def found(archive, sample_truth):
    """(data dir, {truth key: doc_id}) for the documents the update stored."""
    data_dir = DataDir(Path(archive[0]))
    conn = catalog.connect(data_dir)
    by_path = {}
    for v in catalog.list_versions(conn, Filters(all_versions=True)):
        for u in catalog.urls_of(conn, v.sha256):
            by_path[u["url"].split("://", 1)[1].split("/", 1)[1]] = v.doc_id
    keys = {d.key: by_path.get(d.path.lstrip("/")) for d in sample_truth.documents}
    return data_dir, keys


def pages_of_hits(data_dir: DataDir, query: str, **filters) -> set[tuple[str, int]]:
    return {(h.doc_id, h.page) for h in search(data_dir, query, Filters(**filters), limit=None).hits}


def planted_cases(truth) -> list[tuple[str, int, str]]:
    """Planted sentences, except the tail of a word split at a line end (it is rejoined)."""
    return [(d.key, p["page"], p["text"]) for d in truth.documents if d.status == "ok" and not d.ocr
            for p in d.planted if not p["text"][:1].islower()]


def test_every_planted_sentence_is_found_as_a_phrase_on_its_page(found, sample_truth):
    data_dir, keys = found
    missing = []
    cases = planted_cases(sample_truth)
    assert len(cases) > 10, "the sample plants sentences to find"
    for key, page, text in cases:
        words = text.rstrip(".").split()
        phrase = '"' + " ".join(w.strip(",.:;()") for w in words[:6]) + '"'
        if (keys[key], page) not in pages_of_hits(data_dir, phrase):
            missing.append(f"{key} p.{page}: {phrase}")
    assert not missing, "\n".join(missing)


def test_planted_unique_words_rank_their_page_first(found, sample_truth):
    data_dir, keys = found
    for planted in sample_truth.planted_words:
        hits = search(data_dir, planted["word"], Filters(), limit=3).hits
        assert hits, planted
        assert (hits[0].doc_id, hits[0].page) == (keys[planted["key"]], planted["page"]), planted


@pytest.mark.parametrize("query, key, page", [
    ("barnehage", "forslag-cur", 17),          # compound: barnehageplassene
    ("sykehjem", "notat-cur", 2),              # compound with linking -s-: sykehjemsplasser
    ("skole", "portal-ungdomsradet-uttalelse", 1),  # grunnskolen
    ("driftsresultatet", "vedtak-2016", 3),    # stemming: driftsresultat
    ("snøbrøyting*", "vedtak-cur", 87),        # prefix
    ('"14 350 000"', "sporsmal-cur", 5),       # an amount as printed
    ("14350000", "sporsmal-cur", 5),           # the same amount typed without spaces
    ("barnehagene", "vedtak-cur", 42),         # rejoined from "barne-" / "hagene"
])
def test_norwegian_queries_find_the_planted_page(found, query, key, page):
    data_dir, keys = found
    assert (keys[key], page) in pages_of_hits(data_dir, query)


def test_not_excludes_and_filters_hold(found):
    data_dir, _ = found
    with_berger = pages_of_hits(data_dir, "sykehjem Berger")
    without = pages_of_hits(data_dir, "sykehjem -Berger")
    assert with_berger and without and not with_berger & without
    hits = search(data_dir, "anbefaler", Filters(committee="barn-og-unge"), limit=None).hits
    assert hits and all(h.committee == "barn-og-unge" for h in hits)


@pytest.mark.skipif(not shutil.which("tesseract"), reason="needs Tesseract with Norwegian data")
def test_scanned_page_is_found_by_its_ocr_text(found, sample_truth):
    data_dir, keys = found
    scanned = next(d for d in sample_truth.documents if d.ocr)
    assert (keys[scanned.key], 1) in pages_of_hits(data_dir, "gatelys")


COMPOUND_HEADS = ("barnehage", "sykehjem", "skole", "budsjett", "plass")


def test_decompounding_recall_on_the_sample_archive(found):
    """Pages whose text has the word inside any longer word ("grunnskolen", "sykehjemsplasser")
    are found by the word: recall with the compound parts, and with the stemmed field alone."""
    import re

    from whoosh import query as Q

    from index.analysis import stem
    from index.searcher import open_index

    data_dir, _ = found
    conn = catalog.connect(data_dir)
    current = {v.sha256: v.doc_id for v in catalog.list_versions(conn, Filters())}
    pages = [(current[r["sha256"]], r["page"], r["text"].lower())
             for r in conn.execute("SELECT sha256, page, text FROM pages") if r["sha256"] in current]
    searcher = open_index(data_dir).searcher
    report = []
    for head in COMPOUND_HEADS:
        relevant = {(d, p) for d, p, text in pages if re.search(rf"\w*{head}\w*", text)}
        with_parts = pages_of_hits(data_dir, head) & relevant
        stem_only = {(searcher.stored_fields(n)["doc_id"], searcher.stored_fields(n)["page"])
                     for n in searcher.docs_for_query(Q.Term("text", stem(head)))} & relevant
        report.append((head, len(relevant), len(with_parts), len(stem_only)))
        assert len(with_parts) >= 0.95 * len(relevant), (head, len(relevant), len(with_parts))
        assert len(with_parts) >= len(stem_only)
    print("\nhead, relevant pages, found with compound parts, found by the stem alone")
    for row in report:
        print(*row, sep=", ")
    assert sum(r[2] for r in report) > sum(r[3] for r in report)


# --- issue 18: typos, amounts as typed, abbreviations, Nynorsk, synonyms -------------------------


def test_a_typo_finds_what_its_closest_spelling_finds_and_exact_finds_nothing(found):
    data_dir, _keys = found
    for typo, word in (("demenslandsy", "demenslandsby"), ("Fornebubnaen", "Fornebubanen"), ("Bekkestau", "Bekkestua")):
        assert pages_of_hits(data_dir, typo) == pages_of_hits(data_dir, word) != set(), typo
        assert search(data_dir, typo, Filters(), exact=True).total == 0


def test_amounts_as_typed_find_the_amount_as_printed(found, sample_truth):
    data_dir, keys = found
    planted = (keys["forslag-cur"], 7)  # "2 446,3 mill. kroner"
    same = [pages_of_hits(data_dir, q) for q in ("2446,3", "2 446,3", "2446.3")]
    assert same[0] == same[1] == same[2] and planted in same[0]
    for q in ("2 446", "2,4 mrd", "2,4 milliarder", "2446 mill"):
        hits = search(data_dir, q, Filters(), limit=3).hits
        assert planted in {(h.doc_id, h.page) for h in hits}, q
    assert pages_of_hits(data_dir, "2021") == {(h.doc_id, h.page) for h in
                                               search(data_dir, "2021", Filters(), limit=None, exact=True).hits}


def test_expansions_rank_below_the_words_as_typed(found):
    data_dir, _keys = found
    for query in ("sjukeheimsplassar Fornebu", "eldreomsorg", "KD økonomimelding", "skolebygg"):
        result = search(data_dir, query, Filters(), limit=None)
        as_typed = {(h.doc_id, h.page) for h in search(data_dir, query, Filters(), limit=None, exact=True).hits}
        assert result.total > len(as_typed) > 0, query
        first = [(h.doc_id, h.page) for h in result.hits[:len(as_typed)]]
        assert set(first) == as_typed, query  # every page of the words as typed before any other
