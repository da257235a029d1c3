"""Tables beside text and beside each other (extract/columns.py), wrapped row labels and tables
that go on after a blank band (extract/tables.py), in layouts the table corpus does not draw:
no rules at all, no caption, unaligned rows, other font sizes, labels wrapped at the top or in
the middle of their row. Each page is drawn here with reportlab, as a word processor would."""

from __future__ import annotations

import io
from collections.abc import Callable

import pdfplumber
import pytest
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from extract.columns import find_bands, page_flows
from extract.lines import page_lines
from extract.tables import find_tables

PROSE = ("Driftsinntektene økte mer enn ventet, hovedsakelig som følge av høyere skatteinngang og økte "
         "statlige tilskudd. Driftsutgiftene økte mindre enn inntektene, og resultatet ble bedre enn "
         "budsjettert. Kommunen har som mål at disposisjonsfondet over tid skal utgjøre minst 15 prosent "
         "av driftsinntektene, og lånegjelden skal ikke øke mer enn inntektene i planperioden.")
ROWS = [("Skatt på inntekt og formue", "8 712,4", "9 001,3"), ("Rammetilskudd", "2 144,9", "2 210,0"),
        ("Brukerbetalinger", "498,3", "512,8"), ("Sum driftsinntekter", "11 355,6", "11 724,1")]


class Page:
    """One A4 page drawn top-down in points from the top, like the PDF readers measure."""

    def __init__(self) -> None:
        self.buf = io.BytesIO()
        self.c = canvas.Canvas(self.buf, pagesize=A4, invariant=1)
        self.height = A4[1]

    def text(self, x: float, top: float, s: str, size: float = 8, bold: bool = False, right: bool = False) -> None:
        self.c.setFont("Helvetica-Bold" if bold else "Helvetica", size)
        (self.c.drawRightString if right else self.c.drawString)(x, self.height - top, s)

    def prose(self, x0: float, x1: float, top: float, text: str, size: float = 10) -> float:
        """Left-aligned paragraph between x0 and x1 from `top`; returns the top of the next line."""
        from reportlab.pdfbase.pdfmetrics import stringWidth

        line = ""
        for word in text.split():
            if line and stringWidth(f"{line} {word}", "Helvetica", size) > x1 - x0:
                self.text(x0, top, line, size)
                top += size * 1.3
                line = word
            else:
                line = f"{line} {word}".strip()
        if line:
            self.text(x0, top, line, size)
            top += size * 1.3
        return top

    def table(self, x: float, top: float, rows: list[tuple[str, ...]], header: tuple[str, ...] | None,
              label_w: float = 120, col_w: float = 55, size: float = 8, pitch: float = 12) -> float:
        if header:
            for j, h in enumerate(header):
                self.text(x + label_w + col_w * (j + 1), top, h, size, bold=True, right=True)
            top += pitch
        for label, *amounts in rows:
            self.text(x, top, label, size, bold=label.startswith("Sum"))
            for j, a in enumerate(amounts):
                self.text(x + label_w + col_w * (j + 1), top, a, size, right=True, bold=label.startswith("Sum"))
            top += pitch
        return top

    def pdf(self) -> pdfplumber.PDF:
        self.c.showPage()
        self.c.save()
        return pdfplumber.open(io.BytesIO(self.buf.getvalue()))


def _read(draw: Callable[[Page], None]):
    page = Page()
    draw(page)
    pdf = page.pdf()
    p = pdf.pages[0]
    text = p.extract_text() or ""
    return find_tables(p, text), p


def test_a_borderless_table_with_a_paragraph_beside_it():
    """No rule, no caption, no table word: only the words' positions tell the table from the text."""
    def draw(p: Page) -> None:
        p.text(56, 60, "Økonomien i 2020", 13, bold=True)
        p.table(56, 90, ROWS, ("2019", "2020"))
        p.prose(300, 540, 80, PROSE)

    tables, _ = _read(draw)
    (t,) = tables
    assert t.header == ["", "2019", "2020"]
    assert t.rows == [list(r) for r in ROWS]


def test_a_table_at_the_right_of_a_paragraph_that_goes_on_under_it():
    def draw(p: Page) -> None:
        below = p.prose(56, 290, 80, PROSE[:200])
        p.table(310, 80, ROWS, ("2019", "2020"), label_w=110, col_w=55, size=7, pitch=10)
        p.prose(56, 540, max(below, 140) + 10, PROSE[200:])

    tables, page = _read(draw)
    (t,) = tables
    assert t.rows == [list(r) for r in ROWS] and t.header == ["", "2019", "2020"]
    assert len(find_bands(page_lines(page))) == 1


