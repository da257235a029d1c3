"""A second, independently designed replica: Bærum's site after a CMS redesign (BØP 2024-2027).

Written without looking at ``sample.site``, to test whether the crawler generalises beyond the
markup and wording of the first replica: cards, tables (Dato | Dokument | Utvalg),
``<details>`` sections, lists under ``<h3>``, link texts like "Last ned (PDF, 2 MB)", uppercase
``.PDF``, query strings, percent-encoded æøå, ``&amp;`` in hrefs, an "Eldre budsjetter" archive
with mixed period spellings, a news page, and ACOS meeting pages with another markup
(``<dl>`` / ``<table>`` fields, "088/23 23/123456 …" items, "Saksfremlegg | 312 KB").

It reuses ``sample.server`` (routes.json, snapshots.json) and the ``truth.json`` format.

    from sample.redesign import build_redesign
    dest = build_redesign(tmp_path / "redesign")
"""

from __future__ import annotations

import datetime as dt
import io
import json
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote

from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from sample.pdfs import render_docx
from sample.site import canonical
from sample.truth import GENERATOR_VERSION, HOSTS, Truth, TruthDoc

LANDING = "/politikk-og-samfunn/politikk/kommuneplanens-handlingsdel/"
ARCHIVE = LANDING + "eldre-budsjetter/"
NEWS = "/aktuelt/kommunedirektorens-forslag-til--budsjett-og-okonomiplan-2024-2027/"
ASSETS = "/globalassets/dokumenter/politikk/budsjett/2024/"
PORTAL_PAGE = "/innsyn/politikk/wfinnsyn.ashx"
PERIOD = "2024-2027"
PDF_CT = "application/pdf"
DOCX_CT = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _epoch(day: str) -> int:
    d = dt.date.fromisoformat(day)
    return int(dt.datetime(d.year, d.month, d.day, 12, 0, tzinfo=dt.UTC).timestamp())


def make_pdf(pages: list[list[str]], title: str | None = None) -> bytes:
    """A small deterministic PDF: each page a list of lines, the first one a heading."""
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4, invariant=1)
    if title:
        c.setTitle(title)
    for lines in pages:
        y = 780.0
        for i, line in enumerate(lines):
            c.setFont("Helvetica-Bold" if i == 0 else "Helvetica", 16 if i == 0 else 11)
            c.drawString(60, y, line)
            y -= 26 if i == 0 else 16
        c.showPage()
    c.save()
    return buf.getvalue()


@dataclass
class Doc:
    """One document of the redesigned site and its correct classification."""

    key: str
    host: str
    path: str  # as linked (after &amp; decoding), percent-encoding kept
    title: str
    year: int
    period: str | None
    committee: str | None
    doctype: str
    date: str | None
    first_page: list[str]
    link_text: str
    source_page: str
    more_pages: int = 1
    docx: bool = False
    redirect_to: str | None = None


@dataclass
class Site:
    """Accumulates files, routes and truth for the redesigned site."""

    dest: Path
    routes: list[dict] = field(default_factory=list)
    docs: list[Doc] = field(default_factory=list)
    skipped: list[dict] = field(default_factory=list)
    optional: list[dict] = field(default_factory=list)
    meetings: list[dict] = field(default_factory=list)

    def put(self, host: str, target: str, data: bytes, ctype: str, day: str) -> None:
        key = canonical(target)
        rel = f"files/{host}/{len(self.routes):03d}"
        (self.dest / rel).parent.mkdir(parents=True, exist_ok=True)
        (self.dest / rel).write_bytes(data)
        self.routes.append({"host": host, "key": key, "file": rel, "ctype": ctype, "last_modified": _epoch(day)})

    def page(self, host: str, path: str, html: str, day: str = "2024-02-01") -> None:
        self.put(host, path, html.encode("utf-8"), "text/html; charset=utf-8", day)

    def doc(self, d: Doc) -> Doc:
        self.docs.append(d)
        target = d.redirect_to or d.path
        if d.redirect_to:
            self.routes.append({"host": d.host, "key": canonical(d.path), "redirect": d.redirect_to, "status": 301})
        if d.docx:
            data, ctype = render_docx(d.first_page), DOCX_CT
        else:
            pages = [d.first_page] + [
                [f"{i + 2}", f"{d.title} – side {i + 2}", "Tall i mill. kroner. Inntekter vises som negative tall."]
                for i in range(d.more_pages - 1)
            ]
            data, ctype = make_pdf(pages), PDF_CT
        self.put(d.host, target, data, ctype, d.date or "2023-12-13")
        return d

    def agenda_doc(self, n: int, title: str, lines: list[str], day: str) -> str:
        """An ACOS document URL (relative to the meeting page, with &amp;) and its stored bytes."""
        path = f"/innsyn/politikk/wfdocument.ashx?journalpostid=2023{n:06d}&dokid={3100000 + n}&versjon=1&variant=A&"
        self.put("portal", path, make_pdf([[title, *lines]]), PDF_CT, day)
        return path


def _href(path: str) -> str:
    return path.replace("&", "&amp;")


