"""Search and the CLI the way journalists type and read (issue 14), through the real CLI
on the sample archive: multi-word queries, folding, parties, case numbers, fields, ranking,
sorting, grouping, filters, trend, exports, one language, help and messages."""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from processes import hparkiv

SAMARBEID_ASCII = "Baerum kommune ma sikre okonomien"  # planted on page 3 of the fagforeningene's input


def as_json(proc: subprocess.CompletedProcess):
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


def found(data_dir: Path, *args: str) -> dict:
    """Every hit of a search, as JSON."""
    return as_json(hparkiv(data_dir, "search", *args, "--format", "json"))


def pages(data_dir: Path, *args: str) -> set[tuple[str, int]]:
    return {(h["doc_id"], h["page"]) for h in found(data_dir, *args)["hits"]}


def one_line_error(proc: subprocess.CompletedProcess, code: int = 2) -> str:
    assert proc.returncode == code, (proc.returncode, proc.stdout[-500:], proc.stderr)
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("hparkiv: ") and "Traceback" not in proc.stderr, proc.stderr
    return lines[0]


# --- 1. queries as people type them ----------------------------------------------------------


def test_several_words_are_one_query_in_search_and_trend(archive):
    data_dir, _ = archive
    both = pages(data_dir, "barnehage", "sykehjem")
    assert both and both == pages(data_dir, "barnehage sykehjem")
    assert both < pages(data_dir, "barnehage")
    trend_words = as_json(hparkiv(data_dir, "trend", "barnehage", "sykehjem", "--format", "json"))["years"]
    trend_one = as_json(hparkiv(data_dir, "trend", "barnehage sykehjem", "--format", "json"))["years"]
    assert trend_words == trend_one and sum(r["pages"] for r in trend_one) == len(both)


def test_a_query_that_starts_with_minus_word(archive):
    data_dir, _ = archive
    proc = hparkiv(data_dir, "search", "--format", "json", "--", "-sykehjem", "barnehage")
    without = {(h["doc_id"], h["page"]) for h in as_json(proc)["hits"]}
    assert without and without == pages(data_dir, "-sykehjem barnehage") == pages(data_dir, "barnehage", "-sykehjem")
    assert without.isdisjoint(pages(data_dir, "sykehjem"))
    # A mistyped option is still an option error, in one line, with the right one suggested.
    line = one_line_error(hparkiv(data_dir, "search", "budsjett", "--limt", "5"))
    assert "--limit" in line and "hparkiv search --help" in line


# --- 2. Scandinavian folding -----------------------------------------------------------------


def test_folding_finds_words_typed_without_the_norwegian_letters(archive):
    data_dir, _ = archive
    assert pages(data_dir, "okonomisk") == pages(data_dir, "økonomisk") != set()
    assert pages(data_dir, "taarnet") == pages(data_dir, "Tårnet") != set()  # aa -> å
    assert pages(data_dir, "baerum") >= pages(data_dir, "Bærum") != set()
    # The word planted once with æøå and once typed without: each finds both, the form typed first.
    proper = found(data_dir, "snøbrøytingsentreprenørene")["hits"]
    ascii_ = found(data_dir, "snobroytingsentreprenorene")["hits"]
    assert len(proper) == len(ascii_) == 2
    assert "snøbrøytingsentreprenørene" in proper[0]["snippet"] and SAMARBEID_ASCII in proper[1]["snippet"]
    assert SAMARBEID_ASCII in ascii_[0]["snippet"] and "snøbrøytingsentreprenørene" in ascii_[1]["snippet"]
    # A quoted phrase is exact: it finds the letters as written only.
    assert pages(data_dir, '"Baerum kommune"') == {(ascii_[0]["doc_id"], ascii_[0]["page"])}


# --- 3. parties ------------------------------------------------------------------------------


def test_parties_by_count_prefixed_abbreviation_and_by_name(archive):
    data_dir, _ = archive
    ap = found(data_dir, "Ap")
    assert any("2Ap" in h["snippet"] for h in ap["hits"])
    assert pages(data_dir, "Arbeiderpartiet") == {(h["doc_id"], h["page"]) for h in ap["hits"]}
    assert pages(data_dir, '"Miljøpartiet De Grønne"') == pages(data_dir, "MDG") != set()
    assert pages(data_dir, "Høyre") == pages(data_dir, "H")


