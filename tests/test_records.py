"""What the platforms' documents become after extraction, against the replicas' answer key: a
Framsikt publication page by page (headings, text, tables as data; the republished snapshot),
eInnsyn decisions with every member's vote, every municipality's budget lines and inhabitants
read from its own tables, and the comparison per inhabitant (extract/records.py, budget/)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from budget import compare, inhabitants, series
from budget.compare import is_inhabitants_row
from catalog import DataDir, Filters, connect, pages_of, tables_of
from catalog.amounts import unit_factor
from catalog.vedtak import list_vedtak
from crawler.parent import crawl
from extract.records import read_html, roll_call
from extract.run import extract_pending
from sample import load_truth, serve
from sample.municipalities import loopback_sources
from sample.platforms import framsikt
from sample.platforms.answers import Answers
from sample.platforms.einnsyn import visible_text

pytestmark = pytest.mark.slow  # the four municipalities crawled and extracted


@pytest.fixture(scope="module")
def dest(kommuner_dir: Path) -> Path:
    return kommuner_dir


@pytest.fixture(scope="module")
def archive(dest: Path, kommuner_answers: Answers, tmp_path_factory: pytest.TempPathFactory):
    """The four crawled and extracted: (server URLs by host, data dir, doc key -> sha256)."""
    data = DataDir(tmp_path_factory.mktemp("records"))
    with serve(dest) as server:
        sources = loopback_sources(server, tmp_path_factory.mktemp("sources"))
        crawl(data, source=str(sources), download_delay=0,
              environ={**os.environ, "HPARKIV_EINNSYN_API_KEY": kommuner_answers.api_key})
        conn = connect(data)
        by_url = {r["url"]: r["sha256"] for r in conn.execute("SELECT url, sha256 FROM urls WHERE sha256 IS NOT NULL")}
        keys = {d.key: by_url[server.original_url(d)] for d in load_truth(dest).documents}
        conn.close()
    summary = extract_pending(data, workers=2, ocr=False)
    assert summary.done >= len(keys)
    return data, keys


def norm(text: str) -> str:
    return " ".join(text.split())


def letters(text: str) -> str:
    """Text without any whitespace: the answer key's reader joins table cells without a space."""
    return "".join(text.split())


def test_framsikt_publications_are_paged_as_their_sections(archive, kommuner_answers: Answers) -> None:
    data, keys = archive
    conn = connect(data)
    for pub in kommuner_answers.framsikt["publications"]:
        sha = keys[pub["key"]]
        pages = pages_of(conn, sha)
        assert len(pages) == len(pub["pages"]), pub["key"]
        for got, want in zip(pages, pub["pages"], strict=True):
            text = norm(got.text)
            assert text.startswith(norm(want["heading"])), (pub["key"], want["n"])
            for heading in want["headings"]:
                assert norm(heading) in text, (pub["key"], want["n"], heading)
            for chunk in want["text"]:
                assert letters(chunk) in letters(text), (pub["key"], want["n"], chunk[:60])
            tables = tables_of(conn, sha, got.page)
            data_tables = [t for t in tables if t.caption in {w.get("title") for w in want["tables"]}]
            assert len(data_tables) == len(want["tables"]), (pub["key"], want["n"])
            for t, w in zip(data_tables, want["tables"], strict=True):
                assert t.header[1:] == w["columns"] and t.unit == w["unit"]
                for row, values, wrow in zip(t.rows, t.values, w["rows"], strict=True):
                    assert row[0].startswith(wrow["label"])
                    assert values[1:] == wrow["values"]  # null cells stay empty, numbers as served
        status = conn.execute("SELECT status, error FROM versions WHERE sha256=?", (sha,)).fetchone()
        assert status["status"] == "ok" and "1 gone, 1 malformed" in status["error"]
    conn.close()


