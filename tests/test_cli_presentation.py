"""What a journalist reads from the CLI on the real sample archive (issue 20): decisions that say
what a vote left unknown and never repeat a heading, exports that keep their units (a sheet per
table named from its caption, a CSV with one header), Norwegian throughout with no raw keys or
slugs, and trend's bars inside an 80-column terminal."""

from __future__ import annotations

import csv
import io
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from processes import env_for

from present.vedtak import VEDTAK_COLUMNS

# Keys the catalog stores that a person must never read, and committee slugs that are no word.
RAW_KEYS = ("pages_visited", "documents_seen", "links_found", "no_text", "superseded_by", "first_seen", "last_seen",
            "per_1000_pages", "archive_documents", "unparsed_votes", "votes_with_warning", "by_status", "by_kind",
            "count_mismatch", "doc_pages")
SLUGS = ("barn-og-unge", "bistand-og-omsorg", "miljo-idrett-og-kultur", "eldreradet", "ungdomsradet")
# What the extractor and the crawler store in English, which bokmål must say in its own words.
ENGLISH_REASONS = ("corrupt PDF", "looks like HTML", "password-protected", "empty file", "also missing from the web",
                   "disallowed by robots", "(link text", "(first page", "(rule:", "(heading")
_URL = re.compile(r"https?://\S+")


@pytest.fixture(scope="module")
def data_dir(archive) -> Path:
    return Path(archive[0])


def run(data_dir: Path, *args: str, columns: int = 120) -> str:
    env = env_for(data_dir) | {"COLUMNS": str(columns)}
    proc = subprocess.run([sys.executable, "-m", "search_cli", *args], capture_output=True, text=True, env=env,
                          timeout=300, cwd=data_dir.parent)
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


def as_json(data_dir: Path, *args: str):
    return json.loads(run(data_dir, *args, "--format", "json"))


def _xlsx(data_dir: Path, *args: str, tmp_path: Path):
    from openpyxl import load_workbook

    path = tmp_path / "out.xlsx"
    with path.open("wb") as out:
        proc = subprocess.run([sys.executable, "-m", "search_cli", *args, "--format", "xlsx"], stdout=out,
                              stderr=subprocess.PIPE, env=env_for(data_dir), timeout=300)
    assert proc.returncode == 0, proc.stderr
    return load_workbook(path)


# --- decisions -------------------------------------------------------------------------------------


def test_vedtak_headings_never_repeat_a_part_and_name_the_document(data_dir):
    decisions = as_json(data_dir, "vedtak")["decisions"]
    points = [d for d in decisions if d["kind"] == "tekstvedtak"]
    assert points, "the sample's adopted budgets carry numbered text decisions"
    text = run(data_dir, "--lang", "nb", "vedtak", "--limit", "0")
    for line in text.splitlines():
        parts = [p.strip().casefold() for p in line.split(" · ")]
        assert len(parts) == len(set(parts)), line  # "Tekstvedtak · Tekstvedtak" never
    for d in points[:5]:
        assert f"{d['document_title']}, s. {d['page']}  [{d['doc_id']}]" in text
        assert f"punkt {d['number']}" in text
    assert " p. " not in text and "[" + points[0]["doc_id"] + "]" in text
    english = run(data_dir, "--lang", "en", "vedtak", "--limit", "3")
    assert f"{points[0]['document_title']}, p. {points[0]['page']}" in english


def test_a_vote_with_one_count_says_which_is_unknown(data_dir):
    votes = [v for d in as_json(data_dir, "vedtak")["decisions"] for v in d["votes"] if v["parsed"]]
    one_sided = [v for v in votes if (v["for"] is None) != (v["against"] is None)]
    assert one_sided, "the sample's protocols print votes with only one count"
    nb = run(data_dir, "--lang", "nb", "vedtak", "--limit", "0")
    en = run(data_dir, "--lang", "en", "vedtak", "--limit", "0")
    assert not re.search(r"\d+-\?|\?-\d+", nb + en)
    for v in one_sided:
        if v["for"] is not None:
            assert re.search(rf"{v['for']} stemmer? for \(stemmer mot ikke oppgitt\)", nb)
            assert re.search(rf"{v['for']} votes? in favour \(votes against not stated\)", en)
        else:
            assert re.search(rf"{v['against']} stemmer? mot \(stemmer for ikke oppgitt\)", nb)
    both = next(v for v in votes if v["for"] is not None and v["against"] is not None)
    assert f"{both['for']} mot {both['against']} stemmer" in nb and f"{both['for']} votes to {both['against']}" in en


