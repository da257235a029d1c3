"""The four municipalities' budget figures, key figures and prose, and the PDFs that print them.

The same budget lines ("Grunnskole", "Barnehage", "Kulturskole", "Netto driftsresultat")
stand in every municipality's tables, each in its own layout and unit (1000 kr, mill. kr,
whole kroner in Framsikt's data), and each municipality states its inhabitants in its own
key-figure table, so `series LABEL --kommune A,B` can be compared per capita.

Figures are fixed here in whole 100 000 kr, so they print exactly in every unit. The truth
of a printed cell is `point(...)`: label, column as printed, year, kind, value in kroner,
text as printed, unit, page, and the document it stands in.

Names and numbers of the municipalities are real; every figure and sentence is synthetic.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from reportlab.pdfbase.pdfmetrics import stringWidth

from sample.content import UNIQUE_WORDS, Block
from sample.pdfs import BODY_FONT, FONTS, HEIGHT, MARGIN, ROW_HEIGHT, WIDTH, render_pdf, wrap

YEAR = 2024  # the budget year every municipality's documents are about
PERIOD = "2024-2027"
LINES = ("Grunnskole", "Barnehage", "Kulturskole")  # the lines compared across municipalities
RESULT = "Netto driftsresultat"
STAGES = ("forslag", "innstilling", "vedtak")
# What the politicians changed, in 1000 kr, from the proposal (the adopted budget is the base).
STAGE_DELTA = {
    "Grunnskole": {"forslag": -4000, "innstilling": -4000, "vedtak": 0},
    "Kulturskole": {"forslag": -1200, "innstilling": -600, "vedtak": 0},
    RESULT: {"forslag": 5200, "innstilling": 4600, "vedtak": 0},
}
KINDS = ("regnskap", "budsjett", "budsjett", "plan", "plan", "plan")
YEARS = (YEAR - 2, YEAR - 1, YEAR, YEAR + 1, YEAR + 2, YEAR + 3)
PAGE_BODY = HEIGHT - 2 * MARGIN - 10  # what render_pdf can fill on one page


@dataclass(frozen=True)
class Kommune:
    """A municipality of the replicas: real name and number, synthetic figures."""

    source: str  # the source file's name: "asker"
    name: str  # "Asker"
    number: str  # kommunenummer, a string ("0301" keeps its zero)
    places: tuple[str, ...]  # local names the prose mentions
    unique_word: str  # planted in one document only (search --kommune tests)
    inhabitants: tuple[tuple[int, int], ...]  # (year, inhabitants on 1 January)
    frames: tuple[tuple[str, int], ...]  # adopted net frames of the budget year, 1000 kr

    @property
    def title(self) -> str:
        return f"{self.name} kommune"

    def inhabitants_in(self, year: int) -> int:
        return dict(self.inhabitants)[year]

    def labels(self) -> list[str]:
        return [label for label, _ in self.frames]


KOMMUNER = {
    k.source: k
    for k in (
        Kommune("asker", "Asker", "3203", ("Heggedal", "Vollen", "Holmen", "Slemmestad", "Føyka"),
                "Heggedalsbadet", ((2022, 95_927), (2023, 96_812), (2024, 98_241)),
                (("Grunnskole", 1_482_300), ("Barnehage", 1_154_600), ("Kulturskole", 52_400),
                 ("Helse og omsorg", 2_310_800), ("Kultur og inkludering", 231_500),
                 (RESULT, 162_000))),
        Kommune("malvik", "Malvik", "5031", ("Hommelvik", "Vikhammer", "Sveberg", "Saksvik"),
                "Hommelvikbadet", ((2023, 14_780), (2024, 14_912)),
                (("Grunnskole", 236_700), ("Barnehage", 168_200), ("Kulturskole", 9_800),
                 ("Helse og velferd", 412_600), ("Kultur og fritid", 21_300), (RESULT, 14_100))),
        Kommune("stavanger", "Stavanger", "1103", ("Madla", "Hundvåg", "Storhaug", "Hinna", "Eiganes"),
                "Storhaughallen", ((2023, 146_011), (2024, 148_681)),
                (("Grunnskole", 2_151_900), ("Barnehage", 1_541_300), ("Kulturskole", 78_200),
                 ("Helse og velferd", 3_620_500), ("Kultur og byutvikling", 402_100), (RESULT, 251_300))),
        Kommune("nordrefollo", "Nordre Follo", "3207", ("Kolbotn", "Ski", "Langhus", "Oppegård", "Siggerud"),
                "Kolbotnbadet", ((2023, 61_872), (2024, 62_510)),
                (("Grunnskole", 931_400), ("Barnehage", 720_300), ("Kulturskole", 31_600),
                 ("Helse og mestring", 1_211_900), ("Kultur og idrett", 98_700), (RESULT, 48_700))),
    )
}  # fmt: skip


def value(k: Kommune, label: str, year: int, stage: str = "vedtak") -> int:
    """A line's value in 1000 kr, a whole number of 100 000 kr (prints exactly in every unit).

    Accounts and last year's budget are the same in every stage; the budget year and the
    plan years carry what the stage changed."""
    base = dict(k.frames)[label]
    if year >= YEAR:
        base += STAGE_DELTA.get(label, {}).get(stage, 0)
    factor = {YEAR - 2: 0.93, YEAR - 1: 0.965}.get(year, 1 + 0.012 * (year - YEAR))
    return round(base * factor / 100) * 100


def groups(n: int, sep: str = " ") -> str:
    """1234567 -> "1 234 567" (the minus sign kept)."""
    text = f"{abs(n):,}".replace(",", sep)
    return ("-" if n < 0 else "") + text


def printed(v: int, unit: str) -> str:
    """A value in 1000 kr as a table prints it in its unit."""
    if unit == "mill":
        whole, rest = divmod(abs(v), 1000)
        return ("-" if v < 0 else "") + f"{groups(whole)},{rest // 100}"
    if unit == "kr":
        return groups(v * 1000)
    return groups(v)


UNIT_TEXT = {"tusen": "1000 kr", "mill": "mill. kr", "kr": "kr"}


def point(k: Kommune, label: str, column: str, year: int, kind: str, v: int, unit: str, page: int,
          doc: str, stage: str, text: str | None = None) -> dict:  # fmt: skip
    """The truth of one printed cell of a compared line (the shape of sample.budgetline.points)."""
    return {"kommune": k.name, "source": k.source, "label": label, "column": column, "year": year, "kind": kind,
            "value_kr": v * 1000, "text": text if text is not None else printed(v, unit),
            "unit": UNIT_TEXT[unit], "page": page, "doc": doc, "stage": stage}  # fmt: skip


# ---------------------------------------------------------------- prose

SENTENCES = (
    "{kommune} kommune skal levere gode tjenester innenfor rammene, og handlingsrommet er mindre enn før.",
    "Befolkningen i {kommune} vokser, og flest nye innbyggere ventes i {place}.",
    "Kommunedirektøren foreslår å prioritere tidlig innsats i skole og barnehage i {year}.",
    "Investeringene i planperioden er høye, blant annet til ny skole på {place}.",
    "Antallet eldre over 80 år øker, og behovet for heldøgns omsorg øker tilsvarende.",
    "Driftsrammene er justert for lønns- og prisvekst, men ikke for nye oppgaver.",
    "Lånegjelden øker i perioden, og renteutgiftene vil derfor øke.",
    "Kulturskoletilbudet videreføres, og ventelistene skal ned.",
    "Frivilligheten i {place} er en viktig ressurs, og tilskuddene videreføres.",
    "Det er usikkerhet knyttet til skatteinngangen og de statlige overføringene.",
    "Vedlikeholdet av kommunale bygg skal følge en egen plan fra {year}.",
    "Sykefraværet skal ned gjennom systematisk arbeid med nærvær på hver arbeidsplass.",
    "Digitalisering av tjenestene skal frigjøre tid til brukerne.",
    "Netto driftsresultat bør over tid være minst to prosent av driftsinntektene.",
)


class Prose:
    """Seeded sentences for one municipality (never a word planted elsewhere in the samples)."""

    def __init__(self, k: Kommune, seed: str) -> None:
        self.k = k
        self.rng = random.Random(f"hparkiv-platforms-{seed}")

    def sentence(self) -> str:
        s = self.rng.choice(SENTENCES)
        return s.format(kommune=self.k.name, place=self.rng.choice(self.k.places), year=YEAR + self.rng.randint(0, 3))

    def paragraph(self, n: int = 3) -> str:
        return " ".join(self.sentence() for _ in range(n))


def check_words(text: str) -> None:
    """Bærum's planted unique words must stay unique in an archive that also holds these builds."""
    low = text.lower()
    for word in UNIQUE_WORDS:
        assert word not in low, f"{word!r} is planted in Bærum's sample; do not write it here"


