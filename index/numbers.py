"""Numbers and amounts, as documents print them and as people type them, met in one field.

A page prints "2 446,3 mill. kroner"; a journalist types "2446,3", "2 446", "2,4 mrd" or
"2446 mill". Words cannot meet those, so every number of a page is indexed as terms of its
value in the `amounts` field, and a number typed in a query is searched as the same terms:

- a number, its unit left aside: `n{digits}e{exponent}` at the precision printed and every
  coarser one down to whole units: "2 446,3" gives n24463e-1 and n2446e0, so "2446,3",
  "2446.3", "2 446,3" (n24463e-1) and "2 446" (n2446e0) find it;
- an amount with its unit (in running text "… mill. kroner", "kr 1 500,-", "1,5 mrd. kroner";
  in a table by the unit of its caption or header, "i 1000 kr"), in kroner: `k{digits}e{exponent}`
  rounded to every power of ten from three below the precision printed up to its size. "2,4 mrd"
  is k24e8 and "2446 mill" k2446e6, and "2 446,3 mill. kroner" gives both.

The rule (README, "Queries"): a number typed with d decimals in a unit finds every printed
amount that, converted to that unit, rounds half up to it at d decimals. "2 446" finds
"2 446,3" and "2 445,5", not "2 400"; "2,4 mrd" finds 2 350 to 2 449 mill. kroner; "2,40 mrd"
is finer (k240e7). Years (1900–2099 typed alone), case numbers ("123/20") and small counts stay
words. The same terms on both sides keep this engine-neutral: a backend indexes `amount_terms`
and searches the query tree's `amounts` terms like any other.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from catalog.amounts import unit_factor

FIELD = "amounts"
FINER = 3  # an amount is also indexed this many powers of ten finer than printed ("1,5 mrd" = 1500 mill)

_SPACES = " \u00a0\u202f\u2009\u2007"
# A printed number: groups of three after spaces ("2 446 300"), or a plain run; a decimal comma.
NUMBER_RE = re.compile(rf"(?<![\d,.])(\d{{1,3}}(?:[{_SPACES}]\d{{3}})+|\d+)(?:,(\d+))?(?![\d])")
# A unit after a number, and the factor to kroner of each ("mill." = million kroner in a budget).
UNIT_AFTER = re.compile(r"[ \u00a0]*(mrd\b\.?|milliard(?:er)?\b|mill\b\.?|million(?:er)?\b|mnok\b|kroner\b|kr\b\.?|nok\b)"
                        r"(?:[ \u00a0]*(?:kroner|kr)\b\.?)?", re.IGNORECASE)
KR_BEFORE = re.compile(r"(?:\bkr\.?|\bnok)[ \u00a0]*$", re.IGNORECASE)
_UNIT_FACTORS = (("mrd", 9), ("milliard", 9), ("mill", 6), ("mnok", 6), ("kr", 0), ("nok", 0))


def _unit_exponent(unit: str) -> int:
    u = unit.lower()
    return next(e for prefix, e in _UNIT_FACTORS if u.startswith(prefix))


def _round(value: Decimal, exponent: int) -> int:
    return int((value.scaleb(-exponent)).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def number_terms(value: Decimal, decimals: int) -> list[str]:
    """The unit-free terms of a printed number: its value at the precision printed and every coarser
    one down to whole units ("2446,3" -> n24463e-1, n2446e0)."""
    value = abs(value)
    return [f"n{_round(value, -d)}e{-d}" for d in range(decimals, -1, -1)]


def amount_terms_of(kroner: Decimal, exponent: int) -> list[str]:
    """The terms of an amount in kroner printed to 10^exponent kroner: rounded to every power of ten
    from FINER below that up to its size (at least one significant digit)."""
    kroner = abs(kroner)
    if not kroner:
        return []
    top = kroner.adjusted()
    return [f"k{m}e{e}" for e in range(max(0, exponent - FINER), top + 1) if (m := _round(kroner, e))]


def _decimal(int_part: str, dec_part: str | None) -> tuple[Decimal, int]:
    digits = re.sub(r"\D", "", int_part)
    text = f"{digits}.{dec_part}" if dec_part else digits
    return Decimal(text), len(dec_part or "")


MAX_DIGITS = 15  # a longer run of digits is an id or a phone number, not an amount
MAX_DECIMALS = 4


def _printed(int_part: str, dec_part: str | None) -> tuple[Decimal, int] | None:
    """The value and decimals of a printed number; None when it is too long to be an amount."""
    if len(int_part) > MAX_DIGITS + 4 or len(dec_part or "") > MAX_DECIMALS:
        return None
    value, decimals = _decimal(int_part, dec_part)
    return None if value.adjusted() >= MAX_DIGITS else (value, decimals)


def text_terms(text: str) -> set[str]:
    """The `amounts` terms of running text: every number, and amounts with a unit around them."""
    out: set[str] = set()
    for _start, _end, terms in printed_numbers(text):
        out.update(terms)
    return out


_UNIT_PHRASE = re.compile(r"\bi\s+(?:mrd\.?|milliarder|millioner|mill\.?|mnok|1[ \u00a0\u202f]?000|tusen|hele)"
                          r"(?:\s*(?:kroner|kr\.?))?", re.IGNORECASE)


def printed_numbers(text: str, table_units: bool = False) -> list[tuple[int, int, list[str]]]:
    """(start, end, terms) of every number of running text, the end after its unit if it has one.

    `table_units`: a number without a unit of its own takes the unit phrase printed last above it
    ("Tall i mill. kroner"), as a table's cells do in a page's text (for marking snippets)."""
    units = [(m.start(), unit_factor(m.group(0))) for m in _UNIT_PHRASE.finditer(text)] if table_units else []
    out = []
    for m in NUMBER_RE.finditer(text):
        printed = _printed(m.group(1), m.group(2))
        if printed is None:
            continue
        value, decimals = printed
        terms = number_terms(value, decimals)
        end = m.end()
        unit = UNIT_AFTER.match(text, m.end())
        if unit:
            exponent = _unit_exponent(unit.group(1))
            terms += amount_terms_of(value.scaleb(exponent), exponent - decimals)
            end = unit.end()
        elif KR_BEFORE.search(text, max(0, m.start() - 6), m.start()):
            terms += amount_terms_of(value, -decimals)
        else:
            factor = next((f for pos, f in reversed(units) if pos < m.start()), None)
            if factor:
                exponent = round(Decimal(factor).log10())
                terms += amount_terms_of(value.scaleb(exponent), exponent - decimals)
        out.append((m.start(), end, terms))
    return out


def table_terms(rows: Iterable[list[str]], unit: str | None) -> set[str]:
    """The `amounts` terms of a table's cells: numbers, and amounts in the table's unit (a row whose
    label speaks of percent holds no amounts)."""
    factor = unit_factor(unit)
    exponent = None if factor is None else round(Decimal(factor).log10())
    out: set[str] = set()
    for row in rows:
        label = row[0] if row else ""
        percent = "%" in label or "prosent" in label.lower()
        for cell in row[1:]:
            m = NUMBER_RE.fullmatch(cell.strip().lstrip("-−–").rstrip("%").strip())
            if not m:
                continue
            printed = _printed(m.group(1), m.group(2))
            if printed is None:
                continue
            value, decimals = printed
            out.update(number_terms(value, decimals))
            if exponent is not None and not percent and "%" not in cell:
                out.update(amount_terms_of(value.scaleb(exponent), exponent - decimals))
    return out


def amount_terms(text: str, tables: Iterable = ()) -> list[str]:
    """Every `amounts` term of a page: its text's numbers and amounts, its tables' cells by their unit."""
    out = text_terms(text)
    for t in tables:
        out |= table_terms(t.rows, t.unit or t.caption)
    return sorted(out)


# --- typed ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TypedAmount:
    """A number as typed in a query, and the `amounts` terms that find it."""

    typed: str
    value: Decimal
    decimals: int
    exponent: int | None  # the unit's power of ten (mill: 6), None without a unit

    def terms(self) -> list[str]:
        if self.exponent is None:
            return [f"n{_round(self.value, -self.decimals)}e{-self.decimals}"]
        precision = self.exponent - self.decimals
        if precision < 0:  # øre: only the number
            return [f"n{_round(self.value, -self.decimals)}e{-self.decimals}"]
        return [f"k{_round(self.value.scaleb(self.exponent), precision)}e{precision}"]


_TYPED_NUMBER = re.compile(
    r"(?P<int>\d{1,3}(?:[ \u00a0]\d{3})+|\d{1,3}(?:\.\d{3})+(?=,|\s|$)|\d+)"
    r"(?:[,.](?P<dec>\d+))?(?P<whole>,-)?")
_TYPED_UNIT = re.compile(r"(?:mrd\.?|milliard(?:er)?|mill\.?|million(?:er)?|mnok)(?:\s*(?:kroner|kr\.?))?"
                         r"|kroner|kr\.?|nok", re.IGNORECASE)
_TYPED_KR = re.compile(r"(?:kr\.?|nok)", re.IGNORECASE)
UNIT_WORDS = re.compile(rf"^(?:{_TYPED_UNIT.pattern})$", re.IGNORECASE)
NUMBER_START = re.compile(r"^\d[\d.,]*(?:,-)?$")
GROUP_RE = re.compile(r"^\d{3}(?:[,.]\d+)?(?:,-)?$")
LEAD_RE = re.compile(r"^\d{1,3}$")


def typed_amount(text: str) -> TypedAmount | None:
    """A number typed in a query ("2446,3", "2 446", "2,4 mrd", "kr 1 500,-", "2446 mill"), or None
    for what is a word: a year typed alone (1900–2099), a count of one to three digits, anything
    else. "2.446" is Norwegian for 2446; "2446.3" a decimal point."""
    t = " ".join(text.replace("\u00a0", " ").split())
    lead = _TYPED_KR.match(t)
    kr_before = bool(lead) and t[lead.end():lead.end() + 1] in (" ", "") and t[lead.end():].strip()[:1].isdigit()
    if kr_before:
        t = t[lead.end():].strip()
    m = _TYPED_NUMBER.match(t)
    if not m:
        return None
    rest = t[m.end():].strip()
    if rest and not UNIT_WORDS.match(rest):
        return None
    int_part, dec = m.group("int"), m.group("dec")
    if dec is not None and "." in m.group(0)[len(int_part):len(int_part) + 1] and len(dec) == 3 and "," not in t:
        # "2.446": a thousands dot, as Norwegian prints it
        int_part, dec = int_part + dec, None
    try:
        printed = _printed(int_part, dec)
    except InvalidOperation:
        return None
    if printed is None:
        return None
    value, decimals = printed
    exponent = _unit_exponent(rest) if rest else (0 if kr_before or m.group("whole") else None)
    if exponent is None and dec is None and not re.search(r"[ .\u00a0]", int_part):
        digits = len(int_part)
        if digits < 4 or (digits == 4 and 1900 <= int(int_part) <= 2099):
            return None  # a count or a year: the word as typed is what is meant
    return TypedAmount(text, value, decimals, exponent)
