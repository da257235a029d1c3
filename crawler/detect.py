"""`hparkiv sources detect URL`: which platform adapter fits a site, and why.

Asks for the URL (and the few URLs a detector wants beside it, such as a Framsikt
publication's whole-plan view), then asks every adapter whether what came back looks like its
platform. Each that says yes gives its reason; the most specific comes first. A starter
`[[platforms]]` table for the best fit is proposed too (`starter`). Standard library HTTP, in
this process: no Scrapy, one polite request or two, never more.
"""

from __future__ import annotations

import re
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from crawler.adapters import ADAPTERS, Probe
from crawler.adapters.framsikt import PUBLICATION, publication_url
from crawler.settings import USER_AGENT

MAX_BYTES = 2 * 1024 * 1024


@dataclass
class Detection:
    kind: str
    reason: str
    hints: dict[str, Any] = field(default_factory=dict)  # what a starter source needs (publications linked)


class DetectError(RuntimeError):
    """The URL could not be asked (not http(s), no answer)."""


def _get(url: str, timeout: float) -> tuple[int, dict[str, str], bytes, str]:
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT, "Accept": "*/*"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as r:  # noqa: S310 - http(s) checked by the caller
            return r.status, {k.lower(): v for k, v in r.headers.items()}, r.read(MAX_BYTES), r.geturl()
    except urllib.error.HTTPError as e:
        return e.code, {k.lower(): v for k, v in e.headers.items()}, e.read(MAX_BYTES), url


def detect(url: str, timeout: float = 20.0) -> list[Detection]:
    """Every platform the site looks like, most specific first; raises DetectError without an answer."""
    if urlsplit(url).scheme not in ("http", "https") or not urlsplit(url).netloc:
        raise DetectError(f"not an http(s) URL: {url!r}")
    try:
        status, headers, body, final = _get(url, timeout)
    except (urllib.error.URLError, OSError, ValueError) as e:
        raise DetectError(f"{url}: no answer ({getattr(e, 'reason', e)})") from None
    more: dict[str, tuple[int, Any, bytes]] = {}
    for cls in ADAPTERS.values():
        for extra in cls.detect_urls(url):
            try:
                s, h, b, _ = _get(extra, timeout)
                more[extra] = (s, h, b)
            except (urllib.error.URLError, OSError, ValueError):
                continue
    probe = Probe(url=url, status=status, headers=headers, body=body, more=more)
    found = [Detection(kind, reason) for kind, cls in ADAPTERS.items() if (reason := cls.detect(probe))]
    linked = _linked_publications(body, final)
    if linked and not any(d.kind == "framsikt" for d in found):
        found.insert(0, Detection("framsikt", f"the page links {len(linked)} Framsikt publication"
                                              f"{'s' if len(linked) != 1 else ''} ({linked[0]})",
                                  {"publications": linked, "page": url}))
    return found


def _linked_publications(body: bytes, base: str) -> list[str]:
    from urllib.parse import urljoin

    hrefs = re.findall(rb'href="([^"]+)"', body)
    out = []
    for h in hrefs:
        url = urljoin(base, h.decode("utf-8", "replace"))
        if PUBLICATION.match(urlsplit(url).path) and urlsplit(url).netloc != urlsplit(base).netloc:
            pub = publication_url(url)
            if pub not in out:
                out.append(pub)
    return out


def starter(url: str, found: list[Detection]) -> dict[str, Any]:
    """A source file's beginning for what was found (the municipality and vocabulary left to fill in)."""
    platforms: list[dict[str, Any]] = []
    parts = urlsplit(url)
    origin = f"{parts.scheme}://{parts.netloc}"
    for d in found:
        if d.kind == "cms":
            platforms.append({"kind": "cms", "start_urls": [url]})
        elif d.kind == "acos":
            platforms.append({"kind": "acos", "start_urls": [url] if "wfinnsyn" in url.lower() else [],
                              "budget_item": ["handlingsprogram", "budsjett", "økonomiplan"]})
        elif d.kind == "opengov":
            m = re.match(r"^(/Meetings/[^/?#]+)", parts.path, re.I)
            platforms.append({"kind": "opengov", "base": origin + (m.group(1) if m else parts.path),
                              "years": [2020, 2025], "budget_item": ["handlingsprogram", "budsjett", "økonomiplan"]})
        elif d.kind == "einnsyn":
            platforms.append({"kind": "einnsyn", "api": origin, "api_key_env": "HPARKIV_EINNSYN_API_KEY",
                              "journalenhet": {"orgnummer": "FYLL INN"}, "file_hosts": []})
        elif d.kind == "framsikt":
            pubs = d.hints.get("publications") or [publication_url(url)]
            first = urlsplit(pubs[0])
            m = PUBLICATION.match(first.path)
            platforms.append({"kind": "framsikt", "base": f"{first.scheme}://{first.netloc}",
                              "tenant": m.group(2) if m else "", "publications": [] if d.hints.get("page") else pubs})
            if d.hints.get("page") and not any(p["kind"] == "cms" for p in platforms):
                platforms.insert(0, {"kind": "cms", "start_urls": [d.hints["page"]]})
    return {"name": "ny-kilde", "title": "FYLL INN kommune", "kommune": {"name": "FYLL INN", "number": "0000"},
            "platforms": platforms, "committees": [{"slug": "kommunestyret", "name": "Kommunestyret", "abbr": "KST"}]}
