"""Asker: its own CMS pages and a classic ACOS Innsyn portal in another skin than Bærum's.

Written apart from ``sample.site`` (Bærum) and ``sample.third``, from the URL patterns of the
classic portal (``wfinnsyn.ashx?response=moteplan|mote``, documents ``wfdocument.ashx``) that
``sources/asker.toml`` names. What differs here:

- the CMS is card-based: each document a card with its date and size; the plan of the year on
  the landing page, older plans on an archive page; an old address redirects (301) to the new;
- the portal sits at the host's root (``/wfinnsyn.ashx``), is served as ISO-8859-1, shows a
  committee's meetings of the current year (2024) with the other years behind "Forrige år";
- a meeting page lists its agenda items; each item's documents are on its own page
  (``response=motesak``), one level deeper than Bærum's portal; a cancelled meeting has no link;
- Asker's committees ("Hovedutvalg for oppvekst") and parties, its protocols' wording
  ("35 stemmer (H, Frp, V, KrF, INP) mot 20 stemmer (Ap, MDG, SV, R, Sp)"), one vote
  statement no reader can be sure of (kept as printed: ``parsed: False``);
- an input that is gone (404), a proposal note whose PDF is cut off (truncated), a document
  behind a redirect.
"""

from __future__ import annotations

import datetime as dt
import html

from sample import pdfs
from sample.platforms import figures
from sample.platforms.figures import KOMMUNER, PERIOD, YEAR
from sample.platforms.minutes import Sak, protocol_pdf
from sample.platforms.store import PDF, Store
from sample.protocols import unparsed, vote
from sample.truth import TruthDoc

CMS = "asker"
PORTAL = "asker_innsyn"
LANDING = "/om-asker-kommune/okonomi/handlingsprogram/"
ARCHIVE = LANDING + "tidligere-handlingsprogram/"
ASSETS = "/globalassets/okonomi/handlingsprogram/"
LATIN1 = "text/html; charset=iso-8859-1"
TITLE = f"Handlingsprogram {YEAR}–{YEAR + 3}"
COMMITTEES = {  # portal utvalg id -> (slug, name)
    11: ("kommunestyret", "Kommunestyret"),
    12: ("formannskapet", "Formannskapet"),
    21: ("oppvekst", "Hovedutvalg for oppvekst"),
    22: ("helse-og-omsorg", "Hovedutvalg for helse og omsorg"),
    31: ("eldreradet", "Eldrerådet"),
}
CURRENT_YEAR = 2024


def short(day: str) -> str:
    return f"{day[8:]}.{day[5:7]}.{day[:4]}"


def size(n: int) -> str:
    return f"{max(1, round(n / 1024))} kB" if n < 1024 * 1024 else f"{n / 1048576:.1f} MB".replace(".", ",")


