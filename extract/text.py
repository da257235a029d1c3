"""Clean page text so that search and people can use it.

PDF text arrives with words split at line ends, ligatures, soft hyphens and amounts
written with thin or no-break spaces ("1 234 567"). Searching for "barnehagene" or
"1 234 567" must find them, so we rejoin and normalise here, once, at extraction.
"""

from __future__ import annotations

import re
import unicodedata

from catalog.text import strip_controls

# Characters NFKC leaves alone but that we want as their plain forms.
_CHAR_MAP = str.maketrans({
    "\u2212": "-",  # minus sign, used before amounts
    "\u2010": "-",  # hyphen
    "\u2011": "-",  # non-breaking hyphen
    "\t": " ",
    "\r": None,
    "\u200b": None,  # zero-width space
    "\ufeff": None,  # byte-order mark
})

SOFT_HYPHEN = "\u00ad"

# Words after which a line-end hyphen is a "barne- og ungdomsskole" style elision, not a split word.
_ELISION_NEXT = frozenset({"og", "eller", "samt", "til", "som", "enn", "and", "or"})
# Short words that never end in a split: "og-" at a line end is kept as written.
_STANDALONE = frozenset({"og", "i", "å", "på", "til", "av", "for", "med", "eller", "en", "et", "som"})

_LOWER = re.compile(r"[a-zæøåäöüéèàáóòúçñ]")
_LAST_WORD = re.compile(r"(\S+)-$")


_UNMAPPED = re.compile(r"\(cid:\d+\)")


def clean_page_text(raw: str) -> str:
    """Normalise one page's text: NFKC, plain spaces, rejoined line-end hyphenation.

    Line structure is kept (snippets read better), runs of blank lines become one.
    """
    # pdfminer writes "(cid:N)" for glyphs it cannot map to text (control codes among
    # them): noise for search and people alike, as are raw control characters.
    text = _UNMAPPED.sub("", unicodedata.normalize("NFKC", raw)).translate(_CHAR_MAP)
    text = strip_controls(text)
    lines = [" ".join(line.split()) for line in text.split("\n")]
    lines = _join_split_words(lines)
    out: list[str] = []
    for line in lines:
        line = " ".join(line.replace(SOFT_HYPHEN, "").split())
        if line or (out and out[-1]):
            out.append(line)
    while out and not out[-1]:
        out.pop()
    return "\n".join(out)


def _join_split_words(lines: list[str]) -> list[str]:
    """Move the rest of a word split at a line end back onto its line."""
    lines = list(lines)
    i = 0
    while i < len(lines) - 1:
        line, nxt = lines[i], lines[i + 1]
        if not nxt or not (line.endswith("-") or line.endswith(SOFT_HYPHEN)):
            i += 1
            continue
        first, _, rest = nxt.partition(" ")
        keep = _join_kind(line, first)
        if keep is None:
            i += 1
            continue
        lines[i] = (line if keep else line[:-1]) + first
        if rest:
            lines[i + 1] = rest
        else:
            del lines[i + 1]
        # The same line may end in another split word now; look at it again.
    return lines


def _join_kind(line: str, first: str) -> bool | None:
    """How to join `line` (ending in a hyphen) with the next line's first word.

    False: drop the hyphen ("barne-" + "hagene"). True: keep it ("Nord-" + "Norge",
    "1-" + "2"). None: leave both lines as they are ("barne-" + "og", "kr -").
    """
    if line.endswith(SOFT_HYPHEN):
        return False
    if len(line) < 2 or line[-2].isspace():
        return None  # a dash standing alone
    m = _LAST_WORD.search(line)
    fragment = m.group(1) if m else ""
    before = line[-2]
    bare_first = first.strip(",.;:").lower()
    if bare_first in _ELISION_NEXT or fragment.lower() in _STANDALONE:
        return None
    if _LOWER.match(before) and _LOWER.match(first):
        return False
    if before.isalnum() and (first[:1].isupper() or first[:1].isdigit()):
        return True
    return None
