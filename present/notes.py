"""What a filter or a paging step left out, so an answer is never silently incomplete.

A search for a year the archive does not cover, or a date range that drops the documents
that have no date, still answers; these notes say what was left out and why. Each front end
shows the same notes in its own language and adds its own way to undo them (the CLI names
the flag, the web gives a link): the facts are decided here, once.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import catalog
from catalog.models import Filters
from catalog.paths import DataDir


def N_(message: str) -> str:
    """Marks a message for the catalog; the front end translates it where it is shown."""
    return message


def Np_(singular: str, plural: str) -> tuple[str, str]:
    """Marks a message with a count (singular, plural) for the catalog, as N_ does."""
    return singular, plural


# Kinds of notes, for the front ends' own hints.
YEARS_OUTSIDE = "years_outside"
UNDATED_LEFT_OUT = "undated_left_out"
PAST_THE_END = "past_the_end"


@dataclass(frozen=True)
class Note:
    """A fact about what an answer left out: a message of the catalog with its values."""

    kind: str
    message: str
    plural: str | None = None
    n: int = 0
    params: dict[str, Any] = field(default_factory=dict)

    def translated(self, gettext: Callable[[str], str], ngettext: Callable[[str, str, int], str]) -> str:
        text = gettext(self.message) if self.plural is None else ngettext(self.message, self.plural, self.n)
        return text.format(n=self.n, **self.params)


def left_out(data_dir: DataDir, filters: Filters) -> list[Note]:
    """Years asked for outside the archive's years; documents without a date a date range dropped.

    Reads the catalog (read-only) only when the filters name years or dates: a plain search
    stays fast."""
    years_given = filters.year_from is not None or filters.year_to is not None
    if not (years_given or filters.date_from or filters.date_to):
        return []
    if not data_dir.catalog.exists():
        return []  # no catalog: nothing was left out
    try:
        conn = catalog.connect_readonly(data_dir)
    except catalog.CatalogError:
        return []  # a catalog this hparkiv cannot read: the answer itself says so
    try:
        return _left_out(conn, filters, years_given)
    finally:
        conn.close()


def _left_out(conn: catalog.Connection, filters: Filters, years_given: bool) -> list[Note]:
    notes: list[Note] = []
    span = catalog.year_span(conn)
    if span and years_given:
        lo = filters.year_from if filters.year_from is not None else span[0]
        hi = filters.year_to if filters.year_to is not None else span[1]
        if hi < span[0] or lo > span[1]:
            notes.append(Note(YEARS_OUTSIDE, N_("no documents for {years}: the archive covers {first}–{last}"),
                              params={"years": f"{lo}" if lo == hi else f"{lo}–{hi}", "first": span[0],
                                      "last": span[1]}))
    if (filters.date_from or filters.date_to) and not filters.undated:
        n = catalog.count_undated(conn, filters)
        if n:
            notes.append(Note(UNDATED_LEFT_OUT, *Np_("{n} document without a date was left out by the date range",
                                                     "{n} documents without a date were left out by the date range"),
                              n=n))
    return notes


def past_the_end(total: int, skipped: int) -> Note | None:
    """A note when paging skipped every match there is (and there are some)."""
    if not (skipped and total and skipped >= total):
        return None
    return Note(PAST_THE_END, *Np_("past the end: {n} page matches, and {skipped} were skipped",
                                   "past the end: {n} pages match, and {skipped} were skipped"),
                n=total, params={"skipped": skipped})