class Builder:
    def __init__(self, store: Store) -> None:
        self.store = store
        self.k = KOMMUNER["asker"]
        self.truth: dict = {"landing": LANDING, "archive": ARCHIVE, "portal": "/wfinnsyn.ashx", "meetings": [],
                            "decisions": [], "problems": [], "series": [], "inhabitants": [],
                            "current_year": CURRENT_YEAR}  # fmt: skip
        self.next_dok = 5_512_000
        self.meetings: list[dict] = []

    def tdoc(self, key: str, host: str, path: str, title: str, committee: str | None, doctype: str, day: str | None,
             pages: int | None, link: str, source: str, year: int = YEAR, period: str | None = PERIOD,
             platform: str = "cms", **extra) -> TruthDoc:  # fmt: skip
        return TruthDoc(key=key, host=host, path=path, title=title, year=year, period=period, committee=committee,
                        doctype=doctype, date=day, pages=pages, content_type=PDF, link_text=link, source_page=source,
                        kommune=self.k.name, kommunenummer=self.k.number, source=self.k.source, platform=platform,
                        **extra)  # fmt: skip

    # -- the CMS

    def cms(self) -> None:
        k, s = self.k, self.store
        forslag = figures.budget_pdf(k, "asker-forslag", f"Kommunedirektørens forslag til {TITLE.lower()}",
                                    "Asker, 17. oktober 2023", "forslag", True)  # fmt: skip
        vedtatt = figures.budget_pdf(k, "asker-vedtak", f"Vedtatt {TITLE.lower()}",
                                    "Vedtatt av kommunestyret 12. desember 2023", "vedtak", False)  # fmt: skip
        qa, qa_pages = figures.short_pdf(k, f"Spørsmål og svar – {TITLE.lower()}", [
            "Spørsmål 1 fra Ap: Hvor mange elever venter på plass i kulturskolen?",
            "Svar: Per 1. oktober venter 412 elever på plass."], "asker-qa", 3)  # fmt: skip
        notat, _ = figures.short_pdf(k, f"Økonomisk notat 3 – {TITLE.lower()}", ["Til: Formannskapet"], "notat", 2)
        items = [
            ("asker-forslag", f"{ASSETS}kommunedirektorens-forslag-til-handlingsprogram-{YEAR}-{YEAR + 3}.pdf",
             f"Kommunedirektørens forslag til {TITLE.lower()}", None, "forslag", "2023-10-17", forslag.data,
             forslag.pages),
            ("asker-vedtak", f"{ASSETS}vedtatt-handlingsprogram-{YEAR}-{YEAR + 3}.pdf", f"Vedtatt {TITLE.lower()}",
             "kommunestyret", "vedtak", "2023-12-12", vedtatt.data, vedtatt.pages),
            ("asker-sporsmal", f"/contentassets/8d2c1f0b47e94a3c9a1c0d5f2e7b6a11/sporsmal-og-svar-hp-{YEAR}-{YEAR + 3}.pdf",
             f"Spørsmål og svar – {TITLE.lower()}", None, "sporsmal", "2023-11-20", qa, qa_pages),
        ]  # fmt: skip
        cards = []
        for key, path, title, committee, doctype, day, data, pages in items:
            doc = self.tdoc(key, CMS, path, title, committee, doctype, day, pages, title, LANDING)
            if key == "asker-forslag":
                doc.planted = forslag.planted
            s.doc(doc, data, day)
            cards.append(card(path, title, day, f"pdf, {size(len(data))}"))
        self.truth["series"] += forslag.series + vedtatt.series
        self.truth["inhabitants"] += forslag.inhabitants + vedtatt.inhabitants
        # A note whose PDF is cut off: fetched whole, unreadable.
        notat_path = f"{ASSETS}okonomisk-notat-3-hp-{YEAR}.pdf"
        doc = self.tdoc("asker-notat-3", CMS, notat_path, f"Økonomisk notat 3 – {TITLE.lower()}", None, "notat",
                        "2023-11-08", None, f"Økonomisk notat 3 – {TITLE.lower()}", LANDING, status="failed",
                        error_contains="corrupt")  # fmt: skip
        s.doc(doc, pdfs.truncate(notat), "2023-11-08")
        cards.append(card(notat_path, doc.title, "2023-11-08", f"pdf, {size(len(notat) // 3)}"))
        self.problem("malformed_record", CMS, notat_path, "the PDF is cut off (no xref, no trailer)",
                     "keep the file as fetched, mark it failed with the reason; go on")  # fmt: skip
        # An input that is gone.
        gone = f"{ASSETS}horingsinnspill-asker-idrettsrad-{YEAR}.pdf"
        s.error(CMS, gone, 404, "Siden finnes ikke", "Vi fant ikke siden du lette etter.", "2023-11-01")
        cards.append(card(gone, "Høringsinnspill fra Asker idrettsråd", "2023-11-01", "pdf, 220 kB"))
        self.truth["expired"] = {"host": CMS, "path": gone, "status": 404}
        self.problem("expired_link", CMS, gone, "404 Not Found", "record the failure with its reason; go on",
                     status=404, source_page=LANDING)  # fmt: skip
        portal = "{{ASKER_INNSYN}}/wfinnsyn.ashx?response=moteplan&amp;utvalg=11&amp;"
        body = f"""<div class="lead"><p>Handlingsprogrammet er kommunens fireårige plan for økonomi og tjenester.
Det rulleres hvert år og vedtas av kommunestyret i desember.</p></div>
<section class="cards" aria-labelledby="hp-aktuelt"><h2 id="hp-aktuelt">{TITLE}</h2>
<div class="card-grid">{"".join(cards)}</div></section>
<section class="related"><h2>Politisk behandling</h2>
<p>Sakspapirer og protokoller finner du i <a href="{portal}">møteplanen for kommunestyret</a>.</p>
<p><a href="{ARCHIVE}">Tidligere handlingsprogram</a></p>
<p><a href="https://www.facebook.com/askerkommune">Følg oss på Facebook</a></p></section>"""
        s.page(CMS, LANDING, cms_page("Handlingsprogram", body, [("Om Asker kommune", "/om-asker-kommune/"),
                                                                ("Økonomi", "/om-asker-kommune/okonomi/")]),
               "2023-12-14")  # fmt: skip
        s.redirect(CMS, "/politikk/handlingsprogram/", "{{ASKER}}" + LANDING, 301)
        s.never_request.append({"url": "https://www.facebook.com/askerkommune", "why": "off-site"})
        # The archive: last year's adopted plan, behind an old address that redirects.
        old_title = f"Vedtatt handlingsprogram {YEAR - 1}–{YEAR + 2}"
        old, old_pages = figures.short_pdf(k, old_title, ["Vedtatt av kommunestyret 13. desember 2022"], "old", 4)
        old_path = "/globalassets/okonomi/hp-2023-2026-vedtatt.pdf"
        new_path = f"{ASSETS}arkiv/vedtatt-handlingsprogram-{YEAR - 1}-{YEAR + 2}.pdf"
        doc = self.tdoc("asker-vedtak-2023", CMS, old_path, old_title, "kommunestyret", "vedtak", "2022-12-13",
                        old_pages, old_title, ARCHIVE, year=YEAR - 1, period=f"{YEAR - 1}-{YEAR + 2}",
                        final_path=new_path)  # fmt: skip
        s.put(CMS, new_path, old, PDF, "2022-12-15")
        s.redirect(CMS, old_path, "{{ASKER}}" + new_path, 301)
        s.docs.append(doc)
        body = f"""<p>Vedtatte handlingsprogram fra tidligere år.</p>
<section class="cards"><div class="card-grid">{card(old_path, old_title, "2022-12-13", f"pdf, {size(len(old))}")}</div></section>"""
        s.page(CMS, ARCHIVE, cms_page("Tidligere handlingsprogram", body, [("Om Asker kommune", "/om-asker-kommune/"),
                                                                         ("Handlingsprogram", LANDING)]),
               "2023-01-05")  # fmt: skip

    # -- the portal

    def dokument(self, title: str, data: bytes, day: str) -> str:
        self.next_dok += 17
        path = f"/wfdocument.ashx?journalpostid={day[:4]}0{self.next_dok % 100000:05d}&dokid={self.next_dok}&versjon=1&variant=P&"
        self.store.put(PORTAL, path, data, PDF, day)
        return path

    def portal(self) -> None:  # noqa: PLR0915 - one meeting after another
        k = self.k
        mid = iter(range(4301, 4999, 7))

        def meeting(utvalg: int, day: str, items: list[dict], files: list[tuple[str, str]],
                    cancelled: bool = False, date_style: str = "short") -> dict:  # fmt: skip
            m = {"moteid": next(mid), "utvalg": utvalg, "day": day, "items": items, "files": files,
                 "cancelled": cancelled, "date_style": date_style}  # fmt: skip
            self.meetings.append(m)
            return m

        def ordinary(utvalg: int, day: str, subject: str, cancelled: bool = False) -> None:
            items = []
            if not cancelled:
                data, _ = figures.short_pdf(k, f"Saksframlegg: {subject}", [COMMITTEES[utvalg][1], short(day)],
                                           f"asker-{utvalg}-{day}", 1)  # fmt: skip
                path = self.dokument(f"Saksframlegg {subject}", data, day)
                items.append({"saksid": self.next_dok + 1, "nr": f"PS {10 + len(self.meetings)}/{day[2:4]}",
                              "title": subject, "docs": [("Saksframlegg", path, f"Saksframlegg {subject}")]})  # fmt: skip
                self.store.skipped.append({"host": PORTAL, "path": path, "title": f"Saksframlegg {subject}",
                                           "why": "agenda item not about the budget"})  # fmt: skip
            meeting(utvalg, day, items, [], cancelled)

        for utvalg, days in ((11, ["2023-06-14", "2024-02-13", "2024-04-23"]), (12, ["2023-06-06", "2024-01-30"]),
                             (21, ["2023-09-19", "2024-03-05"]), (22, ["2023-09-20"]), (31, ["2024-02-12"])):
            for day in days:
                ordinary(utvalg, day, "Tilstandsrapport for grunnskolen" if utvalg == 21 else "Kommunal planstrategi")
        ordinary(12, "2024-06-11", "Reglement for formannskapet", cancelled=True)

        # Eldrerådet 20.11.2023: its statement (its page writes the date in words).
        day = "2023-11-20"
        data, pages = figures.short_pdf(k, f"Eldrerådets uttalelse til {TITLE.lower()}", ["Eldrerådet",
                                       "Rådet ber om at dagsentertilbudet i Heggedal videreføres."], "eld", 1)  # fmt: skip
        path = self.dokument("Eldrerådets uttalelse", data, day)
        m = meeting(31, day, [{"saksid": self.next_dok + 1, "nr": "PS 23/23", "title": f"Uttalelse til {TITLE.lower()}",
                               "docs": [("Uttalelse", path, "Eldrerådets uttalelse")]}], [], date_style="words")  # fmt: skip
        self.store.docs.append(self.tdoc("asker-eldreradet-uttalelse", PORTAL, path,
                                         f"Eldrerådets uttalelse til {TITLE.lower()}", "eldreradet", "innspill", day,
                                         pages, "Eldrerådets uttalelse", item_path(m, 0), platform="acos"))  # fmt: skip

        # Hovedutvalg for oppvekst 21.11.2023.
        day = "2023-11-21"
        saksfr, sp = figures.short_pdf(k, f"Saksframlegg: {TITLE} – høring i hovedutvalget", ["Hovedutvalg for oppvekst",
                                      "Kommunedirektørens forslag til vedtak: Hovedutvalget tar saken til orientering."],
                                      "hu-sf", 2)  # fmt: skip
        hu_sak = Sak("51/23", "23/3318", f"{TITLE} – høring i hovedutvalget", "Kommunedirektørens forslag til vedtak:",
                     "Hovedutvalget tar saken til orientering.",
                     votes=[vote("Kommunedirektørens forslag ble enstemmig vedtatt.", "Kommunedirektørens forslag",
                                 "vedtatt", unanimous=True)],
                     decision_label="Hovedutvalg for oppvekst vedtak:",
                     decision="Hovedutvalget tar saken til orientering.")  # fmt: skip
        prot, pp, dec = protocol_pdf(k, "asker-hu-protokoll", "oppvekst", "Hovedutvalg for oppvekst", day,
                                     "Asker rådhus, møterom Vardåsen", [hu_sak])  # fmt: skip
        p_sf = self.dokument("Saksframlegg", saksfr, day)
        p_prot = self.dokument("Møteprotokoll", prot, "2023-11-23")
        m = meeting(21, day, [{"saksid": self.next_dok + 1, "nr": "PS 51/23", "title": hu_sak.title,
                               "docs": [("Saksframlegg", p_sf, "Saksframlegg")]}],
                    [("Møteprotokoll", p_prot)])  # fmt: skip
        self.store.docs += [
            self.tdoc("asker-hu-saksframlegg", PORTAL, p_sf, f"Saksframlegg: {hu_sak.title}", "oppvekst", "saksframlegg",
                      day, sp, "Saksframlegg", item_path(m, 0), platform="acos"),
            self.tdoc("asker-hu-protokoll", PORTAL, p_prot, "Møteprotokoll Hovedutvalg for oppvekst " + short(day),
                      "oppvekst", "protokoll", day, pp, "Møteprotokoll", meeting_path(m), platform="acos", decisions=dec),
        ]  # fmt: skip

        # Formannskapet 28.11.2023: formannskapets innstilling (the innstilling stage's tables).
        day = "2023-11-28"
        innst = figures.budget_pdf(k, "asker-innstilling", f"Formannskapets innstilling – {TITLE.lower()}",
                                  "Formannskapet 28. november 2023", "innstilling", False)  # fmt: skip
        saksfr, sp = figures.short_pdf(k, f"Saksframlegg: {TITLE}", ["Arkivsak: 23/2210",
                                      f"Kommunedirektørens forslag til vedtak: {TITLE} vedtas."], "fsk-sf", 2)  # fmt: skip
        fsk_sak = Sak("142/23", "23/2210", TITLE, "Kommunedirektørens forslag til vedtak:", f"{TITLE} vedtas.",
                      [("Forslag fra H, Frp, V og KrF:", "H, Frp, V og KrF", ["H", "Frp", "V", "KrF"],
                        "Grunnskolens ramme økes med 4 mill. kroner og kulturskolens med 0,6 mill. kroner.")],
                      [vote("Forslaget fra H, Frp, V og KrF ble vedtatt med 8 stemmer (H, Frp, V, KrF) mot 5 stemmer "
                            "(Ap, MDG, SV).", "Forslaget fra H, Frp, V og KrF", "vedtatt", for_=8, against=5,
                            parties_for=[("H", None), ("Frp", None), ("V", None), ("KrF", None)],
                            parties_against=[("Ap", None), ("MDG", None), ("SV", None)])],
                      "Formannskapets innstilling:", f"{TITLE} vedtas med de endringer som følger av forslaget fra "
                      "H, Frp, V og KrF.")  # fmt: skip
        prot, pp, dec = protocol_pdf(k, "asker-fsk-protokoll", "formannskapet", "Formannskapet", day,
                                     "Asker rådhus, formannskapssalen", [fsk_sak])  # fmt: skip
        p_sf = self.dokument("Saksframlegg", saksfr, "2023-11-14")
        p_inn = self.dokument("Formannskapets innstilling", innst.data, "2023-11-29")
        p_prot = self.dokument("Møteprotokoll", prot, "2023-11-30")
        innk, _ = figures.short_pdf(k, f"Møteinnkalling Formannskapet {short(day)}", ["Saksliste"], "fsk-innk", 1)
        p_innk = self.dokument("Møteinnkalling", innk, "2023-11-20")
        m = meeting(12, day, [{"saksid": self.next_dok + 1, "nr": "PS 142/23", "title": TITLE,
                               "docs": [("Saksframlegg", p_sf, "Saksframlegg"),
                                        ("Vedlegg", p_inn, f"Formannskapets innstilling – {TITLE.lower()}")]}],
                    [("Møteinnkalling", p_innk), ("Møteprotokoll", p_prot)])  # fmt: skip
        self.store.optional.append({"host": PORTAL, "path": p_innk, "title": "Møteinnkalling"})
        self.store.docs += [
            self.tdoc("asker-fsk-saksframlegg", PORTAL, p_sf, f"Saksframlegg: {TITLE}", "formannskapet", "saksframlegg",
                      day, sp, "Saksframlegg", item_path(m, 0), platform="acos"),
            self.tdoc("asker-innstilling", PORTAL, p_inn, f"Formannskapets innstilling – {TITLE.lower()}",
                      "formannskapet", "innstilling", day, innst.pages, f"Formannskapets innstilling – {TITLE.lower()}",
                      item_path(m, 0), platform="acos"),
            self.tdoc("asker-fsk-protokoll", PORTAL, p_prot, f"Møteprotokoll Formannskapet {short(day)}",
                      "formannskapet", "protokoll", day, pp, "Møteprotokoll", meeting_path(m), platform="acos",
                      decisions=dec),
        ]  # fmt: skip
        self.truth["series"] += innst.series
        self.truth["inhabitants"] += innst.inhabitants

        # Kommunestyret 12.12.2023: the decision.
        day = "2023-12-12"
        saksfr, sp = figures.short_pdf(k, f"Saksframlegg: {TITLE}", ["Arkivsak: 23/2210",
                                      "Formannskapets innstilling av 28.11.2023 følger vedlagt."], "kst-sf", 2)  # fmt: skip
        kst_sak = Sak("87/23", "23/2210", TITLE, "Formannskapets innstilling:",
                      f"{TITLE} vedtas med de endringer som følger av forslaget fra H, Frp, V og KrF.",
                      [("Forslag fra Ap, SV og R:", "Ap, SV og R", ["Ap", "SV", "R"],
                        "Eiendomsskatten på bolig innføres ikke. Kulturskolens ramme økes med 2 mill. kroner."),
                       ("Forslag fra MDG:", "MDG", ["MDG"], "Kulturskolens venteliste skal halveres i perioden.")],
                      [vote("Forslaget fra Ap, SV og R fikk 15 stemmer (Ap, SV, R) og falt.", "Forslaget fra Ap, SV og R",
                            "falt", for_=15, parties_for=[("Ap", None), ("SV", None), ("R", None)]),
                       unparsed("MDGs forslag: 4 st. (MDG) - falt"),
                       vote("Formannskapets innstilling ble vedtatt med 35 stemmer (H, Frp, V, KrF, INP) mot 20 stemmer "
                            "(Ap, MDG, SV, R, Sp).", "Formannskapets innstilling", "vedtatt", for_=35, against=20,
                            parties_for=[(p, None) for p in ("H", "Frp", "V", "KrF", "INP")],
                            parties_against=[(p, None) for p in ("Ap", "MDG", "SV", "R", "Sp")])],
                      "Kommunestyrets vedtak:", f"{TITLE} vedtas i samsvar med formannskapets innstilling.",
                      narrative=2)  # fmt: skip
        other = Sak("88/23", "23/4120", "Valg av meddommere", votes=[vote("Enstemmig.", None, "vedtatt", unanimous=True)],
                    decision="Valget foretas i samsvar med valgnemndas innstilling.")  # fmt: skip
        prot, pp, dec = protocol_pdf(k, "asker-kst-protokoll", "kommunestyret", "Kommunestyret", day,
                                     "Asker rådhus, kommunestyresalen", [kst_sak, other])  # fmt: skip
        p_sf = self.dokument("Saksframlegg", saksfr, "2023-11-30")
        p_prot = self.dokument("Møteprotokoll", prot, "2023-12-14")
        other_data, _ = figures.short_pdf(k, "Saksframlegg: Valg av meddommere", ["Kommunestyret"], "md", 1)
        p_other = self.dokument("Saksframlegg", other_data, "2023-11-30")
        m = meeting(11, day, [{"saksid": self.next_dok + 1, "nr": "PS 87/23", "title": TITLE,
                               "docs": [("Saksframlegg", p_sf, "Saksframlegg")]},
                              {"saksid": self.next_dok + 2, "nr": "PS 88/23", "title": "Valg av meddommere",
                               "docs": [("Saksframlegg", p_other, "Saksframlegg")]}],
                    [("Møteprotokoll", p_prot)])  # fmt: skip
        self.store.skipped.append({"host": PORTAL, "path": p_other, "title": "Saksframlegg Valg av meddommere",
                                   "why": "agenda item not about the budget"})  # fmt: skip
        self.store.docs += [
            self.tdoc("asker-kst-saksframlegg", PORTAL, p_sf, f"Saksframlegg: {TITLE}", "kommunestyret", "saksframlegg",
                      day, sp, "Saksframlegg", item_path(m, 0), platform="acos"),
            self.tdoc("asker-kst-protokoll", PORTAL, p_prot, f"Møteprotokoll Kommunestyret {short(day)}",
                      "kommunestyret", "protokoll", day, pp, "Møteprotokoll", meeting_path(m), platform="acos",
                      decisions=dec),
        ]  # fmt: skip
        self.truth["decisions"] = [d for doc in self.store.docs if doc.source == "asker" for d in doc.decisions]

    def write_portal(self) -> None:
        for m in self.meetings:
            if m["cancelled"]:
                continue
            self.store.put(PORTAL, meeting_path(m), latin1(meeting_html(m)), LATIN1, m["day"])
            for n in range(len(m["items"])):
                self.store.put(PORTAL, item_path(m, n), latin1(item_html(m, n)), LATIN1, m["day"])
            self.store.html_pages.append({"host": PORTAL, "path": meeting_path(m)})
            self.truth["meetings"].append({"moteid": m["moteid"], "committee": COMMITTEES[m["utvalg"]][0],
                                           "date": m["day"], "path": meeting_path(m),
                                           "items": [{"nr": it["nr"], "title": it["title"], "path": item_path(m, n)}
                                                     for n, it in enumerate(m["items"])]})  # fmt: skip
        for utvalg in COMMITTEES:
            mine = [m for m in self.meetings if m["utvalg"] == utvalg]
            years = sorted({int(m["day"][:4]) for m in mine} | {CURRENT_YEAR}, reverse=True)
            for year in years:
                page = latin1(moteplan_html(utvalg, year, years, [m for m in mine if m["day"].startswith(str(year))]))
                target = f"/wfinnsyn.ashx?response=moteplan&utvalg={utvalg}&aar={year}&"
                self.store.put(PORTAL, target, page, LATIN1, f"{year}-12-01")
                if year == CURRENT_YEAR:
                    self.store.put(PORTAL, f"/wfinnsyn.ashx?response=moteplan&utvalg={utvalg}&", page, LATIN1,
                                   f"{year}-12-01")  # fmt: skip
        self.store.put(PORTAL, "/wfinnsyn.ashx?response=utvalgsliste&", latin1(utvalg_html()), LATIN1, "2024-01-05")

    def problem(self, kind: str, host: str, path: str, reason: str, expect: str, **extra) -> None:
        self.truth["problems"].append({"platform": "cms", "source": "asker", "kind": kind, "host": host, "path": path,
                                       "reason": reason, "expect": expect, **extra})  # fmt: skip


