"""Item pipelines, one job each: classify, store bytes, record in the catalog, report progress.

Order matters for crash safety: the bytes are stored (atomically, by hash) before the
catalog row that points at them is written, so a kill at any moment never leaves a row
without its file.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from catalog import DataDir, connect, record_fetch_failure, record_link, record_not_modified, record_version
from crawler.classify import decide
from crawler.firstpage import first_pages
from crawler.items import DocumentFetched, DocumentNotModified, FetchFailed, LinkFound, PageVisited
from crawler.progress import emit
from sources import Source, load_source


def origin_of(source: Source) -> dict[str, str]:
    """What every version a source finds is recorded with: its municipality and the source."""
    k = source.kommune
    return {"source": source.name, **({"kommune": k.name, "kommunenummer": k.number} if k else {})}


class ClassifyPipeline:
    """Year, period, committee, doctype, date and title, each with its provenance."""

    def __init__(self, crawler: Any) -> None:
        self.crawler = crawler
        self.vocab = load_source(crawler.settings.get("HPARKIV_SOURCE")).vocabulary

    @classmethod
    def from_crawler(cls, crawler: Any) -> ClassifyPipeline:
        return cls(crawler)

    def process_item(self, item: Any) -> Any:
        if isinstance(item, DocumentFetched):
            first_page, pdf_title = first_pages(item.body) if item.media_type == "pdf" else ("", "")
            found = decide(item.links, item.url, first_page, self.vocab, filename=item.filename, pdf_title=pdf_title)
            item.meta, item.provenance = found.meta, found.provenance
        return item


class StorePipeline:
    """Document bytes into files/ by sha256 (atomic write; identical bytes stored once)."""

    def __init__(self, crawler: Any) -> None:
        self.data_dir = DataDir(Path(crawler.settings.get("HPARKIV_DATA_DIR")))

    @classmethod
    def from_crawler(cls, crawler: Any) -> StorePipeline:
        return cls(crawler)

    def process_item(self, item: Any) -> Any:
        if isinstance(item, DocumentFetched):
            item.sha256 = self.data_dir.store_bytes(item.body)
        return item


class CatalogPipeline:
    """Versions, 304s, failures and links into the catalog; counts for the summary."""

    def __init__(self, crawler: Any) -> None:
        self.stats = crawler.stats
        self.conn = connect(DataDir(Path(crawler.settings.get("HPARKIV_DATA_DIR"))))
        self.origin = origin_of(load_source(crawler.settings.get("HPARKIV_SOURCE")))

    @classmethod
    def from_crawler(cls, crawler: Any) -> CatalogPipeline:
        return cls(crawler)

    def process_item(self, item: Any) -> Any:
        if isinstance(item, PageVisited):
            self.stats.inc_value("hparkiv/pages_visited")
        elif isinstance(item, DocumentFetched):
            assert item.sha256, "StorePipeline must run first"
            for url in filter(None, (item.url, item.final_url)):
                result = record_version(
                    self.conn, url=url, sha256=item.sha256, size=len(item.body), media_type=item.media_type,
                    content_type=item.content_type, etag=item.etag, last_modified=item.last_modified,
                    meta=item.meta, provenance=item.provenance, origin=self.origin,
                )
                item.result = item.result or result
            self._links(item.links)
            self.stats.inc_value(f"hparkiv/{item.result}")
            self.stats.inc_value("hparkiv/documents_seen")
            item.body = b""  # the bytes are stored; do not keep them in memory
        elif isinstance(item, DocumentNotModified):
            record_not_modified(self.conn, item.url, origin=self.origin)
            self._links(item.links)
            self.stats.inc_value("hparkiv/unchanged")
            self.stats.inc_value("hparkiv/documents_seen")
        elif isinstance(item, FetchFailed):
            record_failure(self.conn, self.stats, item, self.origin["source"])
        elif isinstance(item, LinkFound):
            self._links([item.link])
        return item

    def _links(self, links: list[Any]) -> None:
        _record_links(self.conn, self.stats, links)

    def close_spider(self) -> None:
        self.conn.close()


def record_failure(conn: Any, stats: Any, item: FetchFailed, source: str | None = None) -> None:
    """A failed URL (or an answer that could not be used) into the catalog, with its links and
    the source whose crawl met it, and into the run's failure list."""
    record_fetch_failure(conn, item.url, item.http_status, item.reason, source=source)
    _record_links(conn, stats, item.links)
    stats.inc_value("hparkiv/problems" if item.problem else "hparkiv/failed")
    stats.set_value("hparkiv/failures", [*stats.get_value("hparkiv/failures", []), [item.url, item.reason]])


def _record_links(conn: Any, stats: Any, links: list[Any]) -> None:
    for link in links:
        record_link(conn, link)
        stats.inc_value("hparkiv/links_found")


class ProgressPipeline:
    """One JSON progress line per outcome, at most a few per second (the last one always)."""

    def __init__(self, crawler: Any) -> None:
        self.stats = crawler.stats
        self.source = load_source(crawler.settings.get("HPARKIV_SOURCE")).name
        self.last = 0.0

    @classmethod
    def from_crawler(cls, crawler: Any) -> ProgressPipeline:
        return cls(crawler)

    def process_item(self, item: Any) -> Any:
        now = time.monotonic()
        if now - self.last >= 0.2:
            self.last = now
            emit({**progress_counts(self.stats.get_stats()), "source": self.source})
        return item


def progress_counts(stats: dict[str, Any]) -> dict[str, Any]:
    keys = ("pages_visited", "documents_seen", "new", "changed", "unchanged", "failed", "problems", "links_found")
    return {"event": "progress", **{k: int(stats.get(f"hparkiv/{k}", 0)) for k in keys}}