def test_two_tables_side_by_side_with_rows_at_other_heights():
    other = [("Lønn og sosiale utgifter", "7 903,1"), ("Kjøp av varer og tjenester", "2 846,7"),
             ("Overføringer", "684,5"), ("Avskrivninger", "575,3"), ("Sum driftsutgifter", "12 009,6")]

    def draw(p: Page) -> None:
        p.table(56, 90, ROWS, ("2019", "2020"), label_w=105, col_w=45, size=7.5, pitch=13)
        p.table(330, 95, other, ("2020",), label_w=140, col_w=65, size=8.5, pitch=11)

    tables, _ = _read(draw)
    left, right = tables
    assert left.rows == [list(r) for r in ROWS] and right.rows == [list(r) for r in other]
    assert (left.header, right.header) == (["", "2019", "2020"], ["", "2020"])
    assert left.bbox[2] < right.bbox[0]


def test_a_text_column_of_the_table_stays_in_the_table():
    """Short words right of the amounts ("Ny", "Videreført") are the table's own column, not a paragraph."""
    rows = [(label, a, b, note) for (label, a, b), note in zip(ROWS, ["Ny", "Videreført", "Økt", "Sum"], strict=True)]

    def draw(p: Page) -> None:
        p.table(56, 90, [r[:3] for r in rows], ("2019", "2020"))
        for k, r in enumerate(rows):
            p.text(300, 90 + 12 * (k + 1), r[3])

    tables, page = _read(draw)
    (t,) = tables
    assert [row[-1] for row in t.rows] == ["Ny", "Videreført", "Økt", "Sum"]
    assert find_bands(page_lines(page)) == []


def test_a_column_of_notes_in_the_table_is_no_paragraph():
    """Notes of several words a row, under their own header, end with the rows: the table's column."""
    notes = ["Økt skatteinngang etter lønnsoppgjøret i år", "Nytt inntektssystem fra staten i år",
             "Høyere satser for foreldrebetaling i år", "Summen av alle linjene over i år"]

    def draw(p: Page) -> None:
        p.table(56, 90, ROWS, ("2019", "2020"), label_w=110, col_w=50)
        p.text(300, 90, "Kommentar", 8, bold=True)
        for k, note in enumerate(notes):
            p.text(300, 102 + 12 * k, note)

    tables, page = _read(draw)
    (t,) = tables
    assert [row[-1] for row in t.rows] == notes and t.header[-1] == "Kommentar"
    assert find_bands(page_lines(page)) == []


def test_prose_in_two_columns_is_no_table():
    def draw(p: Page) -> None:
        p.prose(56, 290, 80, PROSE + " Tallene for 2021 og 2022 er 1 234,5 og 2 345,6 mill. kroner.")
        p.prose(310, 540, 80, PROSE)

    tables, page = _read(draw)
    assert tables == [] and find_bands(page_lines(page)) == []


