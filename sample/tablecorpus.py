"""A fixture corpus of budget tables in the layouts Norwegian municipalities print, with truth.

Written from how budget documents look (Handlingsprogram, Budsjett og økonomiplan,
Skjema 1A/1B, årsbudsjett from Word, InDesign and Excel exports), not from the
extractor: ruled grids, banded tables (a filled header band, thin rules under the rows,
no frame), zebra rows, Word-style shaded header cells, whitespace-only tables; headers
over two lines and group titles spanning columns ("Økonomiplan" over four years);
several tables on a page with "Tabell N" captions; a table continued on the next page;
landscape pages; amounts with every thousands space, minus and zero convention,
percentages and footnote marks; indented sub-rows and Sum/Totalt rows. After those, the
layouts of issue 20 (`Golden.arrangement`): a small table beside a paragraph that flows
next to it (left and right), two tables side by side, a table in a framed, tinted box,
row labels that wrap onto more lines, and an overview that goes on after a sub-sum,
below a blank band, under the same columns (one table).

`build_corpus(dest)` writes `tables.pdf` and `tables.json` (the golden tables: page,
caption, unit, header, rows as printed, values). Deterministic: same bytes every run.
"""

from __future__ import annotations

import dataclasses
import io
import json
import random
from dataclasses import asdict, dataclass, field
from pathlib import Path

from reportlab.lib.pagesizes import A4, landscape
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
REGULAR, BOLD = "TCDejaVu", "TCDejaVu-Bold"
LAYOUTS = ("grid", "banded", "zebra", "shaded_cells", "borderless", "borderless_ruled")
SUPERSCRIPT = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")

SECTORS = {
    "Barn og unge": ["22 Grunnskoleopplæring", "23 Barnehager", "24 Spesielle tiltak barn og unge", "27 Barnevern"],
    "Bistand og omsorg": ["30 Pleie og omsorg", "31 Helse og sosial", "33 Psykisk helse og rus"],
    "Miljø, idrett og kultur": ["40 Kultur og fritid", "45 Idrett", "50 Kommunalteknikk", "52 Natur og friluft"],
    "Organisasjon og styring": ["10 Politisk styring", "12 Fellesutgifter", "15 Eiendom"],
}
INCOME = ["Skatt på inntekt og formue", "Rammetilskudd", "Andre generelle statstilskudd", "Renteinntekter"]
KEYS = ["Netto driftsresultat", "Brutto driftsresultat", "Disposisjonsfond", "Lånegjeld per innbygger"]
UNITS = ["Tall i mill. kroner", "i 1000 kr", "Beløp i hele kroner", "Tall i 1000 kr"]


@dataclass
class Golden:
    """One table as it is printed: what a correct extractor returns."""

    page: int
    caption: str | None
    unit: str | None
    layout: str
    header: list[str]
    rows: list[list[str]]
    values: list[list[float | None]]
    bbox: list[float] = field(default_factory=list)
    # how the table stands on its page: alone, or in a layout a reader trips over (issue 20):
    # beside_text_left / beside_text_right (a paragraph flows beside it), side_by_side_left /
    # side_by_side_right (two tables), framed_box, wrapped_labels, continues_after_subsum
    arrangement: str = "alone"


@dataclass
class Style:
    """How one table prints its amounts."""

    space: str = " "  # thousands separator
    minus: str = "-"  # "-", "−" or "()"
    zero: str = "–"
    decimals: int = 1
    footnotes: str = "none"  # none | star | raised


def _fonts() -> None:
    if REGULAR not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont(REGULAR, str(FONT_DIR / "DejaVuSans.ttf")))
        pdfmetrics.registerFont(TTFont(BOLD, str(FONT_DIR / "DejaVuSans-Bold.ttf")))


def printed(value: float, style: Style) -> str:
    """An amount the way the style prints it; the golden text uses plain spaces and "-"."""
    if round(value, style.decimals) == 0:
        return style.zero
    digits = f"{abs(value):.{style.decimals}f}"
    whole, _, dec = digits.partition(".")
    groups = []
    while whole:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    text = style.space.join(groups) + (f",{dec}" if dec else "")
    if value < 0:
        text = f"({text})" if style.minus == "()" else style.minus + text
    return text


def as_golden(text: str) -> str:
    """Printed text as the extractor reports it: plain spaces, "-" for the minus sign."""
    for ch in "\u00a0\u2009\u202f":
        text = text.replace(ch, " ")
    return text.replace("\u2212", "-")


@dataclass
class Row:
    label: str
    cells: list[str]  # as printed (special spaces kept)
    values: list[float | None]
    indent: int = 0
    bold: bool = False
    note: str = ""  # a footnote mark after the first amount


