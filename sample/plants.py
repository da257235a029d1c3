"""Text planted for search (issue 18), designed before the search that must find it.

Each plant is a sentence on a known page of a known document, with what a journalist would
type to find it: proper names for typo queries, amounts in the ways Norwegian documents print
them ("2 446,3 mill. kroner", "1,5 mrd. kroner", "kr 1 500,-"), committee and plan names
spelled out or abbreviated (HMIK, HBO, KD, ØP, LDIP, BØP, FSK), synonyms of the domain
(eldreomsorg ~ pleie og omsorg, skolebygg ~ skoleanlegg, badeanlegg ~ svømmehall,
skolefritidsordning ~ SFO), and sentences where a date, an amount or a case number stands
where a snippet could be cut. A Nynorsk høyringsinnspel (sjukeheim, skulane, barnehagar,
røyster, samrøystes) stands beside the bokmål archive.

Every sentence starts with plain words (the first six words of a planted sentence are a
phrase query in the tests). The judged queries over these plants are in sample/judgments.py.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sample.content import DocText


@dataclass
class Plant:
    key: str  # truth document key
    page: int
    text: str
    kinds: tuple[str, ...]  # what the sentence is for: typo, amount, abbreviation, synonym, snippet, nynorsk …


def plants(s: int, chief: str, kd: dt.date, kd_long: str, fd_long: str, abbr: str) -> list[Plant]:
    """The plants of a build whose current plan year is s (chief: "kommunedirektøren" or "rådmannen";
    kd: kommunestyret's meeting; fd: formannskapet's; abbr: the next plan's short name, "HP" or "BØP")."""
    yy = kd.year % 100
    Chief = chief.capitalize()  # noqa: N806 - the sentence's first word
    return [
        Plant("forslag-cur", 7, "Bærums andel av kostnadene til Fornebubanen er beregnet til 2 446,3 mill. kroner, "
              "og tilskuddet utbetales over fire år.", ("amount", "typo", "snippet")),
        Plant("forslag-cur", 9, "Utviklingen av tomten ved Emma Hjorth gir rom for nye omsorgsboliger.", ("typo",)),
        Plant("forslag-cur", 10, f"Oppgraderingen av skoleanleggene på Bekkestua fortsetter i {s + 1}.",
              ("synonym", "typo")),
        Plant("forslag-cur", 11, f"{Chief} foreslår at flere skolebygg får solceller på taket.", ("synonym",)),
        Plant("forslag-cur", 13, "Kommunens langsiktige drifts- og investeringsplan viser et økende "
              "investeringsbehov etter 2030.", ("abbreviation",)),
        Plant("forslag-cur", 15, "Rammen til hjemmetjenesten er økt i hele ØP-perioden.", ("abbreviation",)),
        Plant("vedtak-cur", 14, f"Etter en lang debatt ble handlingsprogrammet vedtatt av kommunestyret {kd_long} "
              f"i sak 123/{yy} med de endringer som fulgte av fellesforslaget.", ("snippet",)),
        Plant("vedtak-cur", 15, "Kommunens samlede bidrag til ny E18 og lokalveier i Bærum er beregnet til "
              "1,5 mrd. kroner i perioden.", ("amount",)),
        Plant("vedtak-cur", 16, "Investeringsplanen bygger på LDIP og oppdateres hvert år i handlingsprogrammet.",
              ("abbreviation",)),
        Plant("vedtak-cur", 17, "Driftsrammene er justert for lønns- og prisvekst i hele økonomiplanperioden.",
              ("abbreviation",)),
        Plant(f"vedtak-{s + 1}", 6,
              f"Satsingen på tidlig innsats videreføres i {abbr} {s + 1}–{s + 4} og styrkes i {s + 2}.",
              ("abbreviation",)),
        Plant("innstilling-cur", 6, f"Formannskapet behandlet saken {fd_long} og la innstillingen ut til "
              "offentlig ettersyn samme dag.", ("snippet",)),
        Plant("sporsmal-cur", 4, "Svar til Arbeiderpartiet: Kostnaden ved å øke grunnbemanningen i kommunale "
              "barnehager er 4,0 mill. kroner per år.", ("party", "amount")),
        Plant("sporsmal-cur", 3, f"Svar: Tiltakene er beskrevet nærmere i HP {s}–{s + 3} kapittel 4.",
              ("abbreviation",)),
        Plant("sporsmal-barn-og-unge", 2, f"Svar: Hundsund ungdomsskole får en midlertidig paviljong fra høsten {s}.",
              ("typo",)),
        Plant("sporsmal-bistand-og-omsorg", 2, f"Svar: Egenandelen for trygghetsalarm er kr 1 500,- per år fra {s}.",
              ("amount",)),
        Plant("sporsmal-bistand-og-omsorg", 3, "Svar: Saken om hjemmetjenesten legges frem for HBO i januar, og KD "
              "vil komme tilbake til den i økonomimelding I.", ("abbreviation",)),
        Plant("innspill-miljo-idrett-og-kultur", 2, "Idrettsrådet ber hovedutvalg for miljø, idrett og kultur "
              f"prioritere ny kunstgressbane på Nadderud i {s}.", ("abbreviation",)),
        Plant("innspill-miljo-idrett-og-kultur", 2, "Idrettsrådet ønsker også et nytt badeanlegg på Kalvøya som "
              "erstatning for svømmehallen på Rud.", ("synonym", "typo")),
        Plant("notat-cur", 1, "Eldreomsorgen står foran store endringer når antallet eldre over 90 år dobles.",
              ("synonym",)),
        Plant("notat-cur", 3, f"Det planlegges et nytt bofellesskap på Vøyenenga med 24 plasser fra {s + 2}.",
              ("typo",)),
        Plant("innspill-samarbeid", 2, "Fagforeningene viser til at skolefritidsordningen trenger flere faste "
              "stillinger.", ("synonym",)),
        Plant("portal-formannskapet-tilleggsinnstilling", 2, f"{Chief} legger tilleggsinnstillingen frem for FSK "
              "før møtet.", ("abbreviation",)),
    ]


def apply(key: str, t: DocText, all_plants: list[Plant], record: list[dict]) -> None:
    """Plant this document's sentences (at the top of their page, after its heading)."""
    for pl in all_plants:
        if pl.key == key:
            t.plant(pl.page, pl.text)
            record.append({"key": key, "page": pl.page, "text": pl.text, "kinds": list(pl.kinds)})


def nynorsk_pages(s: int, per: str, name: str, when: dt.date, meeting: dt.date, long_date) -> list[list[tuple]]:
    """Høyringsinnspel frå Bærum Mållag: a Nynorsk public input on the innstilling, with the vote of its
    annual meeting written the Nynorsk way."""
    return [
        [("h1", f"Høyringsinnspel til {name.lower()} {per}"), ("h2", "Frå Bærum Mållag"),
         ("p", f"Sandvika, {long_date(when)}"),
         ("p", "Bærum Mållag har lese formannskapet si innstilling og vil peike på tre saker før kommunestyret "
               "gjer vedtaket sitt."),
         ("p", "Sjukeheimane i kommunen treng fleire tilsette, og dei nye sjukeheimsplassane på Fornebu må kome "
               f"på plass før {s + 5}."),
         ("p", "Skulane på Fornebu veks raskt. Vi ber om at det blir oppretta ei nynorskklasse på Oksenøya skule "
               f"frå hausten {s}."),
         ("p", "Barnehagar med nynorsk som arbeidsspråk manglar i dag heilt i Bærum.")],
        [("h2", "Handsaming i årsmøtet"),
         ("p", f"Årsmøtet i Bærum Mållag handsama fråsegna {long_date(meeting)}."),
         ("p", "Framlegget frå styret fekk 14 røyster og vart vedteke. Eit motframlegg om nynorsk i alle "
               "barnehagar fekk 3 røyster og fall."),
         ("p", "Fråsegna vart deretter samrøystes vedteken."),
         ("p", "Vi ber kommunestyret sjå til at eldreomsorga og kollektivtrafikken i vest blir styrkte i "
               "økonomiplanperioden.")],
    ]
