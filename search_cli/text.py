"""Output for people: grouped hits, tables and bars. Every document string passes `safe`,
every message the message catalog (`_`, `ngettext`), so a run speaks one language. The
shapes (hits by document, folded passages, snippets' matches, notes) are present/'s."""

from __future__ import annotations

from typing import Any

import click
from rich.console import Console
from rich.table import Table as RichTable
from rich.text import Text

from present import labels
from present.cells import safe
from present.hits import group_by_document
from present.notes import UNDATED_LEFT_OUT, Note
from present.numbers import when
from present.snippets import segments
from present.vedtak import heading, pages_label, sides, tally, warning_text
from search_cli.messages import N_, _, gettext, language, ngettext, num, plain_ngettext

_console = Console(highlight=False, soft_wrap=True)


def _snippet(snippet: str) -> Text:
    """The words a query matched in bold; the rest plain text (no markup is interpreted)."""
    out = Text()
    for text, matched in segments(snippet):
        out.append(text, style="bold yellow" if matched else None)
    return out


def print_notes(notes: list[Note]) -> None:
    """What a filter or an offset left out, on stderr, with the flag that undoes it."""
    for note in notes:
        text = note.translated(gettext, plain_ngettext)
        if note.kind == UNDATED_LEFT_OUT:
            text += "; " + ngettext("add --undated to include it", "add --undated to include them", note.n)
        click.echo(f"hparkiv: {safe(text)}", err=True)


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
            _console.print(line)
    if added:
        hint = _("search exactly as typed: {command}", command=_search_command(query, "--exact"))
        if plain:
            click.echo("hparkiv: " + hint, err=True)
        else:
            _console.print(Text(hint[:1].upper() + hint[1:], style="dim"))


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
        _console.print(Text(_("No pages match {query!r}.", query=safe(query))))
    elif shown:
        _console.print(Text(ngettext("{n} page matches {query!r}; showing {first}-{last}",
                                     "{n} pages match {query!r}; showing {first}-{last}", result.total,
                                     query=safe(query), first=num(offset + 1), last=num(offset + shown)),
                            style="bold"))
    else:
        _console.print(Text(ngettext("{n} page matches {query!r}", "{n} pages match {query!r}", result.total,
                                     query=safe(query)), style="bold"))
    for group in group_by_document(result.hits, getattr(result, "doc_pages", None)):
        h0 = group.first
        _console.print()
        head = Text(safe(h0.title) or _("(untitled)"), style="bold")
        head.append(f"  [{h0.doc_id}]", style="dim")
        if group.more > 0:
            head.append("  " + ngettext("+{n} more page", "+{n} more pages", group.more), style="magenta")
        _console.print(head)
        meta = _meta(h0.year, h0.committee, h0.doctype, h0.date)
        if getattr(h0, "kommune", None):
            meta = f"{safe(h0.kommune)} · {meta}"
        _console.print(Text(meta, style="cyan"))
        # The same snippet on many pages (a running head, a repeated sentence) is shown once.
        for passage in group.passages():
            numbers = ", ".join(str(p) for p in passage.pages)
            label = _("p. {page}", page=numbers) if len(passage.pages) == 1 else _("pp. {pages}", pages=numbers)
            line = Text("  " + label + ": ", style="green")
            line.append_text(_snippet(passage.snippet))
            _console.print(line)
            _console.print(Text(f"    {safe(passage.first.url)}#page={passage.first.page}", style="dim"))
    names = kommune_names(result.hits) if (result.facets or {}).get("kommune") else {}
    for name, counts in (result.facets or {}).items():
        if counts:
            top = ", ".join(f"{safe(names[k]) if k in names else _facet_value(name, k)} ({num(v)})"
                            for k, v in list(counts.items())[:12])
            _console.print(Text(f"{_(FACET_LABELS.get(name, name))}: {top}", style="dim"))


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
        _console.print(Text(_("No pages match {query!r}.", query=safe(query))))
        if rows:
            _console.print(Text(_("The archive covers {first}–{last}.", first=rows[0]["year"], last=rows[-1]["year"]),
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
    room = _console.width - sum(widths) - 3 * (len(widths) + 2) - 1  # for the bars and the notes
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
    _console.print(table)


def print_series(found: Any, picked: bool = False) -> None:
    """Per (table family, line): the adopted budget year by year with the change and a bar, the
    plans' projections (forslag → innstilling → vedtak), the accounts apart. Which families the
    label stands in comes first, so `--table` can pick one. Marks: ≠ the documents disagree
    (each source named), * taken from a later plan's column (the year's own plan is missing)."""
    from budget import family_name
    from present.budget import change, figure
    lang = language()
    names = ", ".join(f"{family_name(f, lang)} ({f})" for f in found.families)
    _console.print(Text(ngettext("«{label}» stands in {n} table family: {names}",
                                 "«{label}» stands in {n} table families: {names}", len(found.families),
                                 label=safe(found.label), names=names), style="bold"))
    if len(found.families) > 1 and not picked:
        _console.print(Text(_("One series per family and line; pick one with --table FAMILY."), style="dim"))
    marks = False
    several = len({ln.kommune for ln in found.lines}) > 1  # then each series names its municipality
    for ln in found.lines:
        _console.print()
        title = f"{safe(ln.line)} — {safe(family_name(ln.family, lang) if ln.family != 'annet' else ln.family_name)}"
        if several and ln.kommune:
            title += f" — {safe(ln.kommune)}"
        _console.print(Text(f"{title} ({safe(ln.unit or _('unit unknown'))})", style="bold"))
        for r in ln.renamed[:1]:
            _console.print(Text("  " + _("formerly «{old}» ({doc_id}, p. {page})", old=safe(r["old"]),
                                         doc_id=r["doc_id"], page=r["page"]), style="dim"))
        peak = max((abs(f.value) for f in ln.adopted + ln.regnskap if f.value is not None), default=0) or 1
        decimals = max(1, ln.decimals)  # as printed, and at least one: "587 100,0"
        for title_, figs in ((_("Adopted budget (kommunestyrets vedtak for the year)"), ln.adopted),
                             (_("Accounts (regnskap)"), ln.regnskap), (_("Revised budget (revidert)"), ln.revidert)):
            if not figs:
                continue
            _console.print(Text("  " + title_))
            for f in figs:
                mark = " *" if f.repeated else ""
                if f.conflict:
                    marks = True
                    seen = " / ".join(f"{figure(p.value, lang, decimals)} ({safe(p.title or p.doc_id)}, {_('p.')} {p.page})"
                                      for p in f.conflict)
                    _console.print(Text(f"    {f.year}  ≠ {seen}", style="yellow"))
                    continue
                bar = "█" * max(1, round(20 * abs(f.value) / peak))
                src = f.sources[0]
                where = f"{safe(src.title or src.doc_id)}, {_('p.')} {src.page}"
                marks = marks or f.repeated
                _console.print(Text(f"    {f.year}  {figure(f.value, lang, decimals):>14}{mark:<2} {change(f.change, lang):>9}  "
                                    f"{bar:<20}  {where}"))
        if ln.projections:
            _console.print(Text("  " + _("The plan years as each plan projected them (f forslag → i innstilling → "
                                         "v vedtak)")))
            for period, stages in sorted(ln.projections.items()):
                years = sorted({f.year for figs in stages.values() for f in figs})
                cells = []
                for y in years:
                    row = []
                    for stage in ("forslag", "innstilling", "vedtak"):
                        fig = next((f for f in stages.get(stage, []) if f.year == y), None)
                        if fig is not None:
                            row.append(f"{stage[0]} " + ("≠" if fig.conflict else figure(fig.value, lang, decimals)))
                    cells.append(f"{y}: {' → '.join(row)}")
                _console.print(Text(f"    {period}  " + "   ".join(cells)))
                for stage, figs in stages.items():
                    for fig in figs:
                        if fig.conflict:
                            marks = True
                            seen = " / ".join(f"{figure(p.value, lang, decimals)} ({safe(p.title or p.doc_id)}, "
                                              f"{_('p.')} {p.page})" for p in fig.conflict)
                            _console.print(Text(f"      ≠ {fig.year} {stage}: {seen}", style="yellow"))
    if marks:
        _console.print()
        _console.print(Text(_("≠ the documents disagree and no rule settles it: every value is shown with its "
                              "source. * from a later plan's column (last year's budget): the year's own adopted plan does not "
                              "print the line, or is not in the archive."), style="dim"))


def print_comparison(c: Any) -> None:
    """A year per row, a municipality per column: kroner per inhabitant where its documents state
    the inhabitants, else the absolute figure marked so; then where each inhabitant count stands."""
    _console.print(Text(_("{label}, side by side: {kommuner}", label=safe(c.label),
                          kommuner=", ".join(safe(k.kommune) for k in c.kommuner)), style="bold"))
    table = RichTable()
    table.add_column(_("Year"), justify="right")
    for k in c.kommuner:
        table.add_column(f"{safe(k.kommune)} ({k.kommunenummer})", justify="right")
    for year in c.years():
        cells = [str(year)]
        for k in c.kommuner:
            f = next((f for f in k.figures if f.year == year), None)
            if f is None:
                cells.append("-")
            elif f.value_kr is None:
                cells.append("≠ " + " / ".join(num(v) for v in f.disagree) + f" ({f.stage})")
            elif f.per_capita is not None:
                cells.append(_("{value} kr/inhabitant", value=num(round(f.per_capita))) + f" ({f.stage})")
            else:
                cells.append(_("{value} kr (absolute)", value=num(f.value_kr)) + f" ({f.stage})")
        table.add_row(*cells)
    _console.print(table)
    for k in c.kommuner:
        for f in k.figures:
            i = f.inhabitants_from
            if i is not None:
                _console.print(Text("  " + _("{kommune} {year}: {n} inhabitants, «{label}» in {title} ({doc}), p. {page}",
                                             kommune=safe(k.kommune), year=f.year, n=num(i.value), label=safe(i.label),
                                             title=safe(i.title or i.doc_id), doc=i.doc_id, page=i.page), style="dim"))
        for note in k.notes:
            _console.print(Text("  " + safe(note.translated(gettext)), style="yellow"))
    for note in c.notes:
        _console.print(Text(safe(note.translated(gettext)), style="dim"))


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
        _console.print(Text(
            f"{r['doc_id']}  {r['year'] or '':<4}  {committee:<{width}}  "
            f"{safe(r['doctype'] or '-'):<12}  {safe(r['date'] or ''):<10}  {pages:>9}  {status:<{status_width}}  {title}"
        ))
    _console.print(Text(ngettext("{n} document", "{n} documents", len(rows)), style="dim"))


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
    _console.print(Text(safe(v.title) or _("(untitled)"), style="bold"))
    for name in SHOWN_FIELDS:
        value = getattr(v, name)
        how = v.provenance.get(name)
        if (value is None or value == "") and not how:
            continue
        line = Text(f"{labels.field_name(name, gettext):>14}: {_shown(name, value)}")
        if how:
            line.append(f"   ({labels.provenance(how, gettext)})", style="dim")
        _console.print(line)
    if v.status in ("failed", "no_text"):
        _console.print(Text(_("This document has no text: {reason}",
                              reason=labels.reason(v.error, gettext) or labels.status_name(v.status, gettext)),
                            style="bold"))
    address = labels.field_name("url", gettext)
    for u in urls:
        seen = _("seen {first} – {last}", first=when(u["first_seen"]), last=when(u["last_seen"]))
        _console.print(Text(f"{address:>14}: {safe(u['url'])}  ({seen})"))
    for link in links:
        ctx = link.context or {}
        where = safe(ctx.get("heading") or ctx.get("section") or ctx.get("page_title") or "")
        snap = f" [Wayback {link.snapshot}]" if link.snapshot else ""
        under = " " + _("under “{where}”", where=where) if where else ""
        label = _("linked from")
        _console.print(Text(f"{label:>14}: {safe(link.source_page)}{snap}  “{safe(link.text)}”{under}", style="dim"))
    for p in pages:
        _console.print()
        ocr = " (OCR)" if p.ocr else ""
        _console.print(Text("— " + _("page {page}", page=p.page) + ocr + " —", style="bold"))
        _console.print(Text(safe(p.text)))


def print_tables(v: Any, tables: list[Any]) -> None:
    """Each table under its caption and unit, numbered as in CSV and JSON. Nothing is ever
    cut: every number keeps its full width, row labels wrap (fold) where they must, and a
    table too wide for the terminal is printed wider (the terminal wraps its lines)."""
    if not tables:
        _console.print(Text(_("No tables found in {doc}.", doc=v.doc_id)))
    for t in tables:
        title = _("{title} — p. {page}, table {n}", title=safe(v.title), page=t.page, n=t.index + 1)
        extra = labels.table_caption(getattr(t, "caption", None), getattr(t, "unit", None))
        header = [safe(h) for h in t.header]
        width = len(header) or max((len(r) for r in t.rows), default=0)
        rows = [([safe(c) for c in r] + [""] * width)[:width] for r in t.rows]
        header = (header + [""] * width)[:width]
        _console.print(Text("\n" + title, style="bold"))
        if extra:
            _console.print(Text(extra))
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
        _console.print(table, width=max(_console.width, needed))


STATUS_LABELS = {"by_status": N_("status"), "by_year": N_("years"), "by_doctype": N_("types"), "by_committee": N_("committees"),
                 "by_kommune": N_("municipalities")}
_STATUS_VALUE = {"by_status": lambda k: labels.status_name(k, gettext),
                 "by_doctype": lambda k: labels.doctype_name(k) if k != "-" else "-",
                 "by_committee": lambda k: labels.committee_name(k) if k != "-" else _("no committee")}


def print_status(info: dict[str, Any]) -> None:
    """What the archive holds, its last runs and its failures: every count a number in the run's
    language, every key and reason a word (no `pages_visited`, no `no_text`)."""
    _console.print(Text(_("data dir: {path}", path=info["data_dir"]), style="bold"))
    _console.print(Text(_("documents: {n} ({superseded} superseded versions kept), pages: {pages}",
                          n=num(info["documents"]), superseded=num(info.get("superseded_versions", 0)),
                          pages=num(info.get("pages", 0)))))
    engine = info.get("engine") or {}
    if engine.get("error"):
        _console.print(Text(_("search engine: {error}", error=safe(engine["error"])), style="bold red"))
    elif engine.get("name") == "opensearch":
        _console.print(Text(_("search engine: OpenSearch at {urls}, index {index}", urls=safe(",".join(engine["urls"])),
                              index=safe(engine["index"]))))
    for key, label in STATUS_LABELS.items():
        if info.get(key):
            name = _STATUS_VALUE.get(key, safe)
            _console.print(Text(f"{_(label)}: " + ", ".join(f"{name(k)} {num(v)}" for k, v in info[key].items())))
    dec = info.get("decisions")
    if dec:
        _console.print(Text(_("decisions: {n} ({kinds}), votes: {votes}, vote statements not parsed (kept as printed): "
                              "{unparsed}", n=num(dec["decisions"]),
                              kinds=", ".join(f"{k} {num(v)}" for k, v in dec["by_kind"].items()),
                              votes=num(dec["votes"]), unparsed=num(dec["unparsed_votes"]))))
        if dec.get("votes_with_warning"):
            _console.print(Text(ngettext("{n} vote kept with a warning (its count disagrees with its parties)",
                                         "{n} votes kept with a warning (their count disagrees with their parties)",
                                         dec["votes_with_warning"])))
    for stage, run in (info.get("runs") or {}).items():
        if run:
            counts = ", ".join(f"{name} {value}" for name, value in labels.run_counts(run["stats"], gettext, num))
            _console.print(Text(_("last {stage}: {finished}: {counts}", stage=labels.stage_name(stage, gettext),
                                  finished=when(run["finished"]), counts=counts), style="dim"))
    for d in info.get("failed_documents", []):
        _console.print(Text(f"{labels.status_name(d['status'], gettext)}: {d['doc_id']} {safe(d['url'])}: "
                            f"{labels.reason(d['error'], gettext)}"))
    for f in info.get("failures", []):
        _console.print(Text(_("fetch failed: {url}: {error}", url=safe(f["url"]),
                              error=labels.reason(f["error"], gettext))))


def print_vedtak(records: list[dict[str, Any]], total: int | None = None) -> None:
    """One block per vedtak: its heading (each part once), the document and page it stands on,
    the recommendation, proposals and decision; then each vote on a line."""
    if total is not None:
        _console.print(Text(ngettext("{n} decision", "{n} decisions", total), style="bold"))
    for r in records:
        _console.print(Text("\n" + " · ".join(heading(r, gettext)), style="bold"))
        document = safe(r.get("document_title")) or r["doc_id"]
        _console.print(Text(f"  {document}, {pages_label(r, gettext)}  [{r['doc_id']}]  {safe(r['page_url'])}",
                            style="dim"))
        if r["recommendation"]:
            _console.print(Text(f"  {safe(r['recommendation_label'] or 'Innstilling')}: {safe(r['recommendation'])}"))
        for p in r["proposals"]:
            _console.print(Text("  " + _("Proposal by {by}: {text}", by=safe(p["by"]), text=safe(p["text"]))))
        if r["decision"]:
            _console.print(Text(f"  {safe(r['decision_label'] or 'Vedtak')}: {safe(r['decision'])}"))
        for v in r["votes"]:
            _console.print(Text("  " + _("vote: {vote}", vote=vote_line(v))))


def vote_line(v: dict[str, Any]) -> str:
    """A vote on one line: motion, result, numbers and sides; an unparsed one as printed; what
    the parser found inconsistent, said after it."""
    if not v["parsed"]:
        line = _("NOT PARSED (as printed): {text}", text=safe(v["text"]))
    else:
        parts = [safe(v["motion"] or _("(not named)"))]
        if v["alternative"]:
            parts.append(_("against {motion}", motion=safe(v["alternative"])))
        parts.append(v["result"] or "?")
        if v["unanimous"]:
            parts.append(_("unanimous"))
        counted = tally(v, gettext, plain_ngettext)
        if counted:
            parts.append(counted)
        yes, no = sides(v)
        if yes:
            parts.append(_("in favour: {parties}", parties=yes))
        if no:
            parts.append(_("against: {parties}", parties=no))
        line = " · ".join(parts)
    if v.get("warning"):
        line += "  " + _("(warning: {warning})", warning=warning_text(v["warning"], gettext))
    return line


def _date(iso: Any) -> str:
    """2020-12-02 -> 02.12.2020, as Norwegian documents write it."""
    if not iso or len(str(iso)) != 10:
        return str(iso or "")
    y, m, d = str(iso).split("-")
    return f"{d}.{m}.{y}"


def _stage_values(ln: Any) -> str:
    """forslag → innstilling → vedtak, in mill. kr (kroner lines) or as printed."""
    from budget.facts import STAGES
    from present.budget import figure, mill

    parts = []
    for stage in STAGES:
        if stage not in ln.values:
            parts.append("·")  # the stage's documents print no table with this line
        elif stage in ln.conflicts:
            parts.append("≠")
        elif ln.values_kr.get(stage) is not None:
            parts.append(mill(ln.values_kr[stage], language()))
        elif ln.values.get(stage) is not None:
            parts.append(figure(ln.values[stage], language()))
        else:
            parts.append("–")
    return " → ".join(parts)


def _change(ln: Any) -> str:
    from present.budget import change, mill_signed, signed

    lang = language()
    if ln.delta_kr is not None:
        return f"{mill_signed(ln.delta_kr, lang)} ({change(ln.delta_pct, lang)})" if ln.delta_pct is not None \
            else mill_signed(ln.delta_kr, lang)
    if ln.delta is not None:
        return signed(ln.delta, lang)
    stages = [s for s in ln.values if s not in ln.conflicts]
    if stages and ln.values[stages[0]] is None:
        return _("added")
    if stages and ln.values[stages[-1]] is None:
        return _("dropped")
    return ""


def print_endringer(found: Any) -> None:
    """What a journalist pastes: the stage documents; per table family the changed lines, largest
    change first, then how many lines did not change; conflicts; the text decisions with a word
    diff; quotes the politicians' changes made outdated. Amounts in mill. kr."""
    from budget.endringer import size_of_change
    from budget.families import RECOGNISED, family_name
    lang = language()
    _console.print(Text(_("What changed in the budget {period}: forslag → innstilling → vedtak (mill. kr)",
                          period=found.period), style="bold"))
    for s in found.stages:
        status = "" if s.status == "ok" else f"  [{_('not readable')}: {labels.status_name(s.status, gettext)}]"
        _console.print(Text(f"  {s.stage:<12} {_date(s.date):<10}  {safe(s.title or s.doc_id)}  ({s.doc_id}){status}"))
        _console.print(Text(f"  {'':<12} {'':<10}  {safe(s.url)}", style="dim"))
    for stage in (s for s in found.missing if not any(d.stage == s for d in found.stages)):  # unreadable ones are named above
        _console.print(Text(f"  {stage:<12} {_('no document in the archive')}", style="dim"))
    for family in RECOGNISED:
        lines = [ln for ln in found.lines if ln.family == family]
        if not lines:
            continue
        changed = sorted((ln for ln in lines if ln.changed), key=lambda ln: (-size_of_change(ln), ln.label, ln.year))
        conflicts = [ln for ln in lines if ln.conflict]
        _console.print()
        _console.print(Text(family_name(family, lang), style="bold"))
        width = min(48, max((len(ln.label) for ln in changed), default=10))
        for ln in changed:
            label = safe(ln.label if len(ln.label) <= width else ln.label[:width - 1] + "…")
            vote = ""
            if ln.votes:
                v = ln.votes[-1]
                count = f" {v['vote']['for']}–{v['vote']['against']}" if v["vote"]["for"] is not None else ""
                vote = "  " + _("adopted: {text}", text=safe(f"{v['vote']['motion'] or v['proposal_by']}{count}"
                                                            f" ({v['committee']} {v['case']})"))
            _console.print(Text(f"  {label:<{width}}  {ln.year}  {_stage_values(ln):<34} {_change(ln)}{vote}"))
        for ln in conflicts:
            stage = next(iter(ln.conflicts))
            seen = " / ".join(f"{c['text']} (s. {c['page']}, {safe(c['caption'] or '')})" for c in ln.conflicts[stage])
            _console.print(Text("  ≠ " + _("{label} {year}, {stage}: the documents disagree: {values}",
                                           label=safe(ln.label), year=ln.year, stage=stage, values=seen),
                                style="yellow"))
        rest = len(lines) - len(changed)
        if rest:
            _console.print(Text("  " + ngettext("{n} line unchanged", "{n} lines unchanged", rest), style="dim"))
    if found.lines:
        _console.print()
        _console.print(Text(_("Marks: · the stage's documents have no table with this line; – the table has no such "
                              "line (added or dropped); ≠ the documents disagree and no rule settles it: both values "
                              "are shown with their pages. Figures are the stage documents' own; a notat or an answer "
                              "that quotes them never counts."), style="dim"))
    d = found.decisions
    if any(d[k] for k in ("added", "dropped", "changed")):
        _console.print()
        _console.print(Text(_("Text decisions, innstilling → vedtak"), style="bold"))
        for x in d["added"]:
            _console.print(Text(f"  + {_point(x)}: {safe(x['text'])}", style="green"))
        for x in d["dropped"]:
            _console.print(Text(f"  − {_point(x)}: {safe(x['text'])}", style="red"))
        for x in d["changed"]:
            line = Text(f"  ~ {_point(x['after'] | {'kind': x['kind']})}: ")
            for run in x["diff"]:
                if run["op"] == "equal":
                    line.append(safe(run["text"]) + " ")
                elif run["op"] == "delete":
                    line.append("[-" + safe(run["text"]) + "-] ", style="red strike")
                else:
                    line.append("{+" + safe(run["text"]) + "+} ", style="green")
            _console.print(line)
    stale = [q for q in found.quoted if q["outdated"]]
    if stale:
        _console.print()
        _console.print(Text(_("Quoted figures that later stages changed"), style="bold"))
        from present.budget import mill

        for q in stale:
            _console.print(Text("  " + _("{title}, p. {page}: {label} {year} {value} ({stage}); {latest}: {now}",
                                         title=safe(q["title"] or q["doc_id"]), page=q["page"], label=safe(q["label"]),
                                         year=q["year"], value=mill(q["value_kr"], lang), stage=q["quotes_stage"],
                                         latest=q["latest_stage"], now=mill(q["latest_kr"], lang))))


def _point(x: dict[str, Any]) -> str:
    where = f"{x.get('section') or _('verbal decision')} {x.get('number') or ''}"
    return f"{where.strip()} ({x['doc_id']} s. {x.get('page')})"
