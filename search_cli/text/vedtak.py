"""Vedtak on the terminal: each decision with its document and page, the proposals, and each vote
on a line (for `vedtak` and `show --vedtak`)."""

from __future__ import annotations

from typing import Any

from rich.text import Text

from present.cells import safe
from present.vedtak import heading, pages_label, sides, tally, warning_text
from search_cli.messages import _, gettext, ngettext, plain_ngettext
from search_cli.text import console


def print_vedtak(records: list[dict[str, Any]], total: int | None = None) -> None:
    """One block per vedtak: its heading (each part once), the document and page it stands on,
    the recommendation, proposals and decision; then each vote on a line."""
    if total is not None:
        console.print(Text(ngettext("{n} decision", "{n} decisions", total), style="bold"))
    for r in records:
        console.print(Text("\n" + " · ".join(heading(r, gettext)), style="bold"))
        document = safe(r.get("document_title")) or r["doc_id"]
        console.print(Text(f"  {document}, {pages_label(r, gettext)}  [{r['doc_id']}]  {safe(r['page_url'])}",
                            style="dim"))
        if r["recommendation"]:
            console.print(Text(f"  {safe(r['recommendation_label'] or 'Innstilling')}: {safe(r['recommendation'])}"))
        for p in r["proposals"]:
            console.print(Text("  " + _("Proposal by {by}: {text}", by=safe(p["by"]), text=safe(p["text"]))))
        if r["decision"]:
            console.print(Text(f"  {safe(r['decision_label'] or 'Vedtak')}: {safe(r['decision'])}"))
        for v in r["votes"]:
            console.print(Text("  " + _("vote: {vote}", vote=vote_line(v))))


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
