"""Sources are data: start pages, allowed hosts, scope rules and vocabularies in a TOML file.

Standard library only, so the CLI can resolve `--committee HBU` without loading Scrapy.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from sources.vocabulary import Abbreviation, Committee, Doctype, Party, Vocabulary, name_key

DEFAULT_SOURCE = "baerum"


@dataclass(frozen=True)
class Source:
    name: str
    title: str
    start_urls: tuple[str, ...]
    allowed_hosts: tuple[str, ...]
    wayback: str | None
    follow: tuple[re.Pattern[str], ...]
    deny: tuple[re.Pattern[str], ...]
    documents: tuple[re.Pattern[str], ...]
    meeting_page: re.Pattern[str]
    meeting_document: re.Pattern[str]
    budget_item: tuple[re.Pattern[str], ...]
    vocabulary: Vocabulary
    # The portal's meeting plan of one committee, "{id}" = its portal id; relative to the
    # folder of a meeting page. Empty: do not look for meetings beyond those linked.
    meeting_plan: str = ""
    max_depth: int = 4
    max_file_mb: int = 200


def _patterns(items: list[str]) -> tuple[re.Pattern[str], ...]:
    return tuple(re.compile(p, re.IGNORECASE) for p in items)


def available_sources() -> list[str]:
    folder = resources.files("sources")
    return sorted(p.name.removesuffix(".toml") for p in folder.iterdir() if p.name.endswith(".toml"))


def load_source(name_or_path: str | Path = DEFAULT_SOURCE) -> Source:
    """Load a shipped source by name (`baerum`, `asker`) or any TOML file by path."""
    path = Path(name_or_path)
    if path.suffix == ".toml" and path.exists():
        text = path.read_text(encoding="utf-8")
    else:
        res = resources.files("sources") / f"{name_or_path}.toml"
        if not res.is_file():
            raise ValueError(f"unknown source {name_or_path!r}; shipped: {', '.join(available_sources())}")
        text = res.read_text(encoding="utf-8")
    data = tomllib.loads(text)
    scope = data.get("scope", {})
    portal = data.get("meeting_portal", {})
    vocab = Vocabulary(
        committees=tuple(
            Committee(
                slug=c["slug"],
                name=c["name"],
                abbr=c.get("abbr", ""),
                aliases=tuple(c.get("aliases", [])),
                portal_ids=tuple(c.get("portal_ids", [])),
                filter_only=tuple(c.get("filter_only", [])),
            )
            for c in data.get("committees", [])
        ),
        doctypes=tuple(
            Doctype(slug=d["slug"], name=d["name"], phrases=tuple(d.get("phrases", [])))
            for d in data.get("doctypes", [])
        ),
        parties=tuple(
            Party(abbr=p["abbr"], name=p["name"], aliases=tuple(p.get("aliases", [])))
            for p in data.get("parties", [])
        ),
        abbreviations=tuple(
            Abbreviation(abbr=a["abbr"], names=tuple(a["names"])) for a in data.get("abbreviations", [])
        ),
    )
    return Source(
        name=data["name"],
        title=data.get("title", data["name"]),
        start_urls=tuple(data["start_urls"]),
        allowed_hosts=tuple(data.get("allowed_hosts", [])),
        wayback=data.get("wayback"),
        follow=_patterns(scope.get("follow", [])),
        deny=_patterns(scope.get("deny", [])),
        documents=_patterns(scope.get("documents", [])),
        meeting_page=re.compile(portal.get("meeting", r"wfinnsyn\.ashx.*response=mote(&|$)"), re.IGNORECASE),
        meeting_document=re.compile(portal.get("document", r"wfdocument\.ashx"), re.IGNORECASE),
        budget_item=_patterns(portal.get("budget_item", [])),
        vocabulary=vocab,
        meeting_plan=portal.get("plan", ""),
        max_depth=int(scope.get("max_depth", 4)),
        max_file_mb=int(scope.get("max_file_mb", 200)),
    )


def shipped_vocabulary() -> Vocabulary:
    """Every shipped source's committees, types, parties and abbreviations (the default source's
    first), so filters and search accept the values of whichever municipality an archive holds."""
    names = [DEFAULT_SOURCE, *(n for n in available_sources() if n != DEFAULT_SOURCE)]
    committees: dict[str, Committee] = {}
    doctypes: dict[str, Doctype] = {}
    parties: dict[str, Party] = {}
    abbreviations: dict[str, Abbreviation] = {}
    for name in names:
        vocab = load_source(name).vocabulary
        for c in vocab.committees:
            committees.setdefault(c.slug, c)
        for d in vocab.doctypes:
            doctypes.setdefault(d.slug, d)
        for p in vocab.parties:
            parties.setdefault(name_key(p.abbr), p)
        for a in vocab.abbreviations:
            abbreviations.setdefault(name_key(a.abbr), a)
    return Vocabulary(
        committees=tuple(committees.values()),
        doctypes=tuple(doctypes.values()),
        parties=tuple(parties.values()),
        abbreviations=tuple(abbreviations.values()),
    )
