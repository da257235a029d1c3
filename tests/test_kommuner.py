"""Four municipalities in one archive, as a user builds and reads it: `hparkiv update --source
all` (the replicas' sources in $HPARKIV_SOURCES) as a real process, then search, series,
vedtak, list and the web, each filtered by municipality; a Framsikt-only budget searched page
by page; a source without its key fails alone and the exit status says so; `sources detect`
names each replica's platform."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from processes import hparkiv

from sample import Truth, serve
from sample.municipalities import loopback_sources
from sample.platforms.answers import Answers

NUMBERS = {"asker": "3203", "malvik": "5031", "stavanger": "1103", "nordrefollo": "3207"}


pytestmark = pytest.mark.slow  # a full `update` of four municipalities as a real process


@pytest.fixture(scope="module")
def dest(kommuner_dir: Path) -> Path:
    return kommuner_dir


@pytest.fixture(scope="module")
def archive(dest: Path, kommuner_answers: Answers, tmp_path_factory: pytest.TempPathFactory):
    """`HPARKIV_SOURCES=… hparkiv update --source all` with the key in the environment."""
    data_dir = tmp_path_factory.mktemp("archive-kommuner")
    with serve(dest) as server:
        sources = loopback_sources(server, tmp_path_factory.mktemp("sources"))
        with pytest.MonkeyPatch.context() as mp:
            mp.setenv("HPARKIV_SOURCES", str(sources))
            mp.setenv("HPARKIV_EINNSYN_API_KEY", kommuner_answers.api_key)
            proc = hparkiv(data_dir, "update", "--source", "all", "--delay", "0", timeout=600)
        yield data_dir, proc, sources


def run(data_dir: Path, *args: str, sources: Path | None = None):
    with pytest.MonkeyPatch.context() as mp:
        if sources is not None:
            mp.setenv("HPARKIV_SOURCES", str(sources))
        return hparkiv(data_dir, *args)


def as_json(data_dir: Path, *args: str, sources: Path | None = None):
    proc = run(data_dir, *args, "--format", "json", sources=sources)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


def test_one_update_builds_one_archive_of_four_municipalities(archive, kommuner_truth: Truth) -> None:
    data_dir, proc, _ = archive
    assert proc.returncode == 0, proc.stderr
    for name, number in NUMBERS.items():
        assert f"{name} (" in proc.stderr and number in proc.stderr  # each source's own line
    docs = as_json(data_dir, "list")
    by = {}
    for d in docs:
        by.setdefault(d["kommunenummer"], set()).add(d["url"].split("/", 3)[3] if "://" in d["url"] else d["url"])
    assert set(by) == set(NUMBERS.values())
    for name, number in NUMBERS.items():
        listed = as_json(data_dir, "list", "--kommune", name)
        assert listed and {d["kommunenummer"] for d in listed} == {number}
        assert {d["kommune"] for d in listed} == {next(t.kommune for t in kommuner_truth.documents if t.source == name)}
        assert len(listed) >= len([t for t in kommuner_truth.documents if t.source == name])


def test_each_municipalitys_planted_word_is_found_there_only(archive, kommuner_truth: Truth) -> None:
    data_dir, _, sources = archive
    assert len(kommuner_truth.planted_words) == 4
    for planted in kommuner_truth.planted_words:
        number = NUMBERS[next(t.source for t in kommuner_truth.documents if t.key == planted["key"])]
        found = as_json(data_dir, "search", planted["word"], sources=sources)
        assert found["total"] >= 1 and {h["kommunenummer"] for h in found["hits"]} == {number}
        assert found["facets"]["kommune"] == {number: found["total"]}
        others = [n for n in NUMBERS.values() if n != number]
        assert as_json(data_dir, "search", planted["word"], "--kommune", ",".join(others), sources=sources)["total"] == 0
        assert as_json(data_dir, "search", f"{planted['word']} kommune:{number}", sources=sources)["total"] >= 1


def test_a_framsikt_only_budget_is_searchable_page_by_page(archive, kommuner_answers: Answers) -> None:
    data_dir, _, sources = archive
    pub = next(p for p in kommuner_answers.framsikt["publications"] if p["key"] == "framsikt-vedtak")
    for page in pub["pages"]:
        found = as_json(data_dir, "search", f'"{page["heading"]}"', "--kommune", "malvik", "--limit", "0",
                        sources=sources)
        pages = {(h["title"], h["page"]) for h in found["hits"]}
        assert (pub["title"], page["n"]) in pages, page["heading"]
    tables = as_json(data_dir, "search", "Kulturskole", "--kommune", "5031", "--tables", sources=sources)
    assert tables["total"] >= 2 and all(h["kommune"] == "Malvik" for h in tables["hits"])


def test_series_side_by_side_per_inhabitant(archive, kommuner_answers: Answers) -> None:
    data_dir, _, sources = archive
    result = as_json(data_dir, "series", "grunnskole", "--kommune", "asker,malvik", sources=sources)
    assert result["per_capita"] is True and [k["kommunenummer"] for k in result["kommuner"]] == ["3203", "5031"]
    for m in (kommuner_answers.municipality("asker"), kommuner_answers.municipality("malvik")):
        adopted = next(p for p in m.series if p["label"] == "Grunnskole" and p["year"] == 2024 and p["stage"] == "vedtak"
                       and p["kind"] == "budsjett")
        people = next(i for i in m.inhabitants if i["year"] == 2024)
        fig = next(f for f in result["figures"] if f["kommunenummer"] == m.number and f["year"] == 2024)
        assert fig["value_kr"] == adopted["value_kr"] and fig["inhabitants"] == people["value"]
        assert fig["per_capita"] == pytest.approx(adopted["value_kr"] / people["value"], abs=0.01)
        assert fig["inhabitants_label"] == people["label"] and fig["inhabitants_page"] == people["page"]
    text = run(data_dir, "--lang", "nb", "series", "grunnskole", "--kommune", "asker,malvik", sources=sources)
    assert text.returncode == 0 and "kr/innbygger" in text.stdout and "«Antall innbyggere 1.1.»" in text.stdout
    one = as_json(data_dir, "series", "grunnskole", "--kommune", "malvik", sources=sources)
    assert one["points"] and {p["kommunenummer"] for p in one["points"]} == {"5031"}


def test_vedtak_by_municipality(archive, kommuner_answers: Answers) -> None:
    data_dir, _, sources = archive
    stavanger = as_json(data_dir, "vedtak", "--kommune", "stavanger", sources=sources)
    assert stavanger["decisions"] and {d["kommunenummer"] for d in stavanger["decisions"]} == {"1103"}
    kst = next(d for d in stavanger["decisions"] if d["case"] == "98/23" and "moetesak" in d["url"])
    roll = next(v for v in kst["votes"] if v["text"].startswith("Votering per representant"))
    assert (roll["for"], roll["against"]) == (38, 27) and roll["counts_against"]["Ap"] == 14
    follo = as_json(data_dir, "vedtak", "--kommune", "nordre-follo", sources=sources)
    assert follo["decisions"] and {d["kommunenummer"] for d in follo["decisions"]} == {"3207"}
    assert {d["case"] for d in follo["decisions"]} >= {d["case"] for d in kommuner_answers.opengov["decisions"]}


def test_the_same_case_number_in_two_municipalities_stays_two_decisions(archive) -> None:
    """Stavanger's and Nordre Follo's formannskap both numbered their budget case 98/23."""
    data_dir, _, sources = archive
    both = as_json(data_dir, "vedtak", "98/23", sources=sources)
    owners = {d["kommunenummer"] for d in both["decisions"] if d["case"] == "98/23"}
    assert owners == {"1103", "3207"}
    keys = [(d["doc_id"], d["page"], d["case"]) for d in both["decisions"]]
    assert len(keys) == len(set(keys))
    only = as_json(data_dir, "vedtak", "98/23", "--kommune", "3207", sources=sources)
    assert {d["kommunenummer"] for d in only["decisions"] if d["case"] == "98/23"} == {"3207"}


def test_an_unknown_municipality_is_a_one_line_error(archive) -> None:
    data_dir, _, _ = archive
    proc = run(data_dir, "search", "skole", "--kommune", "Atlantis")
    assert proc.returncode == 2 and "Atlantis" in proc.stderr and "Traceback" not in proc.stderr


def test_the_web_filters_by_municipality(archive) -> None:
    from starlette.testclient import TestClient

    from catalog import DataDir
    from web import create_app

    data_dir, _, sources = archive
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("HPARKIV_SOURCES", str(sources))
        client = TestClient(create_app(DataDir(data_dir)))
        page = client.get("/search", params={"q": "kulturskole", "kommune": "asker", "lang": "en"})
        assert page.status_code == 200 and "Municipality: asker" in page.text and "Asker · 2024" in page.text
        assert "Malvik ·" not in page.text
        facets = client.get("/search", params={"q": "kulturskole", "lang": "en"}).text
        assert "Malvik 5031" in facets and "Nordre Follo 3207" in facets  # the facet speaks names
        api = client.get("/api/search", params={"q": "kulturskole", "kommune": "3207"}).json()
        assert api["hits"] and {h["kommunenummer"] for h in api["hits"]} == {"3207"}
        series = client.get("/series", params={"label": "grunnskole", "kommune": "asker,malvik", "lang": "nb"})
        assert series.status_code == 200 and "kr/innbygger" in series.text and "Antall innbyggere 1.1." in series.text
        csv = client.get("/api/series", params={"label": "grunnskole", "kommune": "asker,malvik", "format": "csv"})
        assert csv.text.splitlines()[0].startswith("kommune,kommunenummer,year") and "Malvik,5031,2024" in csv.text
        vedtak = client.get("/vedtak", params={"kommune": "stavanger", "lang": "en"})
        assert vedtak.status_code == 200 and "Stavanger ·" in vedtak.text and "Nordre Follo ·" not in vedtak.text
        bad = client.get("/search", params={"q": "skole", "kommune": "<Atlantis>"})
        assert bad.status_code == 400 and "<Atlantis>" not in bad.text


def test_a_source_without_its_key_fails_alone_and_the_exit_status_says_so(dest: Path, tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    with serve(dest) as server, pytest.MonkeyPatch.context() as mp:
        sources = loopback_sources(server, tmp_path / "sources")
        mp.delenv("HPARKIV_EINNSYN_API_KEY", raising=False)
        proc = hparkiv(data_dir, "update", "--source", f"{sources / 'stavanger.toml'},{sources / 'nordrefollo.toml'}",
                       "--delay", "0")
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    assert "stavanger" in proc.stderr and "HPARKIV_EINNSYN_API_KEY" in proc.stderr
    assert "1 of 2 sources failed" in proc.stderr and "nordrefollo (Nordre Follo 3207)" in proc.stderr
    found = hparkiv(data_dir, "search", "Kolbotnbadet", "--format", "json")
    assert found.returncode == 0 and json.loads(found.stdout)["total"] >= 1  # the other source was indexed


@pytest.mark.parametrize(("host", "path", "kind"), [
    ("asker", "/om-asker-kommune/okonomi/handlingsprogram/", "cms"),
    ("asker_innsyn", "/wfinnsyn.ashx?response=utvalgsliste&", "acos"),
    ("malvik", "/politikk-og-organisasjon/okonomi/handlings-og-okonomiplan/", "framsikt"),
    ("framsikt", "/2024/malvik/bm-2024-hop_2024_2027", "framsikt"),
    ("einnsyn", "/", "einnsyn"),
    ("opengov", "/Meetings/NORDREFOLLO", "opengov"),
])
def test_sources_detect_names_each_replicas_platform(dest: Path, tmp_path: Path, host: str, path: str, kind: str) -> None:
    with serve(dest) as server:
        url = server.base_url(host) + path
        proc = hparkiv(tmp_path, "sources", "detect", url, "--format", "json")
        starter = hparkiv(tmp_path, "sources", "detect", url, "--toml")
    assert proc.returncode == 0, proc.stderr
    found = json.loads(proc.stdout)["platforms"]
    assert kind in [f["kind"] for f in found] and all(f["reason"] for f in found)
    if kind != "cms":
        assert found[0]["kind"] == kind
    import tomllib

    assert f'kind = "{kind}"' in starter.stdout and tomllib.loads(starter.stdout)["platforms"]


def test_sources_detect_says_when_nothing_fits(dest: Path, tmp_path: Path) -> None:
    with serve(dest) as server:
        proc = hparkiv(tmp_path, "sources", "detect", server.base_url("stavanger_filer") + "/innsyn/dokument/x")
    assert proc.returncode == 1 and "no platform adapter fits" in proc.stderr


def test_sources_list_names_every_shipped_municipality(tmp_path: Path) -> None:
    proc = hparkiv(tmp_path, "sources", "list", "--format", "json")
    rows = {r["name"]: r for r in json.loads(proc.stdout)}
    assert {"baerum", "asker", "malvik", "stavanger", "nordrefollo"} <= set(rows)
    assert rows["malvik"]["platforms"] == ["framsikt"] and rows["stavanger"]["kommunenummer"] == "1103"
    assert os.path.exists(rows["asker"]["file"]) or rows["asker"]["file"].endswith("asker.toml")
