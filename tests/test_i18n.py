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


def test_every_message_of_the_cli_the_jobs_the_output_layer_and_the_query_layer_has_a_bokmal_translation():
    """Messages are found as Babel finds them (`_`, `ngettext`, `N_`, `Np_` and the query errors'
    templates), so a new message without a translation fails here, not in front of a user."""
    from pathlib import Path

    from babel.messages.extract import extract_from_dir

    root = Path(__file__).resolve().parents[1]
    keywords = {"_": None, "gettext": None, "ngettext": (1, 2), "N_": None, "Np_": (1, 2), "QueryError": None,
                "FilterError": None}
    nb = translations("nb")
    missing = []
    for package in ("search_cli", "jobs", "present", "index", "catalog", "budget"):
        for filename, lineno, message, _comments, _context in extract_from_dir(
                root / package, method_map=[("**.py", "python")], keywords=keywords, options_map={}):
            if isinstance(message, tuple):
                got = nb.ngettext(message[0], message[1], 2)
                untranslated = got == message[1]
            else:
                untranslated = nb.gettext(message) == message and message not in _SAME_IN_BOTH
            if untranslated:
                missing.append(f"{package}/{filename}:{lineno}: {message!r}")
    assert not missing, "\n".join(missing)


_SAME_IN_BOTH = {"doc_id", "sha256", "status", "type", "per status", "per type", "kommunenummer"}


def test_every_command_summary_and_option_help_has_a_bokmal_translation():
    """Help is a message too: each command's first paragraph and each option's help."""
    import inspect

    import click

    from search_cli.cli import cli

    nb = translations("nb")
    missing = []

    def walk(cmd: click.Command) -> None:
        head = " ".join(inspect.cleandoc(cmd.help or "").partition("\n\n")[0].split())
        texts = [head] + [" ".join(p.help.split()) for p in cmd.get_params(click.Context(cmd))
                          if isinstance(p, click.Option) and p.help]
        missing.extend(f"{cmd.name}: {t!r}" for t in texts if t and nb.gettext(t) == t)
        for sub in getattr(cmd, "commands", {}).values():
            walk(sub)

    walk(cli)
    assert not missing, "\n".join(missing)
