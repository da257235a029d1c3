"""Render sample documents: text PDFs, broken PDFs, a scanned PDF and a .docx.

Uses the reportlab canvas directly (no platypus) so 150-page documents stay fast,
and ``invariant=1`` so the same input always gives the same bytes.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.lib.pagesizes import A4
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen import canvas

from sample.content import Block

WIDTH, HEIGHT = A4
MARGIN = 56
BODY_FONT = ("Helvetica", 10, 13)
FONTS = {"h1": ("Helvetica-Bold", 20, 26), "h2": ("Helvetica-Bold", 13, 18)}
ROW_HEIGHT = 16
DEJAVU = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")


def wrap(text: str, font: str, size: float, width: float) -> list[str]:
    """Greedy word wrap; never hyphenates, so planted sentences stay whole words."""
    lines: list[str] = []
    line = ""
    for word in text.split():
        candidate = f"{line} {word}" if line else word
        if stringWidth(candidate, font, size) <= width or not line:
            line = candidate
        else:
            lines.append(line)
            line = word
    if line:
        lines.append(line)
    return lines


def _draw_table(c: canvas.Canvas, y: float, caption: str, header: list[str], rows: list[list[str]]) -> float:
    """A fully ruled table, so pdfplumber finds its cells from the lines."""
    c.setFont("Helvetica-Oblique", 9)
    c.drawString(MARGIN, y, caption)
    y -= 6
    first = 112.0
    other = (WIDTH - 2 * MARGIN - first) / (len(header) - 1)
    xs = [MARGIN, MARGIN + first] + [MARGIN + first + other * i for i in range(1, len(header))]
    for r, row in enumerate([header] + rows):
        top = y - r * ROW_HEIGHT
        c.setFont("Helvetica-Bold" if r == 0 else "Helvetica", 7.5)
        for i, cell in enumerate(row):
            c.rect(xs[i], top - ROW_HEIGHT, xs[i + 1] - xs[i], ROW_HEIGHT, stroke=1, fill=0)
            if i == 0:
                c.drawString(xs[i] + 3, top - 11, cell)
            else:
                c.drawRightString(xs[i + 1] - 3, top - 11, cell)
    return y - (len(rows) + 1) * ROW_HEIGHT - 14


@dataclass
class GridRow:
    """One row of a `Grid`: the label first, then the amounts as printed."""

    cells: list[str]
    bold: bool = False
    gap_before: bool = False  # a blank band and a new top rule first: the table goes on under the same columns
    label_only: bool = False  # a sub-heading inside the table ("Disponering …:"), no amounts


@dataclass
class Grid:
    """A budget table drawn the way plan documents print them.

    Labels wrap inside their column (the amounts stand on the label's last line, as Word and
    Excel align them), bold sum rows, an optional caption and unit line above, footnotes
    below, a framed box ("faktaboks") around it, and rows that go on after a blank band
    under the same columns (an obligatory overview continuing after a sub-sum).
    """

    header: list[str]
    rows: list[GridRow]
    caption: str | None = None
    unit: str | None = None
    label_width: float = 150.0
    size: float = 7.5
    notes: list[str] = field(default_factory=list)
    frame: str | None = None  # title of a framed, tinted box around the table
    ruled: bool = True  # a full grid; False: a rule under the header and one at the bottom only

    def text(self) -> str:
        """Every word the table prints, for the sample's own page-text model."""
        parts = [self.frame or "", self.caption or "", self.unit or "", " ".join(self.header)]
        parts += [" ".join(r.cells) for r in self.rows] + list(self.notes)
        return " ".join(p for p in parts if p)


GRID_GAP = 12.0  # the blank band before a row with gap_before
FRAME_PAD = 8.0


def _line_h(g: Grid) -> float:
    return g.size + 2.5


def _col_w(g: Grid, width: float) -> float:
    inner = width - (2 * FRAME_PAD if g.frame else 0)
    return (inner - g.label_width) / (len(g.header) - 1)


