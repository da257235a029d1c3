"""The index stage's errors: each carries a one-line message the CLI can show as is."""

from __future__ import annotations


class SearchIndexError(Exception):
    """Base class of the index stage's errors (not the built-in IndexError)."""


class IndexMissing(SearchIndexError):
    """There is no committed index in the data dir yet."""

    def __init__(self, message: str = "no index yet: run `hparkiv update`") -> None:
        super().__init__(message)


class IndexLocked(SearchIndexError):
    """Another process holds the index writer lock."""


class QueryError(SearchIndexError):
    """The query cannot be parsed or would be too costly; the message is one line."""

    def __init__(self, message: str) -> None:
        super().__init__(" ".join(message.split()))
