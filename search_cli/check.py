"""`hparkiv check`: files, catalog and index must agree; `--repair` mends what it can.

Repairs never touch good data: orphans and temp files are removed, versions without an
extraction are extracted, a disagreeing index is rebuilt from the catalog, and a version
whose file is lost is marked for re-download by the next `update`.
"""

from __future__ import annotations

import hashlib
import os
import shutil
from typing import Any

from catalog import DataDir


def _sha_of(path: os.PathLike[str]) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def check_files(data_dir: DataDir, conn: Any) -> list[dict[str, Any]]:
    """Every stored file is named by its hash and known to the catalog, and vice versa."""
    from search_cli.lock import update_running

    busy = update_running(data_dir)
    problems: list[dict[str, Any]] = []
    known = {r["sha256"] for r in conn.execute("SELECT sha256 FROM versions")}
    seen: set[str] = set()
    if data_dir.files.exists():
        for path in sorted(data_dir.files.rglob("*")):
            if not path.is_file():
                continue
            name = path.name
            if busy and (name.startswith(".tmp-") or name not in known):
                continue  # a running update is writing it, or has yet to record it
            if name.startswith(".tmp-"):
                problems.append({"kind": "temp-file", "detail": f"unfinished download {path}", "path": path})
                continue
            if path.parent.name != name[:2] or name not in known:
                problems.append({"kind": "orphan-file", "detail": f"{path} is in no catalog row", "path": path})
                continue
            actual = _sha_of(path)
            if actual != name:
                problems.append({"kind": "corrupt-file", "detail": f"{path} hashes to {actual[:12]}…",
                                 "path": path, "sha256": name})
                continue
            seen.add(name)
    for sha in sorted(known - seen - {p.get("sha256") for p in problems}):
        problems.append({"kind": "missing-file", "detail": f"version {sha[:12]} has no stored file",
                         "sha256": sha})
    return problems


def check_rows(data_dir: DataDir, conn: Any) -> list[dict[str, Any]]:
    """Each catalog row agrees with its file: doc_id is the hash's prefix, size is the file's."""
    problems: list[dict[str, Any]] = []
    for r in conn.execute("SELECT sha256, doc_id, size FROM versions ORDER BY sha256"):
        path = data_dir.files / r["sha256"][:2] / r["sha256"]
        if r["doc_id"] != r["sha256"][:12]:
            problems.append({"kind": "row-mismatch", "detail": f"{r['doc_id']} is not the prefix of {r['sha256']}"})
        elif path.is_file() and path.stat().st_size != r["size"]:
            problems.append({"kind": "row-mismatch", "sha256": r["sha256"], "size": path.stat().st_size,
                             "detail": f"{r['doc_id']}: catalog says {r['size']} bytes, file has {path.stat().st_size}"})
    return problems


def check_extraction(conn: Any) -> list[dict[str, Any]]:
    """Every version is extracted (with its pages) or has a recorded failure."""
    rows = conn.execute("SELECT doc_id FROM versions WHERE status='pending' ORDER BY doc_id").fetchall()
    problems = [{"kind": "not-extracted", "detail": f"{r['doc_id']} has no extraction and no recorded failure"}
                for r in rows]
    lost = conn.execute(
        "SELECT sha256, doc_id FROM versions v WHERE status='ok'"
        " AND NOT EXISTS (SELECT 1 FROM pages p WHERE p.sha256=v.sha256) ORDER BY doc_id"
    ).fetchall()
    problems += [{"kind": "pages-lost", "detail": f"{r['doc_id']} is extracted but its pages are gone",
                  "sha256": r["sha256"]} for r in lost]
    return problems


def check_index(data_dir: DataDir, conn: Any) -> list[dict[str, Any]]:
    """The index holds exactly the catalog's pages: none missing, none extra, none twice."""
    from index import indexed_pages

    expected = {(r["sha256"], r["page"]) for r in conn.execute("SELECT sha256, page FROM pages")}
    if not expected and not data_dir.index.exists():
        return []
    try:
        found = indexed_pages(data_dir)
    except Exception as e:  # an unreadable index is a finding, not a crash
        return [{"kind": "index-unreadable", "detail": f"{type(e).__name__}: {e}"}]
    problems: list[dict[str, Any]] = []
    counts: dict[tuple[str, int], int] = {}
    for key in found:
        counts[key] = counts.get(key, 0) + 1
    missing = expected - counts.keys()
    extra = counts.keys() - expected
    dupes = [k for k, n in counts.items() if n > 1]
    if missing:
        problems.append({"kind": "index-missing", "detail": f"{len(missing)} catalog pages are not in the index"})
    if extra:
        problems.append({"kind": "index-extra", "detail": f"{len(extra)} index pages are not in the catalog"})
    if dupes:
        problems.append({"kind": "index-duplicates", "detail": f"{len(dupes)} pages are indexed more than once"})
    stale = conn.execute("SELECT COUNT(*) FROM versions WHERE index_dirty=1 AND status<>'pending'").fetchone()[0]
    if stale and not problems:
        problems.append({"kind": "index-stale", "detail": f"{stale} versions changed since they were indexed"})
    return problems


