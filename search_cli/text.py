"""Output for people: grouped hits, tables and bars. Every document string passes `safe`."""

from __future__ import annotations

from collections import OrderedDict
from typing import Any

from rich.console import Console
from rich.table import Table as RichTable
from rich.text import Text

from search_cli.output import safe

_console = Console(highlight=False, soft_wrap=True)


def _snippet(snippet: str) -> Text:
    """[[term]] markers become bold; the rest is plain text (no markup is interpreted)."""
    out = Text()
    rest = safe(snippet)
    while "[[" in rest:
        before, _, after = rest.partition("[[")
        term, _, rest = after.partition("]]")
        out.append(before)
        out.append(term, style="bold yellow")
    out.append(rest)
    return out


def _meta(year: Any, committee: Any, doctype: Any, date: Any = None) -> str:
    parts = [str(year) if year else "år ukjent", committee or "-", doctype or "-"]
    if date:
        parts.append(str(date))
    return " · ".join(safe(p) for p in parts)


def print_search(query: str, result: Any, offset: int = 0) -> None:
    """Hits grouped by document, each page with its snippet and a link that opens that page."""
    shown = len(result.hits)
    if not result.total:
        _console.print(Text(f"No pages match {safe(query)!r}."))
    else:
        _console.print(Text(f"{result.total} pages match {safe(query)!r}; showing {offset + 1}-{offset + shown}",
                            style="bold"))
    groups: OrderedDict[str, list[Any]] = OrderedDict()
    for h in result.hits:
        groups.setdefault(h.doc_id, []).append(h)
    for doc_id, hits in groups.items():
        h0 = hits[0]
        _console.print()
        head = Text(safe(h0.title) or "(uten tittel)", style="bold")
        head.append(f"  [{doc_id}]", style="dim")
        _console.print(head)
        _console.print(Text(_meta(h0.year, h0.committee, h0.doctype, h0.date), style="cyan"))
        for h in hits:
            line = Text(f"  s. {h.page}: ", style="green")
            line.append_text(_snippet(h.snippet))
            _console.print(line)
            _console.print(Text(f"    {safe(h.url)}#page={h.page}", style="dim"))
    for field, counts in (result.facets or {}).items():
        if counts:
            top = ", ".join(f"{safe(k)} ({v})" for k, v in list(counts.items())[:12])
            _console.print(Text(f"{field}: {top}", style="dim"))


def print_trend(query: str, rows: list[dict[str, Any]]) -> None:
    table = RichTable(title=f"Treff per budsjettår: {safe(query)}")
    table.add_column("År", justify="right")
    table.add_column("Sider", justify="right")
    table.add_column("Dokumenter", justify="right")
    table.add_column("")
    peak = max((r["pages"] for r in rows), default=0) or 1
    for r in rows:
        table.add_row(str(r["year"]), str(r["pages"]), str(r["documents"]), "█" * round(30 * r["pages"] / peak))
    _console.print(table)


def _nok(value: float) -> str:
    """1234567.5 -> "1 234 567,5" (decimals only where the value has them)."""
    text = f"{value:,.1f}" if value != int(value) else f"{int(value):,}"
    return text.replace(",", " ").replace(".", ",")


def print_series(found: Any) -> None:
    """One line per year and stage (forslag, innstilling, vedtak), the change from the year
    before and a bar; regnskap apart; values that disagree within a year shown labelled."""
    from index.series import lines

    budget, accounts = lines(found)
    unit = found.unit or "ukjent enhet"
    _console.print(Text(f"{safe(found.label)} ({safe(unit)}), {len(found.points)} tall fra "
                        f"{len({p.doc_id for p in found.points})} dokumenter", style="bold"))
    peak = max((abs(line.value) for line in budget + accounts), default=0) or 1
    for title, rows in (("Budsjett", budget), ("Regnskap", accounts)):
        if not rows:
            continue
        _console.print(Text(title, style="bold"))
        for line in rows:
            change = f"{line.change:+.1f} %".replace(".", ",") if line.change is not None else ""
            source = ""
            if line.disagree:
                first = line.sources[0]
                source = f"  ≠ {safe(first.title or first.doc_id)} (s. {first.page})"
            _console.print(Text(
                f"  {line.year}  {line.stage:<11} {_nok(line.value):>16}  {change:>8}  "
                f"{'█' * max(1, round(24 * abs(line.value) / peak)):<24}{source}"
            ))
    unknown = [p for p in found.points if not p.unit_known]
    if unknown:
        _console.print(Text(f"{len(unknown)} tall uten kjent enhet er utelatt her (se --format json)", style="dim"))


