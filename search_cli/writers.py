"""Writing answers to stdout: an export in any format (present.formats), or one JSON object.

Text from documents and web pages is untrusted: every string the terminal shows passes
`safe` (present.cells), so no control character or escape sequence reaches it.
"""

from __future__ import annotations

import sys
from typing import Any

import click

from present.exports import Export
from present.formats import FORMATS, document, encode
from search_cli.errors import bad_input
from search_cli.messages import _


def write_export(export: Export, fmt: str, dialect: str = "rfc4180") -> None:
    """The export in `fmt`, written as it is encoded (xlsx: bytes, never to a terminal)."""
    if FORMATS[fmt].binary:
        out = sys.stdout.buffer if hasattr(sys.stdout, "buffer") else None
        if out is None or sys.stdout.isatty():
            raise bad_input(_("xlsx is a file: redirect it, as in `> treff.xlsx`"))
        for piece in encode(export, fmt, dialect):
            out.write(piece)
        out.flush()
        return
    for piece in encode(export, fmt, dialect):
        sys.stdout.write(piece)
    sys.stdout.flush()


def write_json(obj: Any) -> None:
    """One JSON object (a document, the archive's status, a check), indented."""
    click.echo(document(obj), nl=False)
