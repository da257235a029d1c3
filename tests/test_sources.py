"""sources/: the shipped sources as data (municipality, platforms, committees), the national
vocabulary and a source's local spellings, finding a municipality as users name it, what a
`--source` value names, and writing a source file out."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from sources import (
    PLATFORM_KINDS,
    available_sources,
    find_kommune,
    known_sources,
    load_source,
    national_vocabulary,
    shipped_vocabulary,
    source_files,
)
from sources.writing import dump_source

SHIPPED = {"baerum": ("Bærum", "3201", {"cms", "acos"}), "asker": ("Asker", "3203", {"cms", "acos"}),
           "malvik": ("Malvik", "5031", {"framsikt"}), "stavanger": ("Stavanger", "1103", {"einnsyn"}),
           "nordrefollo": ("Nordre Follo", "3207", {"opengov"})}


def test_every_shipped_source_names_its_municipality_and_platforms() -> None:
    assert set(SHIPPED) <= set(available_sources()) and "national" not in available_sources()
    for name, (kommune, number, kinds) in SHIPPED.items():
        src = load_source(name)
        assert (src.kommune.name, src.kommune.number, set(src.kinds())) == (kommune, number, kinds)
        assert all(k in PLATFORM_KINDS for k in src.kinds())
        text = Path(src.path).read_text(encoding="utf-8") if Path(src.path).exists() else ""
        assert "secret" not in text.lower() and "api_key =" not in text


def test_types_and_parties_are_national_and_a_source_adds_local_spellings() -> None:
    national = national_vocabulary()
    assert national.doctype_slugs()[:3] == ["sporsmal", "innspill", "protokoll"] and "Ap" in national.party_abbrs()
    for name in SHIPPED:
        vocab = load_source(name).vocabulary
        assert vocab.doctype_slugs() == national.doctype_slugs() and vocab.party_abbrs() == national.party_abbrs()
    baerum = load_source("baerum").vocabulary
    assert "vernetjenesten" in baerum.doctype("innspill").phrases  # Bærum's own word
    assert "vernetjenesten" not in load_source("asker").vocabulary.doctype("innspill").phrases
    assert baerum.party("Senterpartiet i Bærum").abbr == "Sp"
    assert load_source("asker").vocabulary.party("Senterpartiet i Bærum") is None


def test_committees_keep_every_municipalitys_spellings() -> None:
    vocab = shipped_vocabulary()
    assert vocab.committee("Hovedutvalg for oppvekst og kultur").slug == "oppvekst-og-kultur"  # Nordre Follo's
    assert vocab.committee("Utvalg for oppvekst og utdanning").slug == "oppvekst-og-utdanning"  # Stavanger's
    assert vocab.committee("bystyret").slug == "kommunestyret"
    assert len(set(vocab.committee_slugs())) == len(vocab.committee_slugs())
    asker = load_source("asker").vocabulary
    assert asker.committee_by_id("acos", "21").slug == "oppvekst" and asker.committee("oppvekst").ids_on("acos") == ("21",)
    assert load_source("baerum").vocabulary.committee("HBU").ids_on("acos") == ("19",)  # portal_ids, as before


@pytest.mark.parametrize(("typed", "number"), [
    ("3207", "3207"), ("3020", "3207"), ("Nordre Follo", "3207"), ("nordre-follo", "3207"), ("NORDREFOLLO", "3207"),
    ("Bærum", "3201"), ("baerum", "3201"), ("Bærum kommune", "3201"), ("0219", "3201"), ("asker", "3203"),
])
def test_a_municipality_is_found_as_people_name_it(typed: str, number: str) -> None:
    found = find_kommune(typed)
    assert found is not None and found[0].number == number


def test_an_unknown_municipality_is_none() -> None:
    assert find_kommune("Atlantis") is None and find_kommune("") is None and find_kommune("9999") is None


def test_what_a_source_option_names(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("HPARKIV_SOURCES", raising=False)
    assert source_files("all") == available_sources()
    assert source_files("asker, malvik") == ["asker", "malvik"]
    own = tmp_path / "mine"
    own.mkdir()
    (own / "asker.toml").write_text('name = "asker"\n[kommune]\nname = "Asker"\nnumber = "3203"\n'
                                    '[[platforms]]\nkind = "cms"\nstart_urls = ["http://127.0.0.1:1/"]\n')
    assert source_files(str(own)) == [own / "asker.toml"]
    monkeypatch.setenv("HPARKIV_SOURCES", str(own))
    assert source_files("all") == [own / "asker.toml"]  # one's own set
    asker = next(s for s in known_sources() if s.name == "asker")
    assert asker.start_urls == ("http://127.0.0.1:1/",)  # a file of one's own stands for the shipped one
    with pytest.raises(ValueError, match="no source files"):
        source_files(str(tmp_path / "mine" / ".."))  # tmp_path holds no TOML itself


@pytest.mark.parametrize(("body", "error"), [
    ('name = "x"\n[[platforms]]\nkind = "sharepoint"\n', "unknown platform kind 'sharepoint'"),
    ('name = "x"\n[[platforms]]\nkind = "einnsyn"\napi_key = "secret"\n', "never lives in a source file"),
    ('name = "x"\n[kommune]\nname = "X"\nnumber = 301\n', "four digits"),
    ('name = "x"\n[[platforms]]\nkind = "acos"\nyears = [2025, 2019]\n', "years must be"),
    ('title = "no name"\n', "needs a name"),
    ('name = "x"\n[[doctypes]]\nslug = "budsjettskriv"\n', "not national and has no name"),
    ('name = "x"\nstart_urls = [\n', "not valid TOML"),
])
def test_a_bad_source_file_says_what_is_wrong(tmp_path: Path, body: str, error: str) -> None:
    path = tmp_path / "x.toml"
    path.write_text(body, encoding="utf-8")
    with pytest.raises(ValueError, match=error):
        load_source(path)


def test_a_file_written_before_platforms_means_its_cms_and_acos_portal(tmp_path: Path) -> None:
    path = tmp_path / "old.toml"
    path.write_text('name = "old"\nstart_urls = ["https://www.example.no/hp/"]\n'
                    '[meeting_portal]\nplan = "wfinnsyn.ashx?response=moteplan&utvalg={id}"\n', encoding="utf-8")
    src = load_source(path)
    assert src.kinds() == ("cms", "acos") and src.kommune is None and src.meeting_plan.startswith("wfinnsyn")
    assert src.platform("cms").strings("start_urls") == ("https://www.example.no/hp/",)


def test_a_written_source_reads_back_the_same() -> None:
    data = tomllib.loads((Path(load_source("stavanger").path)).read_text(encoding="utf-8")) \
        if Path(load_source("stavanger").path).exists() else None
    if data is None:  # an installed package: read it through importlib
        from importlib import resources

        data = tomllib.loads((resources.files("sources") / "stavanger.toml").read_text(encoding="utf-8"))
    assert tomllib.loads(dump_source(data, "a comment\nover two lines")) == data


def test_a_partys_names_come_in_one_order_in_every_process():
    """Query trees are built from them: the same query, the same tree, whatever the hash seed."""
    import subprocess
    import sys

    code = "from sources import shipped_vocabulary as v; print([p.names() for p in v().parties])"
    outs = {subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60,
                           env={**__import__("os").environ, "PYTHONHASHSEED": str(seed)}).stdout for seed in (0, 1, 2)}
    assert len(outs) == 1 and "Høyre" in outs.pop()
