"""One contract, two backends: the same tests on Whoosh and on OpenSearch, through the public
entry points (`index.search`, `index.trend`, `index.years.trend_years`, `search_vedtak`,
`word_matcher`, `jobs.check`), on the crawled sample archive, expansions (issue 18) included.

Every test takes the `engine` fixture, once per backend: Whoosh on the session's archive, and
OpenSearch on a copy of it whose engine.toml points at the test cluster (.ci/run starts one;
elsewhere the OpenSearch half is skipped, in CI it fails without one). The backends are held
to an oracle that knows no engine (tests/backend_oracle.py: the query tree evaluated page by
page over the catalog's text, with the index's own analysis). So each backend can fail on its
own, and "the same pages and totals" is what both are held to, the same expansions said, and
the pages matching the words as typed first.

Where the engines may differ, and why (docs/cluster.md, "One contract, two backends"):
- ranking: Lucene's BM25 is not Whoosh's BM25F (another idf, page lengths in one byte each,
  the compound parts' weight applied to the score, not the term frequency), so pages whose
  scores are within SCORE_TOLERANCE of each other may come in another order (EXPANSION_TOLERANCE
  among the pages that only an expansion found: they are ranked by one rare term or a short
  field, such as a page's `amounts`, where the engines' idf and their length encodings differ
  most); the pages matched, the totals, the facets, the snippets, the expansions, the pages
  matching the words as typed ranking first, and every other order are the same;
- a prefix matching over 2,000 words is refused by Whoosh (it would be slow there) and
  answered by OpenSearch.
"""

from __future__ import annotations

import shutil
import tomllib
from collections import Counter
from pathlib import Path

import pytest
from backend_oracle import Oracle, Page, build_oracle, facets_of
from opensearch_cluster import cluster_urls, unique_name

import catalog
from catalog import DataDir, Filters
from index import search, trend, update_index
from index.analysis import WORD_RE
from index.query import parse
from index.snippets import snippet

JUDGMENTS = Path(__file__).resolve().parent.parent / "bench" / "relevance_judgments.toml"
JUDGED = tomllib.loads(JUDGMENTS.read_text(encoding="utf-8"))["query"]
SCORE_TOLERANCE = 0.05  # two pages' scores this close may swap places between the engines
EXPANSION_TOLERANCE = 0.15  # ... among the pages only an expansion found (measured: up to 0.125)
ENGINES = ("whoosh", "opensearch")


# --- the backends --------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def whoosh_dir(archive) -> DataDir:
    return DataDir(Path(archive[0]))


@pytest.fixture(scope="module")
def opensearch_dir(whoosh_dir, tmp_path_factory):
    """A copy of the archive (catalog and files, no index) that searches the test cluster."""
    from index.backend import EngineConfig, write_config
    from index.opensearch.client import connect

    urls = cluster_urls()  # skips (or fails in CI) without a cluster
    data_dir = DataDir(tmp_path_factory.mktemp("contract") / "data")
    shutil.copytree(whoosh_dir.root, data_dir.root,
                    ignore=shutil.ignore_patterns("index", "index.g*", ".index-link-*", "locks", "renders"))
    prefix = unique_name("hparkiv-contract")
    write_config(data_dir, EngineConfig("opensearch", tuple(urls), prefix))
    summary = update_index(data_dir)
    assert summary.rebuilt and summary.refused == 0
    yield data_dir
    client = connect(urls)
    for name in client.indices.get(index=f"{prefix}-*"):  # the cluster deletes by name only
        client.indices.delete(index=name, ignore=404)


@pytest.fixture(scope="module", params=ENGINES)
def engine(request) -> DataDir:
    """The archive, searched by each backend in turn."""
    return request.getfixturevalue(f"{request.param}_dir")


@pytest.fixture(scope="module")
def other(request, engine, whoosh_dir) -> DataDir:
    """The other backend's archive (for what only a comparison can check: the ranking)."""
    return request.getfixturevalue("opensearch_dir" if engine == whoosh_dir else "whoosh_dir")


@pytest.fixture(scope="module")
def oracle(whoosh_dir) -> Oracle:
    return build_oracle(whoosh_dir)


