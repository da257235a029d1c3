"""Why a job could not run or finish. Each error is a message of the catalog (an English
template with named fields) and its values, so each front end shows it in its own language:
`e.translated(gettext)`."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


class JobError(Exception):
    """A job could not run, or could not finish: nothing was lost, and the reason is one line."""

    def __init__(self, message: str, **params: Any) -> None:
        self.template = " ".join(message.split())
        self.params = params
        super().__init__(self.template.format(**params) if params else self.template)

    def translated(self, gettext: Callable[[str], str]) -> str:
        text = gettext(self.template)
        return text.format(**self.params) if self.params else text


class Busy(JobError):
    """Another run holds the data dir's update lock (or the index writer's)."""


class BadOption(JobError):
    """An option names nothing usable (an unknown source, a start URL that is not http(s)):
    the user's input, as a bad flag."""


class CrawlFailed(JobError):
    """The crawl could not run at all (its child process failed to start or died)."""


class NothingFetched(JobError):
    """No start page could be fetched: the archive is unchanged. `summary` is the crawl's."""

    def __init__(self, message: str, summary: Any = None, **params: Any) -> None:
        super().__init__(message, **params)
        self.summary = summary


class SourcesFailed(JobError):
    """Some sources could not run or fetched nothing; the others were crawled, extracted and
    indexed. `summary` is the crawl's (each source's failure in `summary.failed_sources()`)."""

    def __init__(self, message: str, summary: Any = None, **params: Any) -> None:
        super().__init__(message, **params)
        self.summary = summary
