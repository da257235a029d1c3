"""Connecting to an OpenSearch cluster: one client over all its nodes.

opensearch-py (the optional extra `hparkiv[opensearch]`) rather than plain HTTP: its
transport spreads requests over every URL given, marks a node that stops answering as dead
and retries the request on another (a query survives a node's death), and its bulk helper
retries rejected (429) batches with a backoff: the back-pressure of bulk indexing. We
would otherwise write both ourselves.

One trap: opensearch-py reads a `timeout=` keyword as the HTTP timeout (so
`health(timeout="60s")` fails on "60s"). The server-side wait goes in `params`, with
`request_timeout` (seconds) beside it; `wait_for_health` does that.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

if TYPE_CHECKING:
    from opensearchpy import OpenSearch

URL_ENV = "HPARKIV_OPENSEARCH_URL"


class EngineError(Exception):
    """The cluster could not be reached or refused a request: one line for the user."""


def parse_urls(urls: str | Sequence[str]) -> list[str]:
    """"http://h:9200,http://h:9201" (or a list) -> the node URLs; a bad one is an EngineError."""
    items = urls.split(",") if isinstance(urls, str) else list(urls)
    out = []
    for raw in (u.strip() for u in items):
        if not raw:
            continue
        parts = urlsplit(raw)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise EngineError(f"not an OpenSearch URL: {raw!r} (use http://HOST:PORT)")
        out.append(raw.rstrip("/"))
    if not out:
        raise EngineError("no OpenSearch URL given")
    return out


def connect(urls: str | Sequence[str], *, timeout: float = 30, retries: int = 5) -> OpenSearch:
    """A client over all the nodes: a request that meets a dead node or a 502/503/504 is
    retried on another node (`retries` times)."""
    try:
        from opensearchpy import OpenSearch
    except ImportError:
        raise EngineError("the OpenSearch backend needs opensearch-py: pip install 'hparkiv[opensearch]'") from None
    return OpenSearch(parse_urls(urls), timeout=timeout, max_retries=retries, retry_on_timeout=True,
                      retry_on_status=(502, 503, 504), http_compress=True)


def wait_for_health(client: OpenSearch, *, status: str = "green", nodes: int | str | None = None,
                    index: str | None = None, seconds: float = 60) -> dict[str, Any]:
    """_cluster/health, waiting server-side up to `seconds` for `status` (and `nodes`)."""
    params: dict[str, Any] = {"wait_for_status": status, "timeout": f"{int(seconds)}s",
                              "wait_for_no_initializing_shards": "true"}
    if nodes is not None:
        params["wait_for_nodes"] = str(nodes)
    kwargs: dict[str, Any] = {"params": params, "request_timeout": seconds + 15}
    if index:
        kwargs["index"] = index
    from opensearchpy.exceptions import TransportError

    try:
        return client.cluster.health(**kwargs)
    except TransportError as e:
        if e.status_code == 408 and isinstance(e.info, dict):  # the wait timed out: its report
            return e.info
        raise


# A search that met a node's death between its phases (its shard copy gone before the fetch)
# fails as a whole rather than answer with pages missing; it is asked again, and then lands
# on the copies that live. Overload (429) and a cluster between managers (503) likewise.
SEARCH_ATTEMPTS = 4
_RETRYABLE = {"search_phase_execution_exception", "node_disconnected_exception", "node_not_connected_exception",
              "cluster_block_exception", "no_shard_available_action_exception"}


def search(client: OpenSearch, index: str, body: dict[str, Any], *, attempts: int = SEARCH_ATTEMPTS,
           seconds: float = 30) -> dict[str, Any]:
    """One `_search`, complete or not at all: partial results are refused, and a search that
    fails because a node died or the cluster is busy is asked again (up to `attempts` times)."""
    from opensearchpy.exceptions import ConnectionError as TransportConnectionError
    from opensearchpy.exceptions import TransportError

    for attempt in range(1, attempts + 1):
        try:
            return client.search(index=index, body=body, request_timeout=seconds,
                                 params={"allow_partial_search_results": "false"})
        except TransportConnectionError:
            if attempt == attempts:
                raise
        except TransportError as e:
            kind = e.error if isinstance(e.error, str) else ""
            if attempt == attempts or not (e.status_code in (429, 502, 503, 504) or kind in _RETRYABLE):
                raise
        time.sleep(0.2 * attempt)  # a moment for the cluster to notice the loss and route around it
    raise AssertionError("unreachable")
