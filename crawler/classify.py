"""Decide year, period, committee, doctype, date and title of a document: the whole policy.

`decide()` is the one entry point: the links to a document, its URL, its first page and the
vocabulary in; a `Classification` out. Each field is taken from the most specific place that says
something about it (the link text, then the paragraph, the accordion title, the headings, the
page, the URL) and keeps a provenance note such as `heading "Hovedutvalg bistand og omsorg"`,
so a user can see why. When the context is silent, the document's first page decides.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol
from urllib.parse import unquote, urlsplit

from catalog.dates import document_date
from crawler.context import clean_link_text, find_periods, one_line
from crawler.facts import platform_facts
from crawler.finders import OWN_PROPOSAL, find_committee, find_date, find_doctype, is_generic
from crawler.title import (
    confirmed_title,
    extends,
    is_type_word,
    is_weak_title,
    meeting_record_title,
    title_from_text,
)
from sources import Vocabulary, name_key

BUDGET_YEAR = re.compile(
    r"(?:budsjett(?:et|år|året)?|årsbudsjett(?:et)?|budget)\s+(?:for\s+)?(20\d\d)(?![\d-])", re.I
)
# A report on a calendar year, whatever plan period's page links it: "Økonomimelding II 2020",
# "Årsrapport 2019", "årsberetning for 2019", "KOSTRA-analyse 2020" (matched on folded text).
CALENDAR_REPORT = re.compile(
    r"(?<![a-z])(okonomimelding|tertialrapport|arsrapport|arsberetning|arsmelding|kostra)"
    r"[^.:;!?]{0,40}?(?<!\d)((?:19|20)\d\d)(?!\d)(?!\s*[-–—]\s*\d)"
)
MAIN_RULES = {"forslag": None, "innstilling": "formannskapet", "vedtak": "kommunestyret"}

Levels = list[tuple[str, str]]


def _quote(text: str, limit: int = 90) -> str:
    text = one_line(text)
    return f'"{text[:limit]}…"' if len(text) > limit else f'"{text}"'


def url_words(url: str) -> str:
    """The URL path as words: "/hp-2021-2024/vedtatt_budsjett.pdf" -> "hp 2021-2024 vedtatt budsjett pdf"."""
    parts = urlsplit(url)
    text = unquote(parts.path + " " + parts.query)
    return re.sub(r"[/_+=&?.]+", " ", text)


def context_levels(ctx: dict[str, Any], url: str = "") -> Levels:
    """The context of one link as (place, text) pairs, most specific first."""
    levels: Levels = []

    def add(place: str, text: Any) -> None:
        if isinstance(text, str) and one_line(text):
            levels.append((place, one_line(text)))

    meeting = ctx.get("meeting") or {}
    add("link text", ctx.get("link_text"))
    add("link title", ctx.get("title_attr"))
    add("agenda item", meeting.get("item"))
    add("paragraph", ctx.get("block"))
    add("label", ctx.get("label"))
    for t in ctx.get("containers", []):
        add("heading", t)
    add("section text", ctx.get("section_text"))
    for t in reversed(ctx.get("headings", [])):
        add("heading", t)
    add("meeting", meeting.get("title"))
    via = ctx.get("via") or {}
    if via:
        for place, text in context_levels({k: v for k, v in via.items() if k != "via"}):
            if place not in ("page title", "url"):
                levels.append((f"meeting link {place}", text))
    add("page title", ctx.get("h1"))
    add("page title", ctx.get("page_title"))
    add("page period", ctx.get("page_period") or ctx.get("period"))
    if url:
        add("url", url_words(url))
    return levels


# --- the classifier ------------------------------------------------------------------------


def classify(ctx: dict[str, Any], url: str, vocab: Vocabulary) -> tuple[dict[str, Any], dict[str, str]]:
    """Classify one link's target from its context. Undecided fields are None."""
    levels = context_levels(ctx, url)
    meeting = ctx.get("meeting") or {}
    meta: dict[str, Any] = dict.fromkeys(("title", "year", "period", "committee", "doctype", "date"))
    prov: dict[str, str] = {}

    # doctype: the protocol of a meeting is a protocol whatever it is called
    if meeting.get("section") == "protokoll":
        meta["doctype"], prov["doctype"] = "protokoll", f'meeting section {_quote(meeting.get("section_title") or "Møteprotokoll")}'
    elif meeting.get("section") == "innkalling":  # a summons is no process document of its own kind
        meta["doctype"], prov["doctype"] = "annet", f"meeting summons {_quote(ctx.get('link_text') or 'Møteinnkalling')}"
    else:
        for place, text in levels:
            found = find_doctype(text, vocab)
            if found:
                meta["doctype"], prov["doctype"] = found[0].slug, f"{place} {_quote(text)}"
                break

    # period and year
    _decide_period(levels, meta, prov)
    if meta["doctype"] == "innspill" and OWN_PROPOSAL.search(prov.get("doctype", "")) and meta["period"]:
        # A committee's own budget proposal (e.g. for kontroll og tilsyn) is for one budget year.
        meta["period"] = None
        prov["period"] = "rule: a committee's own budget proposal covers one budget year"

    # committee: the meeting's Utvalg, else the rule for the main documents, else the context
    if meeting.get("committee"):
        c = find_committee(meeting["committee"], vocab)
        if c:
            meta["committee"], prov["committee"] = c.slug, f"meeting Utvalg {_quote(meeting['committee'])}"
    if meta["committee"] is None and not meeting and meta["doctype"] in MAIN_RULES:
        slug = MAIN_RULES[meta["doctype"]]
        if slug and vocab.committee(slug):
            meta["committee"], prov["committee"] = slug, f"rule: {meta['doctype']} -> {slug}"
        elif slug is None:
            prov["committee"] = "rule: forslag has no committee"
    elif meta["committee"] is None:
        for place, text in levels:
            if place == "url" or place.startswith("meeting link"):
                continue
            c = find_committee(text, vocab)
            if c:
                meta["committee"], prov["committee"] = c.slug, f"{place} {_quote(text)}"
                break

    # date: the meeting's Dato, else a date written next to the link
    if meeting.get("date"):
        meta["date"], prov["date"] = meeting["date"], f"meeting Dato {_quote(meeting['date'])}"
    else:
        for place, text in levels:
            if place in ("link text", "link title", "paragraph", "label"):
                d = find_date(text)
                if d:
                    meta["date"], prov["date"] = d, f"{place} {_quote(text)}"
                    break

    if meta["year"] is None and meeting.get("date"):
        meta["year"], prov["year"] = int(meeting["date"][:4]), f"meeting Dato {_quote(meeting['date'])}"

    meta["title"], prov["title"] = _title(ctx, levels)
    return meta, prov


