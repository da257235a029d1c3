"""Two downloader middlewares: a strict host check and retries that back off."""

from __future__ import annotations

import asyncio

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