# ---------------------------------------------------------------- page layout


def block_height(block: Block) -> float:
    """The height sample.pdfs.render_pdf draws a block in (it drops what overflows)."""
    kind = block[0]
    if kind == "table":  # cells must fit their column (sample.pdfs draws 7.5 pt text, 112 pt first column)
        other = (WIDTH - 2 * MARGIN - 112) / (len(block[2]) - 1)
        for row in [block[2], *block[3]]:
            assert stringWidth(row[0], "Helvetica-Bold", 7.5) < 106, row[0]
            assert all(stringWidth(c, "Helvetica-Bold", 7.5) < other - 4 for c in row[1:]), row
        return (len(block[3]) + 2) * ROW_HEIGHT + 20
    font, size, leading = FONTS.get(kind, BODY_FONT)
    lines = block[1] if kind == "lines" else wrap(block[1], font, size, WIDTH - 2 * MARGIN)
    return leading * len(lines) + 6


def paginate(blocks: list[Block | str]) -> tuple[list[list[Block]], list[int]]:
    """Blocks into pages that render_pdf draws whole ("newpage" forces a break); also the page
    (1-based) each input block landed on, so a truth can say where a cell or a vote stands."""
    pages: list[list[Block]] = [[]]
    where: list[int] = []
    room = PAGE_BODY
    for block in blocks:
        if block == "newpage":
            if pages[-1]:
                pages.append([])
            room = PAGE_BODY
            where.append(len(pages))
            continue
        h = block_height(block)  # type: ignore[arg-type]
        assert h <= PAGE_BODY, f"a block taller than a page: {block!r:.80}"
        if h > room and pages[-1]:
            pages.append([])
            room = PAGE_BODY
        pages[-1].append(block)  # type: ignore[arg-type]
        room -= h
        where.append(len(pages))
    for page in pages:
        for block in page:
            check_words(" ".join(str(part) for part in block[1:]))
    return pages, where