def _decide_period(levels: Levels, meta: dict[str, Any], prov: dict[str, str]) -> None:
    period_at = year_at = None
    for i, (place, text) in enumerate(levels):
        if period_at is None and (periods := find_periods(text)):
            s, e, _ = periods[0]
            period_at = i
            meta["period"], prov["period"] = f"{s}-{e}", f"{place} {_quote(text)}"
        if year_at is None and (m := BUDGET_YEAR.search(text)) and place != "url":
            year_at = i
            budget_year, year_place = int(m.group(1)), f"{place} {_quote(text)}"
    if year_at is not None and (period_at is None or year_at < period_at):
        if meta["period"] and int(meta["period"][:4]) != budget_year:
            meta["period"], prov["period"] = f"{budget_year}-{budget_year + 3}", f"from budget year: {year_place}"
        meta["year"], prov["year"] = budget_year, year_place
    elif meta["period"]:
        meta["year"], prov["year"] = int(meta["period"][:4]), prov["period"]
    if meta["year"] and not meta["period"] and meta["doctype"] in MAIN_RULES:
        y = meta["year"]
        meta["period"], prov["period"] = f"{y}-{y + 3}", f"from budget year: {prov['year']}"


def _title(ctx: dict[str, Any], levels: Levels) -> tuple[str | None, str]:
    meeting = ctx.get("meeting") or {}
    text = ctx.get("link_text") or ""
    if text and not is_generic(text):
        return text, "link text"
    for place, candidate in levels:
        if place in ("link title", "agenda item", "paragraph", "heading") and not is_generic(candidate):
            candidate = clean_link_text(candidate)
            if len(candidate) <= 200:
                return candidate, place
    if meeting.get("title"):
        return meeting["title"], "meeting"
    return (text or None), "link text"


