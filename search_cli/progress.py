"""Jobs with live progress on stderr: a status line while crawling and indexing, a bar over
documents while extracting, and each stage's summary when it is done. The jobs themselves
(jobs/) only report `Step`s; this module draws them."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from present.cells import safe
from present.labels import reason as reason_text
from search_cli.errors import job_failed
from search_cli.messages import _, gettext, ngettext, num

SHOWN_FAILURES = 20


def run(job: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """Run a job (jobs.update's functions) with progress; its errors become the CLI's."""
    from jobs.errors import JobError

    with Reporter() as report:
        try:
            return job(*args, on_step=report, **kwargs)
        except JobError as e:
            raise job_failed(e) from None


class Reporter:
    """The `on_step` callback of a job: draws each stage while it runs, prints its summary after."""

    def __init__(self) -> None:
        from rich.console import Console

        self.console = Console(stderr=True, highlight=False, soft_wrap=True)
        self.live: Any = None
        self.task: Any = None
        self.started = time.monotonic()

    def __enter__(self) -> Reporter:
        return self

    def __exit__(self, *_exc: object) -> None:
        self._stop()

    def __call__(self, step: Any) -> None:
        if step.state == "start":
            self._stop()
            self._start(step.stage)
        elif step.state == "progress":
            self._progress(step.stage, step.counts)
        elif step.state == "done":
            self._stop()
            {"crawl": self._crawled, "extract": self._extracted, "index": self._indexed}[step.stage](step.summary)

    def _start(self, stage: str) -> None:
        self.started = time.monotonic()
        if stage == "extract":
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

            self.live = Progress(TextColumn(_("extracting")), BarColumn(), MofNCompleteColumn(),
                                 TextColumn(_("documents, {pages} pages ({rate} pages/s)",
                                              pages="{task.fields[pages]}", rate="{task.fields[rate]}")),
                                 TimeRemainingColumn(), console=self.console, transient=True)
            self.task = self.live.add_task("extract", total=None, pages=0, rate="-")
        else:
            self.live = self.console.status(_("crawling…") if stage == "crawl" else _("indexing…"))
        self.live.start()

    def _progress(self, stage: str, p: dict[str, Any]) -> None:
        if self.live is None:
            return
        if stage == "crawl":
            self.live.update(_("crawling: {pages} pages, documents {new} new / {changed} changed / "
                               "{unchanged} unchanged / {failed} failed", pages=p.get("pages_visited", 0),
                               new=p.get("new", 0), changed=p.get("changed", 0), unchanged=p.get("unchanged", 0),
                               failed=p.get("failed", 0)))
        elif stage == "extract":
            pages = p.get("pages", 0)
            rate = num(pages / max(time.monotonic() - self.started, 1e-6), 1)
            self.live.update(self.task, completed=p.get("done", 0), total=p.get("total"), pages=num(pages), rate=rate)

    def _stop(self) -> None:
        if self.live is not None:
            self.live.stop()
            self.live = self.task = None

    def _print(self, text: str) -> None:
        self.console.print(text, markup=False)

    def _crawled(self, summary: Any) -> None:
        self._print(_("crawl: {pages} pages visited, {documents} documents ({new} new, {changed} changed, "
                      "{unchanged} unchanged, {failed} failed)", pages=num(summary.pages_visited),
                      documents=num(summary.documents_seen), new=num(summary.new), changed=num(summary.changed),
                      unchanged=num(summary.unchanged), failed=num(summary.failed)))
        sources = getattr(summary, "sources", {}) or {}
        if len(sources) > 1 or any(s.error for s in sources.values()):
            for name, s in sources.items():
                who = f"{name} ({s.kommune})" if s.kommune else name
                if s.error:
                    self._print("  " + _("{source}: could not run: {reason}", source=safe(who), reason=safe(s.error)))
                    continue
                self._print("  " + _("{source}: {pages} pages, {documents} documents ({new} new, {changed} changed, "
                                     "{unchanged} unchanged, {failed} failed)", source=safe(who), pages=num(s.pages_visited),
                                     documents=num(s.documents_seen), new=num(s.new), changed=num(s.changed),
                                     unchanged=num(s.unchanged), failed=num(s.failed)))
        problems = getattr(summary, "problems", 0)
        if problems:
            self._print("  " + ngettext("{n} answer could not be used as its platform documents it (recorded with the "
                                        "reason)", "{n} answers could not be used as their platform documents them "
                                        "(recorded with the reason)", problems))
        for url, reason in summary.failures[:SHOWN_FAILURES]:
            self._print("  " + _("failed: {url}: {reason}", url=safe(url), reason=reason_text(reason, gettext)))
        if len(summary.failures) > SHOWN_FAILURES:
            self._print("  " + _("… and {n} more (see `hparkiv status`)", n=len(summary.failures) - SHOWN_FAILURES))
        for w in summary.warnings:
            self.console.print("[bold yellow]" + _("warning:") + "[/] " + reason_text(w, gettext).replace("[", "\\["))
        for host, n in summary.not_allowed.items():
            self._print(_("note: {note}", note=ngettext(
                "{n} link to {host} not followed: host not allowed (add it with --allow-host)",
                "{n} links to {host} not followed: host not allowed (add it with --allow-host)", n, host=safe(host))))

    def _extracted(self, summary: Any) -> None:
        self._print(_("extract: {done} documents ({ok} ok, {no_text} without text, {failed} failed), {pages} pages "
                      "in {seconds} s ({rate} pages/s)", done=num(summary.done), ok=num(summary.ok),
                      no_text=num(summary.no_text), failed=num(summary.failed), pages=num(summary.pages),
                      seconds=num(summary.seconds, 1), rate=num(summary.pages / max(summary.seconds, 1e-6), 1)))
        for doc_id, reason in summary.failures[:SHOWN_FAILURES]:
            self._print(f"  {doc_id}: {reason_text(reason, gettext)}")
        if getattr(summary, "hint", None):
            self._print("  " + _("hint: {hint}", hint=safe(summary.hint)))

    def _indexed(self, summary: Any) -> None:
        self._print(ngettext("index: {n} document, {pages} pages updated",
                             "index: {n} documents, {pages} pages updated", summary.documents, pages=num(summary.pages)))