@dataclass
class Spec:
    caption: str | None
    unit: str | None
    unit_in_header: bool
    header_lines: list[list[tuple[str, int]]]  # per line: (text, colspan) for the amount columns
    label_header: list[str]  # the label column's header text, per header line
    rows: list[Row]
    style: Style
    layout: str
    align: str = "right"  # header alignment: right | center

    def golden_header(self) -> list[str]:
        n = len(self.rows[0].cells)
        cols: list[list[str]] = [[] for _ in range(n)]
        for line in self.header_lines:
            j = 0
            for text, span in line:
                for k in range(j, j + span):
                    if text:
                        cols[k].append(text)
                j += span
        label = " ".join(t for t in self.label_header if t)
        return [label] + [" ".join(c) for c in cols]


class Maker:
    """Deterministic table content."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)

    def style(self) -> Style:
        r = self.rng
        return Style(
            space=r.choice([" ", "\u00a0", "\u2009", "\u202f", " "]),
            minus=r.choice(["-", "\u2212", "()"]),
            zero=r.choice(["–", "-", "–"]),
            decimals=r.choice([0, 1, 1]),
            footnotes=r.choice(["none", "none", "star", "raised"]),
        )

    def years_header(self, start: int, n: int, kind: str) -> tuple[list[list[tuple[str, int]]], list[int]]:
        """Header lines for n amount columns and the year each column is about."""
        r = self.rng
        if kind == "two_line":  # "Regnskap" over "2020", "Budsjett" over "2021", then plan years
            top = [("Regnskap", 1), ("Budsjett", 1)] + [("Økonomiplan", n - 2)]
            bottom = [(str(start - 2), 1), (str(start - 1), 1)] + [(str(start + i), 1) for i in range(n - 2)]
            return [top, bottom], [start - 2, start - 1] + [start + i for i in range(n - 2)]
        if kind == "stacked":  # every column over two lines, no spans
            top = [("Regnskap", 1)] + [("Budsjett", 1)] * (n - 1)
            bottom = [(str(start - 2), 1), (str(start - 1), 1)] + [(str(start + i), 1) for i in range(n - 2)]
            return [top, bottom], [start - 2, start - 1] + [start + i for i in range(n - 2)]
        if kind == "short":  # "R 2019", "B 2020", "ØP 2022"
            names = [f"R {start - 2}", f"B {start - 1}"] + [f"B {start + i}" for i in range(n - 2)]
            return [[(t, 1) for t in names]], [start - 2, start - 1] + [start + i for i in range(n - 2)]
        names = [f"Regnskap {start - 2}", f"Budsjett {start - 1}"] + [str(start + i) for i in range(n - 2)]
        if r.random() < 0.3:
            names = [str(start + i) for i in range(n)]
            return [[(t, 1) for t in names]], [start + i for i in range(n)]
        return [[(t, 1) for t in names]], [start - 2, start - 1] + [start + i for i in range(n - 2)]

    def amounts(self, base: float, n: int, style: Style) -> tuple[list[str], list[float | None]]:
        r = self.rng
        cells, values = [], []
        for i in range(n):
            v = base * (1 + 0.025 * i + r.uniform(-0.02, 0.02))
            if r.random() < 0.06:
                v = 0.0
            v = round(v, style.decimals)
            text = printed(v, style)
            cells.append(text)
            values.append(None if v == 0 else v)
        return cells, values

    def budget_rows(self, n: int, style: Style, scale: float, sums: bool, sub_rows: bool) -> list[Row]:
        r = self.rng
        rows: list[Row] = []
        sectors = r.sample(list(SECTORS), r.randint(2, 3))
        for sector in sectors:
            if sub_rows:
                areas = SECTORS[sector][: r.randint(2, len(SECTORS[sector]))]
                totals = [0.0] * n
                subs = []
                for area in areas:
                    cells, values = self.amounts(r.uniform(80, 2400) * scale, n, style)
                    subs.append(Row(area, cells, values, indent=1))
                    totals = [t + (v or 0) for t, v in zip(totals, values, strict=True)]
                total_values = [round(t, style.decimals) for t in totals]
                rows.append(Row(f"Sum {sector.lower()}" if r.random() < 0.5 else sector,
                                [printed(v, style) for v in total_values],
                                [None if v == 0 else v for v in total_values], bold=True))
                rows.extend(subs)
            else:
                cells, values = self.amounts(r.uniform(300, 4800) * scale, n, style)
                rows.append(Row(sector, cells, values))
        for label in r.sample(INCOME, r.randint(1, 2)):
            cells, values = self.amounts(-r.uniform(2000, 9000) * scale, n, style)
            rows.append(Row(label, cells, values))
        if sums:
            totals = [round(sum(row.values[j] or 0 for row in rows if row.indent == 0), style.decimals)
                      for j in range(n)]
            rows.append(Row(r.choice(["Sum netto driftsrammer", "Totalt", "Sum"]),
                            [printed(v, style) for v in totals], [None if v == 0 else v for v in totals], bold=True))
        if style.footnotes != "none" and rows:
            rows[r.randrange(len(rows))].note = "1" if style.footnotes == "raised" else "*"
        return rows

    def spec(self, layout: str, *, n_cols: int | None = None, caption: str | None = None,
             n_rows: int | None = None, small: bool = False) -> Spec:
        r = self.rng
        style = self.style()
        if small:
            style.footnotes = "none"
            n = 1
            header_lines: list[list[tuple[str, int]]] = [[(str(r.randint(2019, 2025)), 1)]]
            rows = []
            for label in r.sample(INCOME + ["Skatt"], 3):
                cells, values = self.amounts(-r.uniform(900, 9000), 1, style)
                rows.append(Row(label, cells, values))
            unit = r.choice(UNITS)
            return Spec(caption, unit, False, header_lines, [""], rows, style, layout)
        n = n_cols or r.choice([4, 5, 6, 6])
        kind = r.choice(["one_line", "one_line", "two_line", "stacked", "short"])
        if n < 4 and kind == "two_line":
            kind = "one_line"
        header_lines, _years = self.years_header(r.randint(2016, 2025), n, kind)
        unit = r.choice(UNITS + [None])
        scale = {"Tall i mill. kroner": 1.0, "i 1000 kr": 1000.0, "Tall i 1000 kr": 1000.0,
                 "Beløp i hele kroner": 1000.0, None: 1.0}[unit]
        if unit == "Beløp i hele kroner":
            style.decimals = 0
        rows = self.budget_rows(n, style, scale, sums=r.random() < 0.7, sub_rows=r.random() < 0.5)
        if n_rows:
            rows = rows[:n_rows]
        if r.random() < 0.3:  # a change column in percent
            header_lines = [line + [("Endring %" if k == len(header_lines) - 1 else "", 1)]
                            for k, line in enumerate(header_lines)]
            for row in rows:
                a, b = row.values[-2], row.values[-1]
                if a and b:
                    pct = round((b - a) / abs(a) * 100, 1)
                    text = f"{pct:.1f}".replace(".", ",").replace("-", style.minus if style.minus != "()" else "-")
                    row.cells.append(text + " %")
                    row.values.append(pct)
                else:
                    row.cells.append("")
                    row.values.append(None)
        unit_in_header = unit is not None and r.random() < 0.35
        label_header = [""] * (len(header_lines) - 1) + [
            unit if unit_in_header else r.choice(["", "Programområde", "Sektor", "Driftsbudsjett"])
        ]
        align = r.choice(["right", "center"])
        return Spec(caption, unit, unit_in_header, header_lines, label_header, rows, style, layout, align)


# ------------------------------------------------------------------ drawing

PAD = 4.0


class Page:
    """A page being drawn, top-down, with the goldens it holds."""

    def __init__(self, c: canvas.Canvas, number: int, size: tuple[float, float]) -> None:
        self.c, self.number = c, number
        self.width, self.height = size
        c.setPageSize(size)
        self.y = self.height - 60
        self.last_heading: str | None = None
        self.left, self.right = 56.0, self.width - 56.0
        c.setFont(REGULAR, 7)
        c.drawString(self.left, 30, "Bærum kommune – Handlingsprogram")
        c.drawRightString(self.right, 30, f"Side {number}")

    def heading(self, text: str, size: float = 13) -> None:
        self.last_heading = text
        self.c.setFont(BOLD, size)
        self.c.drawString(self.left, self.y, text)
        self.y -= size + 9

    def prose(self, text: str, size: float = 9.5) -> None:
        words, line = text.split(), ""
        self.c.setFont(REGULAR, size)
        for word in words:
            cand = f"{line} {word}".strip()
            if stringWidth(cand, REGULAR, size) > self.right - self.left:
                self.c.drawString(self.left, self.y, line)
                self.y -= size * 1.35
                line = word
            else:
                line = cand
        if line:
            self.c.drawString(self.left, self.y, line)
            self.y -= size * 1.35
        self.y -= 8


def _wrap(text: str, font: str, size: float, width: float) -> list[str]:
    words, lines, line = text.split(), [], ""
    for word in words:
        cand = f"{line} {word}".strip()
        if line and stringWidth(cand, font, size) > width:
            lines.append(line)
            line = word
        else:
            line = cand
    return lines + [line] if line else lines or [""]


def draw_table(page: Page, spec: Spec, width: float | None = None, rows: list[Row] | None = None,
               caption: str | None = None, size: float = 8.0, left: float | None = None,
               label_width: float | None = None, gap_after: int | None = None,
               arrangement: str = "alone") -> Golden:
    """Draw one table at page.y; returns its golden record.

    `left` and `width` place it in a column (beside text, or beside another table); `label_width`
    fixes the label column so long labels wrap onto more lines (the amounts stand on the last
    line); `gap_after` leaves a blank band after that body row, the table going on below it
    under the same columns, its rules restarted (an obligatory overview after a sub-sum).
    """
    c = page.c
    rows = spec.rows if rows is None else rows
    caption = spec.caption if caption is None else caption
    x0 = page.left if left is None else left
    n = len(rows[0].cells)
    if caption:
        c.setFont(BOLD, size + 1.5)
        c.drawString(x0, page.y, caption)
        page.y -= size + 8
    if spec.unit and not spec.unit_in_header:
        c.setFont(REGULAR, size)
        c.drawString(x0, page.y, spec.unit)
        page.y -= size + 6
    width = width or (page.right - page.left)
    while True:  # the font shrinks until every cell fits its column, as layout programs do
        label_w = max(max(stringWidth(r.label, BOLD, size) for r in rows) + 24,
                      max((stringWidth(t, BOLD, size) for t in spec.label_header), default=0) + 10)
        if label_width is not None:
            label_w = label_width
        widest = max(stringWidth(x + "*¹", BOLD, size) for r in rows for x in r.cells)
        widest = max([widest] + [stringWidth(t, BOLD, size) for line in spec.header_lines for t, span in line
                                 if span == 1])
        col_w = (width - label_w) / n
        if col_w >= widest + 2 * PAD + 6 or size <= 5.5:
            break
        size -= 0.5
    row_h = size * 1.9
    xs = [x0, x0 + label_w] + [x0 + label_w + col_w * (j + 1) for j in range(n)]
    top = page.y + size + 2
    layout = spec.layout
    n_head = len(spec.header_lines)
    head_bottom = top - n_head * row_h
    # each body row's label lines; rows grow when labels wrap, and a blank band follows a sub-sum.
    # Positions are the plain layout's expressions plus these extras (zero for a plain table).
    label_lines = []
    for row in rows:
        font = BOLD if row.bold else REGULAR
        label_lines.append(_wrap(row.label, font, size, label_w - 2 * PAD - 10 * row.indent)
                           if label_width is not None else [row.label])
    grow = [(len(lines) - 1) * size * 1.2 for lines in label_lines]
    above = []  # extra height above each row
    acc = 0.0
    for i in range(len(rows)):
        above.append(acc)
        acc += grow[i] + (row_h if gap_after is not None and i == gap_after else 0)
    bottom = head_bottom - len(rows) * row_h - acc
    # fills first (text goes on top)
    if layout in ("banded", "zebra"):
        c.setFillColorRGB(0.78, 0.86, 0.95)
        c.rect(xs[0], head_bottom, xs[-1] - xs[0], top - head_bottom, stroke=0, fill=1)
    if layout == "shaded_cells":
        c.setFillColorRGB(0.85, 0.85, 0.85)
        for line_no, line in enumerate(spec.header_lines):
            y0 = top - (line_no + 1) * row_h
            c.rect(xs[0] + 0.5, y0 + 0.5, xs[1] - xs[0] - 1, row_h - 1, stroke=0, fill=1)
            j = 0
            for _text, span in line:
                c.rect(xs[1 + j] + 0.5, y0 + 0.5, xs[1 + j + span] - xs[1 + j] - 1, row_h - 1, stroke=0, fill=1)
                j += span
    if layout == "zebra":
        c.setFillColorRGB(0.93, 0.93, 0.93)
        for i in range(1, len(rows), 2):
            y0 = head_bottom - (i + 1) * row_h - above[i] - grow[i]
            c.rect(xs[0], y0, xs[-1] - xs[0], row_h + grow[i], stroke=0, fill=1)
    c.setFillColorRGB(0, 0, 0)
    # header text
    for line_no, line in enumerate(spec.header_lines):
        base = top - (line_no + 1) * row_h + row_h * 0.32
        c.setFont(BOLD, size)
        label_text = spec.label_header[line_no]
        if label_text:
            c.drawString(xs[0] + PAD, base, label_text)
        j = 0
        for text, span in line:
            x_a, x_b = xs[1 + j], xs[1 + j + span]
            if text:
                if span > 1 or spec.align == "center":
                    c.drawCentredString((x_a + x_b) / 2, base, text)
                else:
                    c.drawRightString(x_b - PAD, base, text)
            if span > 1 and layout != "borderless":
                c.setLineWidth(0.4)
                c.line(x_a + 3, base - 3, x_b - 3, base - 3)
            j += span
    # body
    for i, row in enumerate(rows):
        base = head_bottom - (i + 1) * row_h + row_h * 0.32 - above[i]
        c.setFont(BOLD if row.bold else REGULAR, size)
        for k, text in enumerate(label_lines[i]):
            c.drawString(xs[0] + PAD + 10 * row.indent, base - k * size * 1.2, text)
        base -= grow[i]  # the amounts stand on the label's last line
        for j, cell in enumerate(row.cells):
            right = xs[2 + j] - PAD
            if row.note and j == 0 and cell:
                if row.note == "1":
                    c.setFont(REGULAR, size * 0.6)
                    c.drawRightString(right, base + size * 0.4, "1")
                    right -= stringWidth("1", REGULAR, size * 0.6) + 0.3
                else:
                    cell = cell + "*"
                c.setFont(BOLD if row.bold else REGULAR, size)
            c.drawRightString(right, base, cell)
    # rules
    c.setLineWidth(0.5)
    c.setStrokeColorRGB(0, 0, 0)
    gap_top = gap_bottom = None
    if gap_after is not None:  # the band between the sub-sum and the rest: no rules cross it
        gap_top = head_bottom - (gap_after + 1) * row_h - above[gap_after] - grow[gap_after]
        gap_bottom = gap_top - row_h
    if layout == "grid":
        for k in range(n_head + len(rows) + 1):
            extra = 0.0 if k <= n_head else above[k - n_head - 1] + grow[k - n_head - 1]
            y = top - k * row_h - extra
            c.line(xs[0], y, xs[-1], y)
        if gap_bottom is not None:
            c.line(xs[0], gap_bottom, xs[-1], gap_bottom)
        for k, x in enumerate(xs):
            # inside a spanning header cell the vertical rule starts below it
            y_start = top
            if 1 < k < len(xs) - 1:
                for line_no, line in enumerate(spec.header_lines):
                    j, inside = 0, False
                    for _text, span in line:
                        if span > 1 and j < k - 1 < j + span:
                            inside = True
                        j += span
                    if inside:
                        y_start = top - (line_no + 1) * row_h
            if gap_top is None:
                c.line(x, y_start, x, bottom)
            else:
                c.line(x, y_start, x, gap_top)
                c.line(x, gap_bottom, x, bottom)
    elif layout in ("banded", "shaded_cells"):
        c.setStrokeColorRGB(0.6, 0.6, 0.6)
        c.setLineWidth(0.3)
        for k in range(len(rows)):
            y = head_bottom - (k + 1) * row_h - above[k] - grow[k]
            c.line(xs[0], y, xs[-1], y)
        c.setStrokeColorRGB(0, 0, 0)
    elif layout == "borderless_ruled":
        c.line(xs[0], head_bottom, xs[-1], head_bottom)
        if gap_top is not None:
            c.line(xs[0], gap_top, xs[-1], gap_top)
        c.line(xs[0], bottom, xs[-1], bottom)
    page.y = bottom - 22
    header = spec.golden_header()
    golden_rows = []
    for row in rows:
        cells = [as_golden(x) for x in row.cells]
        if row.note and cells[0]:
            cells[0] += "¹" if row.note == "1" else "*"
        golden_rows.append([row.label] + cells)
    values = [[None] + list(row.values) for row in rows]
    return Golden(page.number, caption or page.last_heading, spec.unit, layout, header, golden_rows, values,
                  [round(xs[0], 1), round(page.height - top, 1), round(xs[-1], 1), round(page.height - bottom, 1)],
                  arrangement)


def draw_continuation(page: Page, spec: Spec, rows: list[Row], caption: str) -> Golden:
    """The rest of a table at the top of the next page, without its header: it keeps the first part's."""
    bare = dataclasses.replace(spec, header_lines=[], label_header=[], unit=None, caption=None)
    g = draw_table(page, bare, rows=rows, caption="")
    g.header, g.caption, g.unit = spec.golden_header(), caption, spec.unit
    return g