# ---------------------------------------------------------------- markup


def card(href: str, title: str, day: str, meta: str) -> str:
    return f"""<article class="card card--document"><h3 class="card__title"><a href="{href}">{html.escape(title)}</a></h3>
<p class="card__meta"><time datetime="{day}">{short(day)}</time> &middot; {meta}</p></article>"""


def cms_page(title: str, body: str, crumbs: list[tuple[str, str]]) -> str:
    trail = " ".join(f'<li><a href="{h}">{html.escape(t)}</a></li>' for t, h in crumbs)
    return f"""<!DOCTYPE html>
<html lang="no"><head><meta charset="utf-8"><title>{html.escape(title)} | Asker kommune</title>
<meta name="viewport" content="width=device-width, initial-scale=1"></head>
<body class="page-article"><a class="skip" href="#main">Hopp til innhold</a>
<header class="masthead"><a href="/" class="logo">Asker kommune</a>
<nav class="mainnav"><a href="/tjenester/">Tjenester</a> <a href="/om-asker-kommune/">Om Asker kommune</a></nav></header>
<main id="main"><ol class="breadcrumb"><li><a href="/">Forside</a></li> {trail}</ol>
<h1>{html.escape(title)}</h1>
{body}
</main><footer class="footer"><p>Asker kommune &middot; Postboks 353 &middot; 1372 Asker</p></footer></body></html>
"""