def test_a_typed_key_figures_table_is_read_cell_by_cell() -> None:
    text, tables = read_html("<p>Tabellen viser nøkkeltall.</p><table><thead><tr><th>Nøkkeltall</th><th>2024</th></tr>"
                             "</thead><tbody><tr><td>Innbyggere per 1. januar</td><td>14&nbsp;912</td></tr></tbody></table>")
    assert "Tabellen viser nøkkeltall." in text and "14 912" in text
    (t,) = tables
    assert t["rows"][0] == [("Nøkkeltall", True), ("2024", True)] and t["rows"][1][1] == ("14 912", False)


def test_einnsyn_decisions_carry_every_members_vote(archive, kommuner_answers: Answers) -> None:
    data, _ = archive
    conn = connect(data)
    records = {d.case: (v, d) for v, d in list_vedtak(conn, Filters(kommune="1103")) if v.media_type == "einnsyn"}
    conn.close()
    checked = 0
    for want in kommuner_answers.einnsyn["decisions"]:
        if not want["vedtak"] or "udsjett" not in want["title"]:
            continue
        version, got = records[want["case"]]
        assert (got.title, version.committee, version.date) == (want["title"], want["committee"],
                                                                 want["date"] if want["committee"] != "kontrollutvalget" else None)
        assert norm(got.decision) == norm(want["decision"])
        texts = [v.text for v in got.votes]
        for statement in want["votes"]:
            assert any(norm(statement["text"]) in norm(t) for t in texts), statement["text"]
        if want["tally"]:
            roll = next(v for v in got.votes if v.text.startswith("Votering per representant"))
            by_party = want["tally"]["by_party"]
            assert roll.counts_for == {p: c["Ja"] for p, c in by_party.items() if c.get("Ja")}
            assert roll.counts_against == {p: c["Nei"] for p, c in by_party.items() if c.get("Nei")}
            totals = want["tally"]["totals"]
            assert (roll.votes_for, roll.votes_against) == (totals.get("Ja", 0), totals.get("Nei", 0))
            for odd in set(totals) - {"Ja", "Nei"}:
                assert f"{odd} {totals[odd]}" in roll.text
            checked += 1
    assert checked == 2
    unknown = roll_call([{"member": "A", "party": "Ap", "stemme": "Fraværende"}, {"member": "B", "party": "H",
                                                                                 "stemme": "Ja"}])
    assert unknown.votes_for == 1 and unknown.votes_against == 0 and "ikke talt med" in unknown.text


def _doc_ids(data: DataDir, keys: dict[str, str]) -> dict[str, str]:
    return {key: sha[:12] for key, sha in keys.items()}


def test_every_municipalitys_budget_lines_feed_series(archive, kommuner_answers: Answers) -> None:
    """Every printed cell of the compared lines, PDFs and Framsikt data alike, is a point of `series`."""
    data, keys = archive
    doc_ids = _doc_ids(data, keys)
    conn = connect(data)
    missing = []
    for m in kommuner_answers.municipalities:
        for label in sorted({p["label"] for p in m.series}):
            got = series(conn, label, Filters(kommune=m.number)).points
            have = {(p.doc_id, p.year, p.page, round(p.value * (unit_factor(p.unit) or 0))) for p in got if p.unit_known}
            for p in m.series:
                if p["label"] != label:
                    continue
                if (doc_ids[p["doc"]], p["year"], p["page"], p["value_kr"]) not in have:
                    missing.append(f"{m.source} {label} {p['doc']} p.{p['page']} {p['column']}: {p['value_kr']}")
    conn.close()
    assert not missing, f"{len(missing)} cells missing:\n" + "\n".join(missing[:30])


