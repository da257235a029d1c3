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
    want = Counter((p["year"], p["kind"], p["column"], round(p["value_kr"] / divisor, 6)) for p in planted)
    got = Counter((p["year"], p["kind"], p["column"], p["value"]) for p in found["points"])
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
    assert "Budsjett" in text and "Regnskap" in text and "vedtak" in text and "forslag" in text and "█" in text
    english = hparkiv(data_dir, "--lang", "en", "series", "Netto driftsresultat", check=True).stdout
    # the stages are domain words, Norwegian in both languages
    assert "Budget" in english and "Accounts" in english and "vedtak" in english and "forslag" in english
    assert "adopted" not in english and "proposal" not in english
    assert "%" in text  # change from the year before
    # the sample plants two tables of one document that print different figures for one line and
    # year (truth: budget_processes[].conflicts): shown apart, labelled
    conflict = next(c for bp in sample_truth.budget_processes for c in bp["conflicts"])
    year = str(sample_truth.doc(conflict["values"][0]["doc"]).year)
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
