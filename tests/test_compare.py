"""budget/compare.py on a catalog written by hand: per inhabitant where a municipality's own
key-figure table states them (and which table said so), absolute where none does, and a
disagreement between documents shown, not hidden."""

from __future__ import annotations

import pytest

import catalog
from budget import NoSuchLine, compare
from catalog import DataDir, PageText, Table


@pytest.fixture
def conn(tmp_path):
    dd = DataDir(tmp_path / "data").ensure()
    c = catalog.connect(dd)
    yield dd, c
    c.close()


def add(dd: DataDir, conn, name: str, number: str, doctype: str, tables: list[Table], tag: str = "") -> None:
    body = f"%PDF {name} {doctype}{tag}".encode()
    sha = dd.store_bytes(body)
    catalog.record_version(conn, url=f"https://{name}.example/{doctype}{tag}.pdf", sha256=sha, size=len(body),
                           media_type="pdf", content_type=None, etag=None, last_modified=None,
                           meta={"title": f"{doctype} {name}", "year": 2024, "period": "2024-2027", "doctype": doctype},
                           provenance={}, origin={"kommune": name, "kommunenummer": number, "source": name.lower()})
    catalog.record_extraction(conn, sha, status="ok", error=None, pages=[PageText(1, "x"), PageText(2, "y")],
                              tables=tables)


def frames(value: str, unit: str) -> Table:
    return Table(page=2, index=0, header=["Tjenesteområde", "Budsjett 2023", "Budsjett 2024"],
                 rows=[["Grunnskole", "900", value]], caption=f"Netto driftsrammer ({unit})", unit=unit)


def key_figures(people: str) -> Table:
    return Table(page=1, index=0, header=["Nøkkeltall", "2023", "2024"],
                 rows=[["Folketall 1. januar", "9 800", people], ["Innbyggere 80 år og eldre", "400", "410"]],
                 caption="Tabell 1 Nøkkeltall")


def test_per_inhabitant_where_stated_absolute_where_not(conn) -> None:
    dd, c = conn
    add(dd, c, "Aby", "9991", "vedtak", [key_figures("10 000"), frames("1 000", "Tall i 1000 kr")])
    add(dd, c, "Beby", "9992", "vedtak", [frames("2,5", "Beløp i mill. kr")])
    result = compare(c, "Grunnskole", ["9991", "9992"])
    aby, beby = result.kommuner
    fig = next(f for f in aby.figures if f.year == 2024)
    assert (fig.value_kr, fig.inhabitants, fig.per_capita) == (1_000_000, 10_000, 100.0)
    assert (fig.inhabitants_from.label, fig.inhabitants_from.page) == ("Folketall 1. januar", 1)
    other = next(f for f in beby.figures if f.year == 2024)
    assert (other.value_kr, other.per_capita) == (2_500_000, None)
    assert not result.per_capita and result.notes and any("absolute" in str(n) for n in beby.notes)


def test_the_adopted_figure_first_and_disagreeing_documents_shown(conn) -> None:
    dd, c = conn
    add(dd, c, "Aby", "9991", "forslag", [key_figures("10 000"), frames("1 100", "Tall i 1000 kr")])
    add(dd, c, "Aby", "9991", "vedtak", [key_figures("10 000"), frames("1 000", "Tall i 1000 kr")])
    add(dd, c, "Aby", "9991", "innstilling", [key_figures("10 050"), frames("1 050", "Tall i 1000 kr")])
    (line,) = compare(c, "Grunnskole", ["9991"]).kommuner
    fig = next(f for f in line.figures if f.year == 2024)
    assert (fig.stage, fig.value_kr) == ("vedtak", 1_000_000)
    assert fig.inhabitants == 10_000  # two documents say 10 000, one 10 050: said, not hidden
    assert any("different inhabitants" in str(n) and "10050" in str(n) for n in line.notes)


def test_a_line_no_municipality_has_is_no_comparison(conn) -> None:
    dd, c = conn
    add(dd, c, "Aby", "9991", "vedtak", [frames("1 000", "Tall i 1000 kr")])
    with pytest.raises(NoSuchLine):
        compare(c, "Sosialhjelp", ["9991"])


def test_plan_documents_that_disagree_give_no_figure_but_both_values(conn) -> None:
    """Two adopted plans of one municipality and period printing different figures: no rule
    settles it, so the year has no figure, and both values are said (never the one most print)."""
    dd, c = conn
    add(dd, c, "Aby", "9991", "vedtak", [frames("1 000", "Tall i 1000 kr")])
    add(dd, c, "Aby", "9991", "vedtak", [frames("1 100", "Tall i 1000 kr")], tag=" (korrigert)")
    (line,) = compare(c, "Grunnskole", ["9991"]).kommuner
    fig = next(f for f in line.figures if f.year == 2024)
    assert (fig.value_kr, fig.per_capita, fig.disagree) == (None, None, [1_000_000, 1_100_000])
    assert any("disagree" in str(n) and "2024" in str(n) for n in line.notes)
