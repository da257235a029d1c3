"""Render sample documents: text PDFs, broken PDFs, a scanned PDF and a .docx.

Uses the reportlab canvas directly (no platypus) so 150-page documents stay fast,
and ``invariant=1`` so the same input always gives the same bytes.
"""

from __future__ import annotations

import io
import zipfile
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


def render_pdf(
    pages: list[list[Block]],
    title: str | None = None,
    running_head: str = "Bærum kommune",
    encrypt: str | None = None,
    author: str = "Bærum kommune",
) -> bytes:
    """Draw pages of blocks; blocks that would overflow a page are dropped (they are filler)."""
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
        for block in blocks:
            kind = block[0]
            if kind == "table":
                needed = (len(block[3]) + 2) * ROW_HEIGHT + 20
                if y - needed < MARGIN:
                    break
                y = _draw_table(c, y, block[1], block[2], block[3])
                continue
            font, size, leading = FONTS.get(kind, BODY_FONT)
            lines = block[1] if kind == "lines" else wrap(block[1], font, size, WIDTH - 2 * MARGIN)
            if y - leading * len(lines) < MARGIN:
                break
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
