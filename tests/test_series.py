"""`hparkiv series`: one budget line through every table of every document of the sample archive.

The sample generator plants "Netto driftsresultat" in every plan (sample/budgetline.py):
seven plan periods, both names of the plan, mill. kroner and 1000 kr. `series` must
return exactly the planted values, converted to one unit.
"""

from __future__ import annotations

import csv
import io
import json
from collections import Counter

import pytest
from conftest import hparkiv

from budget.series import matches, parse_column
from sample import budgetline


@pytest.mark.parametrize(
    ("header", "year", "kind"),
    [
        ("Regnskap 2019", 2019, "regnskap"),
        ("R 2019", 2019, "regnskap"),
        ("Budsjett 2021", 2021, "budsjett"),
        ("B 2021", 2021, "budsjett"),
        ("Oppr. budsjett 2020", 2020, "budsjett"),
        ("Økonomiplan 2023", 2023, "plan"),
        ("ØP 2023", 2023, "plan"),
        ("Prognose 2020", 2020, "prognose"),
        ("2021", 2021, "budsjett"),  # the document's own year
        ("2023", 2023, "plan"),  # a later year of its period
        ("2030", 2030, "annet"),
        ("Endring 2021-2022", None, "annet"),
        ("Endring %", None, "annet"),
        ("Programområde", None, "annet"),
    ],
)
def test_columns_read_from_headers(header: str, year: int | None, kind: str) -> None:
    assert parse_column(header, 2021, "2021-2024") == (year, kind)


@pytest.mark.parametrize(
    ("query", "label", "expected"),
    [
        ("barnehage", "23 Barnehager", True),
        ("Barnehager", "Barnehager¹", True),
        ("netto driftsrammer", "Sum netto driftsrammer", True),
        ("netto drifts-rammer", "Netto driftsrammer", True),
        ("barn og unge", "Barn og unge", True),
        ("barnehage", "Spesielle tiltak barnehager", False),
        ("netto driftsresultat", "Netto driftsresultat i %", False),
        ("netto driftsresultat", "Brutto driftsresultat", False),
    ],
)
def test_row_labels_match_after_normalising(query: str, label: str, expected: bool) -> None:
    assert matches(query, label) is expected


def test_exact_takes_the_label_as_written() -> None:
    assert matches("Barnehager", "Barnehager", exact=True)
    assert not matches("barnehager", "23 Barnehager", exact=True)


def _planted(sample_truth) -> list[dict]:
    return [dict(p, doc=d) for d in sample_truth.documents if d.status == "ok" for p in d.series]


def test_series_returns_the_planted_values_in_one_unit(archive, sample_truth) -> None:
    data_dir, _ = archive
    proc = hparkiv(data_dir, "series", "Netto driftsresultat", "--format", "json")
    assert proc.returncode == 0, proc.stderr
    found = json.loads(proc.stdout)
    planted = _planted(sample_truth)
    periods = {p["doc"].period for p in planted}
    assert len(periods) >= 5
    assert {p["unit"] for p in planted} == {"Tall i mill. kroner", "i 1000 kr"}
    by_unit = Counter(p["unit"] for p in planted)
    unit = "1000 kr" if by_unit["i 1000 kr"] >= by_unit["Tall i mill. kroner"] else "mill. kr"
    divisor = 1000 if unit == "1000 kr" else 1_000_000
    assert found["label"] == "Netto driftsresultat" and found["unit"] == unit
    assert found["families"] == ["hovedtall", "drift_1a"]
    want = Counter((p["family"], p["year"], p["kind"], p["column"], round(p["value_kr"] / divisor, 6))
                   for p in planted)
    got = Counter((p["family"], p["year"], p["kind"], p["column"], p["value"]) for p in found["points"])
    assert got == want
    assert found["points"] and all(p["unit"] == unit and p["unit_known"] and p["row"] == "Netto driftsresultat"
                                   for p in found["points"])
    assert {"Handlingsprogram", "Budsjett og økonomiplan"} <= {
        "Handlingsprogram" if "andlingsprogram" in (p["title"] or "") else "Budsjett og økonomiplan"
        for p in found["points"]}


