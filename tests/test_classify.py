"""The classification policy, `crawler.classify.decide`: one test per rule, no crawl needed."""

from __future__ import annotations

from typing import Any

from catalog import Link
from crawler.classify import decide
from crawler.source import load_source

VOCAB = load_source("baerum").vocabulary
URL = "https://www.baerum.kommune.no/globalassets/dok/a1b2.pdf"
INNSTILLING = "Formannskapets innstilling til handlingsprogram 2021-2024, 18.11.2020"


def link(text: str, **context: Any) -> Link:
    return Link(URL, "https://www.baerum.kommune.no/hp/", text, {"link_text": text, **context}, None)


def test_without_links_the_url_and_the_first_page_decide() -> None:
    d = decide([], "https://x.no/hp-2019-2022/radmannens-forslag.pdf", "", VOCAB)
    assert (d.meta["doctype"], d.meta["period"], d.meta["year"]) == ("forslag", "2019-2022", 2019), d.provenance
    assert d.provenance["doctype"].startswith("url ")


def test_a_telling_link_decides_before_a_silent_one() -> None:
    silent = link("pdf", headings=["Spørsmål og svar"])
    telling = link(INNSTILLING)
    d = decide([silent, telling], URL, "", VOCAB)
    assert (d.meta["doctype"], d.meta["committee"], d.meta["title"]) == ("innstilling", "formannskapet", INNSTILLING)


def test_other_links_fill_gaps_when_they_agree() -> None:
    first = link("Formannskapets innstilling til handlingsprogram 2021-2024")
    second = link("Innstilling", block="Innstilling, lagt ut 13.11.2020")
    d = decide([first, second], URL, "", VOCAB)
    assert d.meta["date"] == "2020-11-13"
    assert d.provenance["date"].startswith("paragraph ")


def test_links_of_another_type_or_period_do_not_mix() -> None:
    first = link("Formannskapets innstilling til handlingsprogram 2021-2024")
    other = link("Rådmannens forslag til handlingsprogram 2020-2023, 24.09.2019")
    d = decide([first, other], URL, "", VOCAB)
    assert d.meta["doctype"] == "innstilling"
    assert d.meta["date"] is None


def test_a_weak_title_gives_way_to_the_first_page_heading() -> None:
    pointer = link("Her kan du lese vedtatt budsjett 2021")
    page = "Bærum kommune\nHandlingsprogram 2021–2024\nVedtatt av kommunestyret 2. desember 2020\n"
    d = decide([pointer], URL, page, VOCAB)
    assert d.meta["title"] == "Handlingsprogram 2021–2024 Vedtatt av kommunestyret 2. desember 2020"
    assert "the link said" in d.provenance["title"]


def test_a_silent_link_lets_the_first_page_decide() -> None:
    silent = link("pdf", headings=["Spørsmål og svar"])
    page = "Handlingsprogram 2019–2022 Rådmannens forslag 26. september 2018"
    d = decide([silent], URL, page, VOCAB)
    assert (d.meta["doctype"], d.meta["period"], d.meta["date"]) == ("forslag", "2019-2022", "2018-09-26")
    assert d.provenance["doctype"].startswith("from first page")


def test_a_telling_link_lets_the_first_page_fill_gaps_but_never_the_committee() -> None:
    telling = link("Spørsmål og svar samlet")
    page = "Spørsmål fra Hovedutvalg for barn og unge\nHandlingsprogram 2021-2024\n12.11.2020"
    d = decide([telling], URL, page, VOCAB)
    assert d.meta["doctype"] == "sporsmal"  # the link, not the page
    assert (d.meta["period"], d.meta["date"]) == ("2021-2024", "2020-11-12")
    assert d.meta["committee"] is None


def test_the_first_page_is_not_read_when_the_links_decided_everything() -> None:
    d = decide([link(INNSTILLING)], URL, "Rådmannens forslag til handlingsprogram 2030-2033", VOCAB)
    assert (d.meta["doctype"], d.meta["period"]) == ("innstilling", "2021-2024")
    assert not any("first page" in p for p in d.provenance.values())


def test_defaults_annet_and_the_year_of_the_date() -> None:
    d = decide([link("Presentasjon for kommunestyret 28.09.2016")], URL, "", VOCAB)
    assert d.meta["doctype"] == "annet"
    d = decide([link("Oversikt", block="Oversikt 28.09.2016")], URL, "", VOCAB)
    assert (d.meta["doctype"], d.meta["year"]) == ("annet", 2016)
    assert d.provenance["year"] == "year of date 2016-09-28"


def test_text_from_the_web_is_cleaned() -> None:
    d = decide([link("Innstilling\x1b[31m til handlingsprogram 2021-2024\x07")], URL, "", VOCAB)
    assert d.meta["title"] == "Innstilling til handlingsprogram 2021-2024"
