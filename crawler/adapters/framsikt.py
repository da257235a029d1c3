"""`framsikt`: a budget published as a Framsikt web document (pub.framsikt.net/{year}/{tenant}/{slug}).

The publication is an app over static files, so there is no PDF to keep: the adapter reads
the files the app reads and keeps them, in order, as one archived document (a "snapshot"),
stored by the hash of its bytes like a PDF, so a republished (changed) publication is a new
version and the old one stays.

What is documented (by public code that reads publications): the whole plan on one page is
`{pub}/content/html/summary/11111111-1111-1111-1111-111111111111/content.html`, headings as
`<div class="row hN">` and each text block a placeholder with a `dataId`, whose text is
`{pub}/content/text{dataId}/description.json` = {"description": "<html>"}. Assumed, and read
only when present: `{pub}/content/data/tree.json` (the title and publication date) and dynamic
tables as `tableId` placeholders with `{pub}/content/table/{id}/data.json`.

A block that is gone or malformed is recorded as a problem with its reason and marked in the
snapshot; the rest of the publication is kept. Pages, text and tables are read from the
snapshot by extract/records.py.

Options (`[[platforms]] kind = "framsikt"`): `base` (https://pub.framsikt.net, or a tenant's host),
`tenant` (links of other tenants are left alone), `publications` (read from the start; others
are found where the source's pages link them), `page_levels` (heading levels that start a page).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import urldefrag, urlsplit

from lxml import etree, html

from catalog.models import Link
from crawler.adapters.base import Adapter, Answer, BuiltDocument, Probe, Problem, Visited
from crawler.context import one_line

SUMMARY = "11111111-1111-1111-1111-111111111111"
PUBLICATION = re.compile(r"^/(\d{4})/([A-Za-z0-9_.-]+)/([a-z]{2}-[^/?#]+)/?")
HEADING_CLASS = re.compile(r"(?:^|\s)h([1-6])(?:\s|$)")
FORMAT = 1  # the snapshot's layout (extract/records.py reads it)


def publication_url(url: str) -> str:
    """A publication's address as kept: no fragment (the app's hash route), no trailing slash."""
    url = urldefrag(url)[0]
    parts = urlsplit(url)
    m = PUBLICATION.match(parts.path)
    return f"{parts.scheme}://{parts.netloc}{m.group(0).rstrip('/')}" if m else url


def read_summary(body: str | bytes) -> list[dict[str, Any]]:
    """The placeholders of content.html in document order: headings, text blocks, tables."""
    try:
        root = html.fromstring(body)
    except (etree.ParserError, ValueError):
        return []
    blocks: list[dict[str, Any]] = []
    for el in root.iter():
        if not isinstance(el.tag, str):
            continue
        classes = el.get("class") or ""
        level = HEADING_CLASS.search(classes) if "row" in classes.split() else None
        if level:
            blocks.append({"kind": "heading", "level": int(level.group(1)), "text": one_line(el.text_content())})
        elif el.get("dataid") is not None:
            blocks.append({"kind": "text", "id": el.get("dataid").strip()})
        elif el.get("tableid") is not None:
            blocks.append({"kind": "table", "id": el.get("tableid").strip()})
    return blocks


class FramsiktAdapter(Adapter):
    kind = "framsikt"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.base = (self.platform.get("base") or "https://pub.framsikt.net").rstrip("/")
        self.tenant = (self.platform.get("tenant") or "").lower()
        self.levels = [int(n) for n in self.platform.get("page_levels", [1, 2])]
        self.started: set[str] = set()

    def start(self) -> Iterator[Any]:
        for url in self.platform.strings("publications"):
            yield from self.follow(url, {}, 0)

    def claims(self, url: str) -> bool:
        parts = urlsplit(url)
        m = PUBLICATION.match(parts.path)
        return bool(m and parts.netloc.lower() == urlsplit(self.base).netloc.lower()
                    and (not self.tenant or m.group(2).lower() == self.tenant))

    def follow(self, url: str, context: dict[str, Any], depth: int, *, snapshot: str | None = None,
               page_url: str = "") -> Iterator[Any]:
        pub = publication_url(url)
        if pub in self.started:
            return
        self.started.add(pub)
        link = {"url": pub, "source_page": page_url or pub, "text": context.get("link_text") or "", "context": context}
        yield self.fetch(pub, "shell", meta={"pub": pub, "link": link}, depth=depth, expect="data")

    # --- the publication, file by file ----------------------------------------------------

    def shell(self, answer: Answer) -> Iterator[Any]:
        """The app's page: it exists. Its tree (title, date) if there is one, then the whole plan."""
        yield Visited(answer.url)
        pub = answer.meta["pub"]
        state = {**answer.meta, "final": answer.final_url if answer.final_url != pub else None}
        yield self.fetch(f"{pub}/content/data/tree.json", "tree", meta=state, expect="data", errors=True)

    def tree(self, answer: Answer) -> Iterator[Any]:
        state = dict(answer.meta)
        if answer.status == 200:
            try:
                tree = answer.json()
                state["tree"] = {k: tree.get(k) for k in ("title", "published") if isinstance(tree, dict)}
            except ValueError:
                state["tree"] = None  # an assumed file: not there, or not what we assumed, is no failure
        pub = state["pub"]
        yield self.fetch(f"{pub}/content/html/summary/{SUMMARY}/content.html", "summary", meta=state,
                         expect="data", errors=True)

    def summary(self, answer: Answer) -> Iterator[Any]:
        state = dict(answer.meta)
        pub = state["pub"]
        if answer.status != 200:
            yield Problem(pub, answer.status or None, f"the publication has no whole-plan view "
                          f"(content.html: {answer.error or f'HTTP {answer.status}'}); nothing kept")
            return
        blocks = read_summary(answer.markup())
        if not any(b["kind"] == "heading" for b in blocks):
            yield Problem(answer.url, 200, "malformed record: content.html holds no headings; nothing kept")
            return
        state["blocks"] = blocks
        yield from self.next_block(state, 0)

    def next_block(self, state: dict[str, Any], i: int) -> Iterator[Any]:
        blocks = state["blocks"]
        while i < len(blocks) and blocks[i]["kind"] == "heading":
            i += 1
        if i == len(blocks):
            yield self.built(state)
            return
        block, pub = blocks[i], state["pub"]
        if block["kind"] == "text":
            data_id = block["id"] if block["id"].startswith("/") else "/" + block["id"]
            url = f"{pub}/content/text{data_id}/description.json"
        else:
            url = f"{pub}/content/table/{block['id']}/data.json"
        yield self.fetch(url, "block", meta={**state, "at": i}, expect="data", errors=True)

    def block(self, answer: Answer) -> Iterator[Any]:
        state = dict(answer.meta)
        i = state["at"]
        block = dict(state["blocks"][i])
        if answer.status != 200:
            reason = answer.error or f"HTTP {answer.status}"
            block["missing"] = reason
            yield Problem(answer.url, answer.status or None, reason)
        else:
            try:
                data = answer.json()
                if not isinstance(data, dict):
                    raise ValueError("not a JSON object")
                if block["kind"] == "text":
                    description = data.get("description")
                    if description is not None and not isinstance(description, str):
                        raise ValueError("description is not text")
                    block["html"] = description
                else:
                    block["data"] = data
            except ValueError as e:
                block["malformed"] = str(e)
                yield Problem(answer.url, 200, f"malformed record: {answer.url.rsplit('/', 1)[-1]} is {e}")
        state["blocks"] = [*state["blocks"][:i], block, *state["blocks"][i + 1:]]
        yield from self.next_block(state, i + 1)

    def built(self, state: dict[str, Any]) -> BuiltDocument:
        """The snapshot: every block in order, as served (a block that failed is marked)."""
        tree = state.get("tree") or {}
        snapshot = {
            "record": "framsikt-publication", "format": FORMAT, "url": state["pub"],
            "title": tree.get("title"), "published": tree.get("published"), "page_levels": self.levels,
            "blocks": state["blocks"],
        }
        body = json.dumps(snapshot, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        link = state["link"]
        context = dict(link["context"])
        if not link["text"] and tree.get("title"):
            context["link_text"] = tree["title"]
        if tree.get("published"):
            context.setdefault("facts", {})["date"] = [tree["published"][:10], "Framsikt tree.json \"published\""]
        text = context.get("link_text") or ""
        return BuiltDocument(url=state["pub"], body=body, media_type="framsikt", content_type="application/json",
                             links=[Link(state["pub"], link["source_page"], text, context)], final_url=state.get("final"))

    @classmethod
    def hosts(cls, platform: Any) -> list[str]:
        return [urlsplit(platform.get("base") or "https://pub.framsikt.net").netloc.lower()]

    @classmethod
    def detect_urls(cls, url: str) -> list[str]:
        pub = publication_url(url)
        return [f"{pub}/content/html/summary/{SUMMARY}/content.html"] if PUBLICATION.match(urlsplit(pub).path) else []

    @classmethod
    def detect(cls, probe: Probe) -> str | None:
        m = PUBLICATION.match(probe.path)
        if not m:
            return None
        for url, (status, _, body) in probe.more.items():
            if url.endswith("content.html") and status == 200 and b'class="row h' in body:
                return (f"a Framsikt publication (tenant {m.group(2)}, {m.group(3)}): the address is "
                        "/{year}/{tenant}/{slug} and its whole-plan view content.html answers with headings")
        if b"<app-root" in probe.body:
            return (f"the address is a Framsikt publication's (/{m.group(1)}/{m.group(2)}/{m.group(3)}) and the page "
                    "is an app shell, but its content.html did not answer")
        return None
