"""The parent process of a crawl: `crawl()` starts `crawler.child` and reads its progress lines.

Several sources run in one child process, side by side (one Scrapy crawler each, sharing one
politeness clock per host), and each source's outcome is reported on its own: a source that
cannot run (a missing API key) or whose start pages all fail does not stop the others.

Importing this module does not import Scrapy: the child process (`crawler.child`) does.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections import deque
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from catalog import DataDir, connect
from crawler import progress as progress_protocol
from crawler.hosts import host_entry
from crawler.settings import REAL_SITE_DELAY, is_loopback
from sources import DEFAULT_SOURCE, Source, load_source, source_files

COUNTS = ("pages_visited", "documents_seen", "new", "changed", "unchanged", "failed", "problems", "links_found")


class CrawlError(RuntimeError):
    """The crawl itself could not run (the child process failed)."""


@dataclass
class CrawlSummary:
    """What a crawl did: the totals, and (`sources`) each source's own summary. A source's
    `error` says why it could not run at all; `failed_sources()` names every source that
    fetched nothing."""

    pages_visited: int = 0
    documents_seen: int = 0
    new: int = 0
    changed: int = 0
    unchanged: int = 0
    failed: int = 0
    problems: int = 0  # answers that came but could not be used (malformed records)
    links_found: int = 0
    warnings: list[str] = field(default_factory=list)
    failures: list[tuple[str, str]] = field(default_factory=list)  # (url, reason)
    not_allowed: dict[str, int] = field(default_factory=dict)  # host -> links not followed there
    sources: dict[str, CrawlSummary] = field(default_factory=dict)
    error: str | None = None
    kommune: str | None = None  # a source's municipality ("Asker 3203")
    messages: list[str] = field(default_factory=list)  # what the adapters noted ("no decision published")

    def notes(self) -> list[str]:
        """What the run left out on purpose but a user may want: links to hosts not allowed."""
        return [
            f"{n} link{'s' if n != 1 else ''} to {host} not followed: host not allowed (add it with --allow-host)"
            for host, n in self.not_allowed.items()
        ] + self.messages

    def fetched_nothing(self) -> bool:
        return self.error is not None or (self.pages_visited == 0 and self.documents_seen == 0)

    def failed_sources(self) -> dict[str, str]:
        """Each source that could not run or fetched nothing, and why."""
        out = {}
        for name, s in self.sources.items():
            if s.fetched_nothing():
                out[name] = s.error or (s.failures[0][1] if s.failures else "no answer")
        return out


def _summary(data: Mapping[str, Any]) -> CrawlSummary:
    return CrawlSummary(
        **{k: int(data.get(k, 0)) for k in COUNTS},
        warnings=list(data.get("warnings", [])), failures=[(u, r) for u, r in data.get("failures", [])],
        not_allowed=dict(data.get("not_allowed", {})), error=data.get("error"), kommune=data.get("kommune"),
        messages=list(data.get("notes", [])),
        sources={name: _summary(s) for name, s in data.get("sources", {}).items()},
    )


def _hosts(src: Source) -> list[str]:
    """Every host a source may visit: its own and those its platforms name (API, file servers)."""
    from crawler.adapters import ADAPTERS

    hosts = [host_entry(h) for h in src.allowed_hosts]
    hosts += [host_entry(u) for u in src.start_urls]
    for platform in src.platforms:
        hosts += [host_entry(h) for h in ADAPTERS[platform.kind].hosts(platform)]
    return hosts


def source_config(
    data_dir: DataDir,
    *,
    source: str | Path = DEFAULT_SOURCE,
    start_urls: Sequence[str] = (),
    allow_hosts: Sequence[str] = (),
    wayback: str | None | bool = None,
    verbose: bool = False,
    download_delay: float | None = None,
    timeout: int | None = None,
) -> dict[str, Any]:
    """Resolve one source's options into the child's configuration (also validates them)."""
    src: Source = load_source(source)
    for url in start_urls:
        if urlsplit(url).scheme not in ("http", "https") or not urlsplit(url).netloc:
            raise ValueError(f"not an http(s) URL: {url!r}")
    starts = list(start_urls) or list(src.start_urls)
    # --start-url replaces the source's pages *and* hosts: a test server never leaks to the real site.
    # An entry without a port allows its host on every port (see crawler.hosts).
    hosts = [host_entry(u) for u in start_urls] if start_urls else _hosts(src)
    hosts += [host_entry(h) for h in allow_hosts]
    if wayback is None:
        base = None if start_urls else src.wayback
    elif wayback is False or wayback is True:
        base = (src.wayback if not start_urls else None) if wayback is True else None
    else:
        base = str(wayback)
    if base:
        if urlsplit(base).scheme not in ("http", "https"):
            raise ValueError(f"not an http(s) URL: {base!r}")
        hosts.append(host_entry(base))
    return {
        "source": str(Path(source).resolve()) if Path(str(source)).suffix == ".toml" else str(source),
        "name": src.name,
        "kommune": f"{src.kommune.name} {src.kommune.number}" if src.kommune else None,
        "start_urls": starts,
        "start_urls_given": bool(start_urls),
        "allowed_netlocs": sorted(set(hosts)),
        "wayback": base.rstrip("/") if base else None,
        "data_dir": str(data_dir.root.resolve()),
        "verbose": verbose,
        "download_delay": download_delay,
        "timeout": timeout,
        "politeness": src.politeness,
    }


crawl_config = source_config  # one source's configuration (the name older callers know)


def host_delays(configs: Sequence[dict[str, Any]]) -> dict[str, float]:
    """Seconds between two requests to one host, whichever source asks: the largest any source
    wants, at least REAL_SITE_DELAY on the real web, none on loopback unless asked."""
    delays: dict[str, float] = {}
    for c in configs:
        for netloc in c["allowed_netlocs"]:
            host = netloc.rsplit(":", 1)[0] if not netloc.endswith("]") else netloc
            if is_loopback(netloc):
                delay = c["download_delay"] or 0.0
            else:
                delay = max(c["download_delay"] or 0.0, c["politeness"] or 0.0, REAL_SITE_DELAY)
            delays[host] = max(delays.get(host, 0.0), delay)
    return delays


def crawl(
    data_dir: DataDir,
    *,
    source: str | Path | Sequence[str | Path] = DEFAULT_SOURCE,
    start_urls: Sequence[str] = (),
    allow_hosts: Sequence[str] = (),
    wayback: str | None | bool = None,
    verbose: bool = False,
    progress: Callable[[dict], None] | None = None,
    download_delay: float | None = None,
    timeout: int | None = None,
    environ: Mapping[str, str] | None = None,
) -> CrawlSummary:
    """Crawl the source(s) into `data_dir` and return what happened.

    `source`: a shipped source's name, a TOML file, a directory of them, `all`, a comma-separated
    list of these, or a list. `wayback`: None = each source's default archive (none when
    `start_urls` are given), False = no archive, a URL = that Wayback-compatible archive.
    `timeout`: seconds per request (default 30; tests of stalled servers use less).
    """
    from crawler.adapters import ADAPTERS

    names = [item for s in ([source] if isinstance(source, str | Path) else source) for item in source_files(s)]
    if start_urls and len(names) > 1:
        raise ValueError("--start-url replaces one source's start pages: name one source with it")
    environ = os.environ if environ is None else environ
    configs, unable = [], {}
    for name in dict.fromkeys(names):
        cfg = source_config(data_dir, source=name, start_urls=start_urls, allow_hosts=allow_hosts, wayback=wayback,
                            verbose=verbose, download_delay=download_delay, timeout=timeout)
        src = load_source(cfg["source"])
        why = next((w for p in src.platforms if (w := ADAPTERS[p.kind].problem(p, environ))), None)
        if why:
            unable[cfg["name"]] = CrawlSummary(error=why, kommune=cfg["kommune"])
        else:
            configs.append(cfg)
    data_dir.ensure()
    connect(data_dir).close()  # created or upgraded here: a catalog we cannot use is an error before any crawl
    data_dir.remove_partial_files()  # what a killed run was writing when it died
    summary = CrawlSummary()
    if configs:
        summary = _run_child({"sources": configs, "host_delays": host_delays(configs), "data_dir":
                              str(data_dir.root.resolve()), "verbose": verbose, "timeout": timeout}, verbose, progress,
                             environ)
    summary.sources.update(unable)
    if len(summary.sources) == 1 and unable:  # one source that could not run: the run's error too
        summary.error = next(iter(unable.values())).error
    return summary


def _run_child(config: dict[str, Any], verbose: bool, progress: Callable[[dict], None] | None,
               environ: Mapping[str, str]) -> CrawlSummary:
    cmd = [sys.executable, "-m", "crawler.child", json.dumps(config)]
    stderr_tail: deque[str] = deque(maxlen=40)
    summary: dict[str, Any] | None = None
    latest: dict[str, dict[str, Any]] = {}  # source -> its last progress counts
    with subprocess.Popen(
        cmd, stdout=subprocess.PIPE, stderr=None if verbose else subprocess.PIPE, text=True,
        encoding="utf-8", env=_child_env(environ),
    ) as child:
        err_reader = _drain(child.stderr, stderr_tail) if child.stderr else None
        assert child.stdout is not None
        for line in child.stdout:
            event = progress_protocol.parse(line.rstrip("\n"))
            if event is None:
                continue
            if event.get("event") == "summary":
                summary = event
            elif event.get("event") == "progress" and event.get("source"):
                latest[event["source"]] = event
                event = {"event": "progress", "sources": dict(latest),
                         **{k: sum(int(e.get(k, 0)) for e in latest.values()) for k in COUNTS}}
            if progress is not None:
                progress(event)
        child.wait()
        if err_reader:
            err_reader.join(timeout=5)
    if child.returncode != 0 or summary is None:
        tail = "".join(stderr_tail).strip() or "(no output)"
        raise CrawlError(f"the crawler process exited with status {child.returncode}:\n{tail}")
    return _summary(summary)


def _child_env(environ: Mapping[str, str]) -> dict[str, str]:
    """The environment (API keys live there, never in files), with this checkout importable
    even when hparkiv is not installed."""
    env = dict(environ)
    root = str(Path(__file__).resolve().parent.parent)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [root, env.get("PYTHONPATH", "")]))
    env.setdefault("PYTHONIOENCODING", "utf-8")
    return env


def _drain(stream: Any, tail: deque[str]) -> Any:
    """Read the child's stderr in a thread (keeping the last lines), so it never blocks on a full pipe."""
    import threading

    def read() -> None:
        for line in stream:
            tail.append(line)

    thread = threading.Thread(target=read, daemon=True)
    thread.start()
    return thread