def _shell(title: str, body: str, crumbs: str = "") -> str:
    """The redesigned CMS frame: header, mega menu, breadcrumbs, footer with off-site links."""
    return f"""<!DOCTYPE html>
<html lang="nb-NO"><head><meta charset="utf-8"><title>{title} | Bærum kommune</title>
<meta name="viewport" content="width=device-width, initial-scale=1"><link rel="stylesheet" href="/dist/main.7f3a.css"></head>
<body class="page page--article">
<a class="skip-link" href="#main">Hopp til hovedinnhold</a>
<header class="site-header"><a class="site-header__logo" href="/"><img src="/dist/logo.svg" alt="Bærum kommune"></a>
<nav class="mega-menu" aria-label="Hovedmeny"><ul>
<li><a href="/skole/">Skole og utdanning</a></li><li><a href="/barnehage/">Barnehage</a></li>
<li><a href="/politikk-og-samfunn/">Politikk og samfunn</a></li><li><a href="/intern/">Ansatt</a></li></ul></nav></header>
<nav class="breadcrumbs" aria-label="Brødsmulesti"><ol><li><a href="/">Forside</a></li>
<li><a href="/politikk-og-samfunn/">Politikk og samfunn</a></li>{crumbs}</ol></nav>
<main id="main" class="main">{body}</main>
<footer class="site-footer"><ul>
<li><a href="https://www.facebook.com/baerumkommune" target="_blank" rel="noopener">Facebook</a></li>
<li><a href="https://www.instagram.com/baerumkommune/">Instagram</a></li>
<li><a href="/personvern/">Personvern og informasjonskapsler</a></li>
<li><a href="https://uustatus.no/nb/erklaringer/publisert/baerum">Tilgjengelighetserklæring</a></li></ul>
<p>Bærum kommune, Postboks 700, 1304 Sandvika. Org.nr. 935 478 715</p></footer></body></html>"""


def _card(href: str, title: str, meta: str) -> str:
    return (
        f'<a class="card card--document" href="{_href(href)}" target="_blank" rel="noopener">'
        '<span class="card__icon" aria-hidden="true"><svg viewBox="0 0 24 24"><path d="M6 2h9l5 5v15H6z"/></svg></span>'
        f'<span class="card__body"><span class="card__title">{title}</span><span class="card__meta">{meta}</span></span></a>'
    )


