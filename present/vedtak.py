"""Vedtak (decisions) and votes as the front ends print and serve them.

`vedtak_record` is the JSON shape (docs/vedtak.md, `hparkiv vedtak --format json`,
/api/vedtak); `vedtak_row` is that record as one CSV or spreadsheet row, with the proposals
and the votes one cell each. The vote cell is language-neutral data: each statement as the
protocol prints it, so a CSV is the same whatever the language of the front end, and a vote
that could not be parsed reads exactly as one that could (the parse is in the JSON).

For people, `heading` names a vedtak without saying a word twice ("Tekstvedtak · punkt 2",
never "Tekstvedtak · Tekstvedtak") and `tally` says a vote's numbers, naming the one the
protocol left out ("5 stemmer for (stemmer mot ikke oppgitt)", never "5-?"): the CLI and the
web print both from here.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from present.cells import safe
from present.labels import committee_name

VEDTAK_COLUMNS = ("doc_id", "url", "page", "date", "year", "committee", "case", "archive_case", "title", "kind",
                  "section", "number", "recommendation", "decision", "proposals", "votes", "document_title",
                  "warnings", "kommune", "kommunenummer")
CELL_SEPARATOR = " | "

Gettext = Callable[[str], str]
Ngettext = Callable[[str, str, int], str]


def N_(message: str) -> str:
    """Marks a message for the catalog; the front end translates it where it is shown."""
    return message


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
        "document_title": version.title, "doctype": version.doctype,
    }


def vote_record(v: Any) -> dict[str, Any]:
    """One vote (catalog.models.Vote); `parsed: false` means only `text` (as printed) is known;
    `warning` ("count_mismatch") marks a parsed vote whose printed count disagrees with its parties."""
    return {
        "motion": v.motion, "alternative": v.alternative, "result": v.result, "for": v.votes_for,
        "against": v.votes_against, "parties_for": v.parties_for, "parties_against": v.parties_against,
        "counts_for": v.counts_for, "counts_against": v.counts_against, "unanimous": v.unanimous,
        "parsed": v.parsed, "warning": v.warning, "text": v.text, "page": v.page,
    }


def votes_cell(votes: list[dict[str, Any]]) -> str:
    """The votes of a vedtak in one cell: each statement as printed, in order."""
    return CELL_SEPARATOR.join(v["text"] or "" for v in votes)


def proposals_cell(proposals: list[dict[str, Any]]) -> str:
    """The proposals of a vedtak in one cell: "by: text", in order."""
    return CELL_SEPARATOR.join(f"{p['by']}: {p['text']}" for p in proposals)


def warnings_cell(votes: list[dict[str, Any]]) -> str:
    """The votes the parser kept but found doubtful, by their number in the votes cell, with the
    warning's code ("2: count_mismatch"): data, the same in every language."""
    return CELL_SEPARATOR.join(f"{i}: {v['warning']}" for i, v in enumerate(votes, 1) if v.get("warning"))


def vedtak_row(record: dict[str, Any]) -> dict[str, Any]:
    """A vedtak record as a CSV or spreadsheet row (VEDTAK_COLUMNS)."""
    return record | {"proposals": proposals_cell(record["proposals"]), "votes": votes_cell(record["votes"]),
                     "warnings": warnings_cell(record["votes"])}


# --- for people -------------------------------------------------------------------------------------


def heading(record: dict[str, Any], gettext: Gettext, where: bool = True) -> list[str]:
    """What names a vedtak, in order, each part once: date and committee (unless `where` is
    False: a page shows them apart), case (or section), title, the point's number. A text
    decision's title is its section ("Tekstvedtak"), so a part said before is left out."""
    parts = [record["date"] or (str(record["year"]) if record["year"] else None),
             committee_name(record["committee"])] if where else []
    parts += [record["case"] or record["section"], record["title"]]
    if record["kind"] == "tekstvedtak" and record["number"] is not None:
        parts.append(gettext("point {n}").format(n=record["number"]))
    out: list[str] = []
    for part in parts:
        part = safe(part).strip()
        if part and not any(part.casefold() == seen.casefold() for seen in out):
            out.append(part)
    return out


def pages_label(record: dict[str, Any], gettext: Gettext) -> str:
    """"s. 3" or "s. 3–4": where the vedtak stands in its document."""
    first, last = record["pages"]
    if last and last != first:
        return gettext("pp. {pages}").format(pages=f"{first}–{last}")
    return gettext("p. {page}").format(page=first)


TALLY_BOTH = N_("{for_} votes to {against}")


def tally(vote: dict[str, Any], gettext: Gettext, ngettext: Ngettext) -> str:
    """A vote's numbers as a sentence part: both ("36 mot 15 stemmer"), or the one printed with
    what the protocol left out ("5 stemmer for (stemmer mot ikke oppgitt)"); "" when neither."""
    yes, no = vote["for"], vote["against"]
    if yes is not None and no is not None:
        return gettext(TALLY_BOTH).format(for_=yes, against=no)
    if yes is not None:
        return ngettext("{n} vote in favour (votes against not stated)",
                        "{n} votes in favour (votes against not stated)", yes).format(n=yes)
    if no is not None:
        return ngettext("{n} vote against (votes in favour not stated)",
                        "{n} votes against (votes in favour not stated)", no).format(n=no)
    return ""


WARNINGS = {"count_mismatch": N_("the number of votes does not match the parties listed")}


def warning_text(code: str | None, gettext: Gettext) -> str:
    """A vote's warning in words ("" for none; a code nobody named yet as it is)."""
    if not code:
        return ""
    return gettext(WARNINGS[code]) if code in WARNINGS else safe(code)


def sides(vote: dict[str, Any]) -> tuple[str, str]:
    """The parties for and against as the protocol names them, counts first ("8Ap, 4MDG, SV")."""
    def side(names: list[str], counts: dict[str, int]) -> str:
        return ", ".join(safe(f"{counts[n]}{n}" if n in counts else n) for n in names)

    return side(vote["parties_for"], vote["counts_for"]), side(vote["parties_against"], vote["counts_against"])
