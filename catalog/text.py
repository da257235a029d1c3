"""The one control-character stripper: text from the web and from PDFs is hostile.

Every stage that keeps or shows such text (link texts and titles in the crawler, page
text in extraction, snippets in the index, everything the CLI prints) strips it here,
so a terminal escape or a bidi override planted in a document never reaches a screen.
"""

from __future__ import annotations

import re
from functools import lru_cache

# Terminal escape sequences: CSI, OSC, other ESC codes and the 8-bit CSI, whole.
ESCAPES = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?|\x1b[@-_]?|\x9b[0-?]*[ -/]*[@-~]")
# C0 and C1 control characters (ESC included), bidi embeddings, overrides and isolates.
CONTROLS = "\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069"


@lru_cache(maxsize=16)
def _controls(keep: str) -> re.Pattern[str]:
    if not keep:
        return re.compile(f"[{CONTROLS}]")
    return re.compile(f"(?![{re.escape(keep)}])[{CONTROLS}]")


def strip_controls(text: str, *, keep: str = "\t\n", replacement: str = "") -> str:
    """`text` without escape sequences, and each other control character (but those in
    `keep`) replaced by `replacement`."""
    return _controls(keep).sub(replacement, ESCAPES.sub("", text))
