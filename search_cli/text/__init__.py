"""Output for people on the terminal, one module per job as the commands are grouped (search_cli/
find.py, documents.py, archive.py): `search` (hits grouped by document, facets, the trend's bars,
what a search added), `budget` (series, the comparison, endringer), `vedtak`, `documents` (list,
show, tables), `archive` (status). Every document string passes `safe`, every message the
message catalog (`_`, `ngettext`), so a run speaks one language. The shapes (hits by document,
folded passages, snippets' matches, notes) are present/'s. Here: the one console they all write
to, and the notes that every command's filters give."""

from __future__ import annotations

import click
from rich.console import Console

from present.cells import safe
from present.notes import UNDATED_LEFT_OUT, Note
from search_cli.messages import gettext, ngettext, plain_ngettext

console = Console(highlight=False, soft_wrap=True)


def print_notes(notes: list[Note]) -> None:
    """What a filter or an offset left out, on stderr, with the flag that undoes it."""
    for note in notes:
        text = note.translated(gettext, plain_ngettext)
        if note.kind == UNDATED_LEFT_OUT:
            text += "; " + ngettext("add --undated to include it", "add --undated to include them", note.n)
        click.echo(f"hparkiv: {safe(text)}", err=True)
