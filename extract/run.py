"""Stage 2 over the catalog: extract every pending version in a pool of worker processes.

Each worker is a long-lived process with a memory limit (RLIMIT_AS) that takes one
document at a time over its own pipe. The parent owns the catalog and the clock: a
document that runs past its time is ended by killing its worker (a hung pdfminer
cannot be interrupted any other way), a worker that dies takes only its current
document with it, and a fresh worker takes its place. Results are written one
transaction per document as they arrive, so an interrupted run loses nothing
already written and leaves nothing half-written.
"""

from __future__ import annotations

import multiprocessing
import os
import resource
import signal
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from multiprocessing.connection import Connection, wait
from pathlib import Path
from typing import Any

import catalog
from catalog import DataDir, Version
from extract import dates, vedtak
from extract.pdf import NO_TEXT, OK, ExtractResult, extract_document, failed

PROGRESS_INTERVAL_S = 0.1
# A worker whose address space is this close to its cap and that has said nothing for this
# long is treated as out of memory (seen: a worker spinning at the cap until the timeout).
MEMORY_CAP_SHARE = 0.97
MEMORY_STALL_S = 5.0
POLL_S = 1.0
# A document's clock starts when its worker picks it up; a worker that never does
# (stuck while starting) is given this long on top.
STARTUP_GRACE_S = 60.0


@dataclass
class ExtractSummary:
    """What one run did; `failures` are (doc_id, reason) pairs for the report."""

    done: int = 0
    ok: int = 0
    no_text: int = 0
    failed: int = 0
    pages: int = 0
    seconds: float = 0.0
    failures: list[tuple[str, str]] = field(default_factory=list)
    hint: str | None = None  # how to get text for the no_text documents, if we know
    peak_worker_rss_mb: float = 0.0  # largest peak RSS any worker reached


# --- worker side ------------------------------------------------------------------------


def _address_space() -> int:
    """This process's virtual size in bytes (what RLIMIT_AS limits), 0 if unknown."""
    try:
        with open("/proc/self/statm") as fh:
            return int(fh.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError):
        return 0


def _watch_memory(peak: Any, base: int) -> None:
    """Keep the peak address space above `base` (MB) in shared memory, which outlives a crash.

    Near its limit, an allocation failure inside C code can kill the process with
    SIGSEGV instead of raising MemoryError; the parent reads this to say why.
    """
    while True:
        used = (_address_space() - base) / 2**20
        if used > peak.value:
            peak.value = used
        time.sleep(0.02)


def _limit_memory(memory_mb: int) -> int:
    """Cap this process's address space at its current size plus `memory_mb`; returns the base."""
    base = _address_space()
    limit = base + memory_mb * 1024 * 1024
    _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
    return base


def _peak_rss_mb() -> float:
    """This worker's own peak resident size. Not ru_maxrss: Linux carries that over from the
    parent through fork and exec, so it would report the parent's size whenever that is larger."""
    try:
        with open("/proc/self/status") as fh:
            for line in fh:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024  # kB
    except (OSError, ValueError, IndexError):
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB


def _worker_main(conn: Connection, memory_mb: int, ocr: bool, tables: bool, peak: Any) -> None:
    """Extract documents sent as (sha256, path) until told to stop (None) or the pipe closes."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent decides when to stop
    import pdfplumber  # noqa: F401  (loaded once, not inside the first document's time)

    base = _limit_memory(memory_mb)
    threading.Thread(target=_watch_memory, args=(peak, base), daemon=True).start()
    while True:
        try:
            task = conn.recv()
        except (EOFError, OSError):
            return
        if task is None:
            return
        sha, path = task
        conn.send(("start", sha))
        out_of_memory = False
        try:
            result = extract_document(
                Path(path), ocr=ocr, tables=tables, on_page=lambda n, s=sha: conn.send(("page", s, n))
            )
        except MemoryError:
            result = failed(f"gave up: used more than {_size(memory_mb)} memory")
            out_of_memory = True
        except Exception as e:  # a bug or an exotic parser error: record it, keep going
            result = failed(f"extraction error: {type(e).__name__}: {e}"[:200])
        conn.send(("done", sha, result, _peak_rss_mb(), out_of_memory))
        if out_of_memory:
            return  # start clean: the heap may be fragmented to its limit


def _size(memory_mb: int) -> str:
    return f"{memory_mb // 1024} GB" if memory_mb % 1024 == 0 else f"{memory_mb} MB"


# --- parent side ------------------------------------------------------------------------


@dataclass
class _Slot:
    """One worker process and the document it is working on, if any."""

    process: Any
    conn: Connection
    peak_mb: Any  # shared double: the worker's peak address space above its start, in MB
    version: Version | None = None
    started: float = 0.0  # when the worker picked the document up, or was sent it
    picked_up: bool = False
    pages: int = 0
    heard: float = 0.0  # when the worker last sent a message

    def deadline(self, timeout_s: float) -> float:
        return self.started + timeout_s + (0.0 if self.picked_up else STARTUP_GRACE_S)

    def stuck_at_memory_cap(self, memory_mb: int) -> bool:
        """At its address-space cap and silent: pdfminer can spin there instead of failing."""
        return (self.peak_mb.value >= MEMORY_CAP_SHARE * memory_mb
                and time.monotonic() - max(self.heard, self.started) > MEMORY_STALL_S)


def _start_worker(ctx: Any, memory_mb: int, ocr: bool, tables: bool) -> _Slot:
    parent, child = ctx.Pipe()
    peak = ctx.Value("d", 0.0, lock=False)
    process = ctx.Process(target=_worker_main, args=(child, memory_mb, ocr, tables, peak), daemon=True)
    process.start()
    child.close()
    return _Slot(process=process, conn=parent, peak_mb=peak)


def _stop_worker(slot: _Slot, kill: bool = False) -> None:
    try:
        if kill:
            slot.process.kill()
        else:
            slot.conn.send(None)
    except (OSError, ValueError):
        pass
    slot.process.join(timeout=0 if kill else 2)
    if slot.process.is_alive():
        slot.process.kill()
        slot.process.join(timeout=5)
    slot.conn.close()


def _near_memory_cap(peak_mb: float, memory_mb: int) -> bool:
    """A worker this close to its cap was failing for memory, whatever ended it (a crash, the clock)."""
    return peak_mb >= 0.9 * memory_mb


def _death_reason(exitcode: int | None, memory_mb: int, peak_mb: float) -> str:
    if _near_memory_cap(peak_mb, memory_mb):
        return f"gave up: used more than {_size(memory_mb)} memory"
    if exitcode is not None and exitcode < 0:
        sig = -exitcode
        if sig == signal.SIGKILL:
            return f"worker killed (signal SIGKILL; out of memory? limit {_size(memory_mb)})"
        try:
            name = signal.Signals(sig).name
        except ValueError:
            name = str(sig)
        return f"crashed the PDF parser (signal {name})"
    return f"worker exited unexpectedly (exit code {exitcode})"


def extract_pending(
    data_dir: DataDir,
    *,
    workers: int | None = None,
    force: bool = False,
    ocr: bool | None = None,
    progress: Callable[[dict[str, Any]], None] | None = None,
    timeout_s: float = 300,
    memory_mb: int = 1024,
    tables: bool = True,
) -> ExtractSummary:
    """Extract every pending version (every version with `force`) into the catalog.

    `ocr=None` turns OCR on when Tesseract with Norwegian data is installed. Each
    document gets `timeout_s` seconds and `memory_mb` of address space in its worker.
    """
    from extract import ocr as ocr_mod

    t0 = time.monotonic()
    conn = catalog.connect(data_dir)
    summary = ExtractSummary()
    try:
        versions = catalog.pending_versions(conn, force=force)
        # Largest first: a long document started last would leave the other cores idle.
        queue = deque(sorted(versions, key=lambda v: -v.size))
        total = len(queue)
        if not total:
            vedtak.derive_missing_vedtak(conn)  # versions extracted before vedtak existed, or by an older parser
            dates.derive_missing_dates(conn)  # versions extracted before first-page dates were read here
            return summary
        use_ocr = ocr_mod.tesseract_available() if ocr is None else ocr
        run_id = catalog.start_run(conn, "extract")
        n_workers = max(1, min(workers or os.cpu_count() or 1, total))
        _run_pool(conn, data_dir, queue, total, summary, n_workers, use_ocr, tables,
                  timeout_s, memory_mb, progress)
        if summary.no_text and not use_ocr:
            summary.hint = ocr_mod.HINT if not ocr_mod.tesseract_available() else "run with --ocr"
        summary.seconds = time.monotonic() - t0
        vedtak.derive_missing_vedtak(conn)  # versions extracted before vedtak existed, or by an older parser
        dates.derive_missing_dates(conn)  # versions extracted before first-page dates were read here
        catalog.finish_run(conn, run_id, {
            "done": summary.done, "ok": summary.ok, "no_text": summary.no_text, "failed": summary.failed,
            "pages": summary.pages, "seconds": round(summary.seconds, 2), "workers": n_workers,
        })
        return summary
    finally:
        summary.seconds = time.monotonic() - t0
        conn.close()


def _run_pool(
    conn: Any,
    data_dir: DataDir,
    queue: deque[Version],
    total: int,
    summary: ExtractSummary,
    n_workers: int,
    ocr: bool,
    tables: bool,
    timeout_s: float,
    memory_mb: int,
    progress: Callable[[dict[str, Any]], None] | None,
) -> None:
    ctx = multiprocessing.get_context("spawn")  # no fork of a parent with threads (rich, sqlite)
    slots = [_start_worker(ctx, memory_mb, ocr, tables) for _ in range(n_workers)]
    last_report = 0.0

    def report(force_now: bool = False) -> None:
        nonlocal last_report
        now = time.monotonic()
        if progress is None or (not force_now and now - last_report < PROGRESS_INTERVAL_S):
            return
        last_report = now
        in_flight = sum(s.pages for s in slots if s.version is not None)
        progress({
            "done": summary.done, "total": total, "pages": summary.pages + in_flight,
            "ok": summary.ok, "no_text": summary.no_text, "failed": summary.failed,
        })

    def record(slot: _Slot, result: ExtractResult) -> None:
        version = slot.version
        assert version is not None
        catalog.record_extraction(
            conn, version.sha256, status=result.status, error=result.error, pages=result.pages,
            tables=result.tables, vedtak=vedtak.derive_vedtak(version, result.pages, result.vedtak),
            page_count=result.page_count,
            date=dates.first_page_date(version, result.pages) if result.status == OK else None,
        )
        summary.done += 1
        summary.pages += len(result.pages)
        if result.status == OK:
            summary.ok += 1
        elif result.status == NO_TEXT:
            summary.no_text += 1
        else:
            summary.failed += 1
        if result.status != OK:
            summary.failures.append((version.doc_id, result.error or result.status))
        slot.version = None
        slot.pages = 0
        report(force_now=True)

    def assign(slot: _Slot) -> None:
        while queue and slot.version is None:
            version = queue.popleft()
            path = data_dir.file_path(version.sha256)
            slot.version, slot.started, slot.pages, slot.picked_up = version, time.monotonic(), 0, False
            slot.peak_mb.value = 0.0  # the watcher raises it again from the current size
            try:
                slot.conn.send((version.sha256, str(path)))
            except (OSError, ValueError):
                queue.appendleft(version)  # the worker is gone; the loop replaces it
                slot.version = None
                return

    try:
        for slot in slots:
            assign(slot)
        while any(s.version is not None for s in slots):
            busy = [s for s in slots if s.version is not None]
            deadline = min(s.deadline(timeout_s) for s in busy)
            wait([s.conn for s in busy] + [s.process.sentinel for s in busy],
                 timeout=min(max(0.0, deadline - time.monotonic()), POLL_S) + 0.01)
            for i, slot in enumerate(slots):
                if slot.version is None:
                    continue
                # Whether it has exited is asked before its messages are read: an exited worker has
                # said all it ever will, so its document is either done or recorded as its death,
                # never lost with a worker that died between two looks.
                exited = not slot.process.is_alive()
                alive = _drain(slot, record, summary) and not exited
                if slot.version is not None and not alive:
                    slot.process.join(timeout=30)  # its pipe is closed: it is exiting, wait for its status
                    reason = _death_reason(slot.process.exitcode, memory_mb, slot.peak_mb.value)
                    record(slot, failed(reason))
                    alive = False
                elif slot.version is not None and time.monotonic() > slot.deadline(timeout_s):
                    # Slow at its memory cap (paging through a heap at the limit) is out of memory.
                    record(slot, failed(f"gave up: used more than {_size(memory_mb)} memory"
                                        if _near_memory_cap(slot.peak_mb.value, memory_mb)
                                        else f"timed out after {timeout_s:g} s"))
                    alive = False
                elif slot.version is not None and slot.stuck_at_memory_cap(memory_mb):
                    record(slot, failed(f"gave up: used more than {_size(memory_mb)} memory"))
                    alive = False
                if not alive or (slot.version is None and not slot.process.is_alive()):
                    _stop_worker(slot, kill=True)
                    slot = slots[i] = _start_worker(ctx, memory_mb, ocr, tables)
                assign(slot)
            report()
    finally:
        for slot in slots:
            _stop_worker(slot, kill=slot.version is not None)


def _drain(slot: _Slot, record: Callable[[_Slot, ExtractResult], None], summary: ExtractSummary) -> bool:
    """Handle every message waiting from a worker; False if its pipe is closed (it died)."""
    try:
        while slot.conn.poll():
            msg = slot.conn.recv()
            slot.heard = time.monotonic()
            if msg[0] == "start":
                slot.started, slot.picked_up = time.monotonic(), True
            elif msg[0] == "page":
                slot.pages = msg[2]
            elif msg[0] == "done" and slot.version is not None and msg[1] == slot.version.sha256:
                summary.peak_worker_rss_mb = max(summary.peak_worker_rss_mb, msg[3])
                record(slot, msg[2])
                return not msg[4]  # a worker that ran out of memory retires
    except (EOFError, OSError):
        return False
    return slot.process.is_alive() or slot.conn.poll()

