"""`opengov`: Tietoevry 360 OpenGov meeting pages (opengov.360online.com/Meetings/{ORG}).

Read as public scrapers of OpenGov read it (the landmarks: `div.meetingList`, `div.meetingDate`,
`div.filesList li[title] a`, `.detailContent p`, `div.accordionTitle h4`, `a#agendaItem_N`):
the organisation's boards, each board's meetings of every year asked for (other years than the
current one only behind `?Year=YYYY`, offered in a `<select>`, never as links), each meeting's
files and agenda items, and each budget item's files from the fragment the page loads by script
(`LoadAgendaItemDetail/{id}`, named only in `onclick`). Only the organisation's own paths are
read: other organisations share the host.

Options (`[[platforms]] kind = "opengov"`): `base` (https://opengov.360online.com/Meetings/ORG),
`years` ([first, last]: the `?Year=` pages read), `budget_item` (patterns of a budget item's
title); committees' board ids, where known, in `ids = { opengov = [...] }` (else by name).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import urljoin, urlsplit

from lxml import etree, html

from catalog.models import Link
from crawler.adapters.base import Adapter, Answer, DocumentLink, Probe, Problem, Visited
from crawler.context import clean_link_text, one_line
from crawler.finders import find_date
from crawler.meeting_page import PROTOCOL_LINK, SUMMONS_LINK

ORG_PATH = re.compile(r"^(/Meetings/[^/?#]+)", re.I)
AGENDA = re.compile(r"loadAgendaItem\(\s*'([^']+)'", re.I)
YEAR_URL = re.compile(r"OnBoardSelectionChange\(\s*'([^']+)'", re.I)
CASE = re.compile(r"^\s*(\d{1,4}/\d{2,4})\s*[-–]\s*(.+)$", re.S)


def _parse(body: str | bytes) -> Any:
    try:
        return html.fromstring(body)
    except (etree.ParserError, ValueError):
        return None


def _text(el: Any) -> str:
    return one_line(el.text_content()) if el is not None else ""


def _details(root: Any) -> dict[str, str]:
    """The "Detaljer" box: label -> value (Utvalg, Sted, Dato, Status, Saksnr.)."""
    out = {}
    for box in root.xpath("//div[contains(@class,'detailsList')]"):
        label = _text(next(iter(box.xpath(".//*[contains(@class,'detailHeader')]")), None))
        value = _text(next(iter(box.xpath(".//*[contains(@class,'detailContent')]")), None))
        if label:
            out[label.rstrip(":").lower()] = value
    return out


class OpenGovAdapter(Adapter):
    kind = "opengov"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.base = (self.platform.get("base") or "").rstrip("/")
        parts = urlsplit(self.base)
        self.origin = f"{parts.scheme}://{parts.netloc}"
        self.org_path = parts.path.rstrip("/").lower()
        years = self.platform.get("years") or []
        self.years = set(range(years[0], years[1] + 1)) if len(years) == 2 else None
        self.words = [re.compile(w, re.I) for w in self.platform.strings("budget_item")] or list(self.source.budget_item)

    def own(self, url: str) -> bool:
        """Within this organisation (another one shares the host)."""
        parts = urlsplit(url)
        return parts.netloc.lower() == urlsplit(self.origin).netloc.lower() and (
            parts.path.lower().rstrip("/") == self.org_path or parts.path.lower().startswith(self.org_path + "/"))

    def budget(self, text: str) -> bool:
        return any(p.search(text) for p in self.words)

    def start(self) -> Iterator[Any]:
        if not self.base:
            yield Problem("", None, "the opengov platform names no base (https://opengov.360online.com/Meetings/ORG)")
            return
        yield self.fetch(self.base, "home")
        yield self.fetch(self.base + "/Boards", "home")

    def claims(self, url: str) -> bool:
        return self.own(url) and "/meetings/details/" in url.lower()

    def follow(self, url: str, context: dict[str, Any], depth: int, *, snapshot: str | None = None,
               page_url: str = "") -> Iterator[Any]:
        yield self.fetch(url, "meeting", depth=depth)

    # --- pages ------------------------------------------------------------------------------

    def home(self, answer: Answer) -> Iterator[Any]:
        """The organisation's start page or its list of boards: every board."""
        yield Visited(answer.url)
        root = _parse(answer.markup())
        if root is None:
            return
        for href in root.xpath("//a/@href"):
            url = urljoin(answer.final_url, href.strip())
            if self.own(url) and re.search(r"/Boards/Details/\d+$", urlsplit(url).path, re.I):
                yield self.fetch(url, "board")

    def board(self, answer: Answer) -> Iterator[Any]:
        """One board's meetings of one year, and (from its default page) its other years."""
        yield Visited(answer.url)
        root = _parse(answer.markup())
        if root is None:
            return
        board_id = urlsplit(answer.url).path.rstrip("/").rsplit("/", 1)[-1]
        name = _text(next(iter(root.xpath("//div[contains(@class,'meetingTitleHeader')]//h2")), None))
        if "year" not in answer.meta:
            handler = next(iter(root.xpath("//select[@id='boardsYearSelection']/@onchange")), "")
            m = YEAR_URL.search(handler)
            target = urljoin(answer.final_url, m.group(1)) if m else answer.url.split("?", 1)[0]
            selected = {_text(o) for o in root.xpath("//select[@id='boardsYearSelection']/option[@selected]")}
            for option in root.xpath("//select[@id='boardsYearSelection']/option"):
                year = _text(option)
                if not year.isdigit() or year in selected or (self.years is not None and int(year) not in self.years):
                    continue
                yield self.fetch(f"{target}?Year={year}", "board", meta={"year": int(year)})
        for li in root.xpath("//div[contains(@class,'meetingList')]//li"):
            link = next(iter(li.xpath(".//a[@href]")), None)
            if link is None:
                continue  # not published yet: no page to read
            url = urljoin(answer.final_url, link.get("href").strip())
            if not self.own(url):
                continue
            spans = [_text(s) for s in li.xpath(".//div[contains(@class,'meetingDate')]//span")]
            day = next((d for s in spans if (d := find_date(s))), None)
            yield self.fetch(url, "meeting", meta={"board": board_id, "board_name": name, "listed_date": day,
                                                   "listed_as": _text(next(iter(li.xpath(".//h3")), None))})

    def meeting(self, answer: Answer) -> Iterator[Any]:
        yield Visited(answer.url)
        root = _parse(answer.markup())
        if root is None:
            return
        details = _details(root)
        heading = _text(next(iter(root.xpath("//div[contains(@class,'meetingTitleHeader')]//h2")), None))
        day = find_date(details.get("dato", "")) or find_date(heading)
        listed = answer.meta.get("listed_date")
        problems = []
        if day is None and listed:
            day = listed
            problems.append(f"the meeting page has no date (Dato is empty); the board's list gives {listed}")
        committee_name = details.get("utvalg") or answer.meta.get("board_name") or heading
        items = []
        for a in root.xpath("//a[starts-with(@id,'agendaItem_')]"):
            m = AGENDA.search(a.get("onclick") or "")
            title = _text(next(iter(a.xpath(".//*[contains(@class,'accordionTitle')]")), a))
            if m:
                items.append((urljoin(answer.final_url, m.group(1)), title))
        budget_items = [(url, title) for url, title in items if self.budget(title)]
        unnumbered = [title for _, title in budget_items if not CASE.match(title)]
        if unnumbered:
            problems.append(f"agenda item {unnumbered[0]!r} has no case number; kept without one")
        if problems:
            yield Problem(answer.url, 200, "malformed record: " + "; ".join(problems))
        facts = {"title": heading or answer.meta.get("listed_as") or "", "committee": committee_name, "date": day,
                 "board": answer.meta.get("board") or ""}
        if budget_items:  # the meeting's own files (protocol, summons) belong to its budget items
            for li in root.xpath("//div[contains(@class,'filesList')]//li[@title]"):
                yield from self.file(li, answer, facts, " / ".join(t for _, t in budget_items), meeting_file=True)
        for url, title in budget_items:
            if self.own(url):
                yield self.fetch(url, "agenda_item", meta={"meeting": facts, "item": title}, expect="data")

    def agenda_item(self, answer: Answer) -> Iterator[Any]:
        """The fragment loadAgendaItem() fetches: the item's files and details."""
        yield Visited(answer.url)
        root = _parse(answer.markup())
        if root is None:
            return
        for li in root.xpath("//div[contains(@class,'filesList')]//li[@title]"):
            yield from self.file(li, answer, answer.meta["meeting"], answer.meta["item"])

    def file(self, li: Any, answer: Answer, facts: dict[str, Any], item: str, meeting_file: bool = False) -> Iterator[Any]:
        a = next(iter(li.xpath(".//a[@href]")), None)
        if a is None:
            return
        url = urljoin(answer.final_url, a.get("href").strip())
        if not self.own(url):
            return
        if not self.env.allowed(url):
            self.env.not_allowed(url)
            return
        title = clean_link_text(li.get("title")) or _text(next(iter(li.xpath(".//*[contains(@class,'fileName')]")), a))
        category = _text(next(iter(li.xpath(".//*[contains(@class,'fileDocumentCategory')]")), None))
        section = "item"
        if meeting_file:
            section = "protokoll" if PROTOCOL_LINK.match(title) else "innkalling" if SUMMONS_LINK.match(title) else "sakskart"
        facts_for_link: dict[str, Any] = {}
        committee = self.source.vocabulary.committee_by_id(self.kind, facts.get("board") or "")
        if committee is not None:
            facts_for_link["committee"] = [committee.slug, f"OpenGov board {facts['board']}"]
        context = {
            "link_text": title, "title_attr": "", "page_title": facts["title"], "platform": self.kind,
            "category": category,
            "meeting": {"title": facts["title"], "committee": facts["committee"], "date": facts["date"],
                        "section": section, "section_title": category, "item": item},
            "facts": facts_for_link,
        }
        yield DocumentLink(url, Link(url, answer.url, title, context))

    @classmethod
    def hosts(cls, platform: Any) -> list[str]:
        base = platform.get("base") or ""
        return [urlsplit(base).netloc.lower()] if base else []

    @classmethod
    def detect(cls, probe: Probe) -> str | None:
        m = ORG_PATH.match(probe.path)
        body = probe.body
        marks = [w for w in (b"OnBoardSelectionChange", b"loadAgendaItem", b"meetingList", b"boardLink",
                             b"/Areas/Meetings/") if w in body]
        if m and len(marks) >= 2:
            return (f"360 OpenGov meeting pages (organisation {m.group(1).split('/')[-1]}): the address is "
                    f"/Meetings/{{ORG}} and the page has OpenGov's landmarks ({', '.join(w.decode() for w in marks)})")
        if "360online.com" in probe.host and m:
            return "the host is Tietoevry's 360 OpenGov (opengov.360online.com/Meetings/{ORG})"
        return None