def check_locks(data_dir: DataDir) -> list[dict[str, Any]]:
    """Leftovers of a killed writer: half-swapped index links and never-swapped generations.

    Our locks are flocks (update.lock, index.lock, Whoosh's own), which the OS releases
    when a process dies, so a lock file on disk is never stale by itself.
    """
    from search_cli.lock import update_lock

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
        with update_lock(data_dir):  # nobody is writing, so these belong to no live writer
            return [{"kind": "stale-leftover", "detail": f"{p} left by a killed writer", "path": p}
                    for p in sorted(leftovers)]
    except Exception:
        return []  # an update is running; its files are live


def check_decisions(conn: Any) -> list[dict[str, Any]]:
    """Every extracted version's decisions are derived, by the current parser, for its type."""
    from catalog.decisions import versions_to_derive
    from extract.vedtak import PARSER_VERSION

    stale = versions_to_derive(conn, PARSER_VERSION)
    if not stale:
        return []
    return [{"kind": "decisions-stale", "detail": f"{len(stale)} versions have no decisions derived by the current parser"}]


def run_check(data_dir: DataDir, *, repair: bool = False) -> list[dict[str, Any]]:
    import catalog

    if not data_dir.catalog.exists():
        return [{"kind": "no-catalog", "detail": f"no archive in {data_dir.root}; run `hparkiv update`"}]
    conn = catalog.connect(data_dir)
    problems = check_files(data_dir, conn) + check_rows(data_dir, conn) + check_extraction(conn)
    problems += check_locks(data_dir)
    problems += check_index(data_dir, conn)
    problems += check_decisions(conn)
    if repair and problems:
        _repair(data_dir, conn, problems)
    for p in problems:
        p.pop("path", None)
        p.pop("sha256", None)
        p.pop("size", None)
    return problems


def _repair(data_dir: DataDir, conn: Any, problems: list[dict[str, Any]]) -> None:
    import catalog
    from search_cli.lock import update_lock

    with update_lock(data_dir):
        for p in problems:
            kind = p["kind"]
            if kind == "stale-leftover" and p["path"].is_dir():
                shutil.rmtree(p["path"], ignore_errors=True)
                p["repaired"] = True
            elif kind in ("temp-file", "orphan-file", "stale-leftover"):
                p["path"].unlink(missing_ok=True)
                p["repaired"] = True
            elif kind in ("corrupt-file", "missing-file"):
                if kind == "corrupt-file":
                    p["path"].unlink(missing_ok=True)
                with catalog.transaction(conn):
                    # Forget the validators so the next `update` downloads the document again.
                    conn.execute("UPDATE urls SET etag=NULL, last_modified=NULL WHERE sha256=?", (p["sha256"],))
                p["detail"] += "; the next `hparkiv update` downloads it again"
        for p in problems:
            if p["kind"] == "row-mismatch" and "size" in p and not any(
                    q.get("sha256") == p["sha256"] for q in problems if q["kind"] == "corrupt-file"):
                with catalog.transaction(conn):  # the file matches its hash, so the row is wrong
                    conn.execute("UPDATE versions SET size=? WHERE sha256=?", (p["size"], p["sha256"]))
                p["repaired"] = True
            if p["kind"] == "pages-lost":  # extract it again: its pages come back from its file
                with catalog.transaction(conn):
                    conn.execute("UPDATE versions SET status='pending' WHERE sha256=?", (p["sha256"],))
        if any(p["kind"] in ("not-extracted", "pages-lost") for p in problems):
            from extract.run import extract_pending

            extract_pending(data_dir)
            for p in problems:
                if p["kind"] in ("not-extracted", "pages-lost"):
                    p["repaired"] = True
        if any(p["kind"] == "decisions-stale" for p in problems):
            from extract.vedtak import derive_pending

            derive_pending(conn)  # from the stored page text
            for p in problems:
                if p["kind"] == "decisions-stale":
                    p["repaired"] = True
        index_kinds = {"index-missing", "index-extra", "index-duplicates", "index-unreadable", "index-stale"}
        if any(p["kind"] in index_kinds for p in problems) or any(p.get("repaired") for p in problems):
            from index import update_index

            rebuild = any(p["kind"] in index_kinds - {"index-stale"} for p in problems)
            if any(p["kind"] == "index-unreadable" for p in problems):
                _drop_index(data_dir)
            update_index(data_dir, rebuild=rebuild)
            for p in problems:
                if p["kind"] in index_kinds:
                    p["repaired"] = True


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
