"""Where a data dir keeps what: one place, so no stage invents its own paths."""

from __future__ import annotations

import hashlib
import os
import tempfile
from contextlib import AbstractContextManager
from dataclasses import dataclass
from pathlib import Path

from catalog.locks import held_elsewhere, hold

ENV_DATA_DIR = "HPARKIV_DATA_DIR"


def default_data_dir() -> Path:
    """The data dir from $HPARKIV_DATA_DIR, else the platform's user-data dir."""
    env = os.environ.get(ENV_DATA_DIR)
    if env:
        return Path(env).expanduser()
    import platformdirs

    return Path(platformdirs.user_data_dir("hparkiv", appauthor=False))


@dataclass(frozen=True)
class DataDir:
    """The layout of one data dir. Files are named by their sha256, never by a web name."""

    root: Path

    @property
    def catalog(self) -> Path:
        return self.root / "catalog.sqlite"

    @property
    def files(self) -> Path:
        return self.root / "files"

    @property
    def index(self) -> Path:
        return self.root / "index"

    @property
    def locks(self) -> Path:
        return self.root / "locks"

    @property
    def renders(self) -> Path:
        """The web's cache of page images, by (sha256, page, width); always safe to empty."""
        return self.root / "renders"

    def render_path(self, sha256: str, page: int, width: int) -> Path:
        self.file_path(sha256)  # validates the digest
        return self.renders / sha256[:2] / f"{sha256}-{int(page)}-{int(width)}.webp"

    def lock(self, name: str, *, reentrant: bool = False) -> AbstractContextManager[None]:
        """Hold the data dir's `name` lock ("update": a run; "index": the index writer).

        Raises `catalog.locks.Locked` when another holder has it; see `catalog/locks.py`.
        """
        self.ensure()
        return hold(self.locks / f"{name}.lock", name, reentrant=reentrant)

    def locked(self, name: str) -> bool:
        """Whether another process holds the `name` lock now."""
        return held_elsewhere(self.locks / f"{name}.lock")

    def file_path(self, sha256: str) -> Path:
        if len(sha256) != 64 or any(c not in "0123456789abcdef" for c in sha256):
            raise ValueError(f"not a sha256 hex digest: {sha256!r}")
        return self.files / sha256[:2] / sha256

    def ensure(self) -> DataDir:
        for d in (self.root, self.files, self.locks):
            d.mkdir(parents=True, exist_ok=True)
        return self

    def remove_partial_files(self) -> int:
        """Delete downloads a killed run left half-written; call only while holding the update lock."""
        removed = 0
        if self.files.exists():
            for tmp in self.files.glob("*/.tmp-*"):
                tmp.unlink(missing_ok=True)
                removed += 1
        return removed

    def store_bytes(self, data: bytes) -> str:
        """Store a document's bytes under their hash; atomic, so a kill never leaves half a file."""
        sha = hashlib.sha256(data).hexdigest()
        dest = self.file_path(sha)
        if dest.exists() and dest.stat().st_size == len(data):
            return sha
        dest.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=dest.parent, prefix=".tmp-")
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp, dest)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        return sha
