"""Single-field finders of the classifier (crawler/classify.py): the committee, the document
type and the date a piece of text names, and whether a link text says nothing at all.

Each reads one string against the source's vocabulary (sources/) and returns the earliest
match, or None: the classifier decides which string to ask, and in what order.
"""

from __future__ import annotations

import re
from datetime import date as Date

from crawler.context import clean_link_text
from sources import Committee, Doctype, Vocabulary, name_key

MONTHS = {
    "januar": 1, "februar": 2, "mars": 3, "april": 4, "mai": 5, "juni": 6, "juli": 7,
    "august": 8, "september": 9, "oktober": 10, "november": 11, "desember": 12,
}
# Abbreviated months as the CMS and portal print them: "2. des. 2020", "23. sep 2020".
MONTH_ABBR = {"jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sept": 9, "sep": 9,
              "okt": 10, "nov": 11, "des": 12}
DATE_WORDS = re.compile(
    r"(?<!\d)(\d{1,2})\.\s*(" + "|".join([*MONTHS, *MONTH_ABBR]) + r")(?![a-zæøå])\.?\s+(\d{4})(?!\d)", re.I
)
DATE_DOTS = re.compile(r"(?<![\d.])(\d{1,2})\.(\d{1,2})\.(\d{4}|\d{2})(?![\d])")
DATE_ISO = re.compile(r"(?<!\d)(20\d\d)-(\d\d)-(\d\d)(?!\d)")
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


def find_date(text: str) -> str | None:
    """The first Norwegian date in `text` as ISO: "2. desember 2020", "2. des. 2020", "18.11.2020", "02.12.20"."""
    candidates: list[tuple[int, str]] = []
    for m in DATE_WORDS.finditer(text):
        month = m.group(2).lower()
        candidates.append((m.start(), _iso(int(m.group(3)), MONTHS.get(month) or MONTH_ABBR[month], int(m.group(1)))))
    for m in DATE_DOTS.finditer(text):
        y = int(m.group(3))
        y = y + 2000 if y < 100 else y
        candidates.append((m.start(), _iso(y, int(m.group(2)), int(m.group(1)))))
    for m in DATE_ISO.finditer(text):
        candidates.append((m.start(), _iso(int(m.group(1)), int(m.group(2)), int(m.group(3)))))
    valid = sorted((pos, d) for pos, d in candidates if d)
    return valid[0][1] if valid else None


def _iso(y: int, m: int, d: int) -> str:
    try:
        return Date(y, m, d).isoformat() if 1990 <= y <= 2100 else ""
    except ValueError:
        return ""


def is_generic(text: str) -> bool:
    t = name_key(clean_link_text(text)).strip(" .:!")
    return len(t) < 4 or t in {name_key(g) for g in GENERIC}