PROSE = [
    "Tabellen viser netto driftsrammer per sektor og programområde i planperioden.",
    "Negative tall er inntekter. Endringene fra forrige handlingsprogram er forklart i kapittel 3.",
    "Kommunedirektøren foreslår å videreføre satsingen på tidlig innsats i barnehage og skole, "
    "og rammene er justert for lønns- og prisvekst.",
    "Oversikten viser hovedtall for driften; investeringene er vist i eget kapittel.",
]


def build_corpus(dest: Path, seed: int = 11) -> tuple[Path, Path]:
    """Write `tables.pdf` and `tables.json` (list of Golden dicts) into dest."""
    _fonts()
    dest.mkdir(parents=True, exist_ok=True)
    m = Maker(seed)
    r = m.rng
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4, invariant=1, pageCompression=1)
    goldens: list[Golden] = []
    number = 0
    tabell = 0

    def new_page(size: tuple[float, float] = A4) -> Page:
        nonlocal number
        number += 1
        return Page(c, number, size)

    def next_caption(title: str) -> str:
        nonlocal tabell
        tabell += 1
        return f"Tabell {tabell} {title}"

    titles = ["Netto driftsrammer per sektor", "Hovedoversikt drift", "Driftsbudsjett per programområde",
              "Endringer i rammene", "Frie disponible inntekter", "Hovedtall økonomiplan"]
    # 1. one table a page, each layout several times, heading above, prose around
    for k in range(30):
        layout = LAYOUTS[k % len(LAYOUTS)]
        p = new_page()
        p.heading(f"{3 + k // 6}.{k % 6 + 1} {r.choice(titles)}")
        p.prose(r.choice(PROSE))
        caption = next_caption(r.choice(titles)) if r.random() < 0.6 else None
        goldens.append(draw_table(p, m.spec(layout, caption=caption), size=r.choice([7.5, 8.0, 9.0])))
        p.prose(r.choice(PROSE))
        c.showPage()
    # 2. several tables on one page, each with its caption
    for k in range(10):
        p = new_page()
        p.heading("C Hovedoversikter")
        for t in range(2 if k % 3 else 3):
            layout = LAYOUTS[(k + t) % len(LAYOUTS)]
            if t == 1 and k % 2:  # a small table: short labels, one amount column
                spec = m.spec(layout, caption=next_caption("Frie inntekter"), small=True)
                goldens.append(draw_table(p, spec, width=230, size=7.5))
                continue
            spec = m.spec(layout, caption=next_caption(r.choice(titles)), n_rows=5 if k % 3 == 0 else 7)
            goldens.append(draw_table(p, spec, size=7.5))
        c.showPage()
    # 3. landscape pages with wide tables (ten amount columns)
    for k in range(6):
        p = new_page(landscape(A4))
        p.heading("Obligatorisk oversikt – drift § 5-4" if k % 2 else "Økonomisk oversikt etter art")
        spec = m.spec(LAYOUTS[k % len(LAYOUTS)], n_cols=r.choice([8, 9, 10]), caption=next_caption("Bevilgningsoversikt"))
        goldens.append(draw_table(p, spec, size=7.5))
        c.showPage()
    # 4. a table continued on the next page, the header repeated
    for k in range(3):
        spec = m.spec(LAYOUTS[(k * 2) % len(LAYOUTS)], caption=None)
        while len(spec.rows) < 8:
            spec.rows += m.spec(spec.layout, n_cols=len(spec.rows[0].cells)).rows
        spec.rows = [row for row in spec.rows if len(row.cells) == len(spec.rows[0].cells)]
        caption = next_caption("Driftsbudsjett fordelt på programområder")
        half = len(spec.rows) // 2
        p = new_page()
        p.heading("C.11 Driftsbudsjettet fordelt på sektor og programområde")
        p.y -= 420  # the table starts low, so it breaks over the page
        goldens.append(draw_table(p, spec, rows=spec.rows[:half], caption=caption))
        c.showPage()
        p = new_page()
        goldens.append(draw_table(p, spec, rows=spec.rows[half:], caption=f"{caption} (forts.)"))
        p.prose(r.choice(PROSE))
        c.showPage()
    # 5. a table continued on the next page without its header (Word without "repeat header rows")
    for k in range(3):
        spec = m.spec(LAYOUTS[(k * 2 + 1) % len(LAYOUTS)], caption=None, n_cols=r.choice([4, 5, 6]))
        while len(spec.rows) < 8:
            spec.rows += m.spec(spec.layout, n_cols=len(spec.rows[0].cells)).rows
        spec.rows = [row for row in spec.rows if len(row.cells) == len(spec.rows[0].cells)]
        caption = next_caption("Netto driftsrammer per programområde")
        half = len(spec.rows) // 2
        p = new_page()
        p.heading("C.5 Endringer i sektorenes rammer")
        p.y -= 440
        goldens.append(draw_table(p, spec, rows=spec.rows[:half], caption=caption))
        c.showPage()
        p = new_page()
        goldens.append(draw_continuation(p, spec, spec.rows[half:], caption))
        p.prose(r.choice(PROSE))
        c.showPage()
    # 6-10. tables in the layouts a journalist tripped over (issue 20), on pages of their own after
    # the layouts above (so their page numbers stay put)
    goldens += arranged_pages(m, new_page, next_caption, c)
    c.save()
    pdf = dest / "tables.pdf"
    pdf.write_bytes(buf.getvalue())
    truth = dest / "tables.json"
    truth.write_text(json.dumps([asdict(g) for g in goldens], ensure_ascii=False, indent=1), encoding="utf-8")
    return pdf, truth


