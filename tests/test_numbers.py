"""index/numbers.py: numbers and amounts as printed and as typed meet in the same terms, by the
rounding rule (a number typed with d decimals in a unit finds what rounds to it there)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from catalog.models import Table
from index.numbers import amount_terms, printed_numbers, typed_amount

PROSE = ("Bærums andel av kostnadene til Fornebubanen er beregnet til 2 446,3 mill. kroner, og tilskuddet "
         "utbetales over fire år. Egenandelen er kr 1 500,- per år fra 2021. Kostnaden er 14 350 000 kroner. "
         "Bidraget er 1,5 mrd. kroner i perioden. Vedtatt 2. desember 2020 i sak 123/20.")


def finds(typed: str, text: str = PROSE, tables=()) -> bool:
    amount = typed_amount(typed)
    assert amount is not None, typed
    return bool(set(amount.terms()) & set(amount_terms(text, tables)))


@pytest.mark.parametrize("typed", ["2446,3", "2 446,3", "2446.3", "2 446", "2,4 mrd", "2,4 milliarder",
                                   "2446 mill", "2446 mill. kroner", "1500 kroner", "kr 1 500,-", "1500 mill",
                                   "1,5 milliarder", "14,35 mill", "14 350 000", "2,45 mrd"])
def test_a_number_typed_any_way_finds_the_amount_printed(typed):
    assert finds(typed)


@pytest.mark.parametrize("typed", ["2 400", "2,40 mrd", "2447 mill", "2,3 mrd", "1 600 kroner", "14,3 mill",
                                   "1,4 milliarder"])
def test_other_values_or_a_finer_precision_do_not(typed):
    assert not finds(typed)


def test_rounding_is_half_up_at_the_precision_typed():
    text = "Rammen er 2 445,5 mill. kroner og 2 449,9 mill. kroner, men 2 450,0 mill. kroner til slutt."
    assert finds("2446 mill", "Rammen er 2 445,5 mill. kroner.")
    assert not finds("2446 mill", "Rammen er 2 445,4 mill. kroner.")
    assert finds("2,4 mrd", "Rammen er 2 449,9 mill. kroner.") and not finds("2,4 mrd", "Rammen er 2 450,0 mill. kroner.")
    assert finds("2,45 mrd", text)


def test_a_tables_cells_count_in_its_unit_and_a_percent_row_holds_no_amounts():
    table = Table(page=1, index=0, header=["Prosjekt", "Total ramme", "2021"], unit="Beløp i 1000 kr",
                  rows=[["Fornebubanen, kommunalt tilskudd", "2 446 300", "310 000"], ["Netto driftsresultat i %", "2,4", "3,1"]])
    assert finds("2,4 mrd", "", [table]) and finds("2446,3 mill", "", [table]) and finds("310 mill", "", [table])
    assert not finds("2400 kroner", "", [table])  # the percent row's 2,4 is no 2,4 thousand kroner
    assert finds("2,4", "", [table])  # as a number it is there


@pytest.mark.parametrize("typed", ["2021", "1999", "446", "12", "123/20", "sykehjem", "2,4 sykehjem", "E18"])
def test_years_counts_case_numbers_and_words_stay_words(typed):
    assert typed_amount(typed) is None


def test_norwegian_thousands_dot_and_english_decimal_point():
    assert typed_amount("2.446").terms() == ["n2446e0"]
    assert typed_amount("2446.3").terms() == ["n24463e-1"]
    assert typed_amount("1.500.000 kr").terms() == typed_amount("1 500 000 kroner").terms()


def test_ids_and_long_digit_runs_are_no_amounts():
    assert amount_terms("Org.nr. 12345678901234567890 og 0,123456789") == []


def test_printed_numbers_reach_the_end_of_their_unit():
    text = "Kostnaden er 2 446,3 mill. kroner i år."
    (start, end, terms), = printed_numbers(text)
    assert text[start:end] == "2 446,3 mill. kroner" and "k24e8" in terms


@given(st.integers(min_value=1, max_value=10**12), st.integers(min_value=0, max_value=2))
def test_every_printed_amount_is_found_by_itself_typed(value, decimals):
    number = Decimal(value).scaleb(-decimals)
    grouped = f"{int(number):,}".replace(",", " ")
    printed = grouped + ("," + f"{number:.{decimals}f}".split(".")[1] if decimals else "")
    assert finds(printed + " mill", f"Beløpet er {printed} mill. kroner.")
    if typed_amount(printed) is not None:  # a count of 1 to 3 digits, or a year, stays a word
        assert finds(printed, f"Beløpet er {printed} mill. kroner.")
