"""A document's title, when the link that led to it does not make one.

Link texts on the real site are often pointers ("Her kan du lese vedtatt budsjett 2021.
(pdf)"), and accordion links inherit only the committee's name. A title that says what
the document is comes from the document's own first lines then.
"""

from __future__ import annotations

import re

from sources import Vocabulary, name_key

POINTER = re.compile(r"^(her (kan|vil|finner) (du|man)|link til|lenke til|klikk|trykk|les |se |last ned)",
                     re.IGNORECASE)
WEAK_PLACES = ("heading", "paragraph", "meeting", "label", "page title", "url")
BOILERPLATE = re.compile(r"^(bærum kommune|side \d+( av \d+)?|\d+|www\..*|kommunedirektøren|rådmannen)$",
                         re.IGNORECASE)


def is_weak_title(title: str | None, place: str | None, vocab: Vocabulary) -> bool:
    """A pointer sentence, a bare committee name, or a title borrowed from the surroundings."""
    if not title:
        return True
    if POINTER.match(title.strip()):
        return True
    if vocab.committee(title) is not None:
        return True
    return (place or "") in WEAK_PLACES


def title_from_text(text: str, limit: int = 150) -> str | None:
    """The heading lines at the top of the first page, before the body text starts."""
    picked: list[str] = []
    for raw in text.splitlines():
        line = " ".join(raw.split())
        if not line or BOILERPLATE.match(line):
            if picked:
                break
            continue
        body_like = ":" in line or line.endswith(".") or len(line) > 90
        if body_like:
            if not picked and len(line) <= 90:
                picked.append(line.rstrip("."))
            break
        picked.append(line)
        if len(" ".join(picked)) >= 60 or len(picked) == 3:
            break
    title = " ".join(picked).strip()
    if len(title) < 8 or not re.search(r"[a-zæøå]{3}", name_key(title)):
        return None
    return title[:limit]