def pdf(k: Kommune, blocks: list[Block | str], title: str | None) -> tuple[bytes, list[int], int]:
    """Render blocks as the municipality's PDF; returns bytes, the page of each block, page count."""
    pages, where = paginate(blocks)
    data = render_pdf(pages, title=title, running_head=k.title, author=k.title)
    return data, where, len(pages)


# ---------------------------------------------------------------- budget documents

TABLE_STYLE = {
    # unit, first column, amount column headers (one per YEARS entry)
    "asker": ("tusen", "Tjenesteområde",
              ["Regnskap 2022", "Budsjett 2023", "Budsjett 2024", "ØP 2025", "ØP 2026", "ØP 2027"]),
    "stavanger": ("mill", "Tjenesteområde", ["R 2022", "B 2023", "2024", "2025", "2026", "2027"]),
    "nordrefollo": ("tusen", "Rammeområde",
                    ["Regnskap 2022", "Vedtatt 2023", "Budsjett 2024", "2025", "2026", "2027"]),
    "malvik": ("kr", "Tjenesteområde",
               ["Regnskap 2022", "Budsjett 2023", "Budsjett 2024", "Økonomiplan 2025", "Økonomiplan 2026",
                "Økonomiplan 2027"]),
}  # fmt: skip
FRAMES_CAPTION = {
    "asker": "Tabell 3 Netto driftsrammer per tjenesteområde (i 1000 kr)",
    "stavanger": "Tabell 5.1 Netto driftsramme per tjenesteområde. Beløp i mill. kr",
    "nordrefollo": "Tabell 2: Rammeområdenes netto driftsrammer. Tall i hele tusen kroner",
    "malvik": "Netto driftsramme per tjenesteområde (kr)",
}
# How each municipality names its inhabitants in its key figures (read from its own tables).
INHABITANTS_LABEL = {
    "asker": "Antall innbyggere 1.1.",
    "stavanger": "Innbyggere totalt",
    "nordrefollo": "Folketall 1. januar",
    "malvik": "Innbyggere per 1. januar",
}


