"""Documents on the terminal: the list (one line a document), a document shown (its fields with
their provenance, addresses, links and pages), and its tables."""

from __future__ import annotations

from typing import Any

from rich.table import Table as RichTable
from rich.text import Text

from present import labels
from present.cells import safe
from present.numbers import when
from search_cli.messages import _, gettext, ngettext, num
from search_cli.text import console


def print_versions(rows: list[dict[str, Any]]) -> None:
    """One line a document, columns aligned, never wrapped: easy to read and to grep. Committees
    by name, status and failure reasons in the run's language."""
    committees = [labels.committee_name(r["committee"]) or "-" for r in rows]
    width = max((len(c) for c in committees), default=1)
    statuses = [labels.status_name(r["status"], gettext) + (" / " + _("superseded") if r.get("superseded_by") else "")
                for r in rows]
    status_width = max((len(st) for st in statuses), default=1)
    for r, committee, status in zip(rows, committees, statuses, strict=True):
        title = safe(r["title"]) + (f" — {labels.reason(r['error'], gettext)}" if r.get("error") else "")
        pages = ngettext("{n} page", "{n} pages", r["pages"]) if r.get("pages") else ""
        console.print(Text(
            f"{r['doc_id']}  {r['year'] or '':<4}  {committee:<{width}}  "
            f"{safe(r['doctype'] or '-'):<12}  {safe(r['date'] or ''):<10}  {pages:>9}  {status:<{status_width}}  {title}"
        ))
    console.print(Text(ngettext("{n} document", "{n} documents", len(rows)), style="dim"))


SHOWN_FIELDS = ("doc_id", "sha256", "title", "year", "period", "committee", "doctype", "date", "pages", "status",
                "error", "superseded_by", "first_seen", "last_seen", "kommune", "kommunenummer", "source")


def _shown(name: str, value: Any) -> str:
    """A field's value as a person reads it: a committee by name, a status or a reason in words."""
    if value is None or value == "":
        return "-"  # decided: none
    if name == "committee":
        return labels.committee_name(value)
    if name == "status":
        return labels.status_name(value, gettext)
    if name == "error":
        return labels.reason(value, gettext)
    if name in ("first_seen", "last_seen"):
        return when(value)
    if name == "pages":
        return num(value)
    return safe(value)


def print_show(v: Any, urls: list[dict[str, Any]], links: list[Any], pages: list[Any]) -> None:
    console.print(Text(safe(v.title) or _("(untitled)"), style="bold"))
    for name in SHOWN_FIELDS:
        value = getattr(v, name)
        how = v.provenance.get(name)
        if (value is None or value == "") and not how:
            continue
        line = Text(f"{labels.field_name(name, gettext):>14}: {_shown(name, value)}")
        if how:
            line.append(f"   ({labels.provenance(how, gettext)})", style="dim")
        console.print(line)
    if v.status in ("failed", "no_text"):
        console.print(Text(_("This document has no text: {reason}",
                              reason=labels.reason(v.error, gettext) or labels.status_name(v.status, gettext)),
                            style="bold"))
    address = labels.field_name("url", gettext)
    for u in urls:
        seen = _("seen {first} – {last}", first=when(u["first_seen"]), last=when(u["last_seen"]))
        console.print(Text(f"{address:>14}: {safe(u['url'])}  ({seen})"))
    for link in links:
        ctx = link.context or {}
        where = safe(ctx.get("heading") or ctx.get("section") or ctx.get("page_title") or "")
        snap = f" [Wayback {link.snapshot}]" if link.snapshot else ""
        under = " " + _("under “{where}”", where=where) if where else ""
        label = _("linked from")
        console.print(Text(f"{label:>14}: {safe(link.source_page)}{snap}  “{safe(link.text)}”{under}", style="dim"))
    for p in pages:
        console.print()
        ocr = " (OCR)" if p.ocr else ""
        console.print(Text("— " + _("page {page}", page=p.page) + ocr + " —", style="bold"))
        console.print(Text(safe(p.text)))


def print_tables(v: Any, tables: list[Any]) -> None:
    """Each table under its caption and unit, numbered as in CSV and JSON. Nothing is ever
    cut: every number keeps its full width, row labels wrap (fold) where they must, and a
    table too wide for the terminal is printed wider (the terminal wraps its lines)."""
    if not tables:
        console.print(Text(_("No tables found in {doc}.", doc=v.doc_id)))
    for t in tables:
        title = _("{title} — p. {page}, table {n}", title=safe(v.title), page=t.page, n=t.index + 1)
        extra = labels.table_caption(getattr(t, "caption", None), getattr(t, "unit", None))
        header = [safe(h) for h in t.header]
        width = len(header) or max((len(r) for r in t.rows), default=0)
        rows = [([safe(c) for c in r] + [""] * width)[:width] for r in t.rows]
        header = (header + [""] * width)[:width]
        console.print(Text("\n" + title, style="bold"))
        if extra:
            console.print(Text(extra))
        table = RichTable(expand=False)
        needed = 1
        for i in range(width):
            cells = [r[i] for r in rows]
            longest = max((len(c) for c in cells), default=0)
            # A label column wraps down to 16 characters; a number column never narrows below its widest cell.
            least = min(longest, 16) if i == 0 else longest
            least = max(least, min(len(header[i]), 16), 1)
            table.add_column(header[i], overflow="fold", justify="left" if i == 0 else "right", min_width=least)
            needed += least + 3
        for r in rows:
            table.add_row(*r)
        console.print(table, width=max(console.width, needed))
