"""Decisions from protocols and adopted budgets (extract/vedtak.py): every vote form on its
own, and the whole parser against the sample archive's truth (precision and recall)."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from catalog.models import Vedtak

VOTE_FIELDS = ("text", "parsed", "motion", "alternative", "result", "for", "against", "parties_for",
               "parties_against", "counts_for", "counts_against", "unanimous", "warning")


def _vote_view(v: dict[str, Any]) -> dict[str, Any]:
    v = dict(v)
    if "votes_for" in v:
        v["for"], v["against"] = v.pop("votes_for"), v.pop("votes_against")
    return {k: v.get(k) for k in VOTE_FIELDS}


def _view(d: dict[str, Any]) -> dict[str, Any]:
    """The fields a truth decision promises, from either a truth dict or a parsed Vedtak."""
    if d["kind"] == "tekstvedtak":
        page = d.get("page") or d.get("page_from")
        return {"kind": d["kind"], "section": d["section"], "number": d["number"], "decision": d["decision"],
                "page": page}
    pages = d.get("pages") or [d.get("page_from"), d.get("page_to")]
    return {
        "kind": d["kind"], "case": d["case"], "archive_case": d["archive_case"], "title": d["title"],
        "recommendation": d["recommendation"], "recommendation_label": d["recommendation_label"],
        "decision": d["decision"], "decision_label": d["decision_label"], "pages": list(pages),
        "proposals": [{k: p[k] for k in ("by", "parties", "text")} for p in d["proposals"]],
        "votes": [_vote_view(v) for v in d["votes"]],
    }


def compare(truth: list[dict], got: list[Vedtak]) -> tuple[int, int, int, list[str]]:
    """(correct, extracted, expected, differences): a decision is correct when every field
    the truth states matches exactly."""
    want = [_view(t) for t in truth]
    have = [_view(asdict(g)) for g in got]
    correct, errors = 0, []
    unmatched = list(want)
    for h in have:
        if h in unmatched:
            unmatched.remove(h)
            correct += 1
            continue
        key = ("case", "section", "number")
        twin = next((w for w in unmatched if all(w.get(k) == h.get(k) for k in key)), None)
        if twin is None:
            errors.append(f"extra: {h}")
        else:
            diffs = {k: (twin[k], h[k]) for k in twin if twin[k] != h.get(k)}
            errors.append(f"wrong {h.get('case') or h.get('number')}: {diffs}")
    errors += [f"missing: {w}" for w in unmatched if not any(e.startswith("wrong") for e in errors)]
    return correct, len(have), len(want), errors


# ---------------------------------------------------------------- single statements

import json  # noqa: E402

import pytest  # noqa: E402
from conftest import hparkiv  # noqa: E402

import catalog  # noqa: E402
from catalog import DataDir  # noqa: E402
from extract.vedtak import parse_vedtak, protocol_vedtak, text_vedtak  # noqa: E402
from extract.votes import motion_parties, parse_vote  # noqa: E402
from sources import load_source  # noqa: E402

VOCAB = load_source("baerum").vocabulary


@pytest.mark.parametrize("text, want", [
    ("enstemmig vedtatt", dict(result="vedtatt", unanimous=True, motion=None)),
    ("Enstemmig.", dict(result="vedtatt", unanimous=True)),
    ("Innstillinga vart samrøystes vedteken.", dict(motion="Innstillinga", result="vedtatt", unanimous=True)),
    ("Innstillingen ble vedtatt mot 3 stemmer (2Ap, R)",
     dict(motion="Innstillingen", result="vedtatt", votes_against=3, parties_against=["Ap", "R"],
          counts_against={"Ap": 2}, votes_for=None)),
    ("Innstillingen ble vedtatt mot 2 stemmer (MDG).", dict(votes_against=2, parties_against=["MDG"])),
    ("Forslaget fra Ap fikk 5 stemmer (2Ap, R, Sp, MDG) og falt.",
     dict(motion="Forslaget fra Ap", result="falt", votes_for=5, parties_for=["Ap", "R", "Sp", "MDG"],
          motion_parties=["Ap"])),
    ("Framlegget frå Ap fekk 5 røyster (2Ap, R, Sp, MDG) og fall.", dict(result="falt", votes_for=5)),
    ("Ved alternativ votering mellom innstillingen og Aps forslag ble innstillingen vedtatt med 36 mot 15 stemmer",
     dict(motion="innstillingen", alternative="Aps forslag", votes_for=36, votes_against=15,
          alternative_parties=["Ap"])),
    ("Ved alternativ votering mellom innstillingen og fellesforslaget fra H, V og KrF ble fellesforslaget fra H, V "
     "og KrF vedtatt med 26 mot 25 stemmer.", dict(motion="fellesforslaget fra H, V og KrF",
                                                   motion_parties=["H", "V", "KrF"], votes_for=26)),
    # The winner named otherwise than its side: by its noun, or without the side's bracketed parties.
    ("Ved alternativ votering mellom formannskapets innstilling og fellesforslaget fra Ap, SV, R, MDG og Sp ble "
     "innstillingen vedtatt med 38 mot 27 stemmer.",
     dict(motion="innstillingen", alternative="fellesforslaget fra Ap, SV, R, MDG og Sp", votes_for=38,
          votes_against=27, alternative_parties=["Ap", "SV", "R", "MDG", "Sp"])),
    ("Ved alternativ votering mellom flertallets forslag (H, FrP, KrF) og Aps forslag ble flertallets forslag "
     "vedtatt med 8 mot 5 stemmer.", dict(motion="flertallets forslag", alternative="Aps forslag", votes_for=8,
                                          motion_parties=["H", "Frp", "KrF"], alternative_parties=["Ap"])),
    ("Ved alternativ votering mellom Aps forslag og flertallets forslag (H, FrP, KrF) ble Aps forslag vedtatt med "
     "8 mot 5 stemmer.", dict(motion="Aps forslag", motion_parties=["Ap"], alternative_parties=["H", "Frp", "KrF"])),
    ("Ved alternativ røysting mellom rådmannen si innstilling og Frp sitt framlegg vart innstillinga vedteken med "
     "30 mot 5 røyster.", dict(motion="innstillinga", alternative="Frp sitt framlegg", votes_against=5)),
    ("vedtatt med 8 mot 7 stemmer (H, Frp)", dict(votes_for=8, votes_against=7, parties_against=["H", "Frp"])),
    ("Innstillingen ble vedtatt med 40 mot 11 stemmer", dict(votes_for=40, votes_against=11)),
    ("Forslaget falt med 3 mot 10 stemmer", dict(motion="Forslaget", result="falt", votes_for=3, votes_against=10)),
    ("Forslaget fra Hoyre falt med 3 mot 10 stemmer", dict(motion_parties=["H"])),
    ("Innstillingen ble vedtatt med 9 (7H, V, FrP) mot 6 stemmer (2 AP, MDG, SV, Sp, Rødt).",
     dict(parties_for=["H", "V", "Frp"], counts_for={"H": 7}, parties_against=["Ap", "MDG", "SV", "Sp", "R"],
          counts_against={"Ap": 2})),
])
def test_vote_forms(text, want):
    vote = parse_vote(text, VOCAB)
    assert vote.parsed, text
    for key, value in want.items():
        assert getattr(vote, key) == value, (text, key)


@pytest.mark.parametrize("motion, parties", [
    ("flertallets forslag (H, FrP, KrF)", ["H", "Frp", "KrF"]),
    ("forslaget (2 punkter)", []),               # a bracket that names no party names none
    ("forslaget (H, Liberalistene)", []),        # nor one with a name we don't know: never guessed
    ("Forslaget fra SV v/ Kari Nordmann", ["SV"]),
])
def test_motion_parties(motion, parties):
    assert motion_parties(motion, VOCAB) == parties


@pytest.mark.parametrize("text", [
    "Punkt 1 i innstillingen ble vedtatt mot 2 stemmer, punkt 2 og 3 enstemmig.",
    "Voteringen ble gjennomført punktvis; se vedlagte voteringsoversikt.",
    "Innstillingen ble vedtatt mot 3 stemmer (2Ap, Liberalistene).",   # an unknown party: never guessed
    "Forslaget falt mot 12 stemmer.",                                   # which side the 12 were is unclear
    # Two sides of the same noun: "forslaget" may be either.
    "Ved alternativ votering mellom Hs forslag og Aps forslag ble forslaget vedtatt med 36 mot 15 stemmer.",
])
def test_unreadable_statements_are_kept_word_for_word(text):
    vote = parse_vote(text, VOCAB)
    assert not vote.parsed and vote.text == text and vote.warning is None
    assert vote.result is None and vote.votes_for is None and not vote.parties_for


@pytest.mark.parametrize("text, want", [
    ("Forslaget fra SV fikk 2 stemmer (SV, R, Sp) og falt.",          # three parties named for two votes
     dict(result="falt", votes_for=2, parties_for=["SV", "R", "Sp"], counts_for={}, motion_parties=["SV"])),
    ("Innstillingen ble vedtatt mot 2 stemmer (2Ap, R).",              # at least three named for two
     dict(result="vedtatt", votes_against=2, parties_against=["Ap", "R"], counts_against={"Ap": 2})),
    ("Innstillingen ble vedtatt med 10 (7H, 2V) mot 5 stemmer (3Ap, 2SV).",  # every count printed: 9, not 10
     dict(votes_for=10, counts_for={"H": 7, "V": 2}, votes_against=5, counts_against={"Ap": 3, "SV": 2})),
    ("Framlegget frå SV fekk 1 røyst (SV, R) og fall.", dict(result="falt", votes_for=1, parties_for=["SV", "R"])),
    ("Ved alternativ votering mellom innstillingen og Aps forslag ble innstillingen vedtatt med 30 mot 21 stemmer "
     "(15Ap, 4SV, 2R, MDG).", dict(motion="innstillingen", alternative="Aps forslag", votes_against=21)),
])
def test_a_count_that_disagrees_with_its_parties_is_kept_with_a_warning(text, want):
    """What is certain stays (result, the count, the parties as printed); the doubt is marked, never mended."""
    vote = parse_vote(text, VOCAB)
    assert vote.parsed and vote.warning == "count_mismatch", text
    for key, value in want.items():
        assert getattr(vote, key) == value, (text, key)


@pytest.mark.parametrize("text", [
    "Forslaget fra MDG fikk 5 stemmer (4MDG, SV) og falt.",            # 4 + one for SV: exactly 5
    "Forslaget fra Ap fikk 5 stemmer (2Ap, R, Sp) og falt.",           # at least 4 of 5: the rest unnamed
    "Innstillingen ble vedtatt med 9 (7H, V, Frp) mot 6 stemmer (2Ap, MDG, SV, Sp, R).",
    "Innstillingen ble vedtatt mot 3 stemmer (3Ap).",
    "Enstemmig vedtatt.",
])
def test_counts_that_agree_with_their_parties_carry_no_warning(text):
    vote = parse_vote(text, VOCAB)
    assert vote.parsed and vote.warning is None, text


@pytest.mark.parametrize("decision, vote", [
    ("Enstemmig godkjent.", dict(result="vedtatt", unanimous=True, motion=None)),
    ("Samrøystes vedteke.", dict(result="vedtatt", unanimous=True)),
    ("Enstemmig vedtatt. Saken sendes kommunestyret.", dict(result="vedtatt", unanimous=True)),
])
def test_the_text_under_vedtak_is_the_decision_even_when_it_tells_the_vote(decision, vote):
    (d,) = protocol_vedtak([(1, f"Sak 2/21 Godkjenning av protokoll\nVedtak:\n{decision}")], VOCAB)
    assert (d.decision, d.decision_label, d.recommendation) == (decision, "Vedtak", None)
    assert len(d.votes) == 1 and d.votes[0].parsed
    for key, value in vote.items():
        assert getattr(d.votes[0], key) == value
    (inline,) = protocol_vedtak([(1, f"Sak 2/21 Godkjenning av protokoll\nVedtak: {decision}")], VOCAB)
    assert inline.decision == decision and inline.votes[0].parsed


def test_statement_over_a_line_and_page_break_with_running_heads():
    pages = [
        (1, "Bærum kommune\nPS 12/21 Budsjett\nInnstilling:\nBudsjettet vedtas.\nVotering:\n"
            "Forslaget fra SV fikk 4\nSide 1 av 2"),
        (2, "Bærum kommune\nstem-\nmer (2SV, R, Sp) og falt.\nVedtak:\nBudsjettet vedtas.\nSide 2 av 2"),
    ]
    (d,) = protocol_vedtak(pages, VOCAB)
    assert d.case == "12/21" and d.page_from == 1 and d.page_to == 2
    assert d.decision == "Budsjettet vedtas." and d.recommendation == "Budsjettet vedtas."
    (vote,) = d.votes
    assert vote.parsed and vote.votes_for == 4 and vote.parties_for == ["SV", "R", "Sp"], vote
    assert vote.text == "Forslaget fra SV fikk 4 stemmer (2SV, R, Sp) og falt."


def test_labels_without_aeoeaa_and_council_recommendation_as_outcome():
    text = ("015/22 - 22/1234 - Budsjett og okonomiplan 2023-2026\nRadets anbefaling:\nRådet støtter forslaget.\n"
            "Forslag fra Krf v/ Ola Hansen:\nRådet ber om flere sykehjemsplasser.\nVotering:\nEnstemmig vedtatt.")
    (d,) = protocol_vedtak([(1, text)], VOCAB)
    assert d.recommendation == "Rådet støtter forslaget." and d.decision is None
    assert d.proposals[0].by == "Krf v/ Ola Hansen" and d.proposals[0].parties == ["KrF"]
    later = "PS 16/22 Uttalelse\nKommunedirektørens forslag til vedtak:\nTas til orientering.\nVotering: Enstemmig.\n" \
            "Rådets anbefaling:\nRådet tar saken til orientering."
    (d2,) = protocol_vedtak([(1, later)], VOCAB)
    assert d2.recommendation == "Tas til orientering." and d2.decision == "Rådet tar saken til orientering."


def test_text_decisions_numbered_points_and_their_pages():
    pages = [(1, "Innhold\nA Tekstvedtak\nB Særskilte vedtak\nC Hovedoversikter"),
             (2, "A Tekstvedtak\nInnledende tekst.\n1. Kommunestyret ber kommunedirektøren om å\nutrede saken.\n"
                 "2. Kommunestyret ber om en sak."),
             (3, "B Saerskilte vedtak\n1. Skattøret fastsettes til maksimalsatsen.\nC Hovedoversikter\n3. Ikke et vedtak.")]
    got = text_vedtak(pages)
    assert [(d.section, d.number, d.page_from, d.decision) for d in got] == [
        ("Tekstvedtak", 1, 2, "Kommunestyret ber kommunedirektøren om å utrede saken."),
        ("Tekstvedtak", 2, 2, "Kommunestyret ber om en sak."),
        ("Særskilte vedtak", 1, 3, "Skattøret fastsettes til maksimalsatsen."),
    ]
    assert parse_vedtak(pages, "forslag", VOCAB) == []


# ---------------------------------------------------------------- the sample archive


@pytest.mark.slow
def test_precision_and_recall_against_the_sample_truth(sample_dir, sample_truth):
    from extract.pdf import extract_document
    from sample.truth import document_file

    correct = extracted = expected = 0
    errors: list[str] = []
    for doc in sample_truth.documents:
        if doc.status != "ok" or doc.media_type != "pdf":
            continue
        result = extract_document(document_file(sample_dir, doc), ocr=False, tables=False)
        got = parse_vedtak([(p.page, p.text) for p in result.pages], doc.doctype, VOCAB, doc.committee)
        c, n_got, n_want, errs = compare(doc.decisions, got)
        correct, extracted, expected = correct + c, extracted + n_got, expected + n_want
        errors += [f"{doc.key}: {e}" for e in errs]
    precision, recall = correct / max(extracted, 1), correct / max(expected, 1)
    print(f"decisions: precision {precision:.3f}, recall {recall:.3f} ({correct}/{extracted}/{expected})")
    assert expected > 40 and any(not v["parsed"] for d in sample_truth.documents for x in d.decisions
                                 for v in x.get("votes", []))
    assert (precision, recall) == (1.0, 1.0), "\n".join(errors[:10])


def _records(data_dir, *args):
    proc = hparkiv(data_dir, "vedtak", *args, "--format", "json")
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


def test_cli_vedtak_json_shape_and_the_unparsed_statement(archive, sample_truth):
    data_dir, _ = archive
    result = _records(data_dir)
    assert set(result) == {"query", "total", "decisions"} and result["total"] == len(result["decisions"])
    want = sum(len(d.decisions) for d in sample_truth.documents if not d.only_in_wayback and d.status == "ok")
    assert result["total"] >= want
    for d in result["decisions"]:
        assert {"doc_id", "url", "page", "date", "year", "committee", "case", "archive_case", "title", "kind",
                "recommendation", "decision", "proposals", "votes"} <= d.keys()
        assert d["kind"] in ("sak", "tekstvedtak")
        for v in d["votes"]:
            assert {"motion", "result", "for", "against", "parties_for", "parties_against", "unanimous",
                    "text"} <= v.keys()
    printed = [v["text"] for d in sample_truth.documents for x in d.decisions for v in x.get("votes", [])
               if not v["parsed"]]
    stored = [v for d in result["decisions"] for v in d["votes"] if not v["parsed"]]
    assert stored and {v["text"] for v in stored} == set(printed)
    assert all(v["result"] is None and v["for"] is None for v in stored)
    doubtful = {v["text"] for d in sample_truth.documents for x in d.decisions for v in x.get("votes", [])
                if v.get("warning")}
    warned = [v for d in result["decisions"] for v in d["votes"] if v["warning"]]
    assert warned and {v["text"] for v in warned} == doubtful  # "fikk 2 stemmer (SV, R, Sp)": kept, and marked
    assert all(v["parsed"] and v["result"] and v["warning"] == "count_mismatch" for v in warned)
    assert all(v["warning"] is None for d in result["decisions"] for v in d["votes"] if v["text"] not in doubtful)
    status = json.loads(hparkiv(data_dir, "status", "--format", "json", check=True).stdout)
    assert status["decisions"]["unparsed_votes"] == len(stored)
    assert status["decisions"]["votes_with_warning"] == len(warned)
    assert status["decisions"]["decisions"] >= want


def test_cli_vedtak_query_party_outcome_and_show(archive):
    data_dir, _ = archive
    found = _records(data_dir, "Nadderud")
    assert found["total"] >= 1 and all("Nadderud" in json.dumps(d, ensure_ascii=False) for d in found["decisions"])
    lost = _records(data_dir, "--party", "Ap", "--outcome", "falt")["decisions"]
    assert lost
    for d in lost:
        assert any(v["result"] == "falt" and "Ap" in v["parties_for"] or v["result"] == "vedtatt"
                   and ("Ap" in v["parties_against"] or "Aps" in (v["alternative"] or "")) or
                   v["result"] == "falt" and "Ap" in (v["motion"] or "") for v in d["votes"])
    won = _records(data_dir, "--party", "arbeiderpartiet", "--outcome", "vedtatt")["decisions"]
    assert {d["case"] for d in won}.isdisjoint({d["case"] for d in lost}) or won != lost
    texts = _records(data_dir, "--type", "vedtak")["decisions"]
    assert texts and all(d["kind"] == "tekstvedtak" and d["number"] for d in texts)
    bad = hparkiv(data_dir, "vedtak", "--party", "Liberalistpartiet")
    assert bad.returncode == 2 and bad.stderr.startswith("hparkiv: unknown party")
    doc_id = found["decisions"][0]["doc_id"]
    shown = json.loads(hparkiv(data_dir, "show", doc_id, "--vedtak", "--format", "json", check=True).stdout)
    assert shown["total"] >= 1 and any("Nadderud" in (d["decision"] or "") for d in shown["decisions"])
    old = hparkiv(data_dir, "show", doc_id, "--decisions", "--format", "json", check=True)  # the old flag's name
    assert json.loads(old.stdout) == shown and "--decisions is now called --vedtak" in old.stderr
    assert "--decisions" not in hparkiv(data_dir, "show", "--help").stdout
    text = hparkiv(data_dir, "vedtak", "Nadderud", check=True).stdout
    assert "vote:" in text and "Nadderud" in text


def test_old_data_dir_gets_decisions_from_stored_pages(archive, tmp_path):
    """A catalog from before decisions: its tables emptied, the next run derives them again
    from the stored page text, without extracting anything."""
    import shutil

    data_dir, _ = archive
    copy = tmp_path / "copy"
    shutil.copytree(data_dir, copy, symlinks=True)
    conn = catalog.connect(DataDir(copy))
    want = conn.execute("SELECT COUNT(*) FROM vedtak").fetchone()[0]
    for table in ("vedtak", "votes", "proposals", "vedtak_state"):
        conn.execute(f"DELETE FROM {table}")
    conn.close()
    found = hparkiv(copy, "check", "--format", "json")
    assert found.returncode == 1 and "decisions-stale" in {p["kind"] for p in json.loads(found.stdout)["problems"]}
    proc = hparkiv(copy, "extract", check=True)
    assert "Traceback" not in proc.stderr
    conn = catalog.connect(DataDir(copy))
    assert conn.execute("SELECT COUNT(*) FROM vedtak").fetchone()[0] == want > 0


def test_nynorsk_item_with_inline_labels():
    text = ("PS 40/23 Budsjett og økonomiplan 2024-2027\nArkivsak: 23/4567\nKommunedirektøren si tilråding:\n"
            "Budsjettet vert vedteke.\nFramlegg frå Sp:\nTilskotet til lag og foreiningar vert auka.\n"
            "Votering: Framlegget frå Sp fekk 2 røyster (Sp, KrF) og fall. Tilrådinga vart samrøystes vedteken.\n"
            "Vedtak: Budsjettet vert vedteke.")
    (d,) = protocol_vedtak([(1, text)], VOCAB)
    assert (d.case, d.archive_case) == ("40/23", "23/4567")
    assert d.recommendation == "Budsjettet vert vedteke." and d.decision == "Budsjettet vert vedteke."
    assert d.proposals[0].by == "Sp" and d.proposals[0].parties == ["Sp"]
    first, second = d.votes
    assert first.parsed and first.result == "falt" and first.votes_for == 2 and first.parties_for == ["Sp", "KrF"]
    assert second.parsed and second.unanimous and second.result == "vedtatt"


def test_case_number_alone_on_its_line_takes_the_next_line_as_title():
    text = "Sak 152/20\nBudsjett og økonomiplan 2021-2024\nVedtak:\nBudsjettet vedtas.\nVotering:\nEnstemmig."
    (d,) = protocol_vedtak([(1, text)], VOCAB)
    assert (d.case, d.title, d.decision) == ("152/20", "Budsjett og økonomiplan 2021-2024", "Budsjettet vedtas.")


def test_a_nynorsk_query_finds_the_votes_in_bokmal(archive):
    """Issue 18: vote statements are read in either written standard, and so is a query:
    "samrøystes vedteken" finds the protocols' "Enstemmig vedtatt", with the same words' weights."""
    from index.vedtak import search_vedtak

    data_dir = DataDir(archive[0])
    bokmal = search_vedtak(data_dir, "enstemmig")
    nynorsk = search_vedtak(data_dir, "samrøystes")
    assert bokmal.total > 0 and nynorsk.total == bokmal.total
    assert {d.seq for _v, d in nynorsk.vedtak} == {d.seq for _v, d in bokmal.vedtak}
