"""Checks that the stored files and the catalog agree, and the repairs that keep good data.

`hparkiv check` (jobs/check.py) runs these with the index's checks (index/check.py).
Each finding is a typed `Problem`; repairs set its `repaired` or extend its `detail`.
Repairs never touch good data: stray files go, a wrong row is corrected from its file,
a lost file is downloaded again by the next `update`.
"""

from __future__ import annotations

import hashlib
import os
import re
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from catalog.db import transaction
from catalog.paths import DataDir
from catalog.problem import Problem


@dataclass
class NoCatalog(Problem):
    kind = "no-catalog"


@dataclass
class TempFile(Problem):
    """A download a killed run left half-written."""

    kind = "temp-file"
    path: Path


@dataclass
class OrphanFile(Problem):
    """A stored file no catalog row refers to."""

    kind = "orphan-file"
    path: Path


@dataclass
class RenderOrphan(Problem):
    """A file in the web's page-image cache that is no page image of a known version."""

    kind = "render-orphan"
    path: Path


@dataclass
class CorruptFile(Problem):
    """A stored file whose bytes no longer hash to its name."""

    kind = "corrupt-file"
    path: Path
    sha256: str


@dataclass
class MissingFile(Problem):
    """A version whose file is gone."""

    kind = "missing-file"
    sha256: str


@dataclass
class BadDocId(Problem):
    """A row whose doc_id is not its hash's prefix."""

    kind = "row-mismatch"


@dataclass
class WrongSize(Problem):
    """A row whose size is not its (good) file's."""

    kind = "row-mismatch"
    sha256: str
    size: int  # the file's


@dataclass
class NotExtracted(Problem):
    kind = "not-extracted"


@dataclass
class PagesLost(Problem):
    """A version marked extracted whose pages are gone."""

    kind = "pages-lost"
    sha256: str


# --- checks ------------------------------------------------------------------------------


def check_files(data_dir: DataDir, conn: sqlite3.Connection) -> list[Problem]:
    """Every stored file is named by its hash and known to the catalog, and vice versa."""
    busy = data_dir.locked("update")
    problems: list[Problem] = []
    known = {r["sha256"] for r in conn.execute("SELECT sha256 FROM versions")}
    seen: set[str] = set()
    bad: set[str] = set()
    if data_dir.files.exists():
        for path in sorted(data_dir.files.rglob("*")):
            if not path.is_file():
                continue
            name = path.name
            if busy and (name.startswith(".tmp-") or name not in known):
                continue  # a running update is writing it, or has yet to record it
            if name.startswith(".tmp-"):
                problems.append(TempFile(f"unfinished download {path}", path=path))
                continue
            if path.parent.name != name[:2] or name not in known:
                problems.append(OrphanFile(f"{path} is in no catalog row", path=path))
                continue
            actual = sha256_of(path)
            if actual != name:
                problems.append(CorruptFile(f"{path} hashes to {actual[:12]}…", path=path, sha256=name))
                bad.add(name)
                continue
            seen.add(name)
    for sha in sorted(known - seen - bad):
        problems.append(MissingFile(f"version {sha[:12]} has no stored file", sha256=sha))
    return problems


def check_renders(data_dir: DataDir, conn: sqlite3.Connection) -> list[Problem]:
    """The web UI's page-image cache (`renders/`): half-written files and images of no known
    version. It is a cache: repair deletes what does not belong, and may empty it whole."""
    if not data_dir.renders.exists():
        return []
    known = {r[0] for r in conn.execute("SELECT sha256 FROM versions")}
    problems: list[Problem] = []
    for path in sorted(p for p in data_dir.renders.rglob("*") if not p.is_dir()):
        m = re.fullmatch(r"([0-9a-f]{64})-\d+-\d+\.webp", path.name)
        if path.name.startswith(".tmp-"):
            problems.append(TempFile(f"{path} is a half-written page image", path=path))
        elif not m or m.group(1) not in known or path.parent.name != m.group(1)[:2]:
            problems.append(RenderOrphan(f"{path} is no page image of a known version", path=path))
    return problems


