"""A replica of Tietoevry 360 OpenGov meeting pages (opengov.360online.com) for Nordre Follo.

The shape is what public scrapers of OpenGov read (``zrrrzzt/opengov-meetings``: "based on
screenscraping"; the source map's ``/Meetings/NORDREFOLLO``), rebuilt here in our own markup
with the same landmarks:

- ``/Meetings/{ORG}``: the start page (latest meetings, the boards); ``/Meetings/{ORG}/Boards``:
  every board with its period;
- ``/Meetings/{ORG}/Boards/Details/{id}``: one board's meetings of the current year; other
  years only as ``?Year=YYYY``, offered in a ``<select>`` whose change handler builds the URL
  (no link to follow), meetings not yet published listed without a link ("Ikke publisert");
- ``/Meetings/{ORG}/Meetings/Details/{id}``: the meeting's documents (``div.filesList``), its
  agenda items, each loaded by script from ``/Meetings/{ORG}/Meetings/LoadAgendaItemDetail/{id}``
  (named only in ``onclick``), and the details (Utvalg, Sted, Dato, Status);
- ``/Meetings/{ORG}/File/Details/{id}.PDF?fileName=...&fileSize=...``: the files.

Text is encoded as ASP.NET encodes it: Latin-1 letters as numeric entities (``m&#248;te``),
other characters raw ("–"). Messy on purpose: the budget meetings of 2023 are only on the
``?Year=2023`` pages; a meeting page without its date and an agenda item without its number;
an attachment that is gone (404); redirects for the organisation's path; another
organisation (``telemarkfylke``) on the same host that a Nordre Follo source must not crawl.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from urllib.parse import quote

from sample.platforms import figures
from sample.platforms.figures import KOMMUNER, PERIOD, YEAR
from sample.platforms.minutes import Sak, protocol_pdf
from sample.platforms.store import PDF, Store
from sample.protocols import vote
from sample.truth import TruthDoc

HOST = "opengov"
ORG = "NORDREFOLLO"
BASE = f"/Meetings/{ORG}"
NOISE_ORG = "telemarkfylke"
CURRENT_YEAR = 2024  # the year a board page shows without ?Year=
TITLE = f"Handlingsprogram med økonomiplan {YEAR}–{YEAR + 3} og budsjett {YEAR}"


def enc(text: str) -> str:
    """HTML-encode as ASP.NET does: markup characters, and U+00A0-U+00FF as numeric entities."""
    out = html.escape(text, quote=True).replace("&#x27;", "&#39;")
    return "".join(f"&#{ord(c)};" if 0xA0 <= ord(c) <= 0xFF else c for c in out)


def short(day: str) -> str:
    return f"{day[8:]}.{day[5:7]}.{day[:4]}"


@dataclass
class File:
    fid: int
    title: str  # the file's name as OpenGov shows it
    category: str  # "Saksfremlegg/innstilling", "Vedlegg", "Protokoll", ...
    size: int
    gone: bool = False

    def href(self, org: str = ORG) -> str:
        return f"/Meetings/{org}/File/Details/{self.fid}.PDF?fileName={quote(self.title)}&fileSize={self.size}"


@dataclass
class Item:
    aid: int
    number: str | None  # "112/23", None when the page leaves it out
    title: str
    files: list[File] = field(default_factory=list)
    case_officer: str = "Økonomisjef"
    archive: str = ""


@dataclass
class Meeting:
    mid: int
    board: int
    board_name: str
    day: str
    place: str
    files: list[File] = field(default_factory=list)
    items: list[Item] = field(default_factory=list)
    published: bool = True
    date_on_page: bool = True  # False: the meeting page leaves its date out (the board list has it)


class Builder:
    """Nordre Follo's boards, meetings and files; the truth of what an adapter must yield."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.k = KOMMUNER["nordrefollo"]
        self.next_file = 1_201_000
        self.next_item = 410_000
        self.meetings: list[Meeting] = []
        self.truth: dict = {"org": ORG, "base": BASE, "current_year": CURRENT_YEAR, "boards": [], "meetings": [],
                            "decisions": [], "problems": [], "series": [], "inhabitants": []}  # fmt: skip

    # -- files

    def file(self, title: str, category: str, data: bytes, day: str, *, gone: bool = False, org: str = ORG) -> File:
        self.next_file += 37
        f = File(self.next_file, title, category, len(data), gone)
        if gone:
            self.store.error(HOST, f.href(org), 404, "Filen finnes ikke",
                             "Filen du ba om finnes ikke lenger. Gå til startsiden.", day)  # fmt: skip
        else:
            self.store.put(HOST, f.href(org), data, PDF, day,
                           headers={"Content-Disposition": f"inline; filename={f.fid}.PDF"})  # fmt: skip
        return f

    def doc(self, key: str, f: File, title: str, committee: str, doctype: str, day: str | None, pages: int,
            source: str, **extra) -> None:  # fmt: skip
        self.store.docs.append(TruthDoc(
            key=key, host=HOST, path=f.href(), title=title, year=YEAR, period=PERIOD, committee=committee,
            doctype=doctype, date=day, pages=pages, content_type=PDF, link_text=f.title, source_page=source,
            kommune=self.k.name, kommunenummer=self.k.number, source=self.k.source, platform="opengov", **extra))

    def skip(self, f: File, why: str, source: str) -> None:
        self.store.skipped.append({"host": HOST, "path": f.href(), "title": f.title, "why": why,
                                   "source_page": source})  # fmt: skip

    def item(self, number: str | None, title: str, files: list[File], archive: str = "") -> Item:
        self.next_item += 13
        return Item(self.next_item, number, title, files, archive=archive)

    # -- content

    def build(self) -> None:
        k = self.k
        kst_new, kst_old, fsk, hok, hhm = 200301, 200210, 200302, 200305, 200306
        self.boards = [(kst_new, "Kommunestyret", "2023 - 2027"), (kst_old, "Kommunestyret 2019-2023", "2019 - 2023"),
                       (fsk, "Formannskapet", "2023 - 2027"), (hok, "Hovedutvalg for oppvekst og kultur", "2023 - 2027"),
                       (hhm, "Hovedutvalg for helse og mestring", "2023 - 2027")]  # fmt: skip
        committee = {kst_new: "kommunestyret", kst_old: "kommunestyret", fsk: "formannskapet",
                     hok: "oppvekst-og-kultur", hhm: "helse-og-mestring"}  # fmt: skip
        self.committee = committee
        mid = iter(range(2_001_301, 2_009_999, 23))

        def ordinary(board: int, day: str, subjects: list[str], published: bool = True) -> Meeting:
            name = next(n for b, n, _ in self.boards if b == board)
            m = Meeting(next(mid), board, name, day, "Ski rådhus, Kommunestyresalen", published=published)
            for n, subject in enumerate(subjects, start=1):
                data, _ = figures.short_pdf(k, f"Saksfremlegg: {subject}", [name, short(day)], f"og-{board}-{day}-{n}", 1)
                f = self.file(subject, "Saksfremlegg/innstilling", data, day)
                m.items.append(self.item(f"{n + 20}/{day[2:4]}", subject, [f], archive=f"{day[2:4]}/{1000 + n}"))
            self.meetings.append(m)
            return m

        # The old kommunestyre's last meetings (first half of 2023): ordinary business.
        ordinary(kst_old, "2023-02-08", ["Boligsosial handlingsplan", "Valg av meddommere"])
        ordinary(kst_old, "2023-06-14", ["Kommunal planstrategi", "Eierskapsmelding"])
        # 2024 (the page a board shows first): ordinary meetings and some not yet published.
        for board, days in ((kst_new, ["2024-02-07", "2024-04-17"]), (fsk, ["2024-01-31", "2024-04-10"]),
                            (hok, ["2024-03-13"]), (hhm, ["2024-03-14"])):
            for day in days:
                ordinary(board, day, ["Tilstandsrapport for grunnskolen" if board == hok else "Kunst i offentlige rom"])
            ordinary(board, "2024-12-11", [], published=False)
        ordinary(hhm, "2023-11-23", ["Plan for legetjenesten"])
        # The new kommunestyre and formannskap after the 2023 election: first meetings in October.
        ordinary(kst_new, "2023-10-18", ["Konstituering av kommunestyret", "Valg av formannskap"])
        ordinary(fsk, "2023-10-25", ["Delegeringsreglement"])

        # Hovedutvalg for oppvekst og kultur 22.11.2023: no date on the meeting page, no number on the item.
        day = "2023-11-22"
        hu = Meeting(next(mid), hok, "Hovedutvalg for oppvekst og kultur", day, "Kolbotn, Oppegård rådhus",
                     date_on_page=False)  # fmt: skip
        hu_title = f"Handlingsprogram med økonomiplan {YEAR}–{YEAR + 3} – uttalelse"
        saksfr, sp = figures.short_pdf(k, f"Saksfremlegg: {hu_title}", ["Hovedutvalg for oppvekst og kultur",
                                                                       short(day)], "hu-saksfr", 2)  # fmt: skip
        prot, pp, dec = protocol_pdf(k, "opengov-hu-saksprotokoll", "oppvekst-og-kultur",
                                     "Hovedutvalg for oppvekst og kultur", day, "Kolbotn", [Sak(
                                         "41/23", "23/08812", hu_title, "Kommunedirektørens forslag til vedtak:",
                                         "Hovedutvalget tar handlingsprogrammet til orientering.",
                                         votes=[vote("Enstemmig vedtatt.", None, "vedtatt", unanimous=True)],
                                         decision_label="Hovedutvalg for oppvekst og kultur vedtak:",
                                         decision="Hovedutvalget tar handlingsprogrammet til orientering.",
                                         heading="sak")], title=f"Saksprotokoll: {hu_title}")  # fmt: skip
        f1 = self.file("Saksfremlegg", "Saksfremlegg/innstilling", saksfr, day)
        f2 = self.file(f"Saksprotokoll {hu_title}", "Vedtak", prot, "2023-11-24")
        hu.items.append(self.item(None, hu_title, [f1, f2], archive="23/08812"))
        self.meetings.append(hu)
        src = f"{BASE}/Meetings/LoadAgendaItemDetail/{hu.items[0].aid}"
        self.doc("opengov-hu-saksframlegg", f1, f"Saksfremlegg: {hu_title}", "oppvekst-og-kultur", "saksframlegg", day, sp, src)
        self.doc("opengov-hu-saksprotokoll", f2, f"Saksprotokoll {hu_title}", "oppvekst-og-kultur", "protokoll", day,
                 pp, src, decisions=dec)  # fmt: skip
        self.problem("malformed_record", f"{BASE}/Meetings/Details/{hu.mid}", "the meeting page has no date "
                     "(Dato is empty, the heading has none) and its agenda item no number",
                     "take the date from the board's list (22.11.2023); keep the item with case null; record it")  # fmt: skip

        # Formannskapet 29.11.2023: the proposal and formannskapets innstilling.
        day = "2023-11-29"
        fm = Meeting(next(mid), fsk, "Formannskapet", day, "Ski rådhus, Formannskapssalen")
        forslag = figures.budget_pdf(k, "opengov-forslag", f"Kommunedirektørens forslag: {TITLE}",
                                    "Kommunedirektøren, 25. oktober 2023", "forslag", True)  # fmt: skip
        innst = figures.budget_pdf(k, "opengov-innstilling", f"Formannskapets innstilling: {TITLE}",
                                  "Formannskapet 29. november 2023", "innstilling", False)  # fmt: skip
        saksfr, sp = figures.short_pdf(k, f"Saksfremlegg: {TITLE}", ["Arkivsak: 23/07310",
                                      "Kommunedirektørens forslag til vedtak:", f"{TITLE} vedtas."], "fsk-saksfr", 2)  # fmt: skip
        fsk_sak = Sak("98/23", "23/07310", TITLE, "Kommunedirektørens forslag til vedtak:",
                      f"{TITLE} vedtas i samsvar med kommunedirektørens forslag.",
                      [("Fellesforslag fra H, FrP og KrF:", "H, FrP og KrF", ["H", "Frp", "KrF"],
                        "Kulturskolens ramme økes med 0,6 mill. kroner. Grunnskolens ramme økes med 4 mill. kroner.")],
                      [vote("Fellesforslaget fra H, FrP og KrF ble vedtatt med 7 mot 4 stemmer (Ap, SV, R).",
                            "Fellesforslaget fra H, FrP og KrF", "vedtatt", for_=7, against=4,
                            parties_against=[("Ap", None), ("SV", None), ("R", None)])],
                      "Formannskapets innstilling:",
                      f"{TITLE} vedtas i samsvar med kommunedirektørens forslag, med de endringer som følger av "
                      "fellesforslaget fra H, FrP og KrF.", heading="dash")  # fmt: skip
        fsk_other = Sak("99/23", "23/06655", "Salg av Langhus gamle skole", "Kommunedirektørens forslag til vedtak:",
                        "Eiendommen selges.", votes=[vote("Enstemmig vedtatt.", None, "vedtatt", unanimous=True)],
                        decision_label="Formannskapets vedtak:", decision="Eiendommen selges.", heading="dash")  # fmt: skip
        prot, pp, dec = protocol_pdf(k, "opengov-fsk-protokoll", "formannskapet", "Formannskapet", day, "Ski rådhus",
                                     [fsk_sak, fsk_other], title=f"Protokoll Formannskapet {short(day)}")  # fmt: skip
        other_data, _ = figures.short_pdf(k, "Saksfremlegg: Salg av Langhus gamle skole", ["Formannskapet"], "lg", 1)
        f_prot = self.file(f"Protokoll Formannskapet {short(day)}", "Protokoll", prot, "2023-12-01")
        f_innk_data, _ = figures.short_pdf(k, f"Møteinnkalling Formannskapet {short(day)}", ["Saksliste"], "fi", 1)
        f_innk = self.file(f"Møteinnkalling Formannskapet {short(day)}", "Møteinnkalling", f_innk_data, "2023-11-20")
        fm.files = [f_innk, f_prot]
        f1 = self.file("Saksfremlegg", "Saksfremlegg/innstilling", saksfr, "2023-11-20")
        f2 = self.file(f"Kommunedirektørens forslag til {TITLE}", "Vedlegg", forslag.data, "2023-10-25")
        f3 = self.file(f"Formannskapets innstilling - {TITLE}", "Vedtak", innst.data, "2023-11-30")
        f_other = self.file("Saksfremlegg", "Saksfremlegg/innstilling", other_data, "2023-11-20")
        fm.items = [self.item("98/23", TITLE, [f1, f2, f3], "23/07310"),
                    self.item("99/23", "Salg av Langhus gamle skole", [f_other], "23/06655")]  # fmt: skip
        self.meetings.append(fm)
        src = f"{BASE}/Meetings/LoadAgendaItemDetail/{fm.items[0].aid}"
        page = f"{BASE}/Meetings/Details/{fm.mid}"
        self.doc("opengov-fsk-saksframlegg", f1, f"Saksfremlegg: {TITLE}", "formannskapet", "saksframlegg", day, sp, src)
        self.doc("opengov-forslag", f2, f2.title, "formannskapet", "forslag", day, forslag.pages, src,
                 planted=forslag.planted)  # fmt: skip
        self.doc("opengov-innstilling", f3, f3.title, "formannskapet", "innstilling", day, innst.pages, src)
        self.doc("opengov-fsk-protokoll", f_prot, f_prot.title, "formannskapet", "protokoll", day, pp, page,
                 decisions=dec)  # fmt: skip
        self.store.optional.append({"host": HOST, "path": f_innk.href(), "title": f_innk.title})
        self.skip(f_other, "agenda item not about the budget", f"{BASE}/Meetings/LoadAgendaItemDetail/{fm.items[1].aid}")
        self.truth["series"] += forslag.series + innst.series
        self.truth["inhabitants"] += forslag.inhabitants + innst.inhabitants

        # Kommunestyret 13.12.2023: the decision; one attachment is gone.
        day = "2023-12-13"
        km = Meeting(next(mid), kst_new, "Kommunestyret", day, "Ski rådhus, Kommunestyresalen")
        vedtatt = figures.budget_pdf(k, "opengov-vedtak", f"Vedtatt {TITLE[0].lower()}{TITLE[1:]}",
                                    "Vedtatt av kommunestyret 13. desember 2023", "vedtak", False)  # fmt: skip
        saksfr, sp = figures.short_pdf(k, f"Saksfremlegg: {TITLE}", ["Arkivsak: 23/07310",
                                      "Formannskapets innstilling av 29.11.2023 følger vedlagt."], "kst-saksfr", 2)  # fmt: skip
        kst_sak = Sak("112/23", "23/07310", TITLE, "Formannskapets innstilling:",
                      f"{TITLE} vedtas i samsvar med kommunedirektørens forslag, med de endringer som følger av "
                      "fellesforslaget fra H, FrP og KrF.",
                      [("Forslag fra Ap, SV, R og MDG:", "Ap, SV, R og MDG", ["Ap", "SV", "R", "MDG"],
                        "Kulturskolens ramme økes med 1,2 mill. kroner, finansiert ved bruk av disposisjonsfond.")],
                      [vote("Forslaget fra Ap, SV, R og MDG ble forkastet med 18 mot 37 stemmer.",
                            "Forslaget fra Ap, SV, R og MDG", "falt", for_=18, against=37),
                       vote("Formannskapets innstilling ble vedtatt med 36 mot 19 stemmer (Ap 9, SV 4, R 3, MDG 2, Sp 1).",
                            "Formannskapets innstilling", "vedtatt", for_=36, against=19,
                            parties_against=[("Ap", 9), ("SV", 4), ("R", 3), ("MDG", 2), ("Sp", 1)])],
                      "Kommunestyrets vedtak:",
                      f"{TITLE} vedtas i samsvar med formannskapets innstilling.", heading="sak", narrative=2)  # fmt: skip
        kst_other = Sak("113/23", None, "Valg av meddommere", votes=[vote("Enstemmig vedtatt.", None, "vedtatt",
                                                                          unanimous=True)],
                        decision_label="Kommunestyrets vedtak:", decision="Valget foretas i samsvar med listen.",
                        heading="sak")  # fmt: skip
        prot, pp, dec = protocol_pdf(k, "opengov-kst-protokoll", "kommunestyret", "Kommunestyret", day, "Ski rådhus",
                                     [kst_sak, kst_other], title=f"Protokoll Kommunestyret {short(day)}")  # fmt: skip
        f_prot = self.file(f"Protokoll Kommunestyret {short(day)}", "Protokoll", prot, "2023-12-15")
        km.files = [f_prot]
        innspill, _ = figures.short_pdf(k, "Innspill fra Ski idrettsråd", ["Ski idrettsråd"], "idr", 1)
        f1 = self.file("Saksfremlegg", "Saksfremlegg/innstilling", saksfr, "2023-12-01")
        f2 = self.file("Innspill fra Ski idrettsråd", "Vedlegg", innspill, "2023-11-15", gone=True)
        f3 = self.file(f"Vedtatt {TITLE[0].lower()}{TITLE[1:]}", "Vedtak", vedtatt.data, "2023-12-20")
        other_data, _ = figures.short_pdf(k, "Saksfremlegg: Valg av meddommere", ["Kommunestyret"], "md", 1)
        f_other = self.file("Saksfremlegg", "Saksfremlegg/innstilling", other_data, "2023-12-01")
        km.items = [self.item("112/23", TITLE, [f1, f2, f3], "23/07310"),
                    self.item("113/23", "Valg av meddommere", [f_other], "23/09120")]  # fmt: skip
        self.meetings.append(km)
        src = f"{BASE}/Meetings/LoadAgendaItemDetail/{km.items[0].aid}"
        page = f"{BASE}/Meetings/Details/{km.mid}"
        self.doc("opengov-kst-saksframlegg", f1, f"Saksfremlegg: {TITLE}", "kommunestyret", "saksframlegg", day, sp, src)
        self.doc("opengov-vedtak", f3, f3.title, "kommunestyret", "vedtak", day, vedtatt.pages, src)
        self.doc("opengov-kst-protokoll", f_prot, f_prot.title, "kommunestyret", "protokoll", day, pp, page,
                 decisions=dec)  # fmt: skip
        self.skip(f_other, "agenda item not about the budget", f"{BASE}/Meetings/LoadAgendaItemDetail/{km.items[1].aid}")
        self.truth["expired"] = {"host": HOST, "path": f2.href(), "status": 404, "title": f2.title}
        self.problem("expired_link", f2.href(), "the file answers 404 (Filen finnes ikke)",
                     "record the failure with its reason (HTTP 404); go on", status=404)  # fmt: skip
        self.truth["series"] += vedtatt.series
        self.truth["inhabitants"] += vedtatt.inhabitants
        self.truth["decisions"] = [d for doc in self.store.docs if doc.platform == "opengov" for d in doc.decisions]

    def problem(self, kind: str, path: str, reason: str, expect: str, **extra) -> None:
        self.truth["problems"].append({"platform": "opengov", "source": "nordrefollo", "kind": kind, "host": HOST,
                                       "path": path, "reason": reason, "expect": expect, **extra})  # fmt: skip

    # -- pages

    def write(self) -> None:
        for board, name, period in self.boards:
            mine = [m for m in self.meetings if m.board == board]
            years = sorted({int(m.day[:4]) for m in mine}, reverse=True)
            default = CURRENT_YEAR if CURRENT_YEAR in years else years[0]
            for year in years:
                page = board_page(ORG, board, name, year, years, [m for m in mine if m.day.startswith(str(year))])
                self.store.page(HOST, f"{BASE}/Boards/Details/{board}?Year={year}", page, f"{year}-12-01")
                if year == default:
                    self.store.page(HOST, f"{BASE}/Boards/Details/{board}", page, f"{year}-12-01")
            self.truth["boards"].append({"id": board, "name": name, "period": period, "years": years,
                                         "default_year": default, "committee": self.committee[board]})  # fmt: skip
        for m in self.meetings:
            if not m.published:
                continue
            self.store.page(HOST, f"{BASE}/Meetings/Details/{m.mid}", meeting_page(ORG, m), m.day)
            for it in m.items:
                self.store.page(HOST, f"{BASE}/Meetings/LoadAgendaItemDetail/{it.aid}", agenda_fragment(it), m.day)
            budget_meeting = any("andlingsprogram" in it.title for it in m.items)
            self.truth["meetings"].append({
                "id": m.mid, "board": m.board, "committee": self.committee[m.board], "date": m.day,
                "budget": budget_meeting, "date_on_page": m.date_on_page,
                "items": [{"id": it.aid, "case": it.number, "title": it.title, "files": [f.fid for f in it.files]}
                          for it in m.items],
                "files": [f.fid for f in m.files]})  # fmt: skip
        home = home_page(ORG, "Nordre Follo kommune", self.boards,
                         sorted((m for m in self.meetings if m.published), key=lambda m: m.day, reverse=True)[:6])
        self.store.page(HOST, BASE, home, "2024-04-17")
        self.store.page(HOST, f"{BASE}/Boards", boards_page(ORG, self.boards), "2024-04-17")
        self.store.redirect(HOST, f"{BASE}/", "{{OPENGOV}}" + BASE, 301)
        self.store.redirect(HOST, f"/Meetings/{ORG.lower()}", "{{OPENGOV}}" + BASE, 302)
        self.noise()

    def noise(self) -> None:
        """Telemark fylkeskommune on the same host: its budget must not enter Nordre Follo's archive."""
        org, board = NOISE_ORG, 200083
        data, _ = figures.short_pdf(self.k, "Saksframlegg: Økonomiplan 2024–2027", ["Telemark fylkeskommune"], "tfk", 1)
        f = self.file(f"Økonomiplan {YEAR}–{YEAR + 3}", "Saksfremlegg/innstilling", data, "2023-12-12", org=org)
        m = Meeting(2_100_001, board, "Fylkestinget", "2023-12-12", "Fylkeshuset, Skien")
        m.items = [Item(510_001, "88/23", f"Økonomiplan {YEAR}–{YEAR + 3}", [f])]
        self.store.page(HOST, f"/Meetings/{org}", home_page(org, "Telemark fylkeskommune",
                                                            [(board, "Fylkestinget", "2023 - 2027")], [m]),
                        "2023-12-12")  # fmt: skip
        self.store.page(HOST, f"/Meetings/{org}/Meetings/Details/{m.mid}", meeting_page(org, m), "2023-12-12")
        self.store.page(HOST, f"/Meetings/{org}/Meetings/LoadAgendaItemDetail/510001", agenda_fragment(m.items[0], org),
                        "2023-12-12")  # fmt: skip
        self.store.never_request.append({"host": HOST, "path": f.href(org),
                                         "why": "Telemark fylkeskommune's file on the same OpenGov host"})  # fmt: skip


