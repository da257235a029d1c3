"""Decisions from protocols and adopted budgets (extract/vedtak.py): every vote form on its
own, and the whole parser against the sample archive's truth (precision and recall)."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from catalog.models import Decision

VOTE_FIELDS = ("text", "parsed", "motion", "alternative", "result", "for", "against", "parties_for",
               "parties_against", "counts_for", "counts_against", "unanimous")


def _vote_view(v: dict[str, Any]) -> dict[str, Any]:
    v = dict(v)
    if "votes_for" in v:
        v["for"], v["against"] = v.pop("votes_for"), v.pop("votes_against")
    return {k: v.get(k) for k in VOTE_FIELDS}


def _view(d: dict[str, Any]) -> dict[str, Any]:
    """The fields a truth decision promises, from either a truth dict or a parsed Decision."""
    if d["kind"] == "tekstvedtak":
        page = d.get("page") or d.get("page_from")
        return {"kind": d["kind"], "section": d["section"], "number": d["number"], "decision": d["decision"],
                "page": page}
    pages = d.get("pages") or [d.get("page_from"), d.get("page_to")]
    return {
        "kind": d["kind"], "case": d["case"], "archive_case": d["archive_case"], "title": d["title"],
        "recommendation": d["recommendation"], "recommendation_label": d["recommendation_label"],
        "decision": d["decision"], "decision_label": d["decision_label"], "pages": list(pages),
        "proposals": [{k: p[k] for k in ("by", "parties", "text")} for p in d["proposals"]],
        "votes": [_vote_view(v) for v in d["votes"]],
    }


def compare(truth: list[dict], got: list[Decision]) -> tuple[int, int, int, list[str]]:
    """(correct, extracted, expected, differences): a decision is correct when every field
    the truth states matches exactly."""
    want = [_view(t) for t in truth]
    have = [_view(asdict(g)) for g in got]
    correct, errors = 0, []
    unmatched = list(want)
    for h in have:
        if h in unmatched:
            unmatched.remove(h)
            correct += 1
            continue
        key = ("case", "section", "number")
        twin = next((w for w in unmatched if all(w.get(k) == h.get(k) for k in key)), None)
        if twin is None:
            errors.append(f"extra: {h}")
        else:
            diffs = {k: (twin[k], h[k]) for k in twin if twin[k] != h.get(k)}
            errors.append(f"wrong {h.get('case') or h.get('number')}: {diffs}")
    errors += [f"missing: {w}" for w in unmatched if not any(e.startswith("wrong") for e in errors)]
    return correct, len(have), len(want), errors
