"""A third replica, designed apart from the other two: another CMS, written in Nynorsk.

What differs from ``sample.site`` and ``sample.redesign`` (and was written before the crawler
was taught any of it):

- tabs (``role="tablist"`` buttons, panels named by ``aria-labelledby``) instead of accordions;
- documents behind ``/download?id=N``, served as ``application/octet-stream``, their name
  given only in ``Content-Disposition``;
- Nynorsk link texts ("Kommunedirektøren sitt framlegg", "Vedteke", "Innspel", "Fråsegn",
  "handsaming") and dates written "2. des. 2020";
- the meeting portal on another host and port (127.0.0.4:PORT);
- each committee's meeting plan paginated ("Neste side"), the budget meeting of the
  kommunestyre only on its second page and linked from nowhere else;
- a Nynorsk ACOS skin ("Utval:", "Møtedato:", "Møtedokument", "PS 120/20" items in a table);
- calendar-year documents (Økonomimelding I/II 2020, Årsrapport 2019, årsberetning,
  KOSTRA-analyse) linked on the page of plan period 2021-2024;
- budget meetings whose summons (Møteinnkalling) and protocol belong to the archive.

It reuses ``sample.server`` and the ``truth.json`` format.

    from sample.third import build_third
    dest = build_third(tmp_path / "third")
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

from sample.pdfs import render_docx
from sample.redesign import make_pdf
from sample.site import canonical
from sample.truth import GENERATOR_VERSION, Truth, TruthDoc

HOSTS = {"main": "127.0.0.1", "portal": "127.0.0.4"}
LANDING = "/politikk/okonomi/handlingsprogram-2021-2024"
PORTAL = "/innsyn/wfinnsyn.ashx"
DOCUMENT = "/innsyn/wfdocument.ashx"
PERIOD = "2021-2024"
PDF_CT = "application/pdf"
DOCX_CT = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
OCTET = "application/octet-stream"


def _epoch(day: str) -> int:
    d = dt.date.fromisoformat(day)
    return int(dt.datetime(d.year, d.month, d.day, 12, 0, tzinfo=dt.UTC).timestamp())


@dataclass
class Doc:
    """One document and its correct classification."""

    key: str
    host: str
    path: str
    title: str
    year: int
    period: str | None
    committee: str | None
    doctype: str
    date: str | None
    first_page: list[str]
    link_text: str
    filename: str = ""  # the name in Content-Disposition (main-site downloads only)
    docx: bool = False


@dataclass
class Third:
    """Files, routes and truth of the third site, as they are written."""

    dest: Path
    routes: list[dict] = field(default_factory=list)
    docs: list[Doc] = field(default_factory=list)
    skipped: list[dict] = field(default_factory=list)
    optional: list[dict] = field(default_factory=list)
    meetings: list[dict] = field(default_factory=list)

    def put(self, host: str, target: str, data: bytes, ctype: str, day: str,
            headers: dict[str, str] | None = None) -> None:
        rel = f"files/{host}/{len(self.routes):03d}"
        (self.dest / rel).parent.mkdir(parents=True, exist_ok=True)
        (self.dest / rel).write_bytes(data)
        route = {"host": host, "key": canonical(target), "file": rel, "ctype": ctype, "last_modified": _epoch(day)}
        if headers:
            route["headers"] = headers
        self.routes.append(route)

    def page(self, host: str, target: str, html: str, day: str = "2020-12-10") -> None:
        self.put(host, target, html.encode("utf-8"), "text/html; charset=utf-8", day)

    def doc(self, d: Doc) -> Doc:
        self.docs.append(d)
        data = render_docx(d.first_page) if d.docx else make_pdf([d.first_page])
        headers = {}
        if d.filename:  # the CMS names the file only here, RFC 6266 style, in both spellings
            ascii_name = d.filename.encode("ascii", "replace").decode().replace("?", "_")
            headers["Content-Disposition"] = (
                f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(d.filename)}"
            )
        ctype = OCTET if d.host == "main" else (DOCX_CT if d.docx else PDF_CT)
        self.put(d.host, d.path, data, ctype, d.date or "2020-12-10", headers)
        return d

    def portal_file(self, dokid: int, lines: list[str], day: str) -> str:
        """An ACOS document that is not part of the truth (skipped or optional); its path."""
        path = f"{DOCUMENT}?journalpostid=2020{dokid:06d}&dokid={dokid}&versjon=1&variant=A&"
        self.put("portal", path, make_pdf([lines]), PDF_CT, day)
        return path


def _doc_path(dokid: int) -> str:
    return f"{DOCUMENT}?journalpostid=2020{dokid:06d}&dokid={dokid}&versjon=1&variant=A&"


def _rel(path: str) -> str:
    """A portal link as the portal writes it: relative to /innsyn/, with &amp;."""
    return path[len("/innsyn/"):].replace("&", "&amp;")


def _meeting_page(s: Third, mid: int, committee: str, name: str, day: str, when: str,
                  documents: list[tuple[str, str]], items: list[tuple[str, list[tuple[str, str]]]]) -> str:
    """One meeting in the Nynorsk ACOS skin; returns its path."""
    docs = "".join(f'<li><a href="{_rel(p)}" target="_blank">{t}</a></li>' for p, t in documents)
    rows = ""
    for heading, links in items:  # "PS 104/20 Title": the number in one cell, the title in the next
        prefix, number, title = heading.split(" ", 2)
        files = " ".join(f'<a href="{_rel(p)}">{t}</a>' for p, t in links)
        rows += f'<tr><td class="saksnr">{prefix} {number}</td><td class="tittel">{title}<div class="dok">{files}</div></td></tr>'
    html = f"""<!DOCTYPE html><html lang="nn"><head><meta charset="utf-8"><title>Møte - {name} - Innsyn</title></head>