def frame_rows(k: Kommune, stage: str) -> tuple[list[str], list[list[str]], str]:
    """(header, rows, unit) of the net frames table: every sector, then the sum."""
    unit, first, columns = TABLE_STYLE[k.source]
    rows = []
    total = [0] * len(YEARS)
    for label in k.labels():
        if label == RESULT:
            continue
        vals = [value(k, label, y, stage) for y in YEARS]
        total = [a + b for a, b in zip(total, vals, strict=True)]
        rows.append([label] + [printed(v, unit) for v in vals])
    rows.append(["Sum netto driftsrammer"] + [printed(v, unit) for v in total])
    if k.source == "stavanger":  # its key figures are the population; the result closes this table
        rows.append([RESULT] + [printed(value(k, RESULT, y, stage), unit) for y in YEARS])
    return [first, *columns], rows, unit


def frame_points(k: Kommune, stage: str, page: int, doc: str) -> list[dict]:
    unit, _, columns = TABLE_STYLE[k.source]
    return [point(k, label, column, year, kind, value(k, label, year, stage), unit, page, doc, stage)
            for label in LINES for column, year, kind in zip(columns, YEARS, KINDS, strict=True)]  # fmt: skip


def key_figures(k: Kommune, stage: str) -> tuple[str, list[str], list[list[str]], list[tuple[int, int]]]:
    """The key-figures table: caption, header, rows; and (year, inhabitants) as printed in it.

    Inhabitants are a count, not an amount, in a table whose caption names an amount unit:
    a reader must take them as printed."""
    unit, _, columns = TABLE_STYLE[k.source]
    years = [y for y, _ in k.inhabitants]
    if k.source == "stavanger":  # a table of its own: the population, by age
        header = ["Befolkning 1.1."] + [str(y) for y in years]
        rows = [[INHABITANTS_LABEL[k.source]] + [groups(k.inhabitants_in(y)) for y in years],
                ["0-5 år"] + [groups(round(k.inhabitants_in(y) * 0.061)) for y in years],
                ["6-15 år"] + [groups(round(k.inhabitants_in(y) * 0.118)) for y in years],
                ["80 år og eldre"] + [groups(round(k.inhabitants_in(y) * 0.041)) for y in years]]  # fmt: skip
        return "Tabell 1.2 Befolkningsutvikling", header, rows, list(k.inhabitants)
    result = [value(k, RESULT, y, stage) for y in YEARS]
    header = ["Nøkkeltall", *columns]
    inhabitants = [k.inhabitants_in(y) if y in years else None for y in YEARS]
    rows = [[INHABITANTS_LABEL[k.source]] + [groups(n) if n else "" for n in inhabitants],
            [RESULT] + [printed(v, unit) for v in result],
            ["Netto driftsresultat i %"] + [f"{1 + (i % 3) * 0.4:.1f}".replace(".", ",") for i in range(6)]]
    caption = {"asker": "Tabell 4 Nøkkeltall (beløp i 1000 kr)", "malvik": "Nøkkeltall",
               "nordrefollo": "Tabell 1: Økonomiske nøkkeltall. Tall i hele tusen kroner"}[k.source]  # fmt: skip
    return caption, header, rows, [(y, n) for y, n in zip(YEARS, inhabitants, strict=True) if n]


