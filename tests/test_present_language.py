"""present/ in words: numbers, names for stored keys and reasons, vedtak headings and vote counts,
citations and spreadsheet sheet names, each the same for the CLI and the web."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from i18n import translations
from present import labels
from present.citation import citation
from present.formats import SHEET_NAME_MAX, sheet_name
from present.numbers import number, percent, when
from present.vedtak import heading, pages_label, tally, warning_text, warnings_cell

NB, EN = translations("nb"), translations("en")


@pytest.mark.parametrize("value, decimals, nb, en", [
    (587100.0, 1, "587 100,0", "587,100.0"),
    (1234567, None, "1 234 567", "1,234,567"),
    (48.06, None, "48,1", "48.1"),
    (-4497.9, 1, "-4 497,9", "-4,497.9"),
    (999, None, "999", "999"),
    (12.0, None, "12", "12"),
])
def test_numbers_have_the_languages_separators(value, decimals, nb, en):
    assert number(value, "nb", decimals) == nb and number(value, "en", decimals) == en


def test_a_change_has_its_sign_and_the_percent_of_its_language():
    assert percent(3.94, "nb", sign=True) == "+3,9 %" and percent(3.94, "en", sign=True) == "+3.9%"
    assert percent(-0.5, "nb", sign=True) == "-0,5 %" and percent(0, "nb", sign=True) == "0,0 %"
    assert number(None) == "" and number("tekst") == "tekst" and when("2026-11-30T19:09:21Z") == "2026-11-30 19:09"


@pytest.mark.parametrize("stored, nb", [
    ("corrupt PDF: Unexpected EOF", "ødelagt PDF: Unexpected EOF"),
    ("corrupt PDF: no pages", "ødelagt PDF: ingen sider"),
    ("not a PDF (looks like HTML)", "ikke en PDF (ser ut som HTML)"),
    ("empty file (0 bytes)", "tom fil (0 byte)"),
    ("encrypted (password-protected PDF)", "kryptert (passordbeskyttet PDF)"),
    ("HTTP 404 (also missing from the web archive)", "HTTP 404 (mangler også i nettarkivet)"),
    ("HTTP 503", "HTTP 503"),
    ("disallowed by robots.txt", "ikke tillatt av robots.txt"),
    ("timeout after 30 s", "tidsavbrudd etter 30 s"),
    ("worker exited unexpectedly (exit code 3)", "prosessen avsluttet uventet (avslutningskode 3)"),
    ("something nobody named\x1b[31m", "something nobody named"),  # as stored, made safe
])
def test_failure_reasons_are_translated_and_unknown_ones_kept(stored, nb):
    assert labels.reason(stored, NB.gettext) == nb
    assert labels.reason(stored, EN.gettext) == stored.replace("\x1b[31m", "")


def test_provenance_words_are_translated_and_the_quoted_evidence_never():
    how = 'first page "Vedtatt av kommunestyret" (the link said \'HP 2021\'); won over heading "Rådmannens forslag"'
    nb = labels.provenance(how, NB.gettext)
    assert nb == 'første side "Vedtatt av kommunestyret" (lenken sa \'HP 2021\'); vant over overskrift "Rådmannens forslag"'
    assert labels.provenance(how, EN.gettext) == how
    assert labels.provenance("rule: vedtak -> kommunestyret", NB.gettext) == "regel: vedtak -> kommunestyret"
    assert labels.provenance('link text "heading url"', NB.gettext) == 'lenketekst "heading url"'
    dated = 'from first page "Dato: 31.11.2020" (no such date)'  # a date printed that no calendar has
    assert labels.provenance(dated, NB.gettext) == 'fra første side "Dato: 31.11.2020" (ingen slik dato)'


def test_keys_become_words_and_committees_names():
    counts = labels.run_counts({"pages_visited": 1600, "rebuilt": True, "seconds": 48.06, "failures": [["u", "r"]],
                                "new_thing": 2}, NB.gettext, lambda v: number(v, "nb"))
    assert counts == [("sider besøkt", "1 600"), ("bygget på nytt", "ja"), ("sekunder", "48,1"), ("new thing", "2")]
    assert labels.status_name("no_text", NB.gettext) == "uten tekst" and labels.stage_name("extract", NB.gettext) == "uttrekk"
    assert labels.field_name("superseded_by", NB.gettext) == "erstattet av"
    assert labels.committee_name("barn-og-unge") == "Hovedutvalg for barn og unge"
    assert labels.committee_name("HBU,hbo") == "Hovedutvalg for barn og unge, Hovedutvalg for bistand og omsorg"
    assert labels.committee_name("ukjent-utvalg") == "ukjent-utvalg" and labels.committee_name(None) == ""


def _record(**fields) -> dict:
    base = {"date": "2021-12-01", "year": 2022, "committee": "kommunestyret", "case": None, "section": "Tekstvedtak",
            "title": "Tekstvedtak", "kind": "tekstvedtak", "number": 2, "pages": [3, 3]}
    return base | fields


def test_a_heading_says_each_part_once():
    assert heading(_record(), NB.gettext) == ["2021-12-01", "Kommunestyret", "Tekstvedtak", "punkt 2"]
    assert heading(_record(title="TEKSTVEDTAK"), EN.gettext, where=False) == ["Tekstvedtak", "point 2"]
    sak = _record(kind="sak", case="123/20", section=None, title="Budsjett 2021", number=None, pages=[1, 2])
    assert heading(sak, NB.gettext) == ["2021-12-01", "Kommunestyret", "123/20", "Budsjett 2021"]
    assert pages_label(sak, NB.gettext) == "s. 1–2" and pages_label(_record(), NB.gettext) == "s. 3"
    assert pages_label(_record(), EN.gettext) == "p. 3"


@pytest.mark.parametrize("votes_for, against, nb, en", [
    (36, 15, "36 mot 15 stemmer", "36 votes to 15"),
    (5, None, "5 stemmer for (stemmer mot ikke oppgitt)", "5 votes in favour (votes against not stated)"),
    (1, None, "1 stemme for (stemmer mot ikke oppgitt)", "1 vote in favour (votes against not stated)"),
    (None, 3, "3 stemmer mot (stemmer for ikke oppgitt)", "3 votes against (votes in favour not stated)"),
    (None, None, "", ""),
])
def test_a_vote_count_says_what_is_unknown(votes_for, against, nb, en):
    vote = {"for": votes_for, "against": against}
    assert tally(vote, NB.gettext, NB.ngettext) == nb and tally(vote, EN.gettext, EN.ngettext) == en
    assert "?" not in nb + en


def test_a_votes_warning_in_words_and_in_the_csv_by_its_code():
    assert warning_text("count_mismatch", NB.gettext) == "antallet stemmer stemmer ikke med partiene som er nevnt"
    assert warning_text(None, NB.gettext) == "" and warning_text("new_code", NB.gettext) == "new_code"
    votes = [{"warning": None}, {"warning": "count_mismatch"}, {}]
    assert warnings_cell(votes) == "2: count_mismatch"


def test_sheet_names_follow_excels_rules():
    used: set[str] = set()
    names = [sheet_name(t, used) for t in (
        "Tabell 4.2 Netto driftsramme per programområde – Barn og unge",
        "Tabell 4.2 Netto driftsramme per programområde – Bistand og omsorg",
        "Drift: 2021/2022 [mill. kr]?*", "'Sitert'", "drift 2021 2022 mill. kr", "History", "", "\x1b[31m")]
    assert all(0 < len(n) <= SHEET_NAME_MAX for n in names)
    assert len({n.casefold() for n in names}) == len(names)  # unique, as Excel compares them
    assert not any(set(n) & set(":\\/?*[]") or n.startswith("'") or n.endswith("'") for n in names)
    assert names[0] == "Tabell 4.2 Netto driftsramme…" and names[1] == "Tabell 4.2 Netto driftsramm (2)"
    assert names[2] == "Drift 2021 2022 mill. kr" and names[4] == "drift 2021 2022 mill. kr (2)"
    assert names[3] == "Sitert" and names[5] == "History (2)"


@dataclass
class _Version:
    doc_id: str = "ffe647993f5e"
    title: str | None = "Handlingsprogram 2021–2024"
    date: str | None = "2020-12-02"
    url: str = "https://www.baerum.kommune.no/hp.pdf"
    first_seen: str | None = "2026-11-30T19:09:21Z"


def test_a_citation_names_title_page_date_source_copy_and_fetch_day():
    text = citation(_Version(), 75, NB.gettext, "http://127.0.0.1:8765/doc/ffe647993f5e/pdf#page=75")
    assert text == ("«Handlingsprogram 2021–2024», s. 75, 2020-12-02. https://www.baerum.kommune.no/hp.pdf#page=75. "
                    "Arkivert kopi: http://127.0.0.1:8765/doc/ffe647993f5e/pdf#page=75, hentet 2026-11-30.")
    english = citation(_Version(date=None), 3, EN.gettext)
    assert english == "«Handlingsprogram 2021–2024», p. 3. https://www.baerum.kommune.no/hp.pdf#page=3. Fetched 2026-11-30."

    @dataclass
    class WithKommune(_Version):
        kommune: str = "Asker"

    assert citation(WithKommune(), 1, NB.gettext).startswith("Asker kommune: «")


def test_every_counter_a_run_records_has_a_name():
    """`status` and /status name each counter of a run in words, never as a raw key."""
    from dataclasses import fields

    from crawler.parent import CrawlSummary
    from extract.run import ExtractSummary
    from index.writer import IndexSummary
    from present.labels import RUN_COUNTS

    numeric = [f.name for cls in (CrawlSummary, ExtractSummary, IndexSummary) for f in fields(cls)
               if f.type in ("int", "float", "bool", int, float, bool)]
    assert "pages_visited" in numeric and "problems" in numeric
    assert [k for k in numeric if k not in RUN_COUNTS] == []


def test_document_types_are_named_as_the_vocabulary_spells_them():
    from present.labels import doctype_name

    assert doctype_name("sporsmal") == "Spørsmål og svar"
    assert doctype_name("Spørsmål og svar") == "Spørsmål og svar"  # what --type takes, too
    assert doctype_name("ukjent\x1b[31m") == "ukjent"  # unknown: as it is, without terminal escapes
    assert doctype_name(None) == ""


def test_a_tables_caption_says_its_unit_and_number_once():
    """Not "Tabell 1: Tabell 1 Hovedtall (i 1000 kr) (i 1000 kr)"."""
    from i18n import translations
    from present.labels import table_caption, table_label

    assert table_caption("Tabell 1 Hovedtall (i 1000 kr)", "i 1000 kr") == "Tabell 1 Hovedtall (i 1000 kr)"
    assert table_caption("C.1 Hovedoversikt", "Beløp i 1000 kr") == "C.1 Hovedoversikt · Beløp i 1000 kr"
    assert table_caption(None, "Tall i mill. kroner") == "Tall i mill. kroner" and table_caption(None, None) == ""
    nb = translations("nb").gettext
    assert table_label(1, "Tabell 1 Hovedtall", nb) == "Tabell 1 Hovedtall"
    assert table_label(1, "Tabell 4.2 Netto driftsramme", nb) == "Tabell 1: Tabell 4.2 Netto driftsramme"
    assert table_label(1, "Tabell 12 Investeringer", nb) == "Tabell 1: Tabell 12 Investeringer"
    assert table_label(2, "C.1 Hovedoversikt", nb) == "Tabell 2: C.1 Hovedoversikt"
    assert table_label(3, None, translations("en").gettext) == "Table 3"


def test_every_check_finding_is_said_in_words():
    """`hparkiv check` names each kind of finding and translates its detail, never a raw code."""
    import importlib
    import pkgutil

    import budget
    import catalog
    import index
    from catalog.problem import Problem

    for package in (catalog, index, budget):  # every module that may define a finding, imported
        for module in pkgutil.walk_packages(package.__path__, package.__name__ + "."):
            importlib.import_module(module.name)
    from i18n import translations
    from present.labels import PROBLEM_KINDS, problem

    def kinds(cls: type) -> set[str]:
        return {sub.kind for sub in cls.__subclasses__()} | {k for sub in cls.__subclasses__() for k in kinds(sub)}

    found = kinds(Problem) - {"problem"}
    assert {"decisions-stale", "missing-file", "index-stale"} <= found
    assert sorted(found - PROBLEM_KINDS.keys()) == []
    nb = translations("nb").gettext
    assert problem("decisions-stale", "43 versions have no vedtak derived by the current parser", nb) \
        == "vedtak utdatert: 43 versjoner mangler vedtak lest av gjeldende tolker"
    assert problem("new-kind", "said as written", nb) == "new-kind: said as written"