<body><div class="innsyn"><div class="topp"><a href="wfinnsyn.ashx?response=moteplan&amp;utvalg={committee}">Møteplan</a></div>
<h1>{name}</h1>
<div class="moteinfo"><span class="lbl">Utval:</span> {name}<br><span class="lbl">Møtedato:</span> {when}<br>
<span class="lbl">Møtestad:</span> Kommunestyresalen, Bærum rådhus</div>
<h2>Møtedokument</h2><ul class="motedok">{docs}</ul>
<h2>Saksliste</h2><table class="saksliste"><tr><th>Saksnr.</th><th>Sak</th></tr>{rows}</table>
</div></body></html>"""
    path = f"{PORTAL}?response=mote&moteid={mid}"
    s.page("portal", path, html, day)
    s.meetings.append({"moteid": mid, "path": path, "date": day, "title": name})
    return path


def _build_portal(s: Third) -> dict[str, str]:
    """Meetings and paginated meeting plans on the portal host; returns paths of linked meetings."""
    linked: dict[str, str] = {}
    kst, fsk, hbo = "kommunestyret", "formannskapet", "bistand-og-omsorg"

    def pdoc(key: str, dokid: int, title: str, committee: str, doctype: str, day: str, first: list[str],
             text: str) -> tuple[str, str]:  # fmt: skip
        d = s.doc(Doc(key, "portal", _doc_path(dokid), title, 2021, PERIOD, committee, doctype, day, first, text))
        return d.path, d.link_text

    def skip(dokid: int, lines: list[str], day: str, title: str, mid: int) -> tuple[str, str]:
        path = s.portal_file(dokid, lines, day)
        s.skipped.append({"host": "portal", "path": path, "title": title, "moteid": mid})
        return path, title

    # Formannskapet 18.11.2020: linked from the landing page's "Innstilling" tab.
    day, mid = "2020-11-18", 3590
    docs = [
        pdoc("fsk-innkalling", 5901, "Møteinnkalling Formannskapet 18.11.2020", fsk, "annet", day,
             ["Møteinnkalling", "Formannskapet", "Møtedato: 18.11.2020 kl. 16:00"], "Møteinnkalling Formannskapet 18.11.2020"),
        pdoc("fsk-protokoll", 5902, "Møteprotokoll Formannskapet 18.11.2020", fsk, "protokoll", day,
             ["Møteprotokoll", "Formannskapet", "Møtedato: 18.11.2020", "PS 104/20 Handlingsprogram 2021–2024",
              "Vedtak: Formannskapet si innstilling vart vedteken mot 4 røyster (2Ap, R, SV)."],
             "Møteprotokoll Formannskapet 18.11.2020"),
    ]  # fmt: skip
    items = [
        ("PS 104/20 Handlingsprogram 2021–2024 og budsjett 2021 – innstilling til kommunestyret",
         [pdoc("fsk-saksframlegg", 5903, "Saksframlegg", fsk, "saksframlegg", day,
               ["BÆRUM KOMMUNE", "Saksframlegg", "Handlingsprogram 2021–2024 og budsjett 2021",
                "Framlegg til vedtak:"], "Saksframlegg")]),
        ("PS 105/20 Reguleringsplan for Fornebu sentrum – 2. gongs handsaming",
         [skip(5904, ["Saksframlegg", "Reguleringsplan for Fornebu sentrum"], day, "Reguleringsplan Fornebu", mid)]),
    ]  # fmt: skip
    linked[fsk] = _meeting_page(s, mid, "8", "Formannskapet", day, "18.11.2020 kl. 16:00", docs, items)

    # Hovudutval for bistand og omsorg 11.11.2020: linked from its tab on the landing page.
    day, mid = "2020-11-11", 3585
    docs = [
        pdoc("hbo-innkalling", 5851, "Møteinnkalling Hovudutval for bistand og omsorg", hbo, "annet", day,
             ["Møteinnkalling", "Hovudutval for bistand og omsorg", "11.11.2020"],
             "Møteinnkalling Hovudutval for bistand og omsorg"),
        pdoc("hbo-protokoll", 5852, "Møteprotokoll Hovudutval for bistand og omsorg", hbo, "protokoll", day,
             ["Møteprotokoll", "Hovudutval for bistand og omsorg", "11.11.2020",
              "PS 045/20 Handlingsprogram 2021–2024 – fråsegn frå hovudutvalet", "Samrøystes vedteke."],
             "Møteprotokoll Hovudutval for bistand og omsorg"),
    ]  # fmt: skip
    items = [
        ("PS 045/20 Handlingsprogram 2021–2024 – fråsegn frå hovudutvalet",
         [pdoc("hbo-saksframlegg", 5853, "Saksframlegg", hbo, "saksframlegg", day,
               ["BÆRUM KOMMUNE", "Saksframlegg", "Handlingsprogram 2021–2024 – fråsegn frå hovudutvalet"],
               "Saksframlegg")]),
        ("PS 046/20 Tilsynsrapport Lindelia bu- og behandlingssenter",
         [skip(5854, ["Saksframlegg", "Tilsynsrapport Lindelia"], day, "Tilsynsrapport Lindelia", mid)]),
    ]  # fmt: skip
    linked[hbo] = _meeting_page(s, mid, "12", "Hovudutval for bistand og omsorg", day, "11.11.2020 kl. 18:00",
                                docs, items)

    # Kommunestyret: the budget meeting 02.12.2020 is only on page 2 of the meeting plan.
    day, mid = "2020-12-02", 3600
    docs = [
        pdoc("kst-innkalling", 6001, "Møteinnkalling Kommunestyret 02.12.2020", kst, "annet", day,
             ["Møteinnkalling", "Kommunestyret", "Møtedato: 02.12.2020 kl. 17:00"],
             "Møteinnkalling Kommunestyret 02.12.2020"),
        pdoc("kst-protokoll", 6002, "Møteprotokoll Kommunestyret 02.12.2020", kst, "protokoll", day,
             ["Møteprotokoll", "Kommunestyret", "Møtedato: 02.12.2020", "PS 120/20 Handlingsprogram 2021–2024",
              "Ved alternativ votering mellom innstillinga og Ap sitt framlegg vart innstillinga vedteken."],
             "Møteprotokoll Kommunestyret 02.12.2020"),
    ]  # fmt: skip
    items = [
        ("PS 120/20 Handlingsprogram 2021–2024 og budsjett 2021",
         [pdoc("kst-saksframlegg", 6003, "Saksframlegg", kst, "saksframlegg", day,
               ["BÆRUM KOMMUNE", "Saksframlegg", "Handlingsprogram 2021–2024 og budsjett 2021"], "Saksframlegg")]),
        ("PS 121/20 Val av meddommarar",
         [skip(6004, ["Saksframlegg", "Val av meddommarar"], day, "Val av meddommarar", mid)]),
    ]  # fmt: skip
    budget_meeting = _meeting_page(s, mid, "1", "Kommunestyret", day, "02.12.2020 kl. 17:00", docs, items)

    def plain_meeting(mid: int, committee_id: str, name: str, day: str, subject: str, base: int) -> str:
        """A meeting without a budget item: none of its documents belong to the archive."""
        when = dt.date.fromisoformat(day).strftime("%d.%m.%Y")
        docs = [skip(base, ["Møteinnkalling", name, when], day, f"Møteinnkalling {name} {when}", mid),
                skip(base + 1, ["Møteprotokoll", name, when], day, f"Møteprotokoll {name} {when}", mid)]
        items = [(f"PS {base % 1000}/{day[2:4]} {subject}",
                  [skip(base + 2, ["Saksframlegg", subject], day, subject, mid)])]  # fmt: skip
        return _meeting_page(s, mid, committee_id, name, day, f"{when} kl. 17:00", docs, items)

    kst_2021 = plain_meeting(3640, "1", "Kommunestyret", "2021-02-10", "Skulebruksplan 2021–2030", 6401)
    kst_dec = plain_meeting(3620, "1", "Kommunestyret", "2020-12-16", "Kommunal planstrategi", 6201)
    kst_oct = plain_meeting(3560, "1", "Kommunestyret", "2020-10-21", "Eigarskapsmelding 2020", 5601)
    fsk_oct = plain_meeting(3550, "8", "Formannskapet", "2020-10-28", "Sal av tomt på Fornebu", 5501)

    def plan(committee_id: str, name: str, pages: list[list[tuple[str, str]]]) -> None:
        for n, meetings in enumerate(pages, start=1):
            rows = "".join(f'<tr><td>{when}</td><td><a href="{_rel(p)}">{name}</a></td></tr>' for p, when in meetings)
            base = f"wfinnsyn.ashx?response=moteplan&amp;utvalg={committee_id}"
            pager = []
            if n > 1:
                pager.append(f'<a href="{base}&amp;side={n - 1}" rel="prev">‹ Førre side</a>')
            pager.append(f"<span>Side {n} av {len(pages)}</span>")
            if n < len(pages):
                pager.append(f'<a href="{base}&amp;side={n + 1}" rel="next">Neste side ›</a>')
            html = f"""<!DOCTYPE html><html lang="nn"><head><meta charset="utf-8"><title>Møteplan - {name}</title></head>
