"""The words search takes as one another's alternatives: abbreviations and names (the source
TOML's committees and `[[abbreviations]]`), Nynorsk and bokmål (index/nynorsk.tsv) and the
domain's synonyms (index/thesaurus.toml).

Each is data, read once per process when a query first needs it (a plain search pays a few
milliseconds, `hparkiv search` no import). Words are compared by their Norwegian stems, so
every inflection of a listed word counts ("sjukeheimane" is "sjukeheim"); a multi-word name
by the stems of its words ("hovedutvalget for bistand og omsorg" is "Hovedutvalg for bistand
og omsorg"). index/expansions.py turns what these functions return into alternatives of the query
tree, ranked below the form typed.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources

from index.analysis import STOPWORDS, WORD_RE, stem

ABBREVIATION = "abbreviation"
NYNORSK = "nynorsk"
SYNONYM = "synonym"
PARTY = "party"

MIN_PART = 4  # the shortest word a compound's head or tail may be translated as (Nynorsk)
MIN_HEAD = 3  # "mot" + "framlegg"
MIN_TAIL = 5


@dataclass(frozen=True)
class Alias:
    """One group of names for the same thing (an abbreviation with its names, a synonym group)."""

    kind: str
    names: tuple[tuple[str, ...], ...]  # each name as its lowercase words, the short form first for abbreviations
    short: str = ""  # the abbreviation, as printed ("HBO")
    committee: str = ""  # the committee's slug, when the group names one


def words_of(text: str) -> tuple[str, ...]:
    return tuple(w.lower() for w in WORD_RE.findall(text))


def key_of(words: tuple[str, ...]) -> tuple[str, ...]:
    """How a name is compared: its words' stems (stop words as they are)."""
    return tuple(w if w in STOPWORDS else stem(w) for w in words)


@dataclass
class Names:
    """Every alias group, by the key of each of its names."""

    by_key: dict[tuple[str, ...], list[Alias]]
    longest: int  # words in the longest name
    heads: dict[str, list[Alias]]  # one-word names by their lowercase form, for compound heads

    def groups(self, words: tuple[str, ...]) -> list[Alias]:
        return self.by_key.get(key_of(words), [])


@cache
def names() -> Names:
    """The abbreviations and names of every shipped source, and the synonym groups."""
    from index.filters import vocabulary

    vocab = vocabulary()
    groups: list[Alias] = []
    for c in vocab.committees:
        spelled = tuple(dict.fromkeys(words_of(n) for n in c.text_names()))
        if c.abbr:
            groups.append(Alias(ABBREVIATION, (words_of(c.abbr), *spelled), c.abbr, c.slug))
        elif len(spelled) > 1:
            groups.append(Alias(ABBREVIATION, spelled, "", c.slug))
    for a in vocab.abbreviations:
        groups.append(Alias(ABBREVIATION, (words_of(a.abbr), *(words_of(n) for n in a.names)), a.abbr))
    for words in thesaurus():
        groups.append(Alias(SYNONYM, tuple(words_of(w) for w in words)))
    for p in vocab.parties:  # a party's name typed as words ("Miljøpartiet De Grønne"): index/expansions.py
        groups.append(Alias(PARTY, tuple(dict.fromkeys(words_of(n) for n in (p.abbr, *p.names()))), p.abbr))
    by_key: dict[tuple[str, ...], list[Alias]] = {}
    heads: dict[str, list[Alias]] = {}
    for g in groups:
        for n in g.names:
            if n:
                by_key.setdefault(key_of(n), []).append(g)
                if len(n) == 1 and len(n[0]) >= MIN_PART and n != words_of(g.short) and g.kind != PARTY:
                    heads.setdefault(n[0], []).append(g)
    return Names(by_key, max((len(k) for k in by_key), default=1), heads)


def thesaurus() -> list[tuple[str, ...]]:
    import tomllib  # read once, when a query first needs the names

    text = resources.files("index").joinpath("thesaurus.toml").read_text(encoding="utf-8")
    return [tuple(g["words"]) for g in tomllib.loads(text).get("synonyms", [])]


def is_short_form(typed: str, group: Alias) -> bool:
    """Whether `typed` is the group's abbreviation as a reader would type it: in capitals, or in
    any case when its lower case is no common word ("er" is not Eldrerådet's "ER")."""
    if not group.short or typed.lower() != group.short.lower():
        return False
    return typed.isupper() or typed == group.short or typed.lower() not in STOPWORDS


# --- Nynorsk and bokmål ---------------------------------------------------------------------


@dataclass
class Pairs:
    """Nynorsk and bokmål counterparts, each way, by stem and by the word as listed."""

    by_stem: dict[str, set[str]]
    by_word: dict[str, set[str]]


@cache
def nynorsk() -> Pairs:
    text = resources.files("index").joinpath("nynorsk.tsv").read_text(encoding="utf-8")
    by_stem: dict[str, set[str]] = {}
    by_word: dict[str, set[str]] = {}
    for line in text.splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        nn, nb = (w.strip().lower() for w in line.split("\t"))
        for a, b in ((nn, nb), (nb, nn)):
            if stem(a) != stem(b):
                by_stem.setdefault(stem(a), set()).add(b)
                by_word.setdefault(a, set()).add(b)
    return Pairs(by_stem, by_word)


@lru_cache(maxsize=20_000)
def counterparts(word: str) -> tuple[str, ...]:
    return tuple(_counterparts(word))


def heads(word: str) -> list[tuple[str, list[Alias]]]:
    """The one-word names a word starts with, leaving a word of MIN_PART letters or more after them."""
    return [(h, gs) for h, gs in names().heads.items() if word.startswith(h) and len(word) - len(h) >= MIN_PART]


def _counterparts(word: str) -> list[str]:
    """The word in the other written standard: "sjukeheimane" -> ["sykehjem"], "sykehjemsplasser"
    -> ["sjukeheimsplasser"] (a compound's head or tail translated), [] when none is known."""
    pairs = nynorsk()
    s = stem(word)
    # Snowball takes one ending off: "innbyggjarane" is "innbyggjar", whose own stem is "innbyggj"
    direct = pairs.by_stem.get(s) or (pairs.by_stem.get(stem(s)) if len(s) > MIN_PART else None)
    if direct:
        return sorted(direct)
    if len(word) < MIN_HEAD + MIN_PART or not word.isalpha():
        return []
    # the longest head that is a listed word; the rest (a linking s or e, then a word) follows it
    for i in range(len(word) - MIN_PART, MIN_HEAD - 1, -1):
        other = pairs.by_word.get(word[:i])
        if other:
            rest = word[i:]
            linker = rest[0] if rest[0] in "se" and len(rest) > MIN_PART else ""
            tails = list(counterparts(rest[len(linker):])) or [rest[len(linker):]]
            return sorted({o + linker + t for o in other for t in tails})
    # a listed word at the end: "omsorgsbustadene" -> "omsorgsbolig" (5 letters or more: a shorter
    # tail's stem is too often another word's, "eier" in "lokalveier")
    for i in range(MIN_PART, len(word) - MIN_TAIL + 1):
        other = pairs.by_stem.get(stem(word[i:]))
        if other:
            return sorted({word[:i] + o for o in other})
    return []
