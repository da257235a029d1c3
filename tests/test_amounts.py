"""The amount reader shared by tables and series: every way a budget prints a number."""

from __future__ import annotations

import pytest

from catalog.amounts import find_unit, is_amount, parse_amount, unit_factor


@pytest.mark.parametrize(
    ("cell", "value"),
    [
        ("1 234,5", 1234.5),
        ("1\u00a0234\u00a0567", 1234567.0),
        ("1\u2009234,5", 1234.5),
        ("1\u202f234", 1234.0),
        ("1.234.567", 1234567.0),
        ("-12 345", -12345.0),
        ("\u221212 345,0", -12345.0),
        ("\u201312", -12.0),
        ("(4 497,9)", -4497.9),
        ("4,2 %", 4.2),
        ("-0,3%", -0.3),
        ("1 234,5*", 1234.5),
        ("1 234,5¹", 1234.5),
        ("45", 45.0),
        ("2021", 2021.0),
    ],
)
def test_amounts_as_printed(cell: str, value: float) -> None:
    assert parse_amount(cell) == value


@pytest.mark.parametrize("cell", ["", "–", "-", "Barnehager", "12 34", "1 2345", "4 497,9 1 300", "(-5)", "23 Barnehager",
                                  "1,2,3", "Regnskap 2020"])
def test_not_an_amount_is_none(cell: str) -> None:
    """A gap is better than a wrong number: anything unclear stays text."""
    assert parse_amount(cell) is None


def test_year_is_a_number_but_not_an_amount() -> None:
    assert is_amount("1 234,5") and is_amount("-12 345") and is_amount("45")
    assert not is_amount("2021") and not is_amount("Budsjett 2020") and not is_amount("–")


@pytest.mark.parametrize(
    ("text", "unit", "factor"),
    [
        ("Tabell 3 Netto driftsrammer (Tall i mill. kroner)", "Tall i mill. kroner", 1e6),
        ("Driftsrammer i 1000 kr", "i 1000 kr", 1e3),
        ("Beløp i hele kroner", "Beløp i hele kroner", 1.0),
        ("Tall i 1 000 kroner", "Tall i 1 000 kroner", 1e3),
        ("(1000 kr)", "1000 kr", 1e3),
        ("Tall i millioner kroner", "Tall i millioner kroner", 1e6),
    ],
)
def test_units(text: str, unit: str, factor: float) -> None:
    assert find_unit(text) == unit
    assert unit_factor(find_unit(text)) == factor


def test_no_unit_in_prose() -> None:
    assert find_unit("Budsjettet ble vedtatt av kommunestyret.") is None
    assert unit_factor(None) is None and unit_factor("stk") is None
