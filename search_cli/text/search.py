"""Search on the terminal: hits grouped by document with their snippets and facets, what the
search added to the words typed, and the trend's bars per budget year."""

from __future__ import annotations

from typing import Any

import click
from rich.table import Table as RichTable
from rich.text import Text

from present import labels
from present.cells import safe
from present.hits import group_by_document
from present.notes import Note
from present.snippets import segments
from search_cli.messages import N_, _, gettext, ngettext, num, plain_ngettext
from search_cli.text import console


def _snippet(snippet: str) -> Text:
    """The words a query matched in bold; the rest plain text (no markup is interpreted)."""
    out = Text()
    for text, matched in segments(snippet):
        out.append(text, style="bold yellow" if matched else None)
    return out


def print_expansions(query: str, notes: list[Note], plain: bool = False) -> None:
    """What the search added to the words typed (present.expansions), each with the command that
    undoes or narrows it: on the terminal above the hits, or on stderr beside an export (`plain`)."""
    from present.expansions import ALSO, AMOUNT, COMMITTEE, COMPOUNDS, CORRECTED, EXACT, segments

    added = [n for n in notes if n.kind in (CORRECTED, COMPOUNDS, AMOUNT, ALSO)]
    for note in notes:
        line = Text()
        for i, (text, value) in enumerate(segments(note, gettext, plain_ngettext)):
            if i == 0 and not plain:  # a line of its own reads as a sentence; after "hparkiv: " it does not
                text = text[:1].upper() + text[1:]
            line.append(safe(text), style="bold" if value else None)
        if note.kind == COMMITTEE:
            line.append("  " + _search_command(note.params["rest"], "--committee", note.params["slug"]), style="dim")
        if note.kind == EXACT:
            line.append("  " + _search_command(query), style="dim")
        if plain:
            click.echo("hparkiv: " + line.plain, err=True)
        else:
            console.print(line)
    if added:
        hint = _("search exactly as typed: {command}", command=_search_command(query, "--exact"))
        if plain:
            click.echo("hparkiv: " + hint, err=True)
        else:
            console.print(Text(hint[:1].upper() + hint[1:], style="dim"))


def _search_command(query: str, *flags: str) -> str:
    import shlex

    return " ".join(["hparkiv", "search", *flags, "--", shlex.quote(query)] if query.startswith("-")
                    else ["hparkiv", "search", shlex.quote(query), *flags])


def _meta(year: Any, committee: Any, doctype: Any, date: Any = None) -> str:
    parts = [str(year) if year else _("year unknown"), labels.committee_name(committee) or "-",
             labels.doctype_name(doctype) or "-"]
    if date:
        parts.append(str(date))
    return " · ".join(safe(p) for p in parts)


FACET_LABELS = {"year": N_("Budget years"), "committee": N_("Committees (utvalg)"), "doctype": N_("Document types"),
                "kommune": N_("Municipalities")}


def _facet_value(name: str, value: str) -> str:
    if name == "committee":
        return labels.committee_name(value)
    return labels.doctype_name(value) if name == "doctype" else safe(value)


def print_search(query: str, result: Any, offset: int = 0) -> None:
    """Hits grouped by document, each page with its snippet and a link that opens that page."""
    shown = len(result.hits)
    if not result.total:
        console.print(Text(_("No pages match {query!r}.", query=safe(query))))
    elif shown:
        console.print(Text(ngettext("{n} page matches {query!r}; showing {first}-{last}",
                                     "{n} pages match {query!r}; showing {first}-{last}", result.total,
                                     query=safe(query), first=num(offset + 1), last=num(offset + shown)),
                            style="bold"))
    else:
        console.print(Text(ngettext("{n} page matches {query!r}", "{n} pages match {query!r}", result.total,
                                     query=safe(query)), style="bold"))
    for group in group_by_document(result.hits, getattr(result, "doc_pages", None)):
        h0 = group.first
        console.print()
        head = Text(safe(h0.title) or _("(untitled)"), style="bold")
        head.append(f"  [{h0.doc_id}]", style="dim")
        if group.more > 0:
            head.append("  " + ngettext("+{n} more page", "+{n} more pages", group.more), style="magenta")
        console.print(head)
        meta = _meta(h0.year, h0.committee, h0.doctype, h0.date)
        if getattr(h0, "kommune", None):
            meta = f"{safe(h0.kommune)} · {meta}"
        console.print(Text(meta, style="cyan"))
        # The same snippet on many pages (a running head, a repeated sentence) is shown once.
        for passage in group.passages():
            numbers = ", ".join(str(p) for p in passage.pages)
            label = _("p. {page}", page=numbers) if len(passage.pages) == 1 else _("pp. {pages}", pages=numbers)
            line = Text("  " + label + ": ", style="green")
            line.append_text(_snippet(passage.snippet))
            console.print(line)
            console.print(Text(f"    {safe(passage.first.url)}#page={passage.first.page}", style="dim"))
    names = kommune_names(result.hits) if (result.facets or {}).get("kommune") else {}
    for name, counts in (result.facets or {}).items():
        if counts:
            top = ", ".join(f"{safe(names[k]) if k in names else _facet_value(name, k)} ({num(v)})"
                            for k, v in list(counts.items())[:12])
            console.print(Text(f"{_(FACET_LABELS.get(name, name))}: {top}", style="dim"))