ARRANGEMENTS = ("beside_text_left", "beside_text_right", "side_by_side_left", "side_by_side_right", "framed_box",
                "wrapped_labels", "continues_after_subsum")
BESIDE = ("Driftsinntektene økte mer enn ventet, hovedsakelig som følge av høyere skatteinngang og økte statlige "
          "tilskudd. Driftsutgiftene økte mindre enn inntektene, og resultatet ble bedre enn budsjettert. "
          "Kommunen har som mål at disposisjonsfondet over tid skal utgjøre minst 15 prosent av driftsinntektene. "
          "Lånegjelden økte som følge av høye investeringer i skoler, sykehjem og infrastruktur. Renteutgiftene "
          "var likevel lavere enn budsjettert fordi rentenivået holdt seg lavt gjennom hele året, og "
          "kommunedirektøren anbefaler at investeringsnivået vurderes i lys av lånegjelden.")
LONG_LABELS = [
    "Barn og unge: Økt grunnbemanning i kommunale barnehager (bemanningsnorm)",
    "Bistand og omsorg: Flere plasser i Carpe Diem demenslandsby",
    "Miljø, idrett og kultur: Drift av nye kunstgressbaner",
    "Kommunedirektør og stab: Redusert bruk av innleid arbeidskraft",
    "Netto avsetninger til eller bruk av bundne driftsfond",
    "Sum disponeringer eller dekning av netto driftsresultat",
]
SUBSUM_ROWS = ["Rammetilskudd", "Inntekts- og formuesskatt", "Sum generelle driftsinntekter",
               "Sum netto driftsutgifter", "Brutto driftsresultat", "Netto finansutgifter", "Netto driftsresultat",
               "Overføring til investering", "Avsetninger til disposisjonsfond", "Sum disponeringer"]


