"""Where a protocol's proceedings end: the sign-off after the last decision, a heading of
the protocol's next part, a list of signatures (extract/vedtak.py stops an agenda item there).

    closing_at(line, following, first_in_section=, listing=) -> int | None

Protocols end in many ways, and a decision must not run on into any of them:

- a closing line: "Protokollen er godkjent elektronisk …", "Protokollen godkjennes i neste møte",
  Nynorsk "Protokollen er godkjend", "Møtet hevet kl. 19.40", "Møtet ble hevet", "Møtet slutt",
  "Møtet vart heva", "Møteslutt", "Rett utskrift bekreftes", "Dokumentet er elektronisk godkjent",
  "Elektronisk godkjent av …";
  also where it follows the decision's last sentence on the same line;
- a signature block: "Sekretær: Line Berg", "Ola Hansen (leder)", "Kari Nordmann, møteleiar",
  a role alone ("møtesekretær"), a place and a date ("Sandvika, 10.11.2020"), a date and a time,
  and names alone on their lines where a block of such lines begins or goes on;
- a heading of the protocol's next part ("Referatsaker", "Eventuelt", "Underskrifter").

A decision's own words are never a sign-off: a closing phrase that is the first line under its
label ("Vedtak: Protokollen er godkjent.") is the decision; a list of names after a line ending
in ":" ("Som meddommere velges:") is the decision's list; a bare name counts only where the
lines around it are a signature block too.
"""

from __future__ import annotations

import re

_ROLE = (r"(?:møteleder|møteleiar|møteleiar|møtesekretær|sekretær|utvalgssekretær|utvalssekretær|politisk\s+sekretær|"
         r"leder|leiar|nestleder|nestleiar|ordfører|ordførar|varaordfører|varaordførar|referent|protokollfører|"
         r"protokollførar|utvalgsleder|utvalsleiar|komitéleder|styreleder|rådsleder|formann|sign\.?|signert|"
         r"underskrift|for\s+utvalget|for\s+rådet)")
_NAME_PART = r"(?:[A-ZÆØÅÉ][a-zæøåéèüöäA-ZÆØÅ'’]+(?:-[A-ZÆØÅ][a-zæøåéèüöä'’]+)?|[A-ZÆØÅ]\.)"
_NAME = rf"{_NAME_PART}(?:\s+(?:{_NAME_PART}|von|van|de|af|la|le)){{1,4}}"
_DATE = (r"(?:\d{1,2}\.\s*\d{1,2}\.\s*(?:\d{4}|\d{2})|\d{1,2}\.\s*(?:januar|februar|mars|april|mai|juni|juli|august|"
         r"september|oktober|november|desember)\s+\d{4}|\d{4}-\d\d-\d\d)")
_TIME = r"(?:kl\.?\s*)?\d{1,2}[:.]\d{2}"

# Phrases that close the proceedings wherever a sentence starts with them.
_CLOSING = re.compile(
    r"(?:^|(?<=[.!?])\s+)(?P<close>"
    r"Møtet\s+(?:ble\s+|blei\s+|vart\s+|er\s+|var\s+|blir\s+)?(?:hevet|heva|hevd|avsluttet|avslutta|sluttet|slutta|slutt)\b"
    r"|Møteslutt\b|Møtet\s+slutt\b"
    r"|Rett\s+utskrift\b"
    r"|Elektronisk\s+(?:godkjent|godkjend|signert)\b|(?:Godkjent|Godkjend|Signert)\s+(?:elektronisk|digitalt)\b"
    r"|(?:Denne\s+|Dette\s+)?(?:dokumentet|protokollen)\s+er\s+elektronisk\s+(?:godkjent|godkjend|signert|underskrevet|underskriven)\b"
    r"|Protokollen\s+(?:er\s+|ble\s+|blei\s+|blir\s+|vert\s+|vart\s+|vil\s+bli\s+|skal\s+)(?:elektronisk\s+|digitalt\s+)?"
    r"(?:godkjent|godkjend|godkjennast|underskrevet|underskriven|signert|lest\s+opp)\b"
    r"|Protokollen\s+(?:godkjennes|godkjennast|signeres|underskrives)\s+(?:i|på|ved|av|elektronisk|digitalt|etter|"
    r"fortløpende)\b"
    r")", re.I)
_OWN_WORDS = re.compile(r"^Protokollen\b", re.I)  # may be a decision's own first line ("Protokollen er godkjent.")

_ROLE_NAME = re.compile(rf"^{_ROLE}\s*:\s*(?:{_NAME})?\s*$", re.I)  # "Sekretær: Line Berg"
_NAME_ROLE = re.compile(rf"^{_NAME}\s*(?:\(\s*{_ROLE}\s*\)|,\s*{_ROLE}|\s+[-–]\s+{_ROLE})$")  # "Ola Hansen (leder)"
_ROLE_ALONE = re.compile(rf"^\(?{_ROLE}\)?(?:\s+\(?{_ROLE}\)?)*$", re.I)  # "møtesekretær", "leder nestleder"
_DATELINE = re.compile(rf"^(?:[A-ZÆØÅ][\w.'’-]*(?:\s+[\w.'’-]+){{0,3}},?\s+(?:den\s+)?)?{_DATE}(?:,?\s+{_TIME})?\.?$",
                       re.I)  # "Sandvika, 10.11.2020", "12.11.2020 14:33"
_NAME_ALONE = re.compile(rf"^{_NAME}$")
# Headings of a protocol's parts after its agenda items, alone on their line.
_NEXT_PART = re.compile(
    r"^(?:Referatsaker|Referatsak|Eventuelt|Orienteringer|Orienteringssaker|Delegerte\s+vedtak|Meldingssaker|"
    r"Meldinger|Interpellasjoner|Grunngitte\s+spørsmål|Spørretime|Spørsmål\s+og\s+svar|Underskrifter|Underskrift|"
    r"Signaturer|Godkjenning\s+av\s+protokollen|Møtet\s+slutt)\s*:?$", re.I)


def is_signature_line(line: str) -> bool:
    """A line of a signature block that says so by itself: a role with a name, a role alone, a
    place and a date, a date and a time."""
    return bool(_ROLE_NAME.match(line) or _NAME_ROLE.match(line) or _ROLE_ALONE.match(line)
                or _DATELINE.match(line))


def block_line(line: str | None) -> bool:
    """A line that may stand in a signature block (or a list of names): any signature line, or a
    name alone."""
    return line is not None and (is_signature_line(line) or bool(_NAME_ALONE.match(line)))


def closing_at(line: str, following: str | None, *, first_in_section: bool = False, listing: bool = False) -> int | None:
    """Where in `line` the proceedings end (0: the whole line), or None if they go on.

    `following` is the line after (None at the end of the document); `first_in_section` is True
    for the first line under a label; `listing` while the text goes on with a list it announced
    ("Som meddommere velges:" and the names under it), where only a closing phrase ends it.
    """
    m = _CLOSING.search(line)
    if m and not (m.start("close") == 0 and first_in_section and _OWN_WORDS.match(line)):
        return m.start("close")
    if _NEXT_PART.match(line):
        return 0
    if first_in_section or listing:
        return None  # the decision's own first line, or the list it announces
    if is_signature_line(line):
        return 0
    if _NAME_ALONE.match(line) and (following is None or block_line(following)):
        return 0  # names alone: a block of signatures when the next line goes on with one (or nothing follows)
    return None