def latin1(text: str) -> bytes:
    """The portal's pages in ISO-8859-1 (characters outside it as numeric references)."""
    return text.encode("iso-8859-1", "xmlcharrefreplace")


def meeting_path(m: dict) -> str:
    return f"/wfinnsyn.ashx?response=mote&moteid={m['moteid']}&"


def item_path(m: dict, n: int) -> str:
    return f"/wfinnsyn.ashx?response=motesak&moteid={m['moteid']}&saksid={m['items'][n]['saksid']}&"


def rel(path: str) -> str:
    return html.escape(path.lstrip("/"))


def portal_page(title: str, body: str) -> str:
    return f"""<!DOCTYPE HTML PUBLIC "-//W3C//DTD HTML 4.01 Transitional//EN">
<html><head><meta http-equiv="Content-Type" content="text/html; charset=iso-8859-1">
<title>{html.escape(title)}</title><link rel="stylesheet" href="innsyn.css"></head>
<body><div id="topp"><a href="wfinnsyn.ashx?response=utvalgsliste&amp;">Utvalg</a> |
<a href="wfinnsyn.ashx?response=postliste&amp;">Postliste</a></div>
<div id="innhold">{body}</div></body></html>
"""


def words(day: str) -> str:
    months = ["januar", "februar", "mars", "april", "mai", "juni", "juli", "august", "september", "oktober",
              "november", "desember"]  # fmt: skip
    d = dt.date.fromisoformat(day)
    return f"{d.day}. {months[d.month - 1]} {d.year}"


