"""Build the sample site: documents, HTML pages, routes and the truth file.

Layout of a build directory:
  files/<host>/...   bodies (main-site files mirror their URL path)
  routes.json        (host, canonical path+query) -> file, content type, behaviour
  snapshots.json     Wayback captures: original path, timestamp, file, digest
  truth.json         the answer key (see sample.truth)
HTML may contain {{MAIN}}, {{PORTAL}} and {{WAYBACK}}; the server fills in its URLs.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import html
import json
import random
import re
import shutil
from dataclasses import asdict
from pathlib import Path
from urllib.parse import parse_qsl, urlencode

from sample import budgetline, pdfs, plants, protocols, reports, stages
from sample.content import TOPICS, UNIQUE_WORDS, DocText, Writer
from sample.truth import GENERATOR_VERSION, HOSTS, Truth, TruthDoc

LANDING = "/politikk-og-samfunn/politikk/handlingsprogram-og-budsjettplan/"
PORTAL_BASE = "/innsyn/politikk/"
MONTHS = [
    "januar", "februar", "mars", "april", "mai", "juni",
    "juli", "august", "september", "oktober", "november", "desember",
]  # fmt: skip
KST_DATES = {
    2016: (2015, 12, 16), 2017: (2016, 12, 7), 2018: (2017, 12, 6), 2019: (2018, 12, 5),
    2020: (2019, 12, 11), 2021: (2020, 12, 2), 2022: (2021, 12, 1), 2023: (2022, 11, 30),
    2024: (2023, 12, 13),
}  # fmt: skip
FORSLAG_DATES = {
    2017: (2016, 9, 28), 2018: (2017, 9, 27), 2019: (2018, 9, 26), 2020: (2019, 9, 24),
    2021: (2020, 9, 23), 2022: (2021, 9, 29),
}  # fmt: skip
FSK_DATES = {2019: (2018, 11, 20), 2021: (2020, 11, 18)}
COMMITTEES = {
    "kommunestyret": ("Kommunestyret", 1),
    "formannskapet": ("Formannskapet", 8),
    "barn-og-unge": ("Hovedutvalg for barn og unge", 19),
    "bistand-og-omsorg": ("Hovedutvalg for bistand og omsorg", 12),
    "miljo-idrett-og-kultur": ("Hovedutvalg for miljø, idrett og kultur", 26),
    "eldreradet": ("Eldrerådet", 7),
    "funksjonsnedsettelse": ("Råd for personer med funksjonsnedsettelse", 14),
    "ungdomsradet": ("Ungdomsrådet", 33),
    "samarbeid": ("Utvalg for samarbeid", 5),
    "kontrollutvalget": ("Kontrollutvalget", 18),
}
PDF = "application/pdf"
HTML = "text/html; charset=utf-8"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


# ---------------------------------------------------------------- small helpers


def period(s: int) -> str:
    return f"{s}-{s + 3}"


def plan_name(s: int) -> str:
    """Renamed to 'Budsjett og økonomiplan' from 2022-2025."""
    return "Handlingsprogram" if s <= 2021 else "Budsjett og økonomiplan"


def role(s: int) -> str:
    """'Rådmannens forslag' up to HP 2020-2023, 'Kommunedirektørens' after."""
    return "Rådmannens" if s <= 2020 else "Kommunedirektørens"


def chief(s: int) -> str:
    """The head of administration: 'rådmannen' until the 2020 title change."""
    return "rådmannen" if s <= 2020 else "kommunedirektøren"


def topic(s: int) -> str:
    """How the landing page names the whole process in a given year."""
    return "handlingsprogram og budsjett" if s <= 2021 else "budsjett og økonomiplan"


def _last_wednesday_of_september(year: int) -> dt.date:
    d = dt.date(year, 9, 30)
    return d - dt.timedelta(days=(d.weekday() - 2) % 7)


def kst_date(s: int) -> dt.date:
    return dt.date(*KST_DATES[s]) if s in KST_DATES else dt.date(s - 1, 12, 6)


def forslag_date(s: int) -> dt.date:
    return dt.date(*FORSLAG_DATES[s]) if s in FORSLAG_DATES else _last_wednesday_of_september(s - 1)


def fsk_date(s: int) -> dt.date:
    return dt.date(*FSK_DATES[s]) if s in FSK_DATES else kst_date(s) - dt.timedelta(days=14)


def long_date(d: dt.date) -> str:
    return f"{d.day}. {MONTHS[d.month - 1]} {d.year}"


def short_date(d: dt.date) -> str:
    return d.strftime("%d.%m.%Y")


def size_label(n: int) -> str:
    if n < 1024 * 1024:
        return f"{max(1, round(n / 1024))} KB"
    return f"{n / 1048576:.1f} MB".replace(".", ",")


def canonical(target: str) -> str:
    """Path plus sorted query, so 'moteid=1&response=mote' and the reverse are one route."""
    path, _, query = target.partition("?")
    pairs = sorted(parse_qsl(query, keep_blank_values=True))
    return path + ("?" + urlencode(pairs) if pairs else "")


def epoch(d: dt.date) -> int:
    return int(dt.datetime(d.year, d.month, d.day, 12, 0, tzinfo=dt.UTC).timestamp())


# ---------------------------------------------------------------- the builder


class SiteBuilder:
    """Accumulates files, routes and truth entries for one variant."""

    def __init__(self, dest: Path, variant: int) -> None:
        self.dest = dest
        self.variant = variant
        self.rng = random.Random(f"hparkiv-sample-{variant}")
        self.cur = {0: 2021, 1: 2022, 2: 2019}.get(variant) or self.rng.choice([2019, 2020, 2022, 2023])
        self.routes: list[dict] = []
        self.snapshots: list[dict] = []
        self.docs: list[TruthDoc] = []
        self.texts: dict[str, DocText] = {}
        self.fetch_failures: list[dict] = []
        self.never_request: list[dict] = []
        self.skipped: list[dict] = []
        self.optional: list[dict] = []
        self.meetings: list[dict] = []
        self.html_pages: list[str] = []
        self.planted_words: list[dict] = []
        self.wayback_pages: list[dict] = []
        self.plants: list[plants.Plant] = []
        self.search_plants: list[dict] = []
        self.bodies: dict[str, list[str]] = {}  # page texts of documents given as bytes (docx, scanned)
        self.truth: Truth | None = None

    # -- choices: variant 0 is canonical, others pick at random

    def pick(self, options: list):
        return options[0] if self.variant == 0 else self.rng.choice(options)

    def hex32(self) -> str:
        return "".join(self.rng.choice("0123456789abcdef") for _ in range(32))

    # -- storage

    def _file_for(self, host: str, target: str, ext: str) -> Path:
        if host == "main" and "?" not in target:
            rel = target.lstrip("/") + ("index.html" if target.endswith("/") else "")
        else:
            rel = hashlib.sha1(target.encode()).hexdigest()[:20] + ext
        return Path("files") / host / rel

    def add_route(
        self, host: str, target: str, body: bytes, ctype: str, when: dt.date, **behaviour
    ) -> None:
        ext = {PDF: ".pdf", HTML: ".html", DOCX: ".docx"}.get(ctype, ".bin")
        rel = self._file_for(host, target, ext)
        path = self.dest / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(body)
        route = {"host": host, "key": canonical(target), "file": str(rel), "ctype": ctype}
        route["last_modified"] = epoch(when)
        route.update(behaviour)
        self.routes.append(route)

    def add_redirect(self, host: str, target: str, location: str, status: int = 301) -> None:
        self.routes.append({"host": host, "key": canonical(target), "redirect": location, "status": status})

    def add_snapshot(self, original: str, ts: str, body: bytes, ctype: str) -> None:
        rel = Path("files") / "wayback" / f"{ts}-{hashlib.sha1(original.encode()).hexdigest()[:16]}"
        (self.dest / rel).parent.mkdir(parents=True, exist_ok=True)
        (self.dest / rel).write_bytes(body)
        digest = hashlib.sha1(body).hexdigest().upper()
        self.snapshots.append(
            {"original": original, "timestamp": ts, "file": str(rel), "ctype": ctype, "digest": digest,
             "length": len(body)}
        )  # fmt: skip

    # -- documents

    def add_doc(
        self,
        key: str,
        host: str,
        path: str,
        text: DocText | None,
        meta: dict,
        body: bytes | None = None,
        pdf_title: str | None = None,
        live: bool = True,
        **behaviour,
    ) -> TruthDoc:
        """Render (unless body is given), store, route and record a truth document."""
        if text is not None:
            plants.apply(key, text, self.plants, self.search_plants)
        if body is None:
            assert text is not None
            dropped: list = []
            body = pdfs.render_pdf(text.pages, title=pdf_title, running_head=meta.get("head", "Bærum kommune"),
                                   dropped=dropped)
            assert not dropped, (key, dropped[:1])  # the truth's page texts are exactly what is printed
        ctype = meta.pop("content_type", PDF)
        meta.pop("head", None)
        when = dt.date.fromisoformat(meta["date"]) if meta.get("date") else dt.date(meta["year"] - 1, 12, 1)
        doc = TruthDoc(key=key, host=host, path=path, pdf_title=pdf_title, content_type=ctype, **meta)
        if text is not None:
            doc.pages = doc.pages or len(text.pages)
            doc.planted = doc.planted or text.planted
            doc.tables = text.tables
            doc.decisions = text.decisions
            doc.series = text.series
            doc.closing = text.closing
            doc.budget_tables = text.budget_tables
            doc.layout_tables = text.layout_tables
            doc.proposed_decisions = text.proposed_decisions
            doc.parts = text.parts
            doc.date_evidence = doc.date_evidence or text.date_evidence
            self.texts[key] = text
        doc.fail_first = behaviour.get("fail_first", 0)
        if live:
            self.add_route(host, path, body, ctype, when, **behaviour)
        else:
            doc.only_in_wayback = True
            self.add_snapshot(path, doc.wayback_timestamp or "", body, ctype)
        doc._size = len(body)  # type: ignore[attr-defined]
        self.docs.append(doc)
        return doc

    def doc(self, key: str) -> TruthDoc:
        return next(d for d in self.docs if d.key == key)

    def link(self, key: str, text: str | None = None, source: str = "", size: str | None = None) -> str:
        """An <a> to a document; records link text and source page in the truth."""
        d = self.doc(key)
        label = text if text is not None else d.link_text
        if size == "pipe":
            label = f"{label} | {size_label(d._size)}"  # type: ignore[attr-defined]
        elif size == "paren":
            label = f"{label} (PDF, {size_label(d._size)})"  # type: ignore[attr-defined]
        if not d.link_text:
            d.link_text = label
        if source and not d.source_page:
            d.source_page = source
        href = d.path if d.host == "main" else "{{PORTAL}}" + d.path
        return f'<a href="{html.escape(href)}">{html.escape(label)}</a>'


# ---------------------------------------------------------------- document content


def hp_text(w: Writer, s: int, kind: str, n_pages: int, when: dt.date, cur: int | None = None) -> DocText:
    """A Handlingsprogram / BØP of plan year `s` (the archive's current year is `cur`): cover, contents,
    chapters, the key figures and the designed budget tables of sample/stages.py."""
    cur = s if cur is None else cur
    name = plan_name(s)
    if kind == "forslag":
        sub = f"{role(s)} forslag {long_date(when)}"
    elif kind == "innstilling":
        sub = f"Formannskapets innstilling {long_date(when)}"
    else:
        sub = f"Vedtatt av kommunestyret {long_date(when)}"
    t = DocText()
    t.pages.append([("h1", f"{name} {s}–{s + 3}"), ("h2", sub), ("p", w.paragraph(2))])
    chapters = [
        "1 Innledning", "2 Bærum 2024 – omstilling og prioritering", "3 Økonomiske rammebetingelser",
        "4 Barn og unge", "5 Bistand og omsorg", "6 Miljø, idrett og kultur", "7 Investeringer",
        "8 Klimaklok kommune", "C.1 Hovedoversikt netto driftsrammer", "C.4 Nøkkeltall",
    ]  # fmt: skip
    parts = []
    if kind == "vedtak":
        parts = [
            f"Del 1 – Bærum kommunestyrets vedtak {long_date(when)} (blå del)",
            "A Tekstvedtak",
            "B Særskilte vedtak",
            "C Hovedoversikter",
            f"Del 2 – {role(s)} forslag {long_date(forslag_date(s))} (hvit del)",
        ]
    t.pages.append([("h2", "Innhold"), ("lines", parts + chapters)])
    designed = stages.plan_pages(s, kind, n_pages, cur)
    for n in range(3, n_pages + 1):
        # The random stream is drawn as the earlier generator drew it, so the prose stays put.
        if n == 3:  # key figures with the planted budget line (sample/budgetline.py); same rng use as prose
            prose = w.prose_page(f"{chapters[n % len(chapters)]} (forts.)", 4)
            t.pages.append(budgetline.table_blocks(s, kind, "Hovedtall", prose[1][1]))
            t.series = budgetline.points(s, kind)
            t.budget_tables.append(stages.hovedtall(s, kind).truth(3))
            continue
        if n % 7 == 5:
            page, _header, _first = w.table_page(f"C.{n % 11 + 1} Hovedoversikt – netto driftsramme", s)
            page = [b for b in page if b[0] != "table"]
        else:
            page = w.prose_page(f"{chapters[n % len(chapters)]} (forts.)", 4)
        if s == cur and kind == "vedtak" and n == 11:  # the white part begins: the proposal, reprinted
            t.pages.append([("h1", f"Del 2 – {role(s)} forslag {long_date(forslag_date(s))} (hvit del)"), page[1]])
            continue
        placed = designed.get(n)
        if placed is None:
            t.pages.append(page)
            continue
        blocks = list(placed.blocks)
        if s == cur and kind == "vedtak" and n == 12:  # the white part's key figures: the proposal's
            blocks = budgetline.table_blocks(s, "forslag", "Hovedtall", page[1][1])
            t.series += [dict(pt, stage="forslag", part="hvit", family="hovedtall")
                         for pt in budgetline.points(s, "forslag", page=12)]
            t.budget_tables.append(stages.hovedtall(s, "forslag").truth(12, part="hvit"))
        t.pages.append(blocks)
        for table, part in placed.tables:
            t.budget_tables.append(table.truth(n, part=part))
            t.series += stages.series_points(table, n, part)
            if table.style == "table" and table.family == "netto_driftsrammer":
                t.tables.append({"page": n, "header": table.header(), "first_row": [table.rows[0].printed]
                                 + table.rows[0].cells})
    if kind == "vedtak":
        white = min([tb["page"] for tb in t.budget_tables if tb["part"] == "hvit"] + [12 if s == cur else n_pages + 1])
        white = 11 if s == cur else white
        t.parts = [{"part": "blå", "pages": [1, white - 1], "stage": "vedtak"}]
        if white <= n_pages:
            t.parts.append({"part": "hvit", "pages": [white, n_pages], "stage": "forslag"})
    if kind == "vedtak":  # pages 3-4 hold the text decisions (their prose drawn all the same);
        # the key figures follow "C Hovedoversikter" on page 4, as in a real adopted plan
        key_figures = t.pages[2]
        if s == cur:
            t.pages[2:4], t.decisions = protocols.vedtak_pages(s, name, period(s), chief(s))
        else:
            t.pages[2:4], t.decisions = protocols.tekstvedtak_pages(s, name, period(s))
        t.pages[3] = t.pages[3] + key_figures
        for pt in t.series:
            if pt["page"] == 3:
                pt["page"] = 4
        for tb in t.budget_tables:
            if tb["page"] == 3:
                tb["page"], tb["part"] = 4, "blå"
    elif kind == "innstilling" and s == cur:  # the recommended text decisions on page 4
        page4, t.proposed_decisions = protocols.innstilling_page(s, name, period(s), chief(s))
        t.pages[3] = page4
    for pt in t.series:
        pt.setdefault("family", "hovedtall")
        pt.setdefault("stage", kind)
        pt.setdefault("part", "blå" if kind == "vedtak" else None)
    return t


def short_text(w: Writer, heading: str, sub: str, n_pages: int) -> DocText:
    t = DocText()
    t.pages.append([("h1", heading), ("h2", sub), ("p", w.paragraph(3)), ("p", w.paragraph(3))])
    for n in range(2, n_pages + 1):
        t.pages.append(w.prose_page(f"{heading} – side {n}", 3))
    return t


def protocol_text(
    w: Writer, committee: str, when: dt.date, s: int, notes: dict[int, str], case: int, archive: str,
    others: list[tuple[str, str, str]] | None = None, layout: str = "protokoll", page_per_item: bool = False,
) -> DocText:
    """A protocol carrying decisions (sample.protocols); `notes` are planted sentences by page.

    Its text comes from its own random stream; the shared one still draws what the earlier
    generator drew (`Writer.protocol_page`), so every other document keeps its text.
    """
    pages_before = 2 if layout == "saksprotokoll" else 4 if page_per_item else 3  # main-site ones had 4
    for n in range(2, pages_before + 1):
        w.protocol_page(COMMITTEES[committee][0], f"{n:03d}", "")
    ctx = protocols.Context(
        rng=random.Random(f"{committee}-{when}-{layout}"), committee=committee, cname=COMMITTEES[committee][0],
        when=when, year=s, chief=chief(s), role=role(s), plan=plan_name(s), stab=stages.sector_label("stab", s),
        closing=protocols.closing_for(committee, when, layout), approval_only=committee == "kommunestyret",
    )
    t, decisions = protocols.protocol(ctx, case, archive, notes, layout=layout, others=others,
                                      page_per_item=page_per_item)
    t.decisions = decisions
    return t


def questions_text(w: Writer, s: int, heading: str, count: int) -> DocText:
    t = DocText()
    t.pages.append([("h1", heading), ("p", f"Det har kommet inn {count} spørsmål til {plan_name(s).lower()} {period(s)}.")])
    for q in range(1, count + 1):
        if (q - 1) % 3 == 0:
            t.pages.append([])
        t.pages[-1].extend(w.question(q))
    return t


# ---------------------------------------------------------------- the site


def build_site(dest: Path, variant: int) -> Truth:
    return build_builder(dest, variant).truth


def build_builder(dest: Path, variant: int) -> SiteBuilder:
    """Build the site into dest and return the builder (its texts are the page-text model of the
    documents, which sample/judgments.py judges queries against); `.truth` is the answer key."""
    b = SiteBuilder(dest, variant)
    s = b.cur
    w = Writer(b.rng, s)
    per, name = period(s), plan_name(s)
    ga = b.pick(["/globalassets/politikk/handlingsprogram", "/globalassets/dokumenter/budsjett", "/globalassets/hp"])
    slug = b.pick([f"hp-{s}-{s + 3}", f"handlingsprogram-{s}{s + 3}", f"bop-{s}-{(s + 3) % 100}"])
    kd, fd, fod = kst_date(s), fsk_date(s), forslag_date(s)
    b.plants = plants.plants(s, chief(s), kd, long_date(kd), long_date(fd), "HP" if s + 1 <= 2021 else "BØP")

    # ---- main plan documents
    t = hp_text(w, s, "vedtak", 156, kd)
    rare = "Kommunestyret ber om at snøbrøytingsentreprenørene får nye kontrakter fra neste vinter."
    t.plant(87, rare)
    t.pages[41].insert(1, ("lines", [f"{chief(s).capitalize()} skal sørge for at barne-", "hagene får full bemanning i planperioden."]))
    t.planted.append({"page": 42, "text": "hagene får full bemanning i planperioden."})
    b.planted_words += [
        {"word": "snøbrøytingsentreprenørene", "key": "vedtak-cur", "page": 87, "unique": True},
        {"word": "barnehagene", "key": "vedtak-cur", "page": 42, "unique": True, "hyphenated": True},
    ]
    b.add_doc(
        "vedtak-cur", "main", f"{ga}/{slug}/{b.pick(['handlingsprogram', 'vedtatt-budsjett', 'hp'])}-{s}-{s + 3}-vedtatt.pdf", t,
        {"title": f"{name} {per} – vedtatt av kommunestyret {long_date(kd)}", "year": s, "period": per,
         "committee": "kommunestyret", "doctype": "vedtak", "date": kd.isoformat(), "stage": "vedtak",
         "date_evidence": [first_page(f"Vedtatt av kommunestyret {long_date(kd)}"),
                           {"source": "link_context", "text": f"behandlet som én samlet sak i kommunestyret {long_date(kd)}"}]},
        pdf_title=f"{name} {per} vedtatt",
    )  # fmt: skip

    t = hp_text(w, s, "innstilling", 24, fd)
    t.plant(3, f"Formannskapet foreslår å øke rammen til {TOPICS[0]} med 12,5 mill. kroner i {s}.")
    b.add_doc(
        "innstilling-cur", "main", f"/contentassets/{b.hex32()}/formannskapets-innstilling-{s}-{s + 3}.pdf", t,
        {"title": f"Formannskapets innstilling – {name.lower()} og budsjett {per}", "year": s, "period": per,
         "committee": "formannskapet", "doctype": "innstilling", "date": fd.isoformat(), "stage": "innstilling",
         "date_evidence": [first_page(f"Formannskapets innstilling {long_date(fd)}")]},
        pdf_title=None,
    )  # fmt: skip

    t = hp_text(w, s, "forslag", 60, fod)
    t.plant(17, "Med dagens vekst vil barnehageplassene på Fornebu ikke dekke behovet før 2026.")
    b.planted_words.append({"word": "barnehageplassene", "key": "forslag-cur", "page": 17, "unique": True})
    b.add_doc(
        "forslag-cur", "main", f"{ga}/{slug}/{ascii_slug(role(s))}-forslag-{s}.pdf", t,
        {"title": f"{role(s)} forslag til {name.lower()} {per}", "year": s, "period": per, "committee": None,
         "doctype": "forslag", "date": fod.isoformat(), "stage": "forslag",
         "date_evidence": [first_page(f"{role(s)} forslag {long_date(fod)}"),
                           {"source": "link_context", "text": f"la frem sitt forslag til {name} {per} "
                            f"{fod.day}.{MONTHS[fod.month - 1]} {fod.year}"}]},
        pdf_title="Microsoft Word - HP_utkast_v7.docx",
    )  # fmt: skip

    t = questions_text(w, s, f"Spørsmål og svar – {name.lower()} {per} (samledokument)", 50)
    t.plant(5, "Svar: Kostnaden for ny kunstgressbane på Nadderud stadion er beregnet til 14 350 000 kroner.")
    qd = fd - dt.timedelta(days=3)
    t.pages[0].insert(1, ("p", f"Sandvika, {long_date(qd)}"))
    quote_answer(t, s, 7)
    b.add_doc(
        "sporsmal-cur", "main", f"/contentassets/{b.hex32()}/samledokument-sporsmal-og-svar-hp-{s}.pdf", t,
        {"title": f"Spørsmål fra politikerne og {chief(s)}s svar {per} – samledokument", "year": s,
         "period": per, "committee": None, "doctype": "sporsmal", "date": qd.isoformat(),
         "date_evidence": [first_page(f"Sandvika, {long_date(qd)}")]},
        pdf_title=f"Samledokument spørsmål og svar {per}",
    )  # fmt: skip

    # ---- committee documents on the main site (committee known only from the accordion heading)
    hu = {"barn-og-unge": 8, "bistand-og-omsorg": 7, "miljo-idrett-og-kultur": 6, "eldreradet": 9}
    for c, back in hu.items():
        when = fd - dt.timedelta(days=back)
        note = f"{COMMITTEES[c][0]} anbefaler at {TOPICS[back]} prioriteres i {s}."
        yy = when.year % 100
        # Cases 002-004 with the archive cases yy/13890-13892 as the portal prints them, one item a page.
        others = [(f"003/{yy}", f"{yy}/13891", "Godkjenning av protokoll"), (f"004/{yy}", f"{yy}/13892", "")]
        t = protocol_text(w, c, when, s, {2: note}, 2, f"{yy}/13890", others=others, page_per_item=True)
        b.add_doc(
            f"protokoll-{c}", "main", f"/contentassets/{b.hex32()}/{b.pick(['protokoll', 'prot', 'behandling'])}-{c[:4]}-{when:%d%m%y}.pdf",
            t, {"title": f"Protokoll {COMMITTEES[c][0]} {short_date(when)}", "year": s, "period": per, "committee": c,
                "doctype": "protokoll", "date": when.isoformat(),
                "date_evidence": [first_page(f"Protokoll {COMMITTEES[c][0]} {short_date(when)}")]},
            pdf_title=None, fail_first=2 if c == "miljo-idrett-og-kultur" else 0,
        )  # fmt: skip
    for c in ("barn-og-unge", "bistand-og-omsorg"):
        t = questions_text(w, s, f"Spørsmål og svar {COMMITTEES[c][0]} – {name.lower()} {per}", 9)
        t.plant(3, f"Svar: Ventelisten til {TOPICS[4 if c == 'barn-og-unge' else 2]} er redusert med {7 + len(c)} personer.")
        qdate = fd - dt.timedelta(days=10)
        # the second one's date line is a typo no calendar has: its date cannot be read
        printed = f"Dato: {short_date(qdate)}" if c == "barn-og-unge" else f"Dato: 31.11.{qdate.year}"
        t.pages[0].insert(1, ("p", printed))
        b.add_doc(
            f"sporsmal-{c}", "main", f"/contentassets/{b.hex32()}/sporsmal-og-svar-{c}.pdf", t,
            {"title": f"Spørsmål og svar {COMMITTEES[c][0]} {per}", "year": s, "period": per, "committee": c,
             "doctype": "sporsmal", "date": qdate.isoformat() if c == "barn-og-unge" else None,
             "date_evidence": [first_page(printed) if c == "barn-og-unge" else
                               dict(first_page(printed), unreadable=True)]},
            pdf_title="Spørsmål og svar" if c == "barn-og-unge" else None,
        )  # fmt: skip
    when = fd - dt.timedelta(days=12)
    t = short_text(w, "Innspill fra Bærum idrettsråd", f"Til {COMMITTEES['miljo-idrett-og-kultur'][0].lower()}", 2)
    t.plant(1, "Idrettsrådet ber om at kulturhusparkeringen på Sandvika omgjøres til ballbinge.")
    t.pages[0].insert(2, ("p", f"Sandvika, {long_date(when)}"))
    b.planted_words.append({"word": "kulturhusparkeringen", "key": "innspill-miljo-idrett-og-kultur", "page": 1, "unique": True})
    b.add_doc(
        "innspill-miljo-idrett-og-kultur", "main", f"/contentassets/{b.hex32()}/innspill-idrettsradet-{s}.pdf", t,
        {"title": "Innspill fra Bærum idrettsråd", "year": s, "period": per, "committee": "miljo-idrett-og-kultur",
         "doctype": "innspill", "date": when.isoformat(),
         "date_evidence": [first_page(f"Sandvika, {long_date(when)}")]},
    )  # fmt: skip
    rad_date = fd - dt.timedelta(days=9)
    paragraphs = [f"Innspill til {name.lower()} {per} fra {COMMITTEES['funksjonsnedsettelse'][0]}",
                  f"Sandvika, {long_date(rad_date)}",
                  "Rådet ber om at universell utforming prioriteres ved bygging av Haug skole."]
    docx = pdfs.render_docx(paragraphs)
    b.bodies["innspill-funksjonsnedsettelse"] = [" ".join(paragraphs)]
    b.add_doc(
        "innspill-funksjonsnedsettelse", "main", f"/contentassets/{b.hex32()}/innspill-radet-{s}.docx", None,
        {"title": f"Innspill fra {COMMITTEES['funksjonsnedsettelse'][0]}", "year": s, "period": per,
         "committee": "funksjonsnedsettelse", "doctype": "innspill", "date": rad_date.isoformat(),
         "date_evidence": [first_page(f"Sandvika, {long_date(rad_date)}")],
         "media_type": "docx", "content_type": DOCX, "pages": None,
         "planted": [{"page": 1, "text": "Rådet ber om at universell utforming prioriteres ved bygging av Haug skole."}]},
        body=docx,
    )  # fmt: skip
    t = short_text(w, "Uttalelse fra hovedverneombudet og fagforeningene", f"{name} {per}", 3)
    t.plant(2, "Fagforeningene advarer mot at effektiviseringskravet rammer grunnbemanningen.")
    t.pages[0].insert(2, ("p", f"Bærum kommune, {long_date(fd - dt.timedelta(days=5))}"))
    # Typed on a keyboard without æøå, as input from outside often is (folding must find it).
    t.plant(3, "Vi ber om at Baerum kommune ma sikre okonomien til snobroytingsentreprenorene for aa beholde dem.")
    b.add_doc(
        "innspill-samarbeid", "main", f"/contentassets/{b.hex32()}/uttalelse-fagforeninger-{s}.pdf", t,
        {"title": "Uttalelse fra hovedverneombudet og fagforeningene", "year": s, "period": per,
         "committee": "samarbeid", "doctype": "innspill", "date": (fd - dt.timedelta(days=5)).isoformat(),
         "date_evidence": [first_page(f"Bærum kommune, {long_date(fd - dt.timedelta(days=5))}")]},
    )  # fmt: skip
    t = short_text(w, f"Notat fra {chief(s)}", "Befolkningsprognose og sykehjemsplasser", 3)
    t.plant(2, "Behovet for sykehjemsplasser øker med om lag 40 plasser per år fra 2024.")
    t.pages[0].insert(2, ("p", f"Dato: {short_date(fd - dt.timedelta(days=4))}"))
    quote_notat(t, s, 3)
    b.add_doc(
        "notat-cur", "main", f"/contentassets/{b.hex32()}/notat-sykehjemsplasser.pdf", t,
        {"title": f"Notat fra {chief(s)}: Befolkningsprognose og sykehjemsplasser", "year": s, "period": per,
         "committee": None, "doctype": "notat", "date": (fd - dt.timedelta(days=4)).isoformat(),
         "date_evidence": [first_page(f"Dato: {short_date(fd - dt.timedelta(days=4))}")]},
    )  # fmt: skip

    # ---- calendar-year reports linked without a date; the first page states it (issue 20)
    t = reports.financial_report(s - 1, s)
    b.add_doc(
        "okonomimelding", "main", f"/contentassets/{b.hex32()}/okonomimelding-ii-{s - 1}.pdf", t,
        {"title": f"Økonomimelding II {s - 1}", "year": s - 1, "period": None, "committee": None, "doctype": "annet",
         "date": dt.date(s - 1, 10, 7).isoformat()},
        pdf_title=None,
    )  # fmt: skip
    boss = ("Geir B. Aga", "kommunedirektør") if s - 1 >= 2020 else ("Erik Kjeldstadli", "rådmann")
    t = reports.annual_report(s - 2, *boss)
    b.add_doc(
        "arsrapport", "main", f"/contentassets/{b.hex32()}/arsrapport-{s - 2}.pdf", t,
        {"title": f"Årsrapport {s - 2}", "year": s - 2, "period": period(s - 2), "committee": None,
         "doctype": "annet", "date": dt.date(s - 1, 3, 12).isoformat()},
        pdf_title=f"Årsrapport {s - 2}",
    )  # fmt: skip
    # ---- a Nynorsk public input on the innstilling (issue 18)
    nn_date = fd + dt.timedelta(days=7)
    t = DocText(pages=plants.nynorsk_pages(s, per, name, nn_date, fd + dt.timedelta(days=1), long_date))
    b.add_doc(
        "innspill-nynorsk", "main", f"/contentassets/{b.hex32()}/hoyringsinnspel-baerum-maallag.pdf", t,
        {"title": "Høyringsinnspel frå Bærum Mållag", "year": s, "period": per, "committee": None,
         "doctype": "innspill", "date": nn_date.isoformat(),
         "date_evidence": [first_page(f"Sandvika, {long_date(nn_date)}")]},
        pdf_title=None,
    )  # fmt: skip

    # ---- bad inputs on the landing page
    scan_sentence = "Velforeningen ber om gatelys langs skoleveien til Haug skole."
    scan_date = f"Lommedalen, {long_date(fd - dt.timedelta(days=6))}"
    scan_lines = ["Lommedalen velforening", f"Innspill til {name.lower()}", per, scan_date, "", *split_half(scan_sentence)]
    scanned = pdfs.render_scanned(scan_lines)
    b.bodies["innspill-skannet"] = [" ".join(scan_lines)]
    b.add_doc(
        "innspill-skannet", "main", f"/contentassets/{b.hex32()}/innspill-lommedalen-velforening.pdf", None,
        {"title": "Innspill fra Lommedalen velforening", "year": s, "period": per, "committee": None,
         "doctype": "innspill", "date": (fd - dt.timedelta(days=6)).isoformat(), "status": "no_text", "pages": 1,
         "date_evidence": [dict(first_page(scan_date), ocr=True)],
         "ocr": True, "planted": [{"page": 1, "text": scan_sentence}]},
        body=scanned,
    )  # fmt: skip
    b.add_doc(
        "innspill-tom", "main", f"/contentassets/{b.hex32()}/innspill-naeringsforeningen.pdf", None,
        {"title": "Innspill fra næringsforeningen", "year": s, "period": per, "committee": None,
         "doctype": "innspill", "date": None, "status": "failed", "error_contains": "empty", "pages": None},
        body=b"",
    )  # fmt: skip
    kontroll = hp_text(w, s, "forslag", 2, fod)
    b.add_doc(
        "kontroll-kryptert", "main", f"/contentassets/{b.hex32()}/budsjett-kontroll-og-tilsyn-{s}.pdf", None,
        {"title": f"Kontrollutvalgets forslag til budsjett for kontroll og tilsyn {s}", "year": s, "period": None,
         "committee": "kontrollutvalget", "doctype": "innspill", "date": None,
         "status": "failed", "error_contains": "encrypt", "pages": 2},
        body=pdfs.render_pdf(kontroll.pages, title="Kontroll og tilsyn", encrypt="rokus"),
    )  # fmt: skip

    # ---- archive documents (earlier periods)
    arch: dict[int, dict[str, str]] = {}
    for p in [s - 5, s - 4, s - 3, s - 2, s - 1, s + 1]:
        pslug = b.pick([f"{p}-{p + 3}", f"{p}{p + 3}", f"{p}-{(p + 3) % 100}", f"{p}---{p + 3}"])
        arch[p] = {"slug": pslug}
        pk = kst_date(p)
        t = hp_text(w, p, "vedtak", 10 + (p % 7) * 3, pk, cur=s)
        t.plant(3, f"Netto driftsresultat for {p} er budsjettert til {nok_simple(600 + (p % 10) * 37)} mill. kroner.")
        path = f"{ga}/arkiv/{ascii_slug(plan_name(p))}-{pslug}-vedtatt.pdf"
        behaviour = {}
        if p == s - 3:  # this one moved: the old link answers with a redirect
            old = path
            path = f"{ga}/arkiv/{p}/hp-{pslug}.pdf"
            b.add_redirect("main", old, path, 301)
            arch[p]["old"] = old
        d = b.add_doc(
            f"vedtak-{p}", "main", path, t,
            {"title": f"{plan_name(p)} {period(p)} – vedtatt av kommunestyret {long_date(pk)}", "year": p,
             "period": period(p), "committee": "kommunestyret", "doctype": "vedtak", "date": pk.isoformat(),
             "stage": "vedtak", "date_evidence": [first_page(f"Vedtatt av kommunestyret {long_date(pk)}")]},
            pdf_title=f"{plan_name(p)} {period(p)}" if p % 2 else None, **behaviour,
        )  # fmt: skip
        if p == s - 3:
            d.final_path = path
            d.path = arch[p]["old"]
    for p in (s - 4, s + 1):
        pf = forslag_date(p)
        t = hp_text(w, p, "forslag", 12, pf, cur=s)
        t.plant(4, f"{role(p)} forslag innebærer en driftsramme på {nok_simple(8000 + (p - 2015) * 450)} mill. kroner.")
        b.add_doc(
            f"forslag-{p}", "main", f"/contentassets/{b.hex32()}/{ascii_slug(role(p))[:6]}-forslag-{arch[p]['slug']}.pdf", t,
            {"title": f"{role(p)} forslag til {plan_name(p).lower()} {period(p)}", "year": p, "period": period(p),
             "committee": None, "doctype": "forslag", "date": pf.isoformat(), "stage": "forslag",
             "date_evidence": [first_page(f"{role(p)} forslag {long_date(pf)}")]},
            pdf_title=f"{role(p)} forslag {period(p)}",
        )  # fmt: skip
    # Only the first page tells what this is; the archive page calls it just "pdf".
    p = s - 2
    pf = forslag_date(p)
    t = hp_text(w, p, "forslag", 14, pf, cur=s)
    t.plant(1, f"{plan_name(p)} {p}–{p + 3} {role(p)} forslag {long_date(pf)}")
    b.add_doc(
        f"forslag-{p}", "main", f"/contentassets/{b.hex32()}/dokument{b.rng.randint(100, 999)}.pdf", t,
        {"title": f"{role(p)} forslag til {plan_name(p).lower()} {period(p)}", "year": p, "period": period(p),
         "committee": None, "doctype": "forslag", "date": pf.isoformat(), "stage": "forslag",
         "date_evidence": [first_page(f"{role(p)} forslag {long_date(pf)}")],
         "planted": [{"page": 1, "text": f"{plan_name(p)} {p}–{p + 3}"}, {"page": 1, "text": f"{role(p)} forslag {long_date(pf)}"}]},
        pdf_title=None,
    )  # fmt: skip
    p = s - 5
    broken = pdfs.truncate(pdfs.render_pdf(hp_text(w, p, "forslag", 6, forslag_date(p), cur=s).pages))
    b.add_doc(
        f"forslag-{p}", "main", f"/contentassets/{b.hex32()}/{ascii_slug(role(p))[:6]}-forslag-{arch[p]['slug']}.pdf", None,
        {"title": f"{role(p)} forslag til {plan_name(p).lower()} {period(p)}", "year": p, "period": period(p),
         "committee": None, "doctype": "forslag", "date": None, "status": "failed", "stage": "forslag",
         "error_contains": "corrupt", "pages": None},
        body=broken,
    )  # fmt: skip
    p = s - 3
    soft404 = page_html("Siden finnes ikke", "<p>Beklager, vi finner ikke siden du leter etter.</p>", "").encode()
    b.add_doc(
        f"forslag-{p}", "main", f"{ga}/arkiv/{ascii_slug(role(p))[:6]}-forslag-{arch[p]['slug']}.pdf", None,
        {"title": f"{role(p)} forslag til {plan_name(p).lower()} {period(p)}", "year": p, "period": period(p),
         "committee": None, "doctype": "forslag", "date": None, "status": "failed", "stage": "forslag",
         "error_contains": "html", "pages": None, "content_type": HTML},
        body=soft404,
    )  # fmt: skip

    # ---- documents only left in the Wayback Machine (previous year's landing page)
    p = s - 1
    pf = forslag_date(p)
    t = hp_text(w, p, "forslag", 20, pf, cur=s)
    t.plant(6, f"Tema for {p} er bærekraft, og {TOPICS[1]} tas i bruk i {p + 1}.")
    b.add_doc(
        f"forslag-{p}", "main", f"{ga}/{b.pick(['hp', 'handlingsprogram'])}-{p}/{ascii_slug(role(p))[:6]}s-forslag-hp-{period(p)}.pdf", t,
        {"title": f"{role(p)} forslag til {plan_name(p).lower()} {period(p)}", "year": p, "period": period(p),
         "committee": None, "doctype": "forslag", "date": pf.isoformat(), "wayback_timestamp": f"{p - 1}1001083000",
         "stage": "forslag", "date_evidence": [first_page(f"{role(p)} forslag {long_date(pf)}")]},
        pdf_title=f"{plan_name(p)} {period(p)}", live=False,
    )  # fmt: skip
    t = questions_text(w, p, f"Spørsmål og svar {period(p)}", 12)
    t.plant(2, f"Svar: Utbyggingen av {TOPICS[2]} er forsinket med ett år.")
    t.pages[0].insert(1, ("p", f"Sandvika, {long_date(fsk_date(p) - dt.timedelta(days=3))}"))
    b.add_doc(
        f"sporsmal-{p}", "main", f"/contentassets/{b.hex32()}/sporsmal-og-svar-{period(p)}.pdf", t,
        {"title": f"Spørsmål og svar {plan_name(p).lower()} {period(p)}", "year": p, "period": period(p),
         "committee": None, "doctype": "sporsmal", "date": (fsk_date(p) - dt.timedelta(days=3)).isoformat(),
         "wayback_timestamp": f"{p - 1}1120101500",
         "date_evidence": [first_page(f"Sandvika, {long_date(fsk_date(p) - dt.timedelta(days=3))}")]},
        live=False,
    )  # fmt: skip

    build_portal(b, w, s)
    build_pages(b, s, ga, arch)
    check_unique_words(b)
    processes = budget_processes(b, s)
    truth = Truth(
        generator_version=GENERATOR_VERSION, variant=variant, hosts=dict(HOSTS), landing_path=LANDING,
        archive_path=b.archive_path, html_pages=b.html_pages, portal_meetings=b.meetings,
        wayback_pages=b.wayback_pages, documents=b.docs, fetch_failures=b.fetch_failures,
        never_request=b.never_request, skipped=b.skipped, optional=b.optional, planted_words=b.planted_words,
        robots_disallow=["/intern/"], budget_processes=processes, search_plants=b.search_plants,
    )  # fmt: skip
    for d in b.docs:
        d.__dict__.pop("_size", None)
    (dest / "routes.json").write_text(json.dumps(b.routes, ensure_ascii=False, indent=0), encoding="utf-8")
    (dest / "snapshots.json").write_text(json.dumps(b.snapshots, ensure_ascii=False, indent=0), encoding="utf-8")
    b.truth = truth
    return b


STEPS = ("forslag", "sporsmal", "innspill", "hovedutvalg", "innstilling", "hoering", "vedtak")


def budget_processes(b: SiteBuilder, s: int) -> list[dict]:
    """The answer key of issue 17, one record per plan period (sample/stages.py explains the design)."""
    keys = {d.key for d in b.docs}
    out = []
    for p in sorted({d.year for d in b.docs if d.period and d.stage}):
        per = period(p)
        if p == s:
            stage_docs = {"forslag": ["forslag-cur"], "innstilling": ["innstilling-cur"], "vedtak": ["vedtak-cur"]}
        else:
            stage_docs = {st: [k] for st, k in (("forslag", f"forslag-{p}"), ("vedtak", f"vedtak-{p}")) if k in keys}
        rec = stages.process_truth(p, s, b.docs, stage_docs)
        steps: dict[str, list[str]] = {step: [] for step in STEPS}
        for d in b.docs:
            if d.period != per or d.doctype == "annet":
                continue
            if d.doctype in ("forslag", "sporsmal", "vedtak"):
                steps[d.doctype].append(d.key)
            elif d.doctype == "notat":
                steps["sporsmal"].append(d.key)
            elif d.key == "innspill-nynorsk":
                steps["hoering"] += ["innstilling-cur", d.key]
            elif d.doctype == "innspill":
                steps["innspill"].append(d.key)
            elif d.committee == "kommunestyret":
                steps["vedtak"].append(d.key)
            elif d.committee == "formannskapet" or d.doctype == "innstilling":
                steps["innstilling"].append(d.key)
            elif d.doctype in ("protokoll", "saksframlegg"):
                steps["hovedutvalg"].append(d.key)
        rec["steps"] = steps
        rec["missing_steps"] = [step for step, docs in steps.items() if not docs]
        rec["quoted"] = quoted_cells(b, p, s)
        rec["renamings"] = [{"from": stages.OLD_STAB, "to": stages.NEW_STAB, "last_old_period": period(stages.RENAMED_IN - 1),
                             "first_new_period": period(stages.RENAMED_IN),
                             "shown_in": [{"doc": d.key, "page": t["page"], "text": t["notes"][0]}
                                          for d in b.docs for t in d.budget_tables if t["notes"]]}]
        rec["other_tables"] = [{"doc": d.key, **t} for d in b.docs for t in d.budget_tables
                               if t["family"] == "annet" and t["period"] == per]
        if p == s:
            vedtak, innst = b.doc("vedtak-cur"), b.doc("innstilling-cur")
            kst = next(x for x in b.doc("portal-kommunestyret-protokoll").decisions if x["title"].startswith(plan_name(s)))
            rec["decisions"] = {
                "tekstvedtak": {"innstilling": {"doc": innst.key, "page": 4, "points": innst.proposed_decisions},
                                "vedtak": {"doc": vedtak.key, "pages": [3, 4],
                                           "points": [{k: x[k] for k in ("section", "number", "decision")}
                                                      for x in vedtak.decisions]},
                                **stages.decisions_diff(innst.proposed_decisions,
                                                        [{k: x[k] for k in ("section", "number", "decision")}
                                                         for x in vedtak.decisions], protocols.SAME_POINT)},
                "verbal": {"doc": "portal-kommunestyret-protokoll", "case": kst["case"], "pages": kst["pages"],
                           **stages.verbal_diff(kst["recommendation"], kst["decision"])},
            }
            rec["line_votes"] = line_votes(b)
            rec["precedence"] = precedence_cases(b, rec, s)
        else:
            rec["decisions"], rec["line_votes"] = None, []
            rec["precedence"] = [{"case": "only_vedtak" if "forslag" not in stage_docs or
                                  b.doc(stage_docs["forslag"][0]).status != "ok" else "forslag_and_vedtak",
                                  "rule": "no readable proposal: nothing to compare; the adopted figures stand alone"
                                  if "forslag" not in stage_docs or b.doc(stage_docs["forslag"][0]).status != "ok"
                                  else "changes are forslag → vedtak; there is no innstilling in the archive"}]
        out.append(rec)
    return out


def quoted_cells(b: SiteBuilder, p: int, s: int) -> list[dict]:
    """Figures a notat or an answer quotes: never the adopted ones; `outdated` where the adopted plan differs."""
    out = []
    for d in b.docs:
        for t in d.budget_tables:
            if t["rank"] != "quoted" or t["period"] != period(p):
                continue
            for r in t["rows"]:
                for col, v, kr, cell in zip(t["columns"], r["values"], r["values_kr"], r["cells"], strict=True):
                    line = r["label"]
                    area = next((a for a in stages.AREAS if a.name == line), None)
                    if area is not None:
                        adopted = stages.value(p, col["year"], area.code, "vedtak", s) * stages.T
                    else:
                        key = next(k for k in stages.SECTORS if line.endswith(stages.SECTOR_NAMES.get(k, "-").lower()))
                        adopted = stages.sector_value(p, col["year"], key, "vedtak", s) * stages.T
                    out.append({"doc": d.key, "page": t["page"], "table": t["caption"], "label": line,
                                "year": col["year"], "value": v, "value_kr": kr, "printed": cell,
                                "quotes_stage": t["quotes_stage"], "adopted_kr": adopted, "outdated": kr != adopted})
    return out


def line_votes(b: SiteBuilder) -> list[dict]:
    """Adopted (and fallen) proposals that name budget lines, with the vote that decided them."""
    out = []
    for key in ("portal-formannskapet-protokoll", "portal-kommunestyret-protokoll"):
        d = b.doc(key)
        for item in d.decisions:
            for prop in item["proposals"]:
                if "lines" not in prop:
                    continue
                v = next(v for v in item["votes"] if v["motion"] and prop["by"] in v["motion"])
                out.append({"doc": key, "case": item["case"], "pages": item["pages"], "committee": d.committee,
                            "stage": "innstilling" if d.committee == "formannskapet" else "vedtak",
                            "proposal_by": prop["by"], "proposal": prop["text"], "lines": prop["lines"],
                            "vote": {k: v[k] for k in ("text", "result", "for", "against", "parties_against")}})
    return out


def precedence_cases(b: SiteBuilder, rec: dict, s: int) -> list[dict]:
    """The cases where which value is *the* value needs a rule, and the ones no rule settles."""
    vedtak, forslag = b.doc("vedtak-cur"), b.doc("forslag-cur")
    white = [t for t in vedtak.budget_tables if t["part"] == "hvit"]
    c1_white = next(t for t in white if t["family"] == "netto_driftsrammer" and t["caption"].startswith("Tabell 3.1"))
    c1_blue = next(t for t in vedtak.budget_tables if t["part"] == "blå" and t["caption"].startswith("C.1"))
    row = next(i for i, r in enumerate(c1_blue["rows"]) if r["label"] == "Barn og unge")
    cases = [
        {"case": "hvit_del", "doc": vedtak.key, "parts": vedtak.parts,
         "tables": [{"page": t["page"], "family": t["family"], "caption": t["caption"]} for t in white],
         "rule": "the adopted plan's white part reprints the proposal: its tables are stage forslag, never vedtak",
         "example": {"label": "Barn og unge", "year": s, "white_page": c1_white["page"],
                     "white_value": c1_white["rows"][row]["values"][1], "blue_page": c1_blue["page"],
                     "adopted_value": c1_blue["rows"][row]["values"][1],
                     "forslag_doc_page": next(t["page"] for t in forslag.budget_tables
                                              if t["caption"].startswith("Tabell 3.1"))}},
        {"case": "revidert", "doc": forslag.key,
         "page": next(t["page"] for t in forslag.budget_tables if t["caption"].startswith("Tabell 3.1")),
         "column": f"Revidert budsjett {s - 1}",
         "rule": "a revised budget is kind revidert: never the adopted budget of its year (that is the vedtak of "
                 f"plan {period(s - 1)})"},
        {"case": "quoted", "docs": sorted({q["doc"] for q in rec["quoted"]}),
         "rule": "a table quoted in a notat or an answer ranks below the plan documents: it never sets a stage's value",
         "outdated": [q for q in rec["quoted"] if q["outdated"]][:3]},
        {"case": "prior_year_column", "rule": f"'Budsjett {s - 1}' and 'Vedtatt {s - 1}' columns repeat the adopted "
         f"budget of {s - 1} (the vedtak of plan {period(s - 1)}): equal, no conflict"},
        {"case": "projection", "rule": f"plan {period(s - 1)}'s figures for {s} are projections; the adopted budget for "
         f"{s} is plan {period(s)}'s vedtak"},
    ]
    for c in rec["conflicts"]:
        cases.append({"case": "conflict", "family": c["family"], "label": c["label"], "year": c["year"],
                      "stage": c["stage"], "values": c["values"],
                      "rule": "two tables of the same document and stage disagree: kept, marked, never picked"})
    return cases


def ascii_slug(text: str) -> str:
    """URL slug the way the CMS makes them: æøå folded, spaces to hyphens."""
    folded = text.lower().replace("æ", "ae").replace("ø", "o").replace("å", "a")
    return re.sub(r"[^a-z0-9]+", "-", folded).strip("-")


def split_half(sentence: str) -> list[str]:
    """Two lines broken at the space nearest the middle (never inside a word)."""
    words = sentence.split()
    cut = min(range(1, len(words)), key=lambda i: abs(len(" ".join(words[:i])) - len(sentence) / 2))
    return [" ".join(words[:cut]), " ".join(words[cut:])]


def first_page(text: str) -> dict:
    """Date evidence: the text on the first page that states the date."""
    return {"source": "first_page", "text": text, "page": 1}


def quote_notat(t: DocText, s: int, page: int) -> None:
    """The notat quotes the proposal's frames for bistand og omsorg, in 1000 kr and without programme
    numbers, after formannskapet and kommunestyret have changed them: outdated figures."""
    quoted = stages.quoted(stages.area_table(s, "forslag", s, "bo"),
                           f"Tabell 1 Netto driftsramme for bistand og omsorg i {chief(s)}s forslag",
                           ["Pleie og omsorg", "Helse og sosial", "Psykisk helse og rus", "Sum bistand og omsorg"],
                           "Beløp i 1000 kr", "tusen")
    t.pages[page - 1].append(quoted.block())
    t.budget_tables.append(quoted.truth(page, quotes="forslag"))


def quote_answer(t: DocText, s: int, page: int) -> None:
    """Question 17's answer quotes the proposal's frame for barnehager (before formannskapet raised it)."""
    quoted = stages.quoted(stages.area_table(s, "forslag", s, "bu"),
                           f"Netto driftsramme barnehager ({chief(s)}s forslag)", ["Barnehager", "Sum barn og unge"],
                           "Tall i mill. kroner", "mill")
    blocks = t.pages[page - 1]
    at = next(i for i, blk in enumerate(blocks) if blk[0] == "h2" and blk[1].startswith("Spørsmål 17 "))
    blocks[at:at + 3] = [("h2", "Spørsmål 17 fra Ap: Rammen til barnehager"),
                         ("p", "Hva er rammen til barnehager i planperioden, og hvor mye går til grunnbemanning?"),
                         ("p", "Svar: Rammen til barnehager i forslaget fremgår av tabellen under."),
                         quoted.block()]
    t.budget_tables.append(quoted.truth(page, quotes="forslag"))


def nok_simple(value: int) -> str:
    return f"{value:,}".replace(",", " ")


def check_unique_words(b: SiteBuilder) -> None:
    """Planted rare words must occur exactly once in the generated text."""
    blob = " ".join(pdfs.block_text(block) for v in b.texts.values() for page in v.pages for block in page).lower()
    for word in UNIQUE_WORDS:
        assert blob.count(word) <= 1, word


# ---------------------------------------------------------------- meeting portal


def build_portal(b: SiteBuilder, w: Writer, s: int) -> None:
    """ACOS Innsyn meeting pages and their wfdocument.ashx documents."""
    per, name = period(s), plan_name(s)
    base = 3609 - 11 if b.variant == 0 else b.rng.randint(2800, 4100)
    fd, kd = fsk_date(s), kst_date(s)
    plan = [
        ("kommunestyret", kd, 27, True),
        ("formannskapet", fd, 11, True),
        ("barn-og-unge", fd - dt.timedelta(days=8), 0, False),
        ("ungdomsradet", fd - dt.timedelta(days=7), 3, False),
        ("funksjonsnedsettelse", fd - dt.timedelta(days=9), 4, True),
    ]
    case_no = {"kommunestyret": 123, "formannskapet": 149, "barn-og-unge": 72, "ungdomsradet": 31, "funksjonsnedsettelse": 44}
    for committee, when, offset, has_protocol in plan:
        moteid = base + offset
        cname, utvalg = COMMITTEES[committee]
        yy2 = when.year % 100
        items: list[dict] = []

        def portal_doc(kind: str, when: dt.date = when) -> str:
            jp = f"{when.year}{b.rng.randint(100000, 999999)}"
            return f"{PORTAL_BASE}wfdocument.ashx?journalpostid={jp}&dokid={b.rng.randint(1000000, 3999999)}&versjon=1&variant=A&"

        meta = {"year": s, "period": per, "committee": committee, "date": when.isoformat(),
                "date_evidence": [{"source": "meeting", "text": f"Møte i {cname} den {short_date(when)}"}]}
        hp_title = {
            "kommunestyret": f"{name} {per} og budsjett {s}",
            "formannskapet": f"{name} {per} - Formannskapets innstilling",
            "barn-og-unge": f"{name} {per} - høring i hovedutvalget",
            "ungdomsradet": f"{name} {per} - Ungdomsrådets uttalelse",
            "funksjonsnedsettelse": f"{name} {per} - rådets uttalelse",
        }[committee]
        arkiv = f"{when.year % 100}/{b.rng.randint(10000, 19999)}"
        hp_docs = []
        if committee == "ungdomsradet":
            t = short_text(w, f"Ungdomsrådets uttalelse til {name.lower()} {per}", short_date(when), 2)
            t.plant(1, "Ungdomsrådet ber om gratis kollektivtransport for elever i grunnskolen.")
            d = b.add_doc(
                f"portal-{committee}-uttalelse", "portal", portal_doc("n"), t,
                {**meta, "title": f"Ungdomsrådets uttalelse til {name.lower()} {per}", "doctype": "innspill"},
            )  # fmt: skip
            hp_docs.append(("Internt notat", d))
        elif committee == "funksjonsnedsettelse":
            note = f"Rådet slutter seg til {chief(s)}s forslag med en merknad om tilgjengelighet."
            t = protocol_text(w, committee, when, s, {1: note}, case_no[committee], arkiv, layout="saksprotokoll")
            d = b.add_doc(
                f"portal-{committee}-saksprotokoll", "portal", portal_doc("p"), t,
                {**meta, "title": f"Saksprotokoll {hp_title}", "doctype": "protokoll"},
            )  # fmt: skip
            hp_docs.append(("Saksprotokoll", d))
        else:
            t = short_text(w, "Saksfremlegg", hp_title, 5)
            t.pages[0].insert(0, ("p", f"BÆRUM KOMMUNE {chief(s).upper()}"))
            t.plant(2, f"Forslag til vedtak: {name} {per} vedtas i samsvar med {role(s).lower()} forslag.")
            d = b.add_doc(
                f"portal-{committee}-saksframlegg", "portal", portal_doc("s"), t,
                {**meta, "title": f"Saksfremlegg {hp_title}", "doctype": "saksframlegg"},
            )  # fmt: skip
            hp_docs.append(("Saksfremlegg", d))
            if committee == "formannskapet":
                t = short_text(w, f"{name} tilleggsinnstilling", per, 3)
                t.plant(1, f"Tilleggsinnstillingen omfatter endringer for {TOPICS[5]} og {TOPICS[3]}.")
                d = b.add_doc(
                    "portal-formannskapet-tilleggsinnstilling", "portal", portal_doc("t"), t,
                    {**meta, "title": f"{name} tilleggsinnstilling {per}", "doctype": "innstilling"},
                )  # fmt: skip
                hp_docs.append(("Vedlegg", d))
        items.append({"nr": f"{case_no[committee]:03d}/{yy2}", "arkiv": arkiv, "title": hp_title, "docs": hp_docs})

        # unrelated items: the crawler must not keep these documents
        for offset_nr, other in ((1, "Godkjenning av protokoll"), (2, b.pick(["Reguleringsplan for Kolsås senter", "Salg av kommunal tomt på Gjettum", "Søknad om skjenkebevilling"]))):
            t = short_text(w, other, f"Sak {case_no[committee] + offset_nr:03d}/{yy2}", 1)
            path = portal_doc("x")
            body = pdfs.render_pdf(t.pages, title=other)
            b.add_route("portal", path, body, PDF, when)
            b.skipped.append({"host": "portal", "path": path, "title": other, "moteid": moteid})
            items.append(
                {"nr": f"{case_no[committee] + offset_nr:03d}/{yy2}", "arkiv": f"{yy2}/{b.rng.randint(10000, 19999)}",
                 "title": other, "docs": [("Saksfremlegg", {"path": path, "size": len(body), "title": other})]}
            )  # fmt: skip

        # Sakskart (optional to keep) and Møteprotokoll (budget case inside: keep)
        t = short_text(w, f"Møteinnkalling {cname}", short_date(when), 2)
        sakskart = portal_doc("k")
        body = pdfs.render_pdf(t.pages, title=f"Møteinnkalling {cname}")
        b.add_route("portal", sakskart, body, PDF, when)
        b.optional.append({"host": "portal", "path": sakskart, "title": f"Møteinnkalling - {cname} - {short_date(when)}"})
        sakskart_link = {"path": sakskart, "size": len(body), "title": f"Møteinnkalling - {cname} - {short_date(when)} (Hoveddokument)"}
        prot_link = None
        if has_protocol:
            note = f"{cname} drøftet forslaget om {TOPICS[6]} før saken ble tatt opp."
            others = [(it["nr"], it["arkiv"], it["title"]) for it in items[1:]]
            t = protocol_text(w, committee, when, s, {2: note}, case_no[committee], arkiv, others=others)
            d = b.add_doc(
                f"portal-{committee}-protokoll", "portal", portal_doc("m"), t,
                {**meta, "title": f"Protokoll - {cname} {when:%d %m %y}", "doctype": "protokoll"},
            )  # fmt: skip
            prot_link = {"path": d.path, "size": d.__dict__["_size"],
                         "title": f"Protokoll - {cname} {when:%d %m %y} (Hoveddokument)"}  # fmt: skip
            d.link_text = prot_link["title"]
        meeting_path = f"{PORTAL_BASE}wfinnsyn.ashx?response=mote&moteid={moteid}"
        body = meeting_html(cname, utvalg, when, moteid, items, sakskart_link, prot_link).encode()
        b.add_route("portal", meeting_path, body, HTML, when)
        b.meetings.append(
            {"moteid": moteid, "path": meeting_path, "committee": committee, "date": when.isoformat(),
             "title": f"Møte i {cname} den {short_date(when)}"}
        )  # fmt: skip
        plan_path = f"{PORTAL_BASE}wfinnsyn.ashx?response=moteplan&utvalg={utvalg}"
        b.add_route("portal", plan_path, moteplan_html(cname, when, moteid).encode(), HTML, when)
        b.meetings[-1]["moteplan_path"] = plan_path
        for _, d in hp_docs:
            d.source_page = meeting_path
            d.link_text = d.link_text or d.title
        if prot_link:
            b.doc(f"portal-{committee}-protokoll").source_page = meeting_path


def moteplan_html(cname: str, when: dt.date, moteid: int) -> str:
    """The committee's meeting plan: links back to its meeting pages."""
    return f"""<!DOCTYPE html>
<html lang="nb"><head><meta charset="utf-8"><title>Møteplan for {cname} {when.year}</title></head>
<body><div id="innsyn"><h1>Møteplan for {cname} {when.year}</h1>
<table class="moteplan"><tr><th>Dato</th><th>Møte</th></tr>
<tr><td>{short_date(when)}</td><td><a href="wfinnsyn.ashx?response=mote&amp;moteid={moteid}">Møte i {cname}</a></td></tr>
</table></div></body></html>
"""


def meeting_html(
    cname: str, utvalg: int, when: dt.date, moteid: int, items: list[dict], sakskart: dict, prot: dict | None
) -> str:
    """An ACOS Innsyn 'mote' page; document links are relative, like the real portal."""

    def a(target: dict | object, text: str) -> str:
        path = target["path"] if isinstance(target, dict) else target.path  # type: ignore[attr-defined]
        size = target["size"] if isinstance(target, dict) else target.__dict__["_size"]  # type: ignore[attr-defined]
        href = path.removeprefix(PORTAL_BASE)
        return f'<a href="{html.escape(href)}" title="Hoveddokument | {size_label(size)}">{html.escape(text)}</a>'

    rows = []
    for item in items:
        docs = "".join(
            f"<tr><td>{kind}</td><td>{a(d, d['title'] if isinstance(d, dict) else d.title)}</td></tr>"
            for kind, d in item["docs"]
        )
        rows.append(
            f'<div class="sak"><h3>{item["nr"]} - {item["arkiv"]} - {html.escape(item["title"])}</h3>'
            f'<table class="dokumenter"><tr><th>Dokumenttype</th><th>Tittel</th></tr>{docs}</table></div>'
        )
    prot_html = f"<h2>Møteprotokoll</h2><ul><li>{a(prot, prot['title'])}</li></ul>" if prot else ""
    return f"""<!DOCTYPE html>
<html lang="nb"><head><meta charset="utf-8"><title>Møte i {cname} den {short_date(when)}</title></head>
<body><div id="innsyn">
<p><a href="wfinnsyn.ashx?response=moteplan&amp;utvalg={utvalg}">Tilbake til møteplan</a></p>
<h1>Møte i {cname} den {short_date(when)}</h1>
<table class="moteinfo">
<tr><th>Utvalg:</th><td>{cname}</td></tr>
<tr><th>Dato:</th><td>{short_date(when)} kl. 17:00</td></tr>
<tr><th>Møtested:</th><td>Kommunestyresalen, Rådhuset</td></tr>
<tr><th>Møte-ID:</th><td>{moteid}</td></tr>
</table>
<h2>Sakskart</h2><ul><li>{a(sakskart, sakskart['title'])}</li></ul>
{prot_html}
<h2>Saker</h2>
{''.join(rows)}
</div></body></html>
"""


# ---------------------------------------------------------------- HTML pages


def page_html(title: str, body: str, crumbs: str) -> str:
    return f"""<!DOCTYPE html>
<html lang="nb"><head><meta charset="utf-8"><title>{html.escape(title)} - Bærum kommune</title>
<meta name="viewport" content="width=device-width, initial-scale=1"></head>
<body><header class="site-header"><a class="logo" href="{LANDING}">Bærum kommune</a></header>
<main id="main-content"><nav class="breadcrumbs" aria-label="Brødsmulesti">{crumbs}</nav>
<h1>{html.escape(title)}</h1>
{body}
</main><footer class="site-footer"><p>Bærum kommune, Postboks 700, 1304 Sandvika</p></footer></body></html>
"""


def build_pages(b: SiteBuilder, s: int, ga: str, arch: dict[int, dict[str, str]]) -> None:
    """Landing page (and two older states in the Wayback archive), archive page, news and chapter pages."""
    h = ["h2", "h3", "h3", "h2"][b.variant % 4]
    per, name = period(s), plan_name(s)
    fd, kd, fod = fsk_date(s), kst_date(s), forslag_date(s)
    src = LANDING
    kst_meeting = next(m for m in b.meetings if m["committee"] == "kommunestyret")
    fsk_meeting = next(m for m in b.meetings if m["committee"] == "formannskapet")
    def mote(m: dict, text: str) -> str:
        """Meeting links put moteid first, as the real site does."""
        href = f"{{{{PORTAL}}}}{PORTAL_BASE}wfinnsyn.ashx?moteid={m['moteid']}&amp;response=mote"
        return f'<a href="{href}">{html.escape(text)}</a>'

    b.archive_path = LANDING + b.pick(["tidligere-vedtatte-budsjetter/", "tidligere-budsjetter/", "arkiv-handlingsprogram/"])
    chapter = f"/om-barum-kommune/organisasjon/styringsdokumenter/handlingsprogram-{s}{s + 3}/2-barum-2024--omstilling-prioritering-og-gjennomforing/"
    news = f"/aktuelt/{ascii_slug(plan_name(s + 1))}-{s + 1}---{s + 4}-vedtatt/"

    def items(links: list[str]) -> str:
        style = b.pick(["ul", "p", "ul"])
        if style == "ul":
            return "<ul>" + "".join(f"<li>{x}</li>" for x in links) + "</ul>"
        return "".join(f"<p>{x}</p>" for x in links)

    steps = "".join(
        f"<li><strong>{i}. Steg</strong> {text}</li>"
        for i, text in enumerate(
            [
                f"I Bærum kommune samles økonomiplan og årsbudsjett i et dokument som kalles {name}.",
                "Etter at forslaget er lagt frem behandler de politiske partiene utkastet internt i sine partigrupper.",
                "Etter partienes interne behandling foregår det forhandlinger mellom partiene om budsjettforslag.",
                "Parallelt mottar kommunen og de folkevalgte en rekke innspill fra innbyggere og organisasjoner.",
                "Forslaget går til politisk behandling i hovedutvalgene før behandling i formannskap og kommunestyre.",
                "Handlingsprogrammet behandles og vedtas endelig i kommunestyret.",
                f"{chief(s).capitalize()} har ansvaret for å påse at kommunestyrets vedtak blir iverksatt.",
            ],
            start=1,
        )
    )
    link = b.link
    vedtak_text = b.pick([f"Her kan du lese vedtatt budsjett {s}. (pdf)", f"Vedtatt budsjett {s}", "pdf", f"Last ned vedtatt {name.lower()}"])
    forslag_label = b.pick([f"{role(s)} forslag til {name.lower()} {s} - {s + 3}", f"{role(s)} forslag", "Forslaget finner du her"])
    innst_label = f"Offentlig ettersyn- Formannskapets forslag til budsjett og {name.lower()} {per}"
    if b.variant:
        innst_label = b.pick([innst_label, f"Formannskapets innstilling {per}", "Innstillingen (pdf)"])

    acc_style = ["button", "details", "heading"][b.variant % 3]

    def section(title: str, behandling: list[str], innspill: list[str] | None) -> str:
        inner = f"<p><strong>Behandling:</strong></p>{items(behandling)}"
        if innspill is not None:
            inner += f"<p><strong>Spørsmål og innspill:</strong></p>{items(innspill)}"
        if acc_style == "button":
            return (
                f'<div class="accordion__item"><{h} class="accordion__heading"><button class="accordion__button" '
                f'aria-expanded="false">{title}</button></{h}><div class="accordion__content" hidden>{inner}</div></div>'
            )
        if acc_style == "details":
            return f'<details class="accordion__item"><summary>{title}</summary>{inner}</details>'
        return f'<div class="expander"><{h} class="expander__title">{title}</{h}><div class="expander__body">{inner}</div></div>'

    prot_word = lambda: b.pick(["protokollen", "pdf", "her", "Protokoll (pdf)"])  # noqa: E731
    sections = [
        section(
            "Formannskapet",
            [link("innstilling-cur", innst_label, src), mote(fsk_meeting, "Saksdokumentene i Møteportalen")],
            None,
        ),
        section(
            COMMITTEES["barn-og-unge"][0],
            [
                "Her vil du finne "
                + mote(next(m for m in b.meetings if m["committee"] == "barn-og-unge"), "informasjon")
                + " fra hovedutvalg barn og unges behandling av handlingsprogrammet.",
                link("protokoll-barn-og-unge", prot_word(), src),
            ],
            [link("sporsmal-barn-og-unge", b.pick(["Spørsmål og svar HBU", "Spørsmål og svar", "Spøsmål og svar"]), src, size="paren")],
        ),
        section(
            COMMITTEES["bistand-og-omsorg"][0],
            [
                "Her vil du finne "
                + link("protokoll-bistand-og-omsorg", "protokollen", src)
                + " fra hovedutvalg bistand og omsorgs behandling av handlingsprogrammet."
            ],
            [link("sporsmal-bistand-og-omsorg", b.pick(["her", "pdf", "Spørsmål og svar"]), src)],
        ),
        section(
            COMMITTEES["miljo-idrett-og-kultur"][0],
            [link("protokoll-miljo-idrett-og-kultur", b.pick(["pdf", "protokollen", "her"]), src)],
            [link("innspill-miljo-idrett-og-kultur", "Innspill fra idrettsrådet", src, size="pipe")],
        ),
        section(
            COMMITTEES["eldreradet"][0],
            [link("protokoll-eldreradet", b.pick(["Protokoll (pdf)", "Protokollen", "pdf"]), src)],
            [],
        ),
        section(
            COMMITTEES["funksjonsnedsettelse"][0],
            [mote(next(m for m in b.meetings if m["committee"] == "funksjonsnedsettelse"), "Rådets behandling ( Møteportalen)")],
            [link("innspill-funksjonsnedsettelse", b.pick(["Innspill fra rådet (Word)", "Innspill (docx)"]), src)],
        ),
    ]
    if b.variant:
        b.rng.shuffle(sections)
    accordion = '<div class="accordion">' + "".join(sections) + "</div>"

    intern = "/intern/budsjett/arbeidsutkast-hp.pdf"
    b.add_route("main", intern, pdfs.render_pdf([[("h1", "Arbeidsutkast – ikke for publisering")]]), PDF, fod)
    issuu = f"https://issuu.com/baeringen/docs/{b.pick(['handlingsprogram', 'hp', 'bop'])}-{s}-{s + 3}"
    b.never_request += [
        {"url": issuu, "why": "off-site"},
        {"host": "main", "path": intern, "why": "robots.txt disallow"},
    ]
    ur_meeting = next(m for m in b.meetings if m["committee"] == "ungdomsradet")
    body = f"""
<div class="intro"><p>{topic(s).capitalize()} skal vise hva som planlegges for kommende driftsår og hva som planlegges for
kommende fire års planperiode.</p><p>Nedenfor publiseres dokumenter fra den politiske behandlingen av {name.lower()}.
Les også <a href="{chapter}">Bærum 2024 – omstilling, prioritering og gjennomføring</a>.</p></div>
<{h}>Budsjettprosessen fra start til slutt (figur)</{h}>
<ol class="process">{steps}</ol>
<p>{chief(s).capitalize()} la frem sitt forslag til {name} {per} {fod.day}.{MONTHS[fod.month - 1]} {fod.year}.</p>
<p>Den videre behandlingen av budsjettet blir slik:</p>
<ul class="timeline"><li>Uke {(fd - dt.timedelta(days=7)).isocalendar().week}: {name} behandles i hovedutvalgene.</li>
<li>{fd:%d.%m.%y}: Formannskapet behandler {name.lower()}.</li>
<li>{kd:%d.%m.%y}: Kommunestyret behandler og vedtar {name.lower()} (budsjett for {s} med {name.lower()} for {per}).</li></ul>
<{h}>Kommunestyrets behandling av {topic(s)}</{h}>
<p>{name} {per} og budsjett {s} ble behandlet som én samlet sak i kommunestyret {long_date(kd)}.</p>
<p>{link("vedtak-cur", vedtak_text, src)}</p>
<p>{mote(kst_meeting, f"Link til budsjettbehandlingen i kommunestyret {kd.day}.{MONTHS[kd.month - 1]} {kd.year} ( Møteportalen)")}</p>
<p><a href="{issuu}">Les {name.lower()} på issuu</a></p>
<{h}>Formannskapets høringsdokument {topic(s)} {per}</{h}>
<p>Formannskapet har i møtet {fd.day}. {MONTHS[fd.month - 1]} behandlet forslag til budsjett og innstillingen er nå lagt ut offentlig.</p>
<p>{link("innstilling-cur", innst_label, src)}</p>
<p>I henhold til Kommuneloven § 14-3 fjerde ledd skal innstillingen offentliggjøres minst 14 dager før kommunestyret behandler den.</p>
<{h}>{role(s)} forslag til {name.lower()} {s} - {s + 3}</{h}>
<p>{link("forslag-cur", forslag_label, src, size="paren")}</p>
<p><a href="{intern}">Arbeidsutkast (kun internt)</a></p>
<{h}>Spørsmål fra politikere og administrasjonens svar</{h}>
<p>Her publiseres spørsmål fra folkevalgte med svar fra {chief(s)}, samt notater fra {chief(s)} og
innspill mottatt fra eksterne aktører.</p>
<p>Det har kommet inn 50 spørsmål fra de politiske partiene til forslaget til {name.lower()} for {s} - {s + 3}.</p>
<p>{link("sporsmal-cur", f"Her kan du se et samledokument som viser spørsmålene fra politikerne med svar fra {chief(s)} (pdf)", src)}</p>
<p>{link("notat-cur", b.pick(["Notat: befolkningsprognose og sykehjemsplasser", f"Notat fra {chief(s)}"]), src, size="pipe")}</p>
<p>{link("kontroll-kryptert", "Kontrollutvalgets forslag til budsjett for kontroll og tilsyn", src)}</p>
<p>Bakgrunnsdokumenter: {link("okonomimelding", f"Økonomimelding II {s - 1}", src)} og
{link("arsrapport", f"Årsrapport {s - 2} (pdf)", src)}</p>
<p>Ungdomsrådets uttalelse finner du i {mote(ur_meeting, "Møteportalen")}.</p>
{accordion}
<{h}>Innspill til {name.lower()} fra vernetjenesten og fagforeningene</{h}>
{items([link("innspill-samarbeid", "Uttalelse fra hovedverneombudet og fagforeningene", src),
        link("innspill-skannet", "Innspill fra Lommedalen velforening (skannet)", src),
        link("innspill-tom", "Innspill fra næringsforeningen", src),
        link("innspill-nynorsk", "Høyringsinnspel frå Bærum Mållag", src)])}
<{h}>Tidligere vedtatte budsjetter</{h}>
<p><a href="{b.archive_path}">{b.pick(["Tidligere vedtatte budsjetter", "Se tidligere år", "Arkiv"])}</a></p>
"""
    crumbs = "Politikk og samfunn / Politikk / Handlingsprogram og budsjettplan"
    b.add_route("main", LANDING, page_html(topic(s).capitalize(), body, crumbs).encode(), HTML, kd)
    b.html_pages.append(LANDING)

    # ---- archive page
    rows = []
    arch_src = b.archive_path
    for p in sorted(arch, reverse=True):
        period_text = b.pick([f"{p}-{p + 3}", f"{p} – {p + 3}", f"{p}-{(p + 3) % 100}"])
        links = [link(f"vedtak-{p}", b.pick([f"{plan_name(p)} {period_text} (pdf)", f"Vedtatt {period_text}", "pdf"]), arch_src)]
        for key, label in ((f"forslag-{p}", f"{role(p)} forslag {period_text}"),):
            if any(d.key == key for d in b.docs) and p != s - 2 and p != s - 1:
                links.append(link(key, label, arch_src, size="pipe"))
        if p == s + 1:
            links.append(f'<a href="{news}">Nyhetssak: vedtatt {plan_name(p).lower()} {period(p)}</a>')
        rows.append(f"<{h}>{plan_name(p)} {period_text}</{h}>{items(links)}")
    missing = f"{ga}/arkiv/handlingsprogram-{s - 6}-{s - 3}.pdf"
    b.fetch_failures.append({"host": "main", "path": missing, "expect": "404", "source_page": arch_src})
    arch_body = (
        "<p>Her finner du vedtatte handlingsprogram og budsjett fra tidligere år.</p>"
        + "".join(rows)
        + f"<{h}>{plan_name(s - 6)} {s - 6}-{s - 3}</{h}><p><a href=\"{missing}\">{plan_name(s - 6)} {s - 6}-{s - 3} (pdf)</a></p>"
        + f"<div class=\"related\"><p>{link(f'forslag-{s - 2}', 'pdf', arch_src)}</p></div>"
    )
    b.add_route("main", arch_src, page_html("Tidligere vedtatte budsjetter", arch_body, crumbs).encode(), HTML, kd)
    b.html_pages.append(arch_src)

    # ---- chapter and news pages
    ch_body = (
        f"<p>{name} {per} bygger videre på målene i Bærum 2024.</p><p>{TOPICS[0]} og {TOPICS[3]} er blant de store prosjektene.</p>"
        + f"<p>{link('vedtak-cur', 'Last ned hele ' + name.lower() + 'et', chapter, size='paren')}</p>"
    )
    b.add_route("main", chapter, page_html("2 Bærum 2024 – omstilling, prioritering og gjennomføring", ch_body, crumbs).encode(), HTML, kd)
    news_body = (
        f"<p>Kommunestyret vedtok {long_date(kst_date(s + 1))} {plan_name(s + 1).lower()} for {period(s + 1)}.</p>"
        + f"<p>{link(f'vedtak-{s + 1}', 'Vedtatt ' + plan_name(s + 1).lower(), news, size='paren')}</p>"
    )
    b.add_route("main", news, page_html(f"{plan_name(s + 1)} {s + 1} - {s + 4} vedtatt", news_body, crumbs).encode(), HTML, kst_date(s + 1))
    b.html_pages += [chapter, news]

    # ---- earlier states of the landing page, only in the Wayback archive
    for p, stamps, keys in (
        (s - 2, [f"{s - 3}1210093012", f"{s - 2}0115101500"], [f"vedtak-{s - 2}", f"forslag-{s - 2}"]),
        (s - 1, [f"{s - 2}1216120000"], [f"vedtak-{s - 1}", f"forslag-{s - 1}", f"sporsmal-{s - 1}"]),
    ):
        old_links = []
        for key in keys:
            d = b.doc(key)
            label = {"vedtak": f"Vedtatt {plan_name(p).lower()} {period(p)} (pdf)",
                     "forslag": f"{role(p)} forslag til {plan_name(p).lower()} {period(p)}",
                     "sporsmal": "Samledokument med spørsmål og svar (pdf)"}[d.doctype]  # fmt: skip
            old_links.append(f'<a href="{d.path}">{html.escape(label)}</a>')
            if not d.source_page:
                d.source_page = LANDING
                d.link_text = label
        if p == s - 1:
            gone = f"{ga}/hp-{p}/presentasjon-kommunestyret.pdf"
            old_links.append(f'<a href="{gone}">Presentasjon for kommunestyret</a>')
            b.fetch_failures.append({"host": "main", "path": gone, "expect": "404", "note": "not in the Wayback archive either"})
        old_body = (
            f"<p>{topic(p).capitalize()} skal vise hva som planlegges for kommende driftsår.</p>"
            f"<h2>{role(p)} forslag til {plan_name(p).lower()} {period(p)}</h2>{items(old_links)}"
        )
        page = page_html(topic(p).capitalize(), old_body, crumbs).encode()
        for ts in stamps:
            b.add_snapshot(LANDING, ts, page, HTML)
            b.wayback_pages.append({"original_path": LANDING, "timestamp": ts, "period": period(p),
                                    "digest": hashlib.sha1(page).hexdigest().upper()})  # fmt: skip


# ---------------------------------------------------------------- entry point


def build(dest: Path, variant: int = 0) -> Path:
    """Write the sample site into dest; reuse an existing build of the same version and variant."""
    dest = Path(dest)
    marker = dest / "truth.json"
    if marker.exists():
        try:
            old = json.loads(marker.read_text(encoding="utf-8"))
            if old.get("generator_version") == GENERATOR_VERSION and old.get("variant") == variant:
                return dest
        except (OSError, ValueError):
            pass
    for sub in ("files", "routes.json", "snapshots.json", "truth.json"):
        target = dest / sub
        if target.is_dir():
            shutil.rmtree(target)
        elif target.exists():
            target.unlink()
    dest.mkdir(parents=True, exist_ok=True)
    truth = build_site(dest, variant)
    marker.write_text(truth.to_json(), encoding="utf-8")  # written last: marks a complete build
    return dest


__all__ = ["build", "canonical", "LANDING", "asdict"]