# --- 4. case numbers -------------------------------------------------------------------------


def test_case_numbers_and_archive_case_numbers(archive):
    data_dir, _ = archive
    case = found(data_dir, "002/20")
    assert case["total"] > 0 and all("002/20" in h["snippet"] for h in case["hits"])
    assert pages(data_dir, "2/20") == pages(data_dir, "002/2020") == {(h["doc_id"], h["page"]) for h in case["hits"]}
    archive_case = found(data_dir, "20/13890")
    assert archive_case["total"] > 0 and all("20/13890" in h["snippet"] for h in archive_case["hits"])
    assert pages(data_dir, "20/13890") != pages(data_dir, "20/13891")


# --- 5. fields in the query ------------------------------------------------------------------


@pytest.mark.parametrize("field, flag", [
    ("committee:HBO", ["--committee", "HBO"]),
    ('committee:"bistand og omsorg"', ["--committee", "hbo"]),
    ("type:vedtak", ["--type", "vedtak"]),
    ("type:vedtak,protokoll", ["--type", "vedtak", "--type", "protokoll"]),
    ("year:2019-2021", ["--year", "2019-2021"]),
])
def test_query_fields_behave_exactly_like_the_flags(archive, field, flag):
    data_dir, _ = archive
    by_field = found(data_dir, f"budsjett {field}")
    by_flag = found(data_dir, "budsjett", *flag)
    assert by_field["total"] > 0
    assert [(h["doc_id"], h["page"], h["score"]) for h in by_field["hits"]] == \
        [(h["doc_id"], h["page"], h["score"]) for h in by_flag["hits"]]


def test_unknown_field_values_exit_2_like_the_flags(archive):
    data_dir, _ = archive
    by_field = one_line_error(hparkiv(data_dir, "search", "budsjett committee:XYZ"))
    by_flag = one_line_error(hparkiv(data_dir, "search", "budsjett", "--committee", "XYZ"))
    assert "unknown committee 'XYZ'" in by_field and "unknown committee 'XYZ'" in by_flag
    assert "unknown type" in one_line_error(hparkiv(data_dir, "search", "budsjett type:nosuch"))
    assert "year" in one_line_error(hparkiv(data_dir, "search", "budsjett year:19x9"))
    # A field and a flag that exclude each other find nothing.
    assert found(data_dir, "budsjett committee:HBO", "--committee", "FSK")["total"] == 0


# --- 6, 7, 8. ranking, sorting, grouping -----------------------------------------------------


def test_document_titles_count_in_ranking(archive):
    data_dir, _ = archive
    top = found(data_dir, "sykehjemsplasser", "--limit", "3")["hits"]
    assert any("Befolkningsprognose og sykehjemsplasser" in (h["title"] or "") or
               "befolkningsprognose og sykehjemsplasser" in (h["title"] or "") for h in top), top


def test_sort_newest_and_oldest(archive):
    data_dir, _ = archive
    best = found(data_dir, "Lindelia")["hits"]
    oldest = found(data_dir, "Lindelia", "--sort", "oldest")["hits"]
    newest = found(data_dir, "Lindelia", "--sort", "newest")["hits"]
    assert len(oldest) == len(newest) == len(best) > 3
    dated = [h["date"] or str(h["year"]) for h in oldest if h["date"] or h["year"]]
    assert dated == sorted(dated) and oldest[0]["date"] == min(h["date"] for h in best if h["date"])
    dated_new = [h["date"] or str(h["year"]) for h in newest if h["date"] or h["year"]]
    assert dated_new == sorted(dated_new, reverse=True)
    assert one_line_error(hparkiv(data_dir, "search", "x", "--sort", "random"))


