"""The parent process of a crawl: `crawl()` starts `crawler.child` and reads its progress lines.

Importing this module does not import Scrapy: the child process (`crawler.child`) does.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from catalog import DataDir, connect
from crawler import progress as progress_protocol
from crawler.hosts import host_entry
from sources import Source, load_source


class CrawlError(RuntimeError):
    """The crawl itself could not run (the child process failed)."""


@dataclass
class CrawlSummary:
    pages_visited: int = 0
    documents_seen: int = 0
    new: int = 0
    changed: int = 0
    unchanged: int = 0
    failed: int = 0
    links_found: int = 0
    warnings: list[str] = field(default_factory=list)
    failures: list[tuple[str, str]] = field(default_factory=list)  # (url, reason)
    not_allowed: dict[str, int] = field(default_factory=dict)  # host -> links not followed there

    def notes(self) -> list[str]:
        """What the run left out on purpose but a user may want: links to hosts not allowed."""
        return [
            f"{n} link{'s' if n != 1 else ''} to {host} not followed: host not allowed (add it with --allow-host)"
            for host, n in self.not_allowed.items()
        ]


def crawl_config(
    data_dir: DataDir,
    *,
    source: str | Path = "baerum",
    start_urls: Sequence[str] = (),
    allow_hosts: Sequence[str] = (),
    wayback: str | None | bool = None,
    verbose: bool = False,
    download_delay: float | None = None,
    timeout: int | None = None,
) -> dict[str, Any]:
    """Resolve the options into the child's configuration (also validates them)."""
    src: Source = load_source(source)
    for url in start_urls:
        if urlsplit(url).scheme not in ("http", "https") or not urlsplit(url).netloc:
            raise ValueError(f"not an http(s) URL: {url!r}")
    starts = list(start_urls) or list(src.start_urls)
    # --start-url replaces the source's pages *and* hosts: a test server never leaks to the real site.
    # An entry without a port allows its host on every port (see crawler.hosts).
    hosts = [host_entry(u) for u in start_urls] if start_urls else [host_entry(h) for h in src.allowed_hosts]
    hosts += [host_entry(u) for u in src.start_urls if not start_urls]
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
        "start_urls": starts,
        "allowed_netlocs": sorted(set(hosts)),
        "wayback": base.rstrip("/") if base else None,
        "data_dir": str(data_dir.root.resolve()),
        "verbose": verbose,
        "download_delay": download_delay,
        "timeout": timeout,
    }


def crawl(
    data_dir: DataDir,
    *,
    source: str | Path = "baerum",
    start_urls: Sequence[str] = (),
    allow_hosts: Sequence[str] = (),
    wayback: str | None | bool = None,
    verbose: bool = False,
    progress: Callable[[dict], None] | None = None,
    download_delay: float | None = None,
    timeout: int | None = None,
) -> CrawlSummary:
    """Crawl the source into `data_dir` and return what happened.

    `wayback`: None = the source's default archive (none when `start_urls` are given),
    False = no archive, a URL = that Wayback-compatible archive. `timeout`: seconds per
    request (default 30; tests of stalled servers use less).
    """
    config = crawl_config(
        data_dir, source=source, start_urls=start_urls, allow_hosts=allow_hosts, wayback=wayback,
        verbose=verbose, download_delay=download_delay, timeout=timeout,
    )
    data_dir.ensure()
    connect(data_dir).close()  # created or upgraded here: a catalog we cannot use is an error before any crawl
    data_dir.remove_partial_files()  # what a killed run was writing when it died
    cmd = [sys.executable, "-m", "crawler.child", json.dumps(config)]
    stderr_tail: deque[str] = deque(maxlen=40)
    summary: dict[str, Any] | None = None
    with subprocess.Popen(
        cmd, stdout=subprocess.PIPE, stderr=None if verbose else subprocess.PIPE, text=True,
        encoding="utf-8", env=_child_env(),
    ) as child:
        err_reader = _drain(child.stderr, stderr_tail) if child.stderr else None
        assert child.stdout is not None
        for line in child.stdout:
            event = progress_protocol.parse(line.rstrip("\n"))
            if event is None:
                continue
            if event.get("event") == "summary":
                summary = event
            if progress is not None:
                progress(event)
        child.wait()
        if err_reader:
            err_reader.join(timeout=5)
    if child.returncode != 0 or summary is None:
        tail = "".join(stderr_tail).strip() or "(no output)"
        raise CrawlError(f"the crawler process exited with status {child.returncode}:\n{tail}")
    return CrawlSummary(
        pages_visited=summary["pages_visited"], documents_seen=summary["documents_seen"],
        new=summary["new"], changed=summary["changed"], unchanged=summary["unchanged"],
        failed=summary["failed"], links_found=summary["links_found"],
        warnings=list(summary.get("warnings", [])),
        failures=[(u, r) for u, r in summary.get("failures", [])],
        not_allowed=dict(summary.get("not_allowed", {})),
    )


def _child_env() -> dict[str, str]:
    """Our environment, with this checkout importable even when hparkiv is not installed."""
    env = dict(os.environ)
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
