"""What a search searched beside the words as typed, and the filters it offers, said once.

`index.search` returns its expansions (a close spelling, an amount however printed, an
abbreviation's name, the Nynorsk or bokmål word, a synonym, the compounds that hold a word)
and the committees a query named. A reader must see what was added, and be able to undo it:
"Viser treff for *demenslandsby* (du skrev *demenslandsy*)" with a way to search exactly as
typed, and "Bare dokumenter fra HBO?" with a way to filter. These notes are the facts; each
front end shows them in its language (a message of the catalog, its values emphasised) and
adds its own way to act on them: the CLI names the command, the web gives a link.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from present.notes import N_, Note

# Kinds of notes (Note.kind), for the front ends' links and commands.
CORRECTED = "corrected"  # a close spelling searched (params: word, typed)
COMPOUNDS = "compounds"  # compounds that hold a word that matches nothing (typed, words)
AMOUNT = "amount"  # a number searched however printed (typed)
ALSO = "also"  # an abbreviation, Nynorsk/bokmål, synonym or party name searched too (typed, words, kind)
EXACT = "exact"  # the search was exact: nothing was added
COMMITTEE = "committee"  # a committee named: its filter offered (committee, slug, rest)

# What each kind of expansion is called in a note, for the catalog.
KIND_NAMES = {
    "abbreviation": N_("abbreviation or name"),
    "nynorsk": N_("Nynorsk or bokmål"),
    "synonym": N_("same meaning"),
    "party": N_("party name"),
}
MAX_WORDS = 3  # alternatives named in one note


def expansion_notes(expansions: Iterable[Any], exact: bool = False) -> list[Note]:
    """A note per expansion of a search (index.parsed.Expansion), or one saying the search was exact."""
    if exact:
        return [Note(EXACT, N_("searched exactly as typed: no corrections, other spellings, abbreviations or "
                               "synonyms"))]
    notes = []
    for e in expansions:
        words = ", ".join(e.alternatives[:MAX_WORDS]) + (" …" if len(e.alternatives) > MAX_WORDS else "")
        if e.kind == "typo":
            message = (N_("also showing results for {word} (you wrote {typed})") if e.typed_pages
                       else N_("showing results for {word} (you wrote {typed})"))
            notes.append(Note(CORRECTED, message, params={"word": e.alternatives[0], "typed": e.typed}))
        elif e.kind == "compound":
            notes.append(Note(COMPOUNDS, N_("{typed} matches no word by itself; showing words that contain it: {words}"),
                              params={"typed": e.typed, "words": words}))
        elif e.kind == "amount":
            notes.append(Note(AMOUNT, N_("{typed} also as the same number printed any way, rounded to the precision "
                                         "typed"), params={"typed": e.typed}))
        else:
            if e.kind == "abbreviation":  # the name's other spellings say nothing new: the first is enough
                words = e.alternatives[0]
            notes.append(Note(ALSO, N_("{typed} also as {words} ({kind})"),
                              params={"typed": e.typed, "words": words, "kind": KIND_NAMES.get(e.kind, e.kind)}))
    return notes


def committee_notes(suggestions: Iterable[Any], filtered: Iterable[str] = ()) -> list[Note]:
    """"Only documents from HBO?" for each committee a query named, unless already filtered to it."""
    done = set(filtered)
    return [Note(COMMITTEE, N_("only documents from {committee}?"),
                 params={"committee": s.typed, "slug": s.committee, "rest": s.rest})
            for s in suggestions if s.committee not in done]


def translated_params(note: Note, gettext) -> dict[str, Any]:
    """The note's values, with a kind of expansion named in the reader's language."""
    params = dict(note.params)
    if "kind" in params:
        params["kind"] = gettext(params["kind"])
    return params


def segments(note: Note, gettext, ngettext) -> list[tuple[str, bool]]:
    """The note in the reader's language as (text, is_value) pieces, so a front end can emphasise
    the values ("Viser treff for *demenslandsby* (du skrev *demenslandsy*)")."""
    template = gettext(note.message) if note.plural is None else ngettext(note.message, note.plural, note.n)
    values = {"n": note.n, **translated_params(note, gettext)}
    out: list[tuple[str, bool]] = []
    rest = template
    while "{" in rest:
        before, _, after = rest.partition("{")
        name, _, rest = after.partition("}")
        if before:
            out.append((before, False))
        out.append((str(values.get(name, "{" + name + "}")), name != "kind"))
    if rest:
        out.append((rest, False))
    return out


def expansion_record(e: Any) -> dict[str, Any]:
    """An expansion in JSON (`hparkiv search --format json`, /api/search)."""
    return {"kind": e.kind, "typed": e.typed, "alternatives": list(e.alternatives)}


def suggestion_record(s: Any) -> dict[str, Any]:
    return {"committee": s.committee, "typed": s.typed, "query": s.rest}
