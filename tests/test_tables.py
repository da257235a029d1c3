"""Golden tables: every layout of the generated fixture corpus (sample/tablecorpus.py) read exactly.

The corpus is drawn from how budget documents print tables, independently of the
reader; the truth is what each table prints. Extraction runs on the real PDF.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from catalog.models import Table
from extract.pdf import extract_pdf
from sample.tablecorpus import LAYOUTS, Golden, build_corpus, load_goldens


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> tuple[list[Golden], list[Table]]:
    pdf, truth = build_corpus(tmp_path_factory.mktemp("tablecorpus"))
    result = extract_pdf(pdf, ocr=False)
    assert result.status == "ok"
    return load_goldens(truth), result.tables


def _found(g: Golden, tables: list[Table]) -> Table:
    on_page = [t for t in tables if t.page == g.page]
    matches = [t for t in on_page if t.rows and t.rows[0] == g.rows[0]]
    assert matches, f"page {g.page}: no table starting {g.rows[0]}; found {[t.rows[:1] for t in on_page]}"
    return matches[0]


def test_corpus_covers_every_layout(corpus) -> None:
    goldens, _ = corpus
    assert len(goldens) >= 60
    assert {g.layout for g in goldens} == set(LAYOUTS)
    assert any(any("Økonomiplan" in h for h in g.header) for g in goldens)  # group titles over columns
    assert any(len(g.header) == 2 for g in goldens)  # a small table
    assert any(g.caption and g.caption.endswith("(forts.)") for g in goldens)  # continued on the next page


@pytest.mark.parametrize("layout", LAYOUTS)
def test_golden_tables_by_layout(corpus, layout: str) -> None:
    goldens, tables = corpus
    for g in [g for g in goldens if g.layout == layout]:
        t = _found(g, tables)
        assert t.header == g.header, f"page {g.page}"
        assert t.rows == g.rows, f"page {g.page}"
        assert t.values == g.values, f"page {g.page}"
        assert (t.caption, t.unit) == (g.caption, g.unit), f"page {g.page}"


def test_each_page_has_exactly_its_tables(corpus) -> None:
    """Several tables on a page stay apart; no row of one table lands in another."""
    goldens, tables = corpus
    for page in {g.page for g in goldens}:
        want = sorted(len(g.rows) for g in goldens if g.page == page)
        assert sorted(len(t.rows) for t in tables if t.page == page) == want, f"page {page}"


def test_bbox_holds_the_table(corpus) -> None:
    goldens, tables = corpus
    for g in goldens:
        t = _found(g, tables)
        assert t.bbox is not None
        x0, top, x1, bottom = t.bbox
        gx0, gtop, gx1, gbottom = g.bbox
        assert gx0 - 1 <= x0 < x1 <= gx1 + 1 and gtop - 1 <= top < bottom <= gbottom + 1, f"page {g.page}"


def test_prose_page_has_no_table(tmp_path: Path) -> None:
    from sample.synth import budget_pdf

    path = tmp_path / "b.pdf"
    path.write_bytes(budget_pdf(6))
    result = extract_pdf(path, ocr=False)
    assert not [t for t in result.tables if t.page in (1, 4, 5)]


def test_contents_list_with_page_numbers_is_no_table(tmp_path: Path) -> None:
    """Right-aligned page numbers after chapter titles look like one amount column; they are not."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    path = tmp_path / "toc.pdf"
    c = canvas.Canvas(str(path), pagesize=A4, invariant=1)
    c.setFont("Helvetica-Bold", 14)
    c.drawString(56, 780, "Innhold")
    c.setFont("Helvetica", 10)
    for k, title in enumerate(["1 Innledning", "2 Økonomiske rammebetingelser", "3 Barn og unge",
                               "4 Bistand og omsorg", "C.1 Hovedoversikt netto driftsrammer"]):
        c.drawString(56, 750 - 16 * k, title)
        c.drawRightString(540, 750 - 16 * k, str(3 + 7 * k))
    c.showPage()
    c.save()
    import pdfplumber

    from extract.tables import page_tables

    with pdfplumber.open(path) as pdf:  # the reader itself, not only the quick page test before it
        assert page_tables(pdf.pages[0]) == []
    assert extract_pdf(path, ocr=False).tables == []
