"""Single-field finders of the classifier (crawler/classify.py): the committee, the document
type and the date a piece of text names, and whether a link text says nothing at all. Dates are
read by catalog/dates.py, which extraction shares.

Each reads one string against the source's vocabulary (sources/) and returns the earliest
match, or None: the classifier decides which string to ask, and in what order.
"""

from __future__ import annotations

import re

from catalog.dates import find_date
from crawler.context import clean_link_text
from sources import Committee, Doctype, Vocabulary, name_key

__all__ = ["GENERIC", "OWN_PROPOSAL", "find_committee", "find_date", "find_doctype", "is_generic"]

GENERIC = {"pdf", "her", "les her", "klikk her", "les mer", "last ned", "lenke", "link", "protokollen",
           "protokoll", "dokument", "hoveddokument", "vedlegg", "word", "docx", "se her", "les",
           "åpne", "vis", "nedlasting"}
OWN_PROPOSAL = re.compile(r"\b(\w+s) forslag\b", re.I)  # "Kontrollutvalgets forslag": a committee's own


def find_committee(text: str, vocab: Vocabulary) -> Committee | None:
    """The committee named earliest in `text` (names, aliases, genitive forms, abbreviations)."""
    folded = name_key(text)
    best: tuple[int, int, Committee] | None = None
    for c in vocab.committees:
        for name in c.names():
            if name == c.abbr or name == c.slug:
                continue
            pat = r"(?<![a-z0-9])" + re.escape(name_key(name)) + r"(?:s|et|ets|en|ene|ns)?(?![a-z0-9])"
            m = re.search(pat, folded)
            if m and (best is None or (m.start(), -len(name)) < (best[0], best[1])):
                best = (m.start(), -len(name), c)
        if len(c.abbr) >= 3:
            m = re.search(r"(?<![A-Za-zÆØÅæøå])" + re.escape(c.abbr) + r"(?![A-Za-zÆØÅæøå])", text)
            if m and (best is None or (m.start(), -len(c.abbr)) < (best[0], best[1])):
                best = (m.start(), -len(c.abbr), c)
    return best[2] if best else None


def find_doctype(text: str, vocab: Vocabulary) -> tuple[Doctype, str] | None:
    """The doctype named earliest in `text` ("Saksprotokoll … rådets uttalelse" is a protocol);
    at the same position the vocabulary's order decides."""
    folded = name_key(text)
    best: tuple[int, int, Doctype, str] | None = None
    for rank, d in enumerate(vocab.doctypes):
        for phrase in d.phrases:
            m = re.search(r"(?<![a-z0-9])" + re.escape(name_key(phrase)), folded)
            if m and (best is None or (m.start(), rank) < (best[0], best[1])):
                best = (m.start(), rank, d, phrase)
    proposal = OWN_PROPOSAL.search(text)
    if proposal and (best is None or proposal.start() <= best[0]):
        c = find_committee(proposal.group(1), vocab)
        innspill = next((d for d in vocab.doctypes if d.slug == "innspill"), None)
        if c and c.slug != "formannskapet" and innspill:
            return innspill, proposal.group(0)  # a committee's own budget proposal is an input
    return (best[2], best[3]) if best else None


def is_generic(text: str) -> bool:
    t = name_key(clean_link_text(text)).strip(" .:!")
    return len(t) < 4 or t in {name_key(g) for g in GENERIC}
