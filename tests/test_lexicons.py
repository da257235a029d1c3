"""index/lexicons.py and its data: abbreviations and names from the sources, the Nynorsk-bokmål word
list (index/nynorsk.tsv) and the thesaurus (index/thesaurus.toml), compared by stems."""

from __future__ import annotations

import re
from importlib import resources

import pytest

from index.analysis import stem
from index.lexicons import ABBREVIATION, SYNONYM, counterparts, is_short_form, names, nynorsk, thesaurus


@pytest.mark.parametrize("nn, nb", [
    ("sjukeheim", "sykehjem"), ("sjukeheimane", "sykehjem"), ("skulane", "skole"), ("røyster", "stemme"),
    ("samrøystes", "enstemmig"), ("vedteken", "vedtatt"), ("fleire", "flere"), ("tilsette", "ansatt"),
    ("motframlegg", "motforslag"), ("høyringsinnspel", "høringsinnspill"), ("eigedomsskatt", "eiendomsskatt"),
])
def test_nynorsk_finds_bokmal(nn, nb):
    assert nb in counterparts(nn) or stem(nb) in {stem(w) for w in counterparts(nn)}


@pytest.mark.parametrize("nb, nn", [
    ("sykehjemmene", "sjukeheim"), ("skolene", "skule"), ("stemmer", "røyst"), ("ansatte", "tilsett"),
    ("flere", "fleire"), ("omsorgsboligene", "omsorgsbustad"),
])
def test_bokmal_finds_nynorsk(nb, nn):
    assert nn in counterparts(nb)


def test_compounds_translate_at_either_end_and_keep_their_inflection():
    assert stem(counterparts("sjukeheimsplassar")[0]) == stem("sykehjemsplasser")
    assert stem(counterparts("sykehjemsplasser")[0]) == stem("sjukeheimsplassar")
    assert counterparts("omsorgsbustadene") == ("omsorgsbolig",)


def test_words_the_standards_share_or_short_tails_are_left_alone():
    for word in ("barnehage", "budsjett", "kommunestyret", "lokalveier", "badeanlegg", "samme", "Høyre".lower()):
        assert counterparts(word) == (), word


def test_the_word_list_is_well_formed():
    text = resources.files("index").joinpath("nynorsk.tsv").read_text(encoding="utf-8")
    lines = [line for line in text.splitlines() if line.strip() and not line.startswith("#")]
    assert len(lines) >= 80 and len(set(lines)) == len(lines)
    for line in lines:
        nn, nb = line.split("\t")
        assert re.fullmatch(r"[a-zæøåò]+", nn) and re.fullmatch(r"[a-zæøå]+", nb), line
        assert stem(nn) != stem(nb), f"{line}: the same stem needs no entry"
    assert "Source:" in text  # where the list comes from is stated
    assert nynorsk().by_stem


def test_the_thesaurus_groups_words_of_the_same_meaning_both_ways():
    groups = thesaurus()
    assert all(len(g) >= 2 for g in groups)
    table = names()
    for g in groups:
        for word in g:
            found = table.groups(tuple(w.lower() for w in re.findall(r"\w+", word)))
            assert any(a.kind == SYNONYM for a in found), word


def test_abbreviations_and_committee_names_both_ways():
    table = names()
    hbo = next(a for a in table.groups(("hbo",)) if a.kind == ABBREVIATION)
    assert hbo.committee == "bistand-og-omsorg" and ("hovedutvalg", "for", "bistand", "og", "omsorg") in hbo.names
    assert hbo in table.groups(("hovedutvalget", "for", "bistand", "og", "omsorg"))  # inflected, by stems
    assert not any(("bistand", "og", "omsorg") == n for n in hbo.names)  # filter_only: too common in text
    for short, name in (("ldip", ("langsiktig", "drifts", "og", "investeringsplan")), ("hp", ("handlingsprogram",)),
                        ("bøp", ("budsjett", "og", "økonomiplan")), ("kd", ("kommunedirektør",))):
        assert any(name in a.names for a in table.groups((short,))), short


def test_an_abbreviation_that_is_a_common_word_counts_only_in_capitals():
    er = next(a for a in names().groups(("er",)) if a.short == "ER")
    assert not is_short_form("er", er) and is_short_form("ER", er)
    hbo = next(a for a in names().groups(("hbo",)) if a.short == "HBO")
    assert is_short_form("hbo", hbo)