def _build_portal(s: Site) -> dict[str, str]:
    """ACOS meeting pages in a redesigned skin; returns meeting path per committee slug."""
    out: dict[str, str] = {}

    # Hovedutvalg for bistand og omsorg: fields as a <dl>, documents in tables per item.
    day, mid = "2023-11-14", 4093
    innk = s.agenda_doc(1, "Møteinnkalling", ["Hovedutvalg for bistand og omsorg", "Dato: 14.11.2023"], day)
    s.optional.append({"host": "portal", "path": innk, "title": "Møteinnkalling HBO"})
    prot = s.doc(Doc(
        "hbo-protokoll", "portal", f"/innsyn/politikk/wfdocument.ashx?journalpostid=2023000002&dokid={3100002}&versjon=1&variant=A&",
        "Protokoll Hovedutvalg for bistand og omsorg 14.11.2023", 2024, PERIOD, "bistand-og-omsorg", "protokoll", day,
        ["BÆRUM KOMMUNE", "MØTEPROTOKOLL", "Hovedutvalg for bistand og omsorg", "Dato: 14.11.2023 kl. 18:00",
         "Sted: Kommunestyresalen", "088/23 Budsjett og økonomiplan 2024-2027 - uttalelse", "Vedtak:",
         "Hovedutvalget tar kommunedirektørens forslag til orientering.", "Votering: Enstemmig vedtatt."],
        "Protokoll (Hoveddokument)", "", more_pages=2,
    ))  # fmt: skip
    sf = s.doc(Doc(
        "hbo-saksframlegg", "portal", f"/innsyn/politikk/wfdocument.ashx?journalpostid=2023000003&dokid={3100003}&versjon=1&variant=A&",
        "Saksfremlegg Budsjett og økonomiplan 2024-2027 - uttalelse", 2024, PERIOD, "bistand-og-omsorg", "saksframlegg", day,
        ["BÆRUM KOMMUNE", "KOMMUNEDIREKTØREN", "Arkivsak-dok. 23/123456", "Saksbehandler: Kari Nordmann",
         "Saksgang: Hovedutvalg for bistand og omsorg 14.11.2023",
         "BUDSJETT OG ØKONOMIPLAN 2024-2027 - UTTALELSE", "Forslag til vedtak:",
         "Hovedutvalget gir sin uttalelse til budsjett og økonomiplan 2024-2027."],
        "Saksfremlegg | 312 KB", "",
    ))  # fmt: skip
    notat = s.doc(Doc(
        "hbo-notat", "portal", f"/innsyn/politikk/wfdocument.ashx?journalpostid=2023000004&dokid={3100004}&versjon=1&variant=A&",
        "Notat om ressurskrevende tjenester", 2024, PERIOD, "bistand-og-omsorg", "notat", day,
        ["Notat", "Til: Hovedutvalg for bistand og omsorg", "Fra: Kommunedirektøren", "Dato: 07.11.2023",
         "Ressurskrevende tjenester i budsjett og økonomiplan 2024-2027"],
        "Notat - ressurskrevende tjenester | 88 KB", "",
    ))  # fmt: skip
    skip1 = s.agenda_doc(5, "Saksfremlegg", ["Godkjenning av protokoll fra møte 10.10.2023"], day)
    skip2 = s.agenda_doc(6, "Saksfremlegg", ["Tilsynsrapport Lindelia bo- og behandlingssenter"], day)
    skip3 = s.agenda_doc(7, "Tilsynsrapport", ["Statsforvalteren i Oslo og Viken", "Tilsyn med Lindelia"], day)
    s.skipped += [
        {"host": "portal", "path": skip1, "title": "Godkjenning av protokoll", "moteid": mid},
        {"host": "portal", "path": skip2, "title": "Tilsynsrapport Lindelia", "moteid": mid},
        {"host": "portal", "path": skip3, "title": "Tilsynsrapport Lindelia (vedlegg)", "moteid": mid},
    ]

    def row(path: str, text: str, kind: str) -> str:
        return f'<tr><td class="doc"><a href="{_href(path[len("/innsyn/politikk/"):])}"><i class="fa fa-file-pdf-o"></i> {text}</a></td><td>{kind}</td></tr>'

    html = f"""<!DOCTYPE html><html lang="no"><head><meta charset="utf-8"><title>Innsyn - Bærum kommune</title></head>
<body><div id="acos-app"><nav class="topnav"><a href="wfinnsyn.ashx?response=moteplan&amp;utvalg=12">Møteplan</a>
<a href="https://www.baerum.kommune.no/">Til kommunens nettsider</a></nav>
<div class="container"><div class="mote-header"><h1 class="h2">Møte i Hovedutvalg for bistand og omsorg den 14.11.2023</h1>
<dl class="mote-meta"><dt>Utvalg</dt><dd>Hovedutvalg for bistand og omsorg</dd>
<dt>Dato</dt><dd>14.11.2023 kl. 18:00</dd><dt>Møtested</dt><dd>Kommunestyresalen, Bærum rådhus</dd></dl></div>
<section class="motedokumenter"><h2>Møtedokumenter</h2><table class="table">
{row(innk, "Møteinnkalling (Hoveddokument) | 120 KB", "Møteinnkalling")}
{row(prot.path, "Protokoll (Hoveddokument) | 210 KB", "Møteprotokoll")}</table></section>
<section class="saker"><h2>Saker til behandling</h2>
<article class="sak"><h3 class="sak__tittel">088/23 23/123456 Budsjett og økonomiplan 2024-2027 - uttalelse</h3>
<table class="table">{row(sf.path, "Saksfremlegg | 312 KB", "Saksfremlegg")}{row(notat.path, "Notat - ressurskrevende tjenester | 88 KB", "Internt notat")}</table></article>
<article class="sak"><h3 class="sak__tittel">089/23 23/99881 Godkjenning av protokoll</h3>
<table class="table">{row(skip1, "Saksfremlegg | 41 KB", "Saksfremlegg")}</table></article>
<article class="sak"><h3 class="sak__tittel">090/23 23/45678 Tilsynsrapport Lindelia bo- og behandlingssenter</h3>
<table class="table">{row(skip2, "Saksfremlegg | 98 KB", "Saksfremlegg")}{row(skip3, "Tilsynsrapport | 1 MB", "Vedlegg")}</table></article>
</section></div></div></body></html>"""
    path = f"{PORTAL_PAGE}?response=mote&moteid={mid}"
    s.page("portal", path, html, day)
    s.meetings.append({"moteid": mid, "path": path, "committee": "bistand-og-omsorg", "date": day,
                       "title": "Møte i Hovedutvalg for bistand og omsorg den 14.11.2023"})  # fmt: skip
    out["bistand-og-omsorg"] = path

    # Hovedutvalg for miljø, idrett og kultur: fields in a two-column table, items without dashes.
    day, mid = "2023-11-15", 4095
    prot = s.doc(Doc(
        "hmik-protokoll", "portal", f"/innsyn/politikk/wfdocument.ashx?journalpostid=2023000011&dokid={3100011}&versjon=1&variant=A&",
        "Protokoll - Hovedutvalg for miljø, idrett og kultur 15 11 23", 2024, PERIOD, "miljo-idrett-og-kultur", "protokoll", day,
        ["BÆRUM KOMMUNE", "PROTOKOLL", "Hovedutvalg for miljø, idrett og kultur", "Møtedato: 15.11.2023",
         "045/23 Budsjett og økonomiplan 2024-2027 uttalelse", "Vedtak:", "Fellesforslaget ble enstemmig vedtatt."],
        "Protokoll - Hovedutvalg for miljø, idrett og kultur 15 11 23 (Hoveddokument)", "",
    ))  # fmt: skip
    sf = s.doc(Doc(
        "hmik-saksframlegg", "portal", f"/innsyn/politikk/wfdocument.ashx?journalpostid=2023000012&dokid={3100012}&versjon=1&variant=A&",
        "Saksfremlegg", 2024, PERIOD, "miljo-idrett-og-kultur", "saksframlegg", day,
        ["BÆRUM KOMMUNE", "KOMMUNEDIREKTØREN", "Saksfremlegg", "Arkivsak-dok. 23/123456-12",
         "Behandlet av: Hovedutvalg for miljø, idrett og kultur 15.11.2023",
         "Budsjett og økonomiplan 2024-2027 uttalelse"],
        "Saksfremlegg", "",
    ))  # fmt: skip
    skip4 = s.agenda_doc(13, "Saksfremlegg", ["Reguleringsplan for Nadderud stadion - 2. gangs behandling"], day)
    s.skipped.append({"host": "portal", "path": skip4, "title": "Reguleringsplan Nadderud stadion", "moteid": mid})
    html = f"""<!DOCTYPE html><html><head><meta charset="utf-8"><title>Møte - Innsyn</title></head><body>
<div class="innsyn"><div class="page-title">Møte i Hovedutvalg for miljø, idrett og kultur den 15.11.2023</div>
<table class="motedetaljer"><tr><th>Utvalg:</th><td>Hovedutvalg for miljø, idrett og kultur</td></tr>
<tr><th>Dato:</th><td>15. november 2023</td></tr><tr><th>Sted:</th><td>Formannskapssalen</td></tr></table>
<div class="dokumentliste"><span class="label">Møteprotokoll</span>
<a class="doclink" href="{_href(prot.path)}" target="_blank"><span>Protokoll - Hovedutvalg for miljø, idrett og kultur 15 11 23 (Hoveddokument)</span></a></div>
<ol class="saksliste">
<li><span class="saksnr">045/23 - 23/123456 -</span> <span class="sakstittel">Budsjett og økonomiplan 2024-2027 uttalelse</span>
<ul><li><a href="{_href(sf.path)}">Saksfremlegg</a> <small>| 155 KB</small></li></ul></li>
<li><span class="saksnr">046/23 - 23/55555 -</span> <span class="sakstittel">Reguleringsplan for Nadderud stadion</span>
<ul><li><a href="{_href(skip4)}">Saksfremlegg</a> <small>| 522 KB</small></li></ul></li></ol></div></body></html>"""
    path = f"{PORTAL_PAGE}?moteid={mid}&response=mote"
    s.page("portal", path, html, day)
    s.meetings.append({"moteid": mid, "path": path, "committee": "miljo-idrett-og-kultur", "date": day,
                       "title": "Møte i Hovedutvalg for miljø, idrett og kultur den 15.11.2023"})  # fmt: skip
    out["miljo-idrett-og-kultur"] = path

    # Formannskapet 29.11.2023: the innstilling itself is an agenda document.
    day, mid = "2023-11-29", 4110
    sf = s.doc(Doc(
        "fsk-saksframlegg", "portal", f"/innsyn/politikk/wfdocument.ashx?journalpostid=2023000021&dokid={3100021}&versjon=1&variant=A&",
        "Saksfremlegg Budsjett og økonomiplan 2024-2027", 2024, PERIOD, "formannskapet", "saksframlegg", day,
        ["BÆRUM KOMMUNE", "KOMMUNEDIREKTØREN", "Saksfremlegg", "Saksgang: Formannskapet 29.11.2023, Kommunestyret 13.12.2023",
         "Budsjett og økonomiplan 2024-2027 – innstilling til kommunestyret"],
        "Saksfremlegg | 1 MB", "",
    ))  # fmt: skip
    inn = s.doc(Doc(
        "fsk-innstilling-portal", "portal", f"/innsyn/politikk/wfdocument.ashx?journalpostid=2023000022&dokid={3100022}&versjon=1&variant=A&",
        "Formannskapets innstilling til kommunestyret – budsjett og økonomiplan 2024-2027", 2024, PERIOD, "formannskapet", "innstilling", day,
        ["Budsjett og økonomiplan 2024-2027", "Formannskapets innstilling til kommunestyret", "29. november 2023",
         "Formannskapet innstiller til kommunestyret å vedta følgende:"],
        "Formannskapets innstilling | 2 MB", "",
    ))  # fmt: skip
    prot = s.doc(Doc(
        "fsk-protokoll", "portal", f"/innsyn/politikk/wfdocument.ashx?journalpostid=2023000023&dokid={3100023}&versjon=1&variant=A&",
        "Protokoll Formannskapet 29.11.2023", 2024, PERIOD, "formannskapet", "protokoll", day,
        ["BÆRUM KOMMUNE", "MØTEPROTOKOLL", "Formannskapet", "Dato: 29.11.2023",
         "122/23 Budsjett og økonomiplan 2024-2027 - innstilling til kommunestyret",
         "Ved alternativ votering mellom innstillingen og Ap's forslag ble innstillingen vedtatt mot 3 stemmer (2Ap, R)."],
        "Protokoll (Hoveddokument)", "",
    ))  # fmt: skip
    skip5 = s.agenda_doc(24, "Saksfremlegg", ["Eierskapsmelding 2023 - Bærum Energi AS"], day)
    s.skipped.append({"host": "portal", "path": skip5, "title": "Eierskapsmelding 2023", "moteid": mid})
    html = f"""<!DOCTYPE html><html><head><meta charset="utf-8"><title>Innsyn</title></head><body><main>
<h1>Møte i Formannskapet den 29.11.2023</h1>
<dl><dt>Utvalg:</dt><dd>Formannskapet</dd><dt>Dato:</dt><dd>2023-11-29</dd><dt>Møtested:</dt><dd>Formannskapssalen</dd></dl>
<h2>Møteprotokoll</h2><p><a href="{_href(prot.path)}">Protokoll (Hoveddokument)</a> | 640 KB</p>
<h2>Sakskart</h2>
<div class="item"><h4>122/23 23/123456 Budsjett og økonomiplan 2024-2027 - innstilling til kommunestyret</h4>
<a href="{_href(sf.path)}">Saksfremlegg | 1 MB</a><br><a href="{_href(inn.path)}">Formannskapets innstilling | 2 MB</a></div>
<div class="item"><h4>123/23 23/77777 Eierskapsmelding 2023</h4><a href="{_href(skip5)}">Saksfremlegg | 230 KB</a></div>
</main></body></html>"""
    path = f"{PORTAL_PAGE}?response=mote&moteid={mid}"
    s.page("portal", path, html, day)
    s.meetings.append({"moteid": mid, "path": path, "committee": "formannskapet", "date": day,
                       "title": "Møte i Formannskapet den 29.11.2023"})  # fmt: skip
    out["formannskapet"] = path

    # Kommunestyret 13.12.2023.
    day, mid = "2023-12-13", 4120
    sf = s.doc(Doc(
        "kst-saksframlegg", "portal", f"/innsyn/politikk/wfdocument.ashx?journalpostid=2023000031&dokid={3100031}&versjon=1&variant=A&",
        "Saksfremlegg Budsjett og økonomiplan 2024–2027", 2024, PERIOD, "kommunestyret", "saksframlegg", day,
        ["BÆRUM KOMMUNE", "KOMMUNEDIREKTØREN", "Saksfremlegg", "Saksgang: Kommunestyret 13.12.2023",
         "Budsjett og økonomiplan 2024–2027 og budsjett 2024"],
        "Saksfremlegg | 2 MB", "",
    ))  # fmt: skip
    prot = s.doc(Doc(
        "kst-protokoll", "portal", f"/innsyn/politikk/wfdocument.ashx?journalpostid=2023000032&dokid={3100032}&versjon=1&variant=A&",
        "Protokoll Kommunestyret 13.12.2023", 2024, PERIOD, "kommunestyret", "protokoll", day,
        ["BÆRUM KOMMUNE", "MØTEPROTOKOLL", "Kommunestyret", "Dato: 13.12.2023",
         "140/23 Budsjett og økonomiplan 2024–2027", "Vedtak:", "Formannskapets innstilling ble vedtatt mot 12 stemmer."],
        "Protokoll (Hoveddokument)", "",
    ))  # fmt: skip
    skip6 = s.agenda_doc(33, "Saksfremlegg", ["Valg av meddommere 2024-2027"], day)
    s.skipped.append({"host": "portal", "path": skip6, "title": "Valg av meddommere 2024-2027", "moteid": mid})
    html = f"""<!DOCTYPE html><html><head><meta charset="utf-8"><title>Innsyn</title></head><body>
<div id="content"><h1>Møte i Kommunestyret den 13.12.2023</h1>
<table class="info"><tr><td>Utvalg</td><td>Kommunestyret</td></tr><tr><td>Dato</td><td>13.12.23</td></tr></table>
<ul class="docs"><li><a href="{_href(prot.path)}"><img src="pdf.png" alt=""> Protokoll (Hoveddokument)</a></li></ul>
<h2>Saksliste</h2>
<div class="sak"><b>140/23</b> <b>23/123456</b> <span>Budsjett og økonomiplan 2024–2027 – kommunedirektørens forslag og formannskapets innstilling</span>
<div><a href="{_href(sf.path)}">Saksfremlegg | 2 MB</a></div></div>
<div class="sak"><b>141/23</b> <b>23/88888</b> <span>Valg av meddommere 2024-2027</span>
<div><a href="{_href(skip6)}">Saksfremlegg | 60 KB</a></div></div></div></body></html>"""
    path = f"{PORTAL_PAGE}?response=mote&moteid={mid}"
    s.page("portal", path, html, day)
    s.meetings.append({"moteid": mid, "path": path, "committee": "kommunestyret", "date": day,
                       "title": "Møte i Kommunestyret den 13.12.2023"})  # fmt: skip
    out["kommunestyret"] = path
    return out


