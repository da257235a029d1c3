"""Downloader middlewares: a strict host check, one politeness clock per host, and retries
that back off."""

from __future__ import annotations

import asyncio
import time
from urllib.parse import urlsplit

from scrapy import Request
from scrapy.downloadermiddlewares.retry import RetryMiddleware
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Response

from crawler.hosts import is_allowed


class AllowedHostsMiddleware:
    """Refuse any request (robots.txt and redirects included) to a netloc we were not allowed.

    Scrapy's own OffsiteMiddleware compares host names only; loopback test servers differ
    by port, so an entry may name a port (`host:port`); one without allows every port.
    """

    def __init__(self, crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def process_request(self, request: Request) -> None:
        allowed = getattr(self.crawler.spider, "allowed_netlocs", None)
        if allowed is None:
            return None
        if not is_allowed(request.url, allowed):
            raise IgnoreRequest(f"off-site: {request.url}")
        return None


# host -> the earliest moment (time.monotonic) its next request may go out. One per process: every
# source's crawler in it shares the clock, so two sources on one host (pub.framsikt.net,
# api.einnsyn.no, opengov.360online.com) together ask no faster than one would.
_NEXT_SLOT: dict[str, float] = {}


class PolitenessMiddleware:
    """Spaces the requests to each host by its delay (`HPARKIV_HOST_DELAYS`: host -> seconds),
    across every crawler of the process, by reserving the host's next free moment."""

    def __init__(self, crawler) -> None:
        self.delays: dict[str, float] = dict(crawler.settings.getdict("HPARKIV_HOST_DELAYS"))

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    async def process_request(self, request: Request) -> None:
        host = (urlsplit(request.url).hostname or "").lower()
        delay = float(self.delays.get(host, 0.0))
        if delay <= 0:
            return None
        now = time.monotonic()
        slot = max(now, _NEXT_SLOT.get(host, 0.0))
        _NEXT_SLOT[host] = slot + delay
        if slot > now:
            await asyncio.sleep(slot - now)
        return None


class BackoffRetryMiddleware(RetryMiddleware):
    """Scrapy's retry, but waiting base * 2^n seconds (or the server's Retry-After) first."""

    def __init__(self, settings) -> None:
        super().__init__(settings)
        self.backoff = settings.getfloat("HPARKIV_RETRY_BACKOFF", 1.0)

    async def process_response(self, request: Request, response: Response) -> Request | Response:  # type: ignore[override]
        retries = request.meta.get("retry_times", 0)
        if (
            response.status in self.retry_http_codes
            and not request.meta.get("dont_retry", False)
            and retries < self.max_retry_times
        ):
            await asyncio.sleep(self._wait(retries, response))
        return super().process_response(request, response)

    def _wait(self, retries: int, response: Response) -> float:
        after = response.headers.get(b"Retry-After")
        if after and after.strip().isdigit():
            return min(float(after.strip()), 60.0)
        return min(self.backoff * (2**retries), 60.0)