def print_versions(rows: list[dict[str, Any]]) -> None:
    """One line a document, columns aligned, never wrapped: easy to read and to grep."""
    for r in rows:
        status = r["status"] + ("/superseded" if r.get("superseded_by") else "")
        title = safe(r["title"]) + (f" — {safe(r['error'])}" if r.get("error") else "")
        pages = f"{r['pages']} s." if r.get("pages") else ""
        _console.print(Text(
            f"{r['doc_id']}  {r['year'] or '':<4}  {safe(r['committee'] or '-'):<22}  "
            f"{safe(r['doctype'] or '-'):<12}  {safe(r['date'] or ''):<10}  {pages:>6}  {status:<9}  {title}"
        ))
    _console.print(Text(f"{len(rows)} documents", style="dim"))


def print_show(v: Any, urls: list[dict[str, Any]], links: list[Any], pages: list[Any]) -> None:
    _console.print(Text(safe(v.title) or "(uten tittel)", style="bold"))
    for field in ("doc_id", "sha256", "title", "year", "period", "committee", "doctype", "date", "pages", "status",
                  "error", "superseded_by", "first_seen", "last_seen"):
        value = getattr(v, field)
        how = v.provenance.get(field)
        if (value is None or value == "") and not how:
            continue
        line = Text(f"{field:>13}: {safe(value) if value not in (None, '') else '-'}")  # "-": decided: none
        if how:
            line.append(f"   ({safe(how)})", style="dim")
        _console.print(line)
    for u in urls:
        _console.print(Text(f"{'url':>13}: {safe(u['url'])}  (seen {u['first_seen']} – {u['last_seen']})"))
    for link in links:
        ctx = link.context or {}
        where = safe(ctx.get("heading") or ctx.get("section") or ctx.get("page_title") or "")
        snap = f" [Wayback {link.snapshot}]" if link.snapshot else ""
        _console.print(Text(f"{'linked from':>13}: {safe(link.source_page)}{snap}  “{safe(link.text)}”"
                            + (f" under “{where}”" if where else ""), style="dim"))
    for p in pages:
        _console.print()
        _console.print(Text(f"— side {p.page}" + (" (OCR)" if p.ocr else "") + " —", style="bold"))
        _console.print(Text(safe(p.text)))


def print_tables(v: Any, tables: list[Any]) -> None:
    if not tables:
        _console.print(Text(f"No tables found in {v.doc_id}."))
    for t in tables:
        title = f"{safe(v.title)} — s. {t.page}, tabell {t.index + 1}"
        if t.caption:
            title += f": {safe(t.caption)}"
        if t.unit:
            title += f" ({safe(t.unit)})"
        table = RichTable(title=title)
        for h in t.header:
            table.add_column(safe(h))
        width = len(t.header)
        for r in t.rows:
            cells = [safe(c) for c in r][:width] if width else [safe(c) for c in r]
            table.add_row(*cells)
        _console.print(table)


def print_status(info: dict[str, Any]) -> None:
    _console.print(Text(f"data dir: {info['data_dir']}", style="bold"))
    _console.print(f"documents: {info['documents']} ({info.get('superseded_versions', 0)} superseded versions "
                   f"kept), pages: {info.get('pages', 0)}")
    for key in ("by_status", "by_year", "by_doctype", "by_committee"):
        if info.get(key):
            _console.print(Text(f"{key[3:]}: " + ", ".join(f"{safe(k)} {v}" for k, v in info[key].items())))
    for stage, run in (info.get("runs") or {}).items():
        if run:
            counts = ", ".join(f"{k} {v}" for k, v in run["stats"].items() if isinstance(v, int | float))
            _console.print(Text(f"last {stage}: {run['finished']}: {counts}", style="dim"))
    for d in info.get("failed_documents", []):
        _console.print(Text(f"{d['status']}: {d['doc_id']} {safe(d['url'])}: {safe(d['error'])}"))
    for f in info.get("failures", []):
        _console.print(Text(f"fetch failed: {safe(f['url'])}: {safe(f['error'])}"))