def _build_landing(s: Site, meetings: dict[str, str]) -> None:
    L = LANDING

    def d(key: str, file: str, title: str, committee: str | None, doctype: str, day: str | None,
          first: list[str], text: str, source: str = L, year: int = 2024, period: str | None = PERIOD,
          **kw: object) -> Doc:  # fmt: skip
        path = file if file.startswith("/") else ASSETS + file
        return s.doc(Doc(key, "main", path, title, year, period, committee, doctype, day, first, text, source, **kw))  # type: ignore[arg-type]

    vedtak = d("vedtak", "/globalassets/dokumenter/politikk/budsjett/VEDTATT_BOP_2024-2027.PDF",
               "Budsjett og økonomiplan 2024–2027 vedtatt av kommunestyret 13. desember 2023", "kommunestyret", "vedtak",
               "2023-12-13", ["Bærum kommune", "Kommuneplanens handlingsdel", "Budsjett og økonomiplan 2024–2027",
                              "Vedtatt av kommunestyret 13. desember 2023"], "Vedtatt BØP 2024–2027", more_pages=3)  # fmt: skip
    forslag = d("forslag", "/contentassets/4f1c0e2a9b7d4c6e8a1b2c3d4e5f6a7b/kommunedirektorens-forslag-bop-2024-2027.pdf",
                "Kommunedirektørens forslag til budsjett og økonomiplan 2024-2027", None, "forslag", "2023-09-27",
                ["Budsjett og økonomiplan 2024–2027", "Kommunedirektørens forslag", "27. september 2023"],
                "Last ned (PDF, 2 MB)", more_pages=3)  # fmt: skip
    innst = d("innstilling", "/contentassets/9a8b7c6d5e4f30211203a4b5c6d7e8f9/innstilling-bop-2024-2027.pdf?download=1",
              "Formannskapets innstilling budsjett og økonomiplan 2024-2027", "formannskapet", "innstilling", "2023-11-29",
              ["Budsjett og økonomiplan 2024–2027", "Formannskapets innstilling 29. november 2023"],
              "Innstilling (PDF, 1,1 MB)")  # fmt: skip
    p_hbu = d("hbu-protokoll", "protokoll-hbu-10112023.pdf", "Protokoll Hovedutvalg for barn og unge 10.11.2023",
              "barn-og-unge", "protokoll", "2023-11-10",
              ["BÆRUM KOMMUNE", "MØTEPROTOKOLL", "Hovedutvalg for barn og unge", "Dato: 10.11.2023"],
              "Protokoll HBU 10.11.2023")  # fmt: skip
    p_eld = d("eldreradet-protokoll", "Protokoll%20Eldrer%C3%A5det%2020.11.23.pdf", "Protokoll Eldrerådet 20.11.2023",
              "eldreradet", "protokoll", "2023-11-20",
              ["BÆRUM KOMMUNE", "PROTOKOLL", "Eldrerådet", "Møtedato: 20.11.2023"], "Protokoll 20.11.23")  # fmt: skip
    p_fn = d("rpf-protokoll", "rpf-protokoll-211123.PDF", "Protokoll Råd for personer med funksjonsnedsettelse 21.11.2023",
             "funksjonsnedsettelse", "protokoll", "2023-11-21",
             ["BÆRUM KOMMUNE", "PROTOKOLL", "Råd for personer med funksjonsnedsettelse", "21.11.2023"],
             "Protokoll (PDF)")  # fmt: skip
    p_ung = d("ungdomsradet-protokoll", "ungdomsraadet_protokoll.pdf", "Protokoll Ungdomsrådet 22.11.2023",
              "ungdomsradet", "protokoll", "2023-11-22",
              ["BÆRUM KOMMUNE", "PROTOKOLL", "Ungdomsrådet", "22.11.2023"], "Ungdomsrådets protokoll")  # fmt: skip
    q_all = d("sporsmal-samlet", "sp%C3%B8rsm%C3%A5l-og-svar-samlet.pdf",
              "Spørsmål og svar budsjett og økonomiplan 2024-2027", None, "sporsmal", "2023-11-24",
              ["Spørsmål fra de folkevalgte med kommunedirektørens svar", "Budsjett og økonomiplan 2024-2027",
               "Spørsmål 1 fra Høyre: Hvor mange sykehjemsplasser ..."], "pdf")  # fmt: skip
    q_hbu = d("sporsmal-hbu", "HBU-sporsmal-1-12.pdf", "Spørsmål 1–12 HBU med svar", "barn-og-unge", "sporsmal",
              "2023-11-03", ["Spørsmål og svar", "Spørsmål 1: Hvor mange barnehageplasser ..."],
              "Spørsmål 1–12 med svar (PDF, 340 KB)")  # fmt: skip
    q_hbo = d("sporsmal-hbo", "svar-sp%C3%B8rsm%C3%A5l-ap-hbo.pdf", "Svar på spørsmål fra Arbeiderpartiet",
              "bistand-og-omsorg", "sporsmal", "2023-11-06",
              ["Svar på spørsmål fra Arbeiderpartiet", "Spørsmål: Hva koster Carpe Diem demenslandsby ..."],
              "Svar på spørsmål fra Arbeiderpartiet")  # fmt: skip
    q_hmik = d("sporsmal-hmik", "sporsmal-hmik-2024.pdf", "Spørsmål fra HMIK med svar", "miljo-idrett-og-kultur",
               "sporsmal", "2023-11-08", ["Spørsmål og svar", "Spørsmål 1: Kunstgress ..."], "HMIK (PDF, 120 KB)")  # fmt: skip
    inn_h = d("innspill-horing-hmik", "horingsmote-hmik-12102023.pdf", "Innspill fra høringsmøte 12.10.2023",
              "miljo-idrett-og-kultur", "innspill", "2023-10-12",
              ["Høringsmøte 12.10.2023", "Innspill fra lag og foreninger"], "12.10.2023")  # fmt: skip
    q_fsk = d("sporsmal-fsk", "fsk-runde2.pdf", "Spørsmål fra partiene, runde 2 – med svar", "formannskapet", "sporsmal",
              "2023-11-20", ["Spørsmål og svar, runde 2", "Spørsmål 31 fra Venstre: ..."],
              "Spørsmål fra partiene, runde 2 – med svar")  # fmt: skip
    notat = d("notat", "notat-skolekapasitet.pdf", "Notat: befolkningsprognose og skolekapasitet", None, "notat",
              "2023-10-20", ["Notat", "Fra: Kommunedirektøren", "Befolkningsprognose og skolekapasitet 2024-2027"],
              "her")  # fmt: skip
    inn1 = d("innspill-idrett", "innspill-idrettsradet.pdf", "Innspill fra Bærum idrettsråd", None, "innspill",
             "2023-10-30", ["Bærum idrettsråd", "Innspill til budsjett og økonomiplan 2024-2027",
                            "Nadderud stadion må prioriteres."], "Innspill fra Bærum idrettsråd")  # fmt: skip
    inn2 = d("innspill-tillitsvalgte", "Uttalelse%20fra%20hovedtillitsvalgte.pdf",
             "Uttalelse fra hovedtillitsvalgte og hovedverneombud", None, "innspill", "2023-11-01",
             ["Uttalelse", "Fra hovedtillitsvalgte og hovedverneombud", "Til budsjett og økonomiplan 2024-2027"],
             "Uttalelse fra hovedtillitsvalgte og hovedverneombud")  # fmt: skip
    inn3 = d("innspill-naeringsrad", "innspill-naeringsradet.docx", "Innspill fra Bærum Næringsråd", None, "innspill",
             "2023-10-25", ["Bærum Næringsråd", "Innspill til budsjett og økonomiplan 2024-2027"],
             "Innspill fra Bærum Næringsråd (Word, 45 KB)", docx=True)  # fmt: skip

    def a(doc: Doc, inner: str | None = None, blank: bool = False) -> str:
        tgt = ' target="_blank" rel="noopener noreferrer"' if blank else ""
        return f'<a href="{_href(doc.path)}"{tgt}>{inner or doc.link_text}</a>'

    portal = "{{PORTAL}}"
    body = f"""
<article class="article">
<h1 class="article__title">Kommuneplanens handlingsdel<br><span class="subtitle">Budsjett og økonomiplan 2024–2027</span></h1>
<p class="ingress">Budsjett og økonomiplan (BØP) viser hva kommunen skal bruke penger på det neste året og de
fire neste årene. Kommunestyret vedtok BØP 2024–2027 onsdag 13. desember 2023.</p>
<p class="article__meta">Sist oppdatert: 2024-02-01</p>

<section class="block block--cards"><h2>Vedtatt budsjett og økonomiplan</h2>
<div class="card-grid">{_card(vedtak.path, vedtak.link_text, "PDF, 6 MB")}
<a class="card card--external" href="https://bop2024.framsikt.net/" target="_blank"><span class="card__title">Les digital versjon (Framsikt)</span></a></div></section>

<section class="block"><h2>Kommunedirektørens forslag til budsjett og økonomiplan 2024-2027</h2>
<div class="card"><h3 class="card__heading">Kommunedirektørens forslag</h3><p>Lagt frem 27. september 2023.</p>
<a class="btn btn--download" href="{_href(forslag.path)}" target="_blank"><span class="icon icon--download"></span>{forslag.link_text}</a></div>
<p>Les også <a href="{NEWS}">saken om forslaget</a>.</p></section>

<details class="accordion"><summary class="accordion__summary"><h2 class="accordion__title">Formannskapets innstilling</h2></summary>
<div class="accordion__content"><p>Formannskapet behandlet saken 29.11.23. Innstillingen er lagt ut til offentlig ettersyn.</p>
<p><a href="{_href(innst.path)}"><i class="icon-pdf" aria-hidden="true"></i><span>{innst.link_text}</span></a></p>
<p><a href="{portal}{_href(meetings["formannskapet"])}">Se behandlingen i Møteportalen</a></p></div></details>

<section class="block"><h2>Behandling i hovedutvalg og råd</h2>
<table class="table table--striped"><thead><tr><th>Dato</th><th>Dokument</th><th>Utvalg</th></tr></thead><tbody>
<tr><td>10.11.2023</td><td>{a(p_hbu)}</td><td>Hovedutvalg for barn og unge</td></tr>
<tr><td>14. november 2023</td><td><a href="{portal}{_href(meetings["bistand-og-omsorg"])}">Møteportalen</a></td><td>Hovedutvalg for bistand og omsorg</td></tr>
<tr><td>2023-11-15</td><td><a href="{portal}{_href(meetings["miljo-idrett-og-kultur"])}" target="_blank">Sakskart og protokoll <span class="sr-only">(åpnes i nytt vindu)</span></a></td><td>HMIK</td></tr>
<tr><td>20.11.23</td><td>{a(p_eld)}</td><td>Eldrerådet</td></tr>
<tr><td>21.11.2023</td><td>{a(p_fn, blank=True)}</td><td>Råd for personer med funksjonsnedsettelse</td></tr>
<tr><td>22.11.2023</td><td>{a(p_ung)}</td><td>Ungdomsrådet</td></tr>
</tbody></table></section>

<section class="block"><h2>Spørsmål og svar</h2>
<p>Her publiseres spørsmål fra de folkevalgte og kommunedirektørens svar.</p>
<div class="card-grid">
<a class="card" href="{_href(q_hbu.path)}"><h3 class="card__title">Hovedutvalg for barn og unge</h3><span class="card__meta">{q_hbu.link_text}</span></a>
<a class="card" href="{_href(q_hbo.path)}"><h3 class="card__title">Hovedutvalg for bistand og omsorg</h3><span class="card__meta">{q_hbo.link_text}</span></a></div>
<p>Alle spørsmål og svar samlet i ett dokument: {a(q_all)}</p>
<p>Spørsmål fra {a(q_hmik)}</p>
<h3>Formannskapet</h3><ul class="link-list"><li>{a(q_fsk)}</li></ul></section>

<section class="block accordion-list"><h2>Høringsmøter</h2>
<div class="accordion-item"><h3 class="accordion-item__heading"><button aria-expanded="false" aria-controls="p1">Hovedutvalg for miljø, idrett og kultur</button></h3>
<div id="p1" class="accordion-item__panel" hidden><p>Innspill fra høringsmøtet i hovedutvalget: {a(inn_h)}</p></div></div></section>

<section class="block"><h2>Notater og innspill</h2>
<h3>Notater fra kommunedirektøren</h3>
<ul><li>Kommunedirektørens notat om befolkningsprognose og skolekapasitet finner du {a(notat)}.</li></ul>
<h3>Innspill</h3>
<ul><li>{a(inn1)}</li><li>{a(inn2)}</li><li>{a(inn3)}</li>
<li><a href="/intern/budsjett/innspill-mal.docx">Mal for innspill (for ansatte)</a></li></ul></section>

<section class="block"><h2>Kommunestyrets behandling</h2>
<p>Kommunestyret behandlet budsjett og økonomiplan 2024–2027 onsdag 13. desember 2023.</p>
<p><a href="{portal}{_href(meetings["kommunestyret"])}">Kommunestyrets møte 13.12.2023 (Møteportalen)</a></p></section>

<aside class="related"><h2>Relatert</h2><ul>
<li><a href="{ARCHIVE}">Eldre budsjetter</a></li>
<li><a href="https://www.ssb.no/kostra">KOSTRA (SSB)</a></li>
<li><a href="https://issuu.com/baeringen/docs/bop-2024-2027">Bla i BØP 2024–2027 (issuu)</a></li></ul></aside>
</article>"""
    s.page("main", L, _shell("Kommuneplanens handlingsdel Budsjett og økonomiplan 2024–2027", body))

    pres = d("presentasjon", "presentasjon-forslag-bop-2024.pdf", "Presentasjon av forslaget", None, "annet",
             "2023-09-27", ["Kommunedirektørens forslag", "Budsjett og økonomiplan 2024–2027", "Presentasjon 27.09.2023"],
             "Presentasjon av forslaget (PDF)", source=NEWS)  # fmt: skip
    news = f"""<article class="news"><p class="news__date"><time datetime="2023-09-27">27. september 2023</time></p>
<h1>Kommunedirektørens forslag til budsjett og økonomiplan 2024-2027</h1>
<p class="ingress">Kommunedirektøren foreslår et brutto driftsbudsjett på 13,9 milliarder kroner i 2024.</p>
<p>Tårnet senter, Berger sykehjem og Nadderud stadion er blant de store investeringene i perioden.</p>
<p><a href="{_href(forslag.path)}">Les hele forslaget her</a> · {a(pres)}</p>
<p>Les også: <a href="/aktuelt/nytt-bibliotek-pa-fornebu/">Nytt bibliotek på Fornebu</a></p></article>"""
    s.page("main", NEWS, _shell("Kommunedirektørens forslag til budsjett og økonomiplan 2024-2027", news), "2023-09-27")

    # Eldre budsjetter: mixed spellings, one old URL that now redirects.
    A = "/globalassets/arkiv/"

    def old(key: str, file: str, year: int, doctype: str, committee: str | None, title: str, first: list[str],
            text: str, day: str | None, **kw: object) -> Doc:  # fmt: skip
        return d(key, file if file.startswith("/") else A + file, title, committee, doctype, day, first, text,
                 source=ARCHIVE, year=year, period=f"{year}-{year + 3}", **kw)  # fmt: skip

    v23 = old("vedtak-2023", "bop-2023-2026-vedtatt.pdf", 2023, "vedtak", "kommunestyret",
              "Budsjett og økonomiplan 2023-2026 vedtatt", ["Budsjett og økonomiplan 2023–2026",
                                                          "Vedtatt av kommunestyret 30. november 2022"],
              "BØP 2023-2026 (pdf)", "2022-11-30")  # fmt: skip
    v22 = old("vedtak-2022", "Budsjett%20og%20%C3%B8konomiplan%202022-2025.pdf", 2022, "vedtak", "kommunestyret",
              "Budsjett og økonomiplan 2022-2025", ["Budsjett og økonomiplan 2022–2025",
                                                   "Bærum kommunestyres vedtak 1. desember 2021"],
              "Budsjett og økonomiplan 2022 - 2025", "2021-12-01")  # fmt: skip
    v21 = old("vedtak-2021", "hp_2021-2024_vedtatt.pdf", 2021, "vedtak", "kommunestyret", "HP 2021-2024 vedtatt",
              ["Handlingsprogram 2021–2024", "Vedtatt av kommunestyret 2. desember 2020"], "HP 2021-2024", "2020-12-02")  # fmt: skip
    v20 = old("vedtak-2020", "/styringsdokumenter/handlingsprogram-2020-2023/vedtatt.pdf", 2020, "vedtak",
              "kommunestyret", "Handlingsprogram 2020-2023 vedtatt", ["Handlingsprogram 2020–2023",
                                                                     "Vedtatt av kommunestyret 11. desember 2019"],
              "Handlingsprogram 2020–23", "2019-12-11", redirect_to=A + "hp-2020-2023-vedtatt.pdf")  # fmt: skip
    v19 = old("vedtak-2019", "HP2019-2022.pdf", 2019, "vedtak", "kommunestyret", "Handlingsprogram 2019-2022",
              ["Handlingsprogram 2019–2022", "Bærum kommunestyres vedtak 5. desember 2018"],
              "Handlingsprogram 2019-2022 (pdf)", "2018-12-05")  # fmt: skip
    f23 = old("forslag-2023", "kd-forslag-bop-2023-26.pdf", 2023, "forslag", None,
              "Kommunedirektørens forslag 2023–26", ["Budsjett og økonomiplan 2023–2026", "Kommunedirektørens forslag"],
              "Kommunedirektørens forslag 2023–26", "2022-09-28")  # fmt: skip
    f19 = old("forslag-2019", "radmannens-forslag-hp-2019-2022.pdf", 2019, "forslag", None,
              "Rådmannens forslag til handlingsprogram 2019–2022",
              ["Handlingsprogram 2019–2022", "Rådmannens forslag 26. september 2018"],
              "Rådmannens forslag til handlingsprogram 2019–2022, 26. september 2018", "2018-09-26")  # fmt: skip
    arch = f"""<article><h1>Eldre budsjetter</h1>
<p>Her finner du tidligere vedtatte budsjetter og handlingsprogram. Fra 2022 heter dokumentet budsjett og økonomiplan.</p>
<h2>Vedtatte budsjetter og handlingsprogram</h2>
<ul class="link-list"><li>{a(v23)}</li><li>{a(v22)}</li><li>{a(v21)} – vedtatt versjon</li><li>{a(v20)}</li><li>{a(v19)}</li></ul>
<h2>Forslag fra administrasjonen</h2>
<ul class="link-list"><li>{a(f23)}</li><li>{a(f19)}</li></ul>
<p><a href="{L}">Tilbake til gjeldende budsjett</a></p></article>"""
    s.page("main", ARCHIVE, _shell("Eldre budsjetter", arch))


