"""Scrapy settings as a plain dict: polite for the real site, fast for loopback test servers."""

from __future__ import annotations

from typing import Any

USER_AGENT = "hparkiv/0.1 (+https://github.com/hparkiv/hparkiv)"
REAL_SITE_DELAY = 1.0  # seconds between requests to one host, at least
TIMEOUT = 30  # seconds per request
RETRY_HTTP_CODES = [500, 502, 503, 504, 522, 524, 408, 429]


def is_loopback(netloc: str) -> bool:
    host = netloc.rsplit(":", 1)[0] if not netloc.endswith("]") else netloc
    return host in ("localhost", "[::1]") or host.startswith("127.")


def build_settings(
    *,
    hosts: list[str],
    max_file_mb: int,
    download_delay: float | None = None,
    verbose: bool = False,
    timeout: int = TIMEOUT,
) -> dict[str, Any]:
    """Settings for one crawl. `download_delay` None means: 1 s with AutoThrottle, 0 on loopback."""
    local = bool(hosts) and all(is_loopback(h) for h in hosts)
    delay = download_delay if download_delay is not None else (0.0 if local else REAL_SITE_DELAY)
    if not local:
        delay = max(delay, REAL_SITE_DELAY)  # never faster than 1 s per host on the real web
    polite = delay > 0
    return {
        "BOT_NAME": "hparkiv",
        "USER_AGENT": USER_AGENT,
        "ROBOTSTXT_OBEY": True,
        "COOKIES_ENABLED": False,
        "TELNETCONSOLE_ENABLED": False,
        "DOWNLOAD_DELAY": delay,
        "RANDOMIZE_DOWNLOAD_DELAY": False,
        "AUTOTHROTTLE_ENABLED": polite,
        "AUTOTHROTTLE_START_DELAY": max(delay, 1.0),
        "AUTOTHROTTLE_MAX_DELAY": 60.0,
        "AUTOTHROTTLE_TARGET_CONCURRENCY": 1.0,
        "CONCURRENT_REQUESTS": 8 if local else 4,
        "CONCURRENT_REQUESTS_PER_DOMAIN": 8 if local else 1,
        "DOWNLOAD_TIMEOUT": timeout,
        "DOWNLOAD_MAXSIZE": max_file_mb * 1024 * 1024,
        "DOWNLOAD_WARNSIZE": 0,
        "RETRY_ENABLED": True,
        "RETRY_TIMES": 3,
        "RETRY_HTTP_CODES": RETRY_HTTP_CODES,
        "HPARKIV_RETRY_BACKOFF": 0.05 if local else 2.0,
        "REDIRECT_ENABLED": True,
        "REDIRECT_MAX_TIMES": 10,
        "METAREFRESH_ENABLED": False,
        "DEPTH_LIMIT": 0,
        "HTTPCACHE_ENABLED": False,
        "LOG_LEVEL": "DEBUG" if verbose else "ERROR",
        "LOG_ENABLED": True,
        "DOWNLOADER_MIDDLEWARES": {
            "crawler.middlewares.AllowedHostsMiddleware": 50,
            "crawler.middlewares.PolitenessMiddleware": 60,
            "scrapy.downloadermiddlewares.retry.RetryMiddleware": None,
            "crawler.middlewares.BackoffRetryMiddleware": 550,
        },
        "ITEM_PIPELINES": {
            "crawler.pipelines.ClassifyPipeline": 100,
            "crawler.pipelines.StorePipeline": 200,
            "crawler.pipelines.CatalogPipeline": 300,
            "crawler.pipelines.ProgressPipeline": 400,
        },
    }
