"""What changed in the text between formannskapets innstilling and kommunestyrets vedtak, and
which vote adopted a change of a budget line.

- Tekstvedtak: the numbered points the innstilling recommends (read from its pages) against
  the points the adopted plan prints (the catalog's vedtak), matched by content within their
  section, not by number (a dropped point renumbers the rest): each point is added, dropped,
  changed (with a word diff) or unchanged (perhaps renumbered).
- Verbal decisions: the budget case in kommunestyret's protocol, its recommendation against
  its decision, point by point.
- Votes: a proposal adopted in formannskapet or kommunestyret that names a line which changed
  at that step ("Rammen til Barn og unge økes med 4,0 mill. kroner …"), with the vote that
  adopted it.

The word diff is difflib's SequenceMatcher over words, as structured runs each front end renders
(measured against `redlines`, which wraps the same matcher: docs/budget.md).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from typing import Any

from index.analysis import stem_token

_POINTS = re.compile(r"(?:^|\s)(\d{1,2})\.\s+(?=[A-ZÆØÅ«])")
_WORD = re.compile(r"\S+")
SAME = 0.55  # two points whose words agree this much (SequenceMatcher ratio) are one point, changed


def word_diff(before: str, after: str) -> list[dict[str, str]]:
    """The words of `before` and `after` as runs: {"op": "equal"|"delete"|"insert", "text"}."""
    a, b = _WORD.findall(before), _WORD.findall(after)
    out: list[dict[str, str]] = []
    for op, i1, i2, j1, j2 in SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            out.append({"op": "equal", "text": " ".join(a[i1:i2])})
            continue
        if i2 > i1:
            out.append({"op": "delete", "text": " ".join(a[i1:i2])})
        if j2 > j1:
            out.append({"op": "insert", "text": " ".join(b[j1:j2])})
    return out


def _ratio(a: str, b: str) -> float:
    return SequenceMatcher(None, a.lower().split(), b.lower().split(), autojunk=False).ratio()


@dataclass
class Point:
    section: str | None
    number: int | None
    text: str
    doc_id: str | None = None
    page: int | None = None

    def record(self) -> dict[str, Any]:
        return {"section": self.section, "number": self.number, "text": self.text, "doc_id": self.doc_id,
                "page": self.page}


@dataclass
class PointDiff:
    added: list[dict[str, Any]] = field(default_factory=list)
    dropped: list[dict[str, Any]] = field(default_factory=list)
    changed: list[dict[str, Any]] = field(default_factory=list)
    unchanged: list[dict[str, Any]] = field(default_factory=list)


def _pair(kind: str, before: Point, after: Point) -> dict[str, Any]:
    return {"kind": kind, "section": after.section, "number": after.number, "before": before.record(),
            "after": after.record(), "renumbered": before.number != after.number,
            "diff": word_diff(before.text, after.text)}


def diff_points(kind: str, before: list[Point], after: list[Point]) -> PointDiff:
    """Points matched by content within their section (exact text first, then the most alike
    above SAME), each used once."""
    out = PointDiff()
    matched: dict[int, int] = {}
    used: set[int] = set()
    for i, p in enumerate(before):  # the same text: unchanged (perhaps renumbered)
        for j, q in enumerate(after):
            if j not in used and p.section == q.section and " ".join(p.text.split()) == " ".join(q.text.split()):
                matched[i] = j
                used.add(j)
                break
    pairs = sorted(((_ratio(p.text, q.text), i, j) for i, p in enumerate(before) if i not in matched
                    for j, q in enumerate(after) if j not in used and p.section == q.section), reverse=True)
    for ratio, i, j in pairs:
        if ratio >= SAME and i not in matched and j not in used:
            matched[i] = j
            used.add(j)
    for i, p in enumerate(before):
        if i not in matched:
            out.dropped.append({"kind": kind, **p.record()})
            continue
        q = after[matched[i]]
        same = " ".join(p.text.split()) == " ".join(q.text.split())
        (out.unchanged if same else out.changed).append(_pair(kind, p, q))
    out.added = [{"kind": kind, **q.record()} for j, q in enumerate(after) if j not in used]
    return out


def numbered(text: str | None) -> list[str]:
    """A decision written as "1. … 2. …" as its numbered points (the whole text if unnumbered)."""
    if not text:
        return []
    parts = _POINTS.split(" ".join(text.split()))
    if len(parts) < 3:
        return [" ".join(text.split())]
    return [p.strip() for p in parts[2::2]]


def diff_verbal(recommendation: str | None, decision: str | None, doc_id: str, page: int) -> PointDiff:
    """A protocol's decision against the recommendation voted on, point by point (by number:
    a verbal decision keeps the recommendation's numbering and adds after it)."""
    before = [Point(None, i, t, doc_id, page) for i, t in enumerate(numbered(recommendation), 1)]
    after = [Point(None, i, t, doc_id, page) for i, t in enumerate(numbered(decision), 1)]
    out = PointDiff()
    for i, q in enumerate(after):
        if i >= len(before):
            out.added.append({"kind": "verbal", **q.record()})
        elif before[i].text == q.text:
            out.unchanged.append(_pair("verbal", before[i], q))
        else:
            out.changed.append(_pair("verbal", before[i], q))
    out.dropped = [{"kind": "verbal", **p.record()} for p in before[len(after):]]
    return out