def _wrapped(p: Page, align: str) -> None:
    """Rows whose labels wrap over two or three lines, the amounts on the first, middle or last line."""
    top = 90
    for j, h in enumerate(("2021", "2022")):
        p.text(56 + 130 + 60 * (j + 1), top, h, 8, bold=True, right=True)
    top += 14
    for label_lines, amounts in ([["Barn og unge: Økt", "grunnbemanning i", "barnehagene"], ("4 000", "4 000")],
                                 [["Eiendom"], ("1 250", "-300")],
                                 [["Bistand og omsorg:", "(ressurskrevende", "tjenester)"], ("12 500", "–")]):
        at = {"top": 0, "middle": len(label_lines) // 2, "bottom": len(label_lines) - 1}[align]
        for k, line in enumerate(label_lines):
            p.text(56, top + 9.5 * k, line, 8)
        for j, a in enumerate(amounts):
            p.text(56 + 130 + 60 * (j + 1), top + 9.5 * at, a, 8, right=True)
        top += 9.5 * len(label_lines) + 6


@pytest.mark.parametrize("align", ["top", "middle", "bottom"])
def test_a_wrapped_row_label_stays_one_row(align):
    tables, _ = _read(lambda p: (p.text(56, 70, "Tabell 2 Endringer i rammene", 10, bold=True), _wrapped(p, align)))
    (t,) = tables
    assert t.rows == [["Barn og unge: Økt grunnbemanning i barnehagene", "4 000", "4 000"],
                      ["Eiendom", "1 250", "-300"],
                      ["Bistand og omsorg: (ressurskrevende tjenester)", "12 500", "–"]], align
    assert t.caption == "Tabell 2 Endringer i rammene"


def test_a_unit_line_right_above_the_rows_is_no_label():
    """A table without a header row, its unit line as close above the first row as the rows are."""
    def draw(p: Page) -> None:
        p.text(56, 70, "Tabell 4 Frie inntekter", 10, bold=True)
        p.text(56, 84, "tall i mill. kroner", 8)
        p.table(56, 93, ROWS, None, pitch=12)  # the unit line closer than a row: it could pass for a wrap

    tables, _ = _read(draw)
    (t,) = tables
    assert t.rows == [list(r) for r in ROWS] and t.unit == "tall i mill. kroner"


def test_a_caption_right_above_a_first_label_that_runs_on_is_no_part_of_it():
    """The first row's label starts in lower case (as a wrapped label's later lines do), with the
    caption and the unit line as close above it as the rows are: both stay caption and unit."""
    rows = [("økt grunnbemanning", "4 000", "4 000"), *ROWS[1:]]

    def draw(p: Page) -> None:
        p.text(56, 81, "Tabell 7 Tiltak", 9, bold=True)
        p.text(56, 93, "tall i 1000 kr", 8)
        p.table(56, 105, rows, None, pitch=12)

    tables, _ = _read(draw)
    (t,) = tables
    assert t.rows == [list(r) for r in rows] and t.unit == "tall i 1000 kr" and t.caption.startswith("Tabell 7")


def test_a_heading_inside_the_table_stays_its_own_row():
    def draw(p: Page) -> None:
        p.text(56, 78, "Tall i mill. kroner", 8)
        p.text(56 + 180, 90, "2021", 8, bold=True, right=True)
        p.text(56, 102, "Politisk styring", 8)
        p.text(56 + 180, 102, "45,0", 8, right=True)
        p.text(56, 114, "Barn og unge", 8, bold=True)
        p.text(66, 126, "grunnskole", 8)  # lower case, but indented under the heading: a row of its own
        p.text(56 + 180, 126, "1 234,5", 8, right=True)
        p.text(66, 138, "Barnehager", 8)
        p.text(56 + 180, 138, "987,0", 8, right=True)

    tables, _ = _read(draw)
    (t,) = tables
    assert t.rows == [["Politisk styring", "45,0"], ["Barn og unge", ""], ["grunnskole", "1 234,5"],
                      ["Barnehager", "987,0"]]


def test_a_table_goes_on_after_a_blank_band_under_the_same_columns():
    first = [("Sum generelle driftsinntekter", "11 537,9", "11 406,1"), ("Netto driftsresultat", "701,6", "517,3")]
    second = [("Overføring til investering", "150,0", "150,0"), ("Sum disponeringer", "701,6", "517,3")]

    def draw(p: Page) -> None:
        p.text(56, 70, "Bevilgningsoversikt drift", 10, bold=True)
        top = p.table(56, 90, first, ("2020", "2021"), label_w=160)
        p.text(56, top + 18, "Disponeringer:", 8)
        p.table(56, top + 30, second, None, label_w=160)
        p.text(56, top + 90, "Tabell 3 Investeringer", 10, bold=True)  # another table, its own caption
        p.table(56, top + 110, [("Haug skole", "96,0", "88,4"), ("Berger sykehjem", "41,5", "44,2")],
                ("Budsjett", "Regnskap"), label_w=160)

    tables, _ = _read(draw)
    overview, investments = tables
    assert [r[0] for r in overview.rows] == [r[0] for r in first] + ["Disponeringer:"] + [r[0] for r in second]
    assert overview.caption == "Bevilgningsoversikt drift"
    assert investments.caption == "Tabell 3 Investeringer" and len(investments.rows) == 2


def test_flows_of_a_plain_page_are_its_lines():
    def draw(p: Page) -> None:
        p.prose(56, 540, 80, PROSE)
        p.table(56, 160, ROWS, ("2019", "2020"))

    page = Page()
    draw(page)
    p = page.pdf().pages[0]
    assert [[ln.text for ln in flow] for flow in page_flows(p)] == [[ln.text for ln in page_lines(p)]]
