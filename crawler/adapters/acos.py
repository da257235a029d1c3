"""`acos`: the classic ACOS Innsyn meeting portal (`wfinnsyn.ashx`, documents `wfdocument.ashx`).

A budget meeting's record is kept whole: its summons and protocol when the meeting was linked
from a budget page or its agenda has a budget item, and of the agenda the budget items'
documents, whether they stand on the meeting page (Bærum's skin) or on each item's own page
(`response=motesak`, Asker's skin). Budget meetings nobody linked are found in each
committee's meeting plan (`plan`, by the committee's portal id, per year with `{year}`) and
by following a plan's pager ("Neste side", "« Forrige år").

Options (`[[platforms]] kind = "acos"`, or an older file's `[meeting_portal]`): `start_urls` (the
portal's entry page), `meeting`, `agenda_item`, `document`, `plan_page` (patterns of its pages),
`plan` (a committee's meeting plan, `{id}` and `{year}`), `years` ([first, last]), `budget_item`
(patterns of a budget item's title); committees' portal ids in `ids = { acos = [...] }`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

from catalog.models import Link
from crawler.adapters.base import Adapter, Answer, DocumentLink, Probe, Visited
from crawler.context import extract_links
from crawler.meeting_page import parse_meeting

# The pager of a paginated meeting plan: "Neste side ›", "Next", "»", "2", "« Forrige år".
PAGER = re.compile(r"^\s*(neste|next|eldre|forrige|tidligere|previous|›|»|«|‹|\d{1,3}\s*$)", re.I)
MAX_PLAN_PAGES = 20
ACOS_MARKERS = re.compile(rb"wfinnsyn\.ashx|wfdocument\.ashx", re.I)


def same_path(url: str, other: str) -> bool:
    a, b = urlsplit(url), urlsplit(other)
    return (a.netloc, a.path) == (b.netloc, b.path)


class AcosAdapter(Adapter):
    kind = "acos"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.plan_folders: set[str] = set()

    def start(self) -> Iterator[Any]:
        for url in self.platform.strings("start_urls"):
            yield self.fetch(url, "portal", depth=0)

    def claims(self, url: str) -> bool:
        s = self.source
        return bool(s.meeting_page.search(url) or s.agenda_item.search(url) or s.plan_page.search(url))

    def follow(self, url: str, context: dict[str, Any], depth: int, *, snapshot: str | None = None,
               page_url: str = "") -> Iterator[Any]:
        s = self.source
        if s.agenda_item.search(url):
            yield self.fetch(url, "item", depth=depth, meta={"via": context})
        elif s.meeting_page.search(url):
            yield self.fetch(url, "meeting", depth=depth, meta={"via": context})
        else:
            yield self.fetch(url, "plan", depth=depth, quiet=True)

    # --- pages --------------------------------------------------------------------------

    def portal(self, answer: Answer) -> Iterator[Any]:
        """The portal's entry page (the list of committees): every meeting plan and meeting it links."""
        yield Visited(answer.url)
        _, links = extract_links(answer.markup(), answer.final_url)
        for lc in links:
            if not self.env.allowed(lc.url):
                continue
            if self.source.plan_page.search(lc.url):
                yield self.fetch(lc.url, "plan", depth=self.source.max_depth, quiet=True)
            elif self.source.meeting_page.search(lc.url):
                yield self.fetch(lc.url, "meeting", depth=self.source.max_depth, meta={"from_plan": True})
        yield from self.plans(answer.final_url)

    def plan(self, answer: Answer) -> Iterator[Any]:
        """A committee's meeting plan: its meetings, and its other pages (next page, other years)."""
        yield Visited(answer.url)
        _, links = extract_links(answer.markup(), answer.final_url)
        pages_read = answer.meta.get("plan_page", 1)
        for lc in links:
            url = lc.url
            if not self.env.allowed(url):
                if self.source.meeting_page.search(url):
                    self.env.not_allowed(url)
                continue
            if self.source.meeting_page.search(url):
                yield self.fetch(url, "meeting", depth=self.source.max_depth, meta={"via": lc.context, "from_plan": True})
            elif PAGER.match(lc.text) and pages_read < MAX_PLAN_PAGES and same_path(url, answer.url):
                yield self.fetch(url, "plan", depth=self.source.max_depth, quiet=True,
                                 meta={"plan_page": pages_read + 1})

    def meeting(self, answer: Answer) -> Iterator[Any]:
        snapshot = answer.snapshot
        yield Visited(answer.url, snapshot)
        s = self.source
        meeting = parse_meeting(answer.markup(), answer.final_url if not snapshot else answer.url, s.meeting_document,
                                s.agenda_item)
        budget_items = [i for i in meeting.items if self.budget(i)]
        from_plan = bool(answer.meta.get("from_plan"))
        if not snapshot:
            yield from self.plans(answer.url)
        facts = {"title": meeting.title, "committee": meeting.committee, "date": meeting.date}
        for doc in meeting.documents:
            # A budget meeting's whole record: its summons and protocol when it was linked from a
            # budget page or its agenda has a budget item; of the agenda, the budget items.
            keep = (doc.section in ("protokoll", "innkalling") and (budget_items or not from_plan)) or (
                doc.section == "item" and self.budget(doc.item)
            )
            if not keep:
                continue
            context = self.context(doc.text, facts, doc.section, doc.section_title, doc.item or " / ".join(budget_items),
                                   answer.meta.get("via") or {})
            yield from self.document(doc.url, answer.url, doc.text, context, snapshot)
        for page in meeting.item_pages:
            if self.budget(page.item) and self.env.allowed(page.url):
                yield self.fetch(page.url, "item", depth=answer.depth + 1,
                                 meta={"meeting": facts, "item": page.item, "via": answer.meta.get("via") or {}})

    def item(self, answer: Answer) -> Iterator[Any]:
        """An agenda item's own page: its documents belong to the item (and its meeting)."""
        yield Visited(answer.url)
        s = self.source
        page = parse_meeting(answer.markup(), answer.final_url, s.meeting_document)
        facts = dict(answer.meta.get("meeting") or {})
        for key in ("committee", "date", "title"):  # linked from a CMS page, not from its meeting
            facts[key] = facts.get(key) or getattr(page, key)
        item = answer.meta.get("item") or (page.items[0] if page.items else page.title)
        if not self.budget(item):
            return
        for doc in page.documents:
            context = self.context(doc.text, facts, "item", "", item, answer.meta.get("via") or {})
            yield from self.document(doc.url, answer.url, doc.text, context, None)

    # --- helpers ------------------------------------------------------------------------

    @staticmethod
    def context(text: str, facts: dict[str, Any], section: str, section_title: str, item: str,
                via: dict[str, Any]) -> dict[str, Any]:
        return {
            "link_text": text,
            "page_title": facts.get("title") or "",
            "meeting": {"title": facts.get("title") or "", "committee": facts.get("committee") or "",
                        "date": facts.get("date"), "section": section, "section_title": section_title, "item": item},
            "via": via,
        }

    def document(self, url: str, page_url: str, text: str, context: dict[str, Any],
                 snapshot: str | None) -> Iterator[Any]:
        url = self.env.live(url)
        if not self.env.allowed(url):
            self.env.not_allowed(url)
            return
        if snapshot:
            self.env.snapshot_of.setdefault(url, snapshot)
        yield DocumentLink(url, Link(url, page_url, text, context, snapshot))

    def plans(self, meeting_url: str) -> Iterator[Any]:
        """Each committee's meeting plan in this portal, once: budget meetings nobody linked."""
        template = self.source.meeting_plan
        if not template:
            return
        folder = meeting_url.split("?", 1)[0].rsplit("/", 1)[0] + "/"
        if folder in self.plan_folders:
            return
        self.plan_folders.add(folder)
        years = self.source.plan_years if "{year}" in template else (None,)
        for committee in self.source.vocabulary.committees:
            for pid in committee.ids_on("acos"):
                for year in years:
                    url = folder + template.format(id=pid, year=year)
                    if self.env.allowed(url):
                        yield self.fetch(url, "plan", depth=self.source.max_depth, quiet=True)

    def budget(self, text: str) -> bool:
        return any(p.search(text) for p in self.source.budget_item)

    @classmethod
    def detect(cls, probe: Probe) -> str | None:
        if "wfinnsyn.ashx" in probe.url.lower():
            return "the address is an ACOS Innsyn portal's (wfinnsyn.ashx)"
        found = ACOS_MARKERS.findall(probe.body)
        if found:
            names = sorted({f.decode().lower() for f in found})
            times = "once" if len(found) == 1 else f"{len(found)} times"
            return f"the page links {times} to an ACOS Innsyn portal ({', '.join(names)})"
        return None
