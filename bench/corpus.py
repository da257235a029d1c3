"""The benchmarks' corpus: N generated Norwegian budget pages, the same for a given seed.

Used by bench/search.py (Whoosh against SQLite FTS5, through the catalog) and
bench/engine.py (the OpenSearch cluster). About 300 words a page: Zipf-distributed
vocabulary (budget words first, then a long tail of made-up compounds of Norwegian
syllables), stop words, and amounts written with spaces. Bump CORPUS_VERSION when the
output changes: cached corpora and indexes are keyed by it.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import accumulate

SEED = 2024
CORPUS_VERSION = 1  # bump when the generated corpus changes
PAGES_PER_DOC = 100
YEARS = list(range(2016, 2026))
COMMITTEES = ["kommunestyret", "formannskapet", "barn-og-unge", "bistand-og-omsorg",
              "miljo-idrett-og-kultur", "eldreradet", "funksjonsnedsettelse", "ungdomsradet",
              "samarbeid", "planutvalget", "kontrollutvalget"]
DOCTYPES = ["forslag", "innstilling", "vedtak", "protokoll", "saksframlegg", "sporsmal", "innspill", "notat"]

# Frequent budget vocabulary, most common first; a long tail of generated words follows.
COMMON = """kommunen budsjett budsjettet tiltak drift økning tjenester handlingsprogrammet kroner
kommunedirektøren forslag vedtak sektor skole barnehage sykehjem helse omsorg eldre barn unge
investering investeringer økonomi økonomiplan ramme rammen innsparing kostnader utgifter inntekter
skatt eiendomsskatt gebyrer vann avløp renovasjon bolig boliger kultur idrett bibliotek
sykehjemsplasser barnehageplasser grunnskoleopplæring hjemmetjenester helsestasjon barnevern
formannskapet kommunestyret utvalg protokoll votering enstemmig flertall mindretall partiene
høyre arbeiderpartiet venstre miljøpartiet kristelig demokratisk fremskrittspartiet sosialistisk
befolkningsvekst demografi prognose vekst reduksjon effektivisering digitalisering klima
klimabudsjett utslipp energi vedlikehold rehabilitering skolebygg idrettshall svømmehall
tilskudd frivillighet lag foreninger ansatte årsverk lønn pensjon lånegjeld renter avdrag
fond disposisjonsfond driftsresultat netto brutto mill kroner prosent andel""".split()

FILLER = "og i på til for av med som det er en et skal ble har vil kan fra om".split()

SYLLABLES = ["bar", "ne", "ha", "ge", "sko", "le", "sy", "ke", "hjem", "plass", "tje", "nes", "te",
             "om", "sorg", "bud", "sjett", "fond", "lån", "vekst", "kul", "tur", "vei", "bro",
             "park", "gård", "dal", "sen", "ter", "ning", "heim", "vik", "strand", "berg", "li"]


def vocabulary(rng: random.Random, size: int = 40_000) -> list[str]:
    words = list(COMMON)
    seen = set(words)
    while len(words) < size:
        w = "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4)))
        if w not in seen:
            seen.add(w)
            words.append(w)
    return words


def make_page(rng: random.Random, vocab: list[str], weights: list[float]) -> str:
    """About 300 words of budget prose: Zipf-distributed vocabulary, stop words, amounts."""
    sentences = []
    n_words = 0
    while n_words < rng.randint(250, 350):
        k = rng.randint(8, 20)
        content = rng.choices(vocab, cum_weights=weights, k=k)
        words = []
        for w in content:
            words.append(w)
            if rng.random() < 0.45:
                words.append(rng.choice(FILLER))
        if rng.random() < 0.15:
            words += ["Tall", "i", "mill.", "kroner:", f"{rng.randint(1, 999)} {rng.randint(0, 999):03d}"]
        sentences.append(" ".join(words).capitalize() + ".")
        n_words += len(words)
    return " ".join(sentences)


@dataclass
class Document:
    """One generated document: its number, catalog metadata and page texts (page 1 first)."""

    number: int
    meta: dict
    texts: list[str]


class Corpus:
    """`n_pages` pages in documents of PAGES_PER_DOC pages, generated as they are iterated."""

    def __init__(self, n_pages: int, seed: int = SEED):
        self.n_pages = n_pages
        self.rng = random.Random(seed)
        self.vocab = vocabulary(self.rng)
        # Cumulative weights once: `choices(weights=...)` would re-add 40,000 weights per sentence.
        self.weights = list(accumulate(1.0 / (r + 1) ** 1.05 for r in range(len(self.vocab))))

    @property
    def n_docs(self) -> int:
        return (self.n_pages + PAGES_PER_DOC - 1) // PAGES_PER_DOC

    def __iter__(self) -> Iterator[Document]:
        for d in range(self.n_docs):
            count = min(PAGES_PER_DOC, self.n_pages - d * PAGES_PER_DOC)
            texts = [make_page(self.rng, self.vocab, self.weights) for _ in range(count)]
            year = YEARS[d % len(YEARS)]
            meta = {"title": f"Dokument {d}", "year": year, "period": None,
                    "committee": COMMITTEES[d % len(COMMITTEES)],
                    "doctype": DOCTYPES[(d // len(YEARS)) % len(DOCTYPES)],
                    "date": f"{year - 1}-{1 + d % 12:02d}-15"}
            yield Document(d, meta, texts)

    def rare_word(self, texts: list[str]) -> str:
        """A tail word that occurs exactly once in `texts` (the first document's pages)."""
        seen = Counter(w for t in texts for w in t.lower().split())
        return next(w for w in reversed(self.vocab) if seen.get(w) == 1)
