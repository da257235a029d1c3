"""Table families: which kind of budget table a table is, from its caption, header and rows.

A line means something only within its family: "Barn og unge" in the net frames (C.1) and
in the obligatory overview 1B are the same money printed twice, but "Netto driftsresultat"
in the key figures and in a programme area's table are not comparable with a table of
places in care homes. Families are recognised from what real plans print (Bærum's HP/BØP
and the budget regulations' obligatory overviews):

- netto_driftsrammer: "C.1 Hovedoversikt netto driftsrammer", "Netto driftsrammer per sektor",
  "Netto driftsramme per programområde – Barn og unge", "Rammer per tjenesteområde";
- hovedtall: "Hovedtall", "Nøkkeltall", "Økonomiske nøkkeltall", "Finansielle måltall";
- drift_1a, drift_1b, investering_2a, investering_2b: the obligatory overviews of the budget
  regulations (§ 5-4 first and second paragraph, § 5-5 first and second; "Budsjettskjema 1A",
  "Bevilgningsoversikt drift 1A"), also known by their rows when the caption is lost;
- investeringer: project lists ("C.6 Investeringer – samlet prosjektoversikt", "Investeringsprosjekter");
- endringer: the changes from the proposal ("C.5 Endringer fra kommunedirektørens forslag",
  "Formannskapets endringer i rådmannens forslag", "Endringer i driftsbudsjettet").

Anything else is family "annet", one table kind per caption (`table_key`): a table of places
in care homes is followed through the years as itself, never mixed with another table.
"""

from __future__ import annotations

import re

FAMILIES: dict[str, tuple[str, str]] = {  # id -> (Norwegian name, English name)
    "netto_driftsrammer": ("Netto driftsrammer (sektorer og programområder)", "Net frames (sectors and programme areas)"),
    "hovedtall": ("Hovedtall og nøkkeltall", "Key figures"),
    "drift_1a": ("Bevilgningsoversikt drift 1A (§ 5-4)", "Operating appropriations 1A (§ 5-4)"),
    "drift_1b": ("Bevilgningsoversikt drift 1B (§ 5-4)", "Operating appropriations 1B (§ 5-4)"),
    "investering_2a": ("Bevilgningsoversikt investering 2A (§ 5-5)", "Investment appropriations 2A (§ 5-5)"),
    "investering_2b": ("Bevilgningsoversikt investering 2B (§ 5-5)", "Investment appropriations 2B (§ 5-5)"),
    "investeringer": ("Investeringsprosjekter", "Investment projects"),
    "endringer": ("Endringer fra forslaget", "Changes from the proposal"),
    "annet": ("Andre tabeller", "Other tables"),
}
RECOGNISED = tuple(f for f in FAMILIES if f != "annet")
# What people type for --table (besides the ids): short names and the overviews' numbers.
ALIASES = {
    "rammer": "netto_driftsrammer", "driftsrammer": "netto_driftsrammer", "netto": "netto_driftsrammer",
    "c1": "netto_driftsrammer", "nokkeltall": "hovedtall", "nøkkeltall": "hovedtall",
    "1a": "drift_1a", "1b": "drift_1b", "2a": "investering_2a", "2b": "investering_2b",
    "investering": "investeringer", "prosjekter": "investeringer", "endring": "endringer",
}

