"""The sample's budget processes (issue 17) and what a journalist tripped over (issue 20): the
answer key in truth.json agrees with itself and with what the PDFs print.

These test the sample, not the readers: every planted fact is printed where the truth says, and
the key's changes follow from the design in sample/stages.py.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from functools import lru_cache
from pathlib import Path

import pdfplumber
import pytest

from sample import Truth, document_file, stages
from sample.site import MONTHS


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text).lower()


@lru_cache(maxsize=64)
def _pdf_pages(path: str) -> tuple[str, ...]:
    with pdfplumber.open(io.BytesIO(Path(path).read_bytes())) as pdf:
        return tuple(p.extract_text() or "" for p in pdf.pages)


def page_text(sample_dir: Path, truth: Truth, key: str, page: int) -> str:
    return _pdf_pages(str(document_file(sample_dir, truth.doc(key))))[page - 1]


def process(truth: Truth, period: str) -> dict:
    return next(bp for bp in truth.budget_processes if bp["period"] == period)


def current(truth: Truth) -> dict:
    return process(truth, truth.doc("vedtak-cur").period)


# ---------------------------------------------------------------- the tables are printed as the truth says


def test_every_budget_table_is_printed_on_its_page(sample_dir: Path, sample_truth: Truth) -> None:
    checked = 0
    for doc in sample_truth.documents:
        if doc.status != "ok" or not doc.budget_tables:
            continue
        for t in doc.budget_tables:
            text = squash(page_text(sample_dir, sample_truth, doc.key, t["page"]))
            assert squash(t["caption"]) in text, (doc.key, t["page"], t["caption"])
            for row in t["rows"]:
                assert squash(row["printed"]) in text, (doc.key, t["page"], row["printed"])
                for cell in row["cells"]:
                    assert squash(cell) in text, (doc.key, t["page"], row["printed"], cell)
                    checked += 1
    assert checked > 2000


def test_values_are_the_printed_cells(sample_truth: Truth) -> None:
    """values (in the table's unit) and values_kr say what the printed cell says."""
    for doc in sample_truth.documents:
        for t in doc.budget_tables:
            factor = stages.unit_factor(t["unit"])
            for row in t["rows"]:
                for cell, v, kr in zip(row["cells"], row["values"], row["values_kr"], strict=True):
                    if cell in ("", "–"):
                        assert v in (None, 0), (doc.key, t["page"], row["printed"])
                        continue
                    number = float(cell.replace(" ", "").replace(",", ".").replace("%", ""))
                    assert v == pytest.approx(number), (doc.key, t["page"], row["printed"], cell)
                    if kr is not None:
                        assert kr == round(number * factor), (doc.key, t["page"], row["printed"], cell)


# ---------------------------------------------------------------- issue 17: the planted changes


def _line(bp: dict, family: str, label: str, year: int) -> dict:
    return next(ln for ln in bp["lines"] if (ln["family"], ln["label"], ln["year"]) == (family, label, year))


def test_the_current_period_has_every_stage_and_family(sample_truth: Truth) -> None:
    bp = current(sample_truth)
    assert [(st["stage"], st["doc"]) for st in bp["stages"]] == [
        ("forslag", "forslag-cur"), ("innstilling", "innstilling-cur"), ("vedtak", "vedtak-cur")]
    assert set(bp["families"]) == set(stages.FAMILIES)
    assert not bp["missing_steps"]
    for other in sample_truth.budget_processes:
        assert {st["stage"] for st in other["stages"]} >= {"vedtak"}


def test_sector_changes_are_exactly_the_planted_ones(sample_truth: Truth) -> None:
    """Every C.1 sector line: changed exactly where sample/stages.py planted a change (recall and
    precision 1.0), by the planted amount, in every period with a readable proposal."""
    s = sample_truth.doc("vedtak-cur").year
    for bp in sample_truth.budget_processes:
        p = bp["budget_year"]
        sector_of = {a.code: a.sector for a in stages.AREAS} | {k: k for k in stages.FLAT}
        planted: dict[tuple[str, int], int] = {}
        for c in stages.changes(p, s):
            for y, d in c.deltas.items():
                key = (stages.sector_label(sector_of[c.line], p), y)
                planted[key] = planted.get(key, 0) + d * stages.T
        readable = {st["stage"] for st in bp["stages"] if st["status"] == "ok"}
        for sector in stages.SECTORS:
            label = stages.sector_label(sector, p)
            for y in range(p, p + 4):
                line = _line(bp, "netto_driftsrammer", label, y)
                want = planted.get((label, y), 0)
                if {"forslag", "vedtak"} <= readable:
                    assert line["changed"] == (want != 0), (bp["period"], label, y)
                    assert line["values_kr"]["vedtak"] - line["values_kr"]["forslag"] == want, (bp["period"], label, y)
                else:
                    assert not line["changed"] and list(line["values"]) == ["vedtak"], (bp["period"], label, y)


def test_the_designed_cases_of_the_current_period(sample_truth: Truth) -> None:
    bp = current(sample_truth)
    p = bp["budget_year"]
    bu = [_line(bp, "netto_driftsrammer", "Barn og unge", y) for y in range(p, p + 4)]
    assert all(ln["deltas"]["forslag→innstilling"] == 4000 and ln["deltas"]["innstilling→vedtak"] == 0 for ln in bu)
    bo = [_line(bp, "netto_driftsrammer", "Bistand og omsorg", y) for y in range(p, p + 4)]
    assert [ln["deltas"]["forslag→innstilling"] for ln in bo] == [12500, 0, 0, 0]  # first plan year only
    assert [ln["deltas"]["innstilling→vedtak"] for ln in bo] == [3000, 3000, 0, 0]
    mik = [_line(bp, "netto_driftsrammer", "Miljø, idrett og kultur", y) for y in range(p, p + 4)]
    assert [ln["changed"] for ln in mik] == [False, True, False, False]
    assert mik[2]["conflict"] and mik[2]["values"]["innstilling"] is None
    tarnet = _line(bp, "investeringer", "Tårnet senter, forprosjekt", p)
    assert tarnet["values"] == {"forslag": 4000, "innstilling": None, "vedtak": None} and tarnet["changed"]
    turf = _line(bp, "investeringer", "Kunstgressbane Nadderud", p)
    assert turf["values"] == {"forslag": None, "innstilling": None, "vedtak": 14350} and turf["changed"]
    rud = [_line(bp, "investeringer", "Rud svømmehall", y)["values"] for y in range(p, p + 4)]
    assert [v["innstilling"] for v in rud] == [0] + [v["forslag"] for v in rud[:3]]  # one year later
    # programme areas: the innstilling prints barnehager after its change; the vedtak has no such table
    kids = _line(bp, "netto_driftsrammer", "Barnehager", p)
    assert set(kids["values"]) == {"forslag", "innstilling"} and kids["delta"] == pytest.approx(4.0)
    # no unchanged line is reported as changed: a line is changed iff its settled values differ
    for ln in bp["lines"]:
        settled = [v for st, v in ln["values"].items() if not (ln["conflict"] and v is None)]
        assert ln["changed"] == (len(set(settled)) > 1), ln


def test_the_changes_table_agrees_with_the_frames(sample_truth: Truth) -> None:
    """The adopted "endringer" table lists exactly the sector changes from the proposal, and its sum is
    minus the change of netto driftsresultat."""
    bp = current(sample_truth)
    p = bp["budget_year"]
    table = next(t for t in sample_truth.doc("vedtak-cur").budget_tables if t["family"] == "endringer")
    by_sector: dict[str, list[int]] = {}
    for row in table["rows"]:
        sector = row["label"].split(":")[0]
        if ":" in row["label"]:
            by_sector[sector] = [a + b for a, b in zip(by_sector.get(sector, [0] * 4), row["values_kr"], strict=True)]
    for sector, deltas in by_sector.items():
        for j, y in enumerate(range(p, p + 4)):
            line = _line(bp, "netto_driftsrammer", sector, y)
            assert line["values_kr"]["vedtak"] - line["values_kr"]["forslag"] == deltas[j], (sector, y)
    total = next(r for r in table["rows"] if r["label"] == "Sum endringer")["values_kr"]
    for j, y in enumerate(range(p, p + 4)):
        ndr = _line(bp, "hovedtall", "Netto driftsresultat", y)["values_kr"]
        assert total[j] == -(ndr["vedtak"] - ndr["forslag"])


def test_renaming_is_shown_where_it_happens(sample_dir: Path, sample_truth: Truth) -> None:
    old = [bp for bp in sample_truth.budget_processes if bp["budget_year"] < stages.RENAMED_IN]
    new = [bp for bp in sample_truth.budget_processes if bp["budget_year"] >= stages.RENAMED_IN]
    assert old and new
    assert all(any(ln["label"] == stages.OLD_STAB for ln in bp["lines"]) for bp in old)
    assert all(any(ln["label"] == stages.NEW_STAB for ln in bp["lines"]) for bp in new)
    shown = current(sample_truth)["renamings"][0]["shown_in"]
    assert shown
    for place in shown:
        assert squash("Tidligere «Rådmann og stab»") in squash(page_text(sample_dir, sample_truth, place["doc"],
                                                                           place["page"]))


def test_white_part_reprints_the_proposal(sample_truth: Truth) -> None:
    vedtak, forslag = sample_truth.doc("vedtak-cur"), sample_truth.doc("forslag-cur")
    assert [p["part"] for p in vedtak.parts] == ["blå", "hvit"]
    white = [t for t in vedtak.budget_tables if t["part"] == "hvit" and t["family"] != "annet"]
    assert {t["family"] for t in white} >= {"hovedtall", "netto_driftsrammer", "drift_1a", "investeringer"}
    for t in white:
        twin = next(f for f in forslag.budget_tables if (f["family"], f["caption"]) == (t["family"], t["caption"]))
        assert t["rows"] == twin["rows"] and t["stage"] == "forslag", t["caption"]
    blue = next(t for t in vedtak.budget_tables if t["part"] == "blå" and t["caption"].startswith("C.1"))
    white_c1 = next(t for t in white if t["caption"].startswith("Tabell 3.1"))
    assert blue["rows"][2]["values"][1:] != white_c1["rows"][2]["values"][1:]  # Barn og unge changed
    points = [pt for pt in vedtak.series if pt["part"] == "hvit"]
    assert points and all(pt["stage"] == "forslag" for pt in points)


def test_quoted_figures_are_outdated_proposals(sample_truth: Truth) -> None:
    bp = current(sample_truth)
    assert {q["doc"] for q in bp["quoted"]} == {"notat-cur", "sporsmal-cur"}
    assert any(q["outdated"] for q in bp["quoted"]) and not all(q["outdated"] for q in bp["quoted"])
    for q in bp["quoted"]:
        line = next(ln for ln in bp["lines"] if (ln["label"], ln["year"]) == (q["label"], q["year"])
                    and "forslag" in ln["values"])
        assert q["value_kr"] == line["values_kr"]["forslag"]
    cases = {c["case"] for c in bp["precedence"]}
    assert cases >= {"hvit_del", "revidert", "quoted", "conflict", "prior_year_column", "projection"}


def test_exactly_one_planted_conflict(sample_dir: Path, sample_truth: Truth) -> None:
    conflicts = [c for bp in sample_truth.budget_processes for c in bp["conflicts"]]
    assert len(conflicts) == 1
    c = conflicts[0]
    assert len({v["value"] for v in c["values"]}) == 2
    for v in c["values"]:
        assert squash(v["printed"]) in squash(page_text(sample_dir, sample_truth, v["doc"], v["page"]))


def test_adopted_figures_recur_as_next_years_budget(sample_truth: Truth) -> None:
    """The adopted budget of year y (vedtak of plan y) is what plan y+1 prints as last year's budget."""
    checked = 0
    for bp in sample_truth.budget_processes:
        y = bp["budget_year"]
        later = [t for d in sample_truth.documents if d.status == "ok" for t in d.budget_tables
                 if t["period"] == f"{y + 1}-{y + 4}" and t["family"] == "netto_driftsrammer"
                 and t["columns"][0]["kind"] == "budsjett" and t["columns"][0]["year"] == y]
        for a in bp["adopted"]:
            if a["family"] != "netto_driftsrammer":
                continue
            for t in later:
                row = next((r for r in t["rows"] if r["label"] == a["label"]), None)
                if row is not None:
                    assert row["values_kr"][0] == a["value_kr"], (y, a["label"], t["caption"])
                    checked += 1
    assert checked >= 20


def test_text_decisions_added_dropped_changed(sample_truth: Truth) -> None:
    d = current(sample_truth)["decisions"]
    tv = d["tekstvedtak"]
    assert [pt["decision"] for pt in tv["added"]] == [
        next(pt["decision"] for pt in tv["vedtak"]["points"] if "Nadderud" in pt["decision"])]
    assert [pt["decision"] for pt in tv["dropped"]] == [
        next(pt["decision"] for pt in tv["innstilling"]["points"] if "SFO" in pt["decision"])]
    assert {(c["section"], c["innstilling"]["number"]) for c in tv["changed"]} == {
        ("Tekstvedtak", 2), ("Særskilte vedtak", 2)}
    assert sorted(c["innstilling"]["number"] for c in tv["unchanged"] if c["renumbered"]) == [3, 4]
    verbal = d["verbal"]
    assert [x["number"] for x in verbal["added"]] == [3, 4] and [x["number"] for x in verbal["changed"]] == [1]
    vedtak = sample_truth.doc("vedtak-cur").decisions
    assert [(x["section"], x["number"], x["decision"]) for x in vedtak] == [
        (pt["section"], pt["number"], pt["decision"]) for pt in tv["vedtak"]["points"]]


def test_votes_that_name_budget_lines(sample_dir: Path, sample_truth: Truth) -> None:
    bp = current(sample_truth)
    votes = bp["line_votes"]
    assert {v["doc"] for v in votes} == {"portal-formannskapet-protokoll", "portal-kommunestyret-protokoll"}
    for v in votes:
        text = squash(" ".join(page_text(sample_dir, sample_truth, v["doc"], n)
                               for n in range(v["pages"][0], v["pages"][1] + 1)))
        assert squash(v["vote"]["text"]) in text and squash(v["proposal"]) in text
        assert v["vote"]["result"] == "vedtatt"
        for named in v["lines"]:
            if named["deltas_kr"] is None:
                continue
            step = "forslag→innstilling" if v["stage"] == "innstilling" else "innstilling→vedtak"
            for year, delta in named["deltas_kr"].items():
                line = _line(bp, named["family"], named["label"], int(year))
                before, after = step.split("→")
                assert line["values_kr"][after] - (line["values_kr"][before] or 0) == delta, (named, year)


# ---------------------------------------------------------------- issue 20: protocols, dates, layouts


def test_protocols_end_in_different_ways(sample_dir: Path, sample_truth: Truth) -> None:
    protocols = [d for d in sample_truth.documents if d.doctype == "protokoll" and d.status == "ok"]
    closings = {d.key: d.closing for d in protocols}
    assert any(c is None for c in closings.values())
    texts = " ".join(c["text"] for c in closings.values() if c)
    for phrase in ("Protokollen er godkjent elektronisk", "Møtet hevet kl.", "Rett utskrift bekreftes",
                   "Ola Hansen (leder) Per Olsen"):
        assert phrase in texts
    for d in protocols:
        if d.closing is None:
            continue
        last = next(x for x in d.decisions if x["case"] == d.closing["after_case"])
        page = squash(page_text(sample_dir, sample_truth, d.key, d.closing["page"]))
        assert squash(d.closing["text"]) in page
        assert page.index(squash(last["decision"])) < page.index(squash(d.closing["text"]))
        assert squash(d.closing["text"]) not in squash(last["decision"])


def test_vote_forms_of_issue_20(sample_truth: Truth) -> None:
    items = [x for d in sample_truth.documents if d.status == "ok" for x in d.decisions if x["kind"] == "sak"]
    bare = [x for x in items if x["decision"] == "Enstemmig godkjent."]
    assert bare and all(x["votes"][0]["unanimous"] and x["recommendation"] is None for x in bare)
    mismatched = [v for x in items for v in x["votes"] if v["warning"]]
    assert {v["text"] for v in mismatched} >= {"Forslaget fra SV fikk 2 stemmer (SV, R, Sp) og falt.",
                                                "Innstillingen for øvrig ble vedtatt mot 3 stemmer (2Ap, R, MDG)."}
    assert all(v["parsed"] and v["result"] for v in mismatched)
    consistent = [v for x in items for v in x["votes"] if v["parsed"] and not v["warning"]
                  and (v["parties_for"] or v["parties_against"])]
    assert consistent  # counts that agree with their parties carry no warning


def _date_in(text: str) -> dt.date | None:
    m = re.search(r"(\d{1,2})\. (" + "|".join(MONTHS) + r") (\d{4})", text)
    if m:
        return dt.date(int(m.group(3)), MONTHS.index(m.group(2)) + 1, int(m.group(1)))
    m = re.search(r"(\d\d)\.(\d\d)\.(\d{4})", text)
    if m:
        try:
            return dt.date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
        except ValueError:
            return None
    return None


def test_dates_come_from_their_evidence(sample_dir: Path, sample_truth: Truth) -> None:
    first_page_only = 0
    for d in sample_truth.documents:
        evidence = [e for e in d.date_evidence if e["source"] == "first_page"]
        if d.status == "ok" and d.media_type == "pdf":
            for e in evidence:
                assert squash(e["text"]) in squash(page_text(sample_dir, sample_truth, d.key, 1)), (d.key, e)
        readable = [e for e in d.date_evidence if not e.get("unreadable")]
        if not readable:
            assert d.date is None, d.key
            continue
        assert d.date == _date_in(readable[0]["text"]).isoformat(), d.key
        if all(e["source"] == "first_page" for e in readable) and d.doctype in ("sporsmal", "annet", "notat"):
            first_page_only += 1
    assert first_page_only >= 4
    unreadable = [d for d in sample_truth.documents if any(e.get("unreadable") for e in d.date_evidence)]
    assert unreadable and all(d.date is None for d in unreadable)
    report = sample_truth.doc("okonomimelding")
    assert report.date_evidence[0]["not"] in page_text(sample_dir, sample_truth, report.key, 1)  # a decoy date


def test_layout_tables_are_printed(sample_dir: Path, sample_truth: Truth) -> None:
    arrangements = set()
    for d in sample_truth.documents:
        for t in d.layout_tables:
            arrangements.add((t["arrangement"], t["side"]))
            text = squash(page_text(sample_dir, sample_truth, d.key, t["page"]))
            for row in t["rows"]:
                for cell in row:
                    assert squash(cell) in text, (d.key, t["page"], cell)
    assert arrangements >= {("beside_text", "left"), ("beside_text", "right"), ("side_by_side", "left"),
                            ("side_by_side", "right"), ("framed_box", None), ("wrapped_labels", None),
                            ("continues_after_subsum", None)}