def _row_lines(g: Grid, row: GridRow, width: float, header: bool = False) -> list[list[str]]:
    """Each cell's lines: the label wraps in its column; so do header cells ("Økonomiplan" / "2022")."""
    font = "Helvetica-Bold" if row.bold else "Helvetica"
    cells = [wrap(row.cells[0], font, g.size, g.label_width - 6) or [""]]
    for cell in row.cells[1:]:
        cells.append(wrap(cell, font, g.size, _col_w(g, width) - 6) if header else [cell])
    return cells


def _row_h(g: Grid, row: GridRow, width: float, header: bool = False) -> float:
    return max(len(c) for c in _row_lines(g, row, width, header)) * _line_h(g) + 5


def grid_height(g: Grid, width: float) -> float:
    """Height of the whole block at `width`: frame, caption, unit, header, rows, gaps and notes."""
    h = 0.0
    if g.frame:
        h += 2 * FRAME_PAD + g.size + 8
    if g.caption:
        h += g.size + 8
    if g.unit:
        h += g.size + 5
    h += _row_h(g, GridRow(g.header, bold=True), width, header=True)
    for row in g.rows:
        h += _row_h(g, row, width) + (GRID_GAP if row.gap_before else 0)
    h += len(g.notes) * (g.size + 3) + (4 if g.notes else 0)
    return h


def draw_grid(c: canvas.Canvas, g: Grid, x: float, top: float, width: float) -> float:
    """Draw `g` with its top at `top`, between x and x + width; returns the y under it."""
    y = top
    inner_x = x
    if g.frame:
        height = grid_height(g, width)
        c.setFillColorRGB(0.93, 0.95, 0.97)
        c.setStrokeColorRGB(0.2, 0.3, 0.5)
        c.setLineWidth(1.2)
        c.rect(x, top - height, width, height, stroke=1, fill=1)
        c.setFillColorRGB(0, 0, 0)
        c.setStrokeColorRGB(0, 0, 0)
        inner_x = x + FRAME_PAD
        y -= FRAME_PAD + g.size + 2
        c.setFont("Helvetica-Bold", g.size + 1.5)
        c.drawString(inner_x, y, g.frame)
        y -= 6
    if g.caption:
        y -= g.size + 2
        c.setFont("Helvetica-Bold", g.size + 1)
        c.drawString(inner_x, y, g.caption)
        y -= 6
    if g.unit:
        y -= g.size
        c.setFont("Helvetica-Oblique", g.size)
        c.drawString(inner_x, y, g.unit)
        y -= 5
    n = len(g.header) - 1
    col_w = _col_w(g, width)
    xs = [inner_x, inner_x + g.label_width] + [inner_x + g.label_width + col_w * (j + 1) for j in range(n)]
    c.setLineWidth(0.5)
    segment_top = y

    def rules(seg_top: float, bottoms: list[float]) -> None:
        if g.ruled:
            for b in bottoms:
                c.line(xs[0], b, xs[-1], b)
            c.line(xs[0], seg_top, xs[-1], seg_top)
            for xv in xs:
                c.line(xv, seg_top, xv, bottoms[-1])
        else:
            c.line(xs[0], bottoms[-1], xs[-1], bottoms[-1])

    bottoms: list[float] = []
    for k, row in enumerate([GridRow(g.header, bold=True)] + g.rows):
        if row.gap_before:
            rules(segment_top, bottoms)
            y -= GRID_GAP
            segment_top, bottoms = y, []
        cells = _row_lines(g, row, width, header=k == 0)
        height = max(len(cl) for cl in cells)
        c.setFont("Helvetica-Bold" if row.bold else "Helvetica", g.size)
        first = y - 3 - g.size * 0.85
        for i, line in enumerate(cells[0]):
            c.drawString(xs[0] + 3, first - i * _line_h(g), line)
        if not row.label_only:
            for j, lines in enumerate(cells[1:]):
                # header cells from the top; amounts on the label's last line, as Word and Excel align them
                start = first if k == 0 else first - (len(cells[0]) - 1) * _line_h(g)
                for i, line in enumerate(lines):
                    c.drawRightString(xs[j + 2] - 3, start - i * _line_h(g), line)
        y -= height * _line_h(g) + 5
        bottoms.append(y)
        if k == 0 and not g.ruled:
            c.line(xs[0], y, xs[-1], y)
    rules(segment_top, bottoms)
    if g.notes:
        y -= 4
        c.setFont("Helvetica", g.size - 0.5)
        for note in g.notes:
            y -= g.size + 3
            c.drawString(inner_x, y + 3, note)
    if g.frame:
        y -= FRAME_PAD
    return y


