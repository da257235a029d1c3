"""The machine-readable answer key of a sample build (``truth.json``).

Tests of the crawler, extractor, index and CLI compare their output with this,
so every field here states what a correct pipeline must produce.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

GENERATOR_VERSION = 7  # bump whenever the generated site changes: cached builds are keyed on it
HOSTS = {"main": "127.0.0.1", "portal": "127.0.0.2", "wayback": "127.0.0.3"}


@dataclass
class TruthDoc:
    """One document the crawler should find, with its correct classification."""

    key: str
    host: str  # main | portal | wayback
    path: str  # path+query exactly as linked
    title: str
    year: int | None
    period: str | None
    committee: str | None
    doctype: str
    date: str | None
    status: str = "ok"  # ok | no_text | failed
    error_contains: str | None = None
    pages: int | None = None
    only_in_wayback: bool = False
    planted: list[dict] = field(default_factory=list)
    tables: list[dict] = field(default_factory=list)
    series: list[dict] = field(default_factory=list)  # planted cells of the budget line `series` must return
    media_type: str = "pdf"  # pdf | docx | other
    content_type: str = "application/pdf"
    link_text: str = ""
    source_page: str = ""  # path of the page that links it
    pdf_title: str | None = None  # the PDF /Title as written (may be misleading) or None
    final_path: str | None = None  # where a redirect ends
    fail_first: int = 0  # number of 500 answers before the 200
    wayback_timestamp: str | None = None
    ocr: bool = False  # text only recoverable by OCR
    # Decisions the document carries (agenda items of protocols, text decisions of an adopted
    # budget), as sample.protocols wrote them: the answer key of the decision parser.
    decisions: list[dict] = field(default_factory=list)
    # --- the budget model (issue 17; sample/stages.py)
    # forslag | innstilling | vedtak for the plan documents of a stage, else None
    stage: str | None = None
    # an adopted plan's parts: [{"part": "blå", "pages": [1, 10], "stage": "vedtak"},
    #  {"part": "hvit", "pages": [11, 156], "stage": "forslag"}] (the white part reprints the proposal)
    parts: list[dict] = field(default_factory=list)
    # every budget table printed: page, family, caption, unit, stage (whose figures), part, rank
    # (plan | quoted), quotes_stage, period, header, columns [{header, year, kind}], rows [{printed,
    # label, cells, values (in the table's unit), values_kr}], notes
    budget_tables: list[dict] = field(default_factory=list)
    # an innstilling's recommended text decisions ({section, number, decision}); not decisions
    proposed_decisions: list[dict] = field(default_factory=list)
    # --- what a journalist tripped over (issue 20)
    # a protocol's lines after its last decision: {"text", "page", "after_case"}; None: nothing follows
    closing: dict | None = None
    # tables in hard layouts (beside text, side by side, in a box, wrapped labels, continued after a
    # sub-sum): page, arrangement, side, caption, unit, header, rows (labels whole), values
    layout_tables: list[dict] = field(default_factory=list)
    # where the document's date can be read: [{"source": "link" | "link_context" | "first_page" |
    # "meeting" | "title", "text": as printed, "page": 1}]; empty when nothing states it (date None), or
    # [{"source": "first_page", "text": "Dato: 31.11.2020", "unreadable": True}] when it cannot be read
    date_evidence: list[dict] = field(default_factory=list)
    # The municipality and the platform that published it (sample.municipalities; None in the
    # one-municipality builds): kommune "Asker", kommunenummer "3203" (a string: "0301"),
    # source = the source file's name ("asker"), platform = acos | cms | opengov | einnsyn | framsikt.
    kommune: str | None = None
    kommunenummer: str | None = None
    source: str | None = None
    platform: str | None = None


@dataclass
class Truth:
    """Everything a sample build promises."""

    generator_version: int
    variant: int
    hosts: dict[str, str]
    landing_path: str
    archive_path: str
    html_pages: list[str]
    portal_meetings: list[dict]
    wayback_pages: list[dict]
    documents: list[TruthDoc]
    fetch_failures: list[dict]
    never_request: list[dict]
    skipped: list[dict]
    optional: list[dict]
    planted_words: list[dict]
    robots_disallow: list[str]
    # per plan period: stage documents, every budget line's value per stage and plan year, what
    # changed, text decisions added/dropped/changed, votes naming lines, precedence and conflicts
    # (sample/stages.py documents the design)
    budget_processes: list[dict] = field(default_factory=list)
    # text planted for search (issue 18): {"key", "page", "text", "kind", "terms"}; the judged
    # queries over them are bench/relevance_judgments.toml (sample/judgments.py)
    search_plants: list[dict] = field(default_factory=list)

    def doc(self, key: str) -> TruthDoc:
        """Look a document up by key (KeyError if absent)."""
        for d in self.documents:
            if d.key == key:
                return d
        raise KeyError(key)

    def to_json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False, indent=1)


def truth_from_dict(data: dict[str, Any]) -> Truth:
    docs = [TruthDoc(**d) for d in data["documents"]]
    return Truth(**{**data, "documents": docs})


# The bulky parts of the answer key: what the readers must find, not where documents are.
ANSWER_FIELDS = ("budget_processes", "search_plants")
DOC_ANSWER_FIELDS = ("planted", "tables", "series", "decisions", "budget_tables", "proposed_decisions",
                     "layout_tables", "date_evidence")


def load_truth(dest: Path, *, answers: bool = True) -> Truth:
    """Read ``dest/truth.json`` written by ``sample.build``.

    answers=False leaves out the answer key's bulky parts (ANSWER_FIELDS, DOC_ANSWER_FIELDS): what a
    server needs to know where documents are, at a tenth of the memory."""
    data = json.loads((Path(dest) / "truth.json").read_text(encoding="utf-8"))
    if not answers:
        for name in ANSWER_FIELDS:
            data.pop(name, None)
        for doc in data["documents"]:
            for name in DOC_ANSWER_FIELDS:
                doc.pop(name, None)
    return truth_from_dict(data)


def document_file(dest: Path, doc: TruthDoc) -> Path:
    """The stored bytes of a truth document (after redirects; the Wayback copy for gone ones).

    Lets tests read a document without a server and without knowing the build layout.
    """
    dest = Path(dest)
    if doc.only_in_wayback:
        snapshots = json.loads((dest / "snapshots.json").read_text(encoding="utf-8"))
        snap = next(s for s in snapshots if s["original"] == doc.path and s["timestamp"] == doc.wayback_timestamp)
        return dest / snap["file"]
    from sample.site import canonical  # local import: site imports this module

    wanted = (doc.host, canonical(doc.final_path or doc.path))
    routes = json.loads((dest / "routes.json").read_text(encoding="utf-8"))
    return dest / next(r["file"] for r in routes if (r["host"], r["key"]) == wanted and "file" in r)
