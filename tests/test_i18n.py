"""The shared message catalog: language choice and the bokmål translations."""

from i18n import from_accept_language, pick_language, translations


def test_norwegian_locales_get_bokmal():
    for lang in ("nb_NO.UTF-8", "nn_NO", "no", "nb"):
        assert pick_language(env={"LANG": lang}) == "nb"
    assert pick_language(env={"LANG": "de_DE.UTF-8"}) == "en"
    assert pick_language(env={}) == "en"


def test_explicit_choice_wins_over_browser_and_locale():
    assert pick_language("en", "nb-NO,nb;q=0.9", {"LANG": "nb_NO.UTF-8"}) == "en"
    assert pick_language(None, "nb-NO,nb;q=0.9", {"LANG": "en_US.UTF-8"}) == "nb"


def test_accept_language_follows_q_values():
    assert from_accept_language("en;q=0.4, nb;q=0.8") == "nb"
    assert from_accept_language("fr, de;q=0.5") is None
    assert from_accept_language("nb;q=0, en") == "en"


def test_bokmal_catalog_translates_and_pluralises():
    nb = translations("nb")
    assert nb.gettext("No hits") == "Ingen treff"
    assert nb.ngettext("{n} page", "{n} pages", 1).format(n=1) == "1 side"
    assert nb.ngettext("{n} page", "{n} pages", 3).format(n=3) == "3 sider"
    en = translations("en")
    assert en.ngettext("{n} page", "{n} pages", 1).format(n=1) == "1 page"
