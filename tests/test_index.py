"""The index stage on a small real catalog (tests/index_archive.py): updates, rebuilds, the
writer's lock, a killed writer, and older indexes rebuilt by the next update."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from index_archive import BASE, DOCS, add_doc, pages_of

import catalog
from catalog import DataDir, Filters, PageText
from index import IndexLocked, IndexMissing, search, update_index
from index.errors import IndexOutdated
from index.searcher import close_all
from index.writer import indexed_pages, writer_lock


def test_missing_index_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(IndexMissing, match="hparkiv update"):
        search(DataDir(tmp_path), "budsjett", Filters())


def test_superseded_hidden_unless_all_versions(small_archive) -> None:
    data_dir, conn, shas = small_archive
    new = add_doc(conn, data_dir, "forslag21-v2", ["Revidert forslag: sykehjemsplasser utsettes."],
                  DOCS["forslag21"]["meta"], url=BASE + "forslag21.pdf")
    summary = update_index(data_dir)
    assert (summary.documents, summary.pages, summary.deleted) == (2, 4, 3)  # new version; old re-flagged
    assert pages_of(data_dir, "sykehjem") == {(new, 1), (shas["vedtak23"], 1)}
    assert pages_of(data_dir, "sykehjem", Filters(all_versions=True)) == {
        (new, 1), (shas["vedtak23"], 1), (shas["forslag21"], 2)}
    assert "forslag" not in search(data_dir, "demenslandsby", Filters()).facets["doctype"]


def test_reextraction_replaces_pages(small_archive) -> None:
    data_dir, conn, shas = small_archive
    catalog.record_extraction(conn, shas["vedtak23"], status="ok", error=None,
                              pages=[PageText(1, "Kun svømmehall nå.")], tables=[])
    update_index(data_dir)
    assert pages_of(data_dir, "sykehjem") == {(shas["forslag21"], 2)}
    assert (shas["vedtak23"], 1) in pages_of(data_dir, "svømmehall")
    assert sorted(indexed_pages(data_dir)) == sorted(
        (s, p.page) for s in shas.values() for p in catalog.pages_of(conn, s))


def test_rebuild_equals_incremental(small_archive) -> None:
    data_dir, conn, _shas = small_archive
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


def test_a_second_writer_is_refused(small_archive) -> None:
    data_dir, _conn, _shas = small_archive
    with writer_lock(data_dir):
        with pytest.raises(IndexLocked, match=rf"another hparkiv update is writing the index \(pid {os.getpid()}\)"):
            update_index(data_dir)


def test_killed_writer_leaves_index_usable_and_next_run_repairs(small_archive, tmp_path: Path) -> None:
    data_dir, conn, shas = small_archive
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


def test_an_index_from_before_table_search_is_rebuilt(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """An older index lacks the `tables` field: `--tables` says to rebuild, and the next update does."""
    import index.schema
    import index.whoosh_writer

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
        m.setattr(index.whoosh_writer, "make_schema", old_schema)
        m.setattr(index.whoosh_writer, "page_document", old_page_document)
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


def test_search_imports_no_crawler_or_pdf_libraries() -> None:
    # Nor the OpenSearch client: Whoosh is the default, and a cluster's library loads only for a cluster.
    code = ("import sys, index, index.search; print(any(m.split('.')[0] in ('scrapy', 'pdfplumber', 'opensearchpy')"
            " for m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=Path.cwd())
    assert out.stdout.strip() == "False"