def meeting_html(m: dict) -> str:
    _, cname = COMMITTEES[m["utvalg"]]
    when = words(m["day"]) if m["date_style"] == "words" else short(m["day"])
    rows = "".join(f'<tr><td class="saksnr">{it["nr"]}</td><td><a href="{rel(item_path(m, n))}">'
                   f'{html.escape(it["title"])}</a></td></tr>' for n, it in enumerate(m["items"]))  # fmt: skip
    files = "".join(f'<li><a href="{rel(path)}">{html.escape(label)}</a> (PDF)</li>' for label, path in m["files"])
    body = f"""<h2>{html.escape(cname)} - {when}</h2>
<table class="motedetaljer"><tr><td>Utvalg</td><td>{html.escape(cname)}</td></tr>
<tr><td>Møtedato</td><td>{when}</td></tr><tr><td>Tid</td><td>18:00</td></tr></table>
<h3>Møtedokumenter</h3><ul class="motedokumenter">{files or "<li>Ingen dokumenter</li>"}</ul>
<h3>Saksliste</h3><table class="saksliste"><tr><th>Saksnr.</th><th>Tittel</th></tr>{rows}</table>
<p><a href="wfinnsyn.ashx?response=moteplan&amp;utvalg={m["utvalg"]}&amp;aar={m["day"][:4]}&amp;">Tilbake til møteplanen</a></p>"""
    return portal_page(f"Møte - {cname} - {when}", body)


