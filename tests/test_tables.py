"""Golden tables: every layout of the generated fixture corpus (sample/tablecorpus.py) read exactly.

The corpus is drawn from how budget documents print tables, independently of the
reader; the truth is what each table prints. Extraction runs on the real PDF.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import catalog
from catalog import DataDir
from catalog.models import Table
from extract.pdf import extract_pdf
from sample.tablecorpus import ARRANGEMENTS, LAYOUTS, Golden, build_corpus, load_goldens


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


@pytest.mark.parametrize("arrangement", ARRANGEMENTS)
def test_golden_tables_by_arrangement(corpus, arrangement: str) -> None:
    """Issue 20: beside a paragraph, side by side, in a framed box, with wrapped labels, going on
    after a sub-sum: each read whole, apart from the text and the other table beside it."""
    goldens, tables = corpus
    chosen = [g for g in goldens if g.arrangement == arrangement]
    assert chosen
    for g in chosen:
        t = _found(g, tables)
        assert (t.header, t.rows, t.values, t.caption, t.unit) == (g.header, g.rows, g.values, g.caption, g.unit), \
            f"page {g.page}"


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


# --- `hparkiv tables` text output, through the real CLI on the sample archive ---------------------


def _tables_text(data_dir: Path, doc_id: str, columns: int) -> str:
    import subprocess
    import sys

    from processes import env_for

    proc = subprocess.run([sys.executable, "-m", "search_cli", "tables", doc_id], capture_output=True, text=True,
                          env=env_for(data_dir) | {"COLUMNS": str(columns)}, timeout=120)
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


@pytest.mark.parametrize("columns", [40, 200])
def test_tables_text_shows_caption_unit_and_never_cuts_labels_or_numbers(archive, columns: int) -> None:
    import json

    from processes import hparkiv

    data_dir = Path(archive[0])
    conn = catalog.connect_readonly(DataDir(data_dir))
    doc_id = conn.execute("SELECT v.doc_id FROM tables t JOIN versions v USING (sha256) WHERE t.caption IS NOT NULL "
                          "AND t.unit IS NOT NULL GROUP BY v.doc_id ORDER BY COUNT(*) DESC LIMIT 1").fetchone()[0]
    conn.close()
    found = json.loads(hparkiv(data_dir, "tables", doc_id, "--format", "json", check=True).stdout)
    text = _tables_text(data_dir, doc_id, columns)
    blocks = [b for b in text.strip("\n").split("\n\n") if b.strip()]
    assert len(blocks) == len(found)
    for t, block in zip(found, blocks, strict=True):
        lines = block.splitlines()
        assert lines[0].endswith(f"p. {t['page']}, table {t['table']}")  # the CSV's and JSON's number
        extra = " · ".join(x for x in (t["caption"], t["unit"]) if x)
        if extra:
            assert lines[1] == extra
        body = [line for line in lines if line.startswith("│")]
        cells = [[c.strip() for c in line.strip("│").split("│")] for line in body]
        labels = "".join(c[0] for c in cells).replace(" ", "")
        assert labels == "".join(r[0] for r in t["rows"]).replace(" ", "")  # folded, never cut
        printed_numbers = {c for row in cells for c in row[1:] if c}
        assert {c for r in t["rows"] for c in r[1:] if c} <= printed_numbers  # every number whole, on one line