<body><div class="innsyn"><h1>Møteplan for {name}</h1>
<table class="moteplan"><tr><th>Dato</th><th>Møte</th></tr>{rows}</table>
<nav class="pager">{" ".join(pager)}</nav></div></body></html>"""
            target = f"{PORTAL}?response=moteplan&utvalg={committee_id}" + (f"&side={n}" if n > 1 else "")
            s.page("portal", target, html)

    plan("1", "Kommunestyret", [[(kst_2021, "10.02.2021"), (kst_dec, "16.12.2020")],
                                [(budget_meeting, "02.12.2020"), (kst_oct, "21.10.2020")]])
    plan("8", "Formannskapet", [[(linked[fsk], "18.11.2020"), (fsk_oct, "28.10.2020")]])
    return linked


def _build_landing(s: Third, meetings: dict[str, str]) -> None:
    ids = iter(range(40117, 40200))

    def d(key: str, title: str, committee: str | None, doctype: str, day: str | None, first: list[str],
          text: str, filename: str, year: int = 2021, period: str | None = PERIOD, docx: bool = False) -> Doc:  # fmt: skip
        return s.doc(Doc(key, "main", f"/download?id={next(ids)}", title, year, period, committee, doctype, day,
                         first, text, filename, docx))  # fmt: skip

    def a(doc: Doc, text: str | None = None) -> str:
        return f'<a href="{doc.path}" class="fil">{text or doc.link_text}</a>'

    framlegg = d("forslag", "Kommunedirektøren sitt framlegg til handlingsprogram 2021–2024", None, "forslag",
                 "2020-09-23", ["Handlingsprogram 2021–2024", "Kommunedirektøren sitt framlegg", "23. september 2020"],
                 "Kommunedirektøren sitt framlegg til handlingsprogram 2021–2024", "HP 2021-2024 framlegg.pdf")  # fmt: skip
    innstilling = d("innstilling", "Handlingsprogram 2021–2024 Formannskapet si innstilling til kommunestyret",
                    "formannskapet", "innstilling", "2020-11-18",
                    ["Handlingsprogram 2021–2024", "Formannskapet si innstilling til kommunestyret",
                     "18. november 2020"], "Last ned", "Formannskapet si innstilling HP 2021-2024.pdf")  # fmt: skip
    vedteke = d("vedtak", "Vedteke handlingsprogram 2021–2024", "kommunestyret", "vedtak", "2020-12-02",
                ["Handlingsprogram 2021–2024", "Vedteke av kommunestyret 2. desember 2020"],
                "Vedteke handlingsprogram 2021–2024", "Vedteke HP 2021-2024.pdf")  # fmt: skip
    hbu_prot = d("hbu-protokoll", "Protokoll frå møtet 10. nov. 2020", "barn-og-unge", "protokoll", "2020-11-10",
                 ["Møteprotokoll", "Hovudutval for barn og unge", "Møtedato: 10.11.2020"],
                 "Protokoll frå møtet 10. nov. 2020", "Protokoll HBU 10.11.2020.pdf")  # fmt: skip
    hbu_q = d("hbu-sporsmal", "Spørsmål frå partia med svar", "barn-og-unge", "sporsmal", "2020-11-06",
              ["Spørsmål og svar", "Hovudutval for barn og unge", "Spørsmål 1 frå Høgre: Kor mange barnehageplassar …"],
              "Spørsmål frå partia med svar", "Sporsmal HBU.pdf")  # fmt: skip
    hmik_prot = d("hmik-protokoll", "Møteprotokoll Hovudutval for miljø, idrett og kultur", "miljo-idrett-og-kultur",
                  "protokoll", "2020-11-12",
                  ["Møteprotokoll", "Hovudutval for miljø, idrett og kultur", "Møtedato: 12.11.2020",
                   "Sak 051/20 Handlingsprogram 2021–2024 – fråsegn"], "Protokoll (PDF)", "Protokoll HMIK.pdf")  # fmt: skip
    eld_prot = d("eldreradet-protokoll", "Eldrerådet: protokoll 9. nov. 2020", "eldreradet", "protokoll",
                 "2020-11-09", ["Møteprotokoll", "Eldrerådet", "09.11.2020"], "Eldrerådet: protokoll 9. nov. 2020",
                 "Protokoll Eldreradet.pdf")  # fmt: skip
    samla = d("sporsmal-samla", "Spørsmål og svar samla", None, "sporsmal", "2020-11-13",
              ["Spørsmål og svar", "Handlingsprogram 2021–2024", "Oppdatert 13. november 2020",
               "Spørsmål 1 frå Høgre: Kor mange sjukeheimsplassar …"], "Spørsmål og svar samla",
              "Sporsmal og svar samla.pdf")  # fmt: skip
    notat = d("notat", "Notat frå kommunedirektøren om skulekapasitet", None, "notat", "2020-11-05",
              ["Notat", "Til: Dei folkevalde", "Dato: 5. november 2020", "Skulekapasitet i planperioden"],
              "Notat frå kommunedirektøren om skulekapasitet", "Notat skulekapasitet.pdf")  # fmt: skip
    idrett = d("innspill-idrett", "Innspel frå Bærum idrettsråd (27. okt. 2020)", None, "innspill", "2020-10-27",
               ["Bærum idrettsråd", "Innspel til handlingsprogram 2021–2024"],
               "Innspel frå Bærum idrettsråd (27. okt. 2020)", "Innspel idrettsradet.pdf")  # fmt: skip
    tillit = d("innspill-tillitsvalde", "Fråsegn frå hovudtillitsvalde og hovudverneombodet", None, "innspill",
               "2020-10-30", ["Fråsegn", "Frå hovudtillitsvalde og hovudverneombodet", "30. oktober 2020"],
               "Fråsegn frå hovudtillitsvalde og hovudverneombodet", "Fraasegn tillitsvalde.pdf")  # fmt: skip
    naering = d("innspill-naeringsrad", "Innspel frå Bærum Næringsråd", None, "innspill", None,
                ["Bærum Næringsråd", "Innspel til handlingsprogram 2021–2024"], "Last ned (Word, 45 KB)",
                "Innspel frå Bærum Næringsråd.docx", docx=True)  # fmt: skip
    # Calendar-year documents: linked on the 2021-2024 page, but about a calendar year.
    om1 = d("okonomimelding-1", "Økonomimelding I 2020", None, "annet", None,
            ["Økonomimelding I 2020", "Rapportering per 30. april", "Bærum kommune"], "Økonomimelding I 2020",
            "Okonomimelding I 2020.pdf", year=2020, period=None)  # fmt: skip
    om2 = d("okonomimelding-2", "Økonomimelding II 2020", None, "annet", None,
            ["Økonomimelding II 2020", "Rapportering per 31. august", "Kommunedirektøren"],
            "Økonomimelding II 2020 (PDF, 3 MB)", "Okonomimelding II 2020.pdf", year=2020, period=None)  # fmt: skip
    arsrapport = d("arsrapport-2019", "Årsrapport 2019", None, "annet", None,
                   ["Årsrapport 2019", "Rapportering på handlingsprogram 2019–2022", "Bærum kommune"],
                   "Årsrapport 2019", "Arsrapport 2019.pdf", year=2019, period="2019-2022")  # fmt: skip
    arsberetning = d("arsberetning-2019", "Årsberetning 2019", None, "annet", None,
                     ["Årsberetning 2019", "Bærum kommune", "Kommunedirektøren, mars 2020"], "Last ned (PDF)",
                     "Årsberetning 2019.pdf", year=2019, period=None)  # fmt: skip
    kostra = d("kostra-2020", "KOSTRA-analyse 2020: Bærum samanlikna med ASSS-kommunane", None, "annet", None,
               ["KOSTRA-analyse 2020", "Bærum samanlikna med ASSS-kommunane", "Tal frå rekneskapen"],
               "KOSTRA-analyse 2020: Bærum samanlikna med ASSS-kommunane", "KOSTRA 2020.pdf",
               year=2020, period=None)  # fmt: skip

    portal = "{{PORTAL}}"

    def tabs(name: str, panels: list[tuple[str, str, str]]) -> str:
        buttons = "".join(
            f'<button role="tab" id="fane-{slug}" aria-controls="panel-{slug}" aria-selected="{str(i == 0).lower()}"'
            f' class="tabs__tab">{label}</button>'
            for i, (slug, label, _) in enumerate(panels)
        )
        bodies = "".join(
            f'<div role="tabpanel" id="panel-{slug}" aria-labelledby="fane-{slug}" class="tabs__panel"'
            f'{"" if i == 0 else " hidden"}>{content}</div>'
            for i, (slug, _, content) in enumerate(panels)
        )
        return f'<div class="tabs" data-module="tabs"><div role="tablist" aria-label="{name}">{buttons}</div>{bodies}</div>'

    def item(doc: Doc, extra: str = "", size: str = "PDF") -> str:
        return f'<li class="filer__rad">{a(doc)} <span class="filer__meta">{size}</span>{extra}</li>'

    documents = tabs("Dokument i budsjettprosessen", [
        ("framlegg", "Framlegg", f"""<p>Kommunedirektøren la fram framlegget 23. sep. 2020.</p>
