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
from jobs.errors import BadOption, Busy, CrawlFailed, NothingFetched, SourcesFailed
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


def index(data_dir: DataDir, *, rebuild: bool = False, on_step: OnStep = _quiet) -> Any:
    """Stage 3: bring the index up to date with the catalog (or rebuild it)."""
    from index import IndexLocked, update_index

    with update_lock(data_dir):
        on_step(Step("index", "start"))
        try:
            summary = update_index(data_dir, rebuild=rebuild, progress=lambda done, total: on_step(
                Step("index", "progress", {"done": done, "total": total})))
        except IndexLocked as e:
            raise Busy(N_("the index is locked: {reason}"), reason=e) from None
        on_step(Step("index", "done", summary=summary))
    return summary


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
