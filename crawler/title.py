"""A document's title, when the link that led to it does not make one.

Link texts on the real site are often pointers ("Her kan du lese vedtatt budsjett 2021.
(pdf)"), and accordion links inherit only the committee's name. A title that says what
the document is comes from the document's own first lines then.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from crawler.context import one_line
from sources import Vocabulary, name_key

POINTER = re.compile(r"^(her (kan|vil|finner) (du|man)|link til|lenke til|klikk|trykk|les |se |last ned)",
                     re.IGNORECASE)
WEAK_PLACES = ("heading", "paragraph", "meeting", "label", "page title", "url")
# Running heads and page furniture: "Bærum kommune", "Nordre Follo kommune", "Side 2 av 8".
BOILERPLATE = re.compile(r"^([\wæøå-]+( [\wæøå-]+)? (fylkes)?kommune|side \d+( av \d+)?|\d+|www\..*|kommunedirektøren"
                         r"|rådmannen)$", re.IGNORECASE)


def is_weak_title(title: str | None, place: str | None, vocab: Vocabulary) -> bool:
    """A pointer sentence, a bare committee name, or a title borrowed from the surroundings."""
    if not title:
        return True
    if POINTER.match(title.strip()):
        return True
    if vocab.committee(title) is not None:
        return True
    return (place or "") in WEAK_PLACES


def is_type_word(title: str, vocab: Vocabulary) -> bool:
    """A link text that only names a kind of document ("Saksframlegg", "Møteprotokoll", "Vedlegg"):
    true of every document of its kind, so no title."""
    key = name_key(title.strip(" .:"))
    return key in {"vedlegg", "dokument", "hoveddokument"} or any(
        key == name_key(p) or key == name_key(d.name) for d in vocab.doctypes for p in d.phrases)


def extends(own: str, title: str) -> bool:
    """The document's own heading says what its link says, and more ("Eldrerådets uttalelse" ->
    "Eldrerådets uttalelse til handlingsprogram 2024–2027")."""
    a, b = name_key(" ".join(own.split())), name_key(" ".join(title.split()))
    return len(b) >= 8 and a.startswith(b) and len(a) > len(b) + 3 and not a[len(b)].isalnum()


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


def confirmed_title(pdf_title: str, text: str) -> str | None:
    """The PDF's own /Title when its first page begins with it (after running heads): a title
    the document prints is its title, even when the line wraps; one it does not print (a
    template's leftover) is not."""
    title = " ".join((pdf_title or "").split())
    if len(title) < 8 or not re.search(r"[a-zæøå]{3}", name_key(title)):
        return None
    lines = [" ".join(line.split()) for line in text.splitlines()]
    lines = [line for line in lines if line]
    while lines and BOILERPLATE.match(lines[0]):
        lines.pop(0)
    head = name_key(" ".join(lines[:8]))
    key = name_key(title)
    return title if head.startswith(key) and (len(head) == len(key) or not head[len(key)].isalnum()) else None


def meeting_record_title(links: Sequence[Any], said: str | None) -> str | None:
    """A meeting's protocol or summons linked only as "Møteprotokoll": named as the meeting
    names it, "Møteprotokoll Kommunestyret 12.12.2023" (link text, Utvalg, Dato)."""
    for link in links:
        meeting = link.context.get("meeting") or {}
        text = one_line(link.context.get("link_text"))
        if meeting.get("section") in ("protokoll", "innkalling") and text and meeting.get("committee") \
                and meeting.get("date") and (said is None or text == said):
            day = meeting["date"]
            return f"{text} {one_line(meeting['committee'])} {day[8:10]}.{day[5:7]}.{day[:4]}"
    return None
