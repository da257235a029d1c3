"""The one magic-byte sniffer: what a document's bytes are, whatever the server said.

The crawler asks it whether a response is a document worth keeping, extraction which
parser to run, the first-page reader whether there is a PDF to read.
"""

from __future__ import annotations

PDF = "pdf"
ZIP = "zip"  # .docx (and any other zip)
OLE = "ole"  # Word 97-2003 .doc (and other OLE compound files)

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def magic(head: bytes) -> str | None:
    """PDF, ZIP or OLE from a file's first bytes (1 KiB is enough); None for anything else.

    A PDF header may follow some junk (readers accept it within the first 1 KiB).
    """
    if b"%PDF-" in head[:1024]:
        return PDF
    if head.startswith(b"PK\x03\x04"):
        return ZIP
    if head.startswith(OLE_MAGIC):
        return OLE
    return None
