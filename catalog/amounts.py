"""Amounts as Norwegian budget tables print them, read into numbers; units into factors.

One small module with no heavy imports, so the extractor, the catalog readers and
`hparkiv series` share one reading of "1 234,5", "(12 345)", "−4,2 %" and "–".
A cell that is not clearly an amount gives None: a gap is better than a wrong number.
"""

from __future__ import annotations

import re

# Spaces that separate thousands: plain, no-break, thin, narrow no-break, figure space.
_GROUP_SPACES = "\u0020\u00a0\u2009\u202f\u2007"
_MINUS = "-\u2212\u2013\u2012"  # hyphen-minus, minus sign, en dash, figure dash
# Footnote marks printed after an amount or a label: "1 234,5*", "Barnehager¹", "12,0 2)".
_FOOTNOTE = re.compile(r"(?:\s*[*†‡¹²³⁴⁵⁶⁷⁸⁹⁰]+|\s+\d\))$")
_NUMBER = re.compile(
    r"""^(?P<neg>[-])?\s*
        (?P<int>\d{1,3}(?:(?P<sep>[ .])\d{3})(?:(?P=sep)\d{3})*|\d+)
        (?:,(?P<dec>\d+))?$""",
    re.VERBOSE,
)
_ENGLISH_DECIMAL = re.compile(r"^(?P<neg>-)?(?P<int>\d+)\.(?P<dec>\d{1,2})$")
# "–" or "-" alone: nothing, or zero, in this cell. Not a number we may invent.
_DASH = re.compile(rf"^[{_MINUS}\u2014]$")
_YEAR = re.compile(r"^(?:19|20)\d\d$")


def normalise(cell: str) -> str:
    """Group spaces and minus signs in their plain forms ("1\u202f234" -> "1 234", "−" -> "-")."""
    text = cell.strip()
    for ch in _GROUP_SPACES[1:]:
        text = text.replace(ch, " ")
    return text.replace("\u2212", "-")


def strip_footnote(cell: str) -> str:
    """The cell without a trailing footnote mark ("1 234,5*" -> "1 234,5")."""
    return _FOOTNOTE.sub("", cell.strip())


def parse_amount(cell: str | None) -> float | None:
    """The number a table cell prints, or None when it prints none (text, "–", empty).

    Accepts group spaces of any width, "." as group separator, a decimal comma,
    "-", "−" or "–" before the number, parentheses for negatives, a trailing "%"
    (the value is the percentage: "4,2 %" -> 4.2) and a trailing footnote mark.
    """
    if not cell:
        return None
    text = strip_footnote(normalise(cell))
    if text.endswith("%"):
        text = text[:-1].rstrip()
    negative = False
    if len(text) > 2 and text[0] == "(" and text[-1] == ")":
        negative, text = True, text[1:-1].strip()
    if text[:1] and text[0] in _MINUS:
        if negative:
            return None  # "(-5)": ambiguous, keep as text
        negative, text = True, text[1:].lstrip()
    elif text[:1] == "+":
        text = text[1:].lstrip()
    m = _NUMBER.match(text)
    if m:
        digits = re.sub(r"\D", "", m.group("int"))
        value = float(f"{digits}.{m.group('dec')}" if m.group("dec") else digits)
    else:
        e = _ENGLISH_DECIMAL.match(text)
        if not e:
            return None
        value = float(f"{e.group('int')}.{e.group('dec')}")
    return -value if negative else value


def is_dash(cell: str) -> bool:
    """A cell holding only a dash: printed for zero or nothing."""
    return bool(_DASH.match(cell.strip()))


def is_year(cell: str) -> bool:
    return bool(_YEAR.match(cell.strip()))


def is_amount(cell: str) -> bool:
    """A number that is not a bare year: what body rows have and header rows do not."""
    return parse_amount(cell) is not None and not is_year(cell)


def is_numeric_cell(cell: str) -> bool:
    """What fills an amount column: an amount, a percentage or a dash."""
    return is_dash(cell) or is_amount(cell)


# Units as tables print them. Each pattern gives a factor to kroner.
_UNITS: list[tuple[re.Pattern[str], float]] = [
    (re.compile(r"(?:(?:tall|beløp|beløpene|alle tall)\s+)?\bi\s+(?:mrd\.?|milliarder)\s+(?:kroner|kr\.?)", re.I), 1e9),
    (re.compile(r"(?:(?:tall|beløp|beløpene|alle tall)\s+)?\bi\s+(?:hele\s+)?(?:millioner|mill\.?|mnok)\s*(?:kroner|kr\.?)?", re.I), 1e6),
    (re.compile(r"(?:(?:tall|beløp|beløpene|alle tall)\s+)?\bi\s+(?:hele\s+)?(?:1[ \u00a0\u202f]?000|tusen|tusen)\s*(?:kroner|kr\.?)?", re.I), 1e3),
    (re.compile(r"(?:(?:tall|beløp|beløpene|alle tall)\s+)?\bi\s+hele\s+(?:kroner|kr\.?)", re.I), 1.0),
    (re.compile(r"(?<![\d ])1[ \u00a0\u202f]?000\s*kr\b|\bnok\s*1[ \u00a0\u202f]?000\b", re.I), 1e3),
    (re.compile(r"\bmill\.?\s*kr\b", re.I), 1e6),
    (re.compile(r"^\(?\s*(?:kr\.?|kroner|nok)\s*\)?$", re.I), 1.0),  # a unit that is only "kr": whole kroner
]


def find_unit(text: str) -> str | None:
    """The unit phrase in a caption or header, as printed ("Tall i mill. kroner"), or None."""
    best: re.Match[str] | None = None
    for pattern, _ in _UNITS:
        m = pattern.search(text)
        if m and (best is None or m.start() < best.start()):
            best = m
    return best.group(0).strip(" ()") if best else None


def unit_factor(unit: str | None) -> float | None:
    """Kroner per printed unit: "Tall i mill. kroner" -> 1e6; None when unknown."""
    if not unit:
        return None
    for pattern, factor in _UNITS:
        if pattern.search(unit):
            return factor
    return None