# ---------------------------------------------------------------- votes that name lines

_PROPOSER = re.compile(r"\b(?:Budsjett|Endrings|Felles|Tilleggs|Alternativt\s+)?[Ff]orslag(?:et)?\s+fra\s+"
                       r"(?P<by>[^:]{1,60}?):\s+")
_SENTENCE = re.compile(r"(?<=[.;])\s+(?=(?:\d{1,2}\.\s+)?[A-ZÆØÅ])")
_STOP = {"og", "i", "på", "for", "til", "av", "med", "sum", "netto", "brutto", "the"}


def split_proposals(by: str, text: str) -> list[tuple[str, str]]:
    """(proposer, text) pairs: one parsed proposal may hold another's ("… Budsjettforslag fra H, V og
    Frp: Rammen til …") where the protocol ran them together."""
    out: list[tuple[str, str]] = []
    last_by, last = by, 0
    for m in _PROPOSER.finditer(text):
        if m.start() > last:
            out.append((last_by, text[last:m.start()].strip()))
        last_by, last = m.group("by").strip(), m.end()
    out.append((last_by, text[last:].strip()))
    return [(b, t) for b, t in out if t]


def _stems(words: list[str]) -> list[str]:
    return [stem_token(w.lower()) for w in words]


def names_line(sentence: str, label: str) -> bool:
    """Whether a sentence of a proposal names a budget line: every word of the label that says
    something is in the sentence (by stem), and the label's first word, a name, is written with
    a capital there too ("Rammen til Barn og unge økes", "svømmehallen på Rud" for "Rud svømmehall";
    not "kommunale barnehager" for "Barnehager")."""
    words = re.findall(r"\w+", label)
    meaningful = [w for w in words if w.lower() not in _STOP]
    if not meaningful:
        return False
    sentence_words = re.findall(r"\w+", sentence)
    stems = set(_stems(sentence_words))
    if not set(_stems(meaningful)) <= stems:
        return False
    first = meaningful[0]
    if first[:1].isupper():
        return any(w[:1].isupper() and stem_token(w.lower()) == stem_token(first.lower()) for w in sentence_words)
    return True


def sentences(text: str) -> list[str]:
    return [s.strip() for s in _SENTENCE.split(" ".join(text.split())) if s.strip()]


def _who(text: str) -> set[str]:
    return {w.lower() for w in re.findall(r"[A-ZÆØÅ][\wæøå]*", text)}


def votes_for(proposer: str, votes: list[Any]) -> Any | None:
    """The vote that adopted a proposal: result vedtatt, its motion naming the same proposer."""
    want = _who(proposer)
    for v in votes:
        if v.result != "vedtatt" or not v.motion:
            continue
        named = {p.lower() for p in (v.motion_parties or [])} or _who(v.motion.split(" fra ", 1)[-1])
        if want and (want == named or (" fra " in v.motion and proposer.lower() in v.motion.lower())):
            return v
    return None
