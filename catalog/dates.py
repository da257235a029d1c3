"""Dates as Norwegian documents print them, and the date a document's first page gives it.

    find_date(text)      -> "2020-11-06" | None   the first date in a text (a link, a meeting's Dato)
    document_date(text)  -> DateReading | None    the document's own date, read from its first page

Shared by the crawler (the first page as the link is fetched) and extraction (the first page's
text once extracted: Word files, scans read by OCR), so both read a page the same way.

A first page states its own date in a few ways, tried in this order:
1. a labelled date: "Dato: 12.03.2021", "Vår dato: 12.03.2021", "Møtedato: 18.11.2020",
   "Datert 6. mai 2021" (the date may stand on the line under "Dato:");
2. a dateline, a place (or an office) and a date alone on their line: "Sandvika, 6. november
   2020", "Bærum kommune, 12.03.2021", "Oslo den 3. mars 2021", or a date alone;
3. a title line near the top that ends in its date: "Vedtatt av kommunestyret 2. desember
   2020", "Kommunedirektørens forslag 23. september 2020", "Protokoll Formannskapet 18.11.2020".

A date of something else is never the document's: "Rapportering per 31. august 2020", "frist
1. mars 2021", "gjeldende fra 1. januar 2021", "Deres dato: …", a sentence that mentions a
date. A date printed where the document's date stands that is no day ("Dato: 31.11.2020") is
read as such, `DateReading(date=None, …)`: the date stays empty and says why, and no other
date on the page is taken in its place.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date as Date

MONTHS = {
    "januar": 1, "februar": 2, "mars": 3, "april": 4, "mai": 5, "juni": 6, "juli": 7,
    "august": 8, "september": 9, "oktober": 10, "november": 11, "desember": 12,
}
# Abbreviated months as the CMS and portal print them: "2. des. 2020", "23. sep 2020".
MONTH_ABBR = {"jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sept": 9, "sep": 9,
              "okt": 10, "nov": 11, "des": 12}
_MONTH = "|".join([*MONTHS, *MONTH_ABBR])
DATE_WORDS = re.compile(r"(?<!\d)(\d{1,2})\.\s*(" + _MONTH + r")(?![a-zæøå])\.?\s+(\d{4})(?!\d)", re.I)
DATE_DOTS = re.compile(r"(?<![\d.])(\d{1,2})\.(\d{1,2})\.(\d{4}|\d{2})(?![\d])")
DATE_ISO = re.compile(r"(?<!\d)(20\d\d)-(\d\d)-(\d\d)(?!\d)")

FIRST_LINES = 60  # how far down the page a document's date is looked for
TITLE_LINES = 15  # title lines stand at the top
_LABEL = re.compile(r"^(?:Vår\s+dato|Dato|Møtedato|Møtedag|Datert|Dagsett|Dato\s+for\s+\w+|Date)\b\s*[:.]?\s*"
                    r"(?P<rest>.*)$", re.I)
_PLACE = r"(?:[A-ZÆØÅ][\w.'’-]*(?:[ -][\w.'’-]+){0,4},?\s+(?:den\s+)?|den\s+)?"
_TIME = r"(?:,?\s+(?:kl\.?\s*)?\d{1,2}[.:]\d{2})?"
# A word right before a date that makes it the date of something else than the document ("Deres
# dato:" is the letter answered, "Utskriftsdato:" the printer's).
_NOT_ITS_DATE = re.compile(r"(?:\b(?:per|pr|innen|fra|fom|f\.o\.m|til|tom|t\.o\.m|etter|før|siden|mellom|gjeldende|"
                           r"gjelder|status|perioden|periode|og|eller|utskrevet|skrevet ut)"
                           r"|\w*dato|\w*frist(?:en)?|[–-])\.?\s*:?\s*$", re.I)

# A verb or a deadline before the date: a sentence about a date, not a title that carries one.
_SENTENCE = re.compile(r"\b(?:er|var|blir|ble|skal|vil|må|kan|har|hadde|\w*frist\w*)\b", re.I)


@dataclass(frozen=True)
class DateReading:
    """The date a first page states, and the words that state it, as printed. `date` is None
    where the page prints a date that cannot be one ("Dato: 31.11.2020")."""

    date: str | None
    printed: str


@dataclass(frozen=True)
class _Found:
    start: int
    end: int
    date: str | None  # None: date-like, but no such day


def _iso(y: int, m: int, d: int) -> str | None:
    try:
        return Date(y, m, d).isoformat() if 1990 <= y <= 2100 else None
    except ValueError:
        return None


def _dates(text: str) -> list[_Found]:
    """Every date-like phrase in `text`, in order, valid or not."""
    found = []
    for m in DATE_WORDS.finditer(text):
        month = m.group(2).lower()
        found.append(_Found(m.start(), m.end(), _iso(int(m.group(3)), MONTHS.get(month) or MONTH_ABBR[month],
                                                      int(m.group(1)))))
    for m in DATE_DOTS.finditer(text):
        y = int(m.group(3))
        found.append(_Found(m.start(), m.end(), _iso(y + 2000 if y < 100 else y, int(m.group(2)), int(m.group(1)))))
    for m in DATE_ISO.finditer(text):
        found.append(_Found(m.start(), m.end(), _iso(int(m.group(1)), int(m.group(2)), int(m.group(3)))))
    return sorted(found, key=lambda f: f.start)


def find_date(text: str) -> str | None:
    """The first Norwegian date in `text` as ISO: "2. desember 2020", "2. des. 2020", "18.11.2020", "02.12.20"."""
    return next((f.date for f in _dates(text) if f.date), None)


def _ends_line(line: str, found: _Found) -> bool:
    return re.fullmatch(_TIME + r"[\s.)]*", line[found.end:]) is not None


def document_date(text: str) -> DateReading | None:
    """The date a document's first page gives it (see the module's docstring), None if it gives none."""
    lines = [" ".join(ln.split()) for ln in text.splitlines()]
    lines = [ln for ln in lines if ln][:FIRST_LINES]
    for k, line in enumerate(lines):  # 1. "Dato: 12.03.2021" (the date may stand on the next line)
        m = _LABEL.match(line)
        if not m:
            continue
        rest = m.group("rest") or (lines[k + 1] if k + 1 < len(lines) else "")
        first = next(iter(_dates(rest)), None)
        if first is not None and first.start <= 3:
            return DateReading(first.date, line if m.group("rest") else f"{line} {rest}")
    for line in lines:  # 2. "Sandvika, 6. november 2020"
        for found in _dates(line):
            before = line[:found.start]
            if re.fullmatch(_PLACE, before) and _ends_line(line, found) and not _NOT_ITS_DATE.search(before) \
                    and not _SENTENCE.search(before):
                return DateReading(found.date, line)
    for line in lines[:TITLE_LINES]:  # 3. "Vedtatt av kommunestyret 2. desember 2020"
        if len(line) > 90:
            continue
        for found in _dates(line):
            before = line[:found.start]
            if found.date and _ends_line(line, found) and not _NOT_ITS_DATE.search(before) \
                    and not _SENTENCE.search(before):
                return DateReading(found.date, line)
    return None
