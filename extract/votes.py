"""Vote statements of protocols, read strictly: a statement must match one known form as a
whole and every party must be known; anything else is kept as printed with `parsed=False`.

    parse_vote(statement, vocab) -> Vote

Nothing is guessed: a count the protocol does not print stays None, and a count that cannot be
right for the parties printed with it ("fikk 2 stemmer (SV, R, Sp)") is kept as printed, count
and parties both, with `warning = COUNT_MISMATCH`. Bokmål and nynorsk.
"""

from __future__ import annotations

import re

from catalog.models import Vote
from sources import Vocabulary, name_key

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
# The printed count cannot be right for the parties printed with it: their printed counts, plus one
# for each party printed without a count, exceed it (or, every count printed, differ from it).
COUNT_MISMATCH = "count_mismatch"

_PARTY_ITEM = re.compile(r"^(?P<n>\d{1,3})?\s*(?P<name>[^\d].*?)\s*(?P<n2>\d{1,3})?$")
_MOTION_OK = re.compile(r"^[^\d():;]{2,160}$")


def parse_vote(statement: str, vocab: Vocabulary) -> Vote:
    """One vote statement as printed; parsed=False unless it matches a known form whole."""
    text = " ".join(statement.split())
    body = text.rstrip(" .")
    alt = _ALTERNATIVE.match(body)
    winner_side = None
    if alt:
        vote, winner_side = _parse_alternative(alt.group("pair"), alt.group("rest"), vocab)
    else:
        vote = _parse_simple(body, vocab)
    if vote is None:
        return Vote(text=text, parsed=False)
    vote.text = text
    # The winner as its side of the pair was printed says more ("flertallets forslag (H, FrP, KrF)").
    vote.motion_parties = motion_parties(winner_side or vote.motion or "", vocab)
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
            if count_disagrees(total, parties):
                vote.warning = COUNT_MISMATCH  # a misprint, not ours to mend: both kept as printed
            if side == "for":
                vote.parties_for, vote.counts_for = names, counts
            else:
                vote.parties_against, vote.counts_against = names, counts
        return vote
    return None


def count_disagrees(total: int | None, parties: list[tuple[str, int | None]]) -> bool:
    """Whether a printed count cannot be right for the parties printed with it: "2 stemmer (SV, R, Sp)"
    names at least three voters, "3 stemmer (2Ap, 2R)" exactly four."""
    if total is None or not parties:
        return False
    least = sum(n if n is not None else 1 for _, n in parties)
    exact = all(n is not None for _, n in parties)
    return least > total or (exact and least != total)


def _parse_alternative(pair: str, rest: str, vocab: Vocabulary) -> tuple[Vote | None, str | None]:
    """"… mellom X og Y ble X vedtatt …": the winner names which split of "X og Y" is meant.
    With the vote, the winner's side as the pair prints it."""
    for res_m in re.finditer(rf"\s+(?P<res>{_YES})(?=\s|$)", rest, re.I):
        winner, tail = rest[: res_m.start()], rest[res_m.end():]
        splits = [(pair[: m.start()], pair[m.end():]) for m in re.finditer(r"\s+og\s+", pair)]
        # The winner as one side is printed, or without the side's parties in brackets, or failing
        # both by its noun ("mellom formannskapets innstilling og … ble innstillingen vedtatt").
        for key in (name_key, _unbracketed, _head):
            matches = [(a, b) for a, b in splits if key(winner) in (key(a), key(b))]
            if matches:
                break
        if len(matches) != 1 or not key(winner):
            continue
        a, b = matches[0]
        if key(a) == key(b):
            continue  # both sides the same noun ("Hs forslag og Aps forslag … forslaget"): not certain
        side, other = (a, b) if key(winner) == key(a) else (b, a)
        vote = _parse_simple(f"{winner} vedtatt{tail}", vocab)
        if vote is None or vote.result != "vedtatt":
            return None, None
        vote.motion, vote.alternative = winner, other
        return vote, side
    return None, None


_HEAD_CUT = re.compile(r"\s+(?:fra|frå|til|om|fremmet|framsett)\s+.*$", re.I)
_DEFINITE = re.compile(r"(?:ene|en|et|a)$")


def _unbracketed(side: str) -> str:
    """A side's key without what it adds in brackets: "flertallets forslag (H, FrP, KrF)"."""
    return " ".join(name_key(re.sub(r"\([^()]*\)", " ", side)).split())


def _head(side: str) -> str:
    """The noun a side of an alternative vote is named by, without its definite ending:
    "formannskapets innstilling" and "innstillingen" -> "innstilling", "fellesforslaget fra Ap,
    SV og Sp" -> "fellesforslag"; "" where there is none."""
    words = _HEAD_CUT.sub("", re.sub(r"\([^()]*\)", " ", side).strip()).split()
    if not words or not words[-1].isalpha():
        return ""
    word = words[-1].lower()
    bare = _DEFINITE.sub("", word)
    return bare if len(bare) >= 5 else word


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
    "Aps forslag", "forslaget fra SV v/ Kari Nordmann", "flertallets forslag (H, FrP, KrF)"
    (brackets of party names only); [] otherwise."""
    m = re.search(r"\(([^()]*)\)\s*$", motion)
    if m and (parties := parse_parties(m.group(1), vocab)):
        return [p for p, _ in parties]
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


# Words that make a sentence a vote statement even where no "Votering:" stands above it.
VOTE_LIKE = re.compile(rf"\b(?:\d+\s+(?:mot\s+\d+\s+)?{_ST}|{_UNANIMOUS}|alternativ\s+votering)\b", re.I)
