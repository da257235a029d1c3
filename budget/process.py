"""One budget process as the municipality's page tells it: seven steps, each with its documents.

Bærum's handlingsprogram page describes the process from the proposal to the adopted plan;
the archive's documents of one plan period are placed on that timeline by their type,
committee and date:

1. forslag: kommunedirektørens (rådmannens) proposal;
2. sporsmal: the parties' questions and the answers, and the administration's notater;
3. innspill: public input before formannskapets innstilling;
4. hovedutvalg: the committees' (and councils') treatment: their protocols and case documents;
5. innstilling: formannskapets innstilling, its case document and protocol;
6. hoering: the public hearing: the innstilling laid out for inspection, and input after it;
7. vedtak: kommunestyrets vedtak, its case document and protocol.

A step with no document in the archive says so. Documents of other types (a summons, a
report) are listed apart, never placed on a step they do not belong to.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import catalog
from budget.endringer import StageDoc, parse_period, scope, stage_documents
from catalog.models import Version

STEPS = ("forslag", "sporsmal", "innspill", "hovedutvalg", "innstilling", "hoering", "vedtak")
TOP = ("formannskapet", "kommunestyret")


@dataclass
class Step:
    step: str
    documents: list[Version] = field(default_factory=list)

    @property
    def dates(self) -> list[str]:
        return sorted({v.date for v in self.documents if v.date})


@dataclass
class Process:
    period: str
    steps: list[Step]
    stage_docs: list[StageDoc]
    others: list[Version] = field(default_factory=list)

    def missing(self) -> list[str]:
        return [s.step for s in self.steps if not s.documents]


def process(conn: catalog.Connection, period_text: str, kommune: str | tuple[str, ...] | None = None) -> Process:
    """The seven steps of plan period `period_text` ("2021-2024" or "2021") with their documents,
    in one municipality (`budget.endringer.scope`)."""
    period = parse_period(period_text)
    within = scope(conn, period, kommune)
    versions = [v for v in catalog.list_versions(conn, within) if v.period == period]
    stage_docs = stage_documents(conn, period, within=within)
    plan_ids = {d.doc_id for d in stage_docs}
    innstilling_dates = sorted(v.date for v in versions if v.doc_id in plan_ids and v.doctype == "innstilling"
                               and v.date)
    hearing_from = innstilling_dates[0] if innstilling_dates else None
    steps = {s: Step(s) for s in STEPS}
    others = []
    for v in versions:
        placed = _steps_of(v, hearing_from, plan_ids)
        for s in placed:
            steps[s].documents.append(v)
        if not placed:
            others.append(v)
    for s in steps.values():
        s.documents.sort(key=lambda v: (v.date or "9999", v.title or "", v.doc_id))
    return Process(period, [steps[s] for s in STEPS], stage_docs, others)


def _steps_of(v: Version, hearing_from: str | None, plan_ids: set[str]) -> list[str]:
    t, committee = v.doctype, v.committee
    if t == "forslag":
        return ["forslag"]
    if t in ("sporsmal", "notat"):
        return ["sporsmal"]
    if t == "innspill":
        after = hearing_from is not None and v.date is not None and v.date > hearing_from
        return ["hoering" if after else "innspill"]
    if t == "innstilling":
        return ["innstilling", "hoering"] if v.doc_id in plan_ids else ["innstilling"]
    if t == "vedtak":
        return ["vedtak"]
    if t in ("protokoll", "saksframlegg"):
        if committee == "formannskapet":
            return ["innstilling"]
        if committee == "kommunestyret":
            return ["vedtak"]
        return ["hovedutvalg"] if committee else []
    return []