def fill_from_text(
    meta: dict[str, Any], prov: dict[str, str], text: str, vocab: Vocabulary, place: str = "from first page",
    committee: bool = True,
) -> list[str]:
    """Fill the still-undecided fields from the document's own first pages. Returns the filled fields.

    `committee=False` when the link's context was telling but named no committee: a collected
    document (all committees' questions) then mentions committees without belonging to one.
    """
    reading = document_date(text)  # by its lines: a dateline, "Dato: …", a title line ending in a date
    text = one_line(text)[:4000]
    if not text:
        return []
    filled: list[str] = []
    head = text[:600]
    if meta.get("doctype") is None and (found := find_doctype(head, vocab)):
        meta["doctype"], prov["doctype"] = found[0].slug, f"{place} {_quote(found[1])}"
        filled.append("doctype")
    if meta.get("period") is None and (periods := find_periods(head)):
        s, e, pos = periods[0]
        meta["period"], prov["period"] = f"{s}-{e}", f"{place} {_quote(head[max(0, pos - 30):pos + 30])}"
        filled.append("period")
        if meta.get("year") is None:
            meta["year"], prov["year"] = s, prov["period"]
            filled.append("year")
    if meta.get("year") is None and (m := BUDGET_YEAR.search(head)):
        meta["year"], prov["year"] = int(m.group(1)), f"{place} {_quote(m.group(0))}"
        filled.append("year")
    if not committee or "committee" in prov:
        pass
    elif meta.get("committee") is None and meta.get("doctype") not in MAIN_RULES:
        c = find_committee(head, vocab)
        if c:
            meta["committee"], prov["committee"] = c.slug, f"{place} {_quote(c.name)}"
            filled.append("committee")
    elif meta.get("committee") is None and MAIN_RULES.get(meta.get("doctype") or "") is not None:
        slug = MAIN_RULES[meta["doctype"]]
        meta["committee"], prov["committee"] = slug, f"rule: {meta['doctype']} -> {slug}"
        filled.append("committee")
    if meta.get("date") is None and reading is not None and "date" not in prov:
        meta["date"], prov["date"] = reading.date, f"{place} {_quote(reading.printed)}" + (
            "" if reading.date else " (no such date)")  # printed where its date stands, but no day: left empty
        if reading.date:
            filled.append("date")
    if not meta.get("title") or is_generic(meta["title"]):
        first_line = head[:120].strip()
        if first_line:
            meta["title"], prov["title"] = first_line, place
            filled.append("title")
    return filled


def apply_defaults(meta: dict[str, Any], prov: dict[str, str]) -> None:
    """Last defaults: an unknown doctype is `annet`; a dated document without a year gets the date's."""
    if meta.get("doctype") is None:
        meta["doctype"], prov["doctype"] = "annet", "default: nothing in the context or first page"
    if meta.get("year") is None and meta.get("date"):
        meta["year"], prov["year"] = int(meta["date"][:4]), f"year of date {meta['date']}"


# --- the policy: every link, the URL and the first page -> one decision --------------------

FIELDS_FROM_CONTEXT = ("doctype", "year", "period", "committee")


class HasContext(Protocol):
    """A link as the catalog stores it (`catalog.Link`): only its context matters here."""

    context: dict[str, Any]


@dataclass
class Classification:
    """A document's metadata and, per decided field, the evidence that decided it."""

    meta: dict[str, Any]
    provenance: dict[str, str]


def is_silent(ctx: dict[str, Any]) -> bool:
    """A link whose surroundings say nothing specific ("pdf" alone in an unlabelled box)."""
    if ctx.get("meeting"):
        return False
    text = ctx.get("link_text") or ""
    block = ctx.get("block") or ""
    return is_generic(text) and (not block or is_generic(block)) and not ctx.get("label") \
        and not ctx.get("title_attr")


