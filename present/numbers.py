"""Numbers as a person reads them, in the front end's language: "587 100,0" and "+3,9 %" in
bokmål, "587,100.0" and "+3.9%" in English.

Every number a CLI line or a web page shows passes here, so the two say it the same way.
Exports (CSV, JSON, xlsx) keep numbers as data and never come here. The thousands separator
is a plain space (what Norwegian print and the archive's own tables use; a page keeps it on
one line with CSS), the minus sign ASCII, so a copied figure stays a figure.
"""

from __future__ import annotations

from typing import Any

# (thousands separator, decimal mark, space before %) per language; anything else reads as English.
_STYLE = {"nb": (" ", ",", " "), "en": (",", ".", "")}


def _style(lang: str) -> tuple[str, str, str]:
    return _STYLE.get(lang, _STYLE["en"])


def number(value: Any, lang: str = "nb", decimals: int | None = None) -> str:
    """587100.0 -> "587 100,0" (nb) or "587,100.0" (en). Whole numbers get no decimals unless
    `decimals` says so; other floats one. None and text are returned as they are ("" for None)."""
    if value is None:
        return ""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return str(value)
    if decimals is None:
        decimals = 0 if isinstance(value, int) or float(value).is_integer() else 1
    text = f"{value:,.{decimals}f}"
    group, point, _space = _style(lang)
    return text.replace(",", "\0").replace(".", point).replace("\0", group)


def percent(value: Any, lang: str = "nb", decimals: int = 1, sign: bool = False) -> str:
    """3.94 -> "3,9 %" (nb) or "3.9%" (en); with `sign`, "+3,9 %" (a change)."""
    if value is None:
        return ""
    text = number(float(value), lang, decimals)
    if sign and value > 0:
        text = "+" + text
    return text + _style(lang)[2] + "%"


def when(stamp: str | None) -> str:
    """A moment the catalog records ('2026-11-30T19:09:21Z', UTC) as people read it:
    '2026-11-30 19:09'."""
    return (stamp or "").replace("T", " ")[:16]
