"""The search backend: what an engine does for hparkiv, and which engine a data dir uses.

Two engines implement `Backend`: Whoosh, embedded, the default (index/whoosh_backend.py), and
OpenSearch, a cluster for archives one machine outgrows (index/opensearch/backend.py). The
entry points (`index.search`, `index.trend`, `index.update_index`, `index.vedtak.search_vedtak`,
`index.check`) open the data dir's backend here and never name an engine, so the CLI, the web
and the API do not know which one answers.

What stays ours, shared by both: parsing (index/query.py builds one query tree, each backend
translates it), filters and their aliases (index/filters.py), the page documents' text
(index/schema.py `page_text`), the snippets, cut from the catalog's page text for the hits on
screen (index/snippets.py: the same snippets whichever engine found the page), and the
catalog reading of an update (index/writer.py).

The data dir's engine is its `engine.toml` (written by `hparkiv index --engine`); without one
it is Whoosh:

    engine = "opensearch"
    urls = ["http://10.0.0.5:9200", "http://10.0.0.6:9200"]
    index = "hparkiv-baerum"      # the prefix of the engine's indexes and aliases
"""

from __future__ import annotations

import hashlib
import os
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from catalog.models import Filters, Table, Version
from catalog.paths import DataDir
from index.errors import EngineUnavailable

if TYPE_CHECKING:
    from catalog import Connection
    from catalog.problem import Problem
    from index.parsed import ParsedQuery
    from index.snippets import SnippetParts
    from index.spelling import IndexSpelling

ENGINES = ("whoosh", "opensearch")
CONFIG_NAME = "engine.toml"


# --- what a backend answers --------------------------------------------------------------------


@dataclass
class Matches:
    """A search's answer before snippets: the total, the hits on screen (each page's stored
    fields and score), facet counts over every match, matching pages per hit document, and
    how many of the matches match the query as typed (`ParsedQuery.exact`; None without one)."""

    total: int
    hits: list[tuple[dict[str, Any], float]] = field(default_factory=list)
    facets: dict[str, dict[str, int]] = field(default_factory=dict)
    doc_pages: dict[str, int] = field(default_factory=dict)
    exact_total: int | None = None


@dataclass
class TrendRow:
    year: int
    pages: int
    documents: int


@dataclass
class PageDoc:
    """One page to index: its number, text and tables (the document's metadata is the version's)."""

    page: int
    text: str
    tables: list[Table]


class IndexWriter(Protocol):
    """One update's writes. Nothing is visible to searches before `commit`; a rebuild's index
    replaces the current one only at `finish` (a generation, an alias swap)."""

    def add_version(self, version: Version, number: int, pages: list[PageDoc]) -> int:
        """Index every page of a document version (`number`: its version number, catalog
        `version_numbers`); returns the pages sent."""
        ...

    def delete_version(self, sha256: str) -> int:
        """Remove every page of a document version; returns the pages removed."""
        ...

    def commit(self) -> list[str]:
        """Make what was written durable and searchable (a refresh); returns the sha256 of
        versions some page of which the engine refused (they stay dirty in the catalog)."""
        ...

    def finish(self) -> list[str]:
        """The last commit; a rebuild is swapped in. Returns as `commit` does."""
        ...

    def abort(self) -> None:
        """Drop what was not committed (a rebuild's half-built index too)."""
        ...


class Backend(Protocol):
    """What every engine does for hparkiv."""

    name: str

    def describe(self) -> dict[str, Any]:
        """Which engine, where, which index, how many pages (for `hparkiv status`)."""
        ...

    # --- the index's life cycle

    def prepare(self) -> bool:
        """Clean up after a killed writer; True when the current index can be updated in
        place, False when it is missing, unreadable or of an older schema (create or upgrade:
        the caller rebuilds). Called with the data dir's index lock held."""
        ...

    def writer(self, *, rebuild: bool, lexicon: frozenset[str] = frozenset(),
               common: frozenset[str] = frozenset()) -> IndexWriter:
        """Writes into the current index, or (`rebuild`) into a new one made with the
        corpus's compound lexicon and common words (index.analysis.corpus_stats)."""
        ...

    def replace_vedtak(self, docs: list[tuple[str, str]]) -> int:
        """Replace the vedtak index with these (key, text) documents; returns how many."""
        ...

    # --- reading

    def spelling(self) -> IndexSpelling | None:
        """The index's words, for the parser's corrections, compounds and forms (index/spelling.py);
        None when there is no index to ask."""
        ...

    def search(self, parsed: ParsedQuery, filters: Filters, *, limit: int | None, offset: int, facets: bool,
               sort: str, within: str | None) -> Matches:
        """Pages matching the query within the filters (merged with the query's own fields),
        best first or by date, superseded versions left out unless `filters.all_versions`.
        By relevance, the pages matching `parsed.exact` (the words as typed) come first."""
        ...

    def trend(self, parsed: ParsedQuery, filters: Filters) -> list[TrendRow]:
        """Matching pages and documents per budget year, oldest first (pages without a year left out)."""
        ...

    def vedtak_scores(self, parsed: ParsedQuery) -> dict[str, float]:
        """Every matching vedtak's key ("sha256:seq") with its score."""
        ...

    def snippet_parts(self) -> SnippetParts | None:
        """The compound parts the index was built with, for snippets and highlights."""
        ...

    # --- checking

    def check(self, conn: Connection) -> list[Problem]:
        """The index against the catalog: pages missing, extra, twice, or of another version."""
        ...

    def repair(self, problems: list[Problem], *, catalog_changed: bool) -> None:
        """Mend what `check` found (re-index what differs), and send what the catalog's
        repairs changed (`catalog_changed`); call with the update lock held."""
        ...


