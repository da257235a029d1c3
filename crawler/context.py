"""What a link stands in: its cleaned text and the headings, accordion titles and prose around it.

The site's committee names often appear only in an accordion heading and the link text is
often just "pdf", so the classifier needs the whole neighbourhood of every link. This module
only collects it (as plain JSON-able dicts); `crawler.classify` decides what it means.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urldefrag, urljoin

from lxml import etree, html

from catalog.text import strip_controls

HEADINGS = {"h1": 1, "h2": 2, "h3": 3, "h4": 4, "h5": 5, "h6": 6}
BLOCKS = {"p", "li", "td", "th", "dd", "dt", "div", "section", "article", "details", "summary",
          "blockquote", "figcaption", "tr", "ul", "ol", "table", "body", "main", "aside"}
SKIP = {"script", "style", "noscript", "template", "svg", "head"}
TITLE_CLASS = re.compile(r"accordion|title|heading|header|toggle|summary|trigger|expand|collaps", re.I)
SPACE = re.compile(r"\s+")

# Suffixes the CMS and the portal add to link texts: "(PDF, 4,4 MB)", "| 763 KB", "(Hoveddokument)".
_NOISE = [
    re.compile(r"\(\s*(pdf|docx?|word|excel)?\s*,?\s*\d+([.,]\d+)?\s*(k|m|g)?b\s*\)", re.I),
    re.compile(r"\|\s*\d+([.,]\d+)?\s*(k|m|g)?b\b", re.I),
    re.compile(r"\(\s*(hoveddokument|vedlegg|pdf|docx?|møteportalen|lenke til [^)]*)\s*\)", re.I),
    re.compile(r"\[\s*(pdf|docx?)\s*\]", re.I),
    re.compile(r"\b\d+([.,]\d+)?\s*(k|m)b\s*$", re.I),
]


def one_line(text: str | None) -> str:
    """Collapse whitespace (including non-breaking spaces); drop escape sequences and controls."""
    # Escape sequences and controls go: a hostile page must not plant them in titles printed later.
    text = strip_controls(re.sub(r"[\t\n\r\f\v]", " ", text or ""))
    return SPACE.sub(" ", text.replace("\xa0", " ")).strip()


def clean_link_text(text: str | None) -> str:
    """A link text without size/format suffixes, so titles read like titles."""
    t = one_line(text)
    for pattern in _NOISE:
        t = pattern.sub(" ", t)
    t = one_line(t)
    return t.strip(" -–|:,").strip()


PERIOD = re.compile(r"(?<!\d)(20\d\d)(?:\s*[-–—‑]\s*(20\d\d|\d\d)|(20\d\d))(?!\d)")


def find_periods(text: str) -> list[tuple[int, int, int]]:
    """Four-year plan periods in any spelling: (start, end, position)."""
    found = []
    for m in PERIOD.finditer(text or ""):
        start = int(m.group(1))
        end_s = m.group(2) or m.group(3)
        end = int(end_s) if len(end_s) == 4 else (start // 100) * 100 + int(end_s)
        if end == start + 3:
            found.append((start, end, m.start()))
    return found


def page_period(head: str, body: str) -> str:
    """The plan period a page is about: the one in its title/h1, else the most mentioned."""
    periods = find_periods(head)
    if not periods:
        counts: dict[tuple[int, int], int] = {}
        for s, e, _ in find_periods(body):
            counts[(s, e)] = counts.get((s, e), 0) + 1
        if not counts:
            return ""
        best = max(counts.items(), key=lambda kv: kv[1])[0]
        return f"{best[0]}-{best[1]}"
    return f"{periods[0][0]}-{periods[0][1]}"


@dataclass
class LinkContext:
    """One `<a href>` and everything around it that may say what it points to."""

    url: str
    text: str
    context: dict[str, Any] = field(default_factory=dict)


def _text(el: etree._Element) -> str:
    return one_line(" ".join(el.itertext())) if isinstance(el.tag, str) else ""


def _is_title_like(el: etree._Element) -> bool:
    if not isinstance(el.tag, str):
        return False
    tag = el.tag.lower()
    if tag in HEADINGS or tag in {"summary", "button", "legend", "caption", "dt"}:
        return True
    marker = f"{el.get('class', '')} {el.get('role', '')}"
    if TITLE_CLASS.search(marker) and not el.xpath(".//a[@href]"):
        return 0 < len(_text(el)) <= 200
    # A wrapper whose first element is a heading or button: <div><h3><button>T</button></h3></div>
    children = [c for c in el if isinstance(c.tag, str)]
    return len(children) == 1 and _is_title_like(children[0]) and not el.xpath(".//a[@href]")


def _labelled_by(el: etree._Element) -> str:
    """The text of the element(s) an `aria-labelledby` names: a tab panel's tab, a region's heading."""
    ids = (el.get("aria-labelledby") or "").split()
    if not ids:
        return ""
    root = el.getroottree().getroot()
    found = [root.xpath("//*[@id=$id]", id=i) for i in ids[:3]]
    return one_line(" ".join(_text(f[0]) for f in found if f))


def _container_titles(a: etree._Element) -> list[str]:
    """Titles of the blocks the link sits in, innermost first (accordion items, tab panels, sections)."""
    titles: list[str] = []
    child = a
    for anc in a.iterancestors():
        if not isinstance(anc.tag, str):
            continue
        if label := _labelled_by(anc):
            titles.append(label)
        elif anc.tag == "details":
            summary = anc.find("summary")
            if summary is not None and summary is not child:
                titles.append(_text(summary))
        else:
            for sib in child.itersiblings(preceding=True):
                if _is_title_like(sib) and (t := _text(sib)):
                    titles.append(t)
                    break
        child = anc
        if anc.tag in {"body", "main"}:
            break
    out: list[str] = []
    for t in titles:
        if t and t not in out and len(t) <= 200:
            out.append(t)
    return out


def _block_text(a: etree._Element) -> str:
    """The text of the smallest block (paragraph, list item, table row) holding the link.

    A table cell is widened to its row: a row is one record (Dato | Dokument | Utvalg), and
    the committee or date of a document often stands only in a neighbouring cell.
    """
    for anc in a.iterancestors():
        if isinstance(anc.tag, str) and anc.tag in {"td", "th"} and (row := anc.getparent()) is not None:
            if isinstance(row.tag, str) and row.tag == "tr":
                anc = row
        if isinstance(anc.tag, str) and anc.tag in BLOCKS:
            text = clean_link_text(_text(anc))
            return text if len(text) <= 600 else ""
    return ""


def extract_links(body: str | bytes, base_url: str, *, original_url: str | None = None) -> tuple[
    dict[str, Any], list[LinkContext]
]:
    """Parse a page: its own facts (title, h1) and every link with its context.

    `original_url` is the live URL of an archived (Wayback) page: relative links resolve
    against it, not against the archive.
    """
    if isinstance(body, bytes) and not body.strip():
        return {}, []
    try:
        root = html.fromstring(body)
    except (etree.ParserError, ValueError):
        return {}, []
    base = original_url or base_url
    base_el = root.find(".//base[@href]")
    if base_el is not None and not original_url:
        base = urljoin(base, base_el.get("href"))
    title_el = root.find(".//title")
    page = {"page_title": _text(title_el) if title_el is not None else "", "h1": ""}
    h1 = root.find(".//h1")
    if h1 is not None:
        page["h1"] = _text(h1)
    page["page_period"] = page_period(page["page_title"] + " " + page["h1"], _text(root))

    heads: dict[int, str] = {}
    since_heading: list[str] = []
    links: list[LinkContext] = []
    walker = etree.iterwalk(root, events=("start", "end"))
    for action, el in walker:
        tag = el.tag.lower() if isinstance(el.tag, str) else ""
        if action == "start":
            if tag in SKIP or not tag:
                walker.skip_subtree()
                continue
            if tag in HEADINGS:
                # A heading around a link (<h3><a href=…pdf>Title</a></h3>) or inside one is a
                # card's title: it names that link only (it is in its text), not the section that
                # follows the card grid; its links are read like any other.
                if el.xpath(".//a[@href]"):
                    continue
                level = HEADINGS[tag]
                text = _text(el)
                if text and not any(isinstance(x.tag, str) and x.tag == "a" for x in el.iterancestors()):
                    heads = {k: v for k, v in heads.items() if k < level}
                    heads[level] = text
                    since_heading = []
                walker.skip_subtree()
                continue
            if tag in {"summary", "button"} or (tag != "a" and _is_title_like(el) and tag not in BLOCKS) \
                    or el.get("role") in ("tabpanel", "tablist"):
                since_heading = []  # an accordion item or tab starts: earlier labels no longer apply
            if tag == "a" and el.get("href"):
                href = el.get("href", "").strip()
                if href.startswith(("#", "javascript:", "mailto:", "tel:")):
                    continue
                url = urldefrag(urljoin(base, href))[0]
                raw = _text(el)
                label = next((t for t in reversed(since_heading) if t.endswith(":") and len(t) <= 60), "")
                context = {
                    **page,
                    "headings": [heads[k] for k in sorted(heads)],
                    "containers": _container_titles(el),
                    "block": _block_text(el),
                    "label": label,
                    "section_text": one_line(" ".join(since_heading))[-500:],
                    "link_text": clean_link_text(raw),
                    "raw_text": raw,
                    "title_attr": clean_link_text(el.get("title")),
                }
                links.append(LinkContext(url=url, text=context["link_text"], context=context))
            if el.text and el.text.strip() and tag != "a":
                since_heading.append(one_line(el.text))
        else:
            if el.tail and el.tail.strip():
                since_heading.append(one_line(el.tail))
    return page, links
