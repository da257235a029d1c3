"""Vedtak (decisions) and votes as the front ends print and serve them.

`vedtak_record` is the JSON shape (docs/vedtak.md, `hparkiv vedtak --format json`,
/api/vedtak); `vedtak_row` is that record as one CSV or spreadsheet row, with the proposals
and the votes one cell each. The vote cell is language-neutral data: each statement as the
protocol prints it, so a CSV is the same whatever the language of the front end, and a vote
that could not be parsed reads exactly as one that could (the parse is in the JSON).
"""

from __future__ import annotations

from typing import Any

VEDTAK_COLUMNS = ("doc_id", "url", "page", "date", "year", "committee", "case", "archive_case", "title", "kind",
                  "section", "number", "recommendation", "decision", "proposals", "votes", "kommune", "kommunenummer")
CELL_SEPARATOR = " | "


def vedtak_record(version: Any, d: Any) -> dict[str, Any]:
    """One vedtak (catalog.models.Vedtak) of a document version (catalog.Version)."""
    return {
        "doc_id": version.doc_id, "url": version.url, "page": d.page_from, "pages": [d.page_from, d.page_to],
        "page_url": f"{version.url}#page={d.page_from}",  # PDF viewers open the page it stands on
        "date": version.date, "year": version.year, "committee": version.committee,
        "case": d.case, "archive_case": d.archive_case, "title": d.title, "kind": d.kind,
        "section": d.section, "number": d.number,
        "recommendation": d.recommendation, "recommendation_label": d.recommendation_label,
        "decision": d.decision, "decision_label": d.decision_label,
        "proposals": [{"by": p.by, "text": p.text, "parties": p.parties, "page": p.page} for p in d.proposals],
        "votes": [vote_record(v) for v in d.votes],
        "kommune": getattr(version, "kommune", None), "kommunenummer": getattr(version, "kommunenummer", None),
    }


def vote_record(v: Any) -> dict[str, Any]:
    """One vote (catalog.models.Vote); `parsed: false` means only `text` (as printed) is known."""
    return {
        "motion": v.motion, "alternative": v.alternative, "result": v.result, "for": v.votes_for,
        "against": v.votes_against, "parties_for": v.parties_for, "parties_against": v.parties_against,
        "counts_for": v.counts_for, "counts_against": v.counts_against, "unanimous": v.unanimous,
        "parsed": v.parsed, "text": v.text, "page": v.page,
    }


def votes_cell(votes: list[dict[str, Any]]) -> str:
    """The votes of a vedtak in one cell: each statement as printed, in order."""
    return CELL_SEPARATOR.join(v["text"] or "" for v in votes)


def proposals_cell(proposals: list[dict[str, Any]]) -> str:
    """The proposals of a vedtak in one cell: "by: text", in order."""
    return CELL_SEPARATOR.join(f"{p['by']}: {p['text']}" for p in proposals)


def vedtak_row(record: dict[str, Any]) -> dict[str, Any]:
    """A vedtak record as a CSV or spreadsheet row (VEDTAK_COLUMNS)."""
    return record | {"proposals": proposals_cell(record["proposals"]), "votes": votes_cell(record["votes"])}
