"""Read an ACOS Innsyn meeting page: its committee, date, protocol and agenda items.

ACOS markup drifts between installations and years, so this reads text, not CSS classes:
"Utvalg"/"Dato" labels, section headings ("Sakskart", "Møteprotokoll"), agenda item lines
("149/20 - 20/12345 - Title") and the `wfdocument.ashx` links that follow each of them. Some
skins put an agenda item's documents on a page of its own (`response=motesak`): the links to
those pages are read with the item they stand in (`Meeting.item_pages`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import urldefrag, urljoin

from lxml import etree, html

from crawler.context import clean_link_text, one_line
from crawler.finders import find_date

# "149/20 - 20/12345 - Title", "088/23 23/123456 Title", "PS 12/23 Title": the dashes, the archive
# case number and the PS/RS prefix vary between ACOS skins, so all three are optional; the title
# must hold a letter, so a bare "045/23 - 23/123456 -" (the number cell of a row) is no item.
ITEM = re.compile(
    r"^\s*(?:(?:PS|RS|DS|FO)\s+)?(\d{1,4}/\d{2,4})(?:\s*[-–]\s*|\s+)(?:(\d{2,4}/\d+)(?:\s*[-–]\s*|\s+))?"
    r"(?!\d{2,4}/\d)(?=.*[^\W\d_])(\S.*)$",
    re.S,
)
# A protocol link outside the agenda items is the meeting's protocol even without a
# "Møteprotokoll" heading above it (some skins list it under "Møtedokumenter" or nothing).
PROTOCOL_LINK = re.compile(r"^(møte)?protokoll\b", re.I)
# Likewise the summons ("Møteinnkalling - Kommunestyret - 02.12.2020").
SUMMONS_LINK = re.compile(r"^(møte)?innkalling\b", re.I)
MEETING_TITLE = re.compile(r"Møte i (.+?) den (\d{1,2}\.\d{1,2}\.\d{2,4})", re.I)
SECTION_PROTOCOL = re.compile(r"^(møte)?protokoll(er)?\s*:?$", re.I)
SECTION_AGENDA = re.compile(r"^(sakskart|saksliste|møteinnkalling|innkalling|saker( til behandling)?)\s*:?$", re.I)
LINE_BREAKS = {"div", "p", "tr", "li", "dt", "dd", "td", "th", "br", "h1", "h2", "h3", "h4", "h5", "h6",
               "table", "ul", "ol", "section", "article"}


@dataclass
class MeetingDoc:
    url: str
    text: str  # link text, cleaned
    section: str  # "protokoll" | "innkalling" | "sakskart" | "item"
    item: str = ""  # "149/20 - 20/12345 - Title" when the document belongs to an agenda item
    item_title: str = ""
    section_title: str = ""


@dataclass
class ItemPage:
    """A link to an agenda item's own page, and the item line it stands in."""

    url: str
    item: str


@dataclass
class Meeting:
    title: str = ""
    committee: str = ""
    date: str | None = None
    items: list[str] = field(default_factory=list)
    documents: list[MeetingDoc] = field(default_factory=list)
    item_pages: list[ItemPage] = field(default_factory=list)


def _lines(root: etree._Element) -> list[str]:
    parts: list[str] = []
    for action, el in etree.iterwalk(root, events=("start", "end")):
        tag = el.tag.lower() if isinstance(el.tag, str) else ""
        if action == "start":
            if tag in {"script", "style"}:
                continue
            if tag in LINE_BREAKS:
                parts.append("\n")
            if el.text and tag:
                parts.append(el.text)
        else:
            if tag in LINE_BREAKS:
                parts.append("\n")
            if el.tail:
                parts.append(el.tail)
    return [one_line(line) for line in "".join(parts).split("\n") if one_line(line)]


