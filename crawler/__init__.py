"""Stage 1: collect every budget-process document with its context.

The public API is `crawl()` (in `crawler.parent`, also importable from here); it runs Scrapy
in a child process, so importing this package never imports Scrapy.

    from crawler import crawl
    summary = crawl(DataDir(path), start_urls=["http://127.0.0.1:8000/hp/"], download_delay=0)
"""

from typing import Any

__all__ = ["CrawlError", "CrawlSummary", "crawl"]


def __getattr__(name: str) -> Any:
    if name in __all__:
        from crawler import parent

        return getattr(parent, name)
    raise AttributeError(name)
