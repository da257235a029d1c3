"""Small synthetic budget PDFs for the extraction tests and `bench.extract`.

Each generator states what it plants, so tests can check exact text, tables and
OCR results without depending on the full sample archive. Uses reportlab (a
project dependency), imported lazily.
"""

from __future__ import annotations

import io
import random
from pathlib import Path

DEJAVU = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
NBSP, THIN, NNBSP = "\u00a0", "\u2009", "\u202f"

HEADER = ["Tall i mill. kroner", "Regnskap 2019", "Budsjett 2020", "2021", "2022", "2023", "2024"]
AREAS = ["Barn og unge", "Helse og omsorg", "Bistand og omsorg", "Miljø, idrett og kultur",
         "Eiendom", "Felles", "Skatt og rammetilskudd"]
PROSE = [
    "Kommunen står overfor en krevende økonomisk situasjon med økte behov.",
    "Investeringsnivået i planperioden er høyt, blant annet på grunn av Fornebubanen.",
    "Det legges opp til en gradvis opptrapping av driftsrammene i tråd med befolkningsveksten.",
    "Netto driftsresultat skal over tid utgjøre minst 4 prosent av driftsinntektene.",
    "Lånegjelden øker i planperioden, og renteutgiftene vil derfor øke.",
]


def _font() -> str:
    """A Unicode TrueType font, so thin and no-break spaces are real characters in the PDF."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    if "DejaVu" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont("DejaVu", str(DEJAVU)))
    return "DejaVu"


def nok(value: float, space: str = NBSP) -> str:
    """A Norwegian amount with one decimal: 1234.5 -> "1 234,5" using `space` between groups."""
    sign = "-" if value < 0 else ""
    whole, frac = f"{abs(value):.1f}".split(".")
    groups = []
    while len(whole) > 3:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    groups.insert(0, whole)
    return f"{sign}{space.join(groups)},{frac}"


def budget_rows(rng: random.Random, n: int = 6) -> list[list[str]]:
    rows = []
    for label in AREAS[:n]:
        base = rng.uniform(150, 26000)
        rows.append([label] + [nok(base * (1 + 0.02 * i)) for i in range(6)])
    return rows


def _prose_page(c, font: str, page_no: int, rng: random.Random) -> None:
    y = 780
    c.setFont(font, 14)
    c.drawString(56, y, f"Kapittel {page_no}: Økonomiske rammer")
    y -= 26
    c.setFont(font, 10)
    lines = [rng.choice(PROSE) for _ in range(30)]
    lines[3] = "Kommunedirektøren foreslår flere plasser i barne-"
    lines[4] = "hagene i Bærum, og det er satt av penger til Nord-"
    lines[5] = f"Norge-samarbeidet. Samlet ramme er kr 1{NBSP}234{NBSP}567 og underskuddet -12{THIN}345."
    lines[6] = f"Gjennomsnittlig økning er 1{NNBSP}234,5 per år for barne- og ungdomsskolene."
    for line in lines:
        c.drawString(56, y, line)
        y -= 14


def _ruled_table(c, font: str, y: float, header: list[str], rows: list[list[str]]) -> None:
    first, other, height = 150.0, 62.0, 16.0
    xs = [40.0, 40.0 + first] + [40.0 + first + other * i for i in range(1, len(header))]
    c.setFont(font, 7.5)
    for r, row in enumerate([header] + rows):
        top = y - r * height
        for i, cell in enumerate(row):
            c.rect(xs[i], top - height, xs[i + 1] - xs[i], height, stroke=1, fill=0)
            if i == 0:
                c.drawString(xs[i] + 3, top - 11, cell)
            else:
                c.drawRightString(xs[i + 1] - 3, top - 11, cell)


def _two_row_header_table(c, font: str, y: float, rows: list[list[str]]) -> None:
    """A ruled table whose header is two rows: "Regnskap"/"2019", "Budsjett"/"2020", then years."""
    top_row = ["Tall i mill. kroner", "Regnskap", "Budsjett", "", "", "", ""]
    second = ["", "2019", "2020", "2021", "2022", "2023", "2024"]
    _ruled_table(c, font, y, top_row, [second] + rows)


def _text_table(c, font: str, y: float, header: list[str], rows: list[list[str]]) -> None:
    """The same budget table without any ruling lines (aligned text only)."""
    xs = [40.0] + [200.0 + 62.0 * i for i in range(1, len(header))]
    c.setFont(font, 7.5)
    for r, row in enumerate([header] + rows):
        top = y - r * 14
        for i, cell in enumerate(row):
            if i == 0:
                c.drawString(xs[0], top, cell)
            else:
                c.drawRightString(xs[i], top, cell)


def budget_pdf(pages: int = 6, *, seed: int = 0, table_every: int = 3, encrypt: str | None = None) -> bytes:
    """A budget document: prose pages, and every `table_every`-th page a ruled budget table.

    Page 1 is prose with a split word ("barne-"/"hagene") and amounts with no-break and
    thin spaces; page 2 holds an unruled (text-only) budget table; page 3 (if
    table_every divides it) a ruled table with a two-row header.
    """
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    font = _font()
    rng = random.Random(seed)
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4, invariant=1, encrypt=encrypt, pageCompression=1)
    for n in range(1, pages + 1):
        c.setFont(font, 8)
        c.drawRightString(550, 30, f"Side {n} av {pages}")
        if n == 2:
            c.setFont(font, 12)
            c.drawString(40, 790, "Driftsbudsjett per programområde")
            _text_table(c, font, 760, HEADER, budget_rows(rng))
        elif n == 3 and table_every and n % table_every == 0:
            c.setFont(font, 12)
            c.drawString(40, 790, "Investeringer")
            _two_row_header_table(c, font, 770, budget_rows(rng))
        elif table_every and n % table_every == 0:
            c.setFont(font, 12)
            c.drawString(40, 790, "Netto driftsramme")
            _ruled_table(c, font, 770, HEADER, budget_rows(rng))
            c.setFont(font, 10)
            y = 600.0
            for _ in range(8):
                c.drawString(56, y, rng.choice(PROSE))
                y -= 14
        else:
            _prose_page(c, font, n, rng)
        c.showPage()
    c.save()
    return buf.getvalue()


def scanned_pdf(lines: list[str]) -> bytes:
    """An image-only page (no text layer) with large, clear text for OCR."""
    from PIL import Image, ImageDraw, ImageFont
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    width, height = A4
    dpi = 200
    img = Image.new("L", (int(width / 72 * dpi), int(height / 72 * dpi)), 255)
    draw = ImageDraw.Draw(img)
    font = ImageFont.truetype(str(DEJAVU), int(22 / 72 * dpi))
    y = dpi
    for line in lines:
        draw.text((int(0.8 * dpi), y), line, fill=0, font=font)
        y += int(22 / 72 * dpi * 1.6)
    png = io.BytesIO()
    img.save(png, format="PNG")
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4, invariant=1)
    c.drawImage(ImageReader(io.BytesIO(png.getvalue())), 0, 0, width, height)
    c.showPage()
    c.save()
    return buf.getvalue()


def dense_pdf(lines: int = 400, width: int = 160) -> bytes:
    """One page crammed with tiny text: tens of thousands of chars, so parsing needs memory."""
    from reportlab.pdfgen import canvas

    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=(600, 800), invariant=1)
    c.setFont("Helvetica", 1.8)
    text = ("budsjett 1 234,5 " * (width // 16 + 1))[:width]
    for i in range(lines):
        c.drawString(5, 795 - i * 1.95, text)
    c.showPage()
    c.save()
    return buf.getvalue()