def _field(lines: list[str], label: str) -> str:
    """The value after a label ("Utvalg: Kommunestyret", or "Utvalg" with the value on the next
    line); a label followed by a separator ("Utvalg | Postliste": a menu) is no field."""
    pat = re.compile(rf"^{label}\s*:?\s*(.*)$", re.I)
    for i, line in enumerate(lines):
        m = pat.match(line)
        if m:
            value = m.group(1).strip()
            if value and not re.search(r"\w", value):
                continue
            if not value and i + 1 < len(lines):
                value = lines[i + 1]
            return value
    return ""


def _own_text(el: etree._Element, doc_link: re.Pattern[str]) -> str:
    """Text of an element without the texts of document links inside it."""
    chunks: list[str] = []
    for action, node in etree.iterwalk(el, events=("start", "end")):
        if action == "start":
            if node.tag == "a" and doc_link.search(node.get("href", "")):
                if node.tail:
                    chunks.append(node.tail)
                continue
            if node.text and isinstance(node.tag, str):
                chunks.append(node.text)
        elif node is not el and node.tail and not (node.tag == "a" and doc_link.search(node.get("href", ""))):
            chunks.append(node.tail)
    return one_line(" ".join(chunks))


def parse_meeting(body: str | bytes, base_url: str, document_link: re.Pattern[str],
                  item_link: re.Pattern[str] | None = None) -> Meeting:
    """Everything a meeting page says that classification needs; with `item_link`, the links
    to agenda items' own pages too."""
    try:
        root = html.fromstring(body)
    except (etree.ParserError, ValueError):
        return Meeting()
    lines = _lines(root)
    meeting = Meeting()
    h1 = root.find(".//h1")
    title_el = root.find(".//title")
    meeting.title = one_line(h1.text_content()) if h1 is not None else ""
    if not meeting.title and title_el is not None:
        meeting.title = one_line(title_el.text_content())
    meeting.committee = _field(lines, r"utvalg?\b")  # "Utval" in Nynorsk skins
    date_text = _field(lines, "(?:møte)?dato")
    meeting.date = find_date(date_text) if date_text else None
    m = MEETING_TITLE.search(meeting.title) or next(filter(None, map(MEETING_TITLE.search, lines)), None)
    if m:
        meeting.committee = meeting.committee or m.group(1)
        meeting.date = meeting.date or find_date(m.group(2))

    section, section_title, item, item_title = "", "", "", ""
    for el in root.iter():
        if not isinstance(el.tag, str):
            continue
        if el.tag == "a":
            href = el.get("href", "")
            if document_link.search(href):
                url = urldefrag(urljoin(base_url, href.strip()))[0]
                text = clean_link_text(el.text_content()) or clean_link_text(el.get("title"))
                where = "item" if item else section or "sakskart"
                if where == "sakskart" and PROTOCOL_LINK.match(text):
                    where = "protokoll"
                elif where == "sakskart" and SUMMONS_LINK.match(text):
                    where = "innkalling"
                meeting.documents.append(
                    MeetingDoc(url, text, where, item, item_title, section_title if not item else "")
                )
            elif item_link is not None and item_link.search(href):
                url = urldefrag(urljoin(base_url, href.strip()))[0]
                if url not in {p.url for p in meeting.item_pages}:
                    meeting.item_pages.append(ItemPage(url, item or one_line(el.text_content())))
            continue
        own = _own_text(el, document_link)
        if not own or len(own) > 300:
            continue
        if el.tag in {"h1", "h2", "h3", "h4", "h5", "h6", "strong", "b", "caption", "legend", "th", "p", "span",
                      "div", "td", "li", "dt"}:
            if SECTION_PROTOCOL.match(own):
                section, section_title, item, item_title = "protokoll", own, "", ""
                continue
            if SECTION_AGENDA.match(own):
                section, section_title, item, item_title = "sakskart", own, "", ""
                continue
        im = ITEM.match(own)
        if im and not any(ITEM.match(_own_text(c, document_link)) for c in el if isinstance(c.tag, str)):
            item, item_title = own, one_line(im.group(3))
            meeting.items.append(own)
    return meeting
