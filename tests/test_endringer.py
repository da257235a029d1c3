"""`hparkiv endringer` and the budget model behind it, against the sample's answer key.

sample/stages.py designed every plan period's budget and the changes between its stages before
this code existed; truth.json (`budget_processes`) is the exam: every line's value at every
stage, what changed (recall and precision 1.0), the planted conflict, the precedence cases,
the text decisions and the votes that name lines.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
from pathlib import Path

import pytest
from conftest import hparkiv
from openpyxl import load_workbook

import catalog
from budget.columns import parse_column
from budget.endringer import endringer, parse_period
from budget.families import recognise, table_key
from budget.labels import clean_label, line_key, matches
from budget.model import load
from sample import Truth, document_file

PERCENT_ROWS = {"Netto driftsresultat i %"}  # the key gives these the table's unit; they are percentages


_IDS: dict[str, dict[str, str]] = {}


def doc_ids(sample_dir: Path, truth: Truth) -> dict[str, str]:
    """Truth document key -> doc_id (the first 12 hex digits of the served file's sha256)."""
    if str(sample_dir) not in _IDS:
        out = {}
        for d in truth.documents:
            try:
                out[d.key] = hashlib.sha256(document_file(Path(sample_dir), d).read_bytes()).hexdigest()[:12]
            except (StopIteration, FileNotFoundError):
                continue
        _IDS[str(sample_dir)] = out
    return _IDS[str(sample_dir)]


@pytest.fixture(scope="module")
def conn(archive):
    c = catalog.connect_readonly(catalog.DataDir(archive[0]))
    yield c
    c.close()


@pytest.fixture(scope="module")
def answers(conn, sample_truth):
    return {bp["period"]: endringer(conn, bp["period"]) for bp in sample_truth.budget_processes}


# ---------------------------------------------------------------- units: no archive needed


@pytest.mark.parametrize(("caption", "header", "rows", "family"), [
    ("C.1 Hovedoversikt netto driftsrammer", ["Sektor"], [], "netto_driftsrammer"),
    ("Tabell 4.1 Netto driftsramme per programområde – Barn og unge", ["Programområde"], [], "netto_driftsrammer"),
    ("Netto driftsrammer etter formannskapets endringer", ["Sektor"], [], "netto_driftsrammer"),
    ("Rammer per tjenesteområde", ["Tjenesteområde"], [], "netto_driftsrammer"),
    ("Tabell 1 Hovedtall (i 1000 kr)", ["Hovedtall"], [], "hovedtall"),
    ("Økonomiske nøkkeltall", [""], [], "hovedtall"),
    ("Budsjettskjema 1A – drift", [""], [], "drift_1a"),
    ("Bevilgningsoversikt drift 1A (§ 5-4 første ledd)", [""], [], "drift_1a"),
    ("Bevilgningsoversikt drift (§ 5-4 annet ledd)", [""], [], "drift_1b"),
    ("Bevilgningsoversikt investering 2A (§ 5-5 første ledd)", [""], [], "investering_2a"),
    ("Budsjettskjema 2B", [""], [], "investering_2b"),
    ("C.6 Investeringer – samlet prosjektoversikt", ["Prosjekt"], [], "investeringer"),
    ("C.5 Endringer fra kommunedirektørens forslag", [""], [], "endringer"),
    ("Formannskapets endringer i rådmannens forslag", [""], [], "endringer"),
    ("Endringer i driftsbudsjettet 2021 2022", [""], [], "endringer"),
    ("Tabell 5.3 Plasser i sykehjem", ["Institusjon"], [], "annet"),
    (None, [""], ["Sum generelle driftsinntekter", "Brutto driftsresultat", "Netto driftsresultat"], "drift_1a"),
    (None, ["Sektor"], ["Barn og unge"], "netto_driftsrammer"),
])
def test_families_are_recognised_from_captions_rows_and_headers(caption, header, rows, family):
    assert recognise(caption, header, rows, has_kroner=True) == family


def test_unrecognised_tables_are_one_kind_per_caption():
    assert table_key("Tabell 5.3 Plasser i sykehjem") == table_key("Tabell 6.2 Plasser i sykehjem") == \
        "plasser i sykehjem"


@pytest.mark.parametrize(("header", "year", "kind"), [
    ("Revidert budsjett 2020", 2020, "revidert"), ("Justert budsjett 2020", 2020, "revidert"),
    ("Vedtatt budsjett 2020", 2020, "budsjett"), ("Regnskap 2019", 2019, "regnskap"),
    ("Økonomiplan 2022", 2022, "plan"), ("Budsjett 2021", 2021, "budsjett"), ("2021", 2021, "budsjett"),
    ("2022", 2022, "plan"), ("Endring 2021-2022", None, "annet"),
])
def test_columns_say_year_and_kind(header, year, kind):
    assert parse_column(header, 2021, "2021-2024") == (year, kind)


def test_labels_are_lines():
    assert clean_label("Kommunedirektør og stab1", {"1"}) == "Kommunedirektør og stab"
    assert clean_label("Covid19", set()) == "Covid19"  # no footnote printed: the digit is the name's
    assert clean_label("23 Barnehager") == "Barnehager"
    assert line_key("Barnehager") == line_key("23 barnehage") != line_key("Sum barnehager")
    assert line_key("Netto driftsresultat") != line_key("Netto driftsresultat i %")
    assert matches("netto driftsrammer", "Sum netto driftsrammer") and not matches("sum", "Barnehager")


def test_periods_are_read_as_people_write_them():
    assert parse_period("2021") == parse_period("2021-2024") == parse_period("2021 – 2024") == "2021-2024"
    for bad in ("2021-2023", "21", "neste år", ""):
        with pytest.raises(ValueError):
            parse_period(bad)


# ---------------------------------------------------------------- the exam: every period


def test_every_line_of_every_period_at_every_stage(answers, sample_truth):
    """Every line's value at every stage, in the table's unit, per plan period; nothing missing,
    nothing extra (the percentage rows say "%", where the key repeats the table's unit)."""
    checked = 0
    for bp in sample_truth.budget_processes:
        got = {(ln.family, ln.label, ln.year): ln for ln in answers[bp["period"]].lines}
        want = {(ln["family"], ln["label"], ln["year"]): ln for ln in bp["lines"]}
        assert set(got) == set(want), (bp["period"], set(got) ^ set(want))
        for key, w in want.items():
            g = got[key]
            assert g.values == w["values"], (bp["period"], key)
            assert g.conflict == w["conflict"], (bp["period"], key)
            if w["delta"] is not None and g.delta is not None:
                assert g.delta == pytest.approx(w["delta"]), (bp["period"], key)
            assert g.unit == ("%" if key[1] in PERCENT_ROWS else w["unit"]), key
            for stage, kr in w["values_kr"].items():
                if kr is not None and key[1] not in PERCENT_ROWS:
                    assert g.values_kr[stage] == kr, (bp["period"], key, stage)
            checked += 1
    assert checked > 800


def test_changes_have_recall_and_precision_one(answers, sample_truth):
    for bp in sample_truth.budget_processes:
        got = {(ln.family, ln.label, ln.year) for ln in answers[bp["period"]].lines if ln.changed}
        want = {tuple(c) for c in bp["changed_lines"]}
        assert got == want, (bp["period"], got ^ want)


def test_no_unchanged_line_is_reported_as_changed(answers):
    for e in answers.values():
        for ln in e.lines:
            settled = [v for st, v in ln.values.items() if st not in ln.conflicts]
            assert ln.changed == (len(set(settled)) > 1), ln


def test_the_stage_documents_of_every_period(answers, sample_truth, sample_dir):
    ids = doc_ids(sample_dir, sample_truth)
    for bp in sample_truth.budget_processes:
        got = [(s.stage, s.doc_id, s.status) for s in answers[bp["period"]].stages]
        assert got == [(s["stage"], ids[s["doc"]], s["status"]) for s in bp["stages"]], bp["period"]
        for s in answers[bp["period"]].stages:
            truth = sample_truth.doc(next(k for k, v in ids.items() if v == s.doc_id))
            assert (s.title, s.date) == (truth.title, truth.date) or s.status != "ok" or s.title


def test_the_planted_conflict_is_kept_and_marked(answers, sample_truth, sample_dir):
    ids = doc_ids(sample_dir, sample_truth)
    (c,) = [c for bp in sample_truth.budget_processes for c in bp["conflicts"]]
    e = answers[next(bp["period"] for bp in sample_truth.budget_processes if bp["conflicts"])]
    ln = next(ln for ln in e.lines if (ln.family, ln.label, ln.year) == (c["family"], c["label"], c["year"]))
    assert ln.conflict and ln.values[c["stage"]] is None
    assert sorted((x["doc_id"], x["page"], x["value"]) for x in ln.conflicts[c["stage"]]) == sorted(
        (ids[v["doc"]], v["page"], v["value"]) for v in c["values"])
    assert sum(1 for e in answers.values() for ln in e.lines if ln.conflict) == 1


# ---------------------------------------------------------------- precedence, written down in docs/budget.md


def test_white_part_is_the_proposal_never_the_adopted_plan(answers, sample_truth, sample_dir):
    ids = doc_ids(sample_dir, sample_truth)
    for bp in sample_truth.budget_processes:
        for ln in answers[bp["period"]].lines:
            for stage, src in ln.sources.items():
                for s in [src, *src["also"]]:
                    if s["part"] == "hvit":
                        assert stage == "forslag", (bp["period"], ln.label, ln.year)
    case = next(c for bp in sample_truth.budget_processes for c in bp["precedence"] if c["case"] == "hvit_del")
    ex = case["example"]
    e = answers[sample_truth.doc(case["doc"]).period]
    ln = next(ln for ln in e.lines if (ln.family, ln.label, ln.year) == ("netto_driftsrammer", ex["label"], ex["year"]))
    assert ln.values["vedtak"] == ex["adopted_value"] and ln.values["forslag"] == ex["white_value"]
    assert ln.sources["vedtak"]["page"] == ex["blue_page"] and ln.sources["vedtak"]["doc_id"] == ids[case["doc"]]
    assert (ids[case["doc"]], ex["white_page"]) in {(s["doc_id"], s["page"]) for s in
                                                    [ln.sources["forslag"], *ln.sources["forslag"]["also"]]}


def test_quotes_never_set_a_value_and_outdated_ones_are_named(answers, sample_truth, sample_dir):
    ids = doc_ids(sample_dir, sample_truth)
    bp = next(bp for bp in sample_truth.budget_processes if bp["quoted"])
    e = answers[bp["period"]]
    quoting = {ids[q["doc"]] for q in bp["quoted"]}
    for ln in e.lines:
        for src in ln.sources.values():
            assert src["doc_id"] not in quoting and not {s["doc_id"] for s in src["also"]} & quoting
    got = {(q["doc_id"], q["label"], q["year"]): q for q in e.quoted}
    for q in bp["quoted"]:
        mine = got[(ids[q["doc"]], q["label"], q["year"])]
        assert mine["value_kr"] == q["value_kr"] and mine["quotes_stage"] == q["quotes_stage"]
        if mine["outdated"] is not None:
            assert mine["outdated"] == q["outdated"], q
        else:  # no later stage document prints the line: the archive cannot tell
            line = next(ln for ln in e.lines if (ln.label, ln.year) == (q["label"], q["year"]))
            assert line.values_kr.get("vedtak") is None
    assert any(q["outdated"] for q in e.quoted)


def test_revised_and_repeated_columns_never_stand_for_the_adopted_budget(conn, sample_truth):
    """'Revidert budsjett 2020' is stage revidert; 'Budsjett 2020' in plan 2021-2024 repeats the adopted
    2020 budget and ranks below plan 2020-2023's own vedtak."""
    model = load(conn)
    revised = [f for f in model.facts if f.column.startswith("Revidert")]
    assert revised and all(f.stage == "revidert" and f.period is None for f in revised)
    repeated = [f for f in model.facts if f.rank == "repeated"]
    assert repeated and all(f.stage == "vedtak" and int(f.period[:4]) == f.year for f in repeated)


def test_renaming_is_recorded_where_the_documents_show_it(answers, sample_truth, sample_dir):
    ids = doc_ids(sample_dir, sample_truth)
    bp = next(bp for bp in sample_truth.budget_processes if bp["renamings"])
    (r,) = bp["renamings"]
    got = {(x["old"], x["new"], x["doc_id"], x["page"]) for x in answers[bp["period"]].renamings}
    want = {(r["from"], r["to"], ids[s["doc"]], s["page"]) for s in r["shown_in"]}
    assert got == want


# ---------------------------------------------------------------- decisions and votes


def test_text_decisions_added_dropped_changed(answers, sample_truth):
    bp = next(bp for bp in sample_truth.budget_processes if bp["decisions"])
    d = answers[bp["period"]].decisions
    tv = bp["decisions"]["tekstvedtak"]
    mine = {k: [x for x in d[k] if x["kind"] == "tekstvedtak"] for k in d}
    assert [x["text"] for x in mine["added"]] == [x["decision"] for x in tv["added"]]
    assert [x["text"] for x in mine["dropped"]] == [x["decision"] for x in tv["dropped"]]
    assert [(x["section"], x["before"]["number"], x["after"]["text"]) for x in mine["changed"]] == [
        (x["section"], x["innstilling"]["number"], x["vedtak"]["decision"]) for x in tv["changed"]]
    assert sorted(x["before"]["number"] for x in mine["unchanged"] if x["renumbered"]) == sorted(
        x["innstilling"]["number"] for x in tv["unchanged"] if x["renumbered"])
    changed = mine["changed"][0]
    inserted = " ".join(r["text"] for r in changed["diff"] if r["op"] == "insert")
    assert "kvalitet" in inserted and "1. juni 2021." in inserted
    verbal = bp["decisions"]["verbal"]
    v = {k: [x for x in d[k] if x["kind"] == "verbal"] for k in d}
    assert [x["number"] for x in v["added"]] == [x["number"] for x in verbal["added"]]
    assert [x["after"]["number"] for x in v["changed"]] == [x["number"] for x in verbal["changed"]]
    assert [x["text"] for x in v["added"]] == [x["decision"] for x in verbal["added"]]


def test_the_vote_that_adopted_a_named_line(answers, sample_truth, sample_dir):
    ids = doc_ids(sample_dir, sample_truth)
    bp = next(bp for bp in sample_truth.budget_processes if bp["line_votes"])
    e = answers[bp["period"]]
    want = {(lv["vote"]["text"], ids[lv["doc"]], named["family"], named["label"])
            for lv in bp["line_votes"] for named in lv["lines"]}
    got = {(v["vote"]["text"], v["doc_id"], ln.family, ln.label)
           for ln in e.lines for v in ln.votes if ln.family in ("netto_driftsrammer", "investeringer")}
    assert got == want
    for lv in bp["line_votes"]:
        for named in lv["lines"]:
            for year in (named["deltas_kr"] or {}):
                ln = next(x for x in e.lines if (x.family, x.label, x.year) == (named["family"], named["label"],
                                                                                 int(year)))
                assert lv["vote"]["text"] in {v["vote"]["text"] for v in ln.votes}


# ---------------------------------------------------------------- the command


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


# ---------------------------------------------------------------- the model in the catalog


def test_facts_are_stored_rebuilt_when_tables_change_and_checked(archive, tmp_path):
    """The update stored every version's facts; `check` finds facts that are stale (a new model, a
    reclassified version, tables written again) and `check --repair` derives them; a reader never
    waits for that (it derives what is stale as it reads)."""
    import shutil

    from budget.facts import MODEL_VERSION
    from catalog import budget as stored
    from jobs.check import check

    src = catalog.DataDir(archive[0])
    dd = catalog.DataDir(tmp_path / "data").ensure()
    shutil.copy(src.catalog, dd.catalog)
    conn = catalog.connect(dd)
    try:
        assert stored.versions_needing_budget(conn, MODEL_VERSION) == []
        before = endringer(conn, "2021").to_dict()["lines"]
        sha = conn.execute("SELECT sha256 FROM budget_state ORDER BY sha256 LIMIT 1").fetchone()[0]
        conn.execute("UPDATE budget_state SET model_version = 0 WHERE sha256 = ?", (sha,))  # an older model's facts
        vedtak = next(v for v in catalog.list_versions(conn, catalog.Filters(doctype="vedtak")) if v.period == "2021-2024")
        tables, pages = catalog.tables_of(conn, vedtak.sha256), catalog.pages_of(conn, vedtak.sha256)
        catalog.record_extraction(conn, vedtak.sha256, status="ok", error=None, pages=pages, tables=tables)
        assert not conn.execute("SELECT 1 FROM budget_facts WHERE sha256 = ?", (vedtak.sha256,)).fetchone()
        assert set(stored.versions_needing_budget(conn, MODEL_VERSION)) == {sha, vedtak.sha256}
        assert endringer(conn, "2021").to_dict()["lines"] == before  # derived as it is read (its vedtak are gone)
    finally:
        conn.close()
    problems = check(dd)
    assert [p.kind for p in problems if p.kind == "budget-stale"] == ["budget-stale"]
    repaired = check(dd, repair=True)
    assert all(p.repaired for p in repaired if p.kind == "budget-stale")
    conn = catalog.connect(dd)
    try:
        assert stored.versions_needing_budget(conn, MODEL_VERSION) == []
        assert endringer(conn, "2021").to_dict()["lines"] == before
    finally:
        conn.close()


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
