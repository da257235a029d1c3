"""Plain records passed between the stages."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

# Field names of a document version's classification, in display order.
META_FIELDS = ("title", "year", "period", "committee", "doctype", "date")
# Where a version comes from: the municipality (name, number) and the source that found it.
ORIGIN_FIELDS = ("kommune", "kommunenummer", "source")

STATUSES = ("pending", "ok", "no_text", "failed")


@dataclass
class Version:
    """One document version: its bytes (by sha256) and what we know about it."""

    sha256: str
    doc_id: str
    url: str
    size: int
    media_type: str  # pdf | docx | doc | other
    content_type: str | None = None
    title: str | None = None
    year: int | None = None
    period: str | None = None
    committee: str | None = None
    doctype: str | None = None
    date: str | None = None
    provenance: dict[str, str] = field(default_factory=dict)
    first_seen: str = ""
    last_seen: str = ""
    superseded_by: str | None = None
    status: str = "pending"
    error: str | None = None
    pages: int | None = None
    ocr_pages: int = 0
    extracted_at: str | None = None
    kommune: str | None = None  # "Nordre Follo"
    kommunenummer: str | None = None  # "3207"
    source: str | None = None  # "nordrefollo"

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class Link:
    """A link to a document as it stood on a page: the context the crawler classifies from."""

    url: str
    source_page: str
    text: str = ""
    context: dict[str, Any] = field(default_factory=dict)
    snapshot: str | None = None  # Wayback timestamp when the link came from an archived page


@dataclass
class PageText:
    """One page of extracted text, 1-based as PDF viewers number pages."""

    page: int
    text: str
    ocr: bool = False


@dataclass
class Table:
    """One table found on a page: a header row and body rows of cell strings as printed.

    `values` has one number (or None) per cell of `rows`: the amount the cell prints.
    `unit` is the unit phrase as printed ("Tall i mill. kroner"); `bbox` is
    [x0, top, x1, bottom] in PDF points from the page's top left.
    """

    page: int
    index: int
    header: list[str]
    rows: list[list[str]]
    caption: str | None = None
    unit: str | None = None
    bbox: list[float] | None = None
    values: list[list[float | None]] = field(default_factory=list)


@dataclass
class Filters:
    """The filters every listing and search takes; all optional.

    `committee` and `doctype` take one slug or a tuple of slugs (any of them), `kommune` one
    kommunenummer or a tuple of them. A date range leaves out documents without a date unless
    `undated` is set.
    """

    year_from: int | None = None
    year_to: int | None = None
    committee: str | tuple[str, ...] | None = None
    doctype: str | tuple[str, ...] | None = None
    kommune: str | tuple[str, ...] | None = None
    date_from: str | None = None
    date_to: str | None = None
    all_versions: bool = False
    status: str | None = None
    undated: bool = False
    tables: bool = False  # only pages with a table (search)

    def values(self, name: str) -> tuple[str, ...]:
        """The values of a filter that takes several (committee, doctype, kommune)."""
        value = getattr(self, name)
        if not value:
            return ()
        return (value,) if isinstance(value, str) else tuple(value)


@dataclass
class Vote:
    """One vote statement of a protocol. `parsed` False: kept as printed, nothing guessed
    (every other field then empty); `warning` set: parsed, but doubtful as printed. Party
    lists are abbreviations as the source prints them; counts only where the protocol names
    them ("2Ap" -> {"Ap": 2})."""

    text: str
    parsed: bool = True
    motion: str | None = None  # what was voted on, as printed ("Forslaget fra Ap", "innstillingen")
    alternative: str | None = None  # in an alternative vote: the motion it was voted against
    result: str | None = None  # vedtatt | falt
    votes_for: int | None = None
    votes_against: int | None = None
    parties_for: list[str] = field(default_factory=list)
    parties_against: list[str] = field(default_factory=list)
    counts_for: dict[str, int] = field(default_factory=dict)
    counts_against: dict[str, int] = field(default_factory=dict)
    unanimous: bool = False
    motion_parties: list[str] = field(default_factory=list)  # who proposed the motion, if it says
    alternative_parties: list[str] = field(default_factory=list)
    page: int | None = None
    # what is doubtful in a parsed vote, kept as printed all the same: "count_mismatch" (the
    # count disagrees with the parties printed with it); None when nothing is
    warning: str | None = None


@dataclass
class Proposal:
    """A proposal made in the meeting: who made it, as printed, and its text."""

    by: str
    text: str
    parties: list[str] = field(default_factory=list)
    page: int | None = None


@dataclass
class Vedtak:
    """An agenda item of a protocol (kind "sak") or one numbered text decision of an adopted
    budget (kind "tekstvedtak"), with the pages it stands on. `decision` is what was
    decided, as printed under its label ("Kommunestyrets vedtak:"); `recommendation`
    what was recommended."""

    kind: str  # sak | tekstvedtak
    seq: int  # its order in the document
    page_from: int
    page_to: int
    case: str | None = None  # "152/20"
    archive_case: str | None = None  # "20/18211"
    title: str | None = None
    section: str | None = None  # tekstvedtak: "Tekstvedtak", "Særskilte vedtak"
    number: int | None = None  # tekstvedtak: the point's number
    recommendation: str | None = None
    recommendation_label: str | None = None  # "Kommunedirektørens forslag til vedtak"
    decision: str | None = None
    decision_label: str | None = None  # "Kommunestyrets vedtak"
    proposals: list[Proposal] = field(default_factory=list)
    votes: list[Vote] = field(default_factory=list)
