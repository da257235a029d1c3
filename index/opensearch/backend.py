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

import queue
import re
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar

from catalog.models import Filters, Version
from catalog.paths import DataDir
from index.analysis import DecompoundFilter
from index.backend import EngineConfig, Matches, PageDoc, TrendRow
from index.check import IndexProblem
from index.errors import EngineUnavailable, IndexMissing
from index.fields import folded_terms, part_terms, words_of
from index.opensearch import schema
from index.opensearch.client import EngineError, connect, wait_for_health
from index.opensearch.translate import EXACT_FIRST, HIT_FIELDS, query_clause, request_body
from index.schema import FACET_FIELDS

if TYPE_CHECKING:
    from opensearchpy import OpenSearch

    from catalog import Connection
    from catalog.problem import Problem
    from index.query import ParsedQuery
    from index.snippets import SnippetParts
    from index.spelling import IndexSpelling

BULK_PAGES = 500  # pages per bulk request
BULK_STREAMS = 2  # bulk requests in flight at once (one per data node of the local cluster)
QUEUE_PAGES = 2000  # pages waiting for a bulk stream before add_version blocks: the back-pressure
PAGE_SIZE = 5000  # hits per request when every hit is wanted (search_after)
COMPOSITE_SIZE = 10_000  # buckets per request of a trend or a check
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
            current = self._current_name()
            out["index"] = current
            if current:
                out["pages"] = self.client.count(index=current)["count"]
        return out

    # --- which index is behind an alias

    def _current_name(self, alias: str | None = None) -> str | None:
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
                name = self._current_name()
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
            current = self._current_name()
            for _n, name in self._leftovers(self.pages_alias, current) + self._leftovers(
                    self.vedtak_alias, self._current_name(self.vedtak_alias)):
                self.client.indices.delete(index=name, ignore=404)
            if current is None:
                return False
        return self.info(fresh=True).version == schema.SCHEMA_VERSION

    def _leftovers(self, alias: str, current: str | None) -> list[tuple[int, str]]:
        """Indexes of the alias a killed rebuild left (newer than the current one), and those
        older than the ones kept for running searches."""
        gens = self._generations(alias)
        if current is None:
            return gens
        now = next((n for n, name in gens if name == current), None)
        if now is None:
            return []
        return [(n, name) for n, name in gens if n > now or n < now - KEEP_PREVIOUS]

    def _replicas(self) -> int:
        if self.config.replicas is not None:
            return self.config.replicas
        nodes = self.client.cat.nodes(params={"format": "json", "h": "node.role"})
        data_nodes = sum(1 for n in nodes if "d" in n.get("node.role", ""))
        return 1 if data_nodes > 1 else 0

    def writer(self, *, rebuild: bool, lexicon: frozenset[str] = frozenset(),
               common: frozenset[str] = frozenset()) -> OpenSearchWriter:
        with self.answers():
            if not rebuild:
                name = self._current_name()
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
            old = self._current_name(alias)
            actions: list[dict[str, Any]] = [{"add": {"index": name, "alias": alias}}]
            if old and old != name:
                actions.insert(0, {"remove": {"index": old, "alias": alias}})
            self.client.indices.update_aliases(body={"actions": actions})
            if alias == self.pages_alias:
                self._behind = None  # this process's next search looks again
            for _n, stale in self._leftovers(alias, name):
                self.client.indices.delete(index=stale, ignore=404)

    def replace_vedtak(self, docs: list[tuple[str, str]]) -> int:
        info = self.info(fresh=True)
        from index.opensearch.bulk import create_index, index_pages, refresh

        with self.answers():
            gens = self._generations(self.vedtak_alias)
            name = f"{self.vedtak_alias}-{(gens[-1][0] + 1) if gens else 1}"
            create_index(self.client, name, info.lexicon, info.common, shards=1, replicas=self._replicas(),
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

        search_type = "dfs_query_then_fetch" if info.shards > 1 else None
        with self.answers():
            return search(self.client, index, body, search_type=search_type)

    def _retried(self, ask):
        """`ask(info)` on the index behind the alias; asked again on the index behind it now when
        the one this process remembered was deleted meanwhile (a second rebuild elsewhere)."""
        try:
            return ask(self.info())
        except IndexMissing:
            return ask(self.info(fresh=True))

    def search(self, parsed: ParsedQuery, filters: Filters, *, limit: int | None, offset: int, facets: bool,
               sort: str, within: str | None) -> Matches:
        return self._retried(lambda info: self._search_pages(info, parsed, filters, limit=limit, offset=offset,
                                                             facets=facets, sort=sort, within=within))

    def _search_pages(self, info: IndexInfo, parsed: ParsedQuery, filters: Filters, *, limit: int | None,
                      offset: int, facets: bool, sort: str, within: str | None) -> Matches:
        wanted = None if limit is None else offset + limit
        deep = wanted is None or wanted > schema.MAX_RESULT_WINDOW
        body = request_body(parsed, filters, size=0 if deep else (limit or 0), offset=0 if deep else offset,
                            facets=facets, sort=sort, common=info.common, within=within)
        r = self._search(info.name, body, info)
        total = r["hits"]["total"]["value"]
        if deep and total > offset:
            hits = list(self._every_hit(info, body, offset, limit))
        else:
            hits = r["hits"]["hits"]
        stored = [(_stored(h), _score(h, parsed) if sort == "relevance" else 0.0) for h in hits]
        aggs = r.get("aggregations", {})
        counts = _facets(aggs) if facets else {}
        doc_pages = self._doc_pages(info, parsed, filters, within, {f["sha256"] for f, _ in stored}) if stored else {}
        return Matches(total=total, hits=stored, facets=counts, doc_pages=doc_pages,
                       exact_total=aggs["exact"]["doc_count"] if "exact" in aggs else None)

    def _every_hit(self, info: IndexInfo, body: dict[str, Any], offset: int, limit: int | None) -> Iterator[dict]:
        """Hits from `offset` on (`limit` of them, or all), a page at a time with search_after."""
        page = {k: v for k, v in body.items() if k not in ("aggs", "from")}
        page["size"] = PAGE_SIZE
        page["track_total_hits"] = False
        seen = sent = 0
        while limit is None or sent < limit:
            r = self._search(info.name, page, info)
            hits = r["hits"]["hits"]
            for h in hits:
                if seen >= offset and (limit is None or sent < limit):
                    sent += 1
                    yield h
                seen += 1
            if len(hits) < PAGE_SIZE:
                return
            page["search_after"] = hits[-1]["sort"]

    def _doc_pages(self, info: IndexInfo, parsed: ParsedQuery, filters: Filters, within: str | None,
                   shas: set[str]) -> dict[str, int]:
        """Matching pages of each hit's document over the whole match set ("+N more pages")."""
        query = query_clause(parsed, filters, common=info.common, within=within, ranking=False)
        query["bool"]["filter"].append({"terms": {"sha256": sorted(shas)}})  # only those documents' pages are read
        body = {"size": 0, "track_total_hits": False, "query": query,
                "aggs": {"docs": {"terms": {"field": "sha256", "size": len(shas)}}}}
        r = self._search(info.name, body, info)
        return {b["key"]: b["doc_count"] for b in r["aggregations"]["docs"]["buckets"]}

    def trend(self, parsed: ParsedQuery, filters: Filters) -> list[TrendRow]:
        return self._retried(lambda info: self._trend(info, parsed, filters))

    def _trend(self, info: IndexInfo, parsed: ParsedQuery, filters: Filters) -> list[TrendRow]:
        query = query_clause(parsed, filters, common=info.common, ranking=False)
        pages: dict[int, int] = {}
        documents: dict[int, int] = {}
        for key, count in self._composite(info, query, ["year", "sha256"]):
            y = key["year"]
            pages[y] = pages.get(y, 0) + count
            documents[y] = documents.get(y, 0) + 1
        return [TrendRow(y, pages[y], documents[y]) for y in sorted(pages) if y]

    def _composite(self, info: IndexInfo, query: dict[str, Any], fields: list[str],
                   sub: dict[str, Any] | None = None) -> Iterator[tuple[dict[str, Any], int]]:
        """Every (key, pages) bucket of the matches by `fields`, exactly (pages without a value
        in a field left out), a page of buckets at a time."""
        agg: dict[str, Any] = {"size": COMPOSITE_SIZE, "sources": [{f: {"terms": {"field": f}}} for f in fields]}
        body: dict[str, Any] = {"size": 0, "track_total_hits": False, "query": query,
                                "aggs": {"by": {"composite": agg}}}
        if sub:
            body["aggs"]["by"]["aggs"] = sub
        while True:
            r = self._search(info.name, body, info)["aggregations"]["by"]
            for b in r["buckets"]:
                yield (b["key"], b) if sub else (b["key"], b["doc_count"])
            after = r.get("after_key")
            if not after or len(r["buckets"]) < COMPOSITE_SIZE:
                return
            agg["after"] = after

    def vedtak_scores(self, parsed: ParsedQuery) -> dict[str, float]:
        info = self.info()
        with self.answers():
            name = self._current_name(self.vedtak_alias)
        if name is None:
            raise IndexMissing(NO_INDEX)
        query = query_clause(parsed, Filters(all_versions=True), common=info.common, ranking=False)
        query["bool"].pop("filter", None)
        body: dict[str, Any] = {"query": query, "size": PAGE_SIZE, "_source": ["key"],
                                "sort": [{"_score": "desc"}, {"key": "asc"}], "track_total_hits": False}
        out: dict[str, float] = {}
        while True:
            hits = self._search(name, body, IndexInfo(name, 1, info.common, frozenset(), None))["hits"]["hits"]
            out.update({h["_source"]["key"]: float(h["_score"]) for h in hits})
            if len(hits) < PAGE_SIZE:
                return out
            body["search_after"] = hits[-1]["sort"]

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
        terms = EngineTerms(self.data_dir, lambda body: self._search(info.name, body, info), shared)
        return IndexSpelling(terms, shared, info.lexicon)

    def snippet_parts(self) -> SnippetParts | None:
        info = self.info()
        if info.parts is None and info.lexicon:
            from index.snippets import SnippetParts

            info.parts = SnippetParts(info.lexicon)
        return info.parts

    # --- checking

    def check(self, conn: Connection) -> list[Problem]:
        from catalog.check import changed_since_indexed, version_pages
        from catalog.versions import list_versions, version_numbers
        from index.check import IndexStale, IndexUnreadable

        problems: list[Problem] = []
        with self.answers():
            current = self._current_name()
            for alias, now in ((self.pages_alias, current), (self.vedtak_alias, self._current_name(self.vedtak_alias))):
                for _n, name in self._leftovers(alias, now):
                    if now is None or _n > int(now.rsplit("-", 1)[1]):
                        problems.append(EngineLeftover(f"index {name} left by a killed rebuild", name=name))
        expected = version_pages(conn)  # sha256 -> (pages, sum of page numbers)
        if current is None:
            if expected:
                problems.append(IndexUnreadable(f"no index {self.pages_alias} in the cluster at "
                                                f"{','.join(self.config.urls)}"))
            return problems
        info = self.info(fresh=True)
        if info.version != schema.SCHEMA_VERSION:
            problems.append(IndexUnreadable(f"index {info.name} has schema {info.version}, this hparkiv writes "
                                            f"{schema.SCHEMA_VERSION}: a rebuild upgrades it"))
            return problems
        numbers = version_numbers(conn)
        superseded = {v.sha256: v.superseded_by is not None for v in list_versions(conn, Filters(all_versions=True))}
        found: dict[str, list[tuple[int, bool, int, int]]] = {}
        sub = {"page_sum": {"sum": {"field": "page"}}}
        for key, b in self._composite(info, {"match_all": {}}, ["sha256", "version", "superseded"], sub):
            found.setdefault(key["sha256"], []).append(
                (key["version"], bool(key["superseded"]), b["doc_count"], int(b["page_sum"]["value"])))
        missing = [s for s, (n, total) in expected.items()
                   if s not in found or sum(c for *_x, c, _t in found[s]) < n]
        extra = [s for s in found if s not in expected]
        more = [s for s, got in found.items() if s in expected and sum(c for *_x, c, _t in got) > expected[s][0]]
        twice = [s for s, got in found.items() if len(got) > 1]
        differ = [s for s, got in found.items() if s in expected and s not in twice and s not in missing
                  and s not in more and (got[0][0] != numbers.get(s, 1) or got[0][1] != superseded.get(s, False)
                                         or got[0][3] != expected[s][1])]
        if missing:
            problems.append(IndexPagesMissing(f"{len(missing)} versions have catalog pages the index lacks",
                                              versions=missing))
        if extra or more:
            problems.append(IndexPagesExtra(f"{len(extra)} versions in the index are not in the catalog, "
                                            f"{len(more)} have pages the catalog lacks",
                                            versions=more, gone=extra))
        if twice:
            problems.append(IndexVersionsTwice(f"{len(twice)} versions are indexed under two version numbers",
                                               versions=twice))
        if differ:
            problems.append(IndexVersionsDiffer(f"{len(differ)} versions in the index differ from the catalog "
                                                "(version number, superseded, or pages)", versions=differ))
        stale = changed_since_indexed(conn)
        if stale and not problems:
            problems.append(IndexStale(f"{stale} versions changed since they were indexed"))
        return problems

    def repair(self, problems: list[Problem], *, catalog_changed: bool) -> None:
        import catalog
        from index.check import IndexUnreadable
        from index.writer import update_index

        with self.answers():
            for p in problems:
                if isinstance(p, EngineLeftover):
                    self.client.indices.delete(index=p.name, ignore=404)
                    p.repaired = True
        found = [p for p in problems if isinstance(p, IndexProblem)]
        if not found and not catalog_changed:
            return
        resend = sorted({s for p in found for s in getattr(p, "versions", ())})
        gone = sorted({s for p in found for s in getattr(p, "gone", ())})
        rebuild = any(isinstance(p, IndexUnreadable) for p in found)
        if not rebuild and (resend or gone):
            conn = catalog.connect(self.data_dir)
            try:
                catalog.mark_dirty(conn, resend)  # the next update deletes their pages and sends them again
            finally:
                conn.close()
            writer = self.writer(rebuild=False)
            for sha in gone:
                writer.delete_version(sha)
            writer.finish()
        update_index(self.data_dir, rebuild=rebuild)
        for p in found:
            p.repaired = True


# --- writing -----------------------------------------------------------------------------------


class OpenSearchWriter:
    """One update's writes into `name`: pages stream to the cluster in bulk requests from
    BULK_STREAMS threads, through a bounded queue (`add_version` waits while the cluster is
    behind: back-pressure); rejected batches (429) are retried with a growing pause (bulk.py).
    `commit` waits for every page sent and refreshes; a rebuild's `finish` swaps it in."""

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
                replicas = self.backend._replicas()
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


# --- the engine's answers as hparkiv's ---------------------------------------------------------


def _score(hit: dict[str, Any], parsed: ParsedQuery) -> float:
    """A hit's score as the query scored it: without the constant that put the pages matching the
    words as typed first (translate.EXACT_FIRST), so scores read as Whoosh's."""
    score = float(hit.get("_score") or 0.0)
    return score - EXACT_FIRST if parsed.exact is not None and score >= EXACT_FIRST else score


def _stored(hit: dict[str, Any]) -> dict[str, Any]:
    """A hit's stored fields as Whoosh's stored fields read (no title is None, not "")."""
    src = hit.get("_source", {})
    out = {k: src.get(k) for k in HIT_FIELDS if k in src}
    if not out.get("title"):
        out["title"] = None
    return out


def _facets(aggs: dict[str, Any]) -> dict[str, dict[str, int]]:
    """Pages per facet value, most first (then by value), years in order: as Whoosh's facet_counts."""
    out: dict[str, dict[str, int]] = {}
    for name in FACET_FIELDS:
        buckets = aggs.get(name, {}).get("buckets", [])
        counts = [(str(b["key"]), b["doc_count"]) for b in buckets if b["doc_count"] and b["key"] not in ("", None)]
        out[name] = dict(sorted(counts, key=lambda kv: (-kv[1], kv[0])))
    if "year" in out:
        out["year"] = dict(sorted(out["year"].items()))
    return out


def _short(e: BaseException) -> str:
    text = " ".join(str(getattr(e, "error", "") or e).split())
    info = getattr(e, "info", None)
    if isinstance(info, dict) and isinstance(info.get("error"), dict):
        text = info["error"].get("reason") or info["error"].get("type") or text
    return text[:300]


# --- checks' findings --------------------------------------------------------------------------


@dataclass
class IndexPagesMissing(IndexProblem):
    kind = "index-missing"
    rebuild: ClassVar[bool] = False
    versions: list[str] = field(default_factory=list)


@dataclass
class IndexPagesExtra(IndexProblem):
    kind = "index-extra"
    rebuild: ClassVar[bool] = False
    versions: list[str] = field(default_factory=list)
    gone: list[str] = field(default_factory=list)


@dataclass
class IndexVersionsTwice(IndexProblem):
    kind = "index-duplicates"
    rebuild: ClassVar[bool] = False
    versions: list[str] = field(default_factory=list)


@dataclass
class IndexVersionsDiffer(IndexProblem):
    kind = "index-versions"
    rebuild: ClassVar[bool] = False
    versions: list[str] = field(default_factory=list)


@dataclass
class EngineLeftover(IndexProblem):
    """An index a killed rebuild left in the cluster (no alias points at it)."""

    kind = "stale-leftover"
    rebuild: ClassVar[bool] = False
    name: str = ""

