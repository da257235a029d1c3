"""`hparkiv endringer` as a user runs it: JSON, CSV, xlsx and text over the sample archive, a bad
period as one line, and one municipality's budget at a time where a catalog holds several (in
the CLI, `series`, and the web's process page alike)."""

from __future__ import annotations

import csv
import io
import json

import pytest
from openpyxl import load_workbook
from processes import hparkiv

import catalog
from budget.endringer import endringer


def test_endringer_json_csv_xlsx_and_text(archive, sample_truth, tmp_path):
    data_dir, _ = archive
    bp = next(bp for bp in sample_truth.budget_processes if bp["decisions"])
    year = str(bp["budget_year"])
    data = json.loads(hparkiv(data_dir, "endringer", year, "--format", "json", check=True).stdout)
    assert data["period"] == bp["period"] and [s["stage"] for s in data["stages"]] == ["forslag", "innstilling",
                                                                                        "vedtak"]
    assert {"stage", "doc_id", "title", "date"} <= set(data["stages"][0])
    line = data["lines"][0]
    assert {"label", "family", "table", "year", "unit", "values", "changed", "delta", "sources"} <= set(line)
    assert set(data["decisions"]) >= {"added", "dropped", "changed"}
    rows = list(csv.DictReader(io.StringIO(hparkiv(data_dir, "endringer", bp["period"], "--format", "csv",
                                                   check=True).stdout)))
    assert len(rows) == len(data["lines"]) and {"forslag", "innstilling", "vedtak", "delta_kr"} <= set(rows[0])
    text = hparkiv(data_dir, "--lang", "nb", "endringer", year, check=True).stdout
    assert "Bistand og omsorg" in text and "uendret" in text and "≠" in text
    frames = [ln for ln in data["lines"] if ln["family"] == "netto_driftsrammer" and ln["changed"]]
    largest = max(frames, key=lambda ln: abs(ln["delta_kr"] or 0))
    block = text.split("Netto driftsrammer")[1].split("\n\n")[0].splitlines()
    first = next(ln for ln in block if "→" in ln)
    assert first.split()[:len(largest["label"].split())] == largest["label"].split() and str(largest["year"]) in first
    assert text.index("Kommunedirektør og stab  2021") > text.index("Bistand og omsorg        2021")


def test_endringer_xlsx_is_a_workbook(archive, tmp_path):
    import subprocess
    import sys

    from processes import env_for

    data_dir, _ = archive
    out = tmp_path / "e.xlsx"
    with out.open("wb") as fh:
        subprocess.run([sys.executable, "-m", "search_cli", "endringer", "2021", "--format", "xlsx"], stdout=fh,
                       env=env_for(data_dir), check=True, timeout=120)
    ws = load_workbook(out).active
    header = [c.value for c in ws[1]]
    assert header[:6] == ["family", "table", "label", "year", "unit", "forslag"]
    assert isinstance(ws.cell(row=2, column=6).value, int | float)


def test_a_bad_or_unknown_period_is_a_one_line_error(archive):
    data_dir, _ = archive
    for arg in ("2021-2023", "1999"):
        proc = hparkiv(data_dir, "endringer", arg)
        assert proc.returncode == 2 and proc.stderr.startswith("hparkiv: ")
        assert len(proc.stderr.strip().splitlines()) == 1


def test_a_municipality_without_the_period_is_named(archive, sample_truth):
    data_dir, _ = archive
    period = next(bp for bp in sample_truth.budget_processes if bp["decisions"])["period"]
    proc = hparkiv(data_dir, "--lang", "nb", "endringer", period, "--kommune", "asker")
    # The archive has the period (Bærum's); what it lacks is Asker's: the error says so.
    assert proc.returncode == 2
    assert proc.stderr == f"hparkiv: arkivet har ingen dokumenter fra Asker i planperioden {period}\n"


# --- one municipality's budget: never two mixed ---------------------------------------------------------


def _stage_doc(dd, conn, kommune: tuple[str, str] | None, stage: str, grunnskole: str) -> None:
    """A stage document of plan 2024-2027 whose net frames print "Grunnskole" (1000 kr)."""
    name, number = kommune or ("?", None)
    body = f"%PDF {name} {stage}".encode()
    sha = dd.store_bytes(body)
    origin = {"kommune": name, "kommunenummer": number, "source": name.lower()} if kommune else None
    catalog.record_version(conn, url=f"https://{name.lower()}.example/{stage}.pdf", sha256=sha, size=len(body),
                           media_type="pdf", content_type=None, etag=None, last_modified=None,
                           meta={"title": f"{stage} {name}", "year": 2024, "period": "2024-2027", "doctype": stage},
                           provenance={}, origin=origin)
    frames = catalog.Table(page=1, index=0, header=["Tjenesteområde", "Budsjett 2024", "Økonomiplan 2025"],
                           rows=[["Grunnskole", grunnskole, grunnskole], ["Barnehage", "500", "500"]],
                           caption="Netto driftsrammer (Tall i 1000 kr)", unit="Tall i 1000 kr")
    catalog.record_extraction(conn, sha, status="ok", error=None, pages=[catalog.PageText(1, "x")], tables=[frames])


