"""Query fuzzing: any string given to `hparkiv search` returns results or one line and exit 2.

Most examples go through the library (`index.search`, fast); a handful through the real
CLI, which must turn every QueryError into one line on stderr and exit status 2.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from processes import hparkiv

import catalog
from catalog import DataDir, PageText
from index import search, trend, update_index
from index.errors import QueryError

PAGES = [
    "Sykehjemsplasser og barnehageplassene i Bærum kommune, handlingsprogram 2021-2024.",
    "Formannskapets innstilling: «Carpe Diem» demenslandsby, tall i mill. kroner 1 234 567.",
    "Vedtak: kommunestyret vedtok budsjettet. Votering: H, Ap, V, MDG, KrF.",
    'Text with "quotes", (parentheses), AND OR NOT -minus * stars and year:2021 committee:HBO.',
]
SYNTAX = ['"', "(", ")", "*", "-", "OR", "AND", "NOT", ":", "year:", "committee:", "type:", "\\", "^", "~",
          "?", "[", "]", "{", "}", "'", "+", " ", "\t", "\n", "\x00", "\x1b[31m", "\u202e", "ø", "ß", "İ"]
WORDS = ["barnehage", "sykehjem*", "carpe", "diem", "2021", "kroner", "xyzzy", "a", "b*", "ab*", "bærum"]


@pytest.fixture(scope="module")
def archive(tmp_path_factory: pytest.TempPathFactory) -> DataDir:
    """A tiny catalog with a real index: enough vocabulary for every kind of query node."""
    data = DataDir(tmp_path_factory.mktemp("fuzz") / "data").ensure()
    conn = catalog.connect(data)
    for n, text in enumerate(PAGES):
        sha = f"{n:02x}" * 32
        catalog.record_version(conn, url=f"http://example.invalid/{n}.pdf", sha256=sha, size=1,
                               media_type="pdf", content_type="application/pdf", etag=None, last_modified=None,
                               meta={"title": f"doc {n}", "year": 2019 + n, "committee": "kommunestyret",
                                     "doctype": "vedtak"}, provenance={})
        catalog.record_extraction(conn, sha, status="ok", error=None,
                                  pages=[PageText(page=p, text=text * p, ocr=False) for p in (1, 2)], tables=[])
    conn.close()
    update_index(data)
    return data


queries = st.one_of(
    st.text(max_size=80),
    st.lists(st.sampled_from(SYNTAX + WORDS), max_size=25).map(" ".join),
    st.lists(st.sampled_from(SYNTAX + WORDS), max_size=40).map("".join),
    st.text(alphabet=st.characters(codec="utf-8"), min_size=900, max_size=1200),
)


# No deadline: how fast a search is is measured in bench/, not asserted here (a load spike would
# fail it); a query that never returns still fails, by the suite's timeout.
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                   HealthCheck.too_slow])
@given(query=queries)
def test_any_query_returns_results_or_a_one_line_query_error(archive: DataDir, query: str) -> None:
    try:
        result = search(archive, query, limit=5)
    except QueryError as e:
        message = str(e)
        assert message and "\n" not in message and len(message) < 400, repr(message)
    else:
        assert result.total >= len(result.hits)
        for hit in result.hits:
            assert 1 <= hit.page <= 2


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(query=st.lists(st.sampled_from(SYNTAX + WORDS), min_size=1, max_size=12).map(" ".join))
def test_trend_takes_the_same_queries(archive: DataDir, query: str) -> None:
    try:
        rows = trend(archive, query)
    except QueryError:
        return
    if not rows:  # no years at all: only for a query that matches nothing (no searchable word)
        assert search(archive, query, limit=1).total == 0, query
    assert all(r.pages >= r.documents for r in rows)


HOSTILE = [
    '"unclosed', "((((((((((((((((((((((((((((((((((barnehage", "barnehage)", "-barnehage", "NOT", "OR OR",
    "a*", "*", "year:abcd barnehage", "committee: barnehage", "\x1b[2J\x1b[H barnehage", "x" * 5000,
    "barnehage " + " OR ".join(["sykehjem"] * 200), "bar\tnehage", "",
    "--help", "-", "bærum\u202eegahenrab",
]


@pytest.mark.parametrize("query", HOSTILE)
def test_cli_search_answers_or_exits_2_with_one_clean_line(archive: DataDir, query: str) -> None:
    proc = hparkiv(Path(archive.root), "search", "--", query) if query.startswith("-") \
        else hparkiv(Path(archive.root), "search", query)
    assert "Traceback" not in proc.stderr
    if proc.returncode == 0:
        assert "\x1b" not in proc.stdout
    else:
        assert proc.returncode == 2, proc.stderr
        lines = proc.stderr.strip().splitlines()
        assert len(lines) == 1, proc.stderr
        assert all(c == "\t" or c >= " " for c in lines[0]), repr(lines[0])