def test_vedtak_as_a_spreadsheet(data_dir, tmp_path):
    found = as_json(data_dir, "vedtak")
    ws = _xlsx(data_dir, "vedtak", tmp_path=tmp_path).active
    rows = list(ws.iter_rows(values_only=True))
    assert ws.title == "vedtak" and rows[0] == VEDTAK_COLUMNS and len(rows) == found["total"] + 1
    col = {name: i for i, name in enumerate(VEDTAK_COLUMNS)}
    for row, d in zip(rows[1:], found["decisions"], strict=True):
        assert row[col["page"]] == d["page"] and isinstance(row[col["page"]], int)
        assert row[col["year"]] == d["year"] and row[col["document_title"]] == d["document_title"]
        assert row[col["date"]] is None or row[col["date"]].date().isoformat() == d["date"]
        assert row[col["votes"]] == (" | ".join(v["text"] for v in d["votes"]) or None)
    assert ws.freeze_panes == "A2" and ws.auto_filter.ref.startswith("A1:")


# --- tables -----------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def doc_with_tables(data_dir) -> tuple[str, list[dict]]:
    """The document with the most extracted tables, and its tables as JSON."""
    hits = as_json(data_dir, "search", "tabell", "--tables")["hits"]
    best = max({h["doc_id"] for h in hits}, key=lambda d: len(as_json(data_dir, "tables", d)))
    return best, as_json(data_dir, "tables", best)


def test_tables_xlsx_is_a_sheet_per_table_named_from_its_caption_with_its_units(data_dir, doc_with_tables,
                                                                                   tmp_path):
    doc_id, tables = doc_with_tables
    assert len(tables) >= 3
    wb = _xlsx(data_dir, "tables", doc_id, tmp_path=tmp_path)
    assert len(wb.worksheets) == len(tables)
    names = [ws.title for ws in wb.worksheets]
    assert len({n.casefold() for n in names}) == len(names) and all(len(n) <= 31 for n in names)
    for ws, t in zip(wb.worksheets, tables, strict=True):
        about = {}
        for row in ws.iter_rows(max_row=7):
            about[row[0].value] = row[1]
        assert [k for k in about] == ["caption", "unit", "document_title", "doc_id", "page", "table", "link"]
        assert about["caption"].value == t["caption"] and about["unit"].value == t["unit"]
        assert about["document_title"].value == t["document_title"] and about["page"].value == t["page"]
        assert about["link"].value == t["link"] and about["link"].hyperlink.target == t["link"]
        if t["caption"]:
            assert ws.title.rstrip("…") in t["caption"] or ws.title.split(" (")[0].rstrip("…") in t["caption"]
        else:
            assert ws.title.startswith(f"s. {t['page']} tabell {t['table']}")
        header = [c.value or "" for c in ws[9]]  # an empty header cell is an empty cell
        assert header[:len(t["header"])] == t["header"] and ws.freeze_panes == "A10"
        for r, (printed, values) in enumerate(zip(t["rows"], t["values"], strict=True), 10):
            cells = [c.value for c in ws[r]]
            for i, value in enumerate(values):
                if value is not None:  # an amount: a number, equal to the JSON's
                    assert isinstance(cells[i], int | float) and cells[i] == pytest.approx(value), (printed, cells)


def test_tables_csv_has_one_header_and_each_row_its_tables_caption_and_unit(data_dir, doc_with_tables):
    doc_id, tables = doc_with_tables
    rows = list(csv.reader(io.StringIO(run(data_dir, "tables", doc_id, "--format", "csv"))))
    head = rows[0]
    assert head[:7] == ["page", "table", "caption", "unit", "document_title", "link", "row"]
    assert all(row != head for row in rows[1:])  # never a second header mid-file
    assert len(rows) == 1 + sum(len(t["rows"]) + 1 for t in tables)
    at = 1
    for t in tables:
        block = rows[at:at + len(t["rows"]) + 1]
        at += len(block)
        assert block[0][6] == "header" and block[0][7:7 + len(t["header"])] == t["header"]
        assert [r[6] for r in block[1:]] == [str(n) for n in range(1, len(t["rows"]) + 1)]
        assert all(r[2] == (t["caption"] or "") and r[3] == (t["unit"] or "") and r[0] == str(t["page"])
                   and r[5] == t["link"] for r in block)


