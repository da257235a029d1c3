"""Text cleaning and table shaping: pure functions, no PDFs."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from extract.tables import is_amount, looks_tabular
from extract.text import clean_page_text


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("flere plasser i barne-\nhagene i Bærum", "flere plasser i barnehagene\ni Bærum"),
        ("plasser i barne-\nhagene", "plasser i barnehagene"),
        ("barne- og ungdomsskoler", "barne- og ungdomsskoler"),
        ("for barne-\nog ungdomsskolene", "for barne-\nog ungdomsskolene"),
        ("samarbeid med Nord-\nNorge om", "samarbeid med Nord-Norge\nom"),
        ("klasse 1-\n2 får", "klasse 1-2\nfår"),
        ("Bærum- og Askerregionen", "Bærum- og Askerregionen"),
        ("Bærum-\nog Asker", "Bærum-\nog Asker"),
        ("ja og-\nnei", "ja og-\nnei"),
        ("beløp -\n12 345", "beløp -\n12 345"),
        ("kommune-\ndirektøren foreslår", "kommunedirektøren\nforeslår"),
        ("sykehjems\u00ad\nplasser", "sykehjemsplasser"),
        ("sykehjems\u00adplasser", "sykehjemsplasser"),
    ],
)
def test_line_end_hyphens(raw: str, expected: str) -> None:
    assert clean_page_text(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("kr 1\u00a0234\u00a0567", "kr 1 234 567"),
        ("kr 1\u202f234\u202f567", "kr 1 234 567"),
        ("\u221212\u2009345", "-12 345"),
        ("1\u2009234,5", "1 234,5"),
        ("økono\ufb01nans  og\t\tﬂyt", "økonofinans og flyt"),
        ("  a  \n\n\n\n  b  \n\n", "a\n\nb"),
        ("\ufeffStart\u200b", "Start"),
    ],
)
def test_normalisation(raw: str, expected: str) -> None:
    assert clean_page_text(raw) == expected


@given(st.text(alphabet=st.sampled_from("abcæøå ABC-\n\u00a0\u2009\u00ad0123456789,"), max_size=80))
def test_clean_page_text_is_idempotent_and_keeps_digits(raw: str) -> None:
    once = clean_page_text(raw)
    assert clean_page_text(once) == once
    assert [c for c in once if c.isdigit()] == [c for c in raw if c.isdigit()]


def test_amount_versus_year() -> None:
    assert is_amount("1 234,5") and is_amount("-12 345") and is_amount("45")
    assert not is_amount("2021") and not is_amount("Budsjett 2020")


def test_prose_is_not_tabular() -> None:
    prose = "Kommunen har 130 000 innbyggere.\nDet er 4 prosent vekst i 2021.\nBudsjett for neste år."
    table = "Tall i mill. kroner\nBarn og unge 1 234,5 1 300,0\nHelse 2 345,0 2 400,1\nEiendom 45,0 46,0"
    assert not looks_tabular(prose)
    assert looks_tabular(table)
