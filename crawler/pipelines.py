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
from crawler.classify import classify, fill_from_text, finish, is_generic
from crawler.context import clean_text
from crawler.firstpage import first_page_text
from crawler.items import DocumentFetched, DocumentNotModified, FetchFailed, LinkFound, PageVisited
from crawler.progress import emit
from crawler.source import load_source
from crawler.title import is_weak_title, title_from_text

FIELDS_FROM_CONTEXT = ("doctype", "year", "period", "committee")


def _silent(ctx: dict[str, Any]) -> bool:
    """A link whose surroundings say nothing specific ("pdf" alone in an unlabelled box)."""
    if ctx.get("meeting"):
        return False
    text = ctx.get("link_text") or ""
    block = ctx.get("block") or ""
    return is_generic(text) and (not block or is_generic(block)) and not ctx.get("label") \
        and not ctx.get("title_attr")


class ClassifyPipeline:
    """Year, period, committee, doctype, date and title, each with its provenance."""

    def __init__(self, crawler: Any) -> None:
        self.crawler = crawler
        self.vocab = load_source(crawler.settings.get("HPARKIV_SOURCE")).vocabulary

    @classmethod
    def from_crawler(cls, crawler: Any) -> ClassifyPipeline:
        return cls(crawler)

    def process_item(self, item: Any) -> Any:
        if not isinstance(item, DocumentFetched):
            return item
        results = [(*classify(link.context, item.url, self.vocab), _silent(link.context)) for link in item.links]
        if not results:
            results = [(*classify({}, item.url, self.vocab), True)]
        results.sort(key=lambda r: r[2])  # links with a telling context first (stable otherwise)
        meta, prov, silent = dict(results[0][0]), dict(results[0][1]), results[0][2]
        for other, other_prov, _ in results[1:]:
            if other.get("doctype") not in (None, meta.get("doctype")) or other.get("period") not in (
                None, meta.get("period")
            ):
                continue  # another document's context (a different type or plan period): do not mix
            for key, value in other.items():
                if meta.get(key) is None and key not in prov and value is not None:
                    meta[key], prov[key] = value, other_prov.get(key, "")
        weak_title = is_weak_title(meta.get("title"), prov.get("title"), self.vocab)
        needs_text = silent or weak_title or any(meta.get(f) is None for f in FIELDS_FROM_CONTEXT + ("date",))
        text = first_page_text(item.body) if item.media_type == "pdf" and needs_text else ""
        if text and weak_title and (own := title_from_text(text)):
            meta["title"], prov["title"] = own, f"first page (the link said {meta.get('title')!r})"
        if item.media_type == "pdf" and needs_text:
            if text:
                if silent:  # the document itself is the better witness
                    decided, decided_prov = dict(meta), dict(prov)
                    for key in FIELDS_FROM_CONTEXT:
                        meta[key] = None
                        prov.pop(key, None)
                    fill_from_text(meta, prov, text, self.vocab)
                    for key, value in decided.items():
                        if meta.get(key) is None and value is not None and key not in prov:
                            meta[key] = value
                            if key in decided_prov:
                                prov[key] = decided_prov[key]
                else:
                    fill_from_text(meta, prov, text, self.vocab, committee=False)
        finish(meta, prov)
        for key, value in meta.items():  # titles may come from a PDF's metadata: no escapes
            if isinstance(value, str):
                meta[key] = clean_text(value)
        item.meta, item.provenance = meta, {k: v for k, v in prov.items() if v}
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
                    meta=item.meta, provenance=item.provenance,
                )
                item.result = item.result or result
            self._links(item.links)
            self.stats.inc_value(f"hparkiv/{item.result}")
            self.stats.inc_value("hparkiv/documents_seen")
            item.body = b""  # the bytes are stored; do not keep them in memory
        elif isinstance(item, DocumentNotModified):
            record_not_modified(self.conn, item.url)
            self._links(item.links)
            self.stats.inc_value("hparkiv/unchanged")
            self.stats.inc_value("hparkiv/documents_seen")
        elif isinstance(item, FetchFailed):
            record_fetch_failure(self.conn, item.url, item.http_status, item.reason)
            self._links(item.links)
            self.stats.inc_value("hparkiv/failed")
            failures = self.stats.get_value("hparkiv/failures", [])
            self.stats.set_value("hparkiv/failures", [*failures, [item.url, item.reason]])
        elif isinstance(item, LinkFound):
            self._links([item.link])
        return item

    def _links(self, links: list[Any]) -> None:
        for link in links:
            record_link(self.conn, link)
            self.stats.inc_value("hparkiv/links_found")

    def close_spider(self) -> None:
        self.conn.close()


class ProgressPipeline:
    """One JSON progress line per outcome, at most a few per second (the last one always)."""

    def __init__(self, crawler: Any) -> None:
        self.stats = crawler.stats
        self.last = 0.0

    @classmethod
    def from_crawler(cls, crawler: Any) -> ProgressPipeline:
        return cls(crawler)

    def process_item(self, item: Any) -> Any:
        now = time.monotonic()
        if now - self.last >= 0.2:
            self.last = now
            emit(progress_counts(self.stats.get_stats()))
        return item


def progress_counts(stats: dict[str, Any]) -> dict[str, Any]:
    keys = ("pages_visited", "documents_seen", "new", "changed", "unchanged", "failed", "links_found")
    return {"event": "progress", **{k: int(stats.get(f"hparkiv/{k}", 0)) for k in keys}}