def result_points(k: Kommune, stage: str, page: int, doc: str) -> list[dict]:
    unit, _, columns = TABLE_STYLE[k.source]
    return [point(k, RESULT, column, year, kind, value(k, RESULT, year, stage), unit, page, doc, stage)
            for column, year, kind in zip(columns, YEARS, KINDS, strict=True)]  # fmt: skip


@dataclass
class BudgetDoc:
    """A rendered budget document and what it promises."""

    data: bytes
    pages: int
    series: list[dict]
    inhabitants: list[dict]
    planted: list[dict]


def budget_pdf(k: Kommune, key: str, title: str, subtitle: str, stage: str, plant_unique: bool) -> BudgetDoc:
    """A plan document: cover, introduction, key figures, net frames, sector chapters."""
    prose = Prose(k, key)
    caption, kf_header, kf_rows, inh = key_figures(k, stage)
    header, rows, _ = frame_rows(k, stage)
    planted_text = f"Det nye {k.unique_word} skal stå ferdig i planperioden." if plant_unique else ""
    blocks: list[Block | str] = [
        ("h1", title), ("p", k.title), ("p", subtitle), "newpage",
        ("h2", "1 Innledning"), ("p", prose.paragraph(4)), ("p", prose.paragraph(3)),
    ]  # fmt: skip
    if planted_text:
        blocks.append(("p", planted_text))
    blocks += ["newpage", ("h2", "2 Økonomiske rammer og nøkkeltall"), ("p", prose.paragraph(2)),
               ("table", caption, kf_header, kf_rows), ("p", prose.paragraph(2))]  # fmt: skip
    kf_at = len(blocks) - 2
    blocks += ["newpage", ("h2", "3 Driftsrammer"), ("p", prose.paragraph(2)),
               ("table", FRAMES_CAPTION[k.source], header, rows), ("p", "Negative tall er inntekter.")]  # fmt: skip
    frames_at = len(blocks) - 2
    for n, label in enumerate(k.labels()[:4], start=4):
        blocks += ["newpage", ("h2", f"{n} {label}"), ("p", prose.paragraph(4)), ("p", prose.paragraph(3))]
    data, where, count = pdf(k, blocks, title)
    result_at = frames_at if k.source == "stavanger" else kf_at
    series = frame_points(k, stage, where[frames_at], key) + result_points(k, stage, where[result_at], key)
    label = INHABITANTS_LABEL[k.source]
    inhabitants = [{"kommune": k.name, "source": k.source, "label": label, "year": y, "value": n,
                    "text": groups(n), "doc": key, "page": where[kf_at]} for y, n in inh]  # fmt: skip
    planted = [{"page": where[blocks.index(("p", planted_text))], "text": planted_text}] if planted_text else []
    return BudgetDoc(data, count, series, inhabitants, planted)


def short_pdf(k: Kommune, title: str, lines: list[str], seed: str, paragraphs: int = 2) -> tuple[bytes, int]:
    """A short document (saksframlegg, innkalling, høringsinnspill): title, lines, some prose."""
    prose = Prose(k, seed)
    blocks: list[Block | str] = [("h1", title)] + [("p", line) for line in lines]
    blocks += [("p", prose.paragraph(3)) for _ in range(paragraphs)]
    data, _, count = pdf(k, blocks, title)
    return data, count
