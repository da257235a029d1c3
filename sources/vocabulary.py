"""The vocabulary of a municipality's documents: committees, parties and document types.

Ground floor: standard library only, imported by every stage and front end.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import cached_property


@dataclass(frozen=True)
class Committee:
    slug: str
    name: str
    abbr: str = ""
    aliases: tuple[str, ...] = ()
    portal_ids: tuple[int, ...] = ()  # its ids in a classic ACOS portal (older files' spelling)
    ids: tuple[tuple[str, str], ...] = ()  # (platform kind, the platform's id of it): ("einnsyn", "KST")
    # Aliases that name the committee in a filter (`--committee "barn og unge"`) but are too
    # common in running text for search to take them as its name ("tjenester for barn og unge").
    filter_only: tuple[str, ...] = ()

    def names(self) -> tuple[str, ...]:
        """Every spelling that identifies this committee, longest first."""
        all_names = {self.slug, self.name, *self.aliases}
        if self.abbr:
            all_names.add(self.abbr)
        return tuple(sorted(all_names, key=len, reverse=True))

    def text_names(self) -> tuple[str, ...]:
        """The names documents print for this committee in running text, its abbreviation left
        out: what search finds when the abbreviation is typed, and the reverse."""
        loose = {name_key(n) for n in self.filter_only}
        return tuple(n for n in (self.name, *self.aliases) if name_key(n) not in loose and n != self.abbr)

    def ids_on(self, kind: str) -> tuple[str, ...]:
        """How the platform `kind` names this committee (an ACOS utvalg id, an eInnsyn enhetskode,
        an OpenGov board id)."""
        own = tuple(i for k, i in self.ids if k == kind)
        legacy = tuple(str(i) for i in self.portal_ids) if kind == "acos" else ()
        return tuple(dict.fromkeys(legacy + own))


@dataclass(frozen=True)
class Party:
    """A political party: its abbreviation as the municipality prints it in protocols
    ("Ap", "Frp", "MDG"), its full name and other spellings ("FrP", "Arbeiderpartiets")."""

    abbr: str
    name: str
    aliases: tuple[str, ...] = ()

    def names(self) -> tuple[str, ...]:
        """Every spelling that identifies this party, longest first (then alphabetically, so the
        order, and every query built from it, is the same in every process)."""
        return tuple(sorted({self.abbr, self.name, *self.aliases}, key=lambda n: (-len(n), n)))


@dataclass(frozen=True)
class Abbreviation:
    """A short form the documents print for a name of the budget process: "HP" for
    handlingsprogram, "KD" for kommunedirektør. Search finds either from the other."""

    abbr: str
    names: tuple[str, ...]


@dataclass(frozen=True)
class Doctype:
    slug: str
    name: str
    phrases: tuple[str, ...] = ()


def name_key(text: str) -> str:
    """The key a name is matched by: lower case, æ -> ae, ø -> o, å -> a, other accents dropped
    ("Høyre" and "hoyre" meet). Not the index's Scandinavian folding (`index.analysis`)."""
    text = text.lower().replace("æ", "ae").replace("ø", "o").replace("å", "a")
    text = unicodedata.normalize("NFKD", text)
    return "".join(c for c in text if not unicodedata.combining(c))


@dataclass(frozen=True)
class Vocabulary:
    committees: tuple[Committee, ...]
    doctypes: tuple[Doctype, ...]
    parties: tuple[Party, ...] = ()
    abbreviations: tuple[Abbreviation, ...] = ()

    @cached_property
    def _committee_keys(self) -> dict[str, Committee]:
        keys: dict[str, Committee] = {}
        for c in self.committees:
            for n in c.names():
                keys.setdefault(name_key(n), c)
        return keys

    @cached_property
    def _party_keys(self) -> dict[str, Party]:
        keys: dict[str, Party] = {}
        for p in self.parties:
            for n in p.names():
                keys.setdefault(name_key(n), p)
        return keys

    def committee(self, text: str) -> Committee | None:
        """Resolve a user's --committee value: slug, abbreviation or name, case-insensitive."""
        return self._committee_keys.get(name_key(text.strip()))

    @cached_property
    def _doctype_keys(self) -> dict[str, Doctype]:
        keys: dict[str, Doctype] = {}
        for d in self.doctypes:
            keys.setdefault(name_key(d.slug), d)
            keys.setdefault(name_key(d.name), d)
        return keys

    def doctype(self, text: str) -> Doctype | None:
        return self._doctype_keys.get(name_key(text.strip()))

    def party(self, text: str) -> Party | None:
        """Resolve a party's abbreviation, name or alias, case-insensitive and with or without
        æøå ("frp", "Hoyre"); a genitive s is accepted ("Aps forslag", "Høyres")."""
        key = name_key(text.strip().strip(".,:;()"))
        if not key:
            return None
        keys = self._party_keys
        return keys.get(key) or keys.get(key.removesuffix("'s").removesuffix("s"))

    def party_abbrs(self) -> list[str]:
        return [p.abbr for p in self.parties]

    def committee_slugs(self) -> list[str]:
        return list(dict.fromkeys(c.slug for c in self.committees))

    def committee_by_id(self, kind: str, platform_id: str) -> Committee | None:
        """The committee a platform names by its own id (`ids = { einnsyn = ["KST"] }`)."""
        return next((c for c in self.committees if str(platform_id) in c.ids_on(kind)), None)

    def doctype_slugs(self) -> list[str]:
        return [d.slug for d in self.doctypes]


