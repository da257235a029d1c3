"""Sources are data: start pages, allowed hosts, scope rules and vocabularies in a TOML file.

This module imports only the standard library, so the CLI can resolve `--committee HBU`
without loading Scrapy.
"""

from __future__ import annotations

import re
import tomllib
import unicodedata
from dataclasses import dataclass
from functools import cached_property
from importlib import resources
from pathlib import Path

DEFAULT_SOURCE = "baerum"


@dataclass(frozen=True)
class Committee:
    slug: str
    name: str
    abbr: str = ""
    aliases: tuple[str, ...] = ()
    portal_ids: tuple[int, ...] = ()

    def names(self) -> tuple[str, ...]:
        """Every spelling that identifies this committee, longest first."""
        all_names = {self.slug, self.name, *self.aliases}
        if self.abbr:
            all_names.add(self.abbr)
        return tuple(sorted(all_names, key=len, reverse=True))


@dataclass(frozen=True)
class Party:
    """A political party: its abbreviation as the municipality prints it in protocols
    ("Ap", "Frp", "MDG"), its full name and other spellings ("FrP", "Arbeiderpartiets")."""

    abbr: str
    name: str
    aliases: tuple[str, ...] = ()

    def names(self) -> tuple[str, ...]:
        """Every spelling that identifies this party, longest first."""
        return tuple(sorted({self.abbr, self.name, *self.aliases}, key=len, reverse=True))


@dataclass(frozen=True)
class Doctype:
    slug: str
    name: str
    phrases: tuple[str, ...] = ()


def fold(text: str) -> str:
    """Lower-case, strip accents except the Norwegian letters' identity (æ->ae, ø->o, å->a)."""
    text = text.lower().replace("æ", "ae").replace("ø", "o").replace("å", "a")
    text = unicodedata.normalize("NFKD", text)
    return "".join(c for c in text if not unicodedata.combining(c))


@dataclass(frozen=True)
class Vocabulary:
    committees: tuple[Committee, ...]
    doctypes: tuple[Doctype, ...]
    parties: tuple[Party, ...] = ()

    @cached_property
    def _committee_keys(self) -> dict[str, Committee]:
        keys: dict[str, Committee] = {}
        for c in self.committees:
            for n in c.names():
                keys.setdefault(fold(n), c)
        return keys

    @cached_property
    def _party_keys(self) -> dict[str, Party]:
        keys: dict[str, Party] = {}
        for p in self.parties:
            for n in p.names():
                keys.setdefault(fold(n), p)
        return keys

    def committee(self, text: str) -> Committee | None:
        """Resolve a user's --committee value: slug, abbreviation or name, case-insensitive."""
        return self._committee_keys.get(fold(text.strip()))

    def doctype(self, text: str) -> Doctype | None:
        key = fold(text.strip())
        for d in self.doctypes:
            if key in (fold(d.slug), fold(d.name)):
                return d
        return None

    def party(self, text: str) -> Party | None:
        """Resolve a party's abbreviation, name or alias, case-insensitive and with or without
        æøå ("frp", "Hoyre"); a genitive s is accepted ("Aps forslag", "Høyres")."""
        key = fold(text.strip().strip(".,:;()"))
        if not key:
            return None
        keys = self._party_keys
        return keys.get(key) or keys.get(key.removesuffix("'s").removesuffix("s"))

    def party_abbrs(self) -> list[str]:
        return [p.abbr for p in self.parties]

    def committee_slugs(self) -> list[str]:
        return [c.slug for c in self.committees]

    def doctype_slugs(self) -> list[str]:
        return [d.slug for d in self.doctypes]


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
    folder = resources.files("crawler") / "sources"
    return sorted(p.name.removesuffix(".toml") for p in folder.iterdir() if p.name.endswith(".toml"))


def load_source(name_or_path: str | Path = DEFAULT_SOURCE) -> Source:
    """Load a shipped source by name (`baerum`, `asker`) or any TOML file by path."""
    path = Path(name_or_path)
    if path.suffix == ".toml" and path.exists():
        text = path.read_text(encoding="utf-8")
    else:
        res = resources.files("crawler") / "sources" / f"{name_or_path}.toml"
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
    """Every shipped source's committees, types and parties (the default source's first), so
    filters accept the values of whichever municipality an archive holds."""
    names = [DEFAULT_SOURCE, *(n for n in available_sources() if n != DEFAULT_SOURCE)]
    committees: dict[str, Committee] = {}
    doctypes: dict[str, Doctype] = {}
    parties: dict[str, Party] = {}
    for name in names:
        vocab = load_source(name).vocabulary
        for c in vocab.committees:
            committees.setdefault(c.slug, c)
        for d in vocab.doctypes:
            doctypes.setdefault(d.slug, d)
        for p in vocab.parties:
            parties.setdefault(fold(p.abbr), p)
    return Vocabulary(
        committees=tuple(committees.values()),
        doctypes=tuple(doctypes.values()),
        parties=tuple(parties.values()),
    )