def _column_prose(page: Page, text: str, x0: float, x1: float, top: float, until: float, size: float = 9.5) -> str:
    """Prose in the column x0..x1 from `top` while above `until`; returns the words left over."""
    c = page.c
    c.setFont(REGULAR, size)
    words, line, y = text.split(), "", top
    while words:
        word = words[0]
        cand = f"{line} {word}".strip()
        if line and stringWidth(cand, REGULAR, size) > x1 - x0:
            if y < until:
                break
            c.drawString(x0, y, line)
            y -= size * 1.35
            line = ""
            continue
        line = cand
        words.pop(0)
    if line:
        if y < until:
            words.insert(0, line)
        else:
            c.drawString(x0, y, line)
    return " ".join(words)


def _small(m: Maker, layout: str, caption: str, n_rows: int = 4, n_cols: int = 2) -> Spec:
    """A small key-figure table: short labels, a few years."""
    r = m.rng
    style = m.style()
    style.footnotes = "none"
    start = r.randint(2018, 2024)
    header_lines = [[(str(start + j), 1) for j in range(n_cols)]]
    rows = []
    for label in r.sample(KEYS + INCOME, n_rows):
        cells, values = m.amounts(r.uniform(300, 9000), n_cols, style)
        rows.append(Row(label, cells, values))
    return Spec(caption, r.choice(UNITS), False, header_lines, [r.choice(["", "Nøkkeltall"])], rows, style, layout)