# --- the data dir's choice -----------------------------------------------------------------------


@dataclass(frozen=True)
class EngineConfig:
    engine: str = "whoosh"
    urls: tuple[str, ...] = ()
    index: str = ""  # the prefix of the engine's index names; default from the data dir's path
    shards: int | None = None  # primary shards of a new index (None: 1)
    replicas: int | None = None  # copies of each shard (None: 1 when the cluster has 2 data nodes)

    def to_toml(self) -> str:
        lines = ["# hparkiv's search engine for this data dir (written by `hparkiv index --engine`)",
                 f'engine = "{self.engine}"']
        if self.engine != "whoosh":
            lines.append("urls = [" + ", ".join(f'"{u}"' for u in self.urls) + "]")
            lines.append(f'index = "{self.index}"')
            if self.shards is not None:
                lines.append(f"shards = {self.shards}")
            if self.replicas is not None:
                lines.append(f"replicas = {self.replicas}")
        return "\n".join(lines) + "\n"


def default_index_name(data_dir: DataDir) -> str:
    """A data dir's own index prefix: two archives on one cluster never share an index."""
    digest = hashlib.sha256(str(data_dir.root.resolve()).encode()).hexdigest()[:10]
    return f"hparkiv-{digest}"


def config_path(data_dir: DataDir) -> Path:
    return data_dir.root / CONFIG_NAME


def read_config(data_dir: DataDir) -> EngineConfig:
    """The data dir's engine (Whoosh when it names none); a bad file is an EngineUnavailable."""
    path = config_path(data_dir)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return EngineConfig()
    except OSError as e:
        raise EngineUnavailable("cannot read {path}: {reason}", path=str(path), reason=str(e)) from None
    import tomllib

    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as e:
        raise EngineUnavailable("{path} is not valid TOML: {reason}", path=str(path), reason=str(e)) from None
    engine = data.get("engine", "whoosh")
    if engine not in ENGINES:
        raise EngineUnavailable("{path}: unknown engine {engine!r} (use one of: {valid})", path=str(path),
                                engine=str(engine), valid=", ".join(ENGINES))
    if engine == "whoosh":
        return EngineConfig()
    urls = data.get("urls") or []
    if isinstance(urls, str):
        urls = urls.split(",")
    if not urls:
        raise EngineUnavailable("{path}: engine {engine} needs urls", path=str(path), engine=engine)
    index = str(data.get("index") or default_index_name(data_dir))
    return EngineConfig(engine, tuple(str(u).strip() for u in urls if str(u).strip()), index,
                        _count(data, "shards", path), _count(data, "replicas", path))


def _count(data: dict, key: str, path: Path) -> int | None:
    value = data.get(key)
    if value is None:
        return None
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise EngineUnavailable("{path}: {key} must be a whole number", path=str(path), key=key)
    return value


def write_config(data_dir: DataDir, config: EngineConfig) -> None:
    """Choose the data dir's engine (atomically: a reader sees the old file or the new one)."""
    data_dir.ensure()
    path = config_path(data_dir)
    tmp = path.with_name(f".{CONFIG_NAME}.{os.getpid()}")
    tmp.write_text(config.to_toml(), encoding="utf-8")
    os.replace(tmp, path)
    with _lock:
        _open.pop(str(data_dir.root), None)


# --- opening -------------------------------------------------------------------------------------

_open: dict[str, tuple[Any, Backend]] = {}  # data dir root -> (its config file's stat, the backend)
_lock = threading.Lock()


def open_backend(data_dir: DataDir) -> Backend:
    """The data dir's backend, opened once per process and again when its engine.toml changes."""
    key = str(data_dir.root)
    try:
        st = os.stat(config_path(data_dir))
        stamp: Any = (st.st_mtime_ns, st.st_size, st.st_ino)
    except OSError:
        stamp = None
    with _lock:
        cached = _open.get(key)
        if cached is not None and cached[0] == stamp:
            return cached[1]
    backend = make_backend(data_dir, read_config(data_dir) if stamp is not None else EngineConfig())
    with _lock:
        _open[key] = (stamp, backend)
    return backend


def make_backend(data_dir: DataDir, config: EngineConfig) -> Backend:
    if config.engine == "opensearch":
        from index.opensearch.backend import OpenSearchBackend

        return OpenSearchBackend(data_dir, config)
    from index.whoosh_backend import WhooshBackend

    return WhooshBackend(data_dir)


def engine_name(data_dir: DataDir) -> str:
    """Which engine the data dir uses (reads only its engine.toml: no connection)."""
    return read_config(data_dir).engine


Progress = Callable[[int, int], None]
