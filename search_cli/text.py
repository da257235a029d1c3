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
        if value is None or value == "":
            continue
        how = v.provenance.get(field)
        line = Text(f"{field:>13}: {safe(value)}")
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
        table = RichTable(title=f"{safe(v.title)} — s. {t.page}, tabell {t.index + 1}")
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
    dec = info.get("decisions")
    if dec:
        _console.print(f"decisions: {dec['decisions']} ("
                       + ", ".join(f"{k} {v}" for k, v in dec["by_kind"].items())
                       + f"), votes: {dec['votes']}, vote statements not parsed (kept as printed): "
                       f"{dec['unparsed_votes']}")
    for stage, run in (info.get("runs") or {}).items():
        if run:
            counts = ", ".join(f"{k} {v}" for k, v in run["stats"].items() if isinstance(v, int | float))
            _console.print(Text(f"last {stage}: {run['finished']}: {counts}", style="dim"))
    for d in info.get("failed_documents", []):
        _console.print(Text(f"{d['status']}: {d['doc_id']} {safe(d['url'])}: {safe(d['error'])}"))
    for f in info.get("failures", []):
        _console.print(Text(f"fetch failed: {safe(f['url'])}: {safe(f['error'])}"))


def print_decisions(records: list[dict[str, Any]], total: int | None = None) -> None:
    """One block per decision: date, committee, case, title and decision; then each vote on a line."""
    if total is not None:
        _console.print(Text(f"{total} decision(s)", style="bold"))
    for r in records:
        head = " · ".join(safe(x) for x in (r["date"], r["committee"], r["case"] or r["section"], r["title"]) if x)
        if r["kind"] == "tekstvedtak":
            head += f" · point {r['number']}"
        _console.print(Text(f"\n{head}", style="bold"))
        _console.print(Text(f"  {r['doc_id']} p. {r['pages'][0]}" + (f"-{r['pages'][1]}" if r["pages"][1] != r["pages"][0] else "")
                            + f"  {safe(r['url'])}", style="dim"))
        if r["recommendation"]:
            _console.print(Text(f"  {safe(r['recommendation_label'] or 'Innstilling')}: {safe(r['recommendation'])}"))
        for p in r["proposals"]:
            _console.print(Text(f"  Forslag fra {safe(p['by'])}: {safe(p['text'])}"))
        if r["decision"]:
            _console.print(Text(f"  {safe(r['decision_label'] or 'Vedtak')}: {safe(r['decision'])}"))
        for v in r["votes"]:
            _console.print(Text("  vote: " + vote_line(v)))


def vote_line(v: dict[str, Any]) -> str:
    """A vote on one line: motion, result, numbers and sides; an unparsed one as printed."""
    if not v["parsed"]:
        return f"NOT PARSED (as printed): {safe(v['text'])}"
    parts = [safe(v["motion"] or "(the recommendation)")]
    if v["alternative"]:
        parts.append(f"against {safe(v['alternative'])}")
    parts.append(v["result"] or "?")
    if v["unanimous"]:
        parts.append("unanimous")
    if v["for"] is not None or v["against"] is not None:
        parts.append(f"{'?' if v['for'] is None else v['for']}-{'?' if v['against'] is None else v['against']}")
    for side in ("for", "against"):
        names = v[f"parties_{side}"]
        if names:
            counts = v[f"counts_{side}"]
            parts.append(f"{side}: " + ", ".join(f"{counts[n]}{n}" if n in counts else n for n in names))
    return " · ".join(parts)
