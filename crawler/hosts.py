"""Which hosts a crawl may visit: a host names a machine on every port, `host:port` one port,
`*.example.no` every machine under example.no (a municipality's document servers)."""

from __future__ import annotations

from collections.abc import Iterable
from urllib.parse import urlsplit

DEFAULT_PORTS = {"http": 80, "https": 443}


def host_entry(host_or_url: str) -> str:
    """An --allow-host value, a source's allowed_hosts entry or a start URL as `host` or `host:port`."""
    text = host_or_url.strip()
    if "://" in text:
        return urlsplit(text).netloc.lower()
    return text.strip("/").lower()


def is_allowed(url: str, allowed: Iterable[str]) -> bool:
    """True when the URL's host is allowed on any port, or its host:port exactly."""
    parts = urlsplit(url)
    if parts.scheme not in DEFAULT_PORTS or not parts.hostname:
        return False
    try:
        port = parts.port or DEFAULT_PORTS[parts.scheme]
    except ValueError:  # a port out of range in a hostile link
        return False
    host = parts.hostname.lower()
    if ":" in host:  # IPv6 literal, written [::1] in URLs and entries
        host = f"[{host}]"
    entries = set(allowed)
    if host in entries or f"{host}:{port}" in entries:
        return True
    return any(e.startswith("*.") and (host.endswith(e[1:]) or host == e[2:]) for e in entries)
