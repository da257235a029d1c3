"""The archive on the terminal: what it holds, its last runs and its failures (`status`)."""

from __future__ import annotations

from typing import Any

from rich.text import Text

from present import labels
from present.cells import safe
from present.numbers import when
from search_cli.messages import N_, _, gettext, ngettext, num
from search_cli.text import console

STATUS_LABELS = {"by_status": N_("status"), "by_year": N_("years"), "by_doctype": N_("types"), "by_committee": N_("committees"),
                 "by_kommune": N_("municipalities")}
_STATUS_VALUE = {"by_status": lambda k: labels.status_name(k, gettext),
                 "by_doctype": lambda k: labels.doctype_name(k) if k != "-" else "-",
                 "by_committee": lambda k: labels.committee_name(k) if k != "-" else _("no committee")}


def print_status(info: dict[str, Any]) -> None:
    """What the archive holds, its last runs and its failures: every count a number in the run's
    language, every key and reason a word (no `pages_visited`, no `no_text`)."""
    console.print(Text(_("data dir: {path}", path=info["data_dir"]), style="bold"))
    console.print(Text(_("documents: {n} ({superseded} superseded versions kept), pages: {pages}",
                          n=num(info["documents"]), superseded=num(info.get("superseded_versions", 0)),
                          pages=num(info.get("pages", 0)))))
    engine = info.get("engine") or {}
    if engine.get("error"):
        console.print(Text(_("search engine: {error}", error=safe(engine["error"])), style="bold red"))
    elif engine.get("name") == "opensearch":
        console.print(Text(_("search engine: OpenSearch at {urls}, index {index}", urls=safe(",".join(engine["urls"])),
                              index=safe(engine["index"]))))
    for key, label in STATUS_LABELS.items():
        if info.get(key):
            name = _STATUS_VALUE.get(key, safe)
            console.print(Text(f"{_(label)}: " + ", ".join(f"{name(k)} {num(v)}" for k, v in info[key].items())))
    dec = info.get("decisions")
    if dec:
        console.print(Text(_("decisions: {n} ({kinds}), votes: {votes}, vote statements not parsed (kept as printed): "
                              "{unparsed}", n=num(dec["decisions"]),
                              kinds=", ".join(f"{k} {num(v)}" for k, v in dec["by_kind"].items()),
                              votes=num(dec["votes"]), unparsed=num(dec["unparsed_votes"]))))
        if dec.get("votes_with_warning"):
            console.print(Text(ngettext("{n} vote kept with a warning (its count disagrees with its parties)",
                                         "{n} votes kept with a warning (their count disagrees with their parties)",
                                         dec["votes_with_warning"])))
    for stage, run in (info.get("runs") or {}).items():
        if run:
            counts = ", ".join(f"{name} {value}" for name, value in labels.run_counts(run["stats"], gettext, num))
            console.print(Text(_("last {stage}: {finished}: {counts}", stage=labels.stage_name(stage, gettext),
                                  finished=when(run["finished"]), counts=counts), style="dim"))
    for d in info.get("failed_documents", []):
        console.print(Text(f"{labels.status_name(d['status'], gettext)}: {d['doc_id']} {safe(d['url'])}: "
                            f"{labels.reason(d['error'], gettext)}"))
    for f in info.get("failures", []):
        console.print(Text(_("fetch failed: {url}: {error}", url=safe(f["url"]),
                              error=labels.reason(f["error"], gettext))))
