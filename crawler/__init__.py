"""Stage 1: collect every budget-process document with its context.

The public API is `crawl()` (in `crawler.run`); it runs Scrapy in a child process, so
importing this package never imports Scrapy.
"""
