"""The ground floor: sources, their municipality, platforms and vocabulary, as data
(`sources/*.toml`; the national document types and parties in `sources/national.toml`).

Standard library only. Every stage and front end may import it; it imports no other package
of hparkiv.

    from sources import load_source, shipped_vocabulary
    source = load_source("baerum")
    source.vocabulary.committee("HBU").slug   # "barn-og-unge"
    source.kommune.number                     # "3201"
    find_kommune("nordre-follo")               # (Kommune("Nordre Follo", "3207"), ["nordrefollo"])
"""

from sources.kommune import Kommune, kommune_key
from sources.loading import (
    DEFAULT_SOURCE,
    PLATFORM_KINDS,
    Platform,
    Source,
    available_sources,
    find_kommune,
    known_sources,
    load_source,
    national_vocabulary,
    shipped_vocabulary,
    source_files,
)
from sources.vocabulary import Abbreviation, Committee, Doctype, Party, Vocabulary, name_key

__all__ = [
    "DEFAULT_SOURCE",
    "Abbreviation",
    "PLATFORM_KINDS",
    "Committee",
    "Doctype",
    "Kommune",
    "Party",
    "Platform",
    "Source",
    "Vocabulary",
    "available_sources",
    "find_kommune",
    "known_sources",
    "kommune_key",
    "load_source",
    "name_key",
    "national_vocabulary",
    "shipped_vocabulary",
    "source_files",
]