def test_grouped_output_shows_more_pages_doc_and_repeated_snippets_once(archive):
    data_dir, _ = archive
    hits = found(data_dir, "Bærum")["hits"]
    per_doc: dict[str, int] = {}
    for h in hits:
        per_doc[h["doc_id"]] = per_doc.get(h["doc_id"], 0) + 1
    doc, n = max(per_doc.items(), key=lambda kv: kv[1])
    text = hparkiv(data_dir, "search", "Bærum", "--limit", "3").stdout
    assert "more pages" in text
    inside = found(data_dir, "Bærum", "--doc", doc)
    assert inside["total"] == n and {h["doc_id"] for h in inside["hits"]} == {doc}
    vedtak = found(data_dir, "sykehjemsplasser", "--type", "vedtak", "--limit", "1")["hits"][0]["doc_id"]
    grouped = hparkiv(data_dir, "search", "sykehjemsplasser", "--doc", vedtak, "--limit", "10").stdout
    assert "pp. " in grouped  # a sentence the document repeats, once, with its pages
    assert grouped.count("#page=") < 10
    assert "6 to 64 hex digits" in one_line_error(hparkiv(data_dir, "search", "x", "--doc", "zz"))


# --- 9. filters ------------------------------------------------------------------------------


def test_repeated_and_comma_separated_filter_values(archive):
    data_dir, _ = archive
    vedtak = pages(data_dir, "budsjett", "--type", "vedtak")
    protokoll = pages(data_dir, "budsjett", "--type", "protokoll")
    both = pages(data_dir, "budsjett", "--type", "vedtak", "--type", "protokoll")
    assert vedtak and protokoll and both == vedtak | protokoll == pages(data_dir, "budsjett", "--type", "vedtak,protokoll")
    listed = as_json(hparkiv(data_dir, "list", "--committee", "HBO,FSK", "--format", "json"))
    assert {d["committee"] for d in listed} == {"bistand-og-omsorg", "formannskapet"}


def test_date_filters_never_drop_undated_documents_silently(archive):
    data_dir, _ = archive
    everything = as_json(hparkiv(data_dir, "list", "--format", "json"))
    undated = [d for d in everything if not d["date"]]
    assert undated
    proc = hparkiv(data_dir, "list", "--from", "2000-01-01", "--format", "json")
    assert f"{len(undated)} documents without a date were left out" in proc.stderr and "--undated" in proc.stderr
    kept = as_json(hparkiv(data_dir, "list", "--from", "2000-01-01", "--undated", "--format", "json"))
    assert len(kept) == len(json.loads(proc.stdout)) + len(undated)
    search_kept = found(data_dir, "budsjett", "--from", "2000-01-01", "--undated")["total"]
    assert search_kept == found(data_dir, "budsjett")["total"]


def test_from_after_to_exits_2_and_year_facet_is_in_order(archive):
    data_dir, _ = archive
    for cmd in (["search", "x"], ["list"], ["trend", "x"]):
        line = one_line_error(hparkiv(data_dir, *cmd, "--from", "2021-01-01", "--to", "2020-01-01"))
        assert "--from 2021-01-01 is after --to 2020-01-01" in line
    years = list(found(data_dir, "budsjett", "--limit", "1")["facets"]["year"])
    assert years == sorted(years) and len(years) > 2
    text = hparkiv(data_dir, "search", "budsjett", "--limit", "1").stdout
    line = next(x for x in text.splitlines() if x.startswith("Budget years:"))
    shown = [part.split(" (")[0] for part in line.split(": ", 1)[1].split(", ")]
    assert shown == sorted(shown)


# --- 10. trend -------------------------------------------------------------------------------


def test_trend_shows_every_year_failures_counts_and_normalising(archive):
    data_dir, _ = archive
    # "Tårnet" is in every budget year of the sample but one (2018): a gap inside the range
    rows = as_json(hparkiv(data_dir, "trend", "Tårnet", "--format", "json"))["years"]
    years = [r["year"] for r in rows]
    assert years == list(range(years[0], years[-1] + 1))
    assert any(r["pages"] == 0 for r in rows)  # a year without a match is a row, not a gap
    assert any(r["failed"] for r in rows)  # documents that gave no text are counted per year
    for r in rows:
        if r["archive_pages"]:
            assert r["per_1000_pages"] == round(1000 * r["pages"] / r["archive_pages"], 2)
    text = hparkiv(data_dir, "trend", "Lindelia").stdout
    assert "without text" in text and "Matching pages per budget year" in text
    assert "Matching documents per budget year" in hparkiv(data_dir, "trend", "Lindelia", "--count", "documents").stdout
    assert "Per 1,000 pages" in hparkiv(data_dir, "trend", "Lindelia", "--normalise").stdout
    none = hparkiv(data_dir, "trend", "zzqxnotaword")
    assert none.returncode == 0 and "No pages match 'zzqxnotaword'" in none.stdout