# ---------------------------------------------------------------- markup


def shell(org: str, title: str, crumbs: list[tuple[str, str | None]], body: str) -> str:
    """The page frame every OpenGov page shares: head with inline handlers, header, breadcrumb, footer."""
    trail = "".join(f'<li> <a href="{href}">{enc(text)}</a></li><li> &gt;</li>' if href else f"<li> {enc(text)}</li>"
                    for text, href in crumbs)  # fmt: skip
    return f"""<!DOCTYPE html>
<html lang="nb-NO">
<head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1.0" />
    <title>
             {enc(title)}
    </title>
    <link type='text/css' rel='stylesheet' href='/Areas/Meetings/Content/style.css' />
    <script type="text/javascript" src="/Areas/Meetings/Content/site.js"></script>
    <script type="text/javascript">
        function OnBoardSelectionChange(url) {{
            var year = $("#boardsYearSelection option:selected").text();
            window.location.href = url + '?Year=' + year;
        }}
        function loadAgendaItem(url, id) {{
            $.ajax({{ url: url, cache: false, success: function (data) {{ $('#' + id).html(data); }} }});
        }}
    </script>
</head>
<body>
    <div class="headerSection"><div class="containerFluid"><header class="header">
        <div class="siteLogo"><a href="/Meetings/{org}"><img src="/Areas/Meetings/Content/Images/logo.png" alt="Hjem" /></a></div>
        <div class="siteTitle"><h1>Politiske m&#248;ter</h1></div>
        <div class="siteSearch"><input id="q" name="q" type="text" placeholder="S&#248;k" class="siteSearchField" /></div>
    </header></div></div>
    <div class="containerFluid"><div class="mainContainer">
        <div class="breadcrumb"><ul>{trail}</ul></div>
{body}
        <footer class="footer"><p>&nbsp;&nbsp;Politisk sekretariat | <a href="mailto: post@example.invalid ">e-post</a></p></footer>
    </div></div>
</body>
</html>
"""


