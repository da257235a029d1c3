"""The index stage's errors: each carries a one-line message the CLI can show as is."""

from __future__ import annotations


class IndexError_(Exception):
    """Base class (named so it does not shadow the built-in IndexError)."""


class IndexMissing(IndexError_):
    """There is no committed index in the data dir yet."""

    def __init__(self, message: str = "no index yet: run `hparkiv update`") -> None:
        super().__init__(message)


class IndexLocked(IndexError_):
    """Another process holds the index writer lock."""


class QueryError(IndexError_):
    """The query cannot be parsed or would be too costly; the message is one line."""

    def __init__(self, message: str) -> None:
        super().__init__(" ".join(message.split()))
