"""How the budget model reads a table (budget/families.py, budget/columns.py, budget/labels.py):
its family from its caption, rows and header, each column's year and kind, and each row's line.
Units: no archive needed."""

from __future__ import annotations

import pytest

from budget.columns import parse_column
from budget.families import recognise, table_key
from budget.labels import clean_label, line_key, matches


@pytest.mark.parametrize(("caption", "header", "rows", "family"), [
    ("C.1 Hovedoversikt netto driftsrammer", ["Sektor"], [], "netto_driftsrammer"),
    ("Tabell 4.1 Netto driftsramme per programområde – Barn og unge", ["Programområde"], [], "netto_driftsrammer"),
    ("Netto driftsrammer etter formannskapets endringer", ["Sektor"], [], "netto_driftsrammer"),
    ("Rammer per tjenesteområde", ["Tjenesteområde"], [], "netto_driftsrammer"),
    ("Tabell 1 Hovedtall (i 1000 kr)", ["Hovedtall"], [], "hovedtall"),
    ("Økonomiske nøkkeltall", [""], [], "hovedtall"),
    ("Budsjettskjema 1A – drift", [""], [], "drift_1a"),
    ("Bevilgningsoversikt drift 1A (§ 5-4 første ledd)", [""], [], "drift_1a"),
    ("Bevilgningsoversikt drift (§ 5-4 annet ledd)", [""], [], "drift_1b"),
    ("Bevilgningsoversikt investering 2A (§ 5-5 første ledd)", [""], [], "investering_2a"),
    ("Budsjettskjema 2B", [""], [], "investering_2b"),
    ("C.6 Investeringer – samlet prosjektoversikt", ["Prosjekt"], [], "investeringer"),
    ("C.5 Endringer fra kommunedirektørens forslag", [""], [], "endringer"),
    ("Formannskapets endringer i rådmannens forslag", [""], [], "endringer"),
    ("Endringer i driftsbudsjettet 2021 2022", [""], [], "endringer"),
    ("Tabell 5.3 Plasser i sykehjem", ["Institusjon"], [], "annet"),
    (None, [""], ["Sum generelle driftsinntekter", "Brutto driftsresultat", "Netto driftsresultat"], "drift_1a"),
    (None, ["Sektor"], ["Barn og unge"], "netto_driftsrammer"),
])
def test_families_are_recognised_from_captions_rows_and_headers(caption, header, rows, family):
    assert recognise(caption, header, rows, has_kroner=True) == family


def test_unrecognised_tables_are_one_kind_per_caption():
    assert table_key("Tabell 5.3 Plasser i sykehjem") == table_key("Tabell 6.2 Plasser i sykehjem") == \
        "plasser i sykehjem"


@pytest.mark.parametrize(("header", "year", "kind"), [
    ("Revidert budsjett 2020", 2020, "revidert"), ("Justert budsjett 2020", 2020, "revidert"),
    ("Vedtatt budsjett 2020", 2020, "budsjett"), ("Regnskap 2019", 2019, "regnskap"),
    ("Økonomiplan 2022", 2022, "plan"), ("Budsjett 2021", 2021, "budsjett"), ("2021", 2021, "budsjett"),
    ("2022", 2022, "plan"), ("Endring 2021-2022", None, "annet"),
])
def test_columns_say_year_and_kind(header, year, kind):
    assert parse_column(header, 2021, "2021-2024") == (year, kind)


def test_labels_are_lines():
    assert clean_label("Kommunedirektør og stab1", {"1"}) == "Kommunedirektør og stab"
    assert clean_label("Covid19", set()) == "Covid19"  # no footnote printed: the digit is the name's
    assert clean_label("23 Barnehager") == "Barnehager"
    assert line_key("Barnehager") == line_key("23 barnehage") != line_key("Sum barnehager")
    assert line_key("Netto driftsresultat") != line_key("Netto driftsresultat i %")
    assert matches("netto driftsrammer", "Sum netto driftsrammer") and not matches("sum", "Barnehager")
