"""The one spider: runs a source's platform adapters (crawler/adapters/) and fetches documents.

The adapters decide what to read and what a page means; the spider makes their requests
(through the polite downloader), hands them the answers, and does what is the same for every
platform: documents are fetched once every page is read (so each is classified from all its
links), conditionally (ETag, Last-Modified), decided by their bytes (never by the URL), looked
for in the web archive when gone, and every failure is recorded with a reason.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Iterator
from dataclasses import replace
from datetime import UTC, datetime
from email.utils import format_datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import scrapy
from scrapy import signals
from scrapy.exceptions import DontCloseSpider, IgnoreRequest
from scrapy.http import Response, TextResponse
from twisted.python.failure import Failure

from catalog import DataDir, Link, conditional_headers, connect, holds_version
from crawler.adapters import (
    ADAPTERS,
    Adapter,
    Answer,
    BuiltDocument,
    DocumentLink,
    Fetch,
    Note,
    Problem,
    Visited,
)
from crawler.documents import attachment_name, looks_like_html, media_type
from crawler.hosts import is_allowed
from crawler.items import DocumentFetched, DocumentNotModified, FetchFailed, LinkFound, PageVisited
from crawler.pipelines import record_failure
from crawler.reasons import failure_reason
from sources import Platform, Source, load_source

# Statuses the callback sees itself (3xx other than 304 are left to the redirect middleware).
HANDLED = [304, 400, 401, 403, 404, 405, 406, 410, 429, 451, 500, 501, 502, 503, 504]
ALL_ERRORS = [304, *range(400, 600)]  # for adapters that read error answers (an API's JSON errors)
GONE = (404, 410)
ARCHIVED = re.compile(r"^https?://[^/]+/web/(\d{1,14})[a-z_]*/(.+)$")


def _link_order(link: Link) -> tuple[bool, int, str, str]:
    """Live pages before archived snapshots, pages nearer the start first: an order that does
    not depend on which response arrived first."""
    return (bool(link.snapshot), len(link.source_page), link.source_page, link.text)


def _http_date(ts: str) -> str:
    """A Wayback timestamp (YYYYMMDDhhmmss, UTC) as an HTTP date."""
    moment = datetime.strptime(ts.ljust(14, "0")[:14], "%Y%m%d%H%M%S").replace(tzinfo=UTC)
    return format_datetime(moment, usegmt=True)


class BudgetSpider(scrapy.Spider):
    name = "budget"

    def __init__(self, config: dict[str, Any], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.config = config
        self.source: Source = load_source(config["source"])
        self.allowed_netlocs: set[str] = {h.lower() for h in config["allowed_netlocs"]}
        self.allowed_domains = sorted({n.rsplit(":", 1)[0].lstrip("*.") for n in self.allowed_netlocs})
        self.wayback: str | None = (config.get("wayback") or "").rstrip("/") or None
        self.environ = os.environ
        self.conn = connect(DataDir(Path(config["data_dir"])))
        self.contexts: dict[str, list[Link]] = {}  # document URL -> links seen so far
        self.handled: set[str] = set()  # document URLs whose fetch is done
        self.snapshot_of: dict[str, str] = {}  # URL -> Wayback timestamp of the snapshot linking it
        self.seen_digests: set[str] = set()
        self.deferred: list[str] = []  # document URLs to fetch once every page has been read
        self.not_allowed_urls: dict[str, set[str]] = {}  # host -> URLs we would have followed there
        self.adapters: list[Adapter] = [ADAPTERS[p.kind](self.source, p, self, i)
                                        for i, p in enumerate(self._platforms(config))]

    def _platforms(self, config: dict[str, Any]) -> list[Platform]:
        """The source's platforms; `--start-url` replaces the CMS's start pages (and means a CMS)."""
        platforms = list(self.source.platforms)
        starts = list(config.get("start_urls") or [])
        if not config.get("start_urls_given"):
            return platforms
        cms = [i for i, p in enumerate(platforms) if p.kind == "cms"]
        replaced = Platform("cms", {**(platforms[cms[0]].options if cms else {}), "start_urls": starts})
        if cms:
            platforms[cms[0]] = replaced
        else:
            platforms.insert(0, replaced)
        return platforms

    @classmethod
    def from_crawler(cls, crawler: Any, *args: Any, **kwargs: Any) -> BudgetSpider:
        spider = super().from_crawler(crawler, *args, **kwargs)
        crawler.signals.connect(spider.fetch_documents, signal=signals.spider_idle)
        return spider

    # --- what adapters may ask (crawler.adapters.base.Env) ----------------------------------------

    def allowed(self, url: str) -> bool:
        return is_allowed(url, self.allowed_netlocs)

    def not_allowed(self, url: str) -> None:
        self.not_allowed_urls.setdefault(urlsplit(url).netloc.lower(), set()).add(url)

    def claim(self, url: str, asking: Adapter) -> Adapter | None:
        """The other adapter of this source that reads `url` (a meeting, a publication), if any."""
        return next((a for a in self.adapters if a is not asking and a.claims(url)), None)

    def live(self, url: str) -> str:
        m = ARCHIVED.match(url)
        if m and self.wayback and url.startswith(self.wayback):
            rest = m.group(2)
            return rest if "://" in rest else "http://" + rest
        return url

    # --- start and requests -------------------------------------------------------------------

    async def start(self) -> Any:
        for adapter in self.adapters:
            for item in self._run(adapter, adapter.start(), ""):
                yield item

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

    def _request(self, fetch: Fetch) -> scrapy.Request:
        meta: dict[str, Any] = {"kind": "page", "fetch": fetch, "url": fetch.url,
                                "handle_httpstatus_list": ALL_ERRORS if fetch.errors else HANDLED}
        url = fetch.url
        if fetch.snapshot:
            assert self.wayback
            url = f"{self.wayback}/web/{fetch.snapshot}id_/{fetch.url}"
            meta["archived"] = True
        return scrapy.Request(url, callback=self.answer, errback=self.failed, priority=fetch.priority,
                              headers=fetch.headers or None, dont_filter=fetch.again, meta=meta)

    def _document_request(self, url: str, snapshot: str | None = None) -> scrapy.Request:
        # dont_filter: each document URL is requested once anyway (see _document_link), and a
        # redirect loop must end in "too many redirects", not vanish in the duplicate filter.
        meta: dict[str, Any] = {"kind": "document", "url": url, "handle_httpstatus_list": HANDLED}
        if snapshot:
            assert self.wayback
            # A capture never changes after its timestamp: a document we already hold from the archive
            # is asked for only if modified since then (an archive that ignores this just sends it again).
            headers = {"If-Modified-Since": _http_date(snapshot)} if holds_version(self.conn, url) else {}
            meta.update(snapshot=snapshot, archived=True)
            return scrapy.Request(f"{self.wayback}/web/{snapshot}id_/{url}", callback=self.answer, errback=self.failed,
                                  priority=5, headers=headers, dont_filter=True, meta=meta)
        return scrapy.Request(url, callback=self.answer, errback=self.failed, headers=conditional_headers(self.conn, url),
                              dont_filter=True, meta=meta)

    # --- answers ------------------------------------------------------------------------------

    def answer(self, response: Response) -> Iterator[Any]:
        meta = response.meta
        if meta["kind"] == "document":
            yield from self._document_answer(response)
            return
        fetch: Fetch = meta["fetch"]
        url, status, archived = fetch.url, response.status, bool(meta.get("archived"))
        if status >= 400 and not fetch.errors:
            if fetch.quiet:
                return  # asked for on a guess (a year's meeting plan), not linked: no failure
            ts = self.snapshot_of.get(url)
            if status in GONE and self.wayback and ts and not archived:
                yield self._request(replace(fetch, snapshot=ts))
                return
            reason = f"HTTP {status}" + (" (also missing from the web archive)" if archived else "")
            yield FetchFailed(url, status, reason, self.contexts.get(url, []))
            return
        ctype = response.headers.get(b"Content-Type", b"").decode("latin-1") or None
        if fetch.expect == "html" and status < 400:
            media = media_type(response.body, ctype)
            if media == "other":
                return  # a followed page that is neither HTML nor a document (an image, JSON): nothing to keep
            if media is not None:  # a link followed as a page answered with a document: keep it
                self.handled.add(url)
                yield self._document(response, url, media, ctype)
                return
            if not looks_like_html(response.body, ctype):
                return
        answer = Answer(
            url=url, final_url=url if archived else response.url, status=status,
            headers={k.decode("latin-1").lower(): v[0].decode("latin-1") for k, v in response.headers.items() if v},
            body=response.body, meta=fetch.meta, depth=fetch.depth, snapshot=fetch.snapshot,
            encoding=response.encoding if isinstance(response, TextResponse) else None,
        )
        adapter = self.adapters[fetch.adapter]
        yield from self._run(adapter, getattr(adapter, fetch.callback)(answer), url)

    def _run(self, adapter: Adapter, results: Iterable[Any], url: str) -> Iterator[Any]:
        """Turn what an adapter yields into requests and items; an adapter that fails on an answer
        costs that answer only (recorded with the reason), never the run."""
        try:
            for r in results or ():
                if isinstance(r, Fetch):
                    yield self._request(r)
                elif isinstance(r, DocumentLink):
                    r.link.context.setdefault("platform", adapter.kind)
                    yield from self._document_link(r.url, r.link)
                elif isinstance(r, BuiltDocument):
                    for link in r.links:
                        link.context.setdefault("platform", adapter.kind)
                    yield from self._built(r)
                elif isinstance(r, Problem):
                    yield FetchFailed(r.url, r.status, r.reason, [], problem=not (r.status and r.status >= 400))
                elif isinstance(r, Visited):
                    yield PageVisited(r.url, r.snapshot)
                elif isinstance(r, Note):
                    stats = self.crawler.stats
                    stats.inc_value(f"hparkiv/{r.key}")
                    stats.set_value("hparkiv/notes", [*stats.get_value("hparkiv/notes", []), r.text])
        except Exception as e:  # an adapter's bug or a page nobody foresaw: this answer only
            self.logger.exception("the %s adapter failed on %s", adapter.kind, url)
            yield FetchFailed(url, None, f"could not be read ({adapter.kind}): {type(e).__name__}: {str(e)[:160]}",
                              [], problem=True)

    def _built(self, doc: BuiltDocument) -> Iterator[Any]:
        self.handled.add(doc.url)
        links = self.contexts.setdefault(doc.url, [])
        links += [link for link in doc.links if link not in links]
        yield DocumentFetched(url=doc.url, body=doc.body, content_type=doc.content_type, media_type=doc.media_type,
                              etag=None, last_modified=None, links=sorted(links, key=_link_order),
                              final_url=doc.final_url)

    def _document_answer(self, response: Response) -> Iterator[Any]:
        meta = response.meta
        url = meta["url"]
        if response.status == 304:
            self.handled.add(url)
            yield DocumentNotModified(url, self.contexts.get(url, []))
            return
        if response.status >= 400:
            ts = self.snapshot_of.get(url)
            if response.status in GONE and self.wayback and ts and not meta.get("archived"):
                yield self._document_request(url, snapshot=ts)
                return
            reason = f"HTTP {response.status}"
            if meta.get("archived"):
                reason += " (also missing from the web archive)"
            self.handled.add(url)
            yield FetchFailed(url, response.status, reason, self.contexts.get(url, []))
            return
        ctype = response.headers.get(b"Content-Type", b"").decode("latin-1") or None
        media = media_type(response.body, ctype) or "other"  # HTML where a document was linked: kept, so users see it
        self.handled.add(url)
        yield self._document(response, url, media, ctype)

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
        fetch: Fetch | None = meta.get("fetch")
        if failure.check(IgnoreRequest):
            message = failure.getErrorMessage().lower()
            if "redirect" in message:
                self.handled.add(url)
                yield FetchFailed(url, None, "too many redirects (a redirect loop?)", self.contexts.get(url, []))
            if "robots.txt" in message:
                self.handled.add(url)  # linked, but the site asks robots not to fetch it: say so
                yield FetchFailed(url, None, "disallowed by robots.txt", self.contexts.get(url, []))
            return  # otherwise off-site: never requested, nothing to record
        reason = failure_reason(failure, self.crawler.settings)
        if fetch is not None and fetch.errors:
            adapter = self.adapters[fetch.adapter]
            answer = Answer(url=url, final_url=url, status=0, headers={}, body=b"", meta=fetch.meta, depth=fetch.depth,
                            error=reason)
            yield from self._run(adapter, getattr(adapter, fetch.callback)(answer), url)
            return
        if fetch is not None and fetch.quiet:
            self.logger.info("not fetched (asked on a guess): %s: %s", url, reason)
            return
        self.handled.add(url)
        yield FetchFailed(url, None, reason, self.contexts.get(url, []))

    def closed(self, reason: str) -> None:
        """Documents that never got an answer (dropped by a middleware) are recorded, not lost."""
        for url, links in self.contexts.items():
            if url not in self.handled and reason == "finished":
                record_failure(self.conn, self.crawler.stats, FetchFailed(url, None, "no answer (request dropped)", links),
                               self.source.name)
        self.crawler.stats.set_value("hparkiv/not_allowed", {h: len(u) for h, u in sorted(self.not_allowed_urls.items())})
        self.conn.close()
