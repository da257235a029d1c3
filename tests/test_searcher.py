"""Index reads from many threads at once (index/searcher.py, index/vedtak.py): every thread
gets the answer one search alone gets, for the page index and the decision index alike.

Whoosh reads through file objects that seek, then read: two threads on one searcher garbled
each other's reads (UnpicklingError under 8 concurrent web clients). The web runs searches in
a thread pool with no lock of its own, so the index must be safe by itself.
"""

from __future__ import annotations

import random
import threading
from pathlib import Path

import pytest

import catalog
from catalog import DataDir, Filters, PageText
from extract.vedtak import derive_missing_vedtak
from index import search, trend, update_index
from index.searcher import close_all, open_index
from index.vedtak import search_vedtak

WORDS = ("barnehage sykehjem skole budsjett kroner drift tiltak helse omsorg kultur idrett vei bolig "
         "investering eiendomsskatt lånegjeld").split()
QUERIES = ["barnehage", "sykehjem skole", '"mill kroner"', "budsjett OR helse", "bolig -vei", "investering*",
           "kultur idrett"]
THREADS = 8
ROUNDS = 12


def _protocol(n: int) -> str:
    return (f"PS {n:03d}/21 Budsjett for sektor {n}\n"
            "Innstilling:\nBudsjettet vedtas.\n"
            "Forslag fra Ap:\nBarnehage prioriteres.\n"
            "Votering:\nForslaget fra Ap fikk 5 stemmer (2Ap, R, Sp, MDG) og falt.\n"
            "Innstillingen ble vedtatt mot 5 stemmer (2Ap, R, Sp, MDG).\n"
            "Vedtak:\nBudsjettet vedtas.\n")


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory):
    data_dir = DataDir(tmp_path_factory.mktemp("threads") / "data")
    conn = catalog.connect(data_dir)
    rng = random.Random(7)
    for d in range(24):
        pages = []
        for _ in range(20):
            some = rng.sample(WORDS, 6)  # pages differ in which words they have
            pages.append(" ".join(rng.choice(some) for _ in range(120)) + " Tall i mill kroner.")
        if d % 3 == 0:
            pages[0] = _protocol(d)
        data = ("\n".join(pages) + str(d)).encode()
        sha = data_dir.store_bytes(data)
        doctype = "protokoll" if d % 3 == 0 else "forslag"
        catalog.record_version(conn, url=f"https://example.invalid/{d}.pdf", sha256=sha, size=len(data),
                               media_type="pdf", content_type="application/pdf", etag=None, last_modified=None,
                               meta={"title": f"Dokument {d}", "year": 2016 + d % 8, "doctype": doctype,
                                     "committee": "formannskapet", "date": f"{2016 + d % 8}-06-{1 + d % 28:02d}"},
                               provenance={})
        catalog.record_extraction(conn, sha, status="ok", error=None,
                               pages=[PageText(i, t) for i, t in enumerate(pages, 1)], tables=[])
    derive_missing_vedtak(conn)
    conn.close()
    assert update_index(data_dir).decisions > 0
    yield data_dir
    close_all()


def _answers(data_dir: DataDir, q: str) -> tuple:
    r = search(data_dir, q, Filters(), limit=15, sort="relevance")
    newest = search(data_dir, q, Filters(year_from=2018, year_to=2021), limit=10, sort="newest", facets=False)
    years = trend(data_dir, q)
    found = search_vedtak(data_dir, "budsjett", Filters(), party="Ap", outcome="falt", limit=None)
    return (r.total, [(h.doc_id, h.page, round(h.score, 6), h.snippet) for h in r.hits], r.facets,
            [(h.doc_id, h.page) for h in newest.hits], [(y.year, y.pages, y.documents) for y in years],
            found.total, [(v.doc_id, d.seq) for v, d in found.vedtak])


def test_concurrent_searches_equal_one_search_alone(data_dir):
    expected = {q: _answers(data_dir, q) for q in QUERIES}
    assert all(e[0] for e in expected.values()) and expected[QUERIES[0]][5] > 0
    close_all()  # the threads open their own searchers from scratch, at the same moment
    start = threading.Barrier(THREADS)
    failures: list[str] = []

    def run(n: int) -> None:
        start.wait()
        for i in range(ROUNDS):
            q = QUERIES[(n + i) % len(QUERIES)]
            try:
                got = _answers(data_dir, q)
            except Exception as e:  # noqa: BLE001 - every failure is reported, none hidden
                failures.append(f"thread {n}, {q!r}: {type(e).__name__}: {e}")
                continue
            if got != expected[q]:
                failures.append(f"thread {n}, {q!r}: a different answer")

    threads = [threading.Thread(target=run, args=(n,)) for n in range(THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not failures, "\n".join(failures[:10])


def test_each_thread_has_its_own_searcher_and_they_share_what_was_read(data_dir):
    mine = open_index(data_dir)
    assert open_index(data_dir) is mine  # cached within a thread
    theirs: list = []
    t = threading.Thread(target=lambda: theirs.append(open_index(data_dir)))
    t.start()
    t.join()
    (other,) = theirs
    assert other is not mine and other.searcher is not mine.searcher
    assert other.shared is mine.shared  # columns and facet sets are read once per generation
    assert mine.column("year") is other.column("year")


def test_a_new_generation_is_picked_up_by_every_thread(data_dir, tmp_path: Path):
    before = open_index(data_dir)
    update_index(data_dir, rebuild=True)
    after = open_index(data_dir)
    assert after.key != before.key and after.shared is not before.shared
    assert search(data_dir, "barnehage", limit=1).total == _answers(data_dir, "barnehage")[0]


def test_an_index_an_older_hparkiv_built_says_so_and_the_next_update_rebuilds_it(data_dir, tmp_path: Path,
                                                                                 monkeypatch: pytest.MonkeyPatch):
    """An index without a field this hparkiv searches (here the municipality) is never searched
    half-way into a KeyError: search says to rebuild it, in one line, and `hparkiv index` does."""
    import shutil
    import subprocess
    import sys

    import index.whoosh_writer
    from index.errors import IndexOutdated

    old = DataDir(tmp_path / "data")
    shutil.copytree(data_dir.root, old.root, symlinks=True)
    real = index.whoosh_writer.make_schema

    def schema_without_kommune(*args, **kwargs):
        schema = real(*args, **kwargs)
        schema.remove("kommune")
        return schema

    def document_without_kommune(*args, **kwargs):
        doc = real_document(*args, **kwargs)
        doc.pop("kommune", None)
        return doc

    real_document = index.whoosh_writer.page_document
    with monkeypatch.context() as m:
        m.setattr(index.whoosh_writer, "make_schema", schema_without_kommune)
        m.setattr(index.whoosh_writer, "page_document", document_without_kommune)
        assert update_index(old, rebuild=True).rebuilt
    with pytest.raises(IndexOutdated):
        search(old, "budsjett", Filters())
    proc = subprocess.run([sys.executable, "-m", "search_cli", "--data-dir", str(old.root), "--lang", "en", "search",
                           "budsjett"], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    assert proc.stderr.strip() == "hparkiv: the index was built by an older hparkiv: `hparkiv index` rebuilds it"
    assert update_index(old).rebuilt
    assert search(old, "budsjett", Filters()).total == search(data_dir, "budsjett", Filters()).total > 0