def home_page(org: str, owner: str, boards: list[tuple[int, str, str]], latest: list[Meeting]) -> str:
    board_links = "".join(f'<li><a href="/Meetings/{org}/Boards/Details/{b}" onclick="THBLC()">{enc(n)}</a></li>'
                          for b, n, _ in boards[:4])  # fmt: skip
    meetings = "".join(
        f'<li class="boardLink"><a href="/Meetings/{org}/Meetings/Details/{m.mid}"><div class="meetingName">'
        f"<h3>{enc(m.board_name)} ({short(m.day)})</h3></div></a></li>"
        for m in latest
    )
    body = f"""<section class="home">
    <div class="mainPageLatestMeetings"><div class="meetingsHeader"><h2>Siste m&#248;ter</h2></div>
        <ul>{meetings}</ul></div>
    <aside id="boards" class="SideBarItem"><h3>Utvalg</h3><ul>{board_links}</ul>
        <a class="last" href="/Meetings/{org}/Boards"><span>Se alle utvalg</span></a></aside>
    <p class="owner">{enc(owner)}</p>
</section>"""
    return shell(org, "Politiske møter", [("Hjem", None)], body)


def boards_page(org: str, boards: list[tuple[int, str, str]]) -> str:
    years = sorted({y for _, _, p in boards for y in range(int(p[:4]), int(p[-4:]) + 1)}, reverse=True)
    options = "".join(f'<option value="{y}">{y}</option>' for y in years)
    items = "".join(
        f'<li class="boardLink"><a href="/Meetings/{org}/Boards/Details/{b}"><div class="boardName"><h3>{enc(n)}</h3>'
        f'</div><div class="boardPeriod"><span>{p}</span></div></a></li>'
        for b, n, p in sorted(boards, key=lambda x: x[1])
    )
    body = f"""<div class="goBackSection viewMorePage"><div class="meetingTitle"><div class="meetingTitleHeader">
    <h2>Alle utvalg</h2></div></div></div>
<aside class="searchPageDropDownContainerSection"><div class="dropdownSection"><div class="selectBoard">
    <label class="instructionLabel" for="boardsFilter">Velg &#229;r</label>
    <select class="dropdown" onchange="FilterBoardsByYear('/Meetings/{org}/Boards')" id="boardsFilter">
        <option value="all">Alle</option>{options}</select></div></div></aside>
<section class="meetingsSection meetingsSearch"><div class="findMeetings viewMoreBoards">
    <div class="meetingsHeader"><h2>Fant {len(boards)} Utvalg </h2></div>
    <div class="boardList"><ul>{items}</ul></div></div></section>"""
    return shell(org, "Politiske møter", [("Hjem", f"/Meetings/{org}"), ("Alle utvalg", None)], body)