# --- 11. tables text -------------------------------------------------------------------------


def _a_document_with_tables(data_dir: Path) -> tuple[str, list[dict]]:
    for d in as_json(hparkiv(data_dir, "list", "--type", "vedtak", "--format", "json")):
        got = as_json(hparkiv(data_dir, "tables", d["doc_id"], "--format", "json"))
        if got:
            return d["doc_id"], got
    raise AssertionError("no tables in the sample")


def test_tables_text_numbering_labels_and_pages(archive):
    data_dir, _ = archive
    doc, tables = _a_document_with_tables(data_dir)
    t = tables[0]
    text = hparkiv(data_dir, "tables", doc, "--page", str(t["page"])).stdout
    assert f"table {t['table']}" in text
    rows = list(csv.reader(io.StringIO(hparkiv(data_dir, "tables", doc, "--page", str(t["page"]), "--format", "csv").stdout)))
    assert rows[1][1] == str(t["table"]) == "1"
    label = max((r[0] for r in t["rows"]), key=len)
    assert label.strip(), t["rows"]
    assert label in text.replace("\n", " ") or all(w in text for w in label.split())  # wrapped, not cut
    assert "…" not in text
    assert "pages, not 9999" in one_line_error(hparkiv(data_dir, "tables", doc, "--page", "9999"))


# --- 12. spreadsheets ------------------------------------------------------------------------


def _xlsx(data_dir: Path, tmp_path: Path, *args: str):
    from openpyxl import load_workbook

    out = tmp_path / "out.xlsx"
    env = {**os.environ, "HPARKIV_DATA_DIR": str(data_dir), "LANG": "C.UTF-8"}
    with out.open("wb") as f:
        subprocess.run([sys.executable, "-m", "search_cli", *args, "--format", "xlsx"], stdout=f, env=env,
                       check=True, timeout=120)
    return load_workbook(out)


def test_xlsx_has_typed_cells_links_and_a_frozen_filtered_header(archive, tmp_path):
    import datetime as dt

    data_dir, _ = archive
    ws = _xlsx(data_dir, tmp_path, "search", "budsjett", "--year", "2021").active
    header = [c.value for c in ws[1]]
    assert ws.freeze_panes == "A2" and ws.auto_filter.ref.startswith("A1:")
    row = {k: c for k, c in zip(header, ws[2], strict=True)}
    assert isinstance(row["score"].value, float) and isinstance(row["year"].value, int)
    assert isinstance(row["date"].value, dt.datetime | dt.date)
    assert row["link"].value.endswith(f"#page={row['page'].value}") and row["link"].hyperlink is not None
    listed = _xlsx(data_dir, tmp_path, "list").active
    assert listed.freeze_panes == "A2" and listed.max_row > 10
    doc, _tables = _a_document_with_tables(data_dir)
    wb = _xlsx(data_dir, tmp_path, "tables", doc)
    numbers = [c.value for row in wb.worksheets[0].iter_rows(min_row=2) for c in row[1:]]
    assert any(isinstance(v, float | int) for v in numbers)  # "1 234,5" became 1234.5
    trend = _xlsx(data_dir, tmp_path, "trend", "Lindelia").active
    assert [c.value for c in trend[1]][:3] == ["year", "pages", "documents"]
    years = [r[0].value for r in trend.iter_rows(min_row=2)]
    assert years and all(isinstance(y, int) for y in years)


