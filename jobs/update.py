"""`update`: crawl → extract → index under the data dir's update lock, and each stage alone.

A job reports what it does to a callback (`Step`s: a stage started, moved on, finished with
its summary) and raises a `JobError` when it cannot go on; it prints nothing. Scrapy and
pdfplumber are imported by the stage that needs them, when it runs.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from catalog import DataDir
from jobs.errors import BadOption, Busy, CrawlFailed, EngineDown, NothingFetched, SourcesFailed
from jobs.locks import update_lock


def N_(message: str) -> str:
    return message


@dataclass
class Step:
    """What a job reports as it runs: `stage` is "crawl", "extract" or "index"; `state` is
    "start", "progress" (with `counts`) or "done" (with the stage's `summary`: a CrawlSummary,
    ExtractSummary or IndexSummary)."""

    stage: str
    state: str
    counts: dict[str, Any] = field(default_factory=dict)
    summary: Any = None


OnStep = Callable[[Step], None]


def _quiet(_step: Step) -> None:
    pass


@dataclass
class CrawlOptions:
    """Where to crawl: a shipped source, a TOML file, a folder of them, `all`, or several
    (comma-separated), or start URLs (their hosts allowed) for one source; `wayback` None =
    each source's archive, False = none, a URL = that archive."""

    source: str = "baerum"
    start_urls: Sequence[str] = ()
    allow_hosts: Sequence[str] = ()
    wayback: str | bool | None = None
    delay: float | None = None


@dataclass
class EngineChoice:
    """`hparkiv index --engine`: which engine the data dir uses from now on. For OpenSearch,
    the cluster's node URLs (default $HPARKIV_OPENSEARCH_URL), the prefix of its index names
    (default: one of the data dir's own), and a new index's shards and replicas."""

    engine: str = "whoosh"
    urls: Sequence[str] = ()
    index_name: str | None = None
    shards: int | None = None
    replicas: int | None = None


@dataclass
class UpdateSummary:
    crawl: Any = None
    extract: Any = None
    index: Any = None


def crawl(data_dir: DataDir, options: CrawlOptions | None = None, *, verbose: bool = False,
          on_step: OnStep = _quiet) -> Any:
    """Stage 1: collect documents. Raises NothingFetched (after reporting the summary) when
    no start page could be fetched, so the archive is unchanged."""
    from crawler.parent import CrawlError
    from crawler.parent import crawl as run_crawl

    o = options or CrawlOptions()
    with update_lock(data_dir):
        on_step(Step("crawl", "start"))
        try:
            summary = run_crawl(data_dir, source=o.source, start_urls=list(o.start_urls),
                                allow_hosts=list(o.allow_hosts), wayback=o.wayback, download_delay=o.delay,
                                verbose=verbose, progress=lambda counts: on_step(Step("crawl", "progress", counts)))
        except CrawlError as e:
            raise CrawlFailed(N_("the crawl could not run: {reason}"), reason=e) from None
        except ValueError as e:
            raise BadOption(N_("invalid value: {reason}"), reason=e) from None
        on_step(Step("crawl", "done", summary=summary))
    if summary.pages_visited == 0 and summary.documents_seen == 0:
        failed = summary.failed_sources()
        why = (summary.error or (summary.failures[0][1] if summary.failures else None)
               or "; ".join(f"{name}: {reason}" for name, reason in failed.items()))
        raise NothingFetched(N_("no start page could be fetched ({reason}); the archive is unchanged"),
                             summary, reason=why or "no answer")
    return summary


def crawl_sources(data_dir: DataDir, options: CrawlOptions | None = None, *, verbose: bool = False,
                  on_step: OnStep = _quiet) -> Any:
    """`hparkiv crawl`: stage 1 alone, ending with SourcesFailed when some sources failed."""
    summary = crawl(data_dir, options, verbose=verbose, on_step=on_step)
    failed = sources_failed(summary)
    if failed is not None:
        raise failed
    return summary


def sources_failed(summary: Any) -> SourcesFailed | None:
    """The error a run ends with when some of its sources could not run or fetched nothing
    (raised after the others were crawled, extracted and indexed: the exit status says it)."""
    failed = summary.failed_sources() if summary is not None else {}
    if not failed:
        return None
    return SourcesFailed(N_("{n} of {total} sources failed: {which}"), summary, n=len(failed),
                         total=len(summary.sources), which="; ".join(f"{k}: {v}" for k, v in failed.items()))


def extract(data_dir: DataDir, *, workers: int | None = None, ocr: bool | None = None, force: bool = False,
            on_step: OnStep = _quiet) -> Any:
    """Stage 2: text, tables and vedtak of new versions (every version with `force`), and the budget
    model's facts wherever tables or classifications changed."""
    from extract.run import extract_pending

    with update_lock(data_dir):
        on_step(Step("extract", "start"))
        summary = extract_pending(data_dir, workers=workers, force=force, ocr=ocr,
                                  progress=lambda counts: on_step(Step("extract", "progress", counts)))
        derive_budget(data_dir)
        on_step(Step("extract", "done", summary=summary))
    return summary


