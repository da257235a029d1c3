"""Checks that the index holds exactly the catalog's pages, and its repairs.

`hparkiv check` (jobs/check.py) runs these after the catalog's (catalog/check.py), on the
data dir's backend (index/backend.py): Whoosh's below, OpenSearch's in
index/opensearch/backend.py. The index is derived data: every repair is a rebuild or an
update from the catalog.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

import catalog
from catalog.check import changed_since_indexed, page_keys
from catalog.locks import Locked
from catalog.paths import DataDir
from catalog.problem import Problem


@dataclass
class IndexProblem(Problem):
    """The index disagrees with the catalog; repaired by a rebuild unless `rebuild` is False."""

    rebuild: ClassVar[bool] = True


@dataclass
class IndexUnreadable(IndexProblem):
    kind = "index-unreadable"


@dataclass
class IndexMissingPages(IndexProblem):
    kind = "index-missing"


@dataclass
class IndexExtraPages(IndexProblem):
    kind = "index-extra"


@dataclass
class IndexDuplicates(IndexProblem):
    kind = "index-duplicates"


@dataclass
class IndexStale(IndexProblem):
    """Versions changed since they were indexed: an incremental update mends it."""

    kind = "index-stale"
    rebuild = False


@dataclass
class StaleLeftover(Problem):
    """A half-swapped index link or a never-swapped generation of a killed writer."""

    kind = "stale-leftover"
    path: Path


@dataclass
class EngineUnreachable(Problem):
    """The data dir's search engine does not answer (or its engine.toml is wrong): nothing to
    compare, nothing a repair can mend from here."""

    kind = "engine-unreachable"


def check_index(data_dir: DataDir, conn: catalog.Connection) -> list[Problem]:
    """The index holds exactly the catalog's pages: none missing, none extra, none twice, none
    of another version."""
    from index.backend import open_backend
    from index.errors import EngineUnavailable

    try:
        return open_backend(data_dir).check(conn)
    except EngineUnavailable as e:
        return [EngineUnreachable(str(e))]


def check_whoosh(data_dir: DataDir, conn: catalog.Connection) -> list[Problem]:
    """Whoosh's index holds exactly the catalog's pages (every (sha256, page), read whole)."""
    from index.whoosh_writer import indexed_pages

    expected = page_keys(conn)
    if not expected and not data_dir.index.exists():
        return []
    try:
        found = indexed_pages(data_dir)
    except Exception as e:  # an unreadable index is a finding, not a crash
        return [IndexUnreadable(f"{type(e).__name__}: {e}")]
    problems: list[Problem] = []
    counts: dict[tuple[str, int], int] = {}
    for key in found:
        counts[key] = counts.get(key, 0) + 1
    missing = expected - counts.keys()
    extra = counts.keys() - expected
    dupes = [k for k, n in counts.items() if n > 1]
    if missing:
        problems.append(IndexMissingPages(f"{len(missing)} catalog pages are not in the index"))
    if extra:
        problems.append(IndexExtraPages(f"{len(extra)} index pages are not in the catalog"))
    if dupes:
        problems.append(IndexDuplicates(f"{len(dupes)} pages are indexed more than once"))
    stale = changed_since_indexed(conn)
    if stale and not problems:
        problems.append(IndexStale(f"{stale} versions changed since they were indexed"))
    return problems


def check_leftovers(data_dir: DataDir) -> list[Problem]:
    """Leftovers of a killed index writer: half-swapped index links and never-swapped generations.

    The locks are flocks (update.lock, index.lock, Whoosh's own), which the OS releases
    when a process dies, so a lock file on disk is never stale by itself.
    """
    leftovers = list(data_dir.root.glob(".index-link-*"))
    current = data_dir.index.resolve().name if data_dir.index.is_symlink() else None
    for gen in data_dir.root.glob("index.g*"):
        num = gen.name.removeprefix("index.g")
        cur = (current or "index.g-1").removeprefix("index.g")
        if num.isdigit() and cur.lstrip("-").isdigit() and int(num) > int(cur):
            leftovers.append(gen)
    if not leftovers:
        return []
    try:
        with data_dir.lock("update", reentrant=True):  # nobody is writing: they belong to no live writer
            return [StaleLeftover(f"{p} left by a killed writer", path=p) for p in sorted(leftovers)]
    except (Locked, OSError):
        return []  # an update is running; its files are live


def remove_leftovers(problems: list[Problem]) -> None:
    for p in problems:
        if isinstance(p, StaleLeftover):
            if p.path.is_dir():
                shutil.rmtree(p.path, ignore_errors=True)
            else:
                p.path.unlink(missing_ok=True)
            p.repaired = True


def repair_index(data_dir: DataDir, problems: list[Problem], *, catalog_changed: bool) -> None:
    """Mend the index where it disagrees with the catalog, on the data dir's backend; update it
    when only versions changed or the catalog was repaired. Call with the update lock held."""
    from index.backend import open_backend

    found = [p for p in problems if isinstance(p, IndexProblem)]
    if not found and not catalog_changed:
        return
    open_backend(data_dir).repair(problems, catalog_changed=catalog_changed)


def repair_whoosh(data_dir: DataDir, problems: list[Problem], *, catalog_changed: bool) -> None:
    """Rebuild Whoosh's index when it disagrees with the catalog; update it when only versions
    changed or the catalog was repaired."""
    from index.writer import update_index

    found = [p for p in problems if isinstance(p, IndexProblem)]
    if not found and not catalog_changed:
        return
    if any(isinstance(p, IndexUnreadable) for p in found):
        _drop_index(data_dir)
    update_index(data_dir, rebuild=any(p.rebuild for p in found))
    for p in found:
        p.repaired = True


def _drop_index(data_dir: DataDir) -> None:
    """Remove an index that cannot be opened: it is derived data, rebuilt from the catalog.

    The index writer itself opens the current index before rebuilding, so a garbled one
    would stop the rebuild that is meant to replace it.
    """
    link = data_dir.index
    target = link.resolve()
    if link.is_symlink():
        link.unlink()
    if target.is_dir() and target.parent == data_dir.root.resolve():
        shutil.rmtree(target, ignore_errors=True)