def test_stages_of_the_budget_year(archive, sample_truth) -> None:
    """The budget year's column takes its document's stage; the adopted value is the same in later plans."""
    data_dir, _ = archive
    found = json.loads(hparkiv(data_dir, "series", "netto driftsresultat", "--format", "json", check=True).stdout)
    unit = 1000 if found["unit"] == "1000 kr" else 1_000_000
    for p in found["points"]:
        if p["kind"] == "budsjett":
            stage = p["stage"]
            assert stage in ("forslag", "innstilling", "vedtak"), p
            assert p["value"] == round(budgetline.budsjett(p["year"], stage) * 100_000 / unit, 6), p
        if p["kind"] == "regnskap":
            assert p["value"] == round(budgetline.regnskap(p["year"]) * 100_000 / unit, 6), p


def test_series_csv_and_text(archive, sample_truth) -> None:
    data_dir, _ = archive
    found = json.loads(hparkiv(data_dir, "series", "Netto driftsresultat", "--format", "json", check=True).stdout)
    rows = list(csv.DictReader(io.StringIO(hparkiv(data_dir, "series", "netto-driftsresultat", "--format", "csv",
                                                   check=True).stdout)))
    assert len(rows) == len(found["points"]) and rows[0]["year"] and rows[0]["value"]
    text = hparkiv(data_dir, "--lang", "nb", "series", "Netto driftsresultat", check=True).stdout
    assert "Vedtatt budsjett" in text and "Regnskap" in text and "vedtak" in text and "forslag" in text
    assert "█" in text and "tabellfamilier" in text and "Hovedtall og nøkkeltall" in text
    english = hparkiv(data_dir, "--lang", "en", "series", "Netto driftsresultat", check=True).stdout
    # the stages are domain words, Norwegian in both languages
    assert "Adopted budget" in english and "Accounts" in english and "vedtak" in english and "forslag" in english
    assert "proposal" not in english
    assert "%" in text  # change from the year before
    # the sample plants two tables of one document that print different figures for one line and
    # year (truth: budget_processes[].conflicts): shown apart, labelled
    conflict = next(c for bp in sample_truth.budget_processes for c in bp["conflicts"])
    year = str(conflict["year"])  # --year is the year the value is about
    disagreeing = hparkiv(data_dir, "series", conflict["label"], "--year", year, check=True).stdout
    assert "≠" in disagreeing and ", p. " in disagreeing


def test_unknown_line_is_a_one_line_error(archive) -> None:
    data_dir, _ = archive
    for args in (("Ingen slik linje",), ("netto driftsresultat", "--exact")):
        proc = hparkiv(data_dir, "series", *args)
        assert proc.returncode == 2, proc.stdout
        assert proc.stderr.startswith("hparkiv: ") and len(proc.stderr.strip().splitlines()) == 1


def test_table_pages_are_searchable_and_search_tables_keeps_them(archive, sample_truth) -> None:
    """The planted key-figures table's caption finds its page; --tables keeps only pages with tables."""
    data_dir, _ = archive
    plans = {p["doc"].title for p in _planted(sample_truth)}
    planted_pages = {p["page"] for p in _planted(sample_truth)}
    found = json.loads(hparkiv(data_dir, "search", "Tabell 1 Hovedtall", "--tables", "--format", "json",
                               check=True).stdout)
    assert plans and found["total"] >= len(plans)
    assert all(h["page"] in planted_pages for h in found["hits"][:len(plans)])
    every = json.loads(hparkiv(data_dir, "search", "budsjett", "--format", "json", "--limit", "1", check=True).stdout)
    tables = json.loads(hparkiv(data_dir, "search", "budsjett", "--tables", "--format", "json", check=True).stdout)
    assert 0 < tables["total"] < every["total"]
    hit = tables["hits"][0]
    listed = json.loads(hparkiv(data_dir, "tables", hit["doc_id"], "--page", str(hit["page"]), "--format", "json",
                                check=True).stdout)
    assert listed, hit