def filters_of(judged: dict) -> Filters:
    f = Filters()
    for name, value in judged.get("filters", {}).items():
        if name == "year":
            f.year_from = f.year_to = int(value)
        elif name in ("committee", "doctype", "date_from", "date_to"):
            setattr(f, name, value)
    return f


def keyed(hits) -> list[tuple[str, int]]:
    return [(h.sha256, h.page) for h in hits]


# --- every judged query: the same pages, totals, facets and snippets -------------------------------


@pytest.mark.parametrize("judged", JUDGED, ids=[q["id"] for q in JUDGED])
def test_judged_query_finds_exactly_its_pages(engine, oracle, judged) -> None:
    """Each judged query of bench/relevance_judgments.toml (issue 18's set): the hits are the
    pages the query matches, the total and the facets count them, "+N more pages" counts each
    document's, and the snippets on screen are cut from the catalog, the same for every engine."""
    filters = filters_of(judged)
    expected = oracle.matches(judged["query"], filters)
    result = search(engine, judged["query"], filters, limit=None)
    assert result.total == len(expected) == len(result.hits)
    assert set(keyed(result.hits)) == {p.key for p in expected}
    assert result.facets == facets_of(expected)
    per_doc = Counter(p.key[0] for p in expected)
    assert result.doc_pages == {h.sha256: per_doc[h.sha256] for h in result.hits}
    hl = oracle.parse(judged["query"]).highlight
    texts = {p.key: p.snippet_text for p in expected}
    for h in result.hits[:20]:
        assert h.snippet == snippet(texts[(h.sha256, h.page)], hl, oracle.parts)


@pytest.mark.parametrize("judged", JUDGED, ids=[q["id"] for q in JUDGED])
def test_judged_query_ranks_as_the_other_engine_scores(engine, other, oracle, judged) -> None:
    """The pages that match the words as typed come first (the oracle says which), then the
    expansions' pages; within each, the first page of hits is in the other engine's order,
    except among pages whose scores (by the other engine) are within SCORE_TOLERANCE of each
    other (EXPANSION_TOLERANCE in the expansions' tier): Lucene's BM25 and Whoosh's BM25F weigh
    a page's length and a word's rarity a little differently."""
    filters = filters_of(judged)
    mine = keyed(search(engine, judged["query"], filters, limit=None).hits)
    theirs = {(h.sha256, h.page): h.score for h in search(other, judged["query"], filters, limit=None).hits}
    first = {p.key for p in oracle.matches(judged["query"], filters, tree="exact")}
    tiers = [k in first for k in mine]
    assert tiers == sorted(tiers, reverse=True), "a page of the expansions only before one of the words as typed"
    for tier, tolerance in ((True, SCORE_TOLERANCE), (False, EXPANSION_TOLERANCE)):
        keys = [k for k, t in zip(mine, tiers, strict=True) if t == tier]
        order = [theirs[k] for k in keys]
        for i, score in enumerate(order[:20]):
            later = max(order[i + 1:], default=0.0)
            assert later <= score * (1 + tolerance) + 1e-9, (tier, i, keys[i], score, later)


# --- expansions: said the same, searched the same, as typed first, and none with exact ------------

EXPANSION_CASES = ["demenslandsy", "Fornebubnaen", "2446,3", "2 446", "2,4 mrd", "HMIK kunstgress", "sjukeheim",
                   "barnehagar", "eldreomsorg", "LDIP", "ØP-perioden", "alarm", "Miljøpartiet De Grønne",
                   "-sjukeheim budsjett"]


@pytest.mark.parametrize("query", EXPANSION_CASES)
def test_expansions_are_the_same_on_both_engines(engine, oracle, query) -> None:
    """What a search added to the words typed (a close spelling from the index's own words, an
    amount's value, a name, Nynorsk, a synonym, a compound) is what the oracle's parse adds with
    the words of its pages: the same expansions and suggestions, the same pages, as many
    of them matching the words as typed, and with `exact` only those."""
    parsed = oracle.parse(query)
    result = search(engine, query, limit=None)
    assert result.expansions == parsed.expansions and result.suggestions == parsed.suggestions
    assert set(keyed(result.hits)) == {p.key for p in oracle.matches(query)}
    typed = oracle.matches(query, tree="exact")
    assert result.exact_total == (None if parsed.exact is None else len(typed))
    exact = search(engine, query, limit=None, exact=True)
    assert exact.exact and exact.expansions == [] and exact.exact_total is None
    assert set(keyed(exact.hits)) == {p.key for p in oracle.matches(query, exact=True)}