def _beside_lines(text: str, col_w: float) -> list[str]:
    return wrap(text, BODY_FONT[0], BODY_FONT[1], col_w)


def block_height(block: Block) -> float:
    """The height a block takes on the page (as render_pdf lays it out)."""
    kind = block[0]
    if kind == "table":
        return (len(block[3]) + 1) * ROW_HEIGHT + 20
    if kind == "grid":
        return grid_height(block[1], WIDTH - 2 * MARGIN) + 14
    if kind == "pair":
        half = (WIDTH - 2 * MARGIN - 20) / 2
        return max(grid_height(block[1], half), grid_height(block[2], half)) + 14
    if kind == "beside":
        _, g, text, _side, tw = block
        col = WIDTH - 2 * MARGIN - tw - 16
        lines = _beside_lines(text, col)
        beside = int(grid_height(g, tw) // BODY_FONT[2]) + 1
        rest = " ".join(lines[beside:])
        below = len(wrap(rest, BODY_FONT[0], BODY_FONT[1], WIDTH - 2 * MARGIN)) if rest else 0
        return max(grid_height(g, tw), min(len(lines), beside) * BODY_FONT[2]) + below * BODY_FONT[2] + 14
    font, size, leading = FONTS.get(kind, BODY_FONT)
    lines = block[1] if kind == "lines" else wrap(block[1], font, size, WIDTH - 2 * MARGIN)
    return leading * len(lines) + 6


def block_text(block: Block) -> str:
    """Every word a block prints, in reading order where there is one."""
    kind = block[0]
    if kind == "table":
        return " ".join([block[1]] + list(block[2]) + [c for row in block[3] for c in row])
    if kind == "grid":
        return block[1].text()
    if kind == "pair":
        return block[1].text() + " " + block[2].text()
    if kind == "beside":
        return block[1].text() + " " + block[2]
    if kind == "lines":
        return " ".join(block[1])
    return block[1]


def _draw_beside(c: canvas.Canvas, y: float, block: Block) -> float:
    """A small table at one side and a paragraph flowing beside it, then on under it at full width."""
    _, g, text, side, tw = block
    col = WIDTH - 2 * MARGIN - tw - 16
    table_x = MARGIN if side == "left" else WIDTH - MARGIN - tw
    text_x = MARGIN + tw + 16 if side == "left" else MARGIN
    table_bottom = draw_grid(c, g, table_x, y + BODY_FONT[1], tw)
    lines = _beside_lines(text, col)
    beside = int(grid_height(g, tw) // BODY_FONT[2]) + 1
    c.setFont(BODY_FONT[0], BODY_FONT[1])
    ty = y
    for line in lines[:beside]:
        c.drawString(text_x, ty, line)
        ty -= BODY_FONT[2]
    y = min(table_bottom - BODY_FONT[2], ty)
    rest = " ".join(lines[beside:])
    for line in wrap(rest, BODY_FONT[0], BODY_FONT[1], WIDTH - 2 * MARGIN) if rest else []:
        c.drawString(MARGIN, y, line)
        y -= BODY_FONT[2]
    return y - 6


def _fits(y: float, block: Block) -> bool:
    if block[0] == "table":
        return y - ((len(block[3]) + 2) * ROW_HEIGHT + 20) >= MARGIN
    if block[0] in ("grid", "pair", "beside"):
        return y - block_height(block) + 14 >= MARGIN
    return y - block_height(block) + 6 >= MARGIN


class Overflow(ValueError):
    """A designed block (grid, pair, beside) does not fit its page: the sample's design is wrong."""


def render_pdf(
    pages: list[list[Block]],
    title: str | None = None,
    running_head: str = "Bærum kommune",
    encrypt: str | None = None,
    author: str = "Bærum kommune",
    dropped: list[tuple[int, Block]] | None = None,
) -> bytes:
    """Draw pages of blocks. Filler blocks that would overflow a page are dropped (and listed in
    `dropped` when given); designed tables that would overflow raise `Overflow`."""
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4, invariant=1, encrypt=encrypt, pageCompression=1)
    c.setTitle(title or "")  # reportlab would write "untitled"; an empty Title is the realistic "missing"
    c.setAuthor(author)
    total = len(pages)
    for number, blocks in enumerate(pages, start=1):
        c.setFont("Helvetica", 8)
        c.drawString(MARGIN, HEIGHT - 30, running_head)
        c.drawRightString(WIDTH - MARGIN, 30, f"Side {number} av {total}")
        y = HEIGHT - MARGIN - 10
        for k, block in enumerate(blocks):
            kind = block[0]
            if not _fits(y, block):
                if kind in ("grid", "pair", "beside"):
                    raise Overflow(f"page {number}: {block_text(block)[:60]!r} does not fit")
                if dropped is not None:
                    dropped.extend((number, b) for b in blocks[k:])
                break
            if kind == "table":
                y = _draw_table(c, y, block[1], block[2], block[3])
                continue
            if kind == "grid":
                y = draw_grid(c, block[1], MARGIN, y + 9, WIDTH - 2 * MARGIN) - 14
                continue
            if kind == "pair":
                half = (WIDTH - 2 * MARGIN - 20) / 2
                left = draw_grid(c, block[1], MARGIN, y + 9, half)
                right = draw_grid(c, block[2], MARGIN + half + 20, y + 9, half)
                y = min(left, right) - 14
                continue
            if kind == "beside":
                y = _draw_beside(c, y, block)
                continue
            font, size, leading = FONTS.get(kind, BODY_FONT)
            lines = block[1] if kind == "lines" else wrap(block[1], font, size, WIDTH - 2 * MARGIN)
            c.setFont(font, size)
            for line in lines:
                c.drawString(MARGIN, y, line)
                y -= leading
            y -= 6
        c.showPage()
    c.save()
    return buf.getvalue()


def render_scanned(lines: list[str], title: str | None = None) -> bytes:
    """An image-only PDF: text drawn into a 300 dpi bitmap, large enough for tesseract."""
    from PIL import Image, ImageDraw, ImageFont

    dpi = 300
    size = (int(WIDTH / 72 * dpi), int(HEIGHT / 72 * dpi))
    img = Image.new("L", size, 255)
    draw = ImageDraw.Draw(img)
    font = ImageFont.truetype(str(DEJAVU), int(28 / 72 * dpi))
    y = int(1.0 * dpi)
    for line in lines:
        draw.text((int(0.8 * dpi), y), line, fill=0, font=font)
        y += int(28 / 72 * dpi * 1.5)
    png = io.BytesIO()
    img.save(png, format="PNG", optimize=False)
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4, invariant=1)
    c.setTitle(title or "")
    c.drawImage(ImageReader(io.BytesIO(png.getvalue())), 0, 0, WIDTH, HEIGHT)
    c.showPage()
    c.save()
    return buf.getvalue()


def truncate(pdf: bytes) -> bytes:
    """A download cut off mid-stream: the header survives, the xref and trailer do not."""
    return pdf[: len(pdf) // 3]


def render_docx(paragraphs: list[str]) -> bytes:
    """A minimal valid WordprocessingML file, written by hand with zipfile."""
    body = "".join(f"<w:p><w:r><w:t xml:space=\"preserve\">{escape(p)}</w:t></w:r></w:p>" for p in paragraphs)
    files = {
        "[Content_Types].xml": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/word/document.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>'
        ),
        "_rels/.rels": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
            'relationships/officeDocument" Target="word/document.xml"/></Relationships>'
        ),
        "word/document.xml": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
            f"<w:body>{body}</w:body></w:document>"
        ),
    }
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, text in files.items():
            info = zipfile.ZipInfo(name, date_time=(2020, 11, 1, 12, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, text)
    return buf.getvalue()