def test_csv_for_norwegian_excel_and_plain_csv_unchanged(archive):
    data_dir, _ = archive
    nb = hparkiv(data_dir, "search", "budsjett", "--year", "2021", "--format", "csv", "--csv-dialect", "excel-nb").stdout
    assert nb.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(nb.lstrip("\ufeff")), delimiter=";"))
    header = rows[0]
    assert "score" in header and "," in rows[1][header.index("score")]  # decimal comma
    plain = hparkiv(data_dir, "search", "budsjett", "--year", "2021", "--format", "csv").stdout
    assert not plain.startswith("\ufeff")
    plain_rows = list(csv.reader(io.StringIO(plain)))
    assert plain_rows[0] == header and "." in plain_rows[1][header.index("score")]
    doc, tables = _a_document_with_tables(data_dir)
    cells = hparkiv(data_dir, "tables", doc, "--format", "csv", "--csv-dialect", "excel-nb").stdout
    assert ";" in cells and any(c[:1].isdigit() and "," in c for c in cells.split(";"))


# --- 13. one voice ---------------------------------------------------------------------------


def test_norwegian_and_english_are_never_mixed(archive):
    data_dir, _ = archive
    nb = hparkiv(data_dir, "--lang", "nb", "search", "sykehjemsplasser", "--limit", "3").stdout
    assert "sider treffer" in nb and "s. " in nb and "Budsjettår" in nb
    assert "pages match" not in nb and "Budget years" not in nb and "p. " not in nb
    en = hparkiv(data_dir, "--lang", "en", "search", "sykehjemsplasser", "--limit", "3").stdout
    assert "pages match" in en and "p. " in en and "Budget years" in en
    assert "treffer" not in en and "s. " not in en and "Treff" not in en
    assert "vedtak" in en or "saksframlegg" in en  # domain words stay Norwegian in English
    trend_nb = hparkiv(data_dir, "--lang", "nb", "trend", "Lindelia").stdout
    assert "Sider med treff per budsjettår" in trend_nb and "Year" not in trend_nb
    err = one_line_error(hparkiv(data_dir, "--lang", "nb", "search", "x", "--committee", "nope"))
    assert "ukjent utvalg" in err


def test_the_locale_chooses_the_language(archive):
    data_dir, _ = archive
    env = {**os.environ, "HPARKIV_DATA_DIR": str(data_dir), "LANG": "nn_NO.UTF-8", "COLUMNS": "120"}
    for var in ("LANGUAGE", "LC_ALL", "LC_MESSAGES"):
        env.pop(var, None)
    proc = subprocess.run([sys.executable, "-m", "search_cli", "search", "sykehjemsplasser", "--limit", "1"],
                          capture_output=True, text=True, env=env, timeout=60)
    assert "sider treffer" in proc.stdout


# --- 14. help and messages -------------------------------------------------------------------


def test_help_keeps_examples_lists_formats_and_full_summaries(archive):
    data_dir, _ = archive
    bare = hparkiv(data_dir)
    assert bare.returncode == 0 and "Commands:" in bare.stdout and "search" in bare.stdout
    top = hparkiv(data_dir, "--help").stdout
    assert "Crawl, extract and index: bring the archive up to date (the main job)." in " ".join(top.split())
    commands = top.split("Commands:", 1)[1]
    assert "..." not in commands and "…" not in commands
    search_help = hparkiv(data_dir, "search", "--help").stdout
    lines = [line.strip() for line in search_help.splitlines()]
    assert "hparkiv search barnehage sykehjem" in lines  # examples keep their lines
    assert "hparkiv search sykehjem --doc 3fa9c2d1e0b4" in lines
    assert "xlsx" in search_help and "excel-nb" in search_help
    show_help = hparkiv(data_dir, "show", "--help").stdout
    assert "xlsx" not in show_help and "csv" not in show_help  # only the formats it has