def test_the_parser_asks_the_same_words_of_both_engines(engine, whoosh_dir) -> None:
    """What corrections, compounds and forms are chosen from (index/spelling.py): OpenSearch's
    vocabulary (from the catalog) is Whoosh's `exact` field, word for word and page for page,
    and the engine's pages of a term are Whoosh's, field by field."""
    from index.analysis import folded_term, stem
    from index.backend import open_backend
    from index.searcher import open_index

    mine, whoosh = open_backend(engine).spelling(), open_index(whoosh_dir).spelling()
    words = whoosh.vocabulary().words
    assert mine.vocabulary().words == words and len(words) > 500
    sample = sorted(words)[::7]
    for fieldname, terms in (("exact", sample), ("text", [stem(w) for w in sample]),
                             ("parts", [stem(w) for w in sample]), ("folded", [folded_term(w) for w in sample]),
                             ("amounts", ["n2446e0", "k24e8", "n24463e-1"])):
        asked = [(fieldname, t) for t in terms]
        assert mine.terms.pages(asked) == whoosh.terms.pages(asked), fieldname


def test_every_kind_of_expansion_is_covered() -> None:
    """The cases above say every kind the parser adds (no kind only one engine was held to)."""
    from index.expansions import EXPANSION_WEIGHTS

    said = {e.kind for q in EXPANSION_CASES for e in parse(q).expansions}
    assert said | {"typo", "compound"} == set(EXPANSION_WEIGHTS)  # those two need an index's words


# --- filters, paging, sorting --------------------------------------------------------------------

FILTER_CASES = [
    ("budsjett", Filters(year_from=2019, year_to=2021)),
    ("budsjett", Filters(committee=("barn-og-unge", "bistand-og-omsorg"))),
    ("budsjett", Filters(doctype="protokoll")),
    ("sykehjem", Filters(date_from="2020-11-01", date_to="2020-12-31")),
    ("sykehjem", Filters(date_from="2020-11-01", date_to="2020-12-31", undated=True)),
    ("sykehjem", Filters(all_versions=True)),
    ("skole", Filters(tables=True)),
    ("barnehage year:2021 type:forslag,vedtak", Filters()),
    ("kroner -sykehjem committee:HBO", Filters()),
    ('"mill. kroner" OR Lindelia', Filters(year_to=2020)),
    ("Ap OR Høyre", Filters(committee="kommunestyret")),
    ("152/20 OR 20/13890", Filters()),
    ("budsjett kommune:baerum", Filters()),
    ("barneh*", Filters(doctype="forslag")),
    ("skole year:2019", Filters(year_from=2021)),  # the query's field and the flag exclude each other
]


@pytest.mark.parametrize("query, filters", FILTER_CASES, ids=[f"{q} {i}" for i, (q, _f) in enumerate(FILTER_CASES)])
def test_filters_narrow_exactly(engine, oracle, query, filters) -> None:
    expected = oracle.matches(query, filters)
    result = search(engine, query, filters, limit=None)
    assert set(keyed(result.hits)) == {p.key for p in expected}
    assert result.total == len(expected)
    if expected:
        assert result.facets == facets_of(expected)


def test_within_one_document(engine, oracle) -> None:
    sha = max(Counter(p.key[0] for p in oracle.matches("budsjett")).items(), key=lambda kv: kv[1])[0]
    result = search(engine, "budsjett", Filters(all_versions=True), limit=None, within=sha)
    assert set(keyed(result.hits)) == {p.key for p in oracle.matches("budsjett", Filters(all_versions=True), sha)}
    assert {h.sha256 for h in result.hits} == {sha}


