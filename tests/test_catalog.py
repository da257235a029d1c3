"""The catalog: versions by content hash, supersession, links, extraction results, filters."""

from __future__ import annotations

import hashlib
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

import catalog
from catalog import DataDir, Filters, Link, PageText, Proposal, Table, Vedtak, Vote
from catalog.vedtak import DerivedVedtak, vedtak_of, versions_needing_vedtak


@pytest.fixture
def dd(tmp_path) -> DataDir:
    return DataDir(tmp_path / "data").ensure()


def _add(conn, dd: DataDir, url: str, body: bytes, **meta) -> tuple[str, str]:
    sha = dd.store_bytes(body)
    outcome = catalog.record_version(
        conn, url=url, sha256=sha, size=len(body), media_type="pdf", content_type="application/pdf",
        etag='"e1"', last_modified="Wed, 02 Dec 2020 10:00:00 GMT", meta=meta,
        provenance={k: f"test {k}" for k in meta},
    )
    return sha, outcome


def test_store_bytes_names_files_by_hash_and_is_idempotent(dd):
    sha = dd.store_bytes(b"%PDF-1.4 hello")
    assert sha == hashlib.sha256(b"%PDF-1.4 hello").hexdigest()
    assert dd.file_path(sha).read_bytes() == b"%PDF-1.4 hello"
    assert dd.store_bytes(b"%PDF-1.4 hello") == sha
    assert not [p for p in dd.files.rglob(".tmp-*")]


def test_file_path_rejects_anything_but_a_digest(dd):
    for bad in ("../../etc/passwd", "ab" * 31 + "/x", "A" * 64):
        with pytest.raises(ValueError):
            dd.file_path(bad)


def test_new_unchanged_changed_and_superseded(dd):
    conn = catalog.connect(dd)
    url = "https://www.baerum.kommune.no/globalassets/hp-2021.pdf"
    sha1, o1 = _add(conn, dd, url, b"%PDF v1", year=2021, doctype="vedtak")
    assert o1 == "new"
    assert _add(conn, dd, url, b"%PDF v1")[1] == "unchanged"
    sha2, o2 = _add(conn, dd, url, b"%PDF v2", year=2021, doctype="vedtak")
    assert o2 == "changed"
    old, new = catalog.get_version(conn, sha1), catalog.get_version(conn, sha2)
    assert old.superseded_by == sha2 and new.superseded_by is None
    assert [v.sha256 for v in catalog.list_versions(conn, Filters())] == [sha2]
    assert {v.sha256 for v in catalog.list_versions(conn, Filters(all_versions=True))} == {sha1, sha2}
    assert catalog.conditional_headers(conn, url) == {
        "If-None-Match": '"e1"', "If-Modified-Since": "Wed, 02 Dec 2020 10:00:00 GMT"}


def test_first_context_wins_and_unknown_fields_are_filled_with_provenance(dd):
    conn = catalog.connect(dd)
    sha, _ = _add(conn, dd, "http://a/x.pdf", b"%PDF same", committee="formannskapet")
    _add(conn, dd, "http://a/y.pdf", b"%PDF same", committee="kommunestyret", year=2022)
    v = catalog.get_version(conn, sha)
    assert (v.committee, v.year) == ("formannskapet", 2022)
    assert v.provenance == {"committee": "test committee", "year": "test year"}
    assert {u["url"] for u in catalog.urls_of(conn, sha)} == {"http://a/x.pdf", "http://a/y.pdf"}


def test_links_are_kept_per_page_and_text(dd):
    conn = catalog.connect(dd)
    sha, _ = _add(conn, dd, "http://a/x.pdf", b"%PDF l")
    catalog.record_link(conn, Link("http://a/x.pdf", "http://a/", "pdf", {"heading": "Formannskapet"}))
    catalog.record_link(conn, Link("http://a/x.pdf", "http://a/", "pdf", {"heading": "Formannskapet"}))
    catalog.record_link(conn, Link("http://a/x.pdf", "http://a/old", "her", {}, snapshot="20191001000000"))
    links = catalog.links_to(conn, sha)
    assert len(links) == 2
    assert {link.snapshot for link in links} == {None, "20191001000000"}