def test_messages_name_the_limits(archive):
    data_dir, _ = archive
    assert "6 to 64 hex digits" in one_line_error(hparkiv(data_dir, "show", "abc"))
    docs = as_json(hparkiv(data_dir, "list", "--format", "json"))
    failed = next(d for d in docs if d["status"] == "failed")
    line = one_line_error(hparkiv(data_dir, "show", failed["doc_id"], "--page", "1"))
    assert "has no text" in line and failed["error"].split(" ")[0] in line
    assert "has no text" in hparkiv(data_dir, "show", failed["doc_id"]).stdout
    years = sorted(d["year"] for d in docs if d["year"])
    proc = hparkiv(data_dir, "search", "budsjett", "--year", "2040")
    assert proc.returncode == 0 and f"the archive covers {years[0]}–{years[-1]}" in proc.stderr
    proc = hparkiv(data_dir, "search", "budsjett", "--offset", "100000")
    assert "past the end" in proc.stderr
    one = hparkiv(data_dir, "search", "kulturhusparkeringen").stdout
    assert "1 page matches" in one and "1 pages" not in one
    assert "1 side treffer" in hparkiv(data_dir, "--lang", "nb", "search", "kulturhusparkeringen").stdout


def test_after_make_demo_an_empty_default_data_dir_points_at_the_demo(archive, tmp_path):
    data_dir, _ = archive
    xdg = tmp_path / "xdg"
    demo = xdg / "hparkiv" / "demo"
    shutil.copytree(data_dir, demo, symlinks=True)
    (demo / ".hparkiv-demo").write_text("made by `hparkiv demo`\n")
    env = {k: v for k, v in os.environ.items() if k not in ("HPARKIV_DATA_DIR", "LANGUAGE", "LC_ALL")}
    env |= {"XDG_DATA_HOME": str(xdg), "LANG": "C.UTF-8", "HOME": str(tmp_path)}
    proc = subprocess.run([sys.executable, "-m", "search_cli", "search", "barnehage"], capture_output=True,
                          text=True, env=env, timeout=60)
    line = one_line_error(proc, code=1)
    assert str(demo) in line and f"--data-dir {demo}" in line and "hparkiv update" in line
    ok = subprocess.run([sys.executable, "-m", "search_cli", "--data-dir", str(demo), "search", "barnehage"],
                        capture_output=True, text=True, env=env, timeout=60)
    assert ok.returncode == 0 and "pages match" in ok.stdout


def test_every_query_example_in_the_readme_runs(archive):
    """The README's query table is the manual: each example there is a valid query."""
    import re

    data_dir, _ = archive
    readme = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")
    table = readme.split("### Queries", 1)[1].split("\n\n", 3)[2]
    examples = [ex for row in table.splitlines()[2:] for ex in re.findall(r"`([^`]+)`", row.split(" | ")[0])]
    concrete = [ex for ex in examples if not re.search(r"\b[ab]\b|…", ex)]
    assert len(concrete) >= 12, concrete
    for ex in concrete:
        proc = hparkiv(data_dir, "search", ex, "--format", "json", "--limit", "1")
        assert proc.returncode == 0, (ex, proc.stderr)
    assert found(data_dir, "Taarnet")["total"] == found(data_dir, "Tårnet")["total"] > 0



# --- issue 18: search that forgives, and says so ---------------------------------------------


def test_what_search_forgives_is_said_with_the_command_that_undoes_it(archive):
    data_dir, _ = archive
    proc = hparkiv(data_dir, "search", "demenslandsy", "--limit", "1")
    assert proc.returncode == 0 and "Showing results for demenslandsby (you wrote demenslandsy)" in proc.stdout
    assert "hparkiv search demenslandsy --exact" in proc.stdout
    nb = hparkiv(data_dir, "--lang", "nb", "search", "HMIK", "kunstgress")
    assert "Bare dokumenter fra HMIK?  hparkiv search kunstgress --committee miljo-idrett-og-kultur" in nb.stdout
    assert "hovedutvalg for miljø, idrett og kultur" in nb.stdout  # the hit: the name spelled out
    exact = found(data_dir, "demenslandsy", "--exact")
    assert exact["total"] == 0 and exact["exact"] is True and exact["expansions"] == []
    export = hparkiv(data_dir, "search", "2,4 mrd", "--format", "csv")  # beside an export: on stderr
    assert "hparkiv: 2,4 mrd also as the same number printed any way" in export.stderr
    assert "2 446,3" in export.stdout and "also as" not in export.stdout
