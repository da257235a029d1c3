"""Filter values as people type them, resolved once for every front end.

`--committee HBO` (or `--kommune asker`) on the command line, `committee:HBO` in a query and
the web UI's boxes all come here, so they accept the same aliases and reject the same
typos with the same one-line message (a FilterError: exit 2 in the CLI).

    make_filters(year="2019-2021", committee=["HBO,HBU"], doctype=["vedtak"])
    committee_slugs("hovedutvalg for bistand og omsorg")   # ("bistand-og-omsorg",)
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date
from functools import cache

from catalog.models import Filters
from index.errors import FilterError

Values = str | Iterable[str] | None


@cache
def vocabulary():
    """The shipped sources' committees and types (stdlib-only import: no Scrapy)."""
    from sources import shipped_vocabulary

    return shipped_vocabulary()


def split_values(values: Values) -> list[str]:
    """Repeated and comma-separated values, in order, blanks dropped: ["a,b", "c"] -> [a, b, c]."""
    if values is None:
        return []
    if isinstance(values, str):
        values = [values]
    return [v.strip() for item in values for v in item.split(",") if v.strip()]


def committee_slugs(values: Values) -> tuple[str, ...]:
    """Committee slugs of slugs, abbreviations (HBO) or names, in any case; FilterError if unknown."""
    vocab = vocabulary()
    out: list[str] = []
    for value in split_values(values):
        c = vocab.committee(value)
        if c is None:
            raise FilterError("unknown committee {value!r}; valid: {valid}", value=value,
                              valid=", ".join(vocab.committee_slugs()))
        if c.slug not in out:
            out.append(c.slug)
    return tuple(out)


def kommune_numbers(values: Values) -> tuple[str, ...]:
    """Kommunenumre of numbers (also former ones), names (any case, with or without æøå, spaces
    or hyphens) or source names: "asker", "Nordre Follo", "3207"; FilterError if unknown. A
    number no known source names is taken as typed: an archive may hold other municipalities."""
    from sources import find_kommune, known_sources

    out: list[str] = []
    for value in split_values(values):
        found = find_kommune(value)
        if found is not None:
            number = found[0].number
        elif re.fullmatch(r"\d{4}", value):
            number = value
        else:
            names = sorted({f"{s.kommune.name} ({s.kommune.number})" for s in known_sources() if s.kommune})
            raise FilterError("unknown kommune {value!r}; a kommunenummer, or one of: {valid}", value=value,
                              valid=", ".join(names))
        if number not in out:
            out.append(number)
    return tuple(out)


def doctype_slugs(values: Values) -> tuple[str, ...]:
    """Document type slugs of slugs or names, in any case; FilterError if unknown."""
    vocab = vocabulary()
    out: list[str] = []
    for value in split_values(values):
        d = vocab.doctype(value)
        if d is None:
            raise FilterError("unknown type {value!r}; valid: {valid}", value=value,
                              valid=", ".join(vocab.doctype_slugs()))
        if d.slug not in out:
            out.append(d.slug)
    return tuple(out)


_YEARS = re.compile(r"\s*(\d{4})\s*(?:[-–]\s*(\d{4})\s*)?")


def year_range(text: str, name: str = "--year") -> tuple[int, int]:
    """"2021" -> (2021, 2021); "2019-2022" (or an en dash) -> (2019, 2022); else FilterError
    naming where the value came from (`--year` or `year:`)."""
    m = _YEARS.fullmatch(text or "")
    if not m:
        raise FilterError("{name} wants 2021 or 2019-2022, not {value!r}", name=name, value=text)
    lo, hi = int(m.group(1)), int(m.group(2) or m.group(1))
    if lo > hi:
        raise FilterError("{name}: the year range {value!r} runs backwards", name=name, value=text)
    return lo, hi


def iso_date(name: str, value: str) -> str:
    try:
        return date.fromisoformat(value.strip()).isoformat()
    except ValueError:
        raise FilterError("{name} wants a date like 2020-12-02, not {value!r}", name=name, value=value) from None


def make_filters(*, year: str | None = None, committee: Values = None, doctype: Values = None,
                 date_from: str | None = None, date_to: str | None = None, all_versions: bool = False,
                 status: str | None = None, undated: bool = False, kommune: Values = None) -> Filters:
    """Filters from values as typed; raises FilterError with one line for the user."""
    f = Filters(all_versions=all_versions, status=status, undated=undated)
    kommuner = kommune_numbers(kommune)
    f.kommune = kommuner[0] if len(kommuner) == 1 else (kommuner or None)
    if year:
        f.year_from, f.year_to = year_range(year)
    committees = committee_slugs(committee)
    doctypes = doctype_slugs(doctype)
    f.committee = committees[0] if len(committees) == 1 else (committees or None)
    f.doctype = doctypes[0] if len(doctypes) == 1 else (doctypes or None)
    f.date_from = iso_date("--from", date_from) if date_from else None
    f.date_to = iso_date("--to", date_to) if date_to else None
    if f.date_from and f.date_to and f.date_from > f.date_to:
        raise FilterError("--from {start} is after --to {end}", start=f.date_from, end=f.date_to)
    return f