def _grunnskole(found) -> dict[str, float | None]:
    (ln,) = [ln for ln in found.lines if ln.label == "Grunnskole" and ln.year == 2024]
    return ln.values


def test_a_period_of_several_municipalities_is_read_one_municipality_at_a_time(tmp_path):
    from budget.endringer import SeveralKommuner
    from budget.process import process

    dd = catalog.DataDir(tmp_path / "data").ensure()
    conn = catalog.connect(dd)
    try:
        for stage, b, a in (("forslag", "900", "700"), ("vedtak", "950", "700")):
            _stage_doc(dd, conn, ("Bærum", "3201"), stage, b)
            _stage_doc(dd, conn, ("Asker", "3203"), stage, a)
        home = endringer(conn, "2024")  # several municipalities, none asked for: Bærum's, the home source's
        assert home.kommune == "Bærum" and _grunnskole(home) == {"forslag": 900, "vedtak": 950}
        assert {s.title for s in home.stages} == {"forslag Bærum", "vedtak Bærum"}
        asker = endringer(conn, "2024", "3203")
        assert asker.kommune == "Asker" and _grunnskole(asker) == {"forslag": 700, "vedtak": 700}
        assert not any(ln.changed for ln in asker.lines)
        steps = process(conn, "2024", "3203")
        assert {v.kommune for s in steps.steps for v in s.documents} == {"Asker"}
        from budget import series

        lines = series(conn, "Grunnskole").lines  # one series per municipality, never one of both
        assert sorted((ln.kommune, [(f.year, f.value) for f in ln.adopted]) for ln in lines) == [
            ("Asker", [(2024, 700.0)]), ("Bærum", [(2024, 950.0)])]
        text = hparkiv(dd.root, "series", "Grunnskole", check=True).stdout
        assert "Grunnskole — Net frames (sectors and programme areas) — Asker" in text and "— Bærum" in text
        _stage_doc(dd, conn, ("Malvik", "5031"), "forslag", "300")
        conn.execute("DELETE FROM versions WHERE kommunenummer='3201'")  # Bærum gone: who is meant is not said
        with pytest.raises(SeveralKommuner) as said:
            endringer(conn, "2024")
        assert said.value.kommuner == ["Asker (3203)", "Malvik (5031)"]
    finally:
        conn.close()
    proc = hparkiv(dd.root, "endringer", "2024")
    assert proc.returncode == 2 and "pick one with --kommune" in proc.stderr and "Traceback" not in proc.stderr
    both = hparkiv(dd.root, "--lang", "nb", "endringer", "2024", "--kommune", "asker,malvik")
    assert both.returncode == 2 and "én kommunes" in both.stderr
    proc = hparkiv(dd.root, "endringer", "2024", "--kommune", "asker", "--format", "json")
    assert proc.returncode == 0 and json.loads(proc.stdout)["kommune"] == "Asker"
    from starlette.testclient import TestClient

    from web.app import create_app

    web = TestClient(create_app(dd), raise_server_exceptions=False)
    assert web.get("/prosess/2024").status_code == 400 and web.get("/api/endringer/2024").status_code == 400
    assert web.get("/api/endringer/2024", params={"kommune": "asker,malvik"}).status_code == 400
    home = web.get("/").text  # a link per municipality: no process page has to guess
    assert 'href="/prosess/2024-2027?kommune=3203">Budsjettprosessen 2024-2027 · Asker</a>' in home
    assert 'href="/prosess/2024-2027?kommune=5031">Budsjettprosessen 2024-2027 · Malvik</a>' in home
    page = web.get("/prosess/2024", params={"kommune": "asker"})
    assert page.status_code == 200 and "· Asker</h1>" in page.text
    assert "/api/endringer/2024-2027?format=csv&amp;kommune=asker" in page.text  # the downloads are Asker's too
    assert web.get("/api/endringer/2024", params={"kommune": "asker"}).json() == json.loads(proc.stdout)


def test_a_catalog_without_municipalities_is_one_budget(tmp_path):
    dd = catalog.DataDir(tmp_path / "data").ensure()
    conn = catalog.connect(dd)
    try:
        _stage_doc(dd, conn, None, "forslag", "900")
        _stage_doc(dd, conn, None, "vedtak", "950")
        found = endringer(conn, "2024-2027")
        assert found.kommune is None and _grunnskole(found) == {"forslag": 900, "vedtak": 950}
        assert [ln.label for ln in found.changed()] == ["Grunnskole", "Grunnskole"]
    finally:
        conn.close()