def test_extraction_is_stored_whole_and_replaced_on_force(dd):
    conn = catalog.connect(dd)
    sha, _ = _add(conn, dd, "http://a/x.pdf", b"%PDF e")
    assert [v.sha256 for v in catalog.pending_versions(conn)] == [sha]
    catalog.record_extraction(conn, sha, status="ok", error=None,
                              pages=[PageText(1, "Budsjett"), PageText(2, "Skannet", ocr=True)],
                              tables=[Table(2, 0, ["Regnskap 2019", "2021"], [["Skatt", "-1 234"]])])
    v = catalog.get_version(conn, sha)
    assert (v.status, v.pages, v.ocr_pages) == ("ok", 2, 1)
    assert catalog.pending_versions(conn) == []
    assert catalog.tables_of(conn, sha, page=2)[0].rows == [["Skatt", "-1 234"]]
    catalog.record_extraction(conn, sha, status="ok", error=None, pages=[PageText(1, "Ny")], tables=[])
    assert [p.text for p in catalog.pages_of(conn, sha)] == ["Ny"]
    assert catalog.tables_of(conn, sha) == []


def test_a_failed_transaction_leaves_nothing_half_written(dd):
    conn = catalog.connect(dd)
    sha, _ = _add(conn, dd, "http://a/x.pdf", b"%PDF t")
    with pytest.raises(sqlite3.IntegrityError):
        catalog.record_extraction(conn, sha, status="ok", error=None,
                                  pages=[PageText(1, "a"), PageText(1, "duplicate page number")], tables=[])
    assert catalog.pages_of(conn, sha) == []
    assert catalog.get_version(conn, sha).status == "pending"


def _derived(*seqs: int, decision: str) -> DerivedVedtak:
    return DerivedVedtak(
        [Vedtak(kind="sak", seq=n, page_from=1, page_to=1, case=f"{n}/20", decision=decision,
                proposals=[Proposal(by="H, V og KrF", text="Nytt punkt.", parties=["H", "V", "KrF"])],
                votes=[Vote("Enstemmig vedtatt.", result="vedtatt", unanimous=True)]) for n in seqs],
        parser_version=1, doctype="protokoll")


def _extraction(conn, sha: str) -> tuple:
    """Everything one extraction writes: pages, tables, vedtak and their state, the version's row."""
    return (catalog.pages_of(conn, sha), catalog.tables_of(conn, sha), vedtak_of(conn, sha),
            versions_needing_vedtak(conn, 1), catalog.get_version(conn, sha))


@pytest.mark.parametrize("failure", ["pages", "tables", "vedtak"])
def test_an_extraction_with_its_vedtak_is_recorded_whole_or_not_at_all(dd, failure):
    """record_extraction writes pages, tables and vedtak in one transaction: a failure in any
    of them, after the others were written, leaves the version exactly as it was."""
    conn = catalog.connect(dd)
    sha, _ = _add(conn, dd, "http://a/p.pdf", b"%PDF p", doctype="protokoll")
    catalog.record_extraction(conn, sha, status="ok", error=None, pages=[PageText(1, "Gammel"), PageText(2, "To")],
                              tables=[Table(1, 0, ["", "2021"], [["Skatt", "1"]])],
                              vedtak=_derived(1, decision="Gammelt vedtak."), now="2021-01-01T00:00:00Z")
    before = _extraction(conn, sha)
    assert before[2][0].decision == "Gammelt vedtak." and before[2][0].votes[0].unanimous and before[3] == []
    pages = [PageText(1, "Ny"), PageText(2, None)] if failure == "pages" else [PageText(1, "Ny")]
    tables = [Table(1, 0, ["a"], [["b"]], values=[[object()]])] if failure == "tables" else []
    vedtak = _derived(1, 1, decision="Nytt.") if failure == "vedtak" else _derived(1, decision="Nytt.")
    with pytest.raises((sqlite3.IntegrityError, TypeError)):
        catalog.record_extraction(conn, sha, status="ok", error=None, pages=pages, tables=tables, vedtak=vedtak)
    assert _extraction(conn, sha) == before

    catalog.record_extraction(conn, sha, status="ok", error=None, pages=[PageText(1, "Ny")], tables=[],
                              vedtak=_derived(1, 2, decision="Nytt."))
    pages, tables, found, needing, version = _extraction(conn, sha)
    assert ([p.text for p in pages], tables, [d.seq for d in found], needing) == (["Ny"], [], [1, 2], [])
    assert version.pages == 1 and version.extracted_at != before[4].extracted_at
    catalog.record_extraction(conn, sha, status="ok", error=None, pages=[PageText(1, "Uten")], tables=[])
    assert vedtak_of(conn, sha) == [] and versions_needing_vedtak(conn, 1) == [sha]  # derived again from the new pages