def build_redesign(dest: Path) -> Path:
    """Write the redesigned site (files, routes.json, snapshots.json, truth.json) to dest."""
    dest = Path(dest)
    dest.mkdir(parents=True, exist_ok=True)
    s = Site(dest)
    meetings = _build_portal(s)
    _build_landing(s, meetings)
    docs = [
        TruthDoc(
            key=d.key, host=d.host, path=d.path, title=d.title, year=d.year, period=d.period,
            committee=d.committee, doctype=d.doctype, date=d.date,
            pages=None if d.docx else d.more_pages,
            media_type="docx" if d.docx else "pdf", content_type=DOCX_CT if d.docx else PDF_CT,
            link_text=d.link_text, source_page=d.source_page, final_path=d.redirect_to,
        )  # fmt: skip
        for d in s.docs
    ]
    truth = Truth(
        generator_version=GENERATOR_VERSION, variant=100, hosts=HOSTS, landing_path=LANDING, archive_path=ARCHIVE,
        html_pages=[LANDING, ARCHIVE, NEWS], portal_meetings=s.meetings, wayback_pages=[], documents=docs,
        fetch_failures=[], skipped=s.skipped, optional=s.optional, planted_words=[],
        never_request=[
            {"url": "https://www.facebook.com/baerumkommune", "why": "off-site"},
            {"url": "https://bop2024.framsikt.net/", "why": "off-site"},
            {"url": "https://issuu.com/baeringen/docs/bop-2024-2027", "why": "off-site"},
            {"host": "main", "path": "/intern/budsjett/innspill-mal.docx", "why": "robots.txt disallow"},
            {"host": "main", "path": "/intern/", "why": "robots.txt disallow"},
        ],
        robots_disallow=["/intern/", "/episerver/"],
    )  # fmt: skip
    (dest / "routes.json").write_text(json.dumps(s.routes, ensure_ascii=False, indent=1), encoding="utf-8")
    (dest / "snapshots.json").write_text("[]", encoding="utf-8")
    (dest / "truth.json").write_text(truth.to_json(), encoding="utf-8")
    assert len({canonical(unquote(r["key"])) for r in s.routes}) == len(s.routes), "duplicate route"
    return dest
