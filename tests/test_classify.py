"""The classification policy, `crawler.classify.decide`: one test per rule, no crawl needed."""

from __future__ import annotations

from typing import Any

from catalog import Link
from crawler.classify import decide
from sources import load_source

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


# --- calendar-year reports, summons, file names ---------------------------------------------

HP_PAGE = {"headings": ["Handlingsprogram 2021–2024", "Rapportar og analysar"], "h1": "Handlingsprogram 2021–2024"}


def test_a_calendar_year_report_takes_its_own_year_and_no_plan_period() -> None:
    d = decide([link("Økonomimelding II 2020", **HP_PAGE)], URL, "", VOCAB)
    assert (d.meta["year"], d.meta["period"], d.meta["doctype"]) == (2020, None, "annet")
    assert d.provenance["year"].startswith('link text "Økonomimelding II 2020"')
    assert "won over" in d.provenance["year"] and "2021" in d.provenance["year"]
    assert "won over" in d.provenance["period"] and "2021-2024" in d.provenance["period"]


def test_a_calendar_year_report_keeps_a_period_it_names_itself() -> None:
    page = "Årsrapport 2019\nRapportering på handlingsprogram 2019–2022\nBærum kommune"
    d = decide([link("Årsrapport 2019", **HP_PAGE)], URL, page, VOCAB)
    assert (d.meta["year"], d.meta["period"]) == (2019, "2019-2022")
    assert "named by the report itself" in d.provenance["period"]


def test_a_calendar_year_report_found_in_the_first_page_or_typed_without_aeoeaa() -> None:
    d = decide([link("Last ned", **HP_PAGE)], URL, "Arsberetning 2019\nBærum kommune\n", VOCAB)
    assert (d.meta["year"], d.meta["period"], d.meta["doctype"]) == (2019, None, "annet")
    d = decide([link("KOSTRA-analyse 2020: Bærum samanlikna med ASSS", **HP_PAGE)], URL, "", VOCAB)
    assert d.meta["year"] == 2020


def test_a_calendar_year_report_keeps_a_process_type_its_title_names() -> None:
    d = decide([link("Protokoll: Årsrapport 2019 i kommunestyret", **HP_PAGE)], URL, "", VOCAB)
    assert (d.meta["year"], d.meta["doctype"]) == (2019, "protokoll")


def test_a_budget_document_is_no_calendar_year_report() -> None:
    d = decide([link("Vedtatt budsjett 2021 og handlingsprogram 2021-2024")], URL, "", VOCAB)
    assert (d.meta["year"], d.meta["period"], d.meta["doctype"]) == (2021, "2021-2024", "vedtak")


def test_a_meeting_summons_is_annet_of_its_meeting() -> None:
    meeting = {"title": "Kommunestyret", "committee": "Kommunestyret", "date": "2020-12-02",
               "section": "innkalling", "item": "PS 120/20 Handlingsprogram 2021–2024 og budsjett 2021"}
    d = decide([link("Møteinnkalling Kommunestyret 02.12.2020", meeting=meeting)], URL, "", VOCAB)
    assert (d.meta["doctype"], d.meta["committee"], d.meta["date"]) == ("annet", "kommunestyret", "2020-12-02")
    assert (d.meta["year"], d.meta["period"]) == (2021, "2021-2024")
    assert d.provenance["doctype"].startswith("meeting summons")


def test_a_weak_title_without_a_first_page_comes_from_the_file_name() -> None:
    d = decide([link("Last ned (Word)", headings=["Innspel"])], URL, "", VOCAB,
               filename="Innspel frå Bærum Næringsråd.docx")
    assert d.meta["title"] == "Innspel frå Bærum Næringsråd"
    assert d.provenance["title"].startswith("file name")
    d = decide([link("Last ned (Word)", headings=["Innspel"])], URL, "", VOCAB, filename="40117.pdf")
    assert d.meta["title"] != "40117"


def test_nynorsk_types_and_abbreviated_dates() -> None:
    d = decide([link("Kommunedirektøren sitt framlegg til handlingsprogram 2021–2024, 23. sep. 2020")], URL, "", VOCAB)
    assert (d.meta["doctype"], d.meta["date"]) == ("forslag", "2020-09-23")
    d = decide([link("Vedteke handlingsprogram 2021–2024 (2. des. 2020)")], URL, "", VOCAB)
    assert (d.meta["doctype"], d.meta["committee"], d.meta["date"]) == ("vedtak", "kommunestyret", "2020-12-02")
    assert decide([link("Innspel frå Bærum idrettsråd")], URL, "", VOCAB).meta["doctype"] == "innspill"


def test_a_paragraph_mentioning_a_report_does_not_make_a_budget_one() -> None:
    budget = link("Vedtatt budsjett 2021", block="Vedtatt budsjett 2021. Se også årsrapport 2019 for fjoråret.")
    d = decide([budget], URL, "", VOCAB)
    assert (d.meta["year"], d.meta["doctype"]) == (2021, "vedtak")


def test_the_first_page_dates_a_document_its_links_do_not() -> None:
    """Issue 20: a report linked without a date is dated by its own first page, with the words
    that say so; a date of something else on that page is not taken; a date line that is no day
    leaves the date empty and says why."""
    report = link("Økonomimelding II 2020", headings=["Økonomirapportering"])
    page = ("Økonomimelding II 2020\nRapportering per 31. august 2020\nKommunedirektørens rapport til formannskapet"
            "\nDato: 07.10.2020\nSammendrag")
    d = decide([report], URL, page, VOCAB)
    assert d.meta["date"] == "2020-10-07" and d.provenance["date"] == 'from first page "Dato: 07.10.2020"'
    answers = link("Spørsmål og svar Hovedutvalg for bistand og omsorg 2021-2024")
    d = decide([answers], URL, "Spørsmål og svar\nDato: 31.11.2020\nSvar gitt 12.11.2020", VOCAB)
    assert d.meta["date"] is None and d.provenance["date"] == 'from first page "Dato: 31.11.2020" (no such date)'
    dated = link("Spørsmål og svar, 10.11.2020")
    d = decide([dated], URL, "Spørsmål og svar\nSandvika, 6. november 2020", VOCAB)
    assert d.meta["date"] == "2020-11-10" and d.provenance["date"].startswith("link text")  # the link decides first
