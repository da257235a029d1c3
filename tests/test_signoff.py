"""Where a protocol's proceedings end (extract/signoff.py), and so where its last decision ends
(extract/vedtak.py): closing lines, signature blocks and headings the sample does not print,
in Bokmål and Nynorsk, and the decision texts that only look like a sign-off."""

from __future__ import annotations

import pytest

from extract.signoff import closing_at, is_signature_line
from extract.vedtak import protocol_vedtak
from sources import load_source

VOCAB = load_source("baerum").vocabulary
ITEM = "PS 41/21 Reguleringsplan for Fornebu sentrum\nInnstilling:\nPlanen vedtas.\nVotering:\nEnstemmig.\nVedtak:\n"
DECISION = "Reguleringsplan for Fornebu sentrum vedtas som foreslått."


def _last(text: str, pages: list[str] | None = None):
    items = protocol_vedtak([(1, text)] if pages is None else list(enumerate(pages, 1)), VOCAB)
    return items[-1]


@pytest.mark.parametrize("closing", [
    "Protokollen er godkjent elektronisk av møteleder og to medlemmer.\nSekretær: Line Berg",
    "Protokollen er godkjend.",                                       # Nynorsk
    "Protokollen vert godkjend i neste møte.",
    "Protokollen godkjennes i neste møte.\nMøtesekretær: Nils Bakke",
    "Protokollen ble lest opp og godkjent.",
    "Møtet hevet kl. 19.40.",
    "Møtet ble hevet kl. 16.15. Neste møte er 7. desember.",
    "Møtet slutt kl. 21.05.",
    "Møtet vart heva kl. 20.10.",
    "Møteslutt: 18:30",
    "Møtet avsluttet 22:15",
    "Rett utskrift bekreftes:\nSandvika, 10.11.2020\nIngrid Dahl\nmøtesekretær",
    "Rett utskrift stadfestast\nBærum, 3. desember 2020",
    "Dokumentet er elektronisk godkjent og har derfor ingen signatur.",
    "Elektronisk godkjent av Kari Nordmann 12.11.2020 14:33",
    "Ola Hansen (leder)\nPer Olsen\nKari Nordmann\nNils Bakke",
    "Kari Nordmann, møteleiar\nPer Olsen\nIngrid Dahl",
    "Ola Hansen Kari Nordmann\nleder nestleder",                     # two signatures side by side
    "Geir B. Aga\nKari Nordmann",                                     # names alone, a block of them
    "Anne-Lise Berg - ordfører",
    "Sandvika, 2. desember 2020\nOla Hansen\nordfører",
    "Referatsaker\nRS 12/21 Melding om tilsyn ved Haug skole",
    "Eventuelt\nDet ble orientert om budsjettarbeidet.",
    "Underskrifter:\nOla Hansen Per Olsen",
])
def test_the_last_decision_ends_where_the_proceedings_do(closing):
    d = _last(ITEM + DECISION + "\n" + closing)
    assert d.decision == DECISION, closing
    assert [v.text for v in d.votes] == ["Enstemmig."]


def test_a_closing_on_the_decisions_own_line():
    d = _last(ITEM + DECISION + " Møtet hevet kl. 19.40.")
    assert d.decision == DECISION
    d = _last(ITEM + DECISION + " Protokollen er godkjent elektronisk.")
    assert d.decision == DECISION


def test_nothing_after_the_last_decision():
    assert _last(ITEM + DECISION).decision == DECISION


def test_a_closing_after_the_votes_is_no_vote():
    d = _last("Sak 3/21 Godkjenning av innkalling\nVotering:\nEnstemmig godkjent.\nMøtet hevet kl. 19.40.")
    assert [v.text for v in d.votes] == ["Enstemmig godkjent."] and all(v.parsed for v in d.votes)


def test_the_sign_off_page_of_a_longer_protocol():
    """Running heads and footers on every page, the decision running over a page break, the sign-off
    on the last page under the same footer."""
    head, foot = "Bærum kommune - Protokoll Kommunestyret 02.12.2020", "Postboks 700, 1304 Sandvika"
    pages = [
        f"{head}\nPS 41/21 Budsjett 2021\nInnstilling:\nBudsjettet vedtas.\n{foot}\nSide 1 av 3",
        f"{head}\nVotering:\nEnstemmig vedtatt.\nVedtak:\nBudsjettet vedtas med de endringer som\n{foot}\nSide 2 av 3",
        f"{head}\nfølger av fellesforslaget.\nProtokollen er godkjent elektronisk.\nSekretær: Line Berg\n{foot}\n"
        "Side 3 av 3",
    ]
    d = _last("", pages)
    assert d.decision == "Budsjettet vedtas med de endringer som følger av fellesforslaget."
    assert (d.page_from, d.page_to) == (1, 3)


def test_an_item_after_a_sign_off_is_read_again():
    """Protocols of several meetings in one file: each item after its own sign-off is read."""
    text = (ITEM + DECISION + "\nMøtet hevet kl. 19.40.\nPS 42/21 Neste sak\nVedtak:\nSaken utsettes.\n"
            "Protokollen er godkjent.")
    first, second = protocol_vedtak([(1, text)], VOCAB)
    assert (first.decision, second.case, second.decision) == (DECISION, "42/21", "Saken utsettes.")


@pytest.mark.parametrize("decision", [
    "Protokollen er godkjent.",                               # the approval item's own decision
    "Protokollen godkjennes.",
    "Protokollen fra forrige møte godkjennes.\nInnkalling og saksliste godkjennes.",
    "Som meddommere for perioden velges:\nKari Nordmann\nOla Hansen\nPer Olsen",  # a list the decision announces
    "Som leder velges:\nKari Nordmann (leder)",
    "Kommunestyret velger\nKari Nordmann som ny leder av kontrollutvalget.",
    "Kommunestyret takker Ola Hansen for innsatsen.\nVervet overtas av\nIngrid Dahl.",
])
def test_decisions_that_only_look_like_a_sign_off_are_kept_whole(decision):
    d = _last(f"PS 5/21 Godkjenning av protokoll\nVedtak:\n{decision}")
    assert d.decision == " ".join(decision.split("\n")), decision


@pytest.mark.parametrize("line, signs", [
    ("Sekretær: Line Berg", True), ("Møtesekretær:", True), ("Ola Hansen (leder)", True),
    ("Kari Nordmann, møteleiar", True), ("møtesekretær", True), ("Sandvika, 10.11.2020", True),
    ("12.11.2020 14:33", True), ("Lommedalen, 6. november 2020", True),
    ("Kari Nordmann", False),  # alone, a name says nothing: its neighbours decide
    ("Kari Nordmann (H)", False), ("Budsjettet vedtas.", False), ("Leder for utvalget er Ola Hansen.", False),
])
def test_signature_lines(line, signs):
    assert is_signature_line(line) is signs


def test_a_name_alone_needs_a_block_around_it():
    assert closing_at("Kari Nordmann", None) == 0  # the last line
    assert closing_at("Kari Nordmann", "Ola Hansen") == 0
    assert closing_at("Kari Nordmann", "møtesekretær") == 0
    assert closing_at("Kari Nordmann", "Budsjettet vedtas.") is None
    assert closing_at("Kari Nordmann", None, listing=True) is None  # under "Som leder velges:"
    assert closing_at("Møtet hevet kl. 19.40.", None, listing=True) == 0
    assert closing_at("Protokollen er godkjent.", None, first_in_section=True) is None
    assert closing_at("Saken tas til orientering. Møtet hevet.", None) == len("Saken tas til orientering. ")
