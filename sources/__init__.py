"""The ground floor: sources and their vocabulary, as data (`sources/*.toml`).

Standard library only. Every stage and front end may import it; it imports no other package
of hparkiv.

    from sources import load_source, shipped_vocabulary
    source = load_source("baerum")
    source.vocabulary.committee("HBU").slug   # "barn-og-unge"
"""

from sources.loading import DEFAULT_SOURCE, Source, available_sources, load_source, shipped_vocabulary
from sources.vocabulary import Abbreviation, Committee, Doctype, Party, Vocabulary, name_key

__all__ = [
    "DEFAULT_SOURCE",
    "Abbreviation",
    "Committee",
    "Doctype",
    "Party",
    "Source",
    "Vocabulary",
    "available_sources",
    "load_source",
    "name_key",
    "shipped_vocabulary",
]
