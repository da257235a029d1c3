"""Pages in the request's language: the Jinja environment of each language, its filters, and
`page()`, which renders a template with what every page needs (links that keep the
language, the language switch). Every text is escaped; the snippets' matches become <mark>."""

from __future__ import annotations

import re
from functools import cache
from typing import Any
from urllib.parse import urlencode

from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup, escape
from starlette.requests import Request
from starlette.responses import HTMLResponse

from i18n import from_accept_language, normalise, translations
from present import budget as figures
from present import labels, vedtak
from present.cells import safe
from present.notes import Note
from present.numbers import number, percent, when
from present.snippets import segments

HTMX = "htmx-2.0.4.min.js"


def language(request: Request) -> tuple[str, str | None]:
    """(language, explicit choice to carry in links): ?lang= wins, then Accept-Language, then bokmål."""
    explicit = normalise(request.query_params.get("lang"))
    if explicit:
        return explicit, explicit
    return from_accept_language(request.headers.get("accept-language")) or "nb", None


@cache
def templates(lang: str) -> Environment:
    """One Jinja environment per language, with that language's gettext catalog installed."""
    env = Environment(loader=PackageLoader("web", "templates"), extensions=["jinja2.ext.i18n"],
                      autoescape=select_autoescape(("html", "xml", "svg"), default_for_string=True),
                      trim_blocks=True, lstrip_blocks=True)
    t = translations(lang)
    env.install_gettext_translations(t, newstyle=True)  # type: ignore[attr-defined]
    env.filters["mark"] = mark
    env.filters["external"] = external_url
    # Translated messages are trusted markup under newstyle gettext; one that goes into an
    # attribute and holds quotes is escaped as text again.
    env.filters["attr"] = lambda value: escape(str(value))
    env.filters["when"] = when
    # Budget figures (present/budget.py): "4 497,9", "+3,9 %", mill. kr, kroner; in this language.
    env.filters["figure"] = lambda value, decimals=None: figures.figure(value, lang, decimals)
    env.filters["pct"] = lambda value: figures.change(value, lang)
    env.filters["mill"] = lambda value: figures.mill(value, lang)
    env.filters["kr"] = lambda v: "–" if v is None else figures.figure(v, lang, 0) + " kr"
    env.filters["signed_kr"] = lambda v: "–" if v is None else figures.signed(v, lang, 0) + " kr"
    env.filters["kommune"] = kommune_name
    env.filters["combine"] = lambda d, **more: {**d, **more}
    # What present/ says in words, in this language: the CLI prints the same.
    env.filters["num"] = lambda value, decimals=None: number(value, lang, decimals)
    env.filters["change"] = lambda value: percent(value, lang, sign=True)
    env.filters["committee"] = labels.committee_name
    env.filters["doctype"] = labels.doctype_name
    env.filters["table_caption"] = labels.table_caption
    env.globals["table_label"] = lambda number, caption: labels.table_label(number, caption, t.gettext)
    env.filters["reason"] = lambda text: labels.reason(text, t.gettext)
    env.filters["provenance"] = lambda text: labels.provenance(text, t.gettext)
    env.filters["status"] = lambda status: labels.status_name(status, t.gettext)
    env.filters["field"] = lambda key: labels.field_name(key, t.gettext)
    env.filters["stage"] = lambda stage: labels.stage_name(stage, t.gettext)
    env.globals["run_counts"] = lambda stats: labels.run_counts(stats, t.gettext, lambda v: number(v, lang))
    env.globals["vedtak_heading"] = lambda record, where=True: vedtak.heading(record, t.gettext, where=where)
    env.globals["pages_label"] = lambda record: vedtak.pages_label(record, t.gettext)
    env.globals["tally"] = lambda vote: vedtak.tally(vote, t.gettext, t.ngettext)
    env.globals["sides"] = vedtak.sides
    env.filters["vote_warning"] = lambda code: vedtak.warning_text(code, t.gettext)
    return env


def kommune_name(number: str | None) -> str:
    """A kommunenummer as people read it ("Asker 3203"), from the known sources; else the number."""
    from sources import known_sources

    names = {s.kommune.number: s.kommune.name for s in known_sources() if s.kommune}
    number = str(number or "")
    return f"{names[number]} {number}" if number in names else number


def mark(snippet: str | None) -> Markup:
    """A snippet's matched words as <mark>, everything else escaped."""
    return Markup("").join(Markup("<mark>") + escape(text) + Markup("</mark>") if matched else escape(text)
                           for text, matched in segments(snippet))


def external_url(url: str | None) -> str:
    """A link to the outside only when it is http(s): a `javascript:` or `data:` URL from a
    crawled page becomes an inert '#'."""
    url = safe(url or "").strip()
    return url if re.match(r"https?://", url, re.IGNORECASE) and not re.search(r"\s", url) else "#"


def page(request: Request, name: str, status: int = 200, **context: Any) -> HTMLResponse:
    lang, explicit = language(request)

    def href(path: str, query: str | dict[str, Any] = "") -> str:
        if isinstance(query, dict):
            query = urlencode({k: v for k, v in query.items() if v not in (None, "")})
        if explicit:
            query = (query + "&" if query else "") + f"lang={explicit}"
        return path + ("?" + query if query else "")

    other = "en" if lang == "nb" else "nb"
    switch = dict(request.query_params) | {"lang": other}
    html = templates(lang).get_template(name).render(
        lang=lang, lang_param=explicit, href=href, htmx=HTMX, path=request.url.path,
        switch_language=request.url.path + "?" + urlencode(switch), other_language=other, **context)
    return HTMLResponse(html, status_code=status)


def _(request: Request, message: str, **values: Any) -> str:
    text = translations(language(request)[0]).gettext(message)
    return text % values if values else text


def query_error(request: Request, e: Exception) -> str:
    """A query or filter error (index.QueryError) in the request's language."""
    return _(request, "Bad query: %(reason)s", reason=e.translated(translations(language(request)[0]).gettext))  # type: ignore[attr-defined]


def note_texts(request: Request, notes: list[Note]) -> list[tuple[str, Note]]:
    """What the filters left out (present.notes), in the request's language, with each note."""
    t = translations(language(request)[0])
    return [(_sentence(note.translated(t.gettext, t.ngettext)), note) for note in notes]


def expansion_texts(request: Request, notes: list[Note]) -> list[tuple[list[tuple[str, bool]], Note]]:
    """What a search added or offers (present.expansions), in the request's language, as pieces
    whose values the page emphasises."""
    from present.expansions import segments

    t = translations(language(request)[0])
    out = []
    for note in notes:
        pieces = segments(note, t.gettext, t.ngettext)
        if pieces and not pieces[0][1]:
            pieces[0] = (_sentence(pieces[0][0]), False)
        out.append((pieces, note))
    return out


def _sentence(text: str) -> str:
    """A note as a sentence on a page (the CLI's start in lower case, after "hparkiv: ")."""
    return text[:1].upper() + text[1:]
