"""The CLI contract, end to end: `hparkiv update` crawls the sample archive over loopback
HTTP, extracts real PDFs, builds a real index; the other commands read it back."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys

import pytest
from processes import hparkiv, update_args

import sample

HIT_KEYS = {"doc_id", "url", "title", "year", "period", "committee", "doctype", "page", "score", "snippet"}
LIST_KEYS = {"doc_id", "url", "title", "year", "period", "committee", "doctype", "date", "pages", "status",
             "error", "sha256"}


def as_json(proc: subprocess.CompletedProcess):
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


def test_update_reports_each_stage(archive):
    _, proc = archive
    for stage in ("crawl:", "extract:", "index:"):
        assert stage in proc.stderr
    assert "Traceback" not in proc.stderr


def test_list_json_has_the_contract_fields_for_every_truth_document(archive, sample_truth):
    data_dir, _ = archive
    docs = as_json(hparkiv(data_dir, "list", "--format", "json"))
    assert docs and all(LIST_KEYS <= d.keys() for d in docs)
    assert {d["status"] for d in docs} <= {"ok", "no_text", "failed"}
    paths = {d["url"].split("://", 1)[1].split("/", 1)[1] for d in docs}
    expected = {t.path.lstrip("/") for t in sample_truth.documents if not t.only_in_wayback}
    assert expected <= paths
    for d in docs:
        assert len(d["sha256"]) == 64 and d["sha256"].startswith(d["doc_id"])
        if d["status"] == "failed":
            assert d["error"]


def test_every_document_has_the_date_its_evidence_states(archive, sample_truth):
    """Issue 20: questions and answers, Økonomimelding and Årsrapport are linked without a date and
    dated by their first page (not by the period a report covers); a date line that is no day stays
    empty, and a date range says how many undated documents it left out."""
    from extract.ocr import tesseract_available

    data_dir, _ = archive
    docs = {d["url"].split("/", 3)[3]: d for d in as_json(hparkiv(data_dir, "list", "--format", "json"))}
    wrong = []
    for t in sample_truth.documents:
        d = docs.get(t.path.lstrip("/"))
        if d is None or t.only_in_wayback or (t.ocr and not tesseract_available()):
            continue
        if d["date"] != t.date:
            wrong.append((t.key, d["date"], t.date, d["provenance"].get("date")))
    assert not wrong
    for key in ("okonomimelding", "arsrapport", "sporsmal-cur"):
        t = sample_truth.doc(key)
        assert docs[t.path.lstrip("/")]["provenance"]["date"] == f'from first page "{t.date_evidence[0]["text"]}"'
    typo = sample_truth.doc("sporsmal-bistand-og-omsorg")
    d = docs[typo.path.lstrip("/")]
    assert d["date"] is None and d["provenance"]["date"].endswith('"Dato: 31.11.2020" (no such date)')
    undated = [d for d in docs.values() if not d["date"]]
    proc = hparkiv(data_dir, "list", "--from", "2019-01-01", "--to", "2021-12-31", "--format", "json")
    assert f"{len(undated)} documents without a date were left out" in proc.stderr
    assert typo.path.lstrip("/") not in {x["url"].split("/", 3)[3] for x in json.loads(proc.stdout)}


def test_list_filters_by_year_and_type(archive):
    data_dir, _ = archive
    docs = as_json(hparkiv(data_dir, "list", "--year", "2020-2021", "--type", "forslag", "--format", "json"))
    assert docs
    assert all(2020 <= d["year"] <= 2021 and d["doctype"] == "forslag" for d in docs)


def test_search_json_shape_and_filters(archive):
    data_dir, _ = archive
    result = as_json(hparkiv(data_dir, "search", "budsjett", "--year", "2021", "--format", "json"))
    # what the search added to the words typed (issue 18): nothing to a word the archive holds as typed
    assert set(result) == {"query", "total", "exact", "expansions", "suggestions", "hits", "facets"}
    assert result["exact"] is False and result["expansions"] == [] and result["suggestions"] == []
    assert result["query"] == "budsjett" and result["total"] == len(result["hits"]) > 0
    assert set(result["facets"]) == {"year", "committee", "doctype", "kommune"}
    for hit in result["hits"]:
        assert HIT_KEYS <= hit.keys()
        assert hit["year"] == 2021 and hit["page"] >= 1
    assert [h["score"] for h in result["hits"]] == sorted((h["score"] for h in result["hits"]), reverse=True)
    assert sum(result["facets"]["year"].values()) == result["total"]


def test_search_committee_by_abbreviation_and_type(archive):
    data_dir, _ = archive
    result = as_json(hparkiv(data_dir, "search", "vedtak", "--committee", "fsk", "--format", "json"))
    assert result["hits"] and all(h["committee"] == "formannskapet" for h in result["hits"])


def test_search_csv_and_jsonl_export_every_hit(archive):
    data_dir, _ = archive
    total = as_json(hparkiv(data_dir, "search", "kommune", "--format", "json"))["total"]
    rows = list(csv.DictReader(io.StringIO(hparkiv(data_dir, "search", "kommune", "--format", "csv").stdout)))
    assert len(rows) == total > 20 and HIT_KEYS <= set(rows[0])
    lines = hparkiv(data_dir, "search", "kommune", "--format", "jsonl").stdout.splitlines()
    assert len(lines) == total and HIT_KEYS <= json.loads(lines[0]).keys()


def test_search_text_groups_hits_and_links_to_the_page(archive):
    data_dir, _ = archive
    proc = hparkiv(data_dir, "search", "budsjett", "--limit", "5")
    assert proc.returncode == 0
    assert "#page=" in proc.stdout and "pages match" in proc.stdout
    assert "\x1b" not in proc.stdout  # not a terminal: no escape sequences at all


@pytest.mark.parametrize("args, needle", [
    (["search", "x", "--committee", "nosuch"], "valid: kommunestyret"),
    (["search", "x", "--type", "nosuch"], "valid: "),
    (["search", "x", "--year", "20x1"], "--year"),
    (["list", "--from", "yesterday"], "--from"),
    (["show", "nosuchdoc"], "no document"),
])
def test_bad_input_is_one_line_and_exit_2(archive, args, needle):
    data_dir, _ = archive
    proc = hparkiv(data_dir, *args)
    assert proc.returncode == 2
    assert needle in proc.stderr and len(proc.stderr.strip().splitlines()) == 1
    assert "Traceback" not in proc.stderr


def test_show_json_has_provenance_links_and_page_text(archive):
    data_dir, _ = archive
    docs = as_json(hparkiv(data_dir, "list", "--status", "ok", "--format", "json"))
    doc = max(docs, key=lambda d: d["pages"] or 0)
    shown = as_json(hparkiv(data_dir, "show", doc["doc_id"], "--page", "1", "--format", "json"))
    assert shown["doc_id"] == doc["doc_id"] and shown["provenance"]
    assert shown["links"] and shown["urls"]
    assert shown["pages_text"][0]["page"] == 1 and shown["pages_text"][0]["text"]
    text = hparkiv(data_dir, "show", doc["doc_id"])
    assert text.returncode == 0 and doc["doc_id"] in text.stdout


def test_tables_export_csv_and_json(archive):
    data_dir, _ = archive
    docs = as_json(hparkiv(data_dir, "list", "--type", "vedtak", "--format", "json"))
    found = []
    for d in docs:
        found = as_json(hparkiv(data_dir, "tables", d["doc_id"], "--format", "json"))
        if found:
            break
    assert found, "no tables in any adopted budget"
    t = found[0]
    assert t["header"] and t["rows"] and t["page"] >= 1
    rows = list(csv.reader(io.StringIO(hparkiv(data_dir, "tables", t["doc_id"], "--page", str(t["page"]),
                                                "--format", "csv").stdout)))
    assert rows[0][:2] == ["page", "table"] and len(rows) > 1


def test_trend_counts_equal_search_facets(archive):
    data_dir, _ = archive
    trend = as_json(hparkiv(data_dir, "trend", "budsjett", "--format", "json"))
    facets = as_json(hparkiv(data_dir, "search", "budsjett", "--format", "json", "--limit", "1"))["facets"]
    assert {str(r["year"]): r["pages"] for r in trend["years"] if r["pages"]} == {
        k: v for k, v in facets["year"].items() if v}


def test_status_and_check_on_a_healthy_archive(archive):
    data_dir, _ = archive
    info = as_json(hparkiv(data_dir, "status", "--format", "json"))
    assert info["documents"] > 0 and info["by_status"].get("ok", 0) > 0
    proc = hparkiv(data_dir, "check")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "consistent" in proc.stdout


def test_search_does_not_import_scrapy_or_pdfplumber(archive):
    data_dir, _ = archive
    code = (
        "import sys, runpy\n"
        f"sys.argv = ['hparkiv', '--data-dir', {str(data_dir)!r}, 'search', 'budsjett', '--format', 'json']\n"
        "try:\n    runpy.run_module('search_cli', run_name='__main__')\n"
        "except SystemExit:\n    pass\n"
        "heavy = [m for m in ('scrapy', 'twisted', 'pdfplumber', 'pdfminer') if m in sys.modules]\n"
        "print('HEAVY', heavy, file=sys.stderr)\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert "HEAVY []" in proc.stderr, proc.stderr[-2000:]


def test_search_without_an_index_says_what_to_do(tmp_path):
    proc = hparkiv(tmp_path / "empty", "search", "budsjett")
    assert proc.returncode == 1
    assert "hparkiv update" in proc.stderr and "Traceback" not in proc.stderr


@pytest.mark.slow
def test_second_update_downloads_nothing_new(sample_dir, archive, tmp_path):
    data_dir, _ = archive
    before = as_json(hparkiv(data_dir, "list", "--format", "json", "--all-versions"))
    with sample.serve(sample_dir) as server:
        # The server's ports differ from the first run's, so crawl a copy with the same ports twice.
        fresh = tmp_path / "twice"
        hparkiv(fresh, *update_args(server), check=True)
        first = as_json(hparkiv(fresh, "list", "--format", "json", "--all-versions"))
        server.clear_log()
        proc = hparkiv(fresh, *update_args(server), check=True)
        asked = [r for r in server.requests if _is_document(server, r)]
        downloaded = [(r.host, r.path) for r in asked if r.method == "GET" and r.status == 200 and r.bytes_sent]
    again = as_json(hparkiv(fresh, "list", "--format", "json", "--all-versions"))
    assert {d["sha256"] for d in again} == {d["sha256"] for d in first} == {d["sha256"] for d in before}
    assert "0 new" in proc.stderr
    assert any(r.status == 304 for r in asked), "the second run asks again, conditionally"
    assert any("wfdocument.ashx" in r.path for r in asked), "portal documents are asked about too"
    assert downloaded == []  # site, portal and web-archive documents alike


def _is_document(server, r) -> bool:
    """Whether a logged request was for a document (a PDF, Word file, ...), not a page or an API."""
    from sample.site import canonical

    if r.host == "wayback":
        if not r.path.startswith("/web/"):
            return False
        stamp, _, original = r.path[len("/web/"):].partition("/")
        snap, _ts = server.snapshot("".join(ch for ch in stamp if ch.isdigit()), original)
        ctype = snap["ctype"] if snap else ""
    else:
        route = server.routes.get((r.host, canonical(r.path))) or {}
        ctype = route.get("ctype") or ""
    return bool(ctype) and not ctype.startswith("text/")


@pytest.mark.slow
def test_update_that_reaches_no_page_exits_1_with_the_reason(tmp_path):
    import socket

    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = hparkiv(tmp_path / "d", "update", "--start-url", f"http://127.0.0.1:{port}/budsjett/", "--delay", "0")
    assert proc.returncode == 1
    assert "no start page could be fetched" in proc.stderr and "Traceback" not in proc.stderr


def test_tables_csv_is_spreadsheet_safe_and_json_has_the_table_shape(tmp_path):
    """`tables --format csv` uses the shared CSV writer: formula-like cells are quoted, header cells
    made safe, negative amounts stay numbers. JSON carries caption, unit, bbox and values."""
    import catalog
    from catalog import DataDir, PageText, Table

    data_dir = DataDir(tmp_path / "data").ensure()
    conn = catalog.connect(data_dir)
    body = b"%PDF-1.4 tables"
    sha = data_dir.store_bytes(body)
    catalog.record_version(conn, url="http://127.0.0.1/t.pdf", sha256=sha, size=len(body), media_type="pdf",
                           content_type="application/pdf", etag=None, last_modified=None, meta={}, provenance={})
    table = Table(2, 0, ["=HYPERLINK(\"x\")", "Regnskap\x1b[31m 2020", "@2021"],
                  [["Skatt", "-4 497,9", "-4,2 %"], ["+cmd", "(12,0)", "-"]],
                  caption="Tabell 1 Frie inntekter", unit="Tall i mill. kroner", bbox=[56.0, 90.0, 400.0, 160.0],
                  values=[[None, -4497.9, -4.2], [None, -12.0, None]])
    catalog.record_extraction(conn, sha, status="ok", error=None, pages=[PageText(1, "a"), PageText(2, "b")],
                              tables=[table])
    conn.close()
    proc = hparkiv(data_dir.root, "tables", sha[:12], "--format", "csv")
    assert proc.returncode == 0, proc.stderr
    rows = list(csv.reader(io.StringIO(proc.stdout)))
    lead = ["2", "1", "Tabell 1 Frie inntekter", "Tall i mill. kroner", "", "http://127.0.0.1/t.pdf#page=2"]
    assert rows[0] == ["page", "table", "caption", "unit", "document_title", "link", "row", "col1", "col2", "col3"]
    assert rows[1] == [*lead, "header", "'=HYPERLINK(\"x\")", "Regnskap 2020", "'@2021"]
    assert rows[2] == [*lead, "1", "Skatt", "-4 497,9", "-4,2 %"]
    assert rows[3] == [*lead, "2", "'+cmd", "(12,0)", "-"]
    found = as_json(hparkiv(data_dir.root, "tables", sha[:12], "--format", "json"))
    assert found == [{"doc_id": sha[:12], "page": 2, "index": 0, "table": 1, "caption": "Tabell 1 Frie inntekter",
                      "unit": "Tall i mill. kroner", "bbox": [56.0, 90.0, 400.0, 160.0], "header": table.header,
                      "rows": table.rows, "values": table.values, "document_title": None,
                      "link": "http://127.0.0.1/t.pdf#page=2"}]
    text = hparkiv(data_dir.root, "tables", sha[:12], "--page", "2")
    assert text.returncode == 0 and "Tabell 1 Frie inntekter" in text.stdout and "\x1b" not in text.stdout