def sha256_of(path: os.PathLike[str]) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def check_rows(data_dir: DataDir, conn: sqlite3.Connection) -> list[Problem]:
    """Each catalog row agrees with its file: doc_id is the hash's prefix, size is the file's."""
    problems: list[Problem] = []
    for r in conn.execute("SELECT sha256, doc_id, size FROM versions ORDER BY sha256"):
        path = data_dir.files / r["sha256"][:2] / r["sha256"]
        if r["doc_id"] != r["sha256"][:12]:
            problems.append(BadDocId(f"{r['doc_id']} is not the prefix of {r['sha256']}"))
        elif path.is_file() and path.stat().st_size != r["size"]:
            size = path.stat().st_size
            problems.append(WrongSize(f"{r['doc_id']}: catalog says {r['size']} bytes, file has {size}",
                                      sha256=r["sha256"], size=size))
    return problems


def check_extraction(conn: sqlite3.Connection) -> list[Problem]:
    """Every version is extracted (with its pages) or has a recorded failure."""
    rows = conn.execute("SELECT doc_id FROM versions WHERE status='pending' ORDER BY doc_id").fetchall()
    problems: list[Problem] = [NotExtracted(f"{r['doc_id']} has no extraction and no recorded failure")
                               for r in rows]
    lost = conn.execute(
        "SELECT sha256, doc_id FROM versions v WHERE status='ok'"
        " AND NOT EXISTS (SELECT 1 FROM pages p WHERE p.sha256=v.sha256) ORDER BY doc_id"
    ).fetchall()
    problems += [PagesLost(f"{r['doc_id']} is extracted but its pages are gone", sha256=r["sha256"])
                 for r in lost]
    return problems


def page_keys(conn: sqlite3.Connection) -> set[tuple[str, int]]:
    """(sha256, page) of every extracted page: what the index must hold."""
    return {(r["sha256"], r["page"]) for r in conn.execute("SELECT sha256, page FROM pages")}


def version_pages(conn: sqlite3.Connection) -> dict[str, tuple[int, int]]:
    """sha256 -> (extracted pages, sum of their numbers) of every version with pages: what a
    search engine's index must hold, compared version by version (not page by page, which
    would not fit in memory at 10^7 pages)."""
    return {r[0]: (r[1], r[2]) for r in conn.execute("SELECT sha256, COUNT(*), SUM(page) FROM pages GROUP BY sha256")}


def changed_since_indexed(conn: sqlite3.Connection) -> int:
    """Extracted versions that changed since the index last took them."""
    return conn.execute("SELECT COUNT(*) FROM versions WHERE index_dirty=1 AND status<>'pending'").fetchone()[0]


# --- repairs -----------------------------------------------------------------------------


def repair(conn: sqlite3.Connection, problems: list[Problem]) -> None:
    """Mend the file and row problems; call with the update lock held.

    Versions whose pages are lost are set back to pending: extracting them again (the
    caller's next step) restores their pages from their files.
    """
    corrupt = {p.sha256 for p in problems if isinstance(p, CorruptFile)}
    for p in problems:
        if isinstance(p, (TempFile, OrphanFile, RenderOrphan)):
            p.path.unlink(missing_ok=True)
            p.repaired = True
        elif isinstance(p, (CorruptFile, MissingFile)):
            if isinstance(p, CorruptFile):
                p.path.unlink(missing_ok=True)
            with transaction(conn):
                # Forget the validators so the next `update` downloads the document again.
                conn.execute("UPDATE urls SET etag=NULL, last_modified=NULL WHERE sha256=?", (p.sha256,))
            p.detail += "; the next `hparkiv update` downloads it again"
    for p in problems:
        if isinstance(p, WrongSize) and p.sha256 not in corrupt:
            with transaction(conn):  # the file matches its hash, so the row is wrong
                conn.execute("UPDATE versions SET size=? WHERE sha256=?", (p.size, p.sha256))
            p.repaired = True
        if isinstance(p, PagesLost):
            with transaction(conn):
                conn.execute("UPDATE versions SET status='pending' WHERE sha256=?", (p.sha256,))


def needs_extraction(problems: list[Problem]) -> list[Problem]:
    """The problems that extracting pending versions repairs."""
    return [p for p in problems if isinstance(p, (NotExtracted, PagesLost))]