def test_filters_select_by_year_range_committee_type_and_date(dd):
    conn = catalog.connect(dd)
    _add(conn, dd, "http://a/1.pdf", b"1", year=2019, committee="formannskapet", doctype="innstilling",
         date="2018-11-20")
    _add(conn, dd, "http://a/2.pdf", b"2", year=2021, committee="kommunestyret", doctype="vedtak",
         date="2020-12-02")
    _add(conn, dd, "http://a/3.pdf", b"3", year=2022, doctype="forslag", date="2021-09-29")

    def years(**kw):
        return [v.year for v in catalog.list_versions(conn, Filters(**kw))]

    assert years(year_from=2020, year_to=2022) == [2021, 2022]
    assert years(committee="formannskapet") == [2019]
    assert years(doctype="forslag") == [2022]
    assert years(date_from="2020-01-01", date_to="2020-12-31") == [2021]


def test_the_municipality_is_recorded_filtered_by_and_filled_in_where_unknown(dd):
    conn = catalog.connect(dd)
    asker = {"kommune": "Asker", "kommunenummer": "3203", "source": "asker"}
    sha = dd.store_bytes(b"%PDF asker")
    catalog.record_version(conn, url="http://a/hp.pdf", sha256=sha, size=10, media_type="pdf", content_type=None,
                           etag=None, last_modified=None, meta={"year": 2024}, provenance={}, origin=asker)
    old = dd.store_bytes(b"%PDF from an archive before schema 5")
    catalog.record_version(conn, url="http://b/hp.pdf", sha256=old, size=10, media_type="pdf", content_type=None,
                           etag='"x"', last_modified=None, meta={"year": 2023}, provenance={})
    assert catalog.get_version(conn, old).kommunenummer is None
    malvik = {"kommune": "Malvik", "kommunenummer": "5031", "source": "malvik"}
    catalog.record_not_modified(conn, "http://b/hp.pdf", origin=malvik)  # a 304 fills what is unknown
    catalog.record_not_modified(conn, "http://a/hp.pdf", origin=malvik)  # ... and never overwrites
    assert (catalog.get_version(conn, old).kommune, catalog.get_version(conn, sha).kommune) == ("Malvik", "Asker")
    assert [v.year for v in catalog.list_versions(conn, Filters(kommune="3203"))] == [2024]
    assert [v.year for v in catalog.list_versions(conn, Filters(kommune=("3203", "5031")))] == [2023, 2024]
    assert [(k["name"], k["documents"]) for k in catalog.kommuner(conn)] == [("Asker", 1), ("Malvik", 1)]
    catalog.record_fetch_failure(conn, "http://a/gone.pdf", 404, "HTTP 404", source="asker")
    assert [f["source"] for f in catalog.fetch_failures(conn, source="asker")] == ["asker"]
    assert catalog.fetch_failures(conn, source="malvik") == []


def test_find_version_by_doc_id_or_prefix(dd):
    conn = catalog.connect(dd)
    sha, _ = _add(conn, dd, "http://a/x.pdf", b"%PDF f")
    assert catalog.find_version(conn, sha[:12]).sha256 == sha
    assert catalog.find_version(conn, sha.upper()).sha256 == sha
    assert catalog.find_version(conn, "zzzzzzzz") is None
    assert catalog.find_version(conn, sha[:3]) is None


def test_partial_downloads_of_a_killed_run_are_removed(dd):
    sha = dd.store_bytes(b"%PDF kept")
    partial = dd.files / "ab" / ".tmp-12345"
    partial.parent.mkdir(parents=True, exist_ok=True)
    partial.write_bytes(b"%PDF half")
    assert dd.remove_partial_files() == 1
    assert not partial.exists() and dd.file_path(sha).exists()


def test_a_lock_refuses_a_second_holder_unless_reentrant(dd):
    from catalog.locks import Locked

    with dd.lock("index"):
        with pytest.raises(Locked) as e, dd.lock("index"):
            pass
        assert e.value.holder == str(os.getpid())
    with dd.lock("update", reentrant=True), dd.lock("update", reentrant=True):
        assert not dd.locked("update")  # our own hold is not another process's
    with dd.lock("index"):  # both released
        pass


def test_a_lock_held_by_another_process_is_seen_and_released_when_it_dies(dd):
    code = ("import sys, time; from catalog import DataDir\n"
            f"with DataDir(__import__('pathlib').Path({str(dd.root)!r})).lock('update'):\n"
            "    print('held', flush=True); time.sleep(60)\n")
    child = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True,
                             cwd=Path(__file__).resolve().parent.parent)
    try:
        assert child.stdout.readline().strip() == "held"
        assert dd.locked("update")
        with pytest.raises(Exception, match=rf"pid {child.pid}"), dd.lock("update"):
            pass
    finally:
        child.kill()
        child.wait()
    assert not dd.locked("update")
    with dd.lock("update"):
        pass


