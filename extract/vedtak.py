"""Vedtak from page text: agenda items of protocols, text decisions of adopted budgets.

    parse_vedtak(pages, doctype, vocab)   -> [Vedtak]     (catalog.models)
    derive_vedtak(version, pages)          -> DerivedVedtak, for catalog.record_extraction

Works on the cleaned page text the catalog stores (no PDF needed), so vedtak can be
derived again for documents extracted before this parser existed. Each vote statement
is read by extract/votes.py, strictly: what it cannot read is kept as printed.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from functools import lru_cache

import catalog
from catalog.models import PageText, Proposal, Vedtak, Version
from catalog.vedtak import DerivedVedtak, record_vedtak, versions_needing_vedtak
from extract.signoff import block_line, closing_at
from extract.votes import VOTE_LIKE, parse_vote, proposer_parties
from sources import Vocabulary, shipped_vocabulary

# Bump when the parser's output changes: stored vedtak of older parsers are derived again.
PARSER_VERSION = 4  # 3: an alternative vote whose winner is named by its noun or without its bracketed parties;
# 4: a motion's parties from its bracket ("flertallets forslag (H, FrP, KrF)")

# Which documents carry which kind of vedtak.
DOCTYPES = {"protokoll": "sak", "vedtak": "tekstvedtak"}

# ---------------------------------------------------------------- page furniture

_PAGE_NUMBER = re.compile(r"^(?:Side|Sida|Page)\s+\d+(?:\s*(?:av|of|/)\s*\d+)?$|^-?\s*\d{1,4}\s*-?$", re.I)


def _repeated(ends: list[str], pages: int) -> set[str]:
    """Lines that stand at the same end of most pages: running heads and footers."""
    return {ln for ln in set(ends) if pages > 1 and ends.count(ln) >= max(2, len(ends) // 2)}


def _lines(pages: Sequence[tuple[int, str]]) -> list[tuple[int, str]]:
    """Every line with its page, without running heads and footers (a first or last line
    repeated on most pages, page numbers aside) and page numbers."""
    texts = [(page, [" ".join(ln.split()) for ln in text.split("\n")]) for page, text in pages]
    texts = [(page, [ln for ln in lines if ln and not _PAGE_NUMBER.match(ln)]) for page, lines in texts]
    heads = _repeated([lines[0] for _, lines in texts if lines], len(pages))
    feet = _repeated([lines[-1] for _, lines in texts if lines], len(pages))
    out = []
    for page, lines in texts:
        for i, line in enumerate(lines):
            if (i == 0 and line in heads) or (i == len(lines) - 1 and line in feet):
                continue
            out.append((page, line))
    return out


# ---------------------------------------------------------------- protocols

_CASE = r"\d{1,4}/\d{2}(?:\d{2})?"
_ITEM_HEADING = re.compile(
    rf"^(?:(?:PS|Sak|RS|Saksnr\.?)\s+)?(?P<case>{_CASE})\s+(?:[-–]\s+(?P<archive>\d{{2,4}}/\d{{1,8}}(?:-\d+)?)\s+[-–]\s+|[-–]\s+)?"
    r"(?P<title>[A-ZÆØÅ0-9].*)$")
_CASE_ALONE = re.compile(rf"^(?:PS|Sak|RS)\s+(?P<case>{_CASE})$")  # the title follows on the next line
_FIELD_CASE = re.compile(rf"^(?:Saksnr|Saksnummer|Sak nr)\.?:?\s*(?P<case>{_CASE})$", re.I)
_FIELD_ARCHIVE = re.compile(r"^Arkiv(?:sak|saksnr|sak-dok)\.?(?:\s*nr\.?)?:?\s*(?P<archive>\d{2,4}/\d{1,8})(?:-\d+)?$", re.I)
_FIELD_TITLE = re.compile(r"^Tittel:\s*(?P<title>.+)$", re.I)

_WHO = r"(?P<who>[^:]{2,90}?)"
_OF = r"(?:s|\s+si|\s+sitt|\s+sin)"  # "Formannskapets", Nynorsk "Kommunedirektøren si"
_LABELS: list[tuple[str, re.Pattern[str]]] = [
    ("votes", re.compile(r"^(?P<label>Votering|Avstemning|Avstemming|Røysting)\s*:\s*(?P<rest>.*)$", re.I)),
    ("behandling", re.compile(r"^(?P<label>(?:[^:]{2,90}\s)?(?:behandling|handsaming)(?:\s+(?:i|av)\s+[^:]{2,80})?"
                              r"(?:\s+\d{1,2}\.\d{1,2}\.\d{2,4})?)\s*:\s*(?P<rest>)$", re.I)),
    ("recommendation", re.compile(
        rf"^(?P<label>(?:{_WHO}{_OF}\s+)?(?:innstilling|innstillinga|tilråding|tilrådinga|anbefaling)"
        rf"(?:\s+til\s+vedtak)?|(?:{_WHO.replace('who', 'who2')}{_OF}\s+)?(?:forslag|framlegg)\s+til\s+vedtak)"
        r"\s*:\s*(?P<rest>.*)$", re.I)),
    ("decision", re.compile(rf"^(?P<label>(?:{_WHO}{_OF}\s+)?vedtak(?:\s+i\s+[^:]{{2,80}})?)\s*:\s*(?P<rest>.*)$",
                            re.I)),
    ("proposal", re.compile(
        r"^(?P<label>(?:Alternativt\s+|Omforent\s+|Nytt\s+|Felles\s+)?[a-zæøå]*(?:forslag|framlegg)(?:\s+nr\.?\s*\d+)?"
        r"\s+(?:fra|frå|fremmet\s+av|fremma\s+av|sett\s+fram\s+av)\s+(?P<by>[^:]{1,120}))\s*:\s*(?P<rest>.*)$", re.I)),
    ("proposal", re.compile(
        r"^(?P<label>(?P<by>[^:]{1,120}?)\s+(?:fremmet|fremma|sette\s+fram|satte\s+fram)\s+(?:følgende|slikt|dette|"
        r"følgjande)?\s*(?:felles|tilleggs|endrings|alternativt\s+)?(?:forslag|framlegg)(?:\s+på\s+vegne\s+av\s+[^:]+)?)"
        r"\s*:\s*(?P<rest>.*)$", re.I)),
    ("other", re.compile(r"^(?P<label>Protokolltilførsel[^:]*|Merknad[^:]*|Saksopplysninger|Dokumenter|Vedlegg|"
                         r"Saksprotokoll[^:]*|Utvalg|Møtedato|Møtested)\s*:\s*(?P<rest>.*)$", re.I)),
]
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-ZÆØÅ«\"(])")
_ABBREV = re.compile(r"(?:\bnr|\bmill|\bmrd|\bkr|\bpkt|\bjf|\bca|\bbl\.a|\bUavh|\bst|\bv)\.$", re.I)


def _label(line: str) -> tuple[str, re.Match[str]] | None:
    for kind, pattern in _LABELS:
        m = pattern.match(line)
        if m:
            return kind, m
    return None


def _sentences(lines: list[tuple[int, str]]) -> list[tuple[int, str, bool]]:
    """Sentences of a run of lines: (page, sentence, starts a line)."""
    out: list[tuple[int, str, bool]] = []
    for page, line in lines:
        pieces = _SENTENCE_END.split(line)
        merged: list[str] = []
        for piece in pieces:
            if merged and _ABBREV.search(merged[-1]):
                merged[-1] += " " + piece
            else:
                merged.append(piece)
        for i, piece in enumerate(merged):
            if out and i == 0 and re.search(r"[a-zæøå]-$", out[-1][1]) and piece[:1].islower():
                out[-1] = (out[-1][0], out[-1][1][:-1] + piece, out[-1][2])  # a word split over lines
            elif out and i == 0 and not re.search(r"[.!?:]$", out[-1][1]):
                out[-1] = (out[-1][0], out[-1][1] + " " + piece, out[-1][2])  # a sentence wrapped over lines
            else:
                out.append((page, piece, i == 0))
    return out


class _Item:
    def __init__(self, page: int, case: str | None, archive: str | None, title: str | None) -> None:
        self.d = Vedtak(kind="sak", seq=0, page_from=page, page_to=page, case=case, archive_case=archive, title=title)
        self.section: str | None = None
        self.label: str = ""
        self.who: str | None = None
        self.lines: list[tuple[int, str]] = []
        self.voted = False
        self.want_title = False  # "Sak 152/20" alone on its line: the title is the next line
        self.ended = False  # the sign-off (or the protocol's next part) came: nothing more belongs here
        self.listing = False  # the text announced a list ("… velges:"): names under it are its own


def _flush(item: _Item, vocab: Vocabulary, committee: str | None) -> None:
    """Close the item's open section: its lines become recommendation, decision, proposal or votes."""
    lines, kind = item.lines, item.section
    voted_before = item.voted
    item.lines = []
    if kind is None or not lines:
        return
    if kind == "votes":
        for page, sentence, _start in _sentences(lines):
            _add_vote(item, sentence, page, vocab)
        return
    # A vote statement at the start of a line ends a text section ("Vedtak: … \nEnstemmig vedtatt.").
    # Where nothing comes before it ("Vedtak: Enstemmig godkjent."), the text under "Vedtak:" is still
    # the decision: it is kept as the decision and read as the vote.
    text_parts: list[str] = []
    sentences = _sentences(lines)
    for n, (_page, sentence, start) in enumerate(sentences):
        if start and VOTE_LIKE.search(sentence) and n == 0 and kind == "decision":
            for page2, s2, _ in sentences:
                if VOTE_LIKE.search(s2):
                    _add_vote(item, s2, page2, vocab)
            text_parts = [s2 for _, s2, _ in sentences]
            break
        if start and VOTE_LIKE.search(sentence) and (kind != "other"):
            for page2, s2, _ in sentences[n:]:
                _add_vote(item, s2, page2, vocab)
            break
        text_parts.append(sentence)
    text = " ".join(text_parts).strip() or None
    if text is None:
        return
    d = item.d
    if kind == "proposal":
        by = item.who or ""
        d.proposals.append(Proposal(by=by, text=text, parties=proposer_parties(by, vocab), page=lines[0][0]))
    elif kind == "recommendation":
        own = item.who is not None and committee is not None and _is_committee(item.who, committee, vocab)
        if (voted_before or own) and d.decision is None:
            d.decision, d.decision_label = text, item.label
        elif d.recommendation is None:
            d.recommendation, d.recommendation_label = text, item.label
    elif kind == "decision":
        d.decision, d.decision_label = text, item.label


