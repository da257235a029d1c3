"""OpenSearch, the backend for archives one machine outgrows: the index lives in a cluster.

Every municipality's pages are in one index, so term statistics are shared and a score means
the same whichever municipality a page is from; with more than one shard, searches ask
`dfs_query_then_fetch`, so they are also the same whatever shard a page landed on (and equal
to a one-shard index's). Pages are spread over the shards by their id, not routed by
municipality: municipalities differ 1:700 in size (Oslo against Utsira), so routing would
make a few shards hot and large, and a `kommune` filter is a cheap keyword filter anyway.

Names (the prefix is the data dir's engine.toml `index`):

    PREFIX-pages      alias -> PREFIX-pages-N    one document per page, id {doc_id}-v{version}-p{page}
    PREFIX-vedtak     alias -> PREFIX-vedtak-N   one document per vedtak, id sha256:seq

A rebuild writes PREFIX-pages-(N+1) with no replica and no refresh, then adds the replicas,
refreshes, waits for green and moves the alias in one atomic `_aliases` call: a search sees
the old index or the complete new one, never half of one (Whoosh's generations give the same
guarantee). The previous index is kept for searches still running on it; older ones, and a
rebuild that was killed before its swap, are deleted by the next update (`prepare`).

Searches resolve the alias to its index first (one small request), and ask that index: the
query is built with the words that index was built with (its common words, for phrases), so
an alias swap between the two never pairs a query with another index's words.
"""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from catalog.models import Filters
from catalog.paths import DataDir
from index.analysis import DecompoundFilter
from index.backend import EngineConfig, Matches, TrendRow
from index.errors import EngineUnavailable, IndexMissing
from index.fields import folded_terms, part_terms, words_of
from index.opensearch import schema
from index.opensearch.client import EngineError, connect
from index.opensearch.search import Ask, search_pages, trend_rows, vedtak_scores
from index.opensearch.writer import OpenSearchWriter

if TYPE_CHECKING:
    from opensearchpy import OpenSearch

    from catalog import Connection
    from catalog.problem import Problem
    from index.parsed import ParsedQuery
    from index.snippets import SnippetParts
    from index.spelling import IndexSpelling

KEEP_PREVIOUS = 1  # older indexes behind the alias kept for searches still running on them
ALIAS_SECONDS = 2.0  # how long a search trusts the index it found behind the alias (one request saved per search)


def N_(message: str) -> str:
    return message


# What a search says when the cluster has no index of the archive (yet, or no more).
NO_INDEX = N_("the search engine has no index of this archive yet: run `hparkiv index`")


@dataclass
class IndexInfo:
    """What a search needs to know of the index behind the alias (read once per index)."""

    name: str
    shards: int
    common: frozenset[str]
    lexicon: frozenset[str]
    version: int | None
    parts: Any = None  # SnippetParts, made when first needed
    splitter: Any = None  # DecompoundFilter over the lexicon (for writing), made when first needed
    # index/spelling.py's cache for this index, and the catalog state it holds for (terms.catalog_stamp)
    spelling: dict[str, Any] = field(default_factory=dict)
    spelling_stamp: tuple | None = None

    def decompound(self) -> DecompoundFilter:
        if self.splitter is None:
            self.splitter = DecompoundFilter(self.lexicon)
        return self.splitter


