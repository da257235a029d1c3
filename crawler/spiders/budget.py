"""The one spider: budget pages, meeting pages, documents, and Wayback snapshots of the start pages.

Every response goes to `parse_any`, which decides by what came back (a 304, an error, a
document by its magic bytes, an HTML page) rather than by what the URL looked like.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import UTC, datetime
from email.utils import format_datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

import scrapy
from scrapy import signals
from scrapy.exceptions import DontCloseSpider, IgnoreRequest
from scrapy.http import Response
from twisted.python.failure import Failure

from catalog import DataDir, Link, conditional_headers, connect, holds_version
from crawler.context import extract_links
from crawler.documents import announces_file, attachment_name, looks_like_html, media_type
from crawler.hosts import is_allowed
from crawler.items import DocumentFetched, DocumentNotModified, FetchFailed, LinkFound, PageVisited
from crawler.meeting_page import parse_meeting
from crawler.pipelines import record_failure
from crawler.reasons import failure_reason
from sources import Source, load_source

# Statuses the callback sees itself (3xx other than 304 are left to the redirect middleware).
HANDLED = [304, 400, 401, 403, 404, 405, 406, 410, 429, 451, 500, 501, 502, 503, 504]
GONE = (404, 410)
# Pages whose URL says nothing but whose link text speaks of the budget ("Tidligere vedtatte
# budsjetter" at /arkiv/) are followed this close to the start pages, not deeper: beyond that,
# any news item mentioning "budsjett" would pull the crawl across the whole site.
TEXT_FOLLOW_DEPTH = 2
# The pager of a paginated meeting plan: "Neste side ›", "Next", "»", "2".
PAGER = re.compile(r"^\s*(neste|next|eldre|›|»|\d{1,3}\s*$)", re.I)
MAX_PLAN_PAGES = 20
ARCHIVED = re.compile(r"^https?://[^/]+/web/(\d{1,14})[a-z_]*/(.+)$")


def _link_order(link: Link) -> tuple[bool, int, str, str]:
    """Live pages before archived snapshots, pages nearer the start first: an order that does
    not depend on which response arrived first."""
    return (bool(link.snapshot), len(link.source_page), link.source_page, link.text)


def _http_date(ts: str) -> str:
    """A Wayback timestamp (YYYYMMDDhhmmss, UTC) as an HTTP date."""
    moment = datetime.strptime(ts.ljust(14, "0")[:14], "%Y%m%d%H%M%S").replace(tzinfo=UTC)
    return format_datetime(moment, usegmt=True)


def _same_path(url: str, other: str) -> bool:
    a, b = urlsplit(url), urlsplit(other)
    return (a.netloc, a.path) == (b.netloc, b.path)


class BudgetSpider(scrapy.Spider):
    name = "budget"

    def __init__(self, config: dict[str, Any], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.config = config
        self.source: Source = load_source(config["source"])
        self.start_pages: list[str] = list(config["start_urls"])
        self.allowed_netlocs: set[str] = {h.lower() for h in config["allowed_netlocs"]}
        self.allowed_domains = sorted({n.rsplit(":", 1)[0] for n in self.allowed_netlocs})
        self.wayback: str | None = (config.get("wayback") or "").rstrip("/") or None
        self.conn = connect(DataDir(Path(config["data_dir"])))
        self.contexts: dict[str, list[Link]] = {}  # document URL -> links seen so far
        self.handled: set[str] = set()  # document URLs whose fetch is done
        self.snapshot_of: dict[str, str] = {}  # URL -> Wayback timestamp of the snapshot linking it
        self.seen_digests: set[str] = set()
        self.plan_folders: set[str] = set()
        self.deferred: list[str] = []  # document URLs to fetch once every page has been read
        self.not_allowed: dict[str, set[str]] = {}  # host -> URLs we would have followed there

    @classmethod
    def from_crawler(cls, crawler: Any, *args: Any, **kwargs: Any) -> BudgetSpider:
        spider = super().from_crawler(crawler, *args, **kwargs)
        crawler.signals.connect(spider.fetch_documents, signal=signals.spider_idle)
        return spider

    def fetch_documents(self) -> None:
        """Fetch documents only when no page is left, so each is classified from all its links.

        Fetching a document as soon as its first link turns up made its metadata depend on
        which page happened to answer first, so a resumed (or merely slower) crawl could
        title and classify it differently.
        """
        if not self.deferred:
            return
        urls, self.deferred = self.deferred, []
        for url in urls:
            self.crawler.engine.crawl(self._document_request(url))
        raise DontCloseSpider

    # --- start --------------------------------------------------------------------------

    async def start(self) -> Any:
        for url in self.start_pages:
            yield self._page_request(url, depth=0)
            if self.wayback:
                cdx = (
                    f"{self.wayback}/cdx/search/cdx?url={quote(url, safe='')}&output=json"
                    "&fl=timestamp,original,digest,statuscode&filter=statuscode:200"
                )
                yield scrapy.Request(cdx, callback=self.parse_cdx, errback=self.failed,
                                     meta={"kind": "cdx", "handle_httpstatus_list": HANDLED})

    def parse_cdx(self, response: Response) -> Iterator[Any]:
        if response.status != 200:
            self.logger.warning("CDX query failed: HTTP %s", response.status)
            return
        try:
            rows = json.loads(response.text or "[]")
        except (json.JSONDecodeError, ValueError):
            self.logger.warning("CDX answer is not JSON: %s", response.url)
            return
        if not rows:
            return
        header, *rows = rows
        col = {name: i for i, name in enumerate(header)}
        for row in rows:
            ts, original, digest = row[col["timestamp"]], row[col["original"]], row[col["digest"]]
            if digest in self.seen_digests:
                continue
            self.seen_digests.add(digest)
            live = self._live_page_url(original)
            yield self._archive_request(live, ts, kind="page", depth=0)

    def _live_page_url(self, original: str) -> str:
        """The CDX `original` as the start URL we asked about (the archive may drop the port)."""
        for start in self.start_pages:
            if urlsplit(start).path.rstrip("/") == urlsplit(original).path.rstrip("/"):
                return start
        return original

    # --- requests -----------------------------------------------------------------------

    def _page_request(self, url: str, depth: int, via: dict[str, Any] | None = None,
                      kind: str = "page") -> scrapy.Request:
        return scrapy.Request(
            url, callback=self.parse_any, errback=self.failed, priority=10,
            meta={"kind": kind, "url": url, "depth_": depth, "via": via,
                  "handle_httpstatus_list": HANDLED},
        )

    def _document_request(self, url: str) -> scrapy.Request:
        # dont_filter: each document URL is requested once anyway (see _document_link), and a
        # redirect loop must end in "too many redirects", not vanish in the duplicate filter.
        return scrapy.Request(
            url, callback=self.parse_any, errback=self.failed, headers=conditional_headers(self.conn, url),
            dont_filter=True, meta={"kind": "document", "url": url, "handle_httpstatus_list": HANDLED},
        )

    def _archive_request(self, url: str, ts: str, kind: str, depth: int = 0,
                         via: dict[str, Any] | None = None) -> scrapy.Request:
        assert self.wayback
        # A capture never changes after its timestamp: a document we already hold from the archive
        # is asked for only if modified since then (an archive that ignores this just sends it again).
        headers = {"If-Modified-Since": _http_date(ts)} if kind == "document" and holds_version(self.conn, url) else {}
        return scrapy.Request(
            f"{self.wayback}/web/{ts}id_/{url}", callback=self.parse_any, errback=self.failed, priority=5,
            headers=headers,
            meta={"kind": kind, "url": url, "depth_": depth, "snapshot": ts, "via": via, "archived": True,
                  "handle_httpstatus_list": HANDLED},
        )

    # --- responses ----------------------------------------------------------------------

    def parse_any(self, response: Response) -> Iterator[Any]:
        meta = response.meta
        url, kind = meta["url"], meta["kind"]
        if response.status == 304:
            self.handled.add(url)
            yield DocumentNotModified(url, self.contexts.get(url, []))
            return
        if response.status >= 400 and kind == "plan":
            self.handled.add(url)  # a meeting plan we asked for on a guess, not a link: no failure
            return
        if response.status >= 400:
            ts = self.snapshot_of.get(url)
            if response.status in GONE and self.wayback and ts and not meta.get("archived"):
                yield self._archive_request(url, ts, kind=kind, depth=meta.get("depth_", 0), via=meta.get("via"))
                return
            reason = f"HTTP {response.status}"
            if meta.get("archived"):
                reason += " (also missing from the web archive)"
            self.handled.add(url)
            yield FetchFailed(url, response.status, reason, self.contexts.get(url, []))
            return
        ctype = response.headers.get(b"Content-Type", b"").decode("latin-1") or None
        body = response.body
        media = media_type(body, ctype)
        if media is None and kind == "document":
            media = "other"  # HTML where a document was linked: kept, so users see the failure
        if media == "other" and kind != "document":
            return  # a followed page that is neither HTML nor a document (an image, JSON): nothing to keep
        if media is not None:
            self.handled.add(url)
            yield self._document(response, url, media, ctype)
            return
        if kind == "meeting":
            yield from self.parse_meeting(response)
        elif kind == "plan":
            yield from self.parse_plan(response)
        elif looks_like_html(body, ctype):
            yield from self.parse_page(response)

    def _document(self, response: Response, url: str, media: str, ctype: str | None) -> DocumentFetched:
        archived = bool(response.meta.get("archived"))
        header = response.headers.get
        return DocumentFetched(
            url=url, body=response.body, content_type=ctype, media_type=media,
            etag=None if archived else (header(b"ETag") or b"").decode("latin-1") or None,
            last_modified=None if archived else (header(b"Last-Modified") or b"").decode("latin-1") or None,
            links=sorted(self.contexts.get(url, []), key=_link_order),
            final_url=response.url if response.url != url and not archived else None,
            filename=attachment_name(header(b"Content-Disposition")),
        )

    def parse_page(self, response: Response) -> Iterator[Any]:
        meta = response.meta
        page_url, snapshot = meta["url"], meta.get("snapshot")
        yield PageVisited(page_url, snapshot)
        page, links = extract_links(response.body, response.url, original_url=page_url if snapshot else None)
        depth = meta.get("depth_", 0)
        for lc in links:
            url = self._live(lc.url)
            if self._denied(url):
                continue
            if not self._allowed(url):
                if self._wanted(url, lc.context, depth):
                    self._not_allowed(url)
                continue
            if snapshot:
                self.snapshot_of.setdefault(url, snapshot)
            if self.source.meeting_page.search(url):
                yield self._page_request(url, depth + 1, via=lc.context, kind="meeting")
            elif self._is_document(url) or announces_file(lc.context.get("raw_text"), lc.context.get("title_attr")):
                link = Link(url, page_url, lc.text, {**lc.context, "period": page.get("page_period", "")}, snapshot)
                yield from self._document_link(url, link)
            elif depth < self.source.max_depth and (
                self._follow(url) or (depth < TEXT_FOLLOW_DEPTH and self._budget(lc.text))
            ):
                yield self._page_request(url, depth + 1)

    def parse_meeting(self, response: Response) -> Iterator[Any]:
        meta = response.meta
        page_url, snapshot = meta["url"], meta.get("snapshot")
        yield PageVisited(page_url, snapshot)
        meeting = parse_meeting(response.body, response.url if not snapshot else page_url,
                                self.source.meeting_document)
        budget_items = [i for i in meeting.items if self._budget(i)]
        from_plan = bool(meta.get("from_plan"))
        if not snapshot:
            yield from self._plan_requests(page_url)
        for doc in meeting.documents:
            url = self._live(doc.url)
            # A budget meeting's whole record: its summons and protocol when it was linked from a
            # budget page or its agenda has a budget item; of the agenda, the budget items.
            keep = (doc.section in ("protokoll", "innkalling") and (budget_items or not from_plan)) or (
                doc.section == "item" and self._budget(doc.item)
            )
            if not keep:
                continue
            if not self._allowed(url):
                self._not_allowed(url)
                continue
            context = {
                "link_text": doc.text,
                "page_title": meeting.title,
                "meeting": {
                    "title": meeting.title, "committee": meeting.committee, "date": meeting.date,
                    "section": doc.section, "section_title": doc.section_title,
                    "item": doc.item or " / ".join(budget_items),
                },
                "via": meta.get("via") or {},
            }
            if snapshot:
                self.snapshot_of.setdefault(url, snapshot)
            yield from self._document_link(url, Link(url, page_url, doc.text, context, snapshot))

    def _plan_requests(self, meeting_url: str) -> Iterator[scrapy.Request]:
        """Each committee's meeting plan in this portal, once: budget meetings nobody linked."""
        if not self.source.meeting_plan:
            return
        folder = meeting_url.split("?", 1)[0].rsplit("/", 1)[0] + "/"
        if folder in self.plan_folders:
            return
        self.plan_folders.add(folder)
        for committee in self.source.vocabulary.committees:
            for pid in committee.portal_ids:
                url = folder + self.source.meeting_plan.format(id=pid)
                if self._allowed(url):
                    yield self._page_request(url, depth=self.source.max_depth, kind="plan")

    def parse_plan(self, response: Response) -> Iterator[Any]:
        """A committee's meeting plan: its meetings, and its next pages when it is paginated."""
        page_url = response.meta["url"]
        yield PageVisited(page_url)
        page, links = extract_links(response.body, response.url)
        pages_read = response.meta.get("plan_page", 1)
        for lc in links:
            url = self._live(lc.url)
            if not self._allowed(url):
                if self.source.meeting_page.search(url):
                    self._not_allowed(url)
                continue
            if self.source.meeting_page.search(url):
                request = self._page_request(url, self.source.max_depth, via=lc.context, kind="meeting")
                request.meta["from_plan"] = True
                yield request
            elif PAGER.match(lc.text) and pages_read < MAX_PLAN_PAGES and _same_path(url, page_url):
                request = self._page_request(url, self.source.max_depth, kind="plan")
                request.meta["plan_page"] = pages_read + 1
                yield request

    def _document_link(self, url: str, link: Link) -> Iterator[Any]:
        known = self.contexts.setdefault(url, [])
        if any((k.source_page, k.text, k.snapshot) == (link.source_page, link.text, link.snapshot) for k in known):
            return
        known.append(link)
        if url in self.handled:
            yield LinkFound(link)
        elif len(known) == 1:
            self.deferred.append(url)

    def failed(self, failure: Failure) -> Iterator[Any]:
        request = failure.request  # type: ignore[attr-defined]
        meta = request.meta
        url = meta.get("url", request.url)
        if failure.check(IgnoreRequest):
            if "redirect" in failure.getErrorMessage().lower():
                self.handled.add(url)
                yield FetchFailed(url, None, "too many redirects (a redirect loop?)", self.contexts.get(url, []))
            if "robots.txt" in failure.getErrorMessage().lower():
                self.handled.add(url)  # linked, but the site asks robots not to fetch it: say so
                yield FetchFailed(url, None, "disallowed by robots.txt", self.contexts.get(url, []))
            return  # otherwise off-site: never requested, nothing to record
        if meta.get("kind") == "cdx":
            self.logger.warning("CDX query failed: %s", failure.getErrorMessage())
            return
        if meta.get("kind") == "plan":
            self.handled.add(url)
            self.logger.info("meeting plan not fetched: %s", failure.getErrorMessage())
            return
        self.handled.add(url)
        reason = failure_reason(failure, self.crawler.settings)
        yield FetchFailed(url, None, reason, self.contexts.get(url, []))

    # --- scope --------------------------------------------------------------------------

    def _live(self, url: str) -> str:
        m = ARCHIVED.match(url)
        if m and self.wayback and url.startswith(self.wayback):
            rest = m.group(2)
            return rest if "://" in rest else "http://" + rest
        return url

    def _allowed(self, url: str) -> bool:
        return is_allowed(url, self.allowed_netlocs)

    def _wanted(self, url: str, context: dict[str, Any], depth: int) -> bool:
        """Would this link be followed if its host were allowed? (Footer links to social media are not.)"""
        return bool(
            self.source.meeting_page.search(url) or self._is_document(url)
            or announces_file(context.get("raw_text"), context.get("title_attr"))
            or (depth < self.source.max_depth and (self._follow(url) or self._budget(context.get("link_text") or "")))
        )

    def _not_allowed(self, url: str) -> None:
        self.not_allowed.setdefault(urlsplit(url).netloc.lower(), set()).add(url)

    def _target(self, url: str) -> str:
        parts = urlsplit(url)
        return parts.path + (f"?{parts.query}" if parts.query else "")

    def _denied(self, url: str) -> bool:
        return any(p.search(self._target(url)) for p in self.source.deny)

    def _is_document(self, url: str) -> bool:
        target = self._target(url)
        return bool(self.source.meeting_document.search(target)) or any(
            p.search(target) for p in self.source.documents
        )

    def _follow(self, url: str) -> bool:
        return any(p.search(self._target(url)) for p in self.source.follow)

    def _budget(self, text: str) -> bool:
        return any(p.search(text) for p in self.source.budget_item)

    def closed(self, reason: str) -> None:
        """Documents that never got an answer (dropped by a middleware) are recorded, not lost."""
        for url, links in self.contexts.items():
            if url not in self.handled and reason == "finished":
                record_failure(self.conn, self.crawler.stats, FetchFailed(url, None, "no answer (request dropped)", links))
        self.crawler.stats.set_value("hparkiv/not_allowed", {h: len(u) for h, u in sorted(self.not_allowed.items())})
        self.conn.close()