def board_page(org: str, board: int, name: str, year: int, years: list[int], meetings: list[Meeting]) -> str:
    options = "".join(f"<option{' selected' if y == year else ''}>{y}</option>" for y in years)
    rows = []
    for m in sorted(meetings, key=lambda m: m.day):
        if m.published:
            rows.append(f"""<li class="boardLink">
                <a href="/Meetings/{org}/Meetings/Details/{m.mid}">
                    <div class="meetingName"><h3>{enc(name)} ({short(m.day)})</h3></div>
                    <div class="meetingDate"><span>{short(m.day)}</span><span>17:00</span></div>
                </a></li>""")
        else:
            rows.append(f"""<li title="Under forberedelse" class="boardLink unpublishedMeeting">
                    <div class="meetingName"><h3>{enc(name)} ({short(m.day)})</h3></div>
                    <div class="meetingDate"><span>{short(m.day)}</span><span>Ikke publisert</span></div></li>""")
    body = f"""<div class="goBackSection boardsPage"><div class="meetingTitle"><div class="meetingTitleHeader">
    <h2>{enc(name)}</h2></div></div></div>
<section class="meetingsSection"><div class="findMeetings findMeetingsBoardsPage">
    <div class="meetingsHeader"><h2>Finn m&#248;ter - {enc(name)}</h2></div>
    <div class="meetingsContainer"><div class="selectYear">
        <label class="instructionLabel" for="boardsYearSelection">&#197;r</label>
        <select class="dropdown" id="boardsYearSelection" onchange="OnBoardSelectionChange('/Meetings/{org}/Boards/Details/{board}')">
            {options}</select></div>
        <div class="selectedDate"><p class="instructionLabel" id="instructionLabel">{len(meetings)} m&#248;ter funnet for  {year}</p></div>
    </div>
    <div class="meetingList"><ul>
{"".join(rows)}
    </ul></div></div></section>"""
    return shell(org, "Politiske møter", [("Hjem", f"/Meetings/{org}"), (name, None)], body)


