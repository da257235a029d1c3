"""The index's snippets, decoded here and nowhere else.

`index.search` marks the words a query matched inside a hit's snippet with the markers of
`index.snippets` ("[[sykehjem]]"). Every front end shows them its own way (bold on a
terminal, <mark> in a page, nothing in a CSV cell), from the same `segments`. A page that
repeats a sentence (a running head, a standard paragraph) gives the same `sentence`, so a
list of hits can show it once with its page numbers.
"""

from __future__ import annotations

import re
from functools import cache

from present.cells import safe

_SENTENCE_BREAK = re.compile(r"(?:(?<=[.!?])|(?<=[.!?]\)))\s+")


@cache
def _markers() -> tuple[str, str]:
    """The index's markers (imported when a snippet is first read: listings never load Whoosh)."""
    from index.snippets import MARK_CLOSE, MARK_OPEN

    return MARK_OPEN, MARK_CLOSE


def segments(snippet: str | None) -> list[tuple[str, bool]]:
    """A snippet as (text, matched) pieces, in order, with control characters removed."""
    open_, close = _markers()
    out: list[tuple[str, bool]] = []
    rest = safe(snippet)
    while open_ in rest:
        before, _, after = rest.partition(open_)
        word, _, rest = after.partition(close)
        if before:
            out.append((before, False))
        out.append((word, True))
    if rest:
        out.append((rest, False))
    return out


def plain(snippet: str | None) -> str:
    """A snippet's text without its markers (CSV, JSON, feeds)."""
    return "".join(text for text, _matched in segments(snippet))


def sentence(snippet: str) -> str:
    """The sentence of a snippet that holds its first match: pages that repeat a sentence
    give the same one, whatever surrounds it on each page."""
    open_, _close = _markers()
    text = snippet.strip("… ").strip()
    marked = [s for s in _SENTENCE_BREAK.split(text) if open_ in s]
    return marked[0] if marked else text