def kommune_names(hits: list[Any]) -> dict[str, str]:
    """Kommunenummer -> "Name 3207" for a facet: from the hits, else from the known sources."""
    from sources import known_sources

    names = {s.kommune.number: s.kommune.name for s in known_sources() if s.kommune}
    names.update({h.kommunenummer: h.kommune for h in hits if getattr(h, "kommunenummer", None) and h.kommune})
    return {n: f"{name} {n}" for n, name in names.items()}


BAR_MAX = 30  # the longest bar, in characters, when the terminal has room
BAR_MIN, NOTE_MIN = 12, 12  # in a narrow terminal: bars at least this long while notes wrap at this width


def print_trend(query: str, rows: list[dict[str, Any]], count: str = "pages", normalise: bool = False) -> None:
    """A bar per budget year, zero years included; years with documents that gave no text are
    noted. The bars take what the terminal leaves after the numbers and notes (an 80-column
    terminal too), so no bar is ever cut."""
    if not any(r["pages"] for r in rows):
        console.print(Text(_("No pages match {query!r}.", query=safe(query))))
        if rows:
            console.print(Text(_("The archive covers {first}–{last}.", first=rows[0]["year"], last=rows[-1]["year"]),
                                style="dim"))
        return
    key = "per_1000_pages" if normalise else count
    title = {"pages": _("Matching pages per budget year: {query}"),
             "documents": _("Matching documents per budget year: {query}"),
             "per_1000_pages": _("Matching pages per 1,000 pages of the year: {query}")}[key]
    headers = [_("Year"), _("Pages"), _("Documents")] + ([_("Per 1,000 pages")] if normalise else [])
    lines = []
    for r in rows:
        note = ngettext("{n} document without text", "{n} documents without text", r["failed"]) if r["failed"] else ""
        if not r["archive_documents"]:
            note = _("no documents this year")
        cells = [str(r["year"]), num(r["pages"]), num(r["documents"])]
        if normalise:
            cells.append("-" if r["per_1000_pages"] is None else num(r["per_1000_pages"], 1))
        lines.append((cells, note, r[key] or 0))
    widths = [max(len(h), *(len(c[i]) for c, _n, _v in lines)) for i, h in enumerate(headers)]
    note_width = max(len(_("Note")), *(len(n) for _c, n, _v in lines))
    # A table of n columns takes its columns' widths plus 3 characters each (padding, rule) and 1.
    room = console.width - sum(widths) - 3 * (len(widths) + 2) - 1  # for the bars and the notes
    bar_width = min(BAR_MAX, room - note_width)
    if bar_width < BAR_MIN:  # a narrow terminal: the notes wrap before the bars get too short to compare
        bar_width = max(4, min(BAR_MIN, room - NOTE_MIN))
    table = RichTable(title=title.format(query=safe(query)) if "{query}" in title else title)
    for h, w in zip(headers, widths, strict=True):
        table.add_column(h, justify="right", no_wrap=True, min_width=w)
    table.add_column("", no_wrap=True, width=bar_width)
    table.add_column(_("Note"), overflow="fold")
    peak = max((v for _c, _n, v in lines), default=0) or 1
    for cells, note, value in lines:
        table.add_row(*cells, "█" * round(bar_width * value / peak), note)
    console.print(table)