def file_li(f: File, org: str, track: str) -> str:
    size = f"{max(1, f.size // 1024)}KB"
    return f"""<li class="boardLink " title="{enc(f.title)}">
    <a href="{html.escape(f.href(org))}" onclick="TrackFileDownload('{track}')">
        <div class="table"><div class="xfileIcon table-cell"><img class="images" src="/Content/Images/PDF.png" alt="PDF" /></div>
        <div class="xfileName table-cell">{enc(f.title)}</div>
        <div class="xfileType table-cell"><span class="size">{size}</span></div></div></a></li>"""


def meeting_page(org: str, m: Meeting) -> str:
    heading = f"{m.board_name} ({short(m.day)})" if m.date_on_page else m.board_name
    items = "".join(f"""<li>
        <a class="accordion" tabindex="0" id="agendaItem_{it.aid}" onclick="loadAgendaItem('/Meetings/{org}/Meetings/LoadAgendaItemDetail/{it.aid}','{it.aid}')">
            <div class="accordionImage"></div>
            <div class="accordionTitle"><h4>{enc(f"{it.number} - {it.title}" if it.number else it.title)}</h4></div>
        </a>
        <div id="{it.aid}" class="panel"></div></li>""" for it in m.items)  # fmt: skip
    files = "".join(file_li(f, org, "Meeting") for f in m.files)
    date = short(m.day) if m.date_on_page else ""
    details = "".join(f"""<div class="detailsList"><div class="detailHeader"><span>{label}</span></div>
            <div class="detailContent"><p>{enc(value)}</p></div></div>""" for label, value in
                      (("Utvalg", m.board_name), ("Sted", m.place), ("Dato", date), ("Status", "Offentlig")))  # fmt: skip
    body = f"""<div class="goBackSection detailsPage"><div class="meetingTitle"><div class="meetingTitleHeader">
    <h2>{enc(heading)}</h2></div></div></div>
<section class="meetingsAgendaSection"><div class="meetingsAgenda">
    <div class="meetingsHeader"><h2>Saksliste</h2></div>
    <div class="meetingAgendaList"><ul>
        <div class="agendaItemHeader agendaHeader"><h3>Saker til behandling</h3></div>
{items}
</ul></div></div></section>
<aside id="about" class="meetingsDocumentSection">
    <div class="meetingsDocumentDiv"><div class="meetingsHeader"><h2>Dokumenter</h2></div>
        <div class="documentDetails"><div class="filesList"><ul>{files}</ul></div></div></div>
    <div class="meetingsDetailsDiv"><div class="meetingsHeader"><h2>Detaljer</h2></div>
        <div class="details">{details}</div></div>
</aside>"""
    crumbs = [("Hjem", f"/Meetings/{org}"), (m.board_name, f"/Meetings/{org}/Boards/Details/{m.board}"), (heading, None)]
    return shell(org, "Politiske møter", crumbs, body)


