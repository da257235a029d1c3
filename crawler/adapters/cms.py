"""`cms`: the municipality's own web pages, read as a person would.

From the start pages (and their captures in a Wayback-compatible web archive), follow the
pages whose address or link text speaks of the budget, and keep every link to a document
with everything around it (headings, accordion titles, the paragraph, the page's period).
A link another platform reads (an ACOS meeting, a Framsikt publication) is handed to that
platform's adapter with the context it stood in.

Options (`[[platforms]] kind = "cms"`): `start_urls`; the source's `[scope]` (`follow`, `deny`,
`documents`, `max_depth`) and `wayback` say which pages are followed and where captures live.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any
from urllib.parse import quote, urlsplit

from catalog.models import Link
from crawler.adapters.base import Adapter, Answer, DocumentLink, Probe, Visited
from crawler.context import extract_links
from crawler.documents import announces_file

# Pages whose URL says nothing but whose link text speaks of the budget ("Tidligere vedtatte
# budsjetter" at /arkiv/) are followed this close to the start pages, not deeper: beyond that,
# any news item mentioning "budsjett" would pull the crawl across the whole site.
TEXT_FOLLOW_DEPTH = 2


def target(url: str) -> str:
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


class CmsAdapter(Adapter):
    kind = "cms"

    def start(self) -> Iterator[Any]:
        for url in self.platform.strings("start_urls"):
            yield self.fetch(url, "page", depth=0)
            wayback = self.env.wayback
            if wayback:
                cdx = (f"{wayback}/cdx/search/cdx?url={quote(url, safe='')}&output=json"
                       "&fl=timestamp,original,digest,statuscode&filter=statuscode:200")
                yield self.fetch(cdx, "cdx", priority=0, quiet=True, expect="data", meta={"start": url})

    def cdx(self, answer: Answer) -> Iterator[Any]:
        """The captures of a start page in the web archive: each distinct one is read like the page."""
        try:
            rows = json.loads(answer.body or b"[]")
        except (json.JSONDecodeError, ValueError, UnicodeDecodeError):
            return
        if not rows:
            return
        header, *rows = rows
        col = {name: i for i, name in enumerate(header)}
        seen = self.env.seen_digests
        for row in rows:
            ts, digest = row[col["timestamp"]], row[col["digest"]]
            if digest in seen:
                continue
            seen.add(digest)
            yield self.fetch(answer.meta["start"], "page", snapshot=ts, depth=0, priority=5)

    def page(self, answer: Answer) -> Iterator[Any]:
        yield Visited(answer.url, answer.snapshot)
        snapshot = answer.snapshot
        page, links = extract_links(answer.markup(), answer.final_url, original_url=answer.url if snapshot else None)
        depth = answer.depth
        for lc in links:
            url = self.env.live(lc.url)
            if self.denied(url):
                continue
            other = self.env.claim(url, self)
            if not self.env.allowed(url):
                if other is not None or self.wanted(url, lc.context, depth):
                    self.env.not_allowed(url)
                continue
            if snapshot:
                self.env.snapshot_of.setdefault(url, snapshot)
            context = {**lc.context, "period": page.get("page_period", "")}
            if other is not None:
                yield from other.follow(url, context, depth + 1, snapshot=snapshot, page_url=answer.url)
            elif self.is_document(url) or announces_file(lc.context.get("raw_text"), lc.context.get("title_attr")):
                yield DocumentLink(url, Link(url, answer.url, lc.text, context, snapshot))
            elif depth < self.source.max_depth and (
                self.follows(url) or (depth < TEXT_FOLLOW_DEPTH and self.budget(lc.text))
            ):
                yield self.fetch(url, "page", depth=depth + 1)

    # --- scope --------------------------------------------------------------------------

    def wanted(self, url: str, context: dict[str, Any], depth: int) -> bool:
        """Would this link be followed if its host were allowed? (Footer links to social media are not.)"""
        return bool(
            self.is_document(url) or announces_file(context.get("raw_text"), context.get("title_attr"))
            or (depth < self.source.max_depth and (self.follows(url) or self.budget(context.get("link_text") or "")))
        )

    def denied(self, url: str) -> bool:
        return any(p.search(target(url)) for p in self.source.deny)

    def is_document(self, url: str) -> bool:
        t = target(url)
        return bool(self.source.meeting_document.search(t)) or any(p.search(t) for p in self.source.documents)

    def follows(self, url: str) -> bool:
        return any(p.search(target(url)) for p in self.source.follow)

    def budget(self, text: str) -> bool:
        return any(p.search(text) for p in self.source.budget_item)

    @classmethod
    def detect(cls, probe: Probe) -> str | None:
        ctype = probe.headers.get("content-type", "")
        if probe.status != 200 or "html" not in ctype and b"<html" not in probe.body[:2000].lower():
            return None
        _, links = extract_links(probe.body, probe.url)
        documents = [lc for lc in links if target(lc.url).lower().endswith((".pdf", ".docx", ".doc"))
                     or announces_file(lc.context.get("raw_text"), lc.context.get("title_attr"))]
        if not documents:
            return None
        return (f"an HTML page with {len(documents)} link{'s' if len(documents) != 1 else ''} to documents "
                f"(e.g. {documents[0].text or documents[0].url!r}): the municipality's own pages")
