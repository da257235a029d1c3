"""Bulk ranking (index/rank.py) returns what Whoosh's own collector returns, score for score.

The reference is Whoosh's `UnlimitedCollector` (every match scored by its matchers, then
sorted): its `TopCollector` prunes by max quality and dropped better pages (`budsjett` at
100,000 pages; here `sykehjem barnehage` with limit 1), so it is no reference for exact ranking.
"""

from __future__ import annotations

import random

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from index_archive import add_doc

import catalog
from catalog import DataDir, Filters
from index import rank, search, update_index
from index.docsets import matching_docs
from index.errors import QueryError
from index.query import parse
from index.rank import collect, score_each
from index.searcher import close_all, open_index
from index.whoosh_search import core_query, with_filters

WORDS = ["budsjett", "budsjettet", "sykehjem", "sykehjemsplasser", "barnehage", "barnehageplassene", "skole",
         "grunnskoleopplæring", "drift", "tiltak", "kroner", "og", "i", "mill"]


@pytest.fixture(scope="module")
def archive(tmp_path_factory: pytest.TempPathFactory) -> DataDir:
    """Pages of varied length and word counts over three years and types, one version superseded."""
    data_dir = DataDir(tmp_path_factory.mktemp("rank") / "data")
    conn = catalog.connect(data_dir)
    rng = random.Random(7)
    for n, (year, doctype) in enumerate([(2021, "forslag"), (2022, "vedtak"), (2023, "protokoll")]):
        pages = [" ".join(rng.choices(WORDS, k=rng.randint(3, 120))) + f" side {i}." for i in range(150)]
        add_doc(conn, data_dir, f"doc{n}", pages, dict(title=f"Doc {n}", year=year, committee="formannskapet",
                                                       doctype=doctype))
    update_index(data_dir)
    conn.close()
    yield data_dir
    close_all()


def _query_and_docs(data_dir: DataDir, query: str, filters: Filters):
    """The query as ranked (without its filters) and its match set (with them)."""
    ix = open_index(data_dir)
    parsed = parse(query)
    core = core_query(ix, parsed.query, parsed.prefixes)
    return ix, core, matching_docs(ix, with_filters(core, filters), filters)


def reference(data_dir: DataDir, query: str, filters: Filters, wanted: int | None) -> list[tuple[int, float]]:
    """Whoosh's collector over the match set, every match scored (no top-N pruning)."""
    ix, core, docs = _query_and_docs(data_dir, query, filters)
    return collect(ix.searcher, core, docs, wanted, len(docs), prune=False)


def bulk(data_dir: DataDir, query: str, filters: Filters, wanted: int | None) -> list[tuple[int, float]] | None:
    ix, core, docs = _query_and_docs(data_dir, query, filters)
    return rank.top_docs(ix.searcher, core, docs, wanted)


def assert_same(got: list[tuple[int, float]], want: list[tuple[int, float]]) -> None:
    assert [d for d, _ in got] == [d for d, _ in want]
    for (_, a), (_, b) in zip(got, want, strict=True):
        assert a == pytest.approx(b, abs=1e-6)


CASES = [
    ("budsjett", Filters()),
    ("sykehjem barnehage", Filters()),
    ("sykehjem OR skole", Filters()),
    ("budsjett -barnehage", Filters()),
    ("drift NOT (skole OR sykehjem)", Filters()),
    ("og", Filters()),
]
# Filters restrict the match set and never change a score: ranked exactly too.
FILTERED = [("skole", Filters(year_from=2022, year_to=2023)), ("barnehage tiltak", Filters(doctype="vedtak"))]


@pytest.fixture(autouse=True)
def always_bulk(monkeypatch: pytest.MonkeyPatch) -> None:
    """Small test indexes would otherwise fall back to the matcher for few matches."""
    monkeypatch.setattr(rank, "POSTINGS_PER_MATCH", 10**9)


@pytest.mark.parametrize("query,filters", CASES + FILTERED)
@pytest.mark.parametrize("wanted", [1, 20, None])
def test_bulk_ranking_equals_whoosh_collector(archive: DataDir, query: str, filters: Filters,
                                              wanted: int | None) -> None:
    got = bulk(archive, query, filters, wanted)
    assert got is not None, "these queries are sums of term scores"
    assert_same(got, reference(archive, query, filters, wanted))


@pytest.mark.parametrize("query,filters", CASES + FILTERED)
def test_search_hits_equal_whoosh_collector_with_offset(archive: DataDir, query: str, filters: Filters) -> None:
    result = search(archive, query, filters, limit=7, offset=5, facets=False)
    want = reference(archive, query, filters, 12)[5:12]
    ix = open_index(archive)
    assert [(h.sha256, h.page) for h in result.hits] == [
        (ix.searcher.stored_fields(d)["sha256"], ix.searcher.stored_fields(d)["page"]) for d, _ in want]
    for h, (_, score) in zip(result.hits, want, strict=True):
        assert h.score == pytest.approx(score, abs=1e-6)
    again = search(archive, query, filters, limit=7, offset=5, facets=False)  # scores from the cache
    assert [(h.sha256, h.page, h.score) for h in again.hits] == [(h.sha256, h.page, h.score) for h in result.hits]


def test_phrases_and_prefixes_keep_whoosh_collector(archive: DataDir) -> None:
    assert bulk(archive, '"mill kroner" "og i budsjett"', Filters(), 10) is None
    assert bulk(archive, "budsj*", Filters(), 10) is None
    assert bulk(archive, "skole OR (sykehjem barnehage)", Filters(), 10) is None  # And under Or


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(words=st.lists(st.sampled_from([*WORDS, "-skole", "-og", "OR", "NOT"]), min_size=1, max_size=5),
       year=st.sampled_from([None, 2021, 2023]), wanted=st.sampled_from([1, 3, 20, None]))
def test_random_queries_rank_as_whoosh(archive: DataDir, words: list[str], year: int | None,
                                       wanted: int | None) -> None:
    query = " ".join(words)
    filters = Filters(year_from=year, year_to=year)
    try:
        want = reference(archive, query, filters, wanted)
    except QueryError:  # a syntax error (a lone OR): the parser's business, not ranking's
        with pytest.raises(QueryError):
            search(archive, query, filters)
        return
    got = bulk(archive, query, filters, wanted)
    if got is None:  # only what bulk ranking cannot do (or nothing to rank) keeps the collector
        _ix, core, docs = _query_and_docs(archive, query, filters)
        assert not rank.summable(core) or not docs, f"{query!r} is a sum of term scores"
    else:
        assert_same(got, want)


@pytest.mark.parametrize("query,filters", [
    *CASES, *FILTERED,
    ('"mill kroner"', Filters(year_from=2022, year_to=2022)),
    ("budsj* -skole", Filters(doctype="protokoll")),
    ("skole OR (sykehjem barnehage)", Filters()),
])
@pytest.mark.parametrize("wanted", [1, 20, None])
def test_scoring_each_match_by_skipping_equals_whoosh_collector(archive: DataDir, query: str, filters: Filters,
                                                                 wanted: int | None) -> None:
    """The path for small (often filtered) match sets, phrases and prefixes included."""
    ix, core, docs = _query_and_docs(archive, query, filters)
    assert_same(score_each(ix.searcher, core, docs, wanted), reference(archive, query, filters, wanted))