class OpenSearchBackend:
    name = "opensearch"

    def __init__(self, data_dir: DataDir, config: EngineConfig) -> None:
        self.data_dir = data_dir
        self.config = config
        self.prefix = config.index
        self.pages_alias = f"{self.prefix}-pages"
        self.vedtak_alias = f"{self.prefix}-vedtak"
        self._client: OpenSearch | None = None
        self._infos: dict[str, IndexInfo] = {}
        self._behind: tuple[float, str] | None = None  # (when, the index found behind the pages alias)
        self._lock = threading.Lock()

    # --- connection and errors

    @property
    def client(self) -> OpenSearch:
        if self._client is None:
            with self._lock:
                if self._client is None:
                    self._client = connect(list(self.config.urls), timeout=60)
        return self._client

    @contextmanager
    def answers(self) -> Iterator[None]:
        """Transport failures as one line naming the cluster (EngineUnavailable), never a traceback."""
        from opensearchpy.exceptions import ConnectionError as TransportConnectionError
        from opensearchpy.exceptions import NotFoundError, TransportError

        try:
            yield
        except (EngineUnavailable, IndexMissing):
            raise
        except NotFoundError:
            raise IndexMissing(NO_INDEX) from None
        except TransportConnectionError as e:
            raise EngineUnavailable("the OpenSearch cluster at {urls} does not answer: {reason}",
                                    urls=",".join(self.config.urls), reason=_short(e)) from None
        except TransportError as e:
            raise EngineUnavailable("the OpenSearch cluster at {urls} refused a request: {reason}",
                                    urls=",".join(self.config.urls), reason=_short(e)) from None

    def describe(self) -> dict[str, Any]:
        out: dict[str, Any] = {"engine": "opensearch", "where": ",".join(self.config.urls), "alias": self.pages_alias}
        with self.answers():
            health = self.client.cluster.health()
            out["cluster"] = health.get("cluster_name")
            out["status"] = health.get("status")
            current = self.current_name()
            out["index"] = current
            if current:
                out["pages"] = self.client.count(index=current)["count"]
        return out

    # --- which index is behind an alias

    def current_name(self, alias: str | None = None) -> str | None:
        alias = alias or self.pages_alias
        got = self.client.indices.get_alias(name=alias, ignore=404)
        if not got or "error" in got or got.get("status") == 404:
            return None
        return sorted(got)[-1]

    def _generations(self, alias: str) -> list[tuple[int, str]]:
        """(N, name) of every `alias-N` index, oldest first."""
        got = self.client.indices.get(index=f"{alias}-*", ignore=404, params={"expand_wildcards": "open,closed"})
        pattern = re.compile(re.escape(alias) + r"-(\d+)$")
        out = []
        for name in got if isinstance(got, dict) else ():
            m = pattern.match(name)
            if m:
                out.append((int(m.group(1)), name))
        return sorted(out)

    def info(self, fresh: bool = False) -> IndexInfo:
        """The pages index behind the alias (IndexMissing when there is none). A search asks that
        index by name, so the words its query was built with are that index's; the alias is
        looked up again after ALIAS_SECONDS (a rebuild keeps the previous index for that long
        and longer), or when `fresh`."""
        now = time.monotonic()
        behind = self._behind
        with self.answers():
            if fresh or behind is None or now - behind[0] > ALIAS_SECONDS:
                name = self.current_name()
                if name is None:
                    raise IndexMissing(NO_INDEX)
                self._behind = (now, name)
            else:
                name = behind[1]
            got = self._infos.get(name)
            if got is not None:
                return got
            mapping = next(iter(self.client.indices.get_mapping(index=name).values()))["mappings"]
            settings = next(iter(self.client.indices.get_settings(index=name).values()))["settings"]["index"]
        meta = mapping.get("_meta", {})
        got = IndexInfo(name=name, shards=int(settings.get("number_of_shards", 1)),
                        common=schema.common_words(mapping), lexicon=schema.lexicon_of(mapping),
                        version=meta.get("hparkiv_schema"))
        with self._lock:
            self._infos[name] = got
        return got

    # --- the index's life cycle

    def prepare(self) -> bool:
        with self.answers():
            current = self.current_name()
            for _n, name in self.leftovers(self.pages_alias, current) + self.leftovers(
                    self.vedtak_alias, self.current_name(self.vedtak_alias)):
                self.client.indices.delete(index=name, ignore=404)
            if current is None:
                return False
        return self.info(fresh=True).version == schema.SCHEMA_VERSION

    def leftovers(self, alias: str, current: str | None) -> list[tuple[int, str]]:
        """Indexes of the alias a killed rebuild left (newer than the current one), and those
        older than the ones kept for running searches."""
        gens = self._generations(alias)
        if current is None:
            return gens
        now = next((n for n, name in gens if name == current), None)
        if now is None:
            return []
        return [(n, name) for n, name in gens if n > now or n < now - KEEP_PREVIOUS]

    def replicas(self) -> int:
        if self.config.replicas is not None:
            return self.config.replicas
        nodes = self.client.cat.nodes(params={"format": "json", "h": "node.role"})
        data_nodes = sum(1 for n in nodes if "d" in n.get("node.role", ""))
        return 1 if data_nodes > 1 else 0

    def writer(self, *, rebuild: bool, lexicon: frozenset[str] = frozenset(),
               common: frozenset[str] = frozenset()) -> OpenSearchWriter:
        with self.answers():
            if not rebuild:
                name = self.current_name()
                if name is None:
                    raise IndexMissing(NO_INDEX)
                return OpenSearchWriter(self, name, swap=False, decompound=self.info(fresh=True).decompound())
            gens = self._generations(self.pages_alias)
            name = f"{self.pages_alias}-{(gens[-1][0] + 1) if gens else 1}"
            from index.opensearch.bulk import create_index

            # No replica and no refresh while the pages stream in (one copy written, segments
            # merged as they grow); `finish` adds the replicas and refreshes before the swap.
            create_index(self.client, name, lexicon, common, shards=self.config.shards or 1, replicas=0,
                         refresh_interval="-1", wait="yellow")
            return OpenSearchWriter(self, name, swap=True, decompound=DecompoundFilter(lexicon))

    def swap(self, alias: str, name: str) -> None:
        """Point `alias` at `name` alone, in one atomic step, then delete what is no longer kept."""
        with self.answers():
            old = self.current_name(alias)
            actions: list[dict[str, Any]] = [{"add": {"index": name, "alias": alias}}]
            if old and old != name:
                actions.insert(0, {"remove": {"index": old, "alias": alias}})
            self.client.indices.update_aliases(body={"actions": actions})
            if alias == self.pages_alias:
                self._behind = None  # this process's next search looks again
            for _n, stale in self.leftovers(alias, name):
                self.client.indices.delete(index=stale, ignore=404)

    def replace_vedtak(self, docs: list[tuple[str, str]]) -> int:
        info = self.info(fresh=True)
        from index.opensearch.bulk import create_index, index_pages, refresh

        with self.answers():
            gens = self._generations(self.vedtak_alias)
            name = f"{self.vedtak_alias}-{(gens[-1][0] + 1) if gens else 1}"
            create_index(self.client, name, info.lexicon, info.common, shards=1, replicas=self.replicas(),
                         wait="yellow")
            split = info.decompound()

            def vedtak_docs():
                for key, text in docs:
                    words = words_of(text)
                    yield key, {"key": key, "body": text, "parts": schema.spelled(part_terms(words, split)),
                                "folded": schema.spelled(folded_terms(words, split))}

            summary = index_pages(self.client, name, vedtak_docs())
            if summary.failed:
                self.client.indices.delete(index=name, ignore=404)
                raise EngineError(f"the cluster refused {summary.failed} vedtak: {'; '.join(summary.errors[:3])}")
            refresh(self.client, name)
            self.swap(self.vedtak_alias, name)
        return len(docs)

    # --- reading

    def _search(self, index: str, body: dict[str, Any], info: IndexInfo) -> dict[str, Any]:
        from index.opensearch.client import search

        # Shared term statistics only where a score is returned: counts, aggregations and
        # "+N more pages" (size 0) score nothing, and the statistics cost them a round of requests.
        scored = body.get("size", 10) > 0
        search_type = "dfs_query_then_fetch" if info.shards > 1 and scored else None
        with self.answers():
            return search(self.client, index, body, search_type=search_type)

    def _retried(self, read):
        """`read(info)` on the index behind the alias; read again from the index behind it now when
        the one this process remembered was deleted meanwhile (a second rebuild elsewhere)."""
        try:
            return read(self.info())
        except IndexMissing:
            return read(self.info(fresh=True))

    def ask(self, info: IndexInfo) -> Ask:
        """A request body in, the answer of `info`'s index out (index/opensearch/search.py)."""
        return lambda body: self._search(info.name, body, info)

    def search(self, parsed: ParsedQuery, filters: Filters, *, limit: int | None, offset: int, facets: bool,
               sort: str, within: str | None) -> Matches:
        return self._retried(lambda info: search_pages(self.ask(info), info.common, parsed, filters, limit=limit,
                                                       offset=offset, facets=facets, sort=sort, within=within))

    def trend(self, parsed: ParsedQuery, filters: Filters) -> list[TrendRow]:
        return self._retried(lambda info: trend_rows(self.ask(info), info.common, parsed, filters))

    def vedtak_scores(self, parsed: ParsedQuery) -> dict[str, float]:
        info = self.info()
        with self.answers():
            name = self.current_name(self.vedtak_alias)
        if name is None:
            raise IndexMissing(NO_INDEX)
        return vedtak_scores(self.ask(IndexInfo(name, 1, info.common, frozenset(), None)), info.common, parsed)

    def spelling(self) -> IndexSpelling:
        """The index's words: pages of terms from the engine, the words from the catalog
        (index/opensearch/terms.py), cached for this index and catalog state."""
        from index.opensearch.terms import EngineTerms, catalog_stamp
        from index.spelling import IndexSpelling

        info = self.info()
        stamp = catalog_stamp(self.data_dir)
        with self._lock:
            if info.spelling_stamp != stamp:
                info.spelling, info.spelling_stamp = {}, stamp
            shared = info.spelling
        terms = EngineTerms(self.data_dir, self.ask(info), shared)
        return IndexSpelling(terms, shared, info.lexicon)

    def snippet_parts(self) -> SnippetParts | None:
        info = self.info()
        if info.parts is None and info.lexicon:
            from index.snippets import SnippetParts

            info.parts = SnippetParts(info.lexicon)
        return info.parts

    # --- checking (index/opensearch/check.py)

    def check(self, conn: Connection) -> list[Problem]:
        from index.opensearch.check import check_cluster

        return check_cluster(self, conn)

    def repair(self, problems: list[Problem], *, catalog_changed: bool) -> None:
        from index.opensearch.check import repair_cluster

        repair_cluster(self, problems, catalog_changed=catalog_changed)


def _short(e: BaseException) -> str:
    text = " ".join(str(getattr(e, "error", "") or e).split())
    info = getattr(e, "info", None)
    if isinstance(info, dict) and isinstance(info.get("error"), dict):
        text = info["error"].get("reason") or info["error"].get("type") or text
    return text[:300]