def decide(links: Sequence[HasContext], url: str, first_page: str, vocab: Vocabulary, *,
           filename: str = "", pdf_title: str = "") -> Classification:
    """Classify one document from everything known about it. Pure: no I/O.

    `first_page` is the text of its first pages ("" when it has none, e.g. not a PDF);
    `filename` the name the server gave it (Content-Disposition), "" when none; `pdf_title` the
    PDF's /Title, used only where its first page prints it.
    The rules, in order: links with a telling context come first and decide; other links only
    fill gaps, and only when they agree on doctype and period; a weak title gives way to the
    first page's heading; when every link is silent the first page decides the context fields;
    otherwise the first page only fills what is still undecided (never the committee); a
    calendar-year report's own title beats the section it stands in; then the defaults.
    """
    results = [(*classify(link.context, url, vocab), is_silent(link.context)) for link in links]
    if not results:
        results = [(*classify({}, url, vocab), True)]
    results.sort(key=lambda r: r[2])  # links with a telling context first (stable otherwise)
    meta, prov, silent = dict(results[0][0]), dict(results[0][1]), results[0][2]
    for other, other_prov, _ in results[1:]:
        if other.get("doctype") not in (None, meta.get("doctype")) or other.get("period") not in (
            None, meta.get("period")
        ):
            continue  # another document's context (a different type or plan period): do not mix
        for key, value in other.items():
            if meta.get(key) is None and key not in prov and value is not None:
                meta[key], prov[key] = value, other_prov.get(key, "")
    weak_title = is_weak_title(meta.get("title"), prov.get("title"), vocab)
    needs_text = silent or weak_title or any(meta.get(f) is None for f in FIELDS_FROM_CONTEXT + ("date",))
    text = first_page if needs_text else ""
    printed = confirmed_title(pdf_title, first_page) if first_page else None
    own = printed or (title_from_text(first_page) if first_page else None)
    # A link text that only names a kind ("Saksframlegg", "Møteprotokoll") is true of every such document.
    type_word = bool(meta.get("title")) and is_type_word(meta["title"], vocab)
    if (weak_title or type_word) and (named := meeting_record_title(links, meta.get("title"))):
        meta["title"], prov["title"] = named, f"the meeting's record: link text, Utvalg and Dato (the link said {meta.get('title')!r})"
    elif text and weak_title and own:
        meta["title"], prov["title"] = own, f"first page (the link said {meta.get('title')!r})"
    elif not weak_title and printed and (type_word or extends(printed, meta["title"])):
        meta["title"], prov["title"] = printed, f"the title it prints, which says more than the link ({meta['title']!r})"
    elif weak_title and (stem := _file_title(filename)):
        meta["title"], prov["title"] = stem, f"file name {_quote(filename)} (the link said {meta.get('title')!r})"
    if text and silent:
        _first_page_decides(meta, prov, text, vocab)
    elif text:
        fill_from_text(meta, prov, text, vocab, committee=False)
    _calendar_year(meta, prov, _own_titles(links, first_page, filename), first_page, vocab)
    platform_facts(meta, prov, links, vocab)
    _period_of_budget_case(meta, prov)
    apply_defaults(meta, prov)
    for key, value in meta.items():  # titles may come from a PDF's metadata: no escapes
        if isinstance(value, str):
            meta[key] = one_line(value)
    return Classification(meta, {k: v for k, v in prov.items() if v})


# Documents of the budget case itself: a budget year means its four-year plan period.
PERIOD_TYPES = ("forslag", "innstilling", "vedtak", "saksframlegg")


def _period_of_budget_case(meta: dict[str, Any], prov: dict[str, str]) -> None:
    """A case document of budget year Y with no period named (and none decided against) is about
    the plan period Y..Y+3, as the main documents are (`_decide_period`)."""
    y = meta.get("year")
    if y and not meta.get("period") and "period" not in prov and meta.get("doctype") in PERIOD_TYPES:
        meta["period"], prov["period"] = f"{y}-{y + 3}", f"from budget year: {prov.get('year', y)}"