# --- Norwegian throughout ---------------------------------------------------------------------------


def _readable(data_dir: Path, lang: str) -> str:
    """Every text answer a journalist would ask for, URLs left out (they may hold slugs)."""
    docs = as_json(data_dir, "list", "--all-versions")
    failed = next(d["doc_id"] for d in docs if d["status"] == "failed")
    ok = next(d["doc_id"] for d in docs if d["status"] == "ok" and d["committee"] == "barn-og-unge")
    outputs = [run(data_dir, "--lang", lang, *args) for args in (
        ("status",), ("list", "--all-versions"), ("show", failed), ("show", ok), ("vedtak", "--limit", "0"),
        ("search", "barnehage"), ("search", "sykehjem", "--committee", "HBU"), ("trend", "barnehage"),
        ("trend", "barnehage", "--normalise"), ("series", "Netto driftsresultat"))]
    return _URL.sub("", "\n".join(outputs))


def test_text_outputs_carry_no_raw_keys_or_slugs_in_either_language(data_dir):
    for lang in ("nb", "en"):
        text = _readable(data_dir, lang)
        found = [k for k in (*RAW_KEYS, *SLUGS) if k in text]
        assert not found, f"{lang}: {found}"
        assert "Hovedutvalg for barn og unge" in text  # a committee by its name


def test_bokmal_says_failures_provenance_and_numbers_in_its_own_words(data_dir):
    nb = _readable(data_dir, "nb")
    assert not [e for e in ENGLISH_REASONS if e in nb]
    assert "ødelagt PDF" in nb and "lenketekst" in nb and "sider besøkt" in nb
    assert re.search(r"sekunder \d+,\d", nb)  # a decimal comma
    assert re.search(r"\b\d{3} \d{3},\d\b", nb)  # series: "587 100,0"
    assert re.search(r"\+\d+,\d %", nb)  # a change: "+3,9 %"
    assert " p. " not in nb and "NOT PARSED" not in nb
    en = _readable(data_dir, "en")
    assert "corrupt PDF" in en and "pages visited" in en and re.search(r"\+\d+\.\d%", en)
    assert not [w for w in ("sider besøkt", "ødelagt PDF", "lenketekst", "uten tekst", "IKKE LEST") if w in en]


def test_one_is_singular(data_dir):
    assert "1 side treffer" in run(data_dir, "--lang", "nb", "search", "kulturhusparkeringen")
    status = run(data_dir, "--lang", "nb", "list", "--type", "innspill")
    assert "1 side " in status and "1 sider" not in status


def test_trend_fits_an_80_column_terminal_with_whole_bars(data_dir):
    for args in (("trend", "barnehage"), ("trend", "barnehage", "--normalise"), ("trend", "sykehjem", "--count",
                                                                                 "documents")):
        for lang in ("nb", "en"):
            out = run(data_dir, "--lang", lang, *args, columns=80)
            lines = out.splitlines()
            assert all(len(line) <= 80 for line in lines), "\n".join(lines)
            bars = [re.search(r"│ (█*) *│", line) for line in lines if "█" in line]
            assert bars and "…" not in out
            longest = max(len(b.group(1)) for b in bars if b)
            assert longest >= 8, out  # room left for bars to compare


def test_extract_says_pages_per_second_with_a_decimal_comma_and_reasons_in_words():
    """The extraction's summary as the progress reporter prints it after a run, in bokmål."""
    from types import SimpleNamespace

    from rich.console import Console

    from search_cli.messages import set_language
    from search_cli.progress import Reporter

    set_language("nb")
    try:
        reporter = Reporter()
        reporter.console = Console(file=io.StringIO(), width=200)
        reporter._extracted(SimpleNamespace(done=1200, ok=1196, no_text=1, failed=3, pages=15080, seconds=48.06,
                                            failures=[("3fa9c2d1e0b4", "corrupt PDF: Unexpected EOF")], hint=None))
        out = reporter.console.file.getvalue()
    finally:
        set_language("en")
    assert "uttrekk: 1 200 dokumenter (1 196 OK, 1 uten tekst, 3 feilet), 15 080 sider på 48,1 s (313,8 sider/s)" in out
    assert "3fa9c2d1e0b4: ødelagt PDF: Unexpected EOF" in out