def agenda_fragment(it: Item, org: str = ORG) -> str:
    """What loadAgendaItem() fetches: a fragment, not a page."""
    files = "".join(f"""<li class="boardLink " title="{enc(f.title)}">
        <a href="{html.escape(f.href(org))}">
            <div class="fileIcon"><img class="images" src="/Content/Images/PDF.png" alt="PDF" /></div>
            <div class="fileDetails"><div class="fileName">
                <div class="fileNameDetail">{html.escape(f.title)}</div>
                <div class="fileDocumentCategory">{enc(f.category)}</div></div>
            <div class="fileType"><span class="size">
                {max(1, f.size // 1024)} KB
            </span></div></div></a></li>""" for f in it.files)  # fmt: skip
    details = f"""<div class="detailsList"><div class="detailHeader"><span>Saksansvarlig</span></div>
            <div class="detailContent"><p>{enc(it.case_officer)}</p></div></div>"""
    if it.archive:
        details += f"""<div class="detailsList"><div class="detailHeader"><span>Saksnr.</span></div>
            <div class="detailContent"><p>{it.archive}</p></div></div>"""
    return f"""<div class="meetingsDetails">
    <div class="filesList"><ul>{files}
    </ul></div>
    <div class="detailsSection"><div class="meetingsHeader"><h5>Detaljer</h5></div>
        <div class="details">{details}</div></div>
</div>"""


def build_opengov(store: Store) -> dict:
    """Write the OpenGov pages and files; returns the answer key."""
    b = Builder(store)
    b.build()
    b.write()
    return b.truth