@pytest.mark.parametrize("sort", ["newest", "oldest"])
def test_sorted_by_date_in_the_same_order(engine, oracle, sort) -> None:
    """By the document's date (else its budget year), undated last, pages in order within a document."""
    expected = oracle.matches("budsjett")

    def when(p: Page) -> str:
        return p.version.date or (f"{p.version.year:04d}" if p.version.year else "")

    # A stable sort, also in reverse: the pages of one document keep their order.
    ranked = sorted(sorted(expected, key=lambda p: p.key), key=lambda p: (when(p), p.key[0]), reverse=sort == "newest")
    ranked = [p for p in ranked if when(p)] + [p for p in ranked if not when(p)]
    assert keyed(search(engine, "budsjett", sort=sort, limit=None).hits) == [p.key for p in ranked]


def test_pages_of_hits_add_up(engine) -> None:
    """Paging: windows of the hits, one after another, are the whole list, in order."""
    whole = keyed(search(engine, "budsjett kommunen", limit=None).hits)
    assert len(whole) > 30
    windows = []
    for offset in range(0, len(whole), 13):
        result = search(engine, "budsjett kommunen", limit=13, offset=offset, facets=False)
        assert result.total == len(whole)
        windows += keyed(result.hits)
    assert windows == whole
    assert search(engine, "budsjett kommunen", limit=5, offset=len(whole)).hits == []


# --- trend, highlights, vedtak, check -----------------------------------------------------------


@pytest.mark.parametrize("query", ["barnehage", "sykehjemsplasser", "Lindelia", '"Carpe Diem"', "budsjett -skole"])
def test_trend_counts_pages_and_documents_per_year(engine, oracle, query) -> None:
    from index.years import trend_years

    expected = oracle.matches(query)
    years = {p.version.year for p in expected if p.version.year}
    want = [(y, sum(1 for p in expected if p.version.year == y), len({p.key[0] for p in expected if p.version.year == y}))
            for y in sorted(years)]
    assert [(r.year, r.pages, r.documents) for r in trend(engine, query)] == want
    rows = trend_years(engine, query)
    assert [(r.year, r.pages, r.documents) for r in rows if r.pages] == want


@pytest.mark.parametrize("query", ["sykehjem", "baerum", "Ap", "barneh*", '"mill. kroner"', "demenslandsy",
                                   "sjukeheim", "2446,3"])
def test_highlights_mark_the_words_the_query_matched(engine, oracle, query) -> None:
    """The web's page view marks words by `word_matcher`, from the engine's compound lexicon:
    the same words on both engines."""
    from index.highlight import word_matcher
    from index.snippets import _is_match

    is_hit = word_matcher(engine, query)
    hl = oracle.parse(query).highlight
    words = {w for p in oracle.pages[:200] for w in WORD_RE.findall(p.text)}
    assert {w for w in words if is_hit(w)} == {w for w in words if _is_match(w, hl, oracle.parts)}


VEDTAK_CASES = [("sykehjem", {}), ("eiendomsskatt", {}), ("Ap", {}), ("budsjett -skole", {}),
                ("sykehjem", {"party": "Ap"}), ("budsjett", {"outcome": "falt"}), ("152/20", {})]


@pytest.mark.parametrize("query, options", VEDTAK_CASES, ids=[f"{q} {o}" for q, o in VEDTAK_CASES])
def test_vedtak_are_found_by_the_same_words(engine, oracle, query, options) -> None:
    from index.vedtak import search_vedtak

    matched = oracle.vedtak_keys(query)
    result = search_vedtak(engine, query, **options)
    got = {f"{v.sha256}:{d.seq}" for v, d in result.vedtak}
    assert got <= matched
    assert result.total == len(got)
    if not options:  # the party and outcome filters are the catalog's; the words are the engine's
        current = search_vedtak(engine, None, limit=None)
        assert got == matched & {f"{v.sha256}:{d.seq}" for v, d in current.vedtak}


def test_vedtak_without_a_query_in_the_catalogs_order(engine, whoosh_dir) -> None:
    from index.vedtak import search_vedtak

    mine = [(v.sha256, d.seq) for v, d in search_vedtak(engine, None, limit=None).vedtak]
    assert mine and mine == [(v.sha256, d.seq) for v, d in search_vedtak(whoosh_dir, None, limit=None).vedtak]


def test_check_finds_the_index_consistent(engine) -> None:
    from index.check import check_index

    conn = catalog.connect_readonly(engine)
    try:
        assert check_index(engine, conn) == []
    finally:
        conn.close()