def test_barnehage_is_a_handful_of_clean_series(archive, sample_truth) -> None:
    """The issue's complaint: hundreds of points, two dozen "2020 vedtak" values. Now: one series per
    (family, line), one adopted figure per year (the vedtak of the plan whose first year it is),
    changes only between adopted figures of one series, the quoted answers never setting a value."""
    data_dir, _ = archive
    found = json.loads(hparkiv(data_dir, "series", "barnehage", "--format", "json", check=True).stdout)
    assert 1 <= len(found["series"]) <= 5
    for s in found["series"]:
        years = [f["year"] for f in s["adopted"]]
        assert years == sorted(set(years))  # one adopted figure per year
        assert all(f["stage"] == "vedtak" and f["period"] == f"{f['year']}-{f['year'] + 3}" for f in s["adopted"])
    (kids,) = [s for s in found["series"] if s["line"] == "Barnehager"]
    assert kids["family"] == "netto_driftsrammer"
    adopted = {f["year"]: f for f in kids["adopted"]}
    # the adopted figure of 2021 is the innstilling's (the vedtak did not change it), read from the 2022 plan's
    # "Budsjett 2021" column since the adopted plan prints no programme areas: marked as repeated
    assert adopted[2021]["value"] == 1488.2 and adopted[2021]["repeated"]
    changes = [f["change"] for f in kids["adopted"] if f["change"] is not None]
    assert changes and all(abs(c) < 5 for c in changes)
    quoted = [p for p in found["points"] if p["rank"] == "quoted"]
    assert quoted and all(p["role"] == "quoted" for p in quoted)
    assert {"family", "stage", "conflict", "year", "column", "kind", "value", "text", "unit", "row", "doc_id",
            "title", "doctype", "period", "page", "table"} <= set(found["points"][0])
    text = hparkiv(data_dir, "--lang", "nb", "series", "barnehage", check=True).stdout
    assert len(text.splitlines()) < 40 and "Netto driftsrammer" in text


def test_table_picks_a_family_and_year_filters_the_values_year(archive) -> None:
    data_dir, _ = archive
    both = json.loads(hparkiv(data_dir, "series", "netto driftsresultat", "--format", "json", check=True).stdout)
    assert both["families"] == ["hovedtall", "drift_1a"]
    one = json.loads(hparkiv(data_dir, "series", "netto driftsresultat", "--table", "1A", "--format", "json",
                             check=True).stdout)
    assert one["families"] == ["drift_1a"] and {p["family"] for p in one["points"]} == {"drift_1a"}
    year = json.loads(hparkiv(data_dir, "series", "netto driftsresultat", "--year", "2021", "--format", "json",
                              check=True).stdout)
    assert year["points"] and {p["year"] for p in year["points"]} == {2021}
    assert {p["period"] for p in year["points"]} > {"2021-2024"}  # earlier plans' projections of 2021 too
    bad = hparkiv(data_dir, "series", "netto driftsresultat", "--table", "tabell 9")
    assert bad.returncode == 2 and "netto_driftsrammer" in bad.stderr


def test_a_renamed_line_is_one_series(archive, sample_truth) -> None:
    from sample import stages

    data_dir, _ = archive
    found = json.loads(hparkiv(data_dir, "series", stages.NEW_STAB, "--table", "netto_driftsrammer", "--format",
                               "json", check=True).stdout)
    (s,) = found["series"]
    assert set(s["labels"]) == {stages.OLD_STAB, stages.NEW_STAB} and s["renamed"]
    years = [f["year"] for f in s["adopted"]]
    assert min(years) < stages.RENAMED_IN <= max(years)
