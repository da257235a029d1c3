"""index/spelling.py: corrections from an index's own words, compounds that hold a word, forms."""

from __future__ import annotations

import pytest

from index.spelling import FAR_FEWER, Vocabulary, best_correction, correctable, likely_forms, max_distance

WORDS = {"kommunen": 500, "demenslandsby": 90, "fornebubanen": 93, "bekkestua": 40, "kalvøya": 2, "hjorth": 1, "heller": 60,
         "trygghetsalarm": 3, "trygghetsalarmen": 1, "solceller": 2, "bofellesskap": 4, "langsiktig": 3,
         "langsiktige": 5, "barnehageplassene": 1, "barnehageplasser": 9, "nadderud": 80}


@pytest.fixture(scope="module")
def vocab():
    return Vocabulary(WORDS)


@pytest.mark.parametrize("word, distance", [("hjort", 1), ("demenslandsy", 2), ("bekkestau", 2), ("sfo", 0),
                                            ("skole", 1), ("lindela", 1)])
def test_edit_distance_by_length(word, distance):
    assert max_distance(word) == distance


@pytest.mark.parametrize("typed, meant", [("demenslandsy", "demenslandsby"), ("fornebubnaen", "fornebubanen"),
                                          ("bekkestau", "bekkestua"), ("kalvøia", "kalvøya"), ("kalvoia", "kalvøya"),
                                          ("hjort", "hjorth"), ("nadderund", "nadderud")])
def test_a_word_that_matches_nothing_gets_the_closest_spelling(vocab, typed, meant):
    fix = best_correction(typed, 0, vocab.close(typed, max_distance(typed)))
    assert fix is not None and fix.word == meant and fix.distance <= max_distance(typed)


def test_a_word_that_matches_enough_is_meant(vocab):
    candidates = vocab.close("kommunan", 1)
    assert best_correction("kommunan", 500 // FAR_FEWER + 1, candidates) is None  # enough pages of its own
    assert best_correction("kommunan", 1, candidates).word == "kommunen"  # far fewer than "kommunen"
    assert not correctable("sfo") and not correctable("også") and not correctable("e18")


def test_another_inflection_is_no_correction(vocab):
    assert best_correction("langsiktige", 0, [("langsiktig", 1, 3)]) is None
    # "barnehageplasene" has the stem of "barnehageplassene": the stemmed field finds it already
    assert best_correction("barnehageplasene", 0, [("barnehageplassene", 1, 1)]) is None


def test_compounds_that_hold_a_word(vocab):
    assert [w for w, _n in vocab.containing("alarm")] == ["trygghetsalarm"]
    assert [w for w, _n in vocab.containing("celler")] == ["solceller"]
    assert [w for w, _n in vocab.containing("fellesskap")] == ["bofellesskap"]


def test_likely_forms_of_a_word_and_of_a_made_up_compound():
    assert {"langsiktig", "langsiktige"} <= set(likely_forms("langsiktig"))
    assert "sykehjemsplasser" in likely_forms("sykehjemsplassar")  # a Nynorsk compound translated by its head
