"""The budget model behind `hparkiv endringer` (budget/endringer.py), against the sample's answer key.

sample/stages.py designed every plan period's budget and the changes between its stages before
this code existed; truth.json (`budget_processes`) is the exam: every line's value at every
stage, what changed (recall and precision 1.0), the planted conflict, the precedence cases,
the text decisions and the votes that name lines. The command is in test_endringer_command.py.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

import catalog
from budget.endringer import endringer, parse_period
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