def derive_budget(data_dir: DataDir) -> int:
    """The budget model's facts of every version whose tables or classification changed (budget/model.py):
    part of extraction, from the stored tables and page text."""
    import catalog
    from budget.model import derive_missing

    conn = catalog.connect(data_dir)
    try:
        return derive_missing(conn)
    finally:
        conn.close()


def index(data_dir: DataDir, *, rebuild: bool = False, engine: EngineChoice | None = None,
          on_step: OnStep = _quiet) -> Any:
    """Stage 3: bring the index up to date with the catalog (or rebuild it). With `engine`,
    the data dir uses that engine from now on; a change of engine (or of cluster index)
    rebuilds the index there, from the catalog."""
    from index import EngineUnavailable, IndexLocked, update_index

    with update_lock(data_dir):
        if engine is not None:
            rebuild = choose_engine(data_dir, engine) or rebuild
        on_step(Step("index", "start"))
        try:
            summary = update_index(data_dir, rebuild=rebuild, progress=lambda done, total: on_step(
                Step("index", "progress", {"done": done, "total": total})))
        except IndexLocked as e:
            raise Busy(N_("the index is locked: {reason}"), reason=e) from None
        except EngineUnavailable as e:
            raise EngineDown(N_("the search engine failed: {reason}"), reason=e) from None
        on_step(Step("index", "done", summary=summary))
    return summary


def choose_engine(data_dir: DataDir, choice: EngineChoice) -> bool:
    """Write the data dir's engine.toml; True when the engine (or its cluster index) changed,
    so the index must be built anew. A cluster that does not answer is refused before anything
    is written: the data dir keeps searching where it did."""
    import os

    from index.backend import ENGINES, EngineConfig, default_index_name, read_config, write_config
    from index.errors import EngineUnavailable

    if choice.engine not in ENGINES:
        raise BadOption(N_("unknown engine {engine!r} (use one of: {valid})"), engine=choice.engine,
                        valid=", ".join(ENGINES))
    try:
        before = read_config(data_dir)
    except EngineUnavailable:
        before = None  # a broken engine.toml is replaced
    if choice.engine == "whoosh":
        config = EngineConfig()
    else:
        from index.opensearch.client import URL_ENV, connect, parse_urls

        raw = list(choice.urls) or [os.environ.get(URL_ENV, "")]
        try:
            urls = parse_urls(",".join(raw))
        except EngineUnavailable as e:
            raise BadOption(N_("--url: {reason} (or set HPARKIV_OPENSEARCH_URL)"), reason=e) from None
        name = choice.index_name or (before.index if before and before.engine == "opensearch" and before.index
                                     else default_index_name(data_dir))
        if not name.islower() or not all(c.isalnum() or c in "-_" for c in name) or name[0] in "-_":
            raise BadOption(N_("--index-name {name!r}: lowercase letters, digits, - and _ only"), name=name)
        try:
            connect(urls, retries=1).info()
        except EngineUnavailable as e:
            raise EngineDown(N_("the search engine failed: {reason}"), reason=e) from None
        except Exception as e:  # noqa: BLE001 - the client's own errors: the cluster does not answer
            raise EngineDown(N_("the OpenSearch cluster at {urls} does not answer: {reason}"),
                             urls=",".join(urls), reason=" ".join(str(e).split())[:300]) from None
        config = EngineConfig("opensearch", tuple(urls), name, choice.shards, choice.replicas)
    if before == config:
        return False
    write_config(data_dir, config)
    # Another engine, or another index in the cluster: built anew. Other URLs of the same
    # index need nothing (a cluster without it is found so by the update, which then builds it).
    return before is None or (before.engine, before.index) != (config.engine, config.index)


def update(data_dir: DataDir, options: CrawlOptions | None = None, *, workers: int | None = None,
           ocr: bool | None = None, verbose: bool = False, on_step: OnStep = _quiet) -> UpdateSummary:
    """Crawl, extract, index: the main job. Returns when the run completed (documents may have
    failed: each summary says which); raises a JobError when it could not proceed, and
    SourcesFailed at the end when some sources failed while the others went through."""
    with update_lock(data_dir):
        done = UpdateSummary()
        done.crawl = crawl(data_dir, options, verbose=verbose, on_step=on_step)
        done.extract = extract(data_dir, workers=workers, ocr=ocr, on_step=on_step)
        done.index = index(data_dir, on_step=on_step)
    failed = sources_failed(done.crawl)
    if failed is not None:
        failed.summary = done
        raise failed
    return done