def _is_committee(who: str, committee: str, vocab: Vocabulary) -> bool:
    """Whether "Formannskapet" (of "Formannskapets innstilling") is the protocol's own committee."""
    c = vocab.committee(who) or vocab.committee(who + "s")
    return c is not None and c.slug == committee


def _add_vote(item: _Item, sentence: str, page: int, vocab: Vocabulary) -> None:
    if not sentence.strip(" ."):
        return
    vote = parse_vote(sentence, vocab)
    vote.page = page
    item.d.votes.append(vote)
    item.voted = True


# Labels that take an item up again after a line that looked like its sign-off.
_REOPEN = ("recommendation", "decision", "proposal", "votes")


def protocol_vedtak(pages: Sequence[tuple[int, str]], vocab: Vocabulary, committee: str | None = None) -> list[Vedtak]:
    """The agenda items of a protocol or saksprotokoll, in order. An item ends at the next item,
    or where the proceedings end (extract/signoff.py: the sign-off, signatures, the next part)."""
    items: list[_Item] = []
    current: _Item | None = None
    pending_case: dict[str, str] = {}  # saksprotokoll header fields seen before "Saksnr."
    lines = _lines(pages)
    for n, (page, line) in enumerate(lines):
        head = _ITEM_HEADING.match(line)
        if head and not _label(line):
            if current:
                _flush(current, vocab, committee)
            current = _Item(page, head.group("case"), head.group("archive"), head.group("title").strip())
            items.append(current)
            continue
        alone = _CASE_ALONE.match(line)
        if alone:
            if current:
                _flush(current, vocab, committee)
            current = _Item(page, alone.group("case"), None, None)
            current.want_title = True
            items.append(current)
            continue
        if current is not None and current.want_title:
            current.want_title = False
            if not _label(line) and not _FIELD_ARCHIVE.match(line) and not _FIELD_TITLE.match(line):
                current.d.title = line
                continue
        field_case = _FIELD_CASE.match(line)
        if field_case:
            if current:
                _flush(current, vocab, committee)
            current = _Item(page, field_case.group("case"), pending_case.get("archive"), pending_case.get("title"))
            items.append(current)
            continue
        archive = _FIELD_ARCHIVE.match(line)
        title = _FIELD_TITLE.match(line)
        if archive or title:
            key, value = ("archive", archive.group("archive")) if archive else ("title", title.group("title"))  # type: ignore[union-attr]
            if current is not None and current.section is None and getattr(current.d, "archive_case" if archive else "title") is None:
                setattr(current.d, "archive_case" if archive else "title", value)
            else:
                pending_case[key] = value
            continue
        if current is None:
            continue
        lab = _label(line)
        if current.ended and not (lab and lab[0] in _REOPEN):
            continue
        if not lab:
            following = lines[n + 1][1] if n + 1 < len(lines) else None
            cut = closing_at(line, following, first_in_section=current.section is not None and not current.lines,
                             listing=current.listing)
            current.listing = line.endswith(":") or (current.listing and block_line(line))
            if cut is not None:
                if cut and current.section is not None:
                    current.d.page_to = page
                    current.lines.append((page, line[:cut].rstrip()))
                _flush(current, vocab, committee)
                current.section, current.ended = None, True
                continue
        current.ended = False
        current.d.page_to = page
        if lab:
            kind, m = lab
            _flush(current, vocab, committee)
            current.section = kind
            current.label = " ".join(m.group("label").split())
            groups = m.groupdict()
            current.who = groups.get("by") or groups.get("who") or groups.get("who2")
            rest = (groups.get("rest") or "").strip()
            if rest:
                current.lines.append((page, rest))
            continue
        if current.section is None:
            continue  # between the heading and the first label: the item's preamble
        current.lines.append((page, line))
    if current:
        _flush(current, vocab, committee)
    out = []
    for n, item in enumerate(items, 1):
        d = item.d
        if d.recommendation is None and d.decision is None and not d.votes and not d.proposals:
            continue  # a heading-like line with nothing decided under it
        d.seq = n
        out.append(d)
    return out