<ul class="filer">{item(framlegg, size="PDF, 8,1 MB")}</ul>"""),
        ("innstilling", "Innstilling", f"""<p>Formannskapet handsama saka 18. nov. 2020. Innstillinga ligg ute til
offentleg ettersyn. {a(innstilling)}</p>
<p><a href="{portal}{meetings["formannskapet"]}">Formannskapet si handsaming 18. nov. 2020 (møteportalen)</a></p>"""),
        ("vedtak", "Vedtak", f"""<p>Kommunestyret vedtok handlingsprogrammet 2. des. 2020.</p>
<ul class="filer">{item(vedteke, size="PDF, 5 MB")}</ul>"""),
        ("sporsmal", "Spørsmål og svar", f"""<p>Alle spørsmåla frå dei folkevalde og svara frå kommunedirektøren,
samla i eitt dokument:</p><p>{a(samla)}</p>"""),
        ("notat", "Notat", f'<ul class="filer">{item(notat)}</ul>'),
        ("innspel", "Innspel", f"""<ul class="filer">{item(idrett)}{item(tillit)}
<li class="filer__rad">Bærum Næringsråd: {a(naering)}</li></ul>"""),
        ("rapportar", "Rapportar og analysar", f"""<p>Rapportar frå året som gjekk, til bruk i arbeidet med
