"""The index stage's errors: each carries a one-line message the CLI can show as is."""

from __future__ import annotations


class SearchIndexError(Exception):
    """Base class of the index stage's errors (not the built-in IndexError)."""


class IndexMissing(SearchIndexError):
    """There is no committed index in the data dir yet."""

    def __init__(self, message: str = "no index yet: run `hparkiv update`") -> None:
        super().__init__(message)
        self.template = message


class IndexOutdated(SearchIndexError):
    """The index was built by an older hparkiv and lacks a field a search needs."""

    def __init__(self, message: str = "the index was built by an older hparkiv: `hparkiv index` rebuilds it") -> None:
        super().__init__(message)
        self.template = message


class IndexLocked(SearchIndexError):
    """Another process holds the index writer lock."""


class _Templated(SearchIndexError):
    """A one-line message as an English template with named fields (`"unknown field {name!r}"`,
    name="x"), so each front end shows it in its own language: `e.translated(t.gettext)`."""

    def __init__(self, message: str, **params: object) -> None:
        self.template = " ".join(message.split())
        self.params = params
        super().__init__(self.template.format(**params) if params else self.template)

    def translated(self, gettext) -> str:
        """The message through a catalog's gettext (the template is the msgid)."""
        text = gettext(self.template)
        return text.format(**self.params) if self.params else text


class QueryError(_Templated):
    """The query cannot be parsed or would be too costly; the message is one line."""


class EngineUnavailable(_Templated):
    """The data dir's search engine cannot answer: its cluster is down or unreachable, or its
    engine.toml is wrong. One line for the user, naming where it looked."""


class FilterError(QueryError):
    """A filter value (a flag or a `field:value` in the query) that names nothing known."""