def test_strip_controls_removes_escapes_controls_and_bidi_overrides():
    from catalog.text import strip_controls

    hostile = "Bud\x1b[31msjett\x1b]0;pwned\x07 2021\x00\u202e\tog\nmer\r"
    assert strip_controls(hostile) == "Budsjett 2021\tog\nmer"
    assert strip_controls(hostile, keep="\n", replacement=" ") == "Budsjett 2021   og\nmer "
    assert strip_controls("a\rb", keep="\t\n\r") == "a\rb"


@pytest.mark.parametrize("head,kind", [
    (b"%PDF-1.7\n", "pdf"), (b"\xef\xbb\xbfjunk %PDF-1.4", "pdf"), (b"PK\x03\x04rest", "zip"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1rest", "ole"), (b"<!doctype html><html>", None), (b"", None),
    (b"%PDF without the dash", None),
])
def test_magic_bytes_decide_the_kind(head, kind):
    from catalog.sniff import magic

    assert magic(head) == kind


def test_tables_keep_caption_unit_bbox_and_values(dd):
    conn = catalog.connect(dd)
    sha, _ = _add(conn, dd, "http://a/t.pdf", b"%PDF t")
    table = Table(3, 0, ["Tall i mill. kroner", "2021"], [["Skatt", "(4 497,9)"], ["Sum", "–"]],
                  caption="Tabell 2 Frie inntekter", unit="Tall i mill. kroner", bbox=[56.0, 100.5, 300.0, 180.0],
                  values=[[None, -4497.9], [None, None]])
    catalog.record_extraction(conn, sha, status="ok", error=None, pages=[PageText(3, "x")], tables=[table])
    assert catalog.tables_of(conn, sha) == [table]


def test_catalog_modules_import_at_the_top_and_form_no_cycle():
    """A function-level import is how a cycle hides (check -> db -> decisions -> check was one):
    inside catalog/, every import of a catalog module stands at the top, and they form no cycle."""
    import ast

    root = Path(catalog.__file__).parent
    graph: dict[str, set[str]] = {}
    hidden = []
    for path in sorted(root.glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        top = set(map(id, tree.body))
        deps = graph.setdefault(path.stem, set())
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] == "catalog":
                names = [node.module.partition(".")[2] or "__init__"]
            elif isinstance(node, ast.Import):
                names = [a.name.partition(".")[2] or "__init__" for a in node.names if a.name.split(".")[0] == "catalog"]
            else:
                continue
            if not names:
                continue
            if id(node) not in top:
                hidden.append(f"{path.name}:{node.lineno}")
            deps.update(n for n in names if n)
    assert len(graph) > 10 and not hidden
    assert "__init__" not in set().union(*(d for m, d in graph.items() if m != "__init__"))

    def visit(module: str, path: list[str]) -> None:
        assert module not in path, " -> ".join([*path, module])
        for dep in graph.get(module, ()):
            visit(dep, [*path, module])

    for module in graph:
        visit(module, [])


def test_no_sql_outside_the_catalog():
    """The catalog is the one package that runs SQL: every stage and front end calls its functions
    (and holds a `catalog.Connection` without importing sqlite3). The benchmarks' SQLite FTS5
    baseline and the tests are not the product."""
    import ast
    import re

    root = Path(catalog.__file__).parent.parent
    sql = re.compile(r"\b(?:SELECT\s|INSERT\s+INTO|DELETE\s+FROM|UPDATE\s+\w+\s+SET|CREATE\s+TABLE|PRAGMA\s)")
    packages = sorted(p.parent for p in root.glob("*/__init__.py")
                      if p.parent.name not in ("catalog", "tests", "bench", "sample"))
    assert {"extract", "index", "budget", "crawler", "search_cli", "web", "present", "jobs"} <= {p.name for p in packages}
    found = []
    for path in (f for p in packages for f in sorted(p.rglob("*.py"))):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = ([a.name for a in node.names] if isinstance(node, ast.Import)
                     else [node.module or ""] if isinstance(node, ast.ImportFrom) else [])
            if any(n.split(".")[0] == "sqlite3" for n in names):
                found.append(f"{path.relative_to(root)}:{node.lineno}: imports sqlite3")
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and sql.search(node.value):
                found.append(f"{path.relative_to(root)}:{node.lineno}: {node.value[:60]!r}")
    assert not found, "\n".join(found)