handlingsprogrammet.</p><ul class="filer">{item(om1)}{item(om2, size="")}{item(arsrapport)}
<li class="filer__rad">Kommunedirektøren si årsberetning for 2019: {a(arsberetning)}</li>{item(kostra)}</ul>"""),
    ])  # fmt: skip
    committees = tabs("Handsaming i hovudutval og råd", [
        ("hbu", "Barn og unge", f'<ul class="filer">{item(hbu_prot)}{item(hbu_q, extra=" (6. nov. 2020)")}</ul>'),
        ("hbo", "Bistand og omsorg", f"""<p>Sakskart, saksframlegg og protokoll finn du i
<a href="{portal}{meetings["bistand-og-omsorg"]}">møteportalen</a>.</p>"""),
        ("hmik", "Miljø, idrett og kultur", f'<ul class="filer">{item(hmik_prot, size="")}</ul>'),
        ("eldre", "Eldrerådet", f'<ul class="filer">{item(eld_prot)}</ul>'),
    ])  # fmt: skip
    html = f"""<!DOCTYPE html><html lang="nn"><head><meta charset="utf-8">
<title>Handlingsprogram 2021–2024 – Bærum kommune</title><link rel="stylesheet" href="/static/site.css"></head>
<body><header class="topp"><a href="/">Bærum kommune</a><nav><a href="/tenester">Tenester</a>
<a href="/politikk">Politikk</a><a href="https://www.facebook.com/baerumkommune">Facebook</a></nav></header>
<main><nav class="smulesti"><a href="/">Framsida</a> › <a href="/politikk">Politikk</a> › Økonomi</nav>
<h1>Handlingsprogram 2021–2024</h1>
<p class="ingress">Handlingsprogrammet viser korleis kommunen skal bruke pengane dei neste fire åra. Kommunestyret
vedtok budsjett 2021 og handlingsprogram 2021–2024 2. des. 2020.</p>
<h2>Dokument</h2>{documents}
<h2>Handsaming i hovudutval og råd</h2>{committees}
<p><a href="https://www.ssb.no/kostra">KOSTRA-tal frå SSB</a></p></main>
<footer><p>Bærum kommune · Postboks 700 · 1304 Sandvika</p></footer></body></html>"""
    s.page("main", LANDING, html)


def build_third(dest: Path) -> Path:
    """Write the third site (files, routes.json, snapshots.json, truth.json) to dest."""
    dest = Path(dest)
    dest.mkdir(parents=True, exist_ok=True)
    s = Third(dest)
    meetings = _build_portal(s)
    _build_landing(s, meetings)
    docs = [
        TruthDoc(
            key=d.key, host=d.host, path=d.path, title=d.title, year=d.year, period=d.period,
            committee=d.committee, doctype=d.doctype, date=d.date, pages=None if d.docx else 1,
            media_type="docx" if d.docx else "pdf",
            content_type=OCTET if d.host == "main" else (DOCX_CT if d.docx else PDF_CT),
            link_text=d.link_text, source_page=LANDING if d.host == "main" else "",
        )  # fmt: skip
        for d in s.docs
    ]
    truth = Truth(
        generator_version=GENERATOR_VERSION, variant=300, hosts=HOSTS, landing_path=LANDING, archive_path="",
        html_pages=[LANDING], portal_meetings=s.meetings, wayback_pages=[], documents=docs, fetch_failures=[],
        skipped=s.skipped, optional=s.optional, planted_words=[],
        never_request=[{"url": "https://www.facebook.com/baerumkommune", "why": "off-site"},
                       {"url": "https://www.ssb.no/kostra", "why": "off-site"}],
        robots_disallow=["/intern/", "/episerver/"],
    )  # fmt: skip
    (dest / "routes.json").write_text(json.dumps(s.routes, ensure_ascii=False, indent=1), encoding="utf-8")
    (dest / "snapshots.json").write_text("[]", encoding="utf-8")
    (dest / "truth.json").write_text(truth.to_json(), encoding="utf-8")
    assert len({(r["host"], r["key"]) for r in s.routes}) == len(s.routes), "duplicate route"
    return dest