def test_inhabitants_are_read_from_each_municipalitys_own_tables(archive, kommuner_answers: Answers) -> None:
    data, keys = archive
    doc_ids = _doc_ids(data, keys)
    conn = connect(data)
    found = {(i.kommunenummer, i.year, i.value, i.doc_id, i.page) for i in inhabitants(conn)}
    conn.close()
    for m in kommuner_answers.municipalities:
        assert m.inhabitants
        for i in m.inhabitants:
            assert (m.number, i["year"], i["value"], doc_ids[i["doc"]], i["page"]) in found, (m.source, i)
    assert not is_inhabitants_row("Innbyggere 80 år og eldre") and not is_inhabitants_row("0-5 år")
    assert is_inhabitants_row("Innbyggere per 1. januar (antall)") and not is_inhabitants_row("Netto driftsresultat")


def test_the_comparison_is_per_inhabitant_with_its_source(archive, kommuner_answers: Answers) -> None:
    data, _ = archive
    conn = connect(data)
    numbers = [m.number for m in kommuner_answers.municipalities]
    c = compare(conn, "Grunnskole", numbers)
    conn.close()
    assert c.per_capita and [k.kommunenummer for k in c.kommuner] == numbers
    for m, line in zip(kommuner_answers.municipalities, c.kommuner, strict=True):
        adopted = next(p for p in m.series if p["label"] == "Grunnskole" and p["year"] == 2024
                       and p["kind"] == "budsjett" and p["stage"] == "vedtak")
        people = next(i["value"] for i in m.inhabitants if i["year"] == 2024)
        fig = next(f for f in line.figures if f.year == 2024)
        assert (fig.stage, fig.value_kr, fig.inhabitants) == ("vedtak", adopted["value_kr"], people), m.source
        assert fig.per_capita == pytest.approx(adopted["value_kr"] / people, abs=0.01)
        assert fig.inhabitants_from.label == next(i["label"] for i in m.inhabitants if i["year"] == 2024)


def test_the_republished_publication_is_read_again_with_its_changes(dest: Path, kommuner_answers: Answers,
                                                                    tmp_path: Path) -> None:
    data = DataDir(tmp_path / "data")
    pub = next(p for p in kommuner_answers.framsikt["publications"] if p["key"] == "framsikt-forslag")
    with serve(dest) as server:
        sources = loopback_sources(server, tmp_path / "sources")
        crawl(data, source=sources / "malvik.toml", download_delay=0)
        framsikt.republish(server, dest)
        crawl(data, source=sources / "malvik.toml", download_delay=0)
    extract_pending(data, workers=1, ocr=False)
    conn = connect(data)
    rows = conn.execute("SELECT sha256, superseded_by FROM versions WHERE title LIKE 'Kommunedirektørens forslag%'"
                        " ORDER BY first_seen").fetchall()
    old, new = rows[0]["sha256"], rows[1]["sha256"]
    assert rows[0]["superseded_by"] == new
    before, after = pages_of(conn, old), pages_of(conn, new)
    differs = [a.page for a, b in zip(before, after, strict=True) if a.text != b.text or
               [t.values for t in tables_of(conn, old, a.page)] != [t.values for t in tables_of(conn, new, b.page)]]
    assert differs == pub["snapshots"]["b"]["differs"]
    for got, want in zip(after, pub["snapshots"]["b"]["pages"], strict=True):
        for chunk in want["text"]:
            assert letters(chunk) in letters(got.text)
    kultur = [p for p in series(conn, "Kulturskole", Filters(kommune="5031", all_versions=True)).points
              if p.year == 2024 and p.stage == "forslag"]
    assert sorted({p.value for p in kultur}) == sorted({v for v in (
        next(r["values"][2] for t in page["tables"] for r in t["rows"] if r["label"] == "Kulturskole")
        for page in (pub["pages"] + pub["snapshots"]["b"]["pages"]) if page["tables"] and any(
            r["label"] == "Kulturskole" for t in page["tables"] for r in t["rows"]))})
    conn.close()


def test_visible_text_reads_as_the_replica_writes_it() -> None:
    markup = "<p>Rammen &ndash; økes.</p><p>2. Ny&nbsp;linje<br>tre</p>"
    assert norm(read_html(markup)[0]) == norm(visible_text(markup))

