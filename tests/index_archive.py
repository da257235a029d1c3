"""A small real catalog of hand-written Norwegian pages, indexed: the archive of the index's
tests (the `small_archive` fixture: tests/test_index*.py), and how a test adds a document to
a catalog (tests/test_rank.py too)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import catalog
from catalog import DataDir, Filters, PageText, Table
from index import search, update_index
from index.searcher import close_all

BASE = "https://www.baerum.kommune.no/politikk/hp/"

DOCS = {
    "forslag21": dict(
        meta=dict(title="Kommunedirektørens forslag HP 2021-2024", year=2021, period="2021-2024",
                  committee="formannskapet", doctype="forslag", date="2020-09-15"),
        pages=[
            "Kommunedirektørens forslag til budsjettet for 2021. Barnehageplassene skal økes med 120.",
            "Det bygges nye sykehjemsplasser på Carpe Diem demenslandsby. Tall i mill. kroner: 1 234 567.",
            "Oversikt over driften i sektoren.",
        ],
        tables={3: Table(3, 0, ["Tjeneste", "Beløp"], [["Grunnskoleopplæring", "45 000"]])},
    ),
    "protokoll22": dict(
        meta=dict(title="Protokoll HBU", year=2022, period="2022-2025", committee="barn-og-unge",
                  doctype="protokoll", date="2021-11-02"),
        pages=[
            "Vedtak: Barnehage og skole prioriteres i planperioden. Votering: enstemmig.",
            "Midler til grunnskoleopplæring i Bærum økes.",
        ],
        tables={},
    ),
    "vedtak23": dict(
        meta=dict(title="Vedtatt HP 2023-2026", year=2023, period="2023-2026", committee="kommunestyret",
                  doctype="vedtak", date="2022-12-14"),
        pages=[
            "Sykehjem og hjemmetjenester styrkes. Kommunestyret vedtok handlingsprogrammet.",
            "Investeringer i idrettshaller og svømmebasseng.",
        ],
        tables={},
    ),
}


def add_doc(conn, data_dir: DataDir, name: str, pages: list[str], meta: dict, tables: dict | None = None,
            url: str | None = None) -> str:
    """Record and extract one version the way the crawler and extractor would."""
    data = ("\n".join(pages) + name).encode()
    sha = data_dir.store_bytes(data)
    catalog.record_version(
        conn, url=url or BASE + name + ".pdf", sha256=sha, size=len(data), media_type="pdf",
        content_type="application/pdf", etag=None, last_modified=None, meta=meta,
        provenance={k: "test" for k in meta},
    )
    catalog.record_extraction(
        conn, sha, status="ok", error=None,
        pages=[PageText(i, t) for i, t in enumerate(pages, 1)],
        tables=list((tables or {}).values()),
    )
    return sha


def indexed(tmp_path: Path) -> Iterator[tuple[DataDir, catalog.Connection, dict[str, str]]]:
    """DOCS catalogued and indexed under `tmp_path`: (data dir, its catalog, sha256 by name)
    (the `small_archive` fixture, tests/conftest.py)."""
    data_dir = DataDir(tmp_path / "data")
    conn = catalog.connect(data_dir)
    shas = {name: add_doc(conn, data_dir, name, d["pages"], d["meta"], d["tables"]) for name, d in DOCS.items()}
    update_index(data_dir)
    yield data_dir, conn, shas
    close_all()
    conn.close()


def pages_of(data_dir: DataDir, query: str, filters: Filters | None = None) -> set[tuple[str, int]]:
    return {(h.sha256, h.page) for h in search(data_dir, query, filters or Filters(), limit=None).hits}