def _labelled(m: Maker, layout: str, caption: str, labels: list[str], n_cols: int,
              span: tuple[float, float]) -> Spec:
    """A table with the given row labels over plan years; sum-like rows in bold."""
    r = m.rng
    style = m.style()
    style.footnotes = "none"
    start = r.randint(2018, 2024)
    header_lines = [[(str(start + j), 1) for j in range(n_cols)]]
    rows = []
    for label in labels:
        cells, values = m.amounts(r.uniform(*span), n_cols, style)
        rows.append(Row(label, cells, values, bold=label.startswith(("Sum", "Brutto", "Netto driftsresultat"))))
    unit = r.choice(UNITS)
    return Spec(caption, unit, False, header_lines, [r.choice(["", "Driftsbudsjett"])], rows, style, layout)


def arranged_pages(m: Maker, new_page, next_caption, c: canvas.Canvas) -> list[Golden]:
    """Tables beside text (left and right), two side by side, in a framed box, with wrapped row labels,
    and one that goes on after a sub-sum under the same columns; one golden per table."""
    r = m.rng
    out: list[Golden] = []
    for k, side in enumerate(("left", "right", "left", "right")):
        p = new_page()
        p.heading(f"{k + 1} Økonomien i året")
        spec = _small(m, ("grid", "banded", "borderless_ruled", "zebra")[k], next_caption("Nøkkeltall"),
                      n_cols=2 + k % 2)
        width = 240.0 if k % 2 == 0 else 275.0  # wide enough that the font need not shrink
        left = p.left if side == "left" else p.right - width
        top = p.y
        g = draw_table(p, spec, width=width, left=left, size=7.5, arrangement=f"beside_text_{side}")
        x0, x1 = (left + width + 16, p.right) if side == "left" else (p.left, left - 16)
        rest = _column_prose(p, BESIDE, x0, x1, top, p.y + 22)
        p.y = min(p.y, top - 10)
        p.prose(rest or r.choice(PROSE))
        out.append(g)
        c.showPage()
    for k in range(3):
        p = new_page()
        p.heading("Driftsinntekter og driftsutgifter")
        p.prose(r.choice(PROSE))
        half = (p.right - p.left - 24) / 2
        top = p.y
        a = _small(m, LAYOUTS[k], next_caption("Driftsinntekter"), n_cols=1 + k % 2)
        b = _small(m, LAYOUTS[k], next_caption("Driftsutgifter"), n_cols=1 + k % 2)
        ga = draw_table(p, a, width=half, size=7.5, arrangement="side_by_side_left")
        bottom_a = p.y
        p.y = top
        gb = draw_table(p, b, width=half, left=p.left + half + 24, size=7.5, arrangement="side_by_side_right")
        p.y = min(p.y, bottom_a)
        p.prose(r.choice(PROSE))
        out += [ga, gb]
        c.showPage()
    for k in range(2):
        p = new_page()
        p.heading("Investeringer")
        p.prose(r.choice(PROSE))
        spec = _small(m, ("borderless", "banded")[k], f"Faktaboks: Investeringer {2019 + k}", n_rows=5, n_cols=3)
        size = 7.5
        box_top = p.y + size + 10
        height = (size + 8) + (size + 6) + (1 + len(spec.rows)) * size * 1.9 + 14
        x0, x1 = p.left - 6, p.right + 6
        c.setFillColorRGB(0.93, 0.95, 0.97)  # the box's tint, under the table
        c.rect(x0, box_top - height, x1 - x0, height, stroke=0, fill=1)
        c.setFillColorRGB(0, 0, 0)
        g = draw_table(p, spec, size=size, arrangement="framed_box")
        c.setStrokeColorRGB(0.2, 0.3, 0.5)
        c.setLineWidth(1.2)
        c.rect(x0, box_top - height, x1 - x0, height, stroke=1, fill=0)
        c.setStrokeColorRGB(0, 0, 0)
        p.y = box_top - height - 16
        p.prose(r.choice(PROSE))
        out.append(g)
        c.showPage()
    for k in range(3):
        p = new_page()
        p.heading("Endringer fra forslaget")
        p.prose(r.choice(PROSE))
        spec = _labelled(m, LAYOUTS[(k * 3) % len(LAYOUTS)], next_caption("Endringer i driftsbudsjettet"),
                         r.sample(LONG_LABELS, 4), 4, (-2000, 4000))
        out.append(draw_table(p, spec, size=7.5, label_width=130, arrangement="wrapped_labels"))
        p.prose(r.choice(PROSE))
        c.showPage()
    for k in range(2):
        p = new_page()
        p.heading("Obligatorisk oversikt – drift § 5-4")
        spec = _labelled(m, ("grid", "borderless_ruled")[k], next_caption("Bevilgningsoversikt drift 1A"),
                         SUBSUM_ROWS, 5, (100, 9000))
        out.append(draw_table(p, spec, size=7.5, gap_after=SUBSUM_ROWS.index("Netto driftsresultat"),
                              arrangement="continues_after_subsum"))
        p.prose(r.choice(PROSE))
        c.showPage()
    return out


def load_goldens(path: Path) -> list[Golden]:
    return [Golden(**g) for g in json.loads(path.read_text(encoding="utf-8"))]


if __name__ == "__main__":
    import sys

    out = Path(sys.argv[1] if len(sys.argv) > 1 else "tablecorpus")
    pdf_path, truth_path = build_corpus(out)
    print(f"{pdf_path} {truth_path} {len(load_goldens(truth_path))} tables")