def item_html(m: dict, n: int) -> str:
    it = m["items"][n]
    _, cname = COMMITTEES[m["utvalg"]]
    docs = "".join(f'<tr><td>{html.escape(kind)}</td><td><a href="{rel(path)}">{html.escape(label)}</a></td></tr>'
                   for kind, path, label in it["docs"])  # fmt: skip
    body = f"""<h2>{it["nr"]} {html.escape(it["title"])}</h2>
<p>Behandles i {html.escape(cname)} {short(m["day"])}</p>
<table class="dokumenter"><tr><th>Type</th><th>Dokument</th></tr>{docs}</table>
<p><a href="{rel(meeting_path(m))}">Tilbake til møtet</a></p>"""
    return portal_page(f"Sak {it['nr']} - {it['title']}", body)


def moteplan_html(utvalg: int, year: int, years: list[int], meetings: list[dict]) -> str:
    _, cname = COMMITTEES[utvalg]
    rows = []
    for m in sorted(meetings, key=lambda m: m["day"]):
        if m["cancelled"]:
            rows.append(f"<tr><td>{short(m['day'])}</td><td>{html.escape(cname)} (Avlyst)</td></tr>")
        else:
            rows.append(f'<tr><td>{short(m["day"])}</td><td><a href="{rel(meeting_path(m))}">{html.escape(cname)}</a>'
                        "</td></tr>")  # fmt: skip
    nav = []
    if year - 1 in years:
        nav.append(f'<a href="wfinnsyn.ashx?response=moteplan&amp;utvalg={utvalg}&amp;aar={year - 1}&amp;">« Forrige år</a>')
    if year + 1 in years:
        nav.append(f'<a href="wfinnsyn.ashx?response=moteplan&amp;utvalg={utvalg}&amp;aar={year + 1}&amp;">Neste år »</a>')
    body = f"""<h2>Møteplan {html.escape(cname)} {year}</h2>
<table class="moteplan"><tr><th>Dato</th><th>Møte</th></tr>{"".join(rows) or '<tr><td colspan="2">Ingen møter</td></tr>'}</table>
<p class="aarnavigasjon">{" | ".join(nav)}</p>"""
    return portal_page(f"Møteplan - {cname} - {year}", body)


def utvalg_html() -> str:
    rows = "".join(f'<li><a href="wfinnsyn.ashx?response=moteplan&amp;utvalg={u}&amp;">{html.escape(name)}</a></li>'
                   for u, (_, name) in COMMITTEES.items())  # fmt: skip
    return portal_page("Utvalg", f"<h2>Utvalg</h2><ul>{rows}</ul>")


def build_acos(store: Store) -> dict:
    """Write Asker's CMS pages and portal; returns the answer key."""
    b = Builder(store)
    b.cms()
    b.portal()
    b.write_portal()
    return b.truth

