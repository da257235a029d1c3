"""Bulk indexing with back-pressure, and the index's life cycle (create, refresh).

Pages go to `_bulk` in batches of bounded size, one batch in flight per stream: the next
batch waits for the cluster's answer to the last. A batch or page the cluster rejects as
overloaded (429) is sent again after a growing pause, up to `max_retries`; any other
rejected page is reported with its reason and the run goes on. Page ids are
`{doc_id}-v{version}-p{page}` (schema.page_id), so sending a page again overwrites it: an
interrupted run is resumed by running it again, without duplicates.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from index.opensearch.client import EngineError
from index.opensearch.schema import SCHEMA_VERSION, common_words, index_body

if TYPE_CHECKING:
    from opensearchpy import OpenSearch

BATCH_PAGES = 500
BATCH_BYTES = 8 * 1024 * 1024
MAX_RETRIES = 8


@dataclass
class BulkSummary:
    indexed: int = 0
    failed: int = 0
    errors: list[str] = field(default_factory=list)  # the first few, "id: reason"


def create_index(client: OpenSearch, name: str, lexicon: frozenset[str], common: frozenset[str] = frozenset(), *,
                 shards: int = 1, replicas: int = 1, wait: str = "green", seconds: float = 120) -> None:
    """Create the index (with the schema of this version) and wait until its shards are `wait`."""
    from opensearchpy.exceptions import RequestError

    body = index_body(lexicon, common, shards=shards, replicas=replicas)
    try:
        client.indices.create(index=name, body=body, params={"wait_for_active_shards": "1", "timeout": f"{int(seconds)}s"},
                              request_timeout=seconds + 15)
    except RequestError as e:
        raise EngineError(f"cannot create index {name}: {e.error}: {_reason(e.info)}") from None
    from index.opensearch.client import wait_for_health

    h = wait_for_health(client, status=wait, index=name, seconds=seconds)
    if h.get("timed_out"):
        raise EngineError(f"index {name} not {wait} after {seconds:.0f} s: {h.get('status')}")


def schema_version(client: OpenSearch, name: str) -> int | None:
    """The schema version an existing index was built with (None if it has none)."""
    m = client.indices.get_mapping(index=name)
    meta = next(iter(m.values()))["mappings"].get("_meta", {})
    return meta.get("hparkiv_schema")


def is_current(client: OpenSearch, name: str) -> bool:
    return schema_version(client, name) == SCHEMA_VERSION


def index_common_words(client: OpenSearch, name: str) -> frozenset[str]:
    """The common words (of the pairs field) an existing index was built with."""
    m = client.indices.get_mapping(index=name)
    return common_words(next(iter(m.values()))["mappings"])


def index_pages(client: OpenSearch, name: str, pages: Iterable[tuple[str, dict[str, Any]]], *,
                batch_pages: int = BATCH_PAGES, batch_bytes: int = BATCH_BYTES, max_retries: int = MAX_RETRIES,
                request_seconds: float = 120) -> BulkSummary:
    """Index (id, document) pairs; returns what was indexed and what was refused, and why."""
    from opensearchpy import helpers

    summary = BulkSummary()
    actions = _actions(name, pages)
    for ok, item in helpers.streaming_bulk(client, actions, chunk_size=batch_pages, max_chunk_bytes=batch_bytes,
                                           raise_on_error=False, raise_on_exception=False, max_retries=max_retries,
                                           initial_backoff=0.5, max_backoff=30, request_timeout=request_seconds):
        if ok:
            summary.indexed += 1
            continue
        summary.failed += 1
        if len(summary.errors) < 20:
            info = next(iter(item.values()), {})
            summary.errors.append(f"{info.get('_id', '?')}: {_reason(info.get('error'))}")
    return summary


def _actions(name: str, pages: Iterable[tuple[str, dict[str, Any]]]) -> Iterator[dict[str, Any]]:
    for page_id, doc in pages:
        yield {"_op_type": "index", "_index": name, "_id": page_id, "_source": doc}


def refresh(client: OpenSearch, name: str) -> None:
    client.indices.refresh(index=name, request_timeout=300)


def delete_version(client: OpenSearch, name: str, doc_id: str, version: int | None = None) -> int:
    """Delete a document's pages (of one content version, or all); the number deleted."""
    must: list[dict[str, Any]] = [{"term": {"doc_id": doc_id}}]
    if version is not None:
        must.append({"term": {"version": version}})
    r = client.delete_by_query(index=name, body={"query": {"bool": {"filter": must}}},
                               params={"refresh": "true", "conflicts": "proceed"}, request_timeout=300)
    return int(r.get("deleted", 0))


def _reason(error: Any) -> str:
    if isinstance(error, dict):
        inner = error.get("error", error)
        if isinstance(inner, dict):
            reason = inner.get("reason") or inner.get("type") or str(inner)
            cause = inner.get("caused_by", {})
            return f"{reason} ({cause.get('reason')})" if isinstance(cause, dict) and cause.get("reason") else str(reason)
        return str(inner)
    return str(error)