# ---------------------------------------------------------------- text decisions

_TEXT_SECTION = re.compile(r"^(?:[A-H](?:\.\d+)?\s+)?(?P<name>Tekstvedtak|Særskilte vedtak|Saerskilte vedtak|"
                           r"Sarskilte vedtak)\b(?P<rest>[^.]*?)[\s.]*\d*$", re.I)
_SECTION_END = re.compile(r"^(?:[A-H](?:\.\d+)*\s+[A-ZÆØÅ]|Del\s+\d|\d+(?:\.\d+)*\s+[A-ZÆØÅ][^.]{0,80}$)")
_POINT = re.compile(r"^(?P<n>\d{1,3})[.)]\s+(?P<text>\S.*)$")


def text_vedtak(pages: Sequence[tuple[int, str]]) -> list[Vedtak]:
    """One record per numbered point under "Tekstvedtak" / "Særskilte vedtak" headings."""
    out: list[Vedtak] = []
    section: str | None = None
    point: Vedtak | None = None
    parts: list[str] = []

    def close() -> None:
        nonlocal point, parts
        if point is not None:
            point.decision = " ".join(parts)
            out.append(point)
        point, parts = None, []

    for page, line in _lines(pages):
        sec = _TEXT_SECTION.match(line)
        if sec:
            close()
            name = sec.group("name")
            section = (name[0].upper() + name[1:].lower()).replace("Saerskilte", "Særskilte").replace(
                "Sarskilte", "Særskilte") + " ".join(["", *sec.group("rest").split()]).rstrip()
            continue
        if section is None:
            continue
        m = _POINT.match(line)
        last = point.number if point is not None else 0
        if m and int(m.group("n")) == (last or 0) + 1:
            close()
            point = Vedtak(kind="tekstvedtak", seq=len(out) + 1, page_from=page, page_to=page, title=section,
                             section=section, number=int(m.group("n")))
            parts = [m.group("text")]
            continue
        if _SECTION_END.match(line):
            close()
            section = None
            continue
        if point is not None:
            parts.append(line)
            point.page_to = page
    close()
    return out


