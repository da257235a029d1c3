"""Synthetic Norwegian budget text: prose, tables, protocols, questions.

All text is generated from a seeded ``random.Random`` so a build is reproducible.
Blocks are plain tuples that ``sample.pdfs`` renders:
("h1", text), ("h2", text), ("p", text), ("lines", [line, ...]) and
("table", caption, header, rows).
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from sample import synth

Block = tuple

# Words that must appear only where they are planted (checked by the builder).
UNIQUE_WORDS = ("snøbrøytingsentreprenørene", "barnehageplassene", "barnehagene", "kulturhusparkeringen")

TOPICS = [
    "Carpe Diem demenslandsby",
    "Lindelia sykehjem",
    "Berger sykehjem",
    "Nadderud stadion",
    "Fornebubanen",
    "Haug skole",
    "svømmehallen på Rud",
    "Fornebu kirke",
    "Tårnet senter",
    "E18 gjennom Bærum",
]

SENTENCES = [
    "Kommunen står overfor en krevende økonomisk situasjon med økte behov og lavere inntektsvekst.",
    "Antall eldre over 80 år vil øke betydelig i planperioden, og behovet for sykehjemsplasser øker tilsvarende.",
    "Sektoren skal fortsette arbeidet med digitalisering og mer effektive arbeidsprosesser.",
    "Investeringsnivået i planperioden er høyt, blant annet på grunn av {topic}.",
    "Det legges opp til en gradvis opptrapping av driftsrammene i tråd med befolkningsveksten.",
    "Kommunedirektøren foreslår å videreføre satsingen på tidlig innsats i grunnskoleopplæring.",
    "Netto driftsresultat skal over tid utgjøre minst 4 prosent av driftsinntektene.",
    "Lånegjelden øker i planperioden, og renteutgiftene vil derfor øke.",
    "Prosjektet {topic} er innarbeidet i investeringsbudsjettet med oppstart i {year}.",
    "Det er usikkerhet knyttet til statlige overføringer og skatteinngang.",
    "Barn og unge skal møte et helhetlig tilbud med god kvalitet i skole og barnehage.",
    "Arbeidet med klimaklok kommune fortsetter med mål om reduserte utslipp.",
    "Tjenestene må i større grad utformes sammen med innbyggerne.",
    "Bærum kommune har ikke eiendomsskatt, og det foreslås heller ikke innført i planperioden.",
    "Det foreslås en styrking av barnevernet med flere stillinger i {year}.",
    "Vedlikeholdsetterslepet på kommunale bygg skal reduseres gjennom en egen plan.",
    "Frivilligheten er en viktig ressurs, og tilskuddene til lag og foreninger videreføres.",
    "Utbyggingen på Fornebu krever store investeringer i skoler og infrastruktur.",
    "Sykefraværet i sektoren skal ned gjennom systematisk arbeid med nærvær.",
    "Det vises til egen sak om {topic} som legges frem for politisk behandling.",
    "Effektiviseringskravet er fordelt forholdsmessig mellom sektorene.",
    "Ressurskrevende tjenester øker mer enn forutsatt og gir press på budsjettet.",
]

PROGRAM_AREAS = [
    "22 Grunnskoleopplæring",
    "23 Barnehager",
    "27 Barnevern",
    "30 Pleie og omsorg",
    "33 Helse og sosial",
    "40 Kultur og fritid",
    "45 Idrett",
    "50 Kommunalteknikk",
]

INCOME_ROWS = [
    "Skatt på inntekt og formue",
    "Rammetilskudd",
    "Andre generelle statstilskudd",
    "Sum frie disponible inntekter",
]

PARTIES = ["H", "Ap", "MDG", "V", "Frp", "SV", "Sp", "R", "KrF"]


def nok(value: float) -> str:
    """An amount the Norwegian way, with plain spaces between the groups: 1234.5 -> "1 234,5"."""
    return synth.nok(value, space=" ")


@dataclass
class DocText:
    """The pages of one document plus what we planted where."""

    pages: list[list[Block]] = field(default_factory=list)
    planted: list[dict] = field(default_factory=list)
    tables: list[dict] = field(default_factory=list)
    words: list[dict] = field(default_factory=list)
    decisions: list[dict] = field(default_factory=list)  # what the document decides (sample.protocols)
    series: list[dict] = field(default_factory=list)  # planted budget-line cells (sample/budgetline.py)
    closing: dict | None = None  # a protocol's lines after its last decision (sample.protocols)
    budget_tables: list[dict] = field(default_factory=list)  # budget-model tables (sample/stages.py)
    layout_tables: list[dict] = field(default_factory=list)  # tables in hard layouts (sample/reports.py)
    proposed_decisions: list[dict] = field(default_factory=list)  # an innstilling's recommended text decisions
    parts: list[dict] = field(default_factory=list)  # an adopted plan's blue and white parts
    date_evidence: list[dict] = field(default_factory=list)  # where the document's date can be read

    def plant(self, page: int, text: str) -> None:
        """Add a sentence to a page (1-based) and remember it for the truth file."""
        self.pages[page - 1].insert(1, ("p", text))
        self.planted.append({"page": page, "text": text})


class Writer:
    """Deterministic text generator for one document."""

    def __init__(self, rng: random.Random, year: int) -> None:
        self.rng = rng
        self.year = year
        self.chief = "rådmannen" if year <= 2020 else "kommunedirektøren"

    def sentence(self) -> str:
        s = self.rng.choice(SENTENCES)
        return s.format(topic=self.rng.choice(TOPICS), year=self.year + self.rng.randint(0, 3))

    def paragraph(self, n: int = 4) -> str:
        return " ".join(self.sentence() for _ in range(n))

    def prose_page(self, heading: str, paragraphs: int = 4) -> list[Block]:
        return [("h2", heading)] + [("p", self.paragraph(self.rng.randint(3, 5))) for _ in range(paragraphs)]

    def budget_table(self, start: int) -> tuple[list[str], list[list[str]]]:
        """A 'Tall i mill. kroner' table: actuals, budget and four plan years."""
        header = [
            "Programområde",
            f"Regnskap {start - 2}",
            f"Budsjett {start - 1}",
            str(start),
            str(start + 1),
            str(start + 2),
            str(start + 3),
        ]
        rows = []
        for label in PROGRAM_AREAS[: self.rng.randint(5, 8)]:
            base = self.rng.uniform(150, 2600)
            rows.append([label] + [nok(base * (1 + 0.02 * i + self.rng.uniform(-0.01, 0.01))) for i in range(6)])
        for label in INCOME_ROWS[:2]:
            base = -self.rng.uniform(3000, 7000)
            rows.append([label] + [nok(base * (1 + 0.03 * i)) for i in range(6)])
        return header, rows

    def table_page(self, heading: str, start: int) -> tuple[list[Block], list[str], list[str]]:
        header, rows = self.budget_table(start)
        page: list[Block] = [
            ("h2", heading),
            ("p", self.paragraph(2)),
            ("table", "Tall i mill. kroner", header, rows),
            ("p", "Negative tall er inntekter. " + self.paragraph(3)),
        ]
        return page, header, rows[0]

    def protocol_page(self, committee_name: str, case: str, archive_case: str = "") -> list[Block]:
        """Møteprotokoll-style page with Innstilling / Votering / Vedtak."""
        a, b = self.rng.sample(["Ap", "MDG", "SV", "R", "Sp"], 2)
        votes = self.rng.randint(3, 6)
        return [
            ("h2", case),
            *([("p", f"Arkivsak: {archive_case}")] if archive_case else []),
            ("p", f"{committee_name}s behandling:"),
            ("p", "Innstilling: " + self.paragraph(2)),
            ("p", f"{a} fremmet følgende forslag: " + self.sentence()),
            ("p", "Votering:"),
            ("p", f"{a}s forslag fikk {votes} stemmer (2{a}, R, Sp, {b}) og falt."),
            (
                "p",
                f"Ved alternativ votering mellom innstillingen og {b}s forslag ble innstillingen "
                "vedtatt mot 3 stemmer (2Ap, R).",
            ),
            ("p", "Vedtak: " + self.paragraph(2)),
            ("p", "Fellesforslaget ble enstemmig vedtatt."),
        ]

    def question(self, number: int) -> list[Block]:
        party = self.rng.choice(PARTIES)
        topic = self.rng.choice(TOPICS)
        return [
            ("h2", f"Spørsmål {number} fra {party}: {topic}"),
            ("p", f"Kan {self.chief} redegjøre for hvordan {topic} er innarbeidet i budsjettet?"),
            ("p", "Svar: " + self.paragraph(3)),
        ]
