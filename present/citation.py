"""A page of a document as a journalist or a researcher cites it.

Who published it (the municipality, where the archive knows it), the title, the page, the
document's date, the municipality's own address for that page, and where our archived copy is
(the municipality may remove or overwrite its file) with the day the archive fetched it. The
web's page view shows it as text to copy; `hparkiv show DOC --page N` prints it too.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from present.cells import safe

Gettext = Callable[[str], str]


def N_(message: str) -> str:
    """Marks a message for the catalog; the front end translates it where it is shown."""
    return message


def citation(v: Any, page: int, gettext: Gettext, archive_url: str | None = None) -> str:
    """One line to copy: «Title», s. 3, 2020-12-02. URL#page=3. Archived copy: …, fetched 2026-12-03."""
    kommune = getattr(v, "kommune", None)
    parts = []
    if kommune:
        parts.append(gettext("{kommune} Municipality").format(kommune=safe(kommune)) + ":")
    title = safe(v.title).strip() or v.doc_id
    head = f"«{title}», " + gettext("p. {page}").format(page=page)
    if v.date:
        head += f", {v.date}"
    parts.append(head + ".")
    parts.append(f"{safe(v.url)}#page={page}.")
    retrieved = (v.first_seen or "")[:10]
    if archive_url:
        parts.append(gettext(ARCHIVED).format(url=archive_url, date=retrieved) + ".")
    elif retrieved:
        parts.append(gettext(FETCHED).format(date=retrieved) + ".")
    return " ".join(parts)


ARCHIVED = N_("Archived copy: {url}, fetched {date}")
FETCHED = N_("Fetched {date}")