_SECTION = r"(?:^|[\s(])"
_CAPTION_RULES: list[tuple[str, re.Pattern[str]]] = [
    ("drift_1a", re.compile(r"\b1\s?A\b|§\s*5-4\s*(?:første|1\.?)\s*ledd|§\s*5-4\s*\(1\)", re.I)),
    ("drift_1b", re.compile(r"\b1\s?B\b|§\s*5-4\s*(?:annet|andre|2\.?)\s*ledd|§\s*5-4\s*\(2\)", re.I)),
    ("investering_2a", re.compile(r"\b2\s?A\b|§\s*5-5\s*(?:første|1\.?)\s*ledd|§\s*5-5\s*\(1\)", re.I)),
    ("investering_2b", re.compile(r"\b2\s?B\b|§\s*5-5\s*(?:annet|andre|2\.?)\s*ledd|§\s*5-5\s*\(2\)", re.I)),
    # Changes from the proposal: a caption that starts with them ("Endringer i …", "C.5 Endringer fra …",
    # "Formannskapets endringer i …"), never "Netto driftsrammer etter formannskapets endringer".
    ("endringer", re.compile(
        r"^(?:(?:tabell\s*)?[A-Z]?\d*(?:\.\d+)*\s*)?(?:(?:formannskapets|kommunestyrets|politiske|vedtatte)\s+)?"
        r"(?:budsjett)?endringer\b|endringer\s+(?:fra|i forhold til|sammenlignet med)\s+"
        r"(?:kommunedirektørens|rådmannens)?\s*forslag", re.I)),
    ("netto_driftsrammer", re.compile(
        r"netto\s*drifts?rammer?|\bdriftsrammer\b|\brammer?\s+(?:per|pr\.?|for)\s+(?:sektor|programområde|"
        r"tjenesteområde|rammeområde|virksomhetsområde)|(?:sektor|programområde|tjenesteområde)enes\s+rammer", re.I)),
    ("hovedtall", re.compile(r"\bhovedtall|nøkkeltall|finansielle\s+måltall|handlingsregler", re.I)),
    ("investeringer", re.compile(r"\binvestering(?:er|sprosjekt|sbudsjett|soversikt|sprogram)|prosjektoversikt", re.I)),
]
# Rows that name an overview when its caption is lost (a table continued on the next page).
_ROW_RULES: list[tuple[str, tuple[str, ...]]] = [
    ("drift_1a", ("sum generelle driftsinntekter", "brutto driftsresultat", "netto driftsresultat")),
    ("drift_1a", ("overføring til investering", "netto driftsresultat")),
    ("drift_1b", ("sum bevilgninger drift",)),
    ("investering_2a", ("sum investeringsutgifter", "sum investeringsinntekter")),
]
_LABEL_HEADERS = re.compile(r"^(?:sektor|programområde|tjenesteområde|rammeområde)s?$", re.I)
_NUMBERING = re.compile(r"^(?:tabell|tab\.|figur)?\s*(?:[A-Z]\.)?\d*(?:\.\d+)*\s*[-–:.]?\s*", re.I)


def recognise(caption: str | None, header: list[str], labels: list[str], has_kroner: bool) -> str:
    """The family of a table (an id of FAMILIES): by its caption first, then its rows, then
    its label column's header ("Sektor", "Programområde") when it prints amounts in kroner."""
    text = " ".join((caption or "").split())
    for family, pattern in _CAPTION_RULES:
        if text and pattern.search(text):
            return family
    lowered = {" ".join(label.lower().split()) for label in labels}
    for family, needed in _ROW_RULES:
        if all(any(row.startswith(n) for row in lowered) for n in needed):
            return family
    if has_kroner and header and _LABEL_HEADERS.match(header[0].strip()):
        return "netto_driftsrammer"
    return "annet"


def table_key(caption: str | None) -> str:
    """A caption without its numbering, lower case: "Tabell 5.3 Plasser i sykehjem" -> "plasser i sykehjem".
    Tables of family "annet" are one kind per key."""
    text = " ".join((caption or "").split())
    return _NUMBERING.sub("", text, count=1).strip(" –-:").lower()


def family_name(family: str, lang: str = "nb") -> str:
    nb, en = FAMILIES.get(family, (family, family))
    return en if lang == "en" else nb


def pick_family(text: str) -> str | None:
    """The family a user names (`--table`): an id, an alias or a family's name; None if unknown."""
    wanted = " ".join(text.lower().replace("-", "_").split())
    if wanted in FAMILIES:
        return wanted
    if wanted.replace("_", "") in ALIASES:
        return ALIASES[wanted.replace("_", "")]
    if wanted in ALIASES:
        return ALIASES[wanted]
    for family, (nb, en) in FAMILIES.items():
        if wanted in (nb.lower(), en.lower()):
            return family
    return None
