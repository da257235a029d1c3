"""The output layer (present/): one shape per answer, one encoder per format, and the CLI and the
web writing the same bytes for the same question, shown on the real sample archive."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from processes import env_for

from catalog import DataDir, Table, Version
from present import formats
from present.cells import amount, csv_cell
from present.exports import Export, search_export, tables_export
from present.hits import group_by_document
from present.notes import UNDATED_LEFT_OUT, Note, past_the_end
from present.snippets import plain, segments, sentence
from present.vedtak import VEDTAK_COLUMNS, votes_cell

# --- cells and snippets --------------------------------------------------------------------------


@pytest.mark.parametrize("cell, value", [
    ("1 234,5", 1234.5), ("12 000", 12000), ("(4 497,9)", -4497.9), ("−12", -12), ("1\u202f234", 1234),
    ("2 345*", 2345), ("–", None), ("-", None), ("4,2 %", None), ("22 Grunnskole", None), ("2021-2024", None),
    ("", None), (None, None), ("tekst", None),
])
def test_amount_reads_a_printed_cell_through_catalog_amounts(cell, value):
    got = amount(cell)
    assert got == value and type(got) is type(value)


def test_csv_cell_quotes_formulas_and_strips_controls():
    assert csv_cell("=HYPERLINK(1)") == "'=HYPERLINK(1)"
    assert csv_cell("-1 234,5") == "-1 234,5" and csv_cell("-foo") == "'-foo"
    assert csv_cell("a\x1b[31mb\x07") == "ab" and csv_cell([1, "x"]) == '[1, "x"]'


def test_snippet_markers_are_decoded_in_one_place():
    snip = "Nye [[sykehjemsplasser]] og [[sykehjem]]. Mer\x1b[2J tekst"
    assert segments(snip) == [("Nye ", False), ("sykehjemsplasser", True), (" og ", False), ("sykehjem", True),
                              (". Mer tekst", False)]
    assert plain(snip) == "Nye sykehjemsplasser og sykehjem. Mer tekst"
    assert sentence("… Innledning. Nye [[sykehjem]] bygges. Slutt") == "Nye [[sykehjem]] bygges."


@dataclass
class _Hit:
    doc_id: str
    sha256: str
    page: int
    snippet: str
    url: str = "https://example.invalid/a.pdf"


def test_hits_are_grouped_by_document_and_a_repeated_sentence_is_folded():
    hits = [_Hit("a", "A", 3, "… Felles [[tekst]] her. Side tre."), _Hit("b", "B", 1, "Annet [[tekst]]."),
            _Hit("a", "A", 7, "Side sju. Felles [[tekst]] her."), _Hit("a", "A", 9, "Noe nytt om [[tekst]].")]
    groups = group_by_document(hits, {"A": 5, "B": 1})
    assert [g.first.doc_id for g in groups] == ["a", "b"]
    a = groups[0]
    assert [h.page for h in a.hits] == [3, 7, 9] and a.more == 2 and groups[1].more == 0
    passages = a.passages()
    assert [p.pages for p in passages] == [[3, 7], [9]]


def test_notes_are_facts_each_front_end_translates():
    note = past_the_end(total=3, skipped=10)
    assert note is not None and past_the_end(3, 2) is None and past_the_end(0, 10) is None
    assert note.translated(lambda m: m, lambda s, p, n: s if n == 1 else p) == \
        "past the end: 3 pages match, and 10 were skipped"
    undated = Note(UNDATED_LEFT_OUT, "{n} document", "{n} documents", 1)
    assert undated.translated(lambda m: m, lambda s, p, n: s if n == 1 else p) == "1 document"


# --- formats ---------------------------------------------------------------------------------------


def _export() -> Export:
    rows = [{"a": 1, "b": "x,y", "c": 0.5, "d": "2021-12-14"}, {"a": 2, "b": "=1+1", "c": None, "d": None}]
    return Export("things", rows, ("a", "b", "c", "d"), head={"query": "q", "total": 2}, key="things",
                  tail={"facets": {"year": {"2021": 2}}})


def test_json_is_the_head_the_records_and_the_tail_in_one_object():
    text = "".join(formats.encode(_export(), "json"))
    assert json.loads(text) == {"query": "q", "total": 2, "things": _export().records,
                                "facets": {"year": {"2021": 2}}}
    bare = Export("x", [], ("a",))
    assert json.loads("".join(formats.encode(bare, "json"))) == []
    assert json.loads("".join(formats.encode(Export("x", [{"a": 1}], ("a",), head={}, key="k"), "json"))) == \
        {"k": [{"a": 1}]}


def test_csv_in_both_dialects_and_jsonl():
    rfc = "".join(formats.encode(_export(), "csv"))
    assert rfc == "a,b,c,d\n1,\"x,y\",0.5,2021-12-14\n2,'=1+1,,\n"
    nb = "".join(formats.encode(_export(), "csv", "excel-nb"))
    assert nb == "\ufeffa;b;c;d\r\n1;x,y;0,5;2021-12-14\r\n2;'=1+1;;\r\n"
    lines = "".join(formats.encode(_export(), "jsonl")).splitlines()
    assert [json.loads(line) for line in lines] == _export().records


def test_a_table_csv_leads_each_row_with_page_and_number_and_xlsx_types_its_amounts(tmp_path):
    from openpyxl import load_workbook

    v = Version(sha256="a" * 64, doc_id="a" * 12, url="https://example.invalid/a.pdf", size=1, media_type="pdf",
                title="T")
    t = Table(5, 0, ["Tjeneste", "2021"], [["Barnehager", "1 234,5"], ["Sum", "(12)"], ["Andel", "4,2 %"]])
    rfc = "".join(formats.encode(tables_export(v, [t]), "csv"))
    lead = "5,1,,,T,https://example.invalid/a.pdf#page=5"
    assert rfc == (f"page,table,caption,unit,document_title,link,row,col1,col2\n{lead},header,Tjeneste,2021\n"
                   f"{lead},1,Barnehager,\"1 234,5\"\n{lead},2,Sum,(12)\n{lead},3,Andel,\"4,2 %\"\n")
    nb = "".join(formats.encode(tables_export(v, [t]), "csv", "excel-nb"))
    lead = lead.replace(",", ";")
    assert f"{lead};1;Barnehager;1234,5\r\n" in nb and f"{lead};2;Sum;-12\r\n" in nb and f"{lead};3;Andel;4,2 %\r\n" in nb
    path = tmp_path / "t.xlsx"
    path.write_bytes(b"".join(formats.encode(tables_export(v, [t]), "xlsx")))
    ws = load_workbook(path)["s. 5 tabell 1"]
    assert [[c.value for c in row] for row in ws.iter_rows(min_row=9)] == [
        ["Tjeneste", "2021"], ["Barnehager", 1234.5], ["Sum", -12], ["Andel", "4,2 %"]]


def test_xlsx_keeps_record_text_as_text_and_types_dates(tmp_path):
    import datetime as dt

    from openpyxl import load_workbook

    @dataclass
    class Hit:
        doc_id: str = "000123456789"  # all digits: a doc id, not a number
        url: str = "https://example.invalid/a.pdf"
        title: str | None = "2021"
        year: int | None = 2021
        period: str | None = "2021-2024"
        committee: str | None = None
        doctype: str | None = "forslag"
        date: str | None = "2020-09-15"
        page: int = 3
        score: float = 1.25
        snippet: str = "[[1 234]] kroner"
        sha256: str = "b" * 64

    path = tmp_path / "s.xlsx"
    path.write_bytes(b"".join(formats.encode(search_export("q", 1, [Hit()], {}), "xlsx")))
    ws = load_workbook(path).active
    row = {h.value: c.value for h, c in zip(ws[1], ws[2], strict=True)}
    assert row["doc_id"] == "000123456789" and row["title"] == "2021" and row["snippet"] == "1 234 kroner"
    assert row["year"] == 2021 and row["score"] == 1.25 and isinstance(row["date"], dt.datetime | dt.date)


def test_the_vote_cell_is_each_statement_as_printed():
    votes = [{"text": "Innstillingen ble vedtatt mot 3 stemmer (2Ap, R).", "parsed": True},
             {"text": "Forslaget falt med noen stemmer.", "parsed": False}]
    assert votes_cell(votes) == "Innstillingen ble vedtatt mot 3 stemmer (2Ap, R). | Forslaget falt med noen stemmer."


# --- the CLI and the web write the same bytes ------------------------------------------------------


def _cli(data_dir: DataDir, *args: str) -> str:
    """What `hparkiv ARGS` writes to stdout, byte for byte (no newline translation)."""
    proc = subprocess.run([sys.executable, "-m", "search_cli", *args], capture_output=True, timeout=300,
                          env=env_for(data_dir.root), cwd=data_dir.root.parent)
    assert proc.returncode == 0, proc.stderr.decode(errors="replace")
    return proc.stdout.decode()


SERIES_LABEL = "Netto driftsresultat"  # a budget line the sample prints in every year's tables
PAIRS = [  # (CLI arguments, web route and parameters)
    (("search", "sykehjem", "--year", "2019-2022"), "/api/search", {"q": "sykehjem", "year": "2019-2022"}),
    (("list", "--type", "protokoll"), "/api/documents", {"type": "protokoll"}),
    (("trend", "barnehage"), "/api/trend", {"q": "barnehage"}),
    (("series", SERIES_LABEL), "/api/series", {"label": SERIES_LABEL}),
    (("vedtak",), "/api/vedtak", {}),
    (("vedtak", "--party", "Ap", "--outcome", "falt"), "/api/vedtak", {"party": "Ap", "outcome": "falt"}),
]


@pytest.mark.parametrize("fmt", ["csv", "json", "jsonl"])
@pytest.mark.parametrize("args, route, params", PAIRS, ids=[" ".join(p[0]) for p in PAIRS])
def test_cli_and_web_exports_are_the_same_bytes(data_dir, client, fmt, args, route, params):
    cli = _cli(data_dir, *args, "--format", fmt)
    web = client.get(route, params={**params, "format": fmt})
    assert web.status_code == 200, web.text
    assert cli.strip() and web.text == cli
    if fmt == "csv":
        assert len(list(csv.reader(io.StringIO(cli)))) > 1  # a header and rows, not an empty answer


def test_the_excel_csv_dialect_is_the_same_bytes_too(data_dir, client):
    cli = _cli(data_dir, "search", "budsjett", "--year", "2021", "--format", "csv", "--csv-dialect", "excel-nb")
    web = client.get("/api/search", params={"q": "budsjett", "year": "2021", "format": "csv", "dialect": "excel-nb"})
    assert cli.startswith("\ufeff") and web.text == cli


def test_the_vedtak_csv_is_the_same_in_every_language_and_holds_the_votes_as_printed(data_dir, client):
    en = _cli(data_dir, "--lang", "en", "vedtak", "--format", "csv")
    nb = _cli(data_dir, "--lang", "nb", "vedtak", "--format", "csv")
    web_nb = client.get("/api/vedtak", params={"format": "csv", "lang": "nb"}).text
    assert en == nb == web_nb
    rows = list(csv.DictReader(io.StringIO(en)))
    assert tuple(rows[0]) == VEDTAK_COLUMNS
    decisions = json.loads(_cli(data_dir, "vedtak", "--format", "json"))["decisions"]
    assert [r["votes"] for r in rows] == [" | ".join(v["text"] for v in d["votes"]) for d in decisions]
    assert any(" | " in r["votes"] for r in rows) and any(r["votes"] for r in rows)


def test_a_document_and_its_tables_are_the_same_from_both(data_dir, client):
    docs = json.loads(_cli(data_dir, "list", "--type", "vedtak", "--format", "json"))
    with_tables = next(d for d in docs if json.loads(_cli(data_dir, "tables", d["doc_id"], "--format", "json")))
    doc_id = with_tables["doc_id"]
    assert client.get(f"/doc/{doc_id}/tables.csv").text == _cli(data_dir, "tables", doc_id, "--format", "csv")
    assert client.get(f"/api/doc/{doc_id}", params={"page": 1}).text == \
        _cli(data_dir, "show", doc_id, "--page", "1", "--format", "json")


def test_xlsx_from_the_web_holds_the_cli_workbook(data_dir, client, tmp_path):
    from openpyxl import load_workbook

    path = tmp_path / "cli.xlsx"
    with path.open("wb") as out:
        subprocess.run([sys.executable, "-m", "search_cli", "vedtak", "--format", "xlsx"], stdout=out, check=True,
                       env=env_for(data_dir.root), timeout=120)
    web = client.get("/api/vedtak", params={"format": "xlsx"})
    assert web.headers["content-type"].startswith("application/vnd.openxmlformats")
    assert 'filename="vedtak.xlsx"' in web.headers["content-disposition"]
    (tmp_path / "web.xlsx").write_bytes(web.content)

    def cells(p: Path) -> list[list]:
        return [[c.value for c in row] for row in load_workbook(p).active.iter_rows()]

    got = cells(tmp_path / "web.xlsx")
    assert len(got) > 1 and got == cells(path)



def test_the_web_says_what_the_filters_left_out_as_the_cli_does(data_dir, client):
    """Documents without a date dropped by a date range, and years outside the archive: the same
    notes (present.notes) on the CLI's stderr and on the web's pages, each with its way to undo it."""
    import re

    from processes import hparkiv

    cli = hparkiv(data_dir.root, "search", "barnehage", "--from", "2020-01-01", "--format", "json")
    (undated,) = re.findall(r"(\d+) documents without a date were left out by the date range", cli.stderr)
    assert int(undated) > 0 and "add --undated" in cli.stderr
    page = client.get("/search", params={"q": "barnehage", "from": "2020-01-01", "lang": "en"}).text
    assert f"{undated} documents without a date were left out by the date range" in page
    link = re.search(r'href="(/search\?[^"]*undated=1[^"]*)">Include them</a>', page).group(1)
    with_them = client.get(link.replace("&amp;", "&")).text
    assert "without a date were left out" not in with_them
    kept = json.loads(hparkiv(data_dir.root, "search", "barnehage", "--from", "2020-01-01", "--undated",
                              "--format", "json").stdout)["total"]
    assert f"{kept} pages match" in with_them
    outside = hparkiv(data_dir.root, "--lang", "nb", "trend", "barnehage", "--year", "2040")
    note = re.search(r"hparkiv: (ingen dokumenter for 2040: arkivet dekker \d{4}–\d{4})", outside.stderr).group(1)
    trend_page = client.get("/trend", params={"q": "barnehage", "year": "2040", "lang": "nb"}).text
    assert note[:1].upper() + note[1:] in trend_page


@pytest.mark.parametrize("module, never", [
    ("present.formats, present.exports, present.hits, present.notes, present.vedtak",
     ("click", "starlette", "jinja2", "search_cli", "web", "jobs", "whoosh", "scrapy", "pdfplumber")),
    ("web.app", ("click", "search_cli", "jobs", "scrapy", "pdfplumber")),
])
def test_what_the_output_layer_and_the_web_never_import(module, never):
    code = f"import sys\nimport {module}\nprint(','.join(m for m in {never!r} if m in sys.modules))"
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120,
                          env=env_for(Path("/nonexistent")))
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == ""
