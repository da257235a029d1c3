"""The CLI's language: every message goes through the shared catalog (i18n/), in the
language chosen once per run (--lang, else the locale)."""

from __future__ import annotations

from typing import Any

from i18n import pick_language, translations

_language = ["en"]


def set_language(explicit: str | None = None) -> str:
    """Choose the CLI's language once (--lang, else the locale); every message follows it.

    Click's own words (Usage:, Options, its usage errors) come from the standard gettext
    domain: it is pointed at the same catalog (compiled by `make install`) and the language.
    """
    import gettext as stdlib_gettext
    import os

    from i18n import DOMAIN, LOCALE_DIR

    _language[0] = pick_language(explicit)
    os.environ["LANGUAGE"] = _language[0]
    stdlib_gettext.bindtextdomain(DOMAIN, str(LOCALE_DIR))
    stdlib_gettext.textdomain(DOMAIN)
    return _language[0]


def _(message: str, **params: Any) -> str:
    """A message in the CLI's language; `params` fill its {fields}."""
    text = translations(_language[0]).gettext(message)
    return text.format(**params) if params else text


def ngettext(singular: str, plural: str, n: int, **params: Any) -> str:
    """A message with a count, right in the singular too ("1 page")."""
    text = translations(_language[0]).ngettext(singular, plural, n)
    return text.format(n=num(n), **params)


def language() -> str:
    """The language of this run ('nb' or 'en'), for what is said in numbers ("587 100,0")."""
    return _language[0]


def num(value: Any, decimals: int | None = None) -> str:
    """A number as this run's language writes it (present.numbers)."""
    from present.numbers import number

    return number(value, _language[0], decimals)


def gettext(message: str) -> str:
    return translations(_language[0]).gettext(message)


def plain_ngettext(singular: str, plural: str, n: int) -> str:
    """The catalog's ngettext, unformatted (for messages that format themselves)."""
    return translations(_language[0]).ngettext(singular, plural, n)


def N_(message: str) -> str:
    """Marks a message for the catalog where it is defined; `_` translates it where it is shown."""
    return message
