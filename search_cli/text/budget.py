"""The budget model on the terminal: a line's series through the years, municipalities side by
side, and what changed between the stages of one budget (endringer)."""

from __future__ import annotations

from typing import Any

from rich.table import Table as RichTable
from rich.text import Text

from present import labels
from present.cells import safe
from search_cli.messages import _, gettext, language, ngettext, num
from search_cli.text import console


def print_series(found: Any, picked: bool = False) -> None:
    """Per (table family, line): the adopted budget year by year with the change and a bar, the
    plans' projections (forslag → innstilling → vedtak), the accounts apart. Which families the
    label stands in comes first, so `--table` can pick one. Marks: ≠ the documents disagree
    (each source named), * taken from a later plan's column (the year's own plan is missing)."""
    from budget import family_name
    from present.budget import change, figure
    lang = language()
    names = ", ".join(f"{family_name(f, lang)} ({f})" for f in found.families)
    console.print(Text(ngettext("«{label}» stands in {n} table family: {names}",
                                 "«{label}» stands in {n} table families: {names}", len(found.families),
                                 label=safe(found.label), names=names), style="bold"))
    if len(found.families) > 1 and not picked:
        console.print(Text(_("One series per family and line; pick one with --table FAMILY."), style="dim"))
    marks = False
    several = len({ln.kommune for ln in found.lines}) > 1  # then each series names its municipality
    for ln in found.lines:
        console.print()
        title = f"{safe(ln.line)} — {safe(family_name(ln.family, lang) if ln.family != 'annet' else ln.family_name)}"
        if several and ln.kommune:
            title += f" — {safe(ln.kommune)}"
        console.print(Text(f"{title} ({safe(ln.unit or _('unit unknown'))})", style="bold"))
        for r in ln.renamed[:1]:
            console.print(Text("  " + _("formerly «{old}» ({doc_id}, p. {page})", old=safe(r["old"]),
                                         doc_id=r["doc_id"], page=r["page"]), style="dim"))
        peak = max((abs(f.value) for f in ln.adopted + ln.regnskap if f.value is not None), default=0) or 1
        decimals = max(1, ln.decimals)  # as printed, and at least one: "587 100,0"
        for title_, figs in ((_("Adopted budget (kommunestyrets vedtak for the year)"), ln.adopted),
                             (_("Accounts (regnskap)"), ln.regnskap), (_("Revised budget (revidert)"), ln.revidert)):
            if not figs:
                continue
            console.print(Text("  " + title_))
            for f in figs:
                mark = " *" if f.repeated else ""
                if f.conflict:
                    marks = True
                    seen = " / ".join(f"{figure(p.value, lang, decimals)} ({safe(p.title or p.doc_id)}, {_('p.')} {p.page})"
                                      for p in f.conflict)
                    console.print(Text(f"    {f.year}  ≠ {seen}", style="yellow"))
                    continue
                bar = "█" * max(1, round(20 * abs(f.value) / peak))
                src = f.sources[0]
                where = f"{safe(src.title or src.doc_id)}, {_('p.')} {src.page}"
                marks = marks or f.repeated
                console.print(Text(f"    {f.year}  {figure(f.value, lang, decimals):>14}{mark:<2} {change(f.change, lang):>9}  "
                                    f"{bar:<20}  {where}"))
        if ln.projections:
            console.print(Text("  " + _("The plan years as each plan projected them (f forslag → i innstilling → "
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
                console.print(Text(f"    {period}  " + "   ".join(cells)))
                for stage, figs in stages.items():
                    for fig in figs:
                        if fig.conflict:
                            marks = True
                            seen = " / ".join(f"{figure(p.value, lang, decimals)} ({safe(p.title or p.doc_id)}, "
                                              f"{_('p.')} {p.page})" for p in fig.conflict)
                            console.print(Text(f"      ≠ {fig.year} {stage}: {seen}", style="yellow"))
    if marks:
        console.print()
        console.print(Text(_("≠ the documents disagree and no rule settles it: every value is shown with its "
                              "source. * from a later plan's column (last year's budget): the year's own adopted plan does not "
                              "print the line, or is not in the archive."), style="dim"))


def print_comparison(c: Any) -> None:
    """A year per row, a municipality per column: kroner per inhabitant where its documents state
    the inhabitants, else the absolute figure marked so; then where each inhabitant count stands."""
    console.print(Text(_("{label}, side by side: {kommuner}", label=safe(c.label),
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
    console.print(table)
    for k in c.kommuner:
        for f in k.figures:
            i = f.inhabitants_from
            if i is not None:
                console.print(Text("  " + _("{kommune} {year}: {n} inhabitants, «{label}» in {title} ({doc}), p. {page}",
                                             kommune=safe(k.kommune), year=f.year, n=num(i.value), label=safe(i.label),
                                             title=safe(i.title or i.doc_id), doc=i.doc_id, page=i.page), style="dim"))
        for note in k.notes:
            console.print(Text("  " + safe(note.translated(gettext)), style="yellow"))
    for note in c.notes:
        console.print(Text(safe(note.translated(gettext)), style="dim"))

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
    console.print(Text(_("What changed in the budget {period}: forslag → innstilling → vedtak (mill. kr)",
                          period=found.period), style="bold"))
    for s in found.stages:
        status = "" if s.status == "ok" else f"  [{_('not readable')}: {labels.status_name(s.status, gettext)}]"
        console.print(Text(f"  {s.stage:<12} {_date(s.date):<10}  {safe(s.title or s.doc_id)}  ({s.doc_id}){status}"))
        console.print(Text(f"  {'':<12} {'':<10}  {safe(s.url)}", style="dim"))
    for stage in (s for s in found.missing if not any(d.stage == s for d in found.stages)):  # unreadable ones are named above
        console.print(Text(f"  {stage:<12} {_('no document in the archive')}", style="dim"))
    for family in RECOGNISED:
        lines = [ln for ln in found.lines if ln.family == family]
        if not lines:
            continue
        changed = sorted((ln for ln in lines if ln.changed), key=lambda ln: (-size_of_change(ln), ln.label, ln.year))
        conflicts = [ln for ln in lines if ln.conflict]
        console.print()
        console.print(Text(family_name(family, lang), style="bold"))
        width = min(48, max((len(ln.label) for ln in changed), default=10))
        for ln in changed:
            label = safe(ln.label if len(ln.label) <= width else ln.label[:width - 1] + "…")
            vote = ""
            if ln.votes:
                v = ln.votes[-1]
                count = f" {v['vote']['for']}–{v['vote']['against']}" if v["vote"]["for"] is not None else ""
                vote = "  " + _("adopted: {text}", text=safe(f"{v['vote']['motion'] or v['proposal_by']}{count}"
                                                            f" ({v['committee']} {v['case']})"))
            console.print(Text(f"  {label:<{width}}  {ln.year}  {_stage_values(ln):<34} {_change(ln)}{vote}"))
        for ln in conflicts:
            stage = next(iter(ln.conflicts))
            seen = " / ".join(f"{c['text']} (s. {c['page']}, {safe(c['caption'] or '')})" for c in ln.conflicts[stage])
            console.print(Text("  ≠ " + _("{label} {year}, {stage}: the documents disagree: {values}",
                                           label=safe(ln.label), year=ln.year, stage=stage, values=seen),
                                style="yellow"))
        rest = len(lines) - len(changed)
        if rest:
            console.print(Text("  " + ngettext("{n} line unchanged", "{n} lines unchanged", rest), style="dim"))
    if found.lines:
        console.print()
        console.print(Text(_("Marks: · the stage's documents have no table with this line; – the table has no such "
                              "line (added or dropped); ≠ the documents disagree and no rule settles it: both values "
                              "are shown with their pages. Figures are the stage documents' own; a notat or an answer "
                              "that quotes them never counts."), style="dim"))
    d = found.decisions
    if any(d[k] for k in ("added", "dropped", "changed")):
        console.print()
        console.print(Text(_("Text decisions, innstilling → vedtak"), style="bold"))
        for x in d["added"]:
            console.print(Text(f"  + {_point(x)}: {safe(x['text'])}", style="green"))
        for x in d["dropped"]:
            console.print(Text(f"  − {_point(x)}: {safe(x['text'])}", style="red"))
        for x in d["changed"]:
            line = Text(f"  ~ {_point(x['after'] | {'kind': x['kind']})}: ")
            for run in x["diff"]:
                if run["op"] == "equal":
                    line.append(safe(run["text"]) + " ")
                elif run["op"] == "delete":
                    line.append("[-" + safe(run["text"]) + "-] ", style="red strike")
                else:
                    line.append("{+" + safe(run["text"]) + "+} ", style="green")
            console.print(line)
    stale = [q for q in found.quoted if q["outdated"]]
    if stale:
        console.print()
        console.print(Text(_("Quoted figures that later stages changed"), style="bold"))
        from present.budget import mill

        for q in stale:
            console.print(Text("  " + _("{title}, p. {page}: {label} {year} {value} ({stage}); {latest}: {now}",
                                         title=safe(q["title"] or q["doc_id"]), page=q["page"], label=safe(q["label"]),
                                         year=q["year"], value=mill(q["value_kr"], lang), stage=q["quotes_stage"],
                                         latest=q["latest_stage"], now=mill(q["latest_kr"], lang))))


def _point(x: dict[str, Any]) -> str:
    where = f"{x.get('section') or _('verbal decision')} {x.get('number') or ''}"
    return f"{where.strip()} ({x['doc_id']} s. {x.get('page')})"
