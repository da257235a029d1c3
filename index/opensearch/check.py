"""The OpenSearch backend's check and repair (`hparkiv check`, jobs/check.py), by version.

The cluster's index is held to the catalog one version at a time: its pages (count and page
numbers), its version number and whether it is superseded, read as composite buckets. Whoosh's
checks are index/check.py; the findings below share its `IndexProblem`, so a repair resends
the versions named, or rebuilds.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, ClassVar

import catalog
from catalog.check import changed_since_indexed, version_pages
from catalog.models import Filters
from catalog.problem import Problem
from catalog.versions import list_versions, version_numbers
from index.check import IndexProblem, IndexStale, IndexUnreadable
from index.opensearch import schema
from index.opensearch.search import buckets
from index.writer import update_index

if TYPE_CHECKING:
    from catalog import Connection
    from index.opensearch.backend import OpenSearchBackend


@dataclass
class VersionsProblem(IndexProblem):
    """Versions the cluster holds otherwise than the catalog: resent (or deleted), no rebuild."""

    rebuild: ClassVar[bool] = False
    versions: list[str] = field(default_factory=list)


@dataclass
class IndexPagesMissing(VersionsProblem):
    kind = "index-missing"


@dataclass
class IndexPagesExtra(VersionsProblem):
    kind = "index-extra"
    gone: list[str] = field(default_factory=list)  # versions the catalog does not have: deleted


@dataclass
class IndexVersionsTwice(VersionsProblem):
    kind = "index-duplicates"


@dataclass
class IndexVersionsDiffer(VersionsProblem):
    kind = "index-versions"


@dataclass
class EngineLeftover(IndexProblem):
    """An index a killed rebuild left in the cluster (no alias points at it)."""

    kind = "stale-leftover"
    rebuild: ClassVar[bool] = False
    name: str = ""


def check_cluster(backend: OpenSearchBackend, conn: Connection) -> list[Problem]:
    """What differs between the cluster's index and the catalog, version by version."""
    problems: list[Problem] = []
    with backend.answers():
        current = backend.current_name()
        vedtak = backend.current_name(backend.vedtak_alias)
        for alias, now in ((backend.pages_alias, current), (backend.vedtak_alias, vedtak)):
            for _n, name in backend.leftovers(alias, now):
                if now is None or _n > int(now.rsplit("-", 1)[1]):
                    problems.append(EngineLeftover(f"index {name} left by a killed rebuild", name=name))
    expected = version_pages(conn)  # sha256 -> (pages, sum of page numbers)
    if current is None:
        if expected:
            problems.append(IndexUnreadable(f"no index {backend.pages_alias} in the cluster at "
                                            f"{','.join(backend.config.urls)}"))
        return problems
    info = backend.info(fresh=True)
    if info.version != schema.SCHEMA_VERSION:
        problems.append(IndexUnreadable(f"index {info.name} has schema {info.version}, this hparkiv writes "
                                        f"{schema.SCHEMA_VERSION}: a rebuild upgrades it"))
        return problems
    numbers = version_numbers(conn)
    superseded = {v.sha256: v.superseded_by is not None for v in list_versions(conn, Filters(all_versions=True))}
    found: dict[str, list[tuple[int, bool, int, int]]] = {}
    sub = {"page_sum": {"sum": {"field": "page"}}}
    for key, b in buckets(backend.ask(info), {"match_all": {}}, ["sha256", "version", "superseded"], sub):
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


def repair_cluster(backend: OpenSearchBackend, problems: list[Problem], *, catalog_changed: bool) -> None:
    """Leftovers deleted; the versions named resent (or gone ones deleted), else a rebuild."""
    with backend.answers():
        for p in problems:
            if isinstance(p, EngineLeftover):
                backend.client.indices.delete(index=p.name, ignore=404)
                p.repaired = True
    found = [p for p in problems if isinstance(p, IndexProblem)]
    if not found and not catalog_changed:
        return
    resend = sorted({s for p in found for s in getattr(p, "versions", ())})
    gone = sorted({s for p in found for s in getattr(p, "gone", ())})
    rebuild = any(isinstance(p, IndexUnreadable) for p in found)
    if not rebuild and (resend or gone):
        conn = catalog.connect(backend.data_dir)
        try:
            catalog.mark_dirty(conn, resend)  # the next update deletes their pages and sends them again
        finally:
            conn.close()
        writer = backend.writer(rebuild=False)
        for sha in gone:
            writer.delete_version(sha)
        writer.finish()
    update_index(backend.data_dir, rebuild=rebuild)
    for p in found:
        p.repaired = True
