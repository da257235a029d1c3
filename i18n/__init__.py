"""One message catalog for every front end (the CLI and the web UI), through gettext.

Messages are written in English in the code (`_("3 pages")`) and translated to Norwegian
bokmål in `i18n/locale/nb/LC_MESSAGES/hparkiv.po`. Domain words (vedtak, innstilling,
utvalg) stay Norwegian in both languages. The `.po` file is compiled to `.mo` by
`make install`; where no fresh `.mo` is found, Babel reads the `.po` file directly.

    t = translations("nb")
    t.gettext("No hits")            # "Ingen treff"
    t.ngettext("{n} page", "{n} pages", n).format(n=n)
    pick_language(explicit=None, accept_language="nb-NO,nb;q=0.9,en;q=0.5")   # "nb"
"""

from __future__ import annotations

import gettext as _gettext
import os
from functools import cache
from pathlib import Path

DOMAIN = "hparkiv"
LOCALE_DIR = Path(__file__).parent / "locale"
DEFAULT = "nb"  # bokmål unless English is asked for (--lang en, an English locale or browser)
# Norwegian in any written form gets the bokmål catalog.
_NORWEGIAN = {"nb", "nn", "no"}


def normalise(lang: str | None) -> str | None:
    """'nb_NO.UTF-8', 'nn', 'no-NO' -> 'nb'; 'en-GB' -> 'en'; anything else -> None."""
    if not lang:
        return None
    code = lang.strip().split(".")[0].replace("_", "-").split("-")[0].lower()
    if code in _NORWEGIAN:
        return "nb"
    if code == "en":
        return "en"
    return None


def from_accept_language(header: str | None) -> str | None:
    """The first language of an Accept-Language header that we have, by its q-value."""
    if not header:
        return None
    ranked: list[tuple[float, int, str]] = []
    for i, part in enumerate(header.split(",")):
        tag, _, params = part.strip().partition(";")
        q = 1.0
        if params.strip().startswith("q="):
            try:
                q = float(params.strip()[2:])
            except ValueError:
                q = 0.0
        lang = normalise(tag)
        if lang and q > 0:
            ranked.append((-q, i, lang))
    return min(ranked)[2] if ranked else None


def from_environment(env: os._Environ[str] | dict[str, str] | None = None) -> str | None:
    """The language of the user's locale (LANGUAGE, LC_ALL, LC_MESSAGES, LANG, in gettext's order)."""
    env = os.environ if env is None else env
    for var in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = env.get(var)
        if value:
            return normalise(value.split(":")[0])
    return None


def pick_language(explicit: str | None = None, accept_language: str | None = None,
                  env: os._Environ[str] | dict[str, str] | None = None) -> str:
    """An explicit choice (--lang, ?lang=), else the browser's or the locale's, else bokmål."""
    return normalise(explicit) or from_accept_language(accept_language) or from_environment(env) or DEFAULT


@cache
def translations(lang: str) -> _gettext.NullTranslations:
    """The catalog for `lang` ('nb' or 'en'); English is the messages as written."""
    if normalise(lang) != "nb":
        return _gettext.NullTranslations()
    po = LOCALE_DIR / "nb" / "LC_MESSAGES" / f"{DOMAIN}.po"
    mo = po.with_suffix(".mo")
    if mo.exists() and (not po.exists() or mo.stat().st_mtime >= po.stat().st_mtime):
        with mo.open("rb") as f:
            return _gettext.GNUTranslations(f)
    return _read_po(po)


def _read_po(po: Path) -> _gettext.NullTranslations:
    """Compile the .po in memory (a source checkout before `make install`)."""
    import io

    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    with po.open("rb") as f:
        catalog = read_po(f, locale="nb")
    buf = io.BytesIO()
    write_mo(buf, catalog)
    buf.seek(0)
    return _gettext.GNUTranslations(buf)
