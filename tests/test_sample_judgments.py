"""The judged query set (bench/relevance_judgments.toml) is current, well formed and true to the PDFs.

The judgments are generated from the sample's printed page texts (sample/judgments.py); these
tests check that the committed file is what the generator writes today, and that the page-text
model it judges is what the PDFs really print.
"""

from __future__ import annotations

import io
import re
import tempfile
import tomllib
from pathlib import Path

import pdfplumber

from sample import Truth, document_file, judgments, site
from sample.truth import GENERATOR_VERSION


def load() -> dict:
    return tomllib.loads(judgments.OUT.read_text(encoding="utf-8"))


def test_the_committed_judgments_are_current() -> None:
    assert judgments.OUT.read_text(encoding="utf-8") == judgments.generate(), (
        "bench/relevance_judgments.toml is out of date: run python -m sample.judgments")


def test_shape_and_coverage(sample_truth: Truth) -> None:
    data = load()
    assert data["generator_version"] == GENERATOR_VERSION and data["variant"] == 0
    queries = data["query"]
    assert len(queries) >= 70 and len({q["id"] for q in queries}) == len(queries)
    assert {q["kind"] for q in queries} == set(judgments.KINDS)
    docs = {d.key: d for d in sample_truth.documents}
    for q in queries:
        assert q["relevant"], q["id"]
        for r in q["relevant"]:
            d = docs[r["key"]]
            assert d.status in ("ok", "no_text") and 1 <= r["page"] <= (d.pages or 1), (q["id"], r)
            assert r["grade"] in (1, 2)
        for k, v in q.get("filters", {}).items():
            for r in q["relevant"]:
                if k in ("committee", "doctype", "year", "period"):
                    assert str(getattr(docs[r["key"]], k)) == v, (q["id"], r)
    # every sentence planted for search is judged relevant to some query of its kinds
    judged = {(r["key"], r["page"]) for q in queries for r in q["relevant"]}
    for plant in sample_truth.search_plants:
        assert (plant["key"], plant["page"]) in judged, plant


def test_snippet_spans_are_on_their_pages(sample_dir: Path, sample_truth: Truth) -> None:
    for q in load()["query"]:
        for span in q.get("snippet_keep", []):
            pages = []
            for r in q["relevant"]:
                with pdfplumber.open(io.BytesIO(document_file(sample_dir, sample_truth.doc(r["key"])).read_bytes())) as pdf:
                    pages.append(" ".join((pdf.pages[r["page"] - 1].extract_text() or "").split()))
            assert any(span in text for text in pages), (q["id"], span)


def _words(text: str) -> set[str]:
    return set(re.findall(r"[a-zæøå0-9]+", text.lower()))


def test_page_text_model_is_what_the_pdfs_print(sample_dir: Path, sample_truth: Truth) -> None:
    """Every word the judging model sees on a page is printed on that page (the model is exact), for
    every page of the documents the plants and layouts live in."""
    with tempfile.TemporaryDirectory() as tmp:
        builder = site.build_builder(Path(tmp), 0)
    keys = {p["key"] for p in sample_truth.search_plants} | {"okonomimelding", "arsrapport", "innspill-nynorsk",
                                                              "portal-kommunestyret-protokoll"}
    model = [p for p in judgments.page_model(builder) if p.key in keys and not p.ocr]
    checked = 0
    for key in sorted(keys):
        doc = sample_truth.doc(key)
        if doc.media_type != "pdf":
            continue
        with pdfplumber.open(io.BytesIO(document_file(sample_dir, doc).read_bytes())) as pdf:
            for page in (p for p in model if p.key == key):
                if page.page > 40:
                    continue
                printed = _words(pdf.pages[page.page - 1].extract_text() or "")
                missing = _words(page.text) - printed
                assert not missing, (key, page.page, sorted(missing)[:10])
                checked += 1
    assert checked > 50