def parse_vedtak(
    pages: Iterable[tuple[int, str]], doctype: str | None, vocab: Vocabulary, committee: str | None = None
) -> list[Vedtak]:
    """The vedtak a document carries, by its type: protocols' agenda items, adopted
    budgets' text decisions; nothing for other types."""
    kind = DOCTYPES.get(doctype or "")
    pages = [(int(n), t) for n, t in pages]
    if kind == "sak":
        return protocol_vedtak(pages, vocab, committee)
    if kind == "tekstvedtak":
        return text_vedtak(pages)
    return []


# ---------------------------------------------------------------- into the catalog


@lru_cache(maxsize=1)
def _vocabulary() -> Vocabulary:
    return shipped_vocabulary()


# Documents whose vedtak are the platform's own data (extract/records.py), never read from text.
RECORD_MEDIA = ("einnsyn",)


def derive_vedtak(version: Version, pages: Iterable[PageText], given: list[Vedtak] | None = None) -> DerivedVedtak:
    """A version's vedtak from its page texts (or `given` by its own data), ready for the catalog."""
    found = given if given is not None else parse_vedtak(
        ((p.page, p.text) for p in pages), version.doctype, _vocabulary(), version.committee)
    return DerivedVedtak(vedtak=found, parser_version=PARSER_VERSION, doctype=version.doctype)


def derive_missing_vedtak(conn: catalog.Connection) -> int:
    """Derive vedtak from stored page text wherever they are missing or stale (older
    parser, changed type): no PDF is read again (a platform's decision record is read again
    from its stored file). Returns the number of versions done."""
    from extract.records import record_vedtak as vedtak_of_record

    done = 0
    data_dir = catalog.data_dir_of(conn)
    for sha in versions_needing_vedtak(conn, PARSER_VERSION):
        version = catalog.get_version(conn, sha)
        if version is None:
            continue
        given = None
        if version.media_type in RECORD_MEDIA:
            given = vedtak_of_record(data_dir.file_path(sha), _vocabulary()) if data_dir else None
            if given is None:
                continue  # its file is gone: `hparkiv check` says so
        record_vedtak(conn, sha, derive_vedtak(version, catalog.pages_of(conn, sha), given))
        done += 1
    return done
