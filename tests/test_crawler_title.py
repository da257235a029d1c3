"""Titles for documents whose links are pointers or bare committee names."""

import pytest

from crawler.title import is_weak_title, title_from_text
from sources import load_source

VOCAB = load_source().vocabulary


@pytest.mark.parametrize("title, place, weak", [
    ("Her kan du lese vedtatt budsjett 2021.", "link text", True),
    ("Link til budsjettbehandlingen i kommunestyret 2.desember 2020", "link text", True),
    ("Hovedutvalg for bistand og omsorg", "heading", True),
    ("Eldrerådet", "link text", True),
    ("Protokoll - Formannskapet 18 11 20", "link text", False),
    ("Kommunedirektørens forslag til handlingsprogram 2021 - 2024", "link text", False),
    (None, None, True),
])
def test_weak_titles(title, place, weak):
    assert is_weak_title(title, place, VOCAB) is weak


@pytest.mark.parametrize("text, title", [
    ("Bærum kommune\nHandlingsprogram 2021–2024\nVedtatt av kommunestyret 2. desember 2020\n"
     "Det vises til egen sak om E18 gjennom Bærum som legges frem for politisk behandling. Barn og unge skal\n",
     "Handlingsprogram 2021–2024 Vedtatt av kommunestyret 2. desember 2020"),
    ("Bærum kommune\nProtokoll Hovedutvalg for bistand og omsorg\n11.11.2020\nMøtedato: 11.11.2020 Møtested: R",
     "Protokoll Hovedutvalg for bistand og omsorg 11.11.2020"),
    ("Bærum kommune\nSpørsmål og svar – handlingsprogram 2021-2024\n(samledokument)\nDet har kommet inn 50.\n",
     "Spørsmål og svar – handlingsprogram 2021-2024 (samledokument)"),
    ("Side 1 av 3\n12\n", None),
    ("", None),
])
def test_title_from_first_lines(text, title):
    assert title_from_text(text) == title
