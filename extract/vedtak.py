"""Decisions from page text: agenda items of protocols, text decisions of adopted budgets.

    decisions_of(pages, doctype, vocab)   -> [Decision]   (catalog.models)
    parse_vote(statement, vocab)          -> Vote          (parsed=False when it cannot be read)

Works on the cleaned page text the catalog stores (no PDF needed), so decisions can be
derived again for documents extracted before this parser existed. Votes are parsed
strictly: a statement must match one known form as a whole and every party must be known;
anything else is kept as printed with `parsed=False`. Nothing is guessed: a count the
protocol does not print stays None.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterable, Sequence
from functools import lru_cache

import catalog
from catalog.decisions import Derived, store_decisions, versions_to_derive
from catalog.models import Decision, PageText, Proposal, Version, Vote
from sources import Vocabulary, name_key

# Bump when the parser's output changes: stored decisions of older parsers are derived again.
PARSER_VERSION = 1

# Which documents carry which kind of decision.
DOCTYPES = {"protokoll": "sak", "vedtak": "tekstvedtak"}

# ---------------------------------------------------------------- page furniture

_PAGE_NUMBER = re.compile(r"^(?:Side|Sida|Page)\s+\d+(?:\s*(?:av|of|/)\s*\d+)?$|^-?\s*\d{1,4}\s*-?$", re.I)


def _lines(pages: Sequence[tuple[int, str]]) -> list[tuple[int, str]]:
    """Every line with its page, without running heads (a first line repeated on most
    pages) and page numbers."""
    firsts = [text.split("\n", 1)[0].strip() for _, text in pages if text.strip()]
    repeated = {ln for ln in set(firsts) if len(pages) > 1 and firsts.count(ln) >= max(2, len(firsts) // 2)}
    out = []
    for page, text in pages:
        for i, line in enumerate(text.split("\n")):
            line = " ".join(line.split())
            if not line or _PAGE_NUMBER.match(line) or (i == 0 and line in repeated):
                continue
            out.append((page, line))
    return out


# ---------------------------------------------------------------- votes

_NUM = r"\d{1,3}"
_ST = r"(?:stemmer|stemme|røyster|røyst|røystar)"
_BLE = r"(?:ble|blei|vart|er)"
_YES = r"(?:vedtatt|vedtatte|vedteke|vedtekne|vedteken|godkjent|godkjend|bifalt|tiltrådt)"
_NO = r"(?:falt|fall|forkastet|forkasta|nedstemt|nedrøysta)"
_UNANIMOUS = r"(?:enstemmig|einstemmig|samrøystes)"
_GROUP = r"\((?P<{}>[^()]*)\)"


def _g(name: str) -> str:
    return _GROUP.format(name)


_VOTE_FORMS = [
    # "Enstemmig." / "Enstemmig godkjent." / "Innstillingen ble enstemmig vedtatt."
    re.compile(rf"^(?:(?P<motion>.+?)\s+(?:{_BLE}\s+)?)?(?P<un>{_UNANIMOUS})(?:\s+(?P<res>{_YES}|{_NO}))?$", re.I),
    # "Innstillingen ble vedtatt enstemmig."
    re.compile(rf"^(?P<motion>.+?)\s+{_BLE}\s+(?P<res>{_YES}|{_NO})\s+(?P<un>{_UNANIMOUS})$", re.I),
    # "Innstillingen ble vedtatt mot 3 stemmer (2Ap, R)."
    re.compile(rf"^(?:(?P<motion>.+?)\s+)?(?:{_BLE}\s+)?(?P<res>{_YES})\s+mot\s+(?P<against>{_NUM})\s+{_ST}(?:\s+{_g('ga')})?$",
               re.I),
    # "… vedtatt med 36 (H, Frp) mot 15 stemmer (Ap, SV)." / "Forslaget falt med 3 mot 10 stemmer."
    re.compile(rf"^(?:(?P<motion>.+?)\s+)?(?:{_BLE}\s+)?(?P<res>{_YES}|{_NO})\s+med\s+(?P<for>{_NUM})(?:\s+{_ST})?"
               rf"(?:\s+{_g('gf')})?\s+mot\s+(?P<against>{_NUM})(?:\s+{_ST})?(?:\s+{_g('ga')})?$", re.I),
    # "Forslaget fra Ap fikk 5 stemmer (2Ap, R, Sp, MDG) og falt."
    re.compile(rf"^(?P<motion>.+?)\s+(?:fikk|fekk)\s+(?P<for>{_NUM})\s+{_ST}(?:\s+{_g('gf')})?,?\s+og\s+"
               rf"(?:{_BLE}\s+)?(?P<res>{_YES}|{_NO})$", re.I),
    # "Forslaget falt med 5 stemmer (2Ap, R, Sp, MDG)."
    re.compile(rf"^(?:(?P<motion>.+?)\s+)?(?:{_BLE}\s+)?(?P<res>{_YES}|{_NO})\s+med\s+(?P<for>{_NUM})\s+{_ST}"
               rf"(?:\s+{_g('gf')})?$", re.I),
]
_ALTERNATIVE = re.compile(
    r"^Ved\s+alternativ\s+(?:votering|avstemning|røysting)\s+mellom\s+(?P<pair>.+?),?\s+"
    rf"{_BLE}\s+(?P<rest>.+)$", re.I)
_PARTY_ITEM = re.compile(r"^(?P<n>\d{1,3})?\s*(?P<name>[^\d].*?)\s*(?P<n2>\d{1,3})?$")
_MOTION_OK = re.compile(r"^[^\d():;]{2,160}$")


def parse_vote(statement: str, vocab: Vocabulary) -> Vote:
    """One vote statement as printed; parsed=False unless it matches a known form whole."""
    text = " ".join(statement.split())
    body = text.rstrip(" .")
    alt = _ALTERNATIVE.match(body)
    if alt:
        vote = _parse_alternative(alt.group("pair"), alt.group("rest"), vocab)
    else:
        vote = _parse_simple(body, vocab)
    if vote is None:
        return Vote(text=text, parsed=False)
    vote.text = text
    vote.motion_parties = motion_parties(vote.motion or "", vocab)
    vote.alternative_parties = motion_parties(vote.alternative or "", vocab)
    return vote


def _parse_simple(body: str, vocab: Vocabulary) -> Vote | None:
    for form in _VOTE_FORMS:
        m = form.match(body)
        if not m:
            continue
        d = m.groupdict()
        motion = d.get("motion")
        if motion is not None and not _MOTION_OK.match(motion):
            return None
        res = d.get("res")
        result = "falt" if res and re.fullmatch(_NO, res, re.I) else "vedtatt"
        vote = Vote(text=body, motion=motion, result=result, unanimous=bool(d.get("un")))
        if d.get("for") is not None:
            vote.votes_for = int(d["for"])
        if d.get("against") is not None:
            vote.votes_against = int(d["against"])
        if vote.unanimous and motion is not None and re.search(_UNANIMOUS, motion, re.I):
            return None
        for side, key in (("for", "gf"), ("against", "ga")):
            group = d.get(key)
            if group is None:
                continue
            parties = parse_parties(group, vocab)
            if parties is None:
                return None
            names = [p for p, _ in parties]
            counts = {p: n for p, n in parties if n is not None}
            total = vote.votes_for if side == "for" else vote.votes_against
            if total is not None and (sum(counts.values()) + sum(1 for _, n in parties if n is None) > total
                                      or (len(counts) == len(parties) and sum(counts.values()) != total)):
                return None  # the named parties do not add up: a misprint, not ours to mend
            if side == "for":
                vote.parties_for, vote.counts_for = names, counts
            else:
                vote.parties_against, vote.counts_against = names, counts
        return vote
    return None


def _parse_alternative(pair: str, rest: str, vocab: Vocabulary) -> Vote | None:
    """"… mellom X og Y ble X vedtatt …": the winner names which split of "X og Y" is meant."""
    for res_m in re.finditer(rf"\s+(?P<res>{_YES})(?=\s|$)", rest, re.I):
        winner, tail = rest[: res_m.start()], rest[res_m.end():]
        splits = [(pair[: m.start()], pair[m.end():]) for m in re.finditer(r"\s+og\s+", pair)]
        matches = [(a, b) for a, b in splits if name_key(winner) in (name_key(a), name_key(b))]
        if len(matches) != 1:
            continue
        a, b = matches[0]
        other = b if name_key(winner) == name_key(a) else a
        vote = _parse_simple(f"{winner} vedtatt{tail}", vocab)
        if vote is None or vote.result != "vedtatt":
            return None
        vote.motion, vote.alternative = winner, other
        return vote
    return None


def parse_parties(group: str, vocab: Vocabulary) -> list[tuple[str, int | None]] | None:
    """"2Ap, R, Sp og MDG" -> [("Ap", 2), ("R", None), ...]; None if any name is unknown."""
    out: list[tuple[str, int | None]] = []
    for part in re.split(r",\s*|\s+og\s+|\s*\+\s*|\s*;\s*", group.strip()):
        if not part:
            continue
        m = _PARTY_ITEM.match(part.strip())
        if not m:
            return None
        party = vocab.party(m.group("name"))
        if party is None:
            return None
        n = m.group("n") or m.group("n2")
        out.append((party.abbr, int(n) if n else None))
    return out or None


def motion_parties(motion: str, vocab: Vocabulary) -> list[str]:
    """Who a motion comes from, where its wording says: "Forslaget fra H, V og KrF",
    "Aps forslag", "forslaget fra SV v/ Kari Nordmann"; [] otherwise."""
    m = re.search(r"\b(?:fra|frå)\s+(.+?)(?:\s+v/.*|\s+om\s.*|\s+til\s.*|\s+i\s.*)?$", motion, re.I)
    if m:
        parties = parse_parties(m.group(1), vocab)
        return [p for p, _ in parties] if parties else []
    m = re.match(r"^(\S+?)s\s+(?:\w*forslag|\w*framlegg)", motion, re.I)
    if m:
        party = vocab.party(m.group(1))
        return [party.abbr] if party else []
    return []


def proposer_parties(by: str, vocab: Vocabulary) -> list[str]:
    """Parties of a proposer as printed: "H, V og KrF", "SV v/ Kari Nordmann", "Kari Nordmann (MDG)"."""
    inside = re.search(r"\(([^()]*)\)\s*$", by)
    if inside:
        parties = parse_parties(inside.group(1), vocab)
    else:
        parties = parse_parties(re.split(r"\s+v/", by, maxsplit=1)[0], vocab)
    return [p for p, _ in parties] if parties else []


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
        r"^(?P<label>(?:Felles|Tilleggs|Endrings|Alternativt\s+|Omforent\s+|Nytt\s+)?(?:forslag|framlegg)(?:\s+nr\.?\s*\d+)?"
        r"\s+(?:fra|frå|fremmet\s+av|fremma\s+av|sett\s+fram\s+av)\s+(?P<by>[^:]{1,120}))\s*:\s*(?P<rest>.*)$", re.I)),
    ("proposal", re.compile(
        r"^(?P<label>(?P<by>[^:]{1,120}?)\s+(?:fremmet|fremma|sette\s+fram|satte\s+fram)\s+(?:følgende|slikt|dette|"
        r"følgjande)?\s*(?:felles|tilleggs|endrings|alternativt\s+)?(?:forslag|framlegg)(?:\s+på\s+vegne\s+av\s+[^:]+)?)"
        r"\s*:\s*(?P<rest>.*)$", re.I)),
    ("other", re.compile(r"^(?P<label>Protokolltilførsel[^:]*|Merknad[^:]*|Saksopplysninger|Dokumenter|Vedlegg|"
                         r"Saksprotokoll[^:]*|Utvalg|Møtedato|Møtested)\s*:\s*(?P<rest>.*)$", re.I)),
]
# Words that make a sentence a vote statement even where no "Votering:" stands above it.
_VOTE_LIKE = re.compile(rf"\b(?:\d+\s+(?:mot\s+\d+\s+)?{_ST}|{_UNANIMOUS}|alternativ\s+votering)\b", re.I)
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
        self.d = Decision(kind="sak", seq=0, page_from=page, page_to=page, case=case, archive_case=archive, title=title)
        self.section: str | None = None
        self.label: str = ""
        self.who: str | None = None
        self.lines: list[tuple[int, str]] = []
        self.voted = False
        self.want_title = False  # "Sak 152/20" alone on its line: the title is the next line


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
    text_parts: list[str] = []
    sentences = _sentences(lines)
    for n, (_page, sentence, start) in enumerate(sentences):
        if start and _VOTE_LIKE.search(sentence) and (kind != "other"):
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


def protocol_decisions(pages: Sequence[tuple[int, str]], vocab: Vocabulary, committee: str | None = None) -> list[Decision]:
    """The agenda items of a protocol or saksprotokoll, in order."""
    items: list[_Item] = []
    current: _Item | None = None
    pending_case: dict[str, str] = {}  # saksprotokoll header fields seen before "Saksnr."
    for page, line in _lines(pages):
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
        current.d.page_to = page
        lab = _label(line)
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


def text_decisions(pages: Sequence[tuple[int, str]]) -> list[Decision]:
    """One record per numbered point under "Tekstvedtak" / "Særskilte vedtak" headings."""
    out: list[Decision] = []
    section: str | None = None
    point: Decision | None = None
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
            point = Decision(kind="tekstvedtak", seq=len(out) + 1, page_from=page, page_to=page, title=section,
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


def decisions_of(
    pages: Iterable[tuple[int, str]], doctype: str | None, vocab: Vocabulary, committee: str | None = None
) -> list[Decision]:
    """The decisions a document carries, by its type: protocols' agenda items, adopted
    budgets' text decisions; nothing for other types."""
    kind = DOCTYPES.get(doctype or "")
    pages = [(int(n), t) for n, t in pages]
    if kind == "sak":
        return protocol_decisions(pages, vocab, committee)
    if kind == "tekstvedtak":
        return text_decisions(pages)
    return []


# ---------------------------------------------------------------- into the catalog


@lru_cache(maxsize=1)
def _vocabulary() -> Vocabulary:
    from sources import shipped_vocabulary

    return shipped_vocabulary()


def derive(version: Version, pages: Iterable[PageText]) -> Derived:
    """A version's decisions from its page texts, ready for the catalog."""
    found = decisions_of(((p.page, p.text) for p in pages), version.doctype, _vocabulary(), version.committee)
    return Derived(decisions=found, parser_version=PARSER_VERSION, doctype=version.doctype)


def derive_pending(conn: sqlite3.Connection) -> int:
    """Derive decisions from stored page text wherever they are missing or stale (older
    parser, changed type): no PDF is read again. Returns the number of versions done."""
    done = 0
    for sha in versions_to_derive(conn, PARSER_VERSION):
        version = catalog.get_version(conn, sha)
        if version is None:
            continue
        store_decisions(conn, sha, derive(version, catalog.pages_of(conn, sha)))
        done += 1
    return done