def _file_title(filename: str) -> str:
    """ "Innspel_fra_Naeringsradet.docx" -> "Innspel fra Naeringsradet" (not a bare number or hash)."""
    stem = re.sub(r"\.[A-Za-z0-9]{1,5}$", "", one_line(filename))
    stem = one_line(re.sub(r"[_+]+", " ", stem))
    return stem if len(stem) >= 8 and re.search(r"[^\W\d_]{3}", stem) else ""


def _own_titles(links: Sequence[HasContext], first_page: str, filename: str) -> Levels:
    """What names the document itself (not the section it stands in), most direct first."""
    titles: Levels = []
    for link in links:
        ctx = link.context
        named = [(place, value) for place, key in (("link text", "link_text"), ("link title", "title_attr"))
                 if (value := one_line(ctx.get(key))) and not is_generic(value)]
        # The paragraph speaks for the document only when the link itself says nothing ("Last ned"):
        # otherwise "… Se også årsrapporten 2019." would make a budget a calendar-year report.
        if not named and (block := one_line(ctx.get("block"))) and not is_generic(block):
            named.append(("paragraph", block))
        titles += named
    if first_page and (own := title_from_text(first_page)):
        titles.append(("first page", own))
    if filename:
        titles.append(("file name", filename))
    return titles


def _calendar_year(meta: dict[str, Any], prov: dict[str, str], titles: Levels, first_page: str,
                   vocab: Vocabulary) -> None:
    """A calendar-year report (Økonomimelding, Årsrapport, KOSTRA-analyse): its own title is stronger
    evidence than the plan period's section it is linked from. The year is the title's; the period
    is set only when the document names one; the doctype is `annet` unless the title names a
    process type. The provenance says which evidence lost."""
    found = next(((place, text, m) for place, text in titles if (m := CALENDAR_REPORT.search(name_key(text)))), None)
    if found is None:
        return
    place, text, m = found
    said = f"{place} {_quote(text)}"

    def lost(key: str, shown: Any) -> str:
        return f"; won over {prov[key]} = {shown}" if prov.get(key) and shown is not None else ""

    year = int(m.group(2))
    if meta.get("year") != year:
        prov["year"] = f"{said} (a calendar-year report{lost('year', meta.get('year'))})"
    meta["year"] = year
    own_period = next(((p, t) for p, t in [(place, text), ("first page", one_line(first_page)[:600])]
                       if find_periods(t)), None)
    if own_period:
        s, e, pos = find_periods(own_period[1])[0]
        if meta.get("period") != f"{s}-{e}":
            prov["period"] = f"{own_period[0]} {_quote(own_period[1][max(0, pos - 40):pos + 20])}" \
                             f" (named by the report itself{lost('period', meta.get('period'))})"
        meta["period"] = f"{s}-{e}"
    elif meta.get("period"):
        prov["period"] = f"none: a calendar-year report names no plan period{lost('period', meta['period'])}"
        meta["period"] = None
    named = find_doctype(text, vocab)
    doctype = named[0].slug if named else "annet"
    if meta.get("doctype") != doctype:
        prov["doctype"] = (f"{said} names it" if named else "rule: a calendar-year report is annet") \
            + lost("doctype", meta.get("doctype"))
        meta["doctype"] = doctype
    if prov.get("committee", "").startswith("rule:") and doctype not in MAIN_RULES:
        meta["committee"] = None  # the rule belonged to the doctype that lost
        prov.pop("committee")


def _first_page_decides(meta: dict[str, Any], prov: dict[str, str], text: str, vocab: Vocabulary) -> None:
    """A silent link: the document itself is the better witness; the context fills the rest."""
    decided, decided_prov = dict(meta), dict(prov)
    for key in FIELDS_FROM_CONTEXT:
        meta[key] = None
        prov.pop(key, None)
    fill_from_text(meta, prov, text, vocab)
    for key, value in decided.items():
        if meta.get(key) is None and value is not None and key not in prov:
            meta[key] = value
            if key in decided_prov:
                prov[key] = decided_prov[key]
