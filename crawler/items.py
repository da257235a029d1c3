"""The records the spider hands to the pipelines: plain dataclasses, one per kind of outcome."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from catalog.models import Link


@dataclass
class PageVisited:
    """An HTML page was fetched and read (for progress and the summary)."""

    url: str
    snapshot: str | None = None


@dataclass
class DocumentFetched:
    """A document answered with bytes: to classify, store and record as a version."""

    url: str  # the URL the link pointed to (the live URL also when fetched from the archive)
    body: bytes = field(repr=False)
    content_type: str | None
    media_type: str  # pdf | docx | doc | other
    etag: str | None
    last_modified: str | None
    links: list[Link] = field(default_factory=list, repr=False)
    final_url: str | None = None  # after redirects, when different
    filename: str = ""  # the name in Content-Disposition, when the server gives one
    # filled by the pipelines
    meta: dict[str, Any] = field(default_factory=dict)
    provenance: dict[str, str] = field(default_factory=dict)
    sha256: str | None = None
    result: str | None = None  # new | changed | unchanged


@dataclass
class DocumentNotModified:
    """A conditional request answered 304: nothing downloaded."""

    url: str
    links: list[Link] = field(default_factory=list)


@dataclass
class FetchFailed:
    """A URL that gave no document or page, with a reason a person can read."""

    url: str
    http_status: int | None
    reason: str
    links: list[Link] = field(default_factory=list)
    problem: bool = False  # an answer that came but could not be used (malformed), not a failed fetch


@dataclass
class LinkFound:
    """A link to a document whose fetch was already handled earlier in the run."""

    link: Link
