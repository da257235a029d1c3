"""Where the replicas write: files, routes and the truth documents of one build.

The build layout is the one ``sample.server`` serves (``files/<host>/...``, ``routes.json``);
every replica module writes through one ``Store`` so routes never collide.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

from sample.site import canonical
from sample.truth import TruthDoc

HTML = "text/html; charset=utf-8"
PDF = "application/pdf"
JSON = "application/json; charset=utf-8"

ERROR_PAGE = """<!DOCTYPE html><html lang="nb"><head><meta charset="utf-8"><title>{title}</title></head>
<body><h1>{title}</h1><p>{text}</p></body></html>"""


def epoch(day: str) -> int:
    """Noon UTC of an ISO day, as Last-Modified."""
    d = dt.date.fromisoformat(day)
    return int(dt.datetime(d.year, d.month, d.day, 12, 0, tzinfo=dt.UTC).timestamp())


@dataclass
class Store:
    """Files and routes of a build as they are written, and what the truth says of them."""

    dest: Path
    routes: list[dict] = field(default_factory=list)
    docs: list[TruthDoc] = field(default_factory=list)
    skipped: list[dict] = field(default_factory=list)  # linked documents an adapter must not keep
    optional: list[dict] = field(default_factory=list)  # documents it may keep or not
    never_request: list[dict] = field(default_factory=list)  # URLs it must never ask for
    html_pages: list[dict] = field(default_factory=list)  # {"host", "path"}
    planted_words: list[dict] = field(default_factory=list)
    _keys: set[tuple[str, str]] = field(default_factory=set)

    def _route(self, route: dict) -> None:
        key = (route["host"], route["key"])
        assert key not in self._keys, f"duplicate route {key}"
        self._keys.add(key)
        self.routes.append(route)

    def put(self, host: str, target: str, data: bytes, ctype: str, day: str, **behaviour) -> str:
        """Store a body and route (host, target) to it; returns the file's path in the build."""
        digest = hashlib.sha1(f"{host} {target}".encode()).hexdigest()[:16]
        rel = f"files/{host}/{digest}"
        path = self.dest / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        self._route({"host": host, "key": canonical(target), "file": rel, "ctype": ctype,
                     "last_modified": epoch(day), **behaviour})  # fmt: skip
        return rel

    def page(self, host: str, target: str, html: str, day: str, listed: bool = True) -> None:
        self.put(host, target, html.encode("utf-8"), HTML, day)
        if listed:
            self.html_pages.append({"host": host, "path": target})

    def redirect(self, host: str, target: str, location: str, status: int = 301) -> None:
        """A redirect; ``location`` may hold {{HOST}} placeholders the server fills in."""
        self._route({"host": host, "key": canonical(target), "redirect": location, "status": status})

    def error(self, host: str, target: str, status: int, title: str, text: str, day: str) -> None:
        """A URL the server answers with an error page (410 Gone, a 404 with the CMS's own page)."""
        self.put(host, target, ERROR_PAGE.format(title=title, text=text).encode(), HTML, day, status=status)

    def doc(self, doc: TruthDoc, data: bytes, day: str | None = None, **behaviour) -> TruthDoc:
        """Store and route a truth document's bytes (unless it is only described, not served)."""
        self.put(doc.host, doc.path, data, doc.content_type, day or doc.date or "2023-12-01", **behaviour)
        self.docs.append(doc)
        return doc

    def write_routes(self) -> None:
        (self.dest / "routes.json").write_text(json.dumps(self.routes, ensure_ascii=False, indent=1), encoding="utf-8")
