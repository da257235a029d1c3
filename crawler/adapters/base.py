"""What every platform adapter speaks: the one signature of crawler/adapters/.

An adapter reads one platform (a municipality's CMS, an ACOS portal, 360 OpenGov, the eInnsyn
API, Framsikt publications) the way that platform is built, and yields the same things to the
rest of the pipeline whatever the platform:

- `Fetch`: "ask for this URL and hand me the answer" (the spider makes the request, politely);
- `DocumentLink`: "this URL is a document, found here, in this context" (the spider fetches it
  once every page is read, classifies it from all its links and stores it by its bytes);
- `BuiltDocument`: "this is a document I assembled" (a Framsikt publication's snapshot, an
  eInnsyn agenda item's record): stored by the hash of its bytes like a PDF;
- `Problem`: "this could not be used, and why" (recorded with the URL; the run goes on).

Adapters import no Scrapy (the spider in crawler/spiders/ does), so the parent process can ask
them which hosts a source needs and `hparkiv sources detect` can ask which platform a site is.

    class Adapter:
        kind = "opengov"
        def __init__(self, source, platform, env): ...
        def start(self) -> Iterable[Fetch | ...]          # where a crawl of this platform begins
        def claims(self, url) -> bool                     # a link elsewhere that this adapter reads
        def follow(self, url, context, depth) -> Iterable  # ... and how it starts reading it
        def <callback>(self, answer) -> Iterable            # one per kind of page, named in Fetch
        @classmethod hosts(platform) -> list[str]           # what a source of this platform visits
        @classmethod problem(platform, environ) -> str|None # why it cannot run (a missing key)
        @classmethod detect(probe) -> str | None            # why a site looks like this platform
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar, Protocol
from urllib.parse import urlsplit

from catalog.models import Link
from sources import Platform, Source


@dataclass
class Fetch:
    """A request an adapter wants answered by its method `callback`."""

    url: str
    callback: str
    adapter: int = 0  # which of the source's adapters asked (set by Adapter.fetch)
    meta: dict[str, Any] = field(default_factory=dict)  # the adapter's own state, given back in the Answer
    headers: dict[str, str] = field(default_factory=dict)
    depth: int = 0
    priority: int = 10
    snapshot: str | None = None  # a Wayback timestamp: ask the web archive for that capture of `url`
    quiet: bool = False  # a guess (a year's meeting plan that may not exist): an error is no failure
    errors: bool = False  # the adapter reads error answers itself (an API's JSON errors)
    expect: str = "html"  # html: a document answering here is kept as one | data: any body, as is
    again: bool = False  # ask even if this URL was asked for before in this run


@dataclass
class Answer:
    """An answer to a Fetch, as the adapter sees it (no Scrapy objects)."""

    url: str  # what was asked for (the live URL also when the web archive answered)
    final_url: str  # after redirects
    status: int
    headers: Mapping[str, str]  # lower-case names
    body: bytes
    meta: dict[str, Any]
    depth: int = 0
    snapshot: str | None = None
    encoding: str | None = None
    error: str | None = None  # why no answer came (status 0): "timeout after 30 s", "connection refused"

    def text(self) -> str:
        return self.body.decode(self.encoding or "utf-8", errors="replace")

    def markup(self) -> str | bytes:
        """The page for an HTML parser: decoded as the answer says (header, BOM, meta), so a
        fragment without a <meta charset> reads right; bytes when it declares its own encoding
        as XML does (lxml refuses such a declaration in a str)."""
        if not self.encoding or self.body.lstrip()[:5].lower() == b"<?xml":
            return self.body
        return self.text()

    def json(self) -> Any:
        """The body as JSON; raises ValueError (with the reason) when it is not."""
        try:
            return json.loads(self.body.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as e:
            raise ValueError(f"not JSON ({e.__class__.__name__}: {str(e)[:80]})") from None


@dataclass
class DocumentLink:
    """A document found at `url`, with the link (page and context) it was found through."""

    url: str
    link: Link


@dataclass
class BuiltDocument:
    """A document the adapter put together from several answers; `url` is what it is known by."""

    url: str
    body: bytes
    media_type: str  # framsikt | einnsyn
    content_type: str
    links: list[Link] = field(default_factory=list)
    final_url: str | None = None


@dataclass
class Problem:
    """Something the platform answered that could not be used: an expired link (its status),
    a malformed record (status 200 and what was wrong), a value outside the documented ones."""

    url: str
    status: int | None
    reason: str


@dataclass
class Note:
    """Something the run should say that is no failure ("no decision published"), counted by `key`."""

    key: str
    text: str


@dataclass
class Visited:
    """A page or API answer read (for the progress line and the summary)."""

    url: str
    snapshot: str | None = None


class Env(Protocol):
    """What the spider offers an adapter: the hosts it may visit, the other adapters of the
    source, the web archive, the environment (API keys) and the politeness of the run."""

    wayback: str | None  # a Wayback-compatible archive, or None
    snapshot_of: dict[str, str]  # URL -> the timestamp of the archived page that linked it
    seen_digests: set[str]  # captures of start pages already read (the same page archived twice)
    environ: Mapping[str, str]

    def allowed(self, url: str) -> bool: ...

    def not_allowed(self, url: str) -> None: ...

    def claim(self, url: str, asking: Adapter) -> Adapter | None: ...

    def live(self, url: str) -> str: ...


@dataclass
class Probe:
    """What `hparkiv sources detect URL` learnt of a site: the URL, its answer, and the answers
    of the few URLs the detectors asked for (path -> (status, headers, body))."""

    url: str
    status: int
    headers: Mapping[str, str]
    body: bytes
    more: dict[str, tuple[int, Mapping[str, str], bytes]] = field(default_factory=dict)

    @property
    def host(self) -> str:
        return urlsplit(self.url).netloc.lower()

    @property
    def path(self) -> str:
        return urlsplit(self.url).path

    def text(self) -> str:
        return self.body.decode("utf-8", errors="replace")


class Adapter:
    """The base of every platform adapter (see the module docstring)."""

    kind: ClassVar[str] = ""

    def __init__(self, source: Source, platform: Platform, env: Env, index: int = 0) -> None:
        self.source = source
        self.platform = platform
        self.env = env
        self.index = index

    def fetch(self, url: str, callback: str, **kw: Any) -> Fetch:
        return Fetch(url, callback, adapter=self.index, **kw)

    def start(self) -> Iterable[Any]:
        return ()

    def claims(self, url: str) -> bool:
        return False

    def follow(self, url: str, context: dict[str, Any], depth: int, *, snapshot: str | None = None,
               page_url: str = "") -> Iterator[Any]:
        """Start reading a link another adapter found on `page_url`, in `context`."""
        return iter(())

    @classmethod
    def hosts(cls, platform: Platform) -> list[str]:
        """Hosts (or `*.domain`) a source on this platform visits, beyond the source's own."""
        return []

    @classmethod
    def problem(cls, platform: Platform, environ: Mapping[str, str]) -> str | None:
        """Why this platform cannot be crawled as configured (checked before any request)."""
        return None

    @classmethod
    def detect(cls, probe: Probe) -> str | None:
        """Why the probed site is this platform (None: it is not)."""
        return None

    @classmethod
    def detect_urls(cls, url: str) -> list[str]:
        """URLs beside `url` the detector wants answered (relative to the site)."""
        return []
