"""The OpenSearch backend's writer (`OpenSearchBackend.writer`): one update's pages, in bulk."""

from __future__ import annotations

import queue
import threading
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from catalog.models import Version
from index.analysis import DecompoundFilter
from index.backend import PageDoc
from index.opensearch import schema
from index.opensearch.client import wait_for_health

if TYPE_CHECKING:
    from index.opensearch.backend import OpenSearchBackend

BULK_PAGES = 500  # pages per bulk request
BULK_STREAMS = 2  # bulk requests in flight at once (one per data node of the local cluster)
QUEUE_PAGES = 2000  # pages waiting for a bulk stream before add_version blocks: the back-pressure


class OpenSearchWriter:
    """One update's writes into `name`: pages stream to the cluster in bulk requests from
    BULK_STREAMS threads, through a bounded queue (`add_version` waits while the cluster is
    behind: back-pressure); rejected batches (429) are retried with a growing pause (bulk.py).
    `commit` waits for every page sent and refreshes; a rebuild's `finish` merges it to one
    segment per shard, adds its replicas and swaps it in."""

    def __init__(self, backend: OpenSearchBackend, name: str, *, swap: bool, decompound: DecompoundFilter) -> None:
        self.backend = backend
        self.decompound = decompound
        self.client = backend.client
        self.name = name
        self.swap = swap
        self.queue: queue.Queue[tuple[str, dict[str, Any]] | None] = queue.Queue(maxsize=QUEUE_PAGES)
        self.threads: list[threading.Thread] = []
        self.failed_ids: list[str] = []
        self.errors: list[BaseException] = []
        self.doc_sha: dict[str, str] = {}  # doc_id -> sha256, to name the versions of refused pages

    def _start(self) -> None:
        if self.threads:
            return
        for i in range(BULK_STREAMS):
            t = threading.Thread(target=self._stream, name=f"hparkiv-bulk-{i}", daemon=True)
            t.start()
            self.threads.append(t)

    def _stream(self) -> None:
        from index.opensearch.bulk import index_pages

        def pages() -> Iterator[tuple[str, dict[str, Any]]]:
            while True:
                item = self.queue.get()
                if item is None:
                    return
                yield item

        try:
            summary = index_pages(self.client, self.name, pages(), batch_pages=BULK_PAGES)
            self.failed_ids.extend(summary.failed_ids)
        except BaseException as e:  # reported by commit; the queue is drained so add_version never blocks
            self.errors.append(e)
            while self.queue.get() is not None:
                pass

    def add_version(self, version: Version, number: int, pages: list[PageDoc]) -> int:
        self._start()
        self.doc_sha[version.doc_id] = version.sha256
        for p in pages:
            if self.errors:
                break
            self.queue.put((schema.page_id(version.doc_id, number, p.page),
                            schema.page_source(version, p.page, p.text, p.tables, content_version=number,
                                               decompound=self.decompound)))
        return len(pages)

    def delete_version(self, sha256: str) -> int:
        with self.backend.answers():
            r = self.client.delete_by_query(index=self.name, body={"query": {"term": {"sha256": sha256}}},
                                            params={"conflicts": "proceed", "refresh": "false"}, request_timeout=300)
        return int(r.get("deleted", 0))

    def commit(self) -> list[str]:
        from index.opensearch.bulk import refresh

        for _t in self.threads:
            self.queue.put(None)
        for t in self.threads:
            t.join()
        self.threads = []
        if self.errors:
            error, self.errors = self.errors[0], []
            with self.backend.answers():
                raise error
        with self.backend.answers():
            refresh(self.client, self.name)
        refused = sorted({self.doc_sha.get(_doc_id_of(i), _doc_id_of(i)) for i in self.failed_ids})
        self.failed_ids = []
        return refused

    def finish(self) -> list[str]:
        refused = self.commit()
        if self.swap:
            with self.backend.answers():
                # A rebuilt index is read far more than written: one segment per shard, merged once
                # before the replicas copy it (1M pages: 2 min; a third less disk, faster queries).
                self.client.indices.forcemerge(index=self.name, max_num_segments=1, request_timeout=6 * 3600)
                replicas = self.backend.replicas()
                self.client.indices.put_settings(index=self.name, body={"index": {
                    "number_of_replicas": replicas, "refresh_interval": None}})
                wait_for_health(self.client, status="green" if replicas else "yellow", index=self.name, seconds=600)
                from index.opensearch.bulk import refresh

                refresh(self.client, self.name)
            self.backend.swap(self.backend.pages_alias, self.name)
        return refused

    def abort(self) -> None:
        for _t in self.threads:
            try:
                self.queue.put(None, timeout=60)
            except queue.Full:
                pass
        for t in self.threads:
            t.join(timeout=60)
        self.threads = []
        if self.swap:
            try:
                self.client.indices.delete(index=self.name, ignore=404)
            except Exception:  # noqa: BLE001 - the cluster is gone: the next update's prepare() deletes it
                pass


def _doc_id_of(page_id: str) -> str:
    return page_id.split("-v", 1)[0]
