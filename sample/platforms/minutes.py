"""Protocols of the replicas' meetings, with the decisions and votes they carry as truth.

Each municipality words its protocols its own way (Asker "PS 87/23", Nordre Follo
"Sak 112/23" with "Saksprotokoll" pages); the truth of every agenda item has the shape of
``sample.protocols`` (case, archive case, title, recommendation, proposals, votes, decision,
pages), and every vote the shape of ``sample.protocols.vote``: motion, result, numbers and
parties as printed, ``parsed: False`` where a statement is not one a reader can be sure of.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sample.content import Block
from sample.platforms.figures import Kommune, Prose, pdf


@dataclass
class Sak:
    """One agenda item as a protocol prints it."""

    case: str  # "87/23"
    archive: str | None  # "23/4512"
    title: str
    recommendation_label: str | None = None  # "Formannskapets innstilling:"
    recommendation: str | None = None
    proposals: list[tuple[str, str, list[str], str]] = field(default_factory=list)  # label, by, parties, text
    votes: list[dict] = field(default_factory=list)  # sample.protocols.vote(...)
    decision_label: str | None = "Vedtak:"
    decision: str | None = None
    heading: str = "ps"  # ps: "PS 87/23 Title" + "Arkivsak: ..."; dash: "87/23 - 23/4512 - Title"; sak: "Sak 87/23 Title"
    narrative: int = 1  # paragraphs of debate before the votes


def protocol_pdf(k: Kommune, key: str, committee: str, committee_name: str, day: str, place: str,
                 saker: list[Sak], title: str | None = None) -> tuple[bytes, int, list[dict]]:  # fmt: skip
    """A meeting protocol: header, then each agenda item on a new page. Returns the bytes, the
    number of pages and the truth of each item's decision."""
    prose = Prose(k, key)
    d = day.split("-")
    blocks: list[Block | str] = [
        ("h1", "Møteprotokoll"), ("p", committee_name),
        ("p", f"Møtedato: {d[2]}.{d[1]}.{d[0]}"), ("p", f"Møtested: {place}"),
        ("p", "Til stede: Se eget oppmøteregister."),
    ]  # fmt: skip
    truth: list[dict] = []
    for sak in saker:
        blocks.append("newpage")
        first = len(blocks)
        if sak.heading == "dash":
            blocks.append(("h2", f"{sak.case} - {sak.archive} - {sak.title}"))
        elif sak.heading == "sak":
            blocks.append(("h2", f"Sak {sak.case} {sak.title}"))
        else:
            blocks.append(("h2", f"PS {sak.case} {sak.title}"))
            if sak.archive:
                blocks.append(("p", f"Arkivsak: {sak.archive}"))
        if sak.recommendation:
            blocks += [("p", sak.recommendation_label or "Innstilling:"), ("p", sak.recommendation)]
        blocks.append(("p", f"{committee_name}s behandling {d[2]}.{d[1]}.{d[0]}:"))
        blocks += [("p", prose.paragraph(2)) for _ in range(sak.narrative)]
        for label, _, _, text in sak.proposals:
            blocks += [("p", label), ("p", text)]
        if sak.votes:
            blocks.append(("p", "Votering:"))
            blocks += [("p", v["text"]) for v in sak.votes]
        if sak.decision:
            blocks += [("p", sak.decision_label or "Vedtak:"), ("p", sak.decision)]
        last = len(blocks)
        truth.append({"kind": "sak", "case": sak.case, "archive_case": sak.archive if sak.heading != "sak" else None,
                      "title": sak.title, "date": day, "committee": committee,
                      "recommendation": sak.recommendation,
                      "recommendation_label": (sak.recommendation_label or "Innstilling:").rstrip(":")
                      if sak.recommendation else None,
                      "proposals": [{"by": by, "parties": parties, "text": text}
                                    for _, by, parties, text in sak.proposals],
                      "votes": sak.votes, "decision": sak.decision,
                      "decision_label": (sak.decision_label or "Vedtak:").rstrip(":") if sak.decision else None,
                      "_blocks": (first, last)})  # fmt: skip
    data, where, count = pdf(k, blocks, title or f"Møteprotokoll {committee_name} {d[2]}.{d[1]}.{d[0]}")
    for t in truth:
        first, last = t.pop("_blocks")
        t["pages"] = sorted(set(where[first:last]))
    return data, count, truth
