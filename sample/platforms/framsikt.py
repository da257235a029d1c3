"""A replica of Framsikt web publications (pub.framsikt.net) for Malvik, whose budget is
published only there: no PDF of the proposal exists.

What is documented (by public code that reads publications, see docs/replicas.md):

- a publication lives at ``/{year}/{tenant}/{slug}`` (``bm-`` budget and economic plan,
  ``mr-`` reports) and is an Angular app: its HTML is a shell with no text;
- the "whole plan on one page" view is the static file
  ``{pub}/content/html/summary/11111111-1111-1111-1111-111111111111/content.html``: headings
  as ``<div class="row hN">text</div>`` and each text block as a placeholder with a ``dataId``;
- a text block is ``{pub}/content/text/<id>/description.json`` = ``{"description": "<html>"}``;
  the only public reader joins ``"/text" + dataId``, so ``dataId`` carries its leading slash.

What is assumed here (UNVERIFIED, marked so in the answer key; check the live site before
an adapter relies on it):

- ``{pub}/content/data/tree.json``, the document tree (named by a third-party source map, its
  shape unknown): here ``{"title", "published", "nodes": [{"id", "title", "route", "children"}]}``;
- dynamic tables as data: a placeholder ``<div class="row table" tableId="<id>">`` and
  ``{pub}/content/table/<id>/data.json`` = ``{"title", "unit", "columns", "rows": [{"label",
  "values"}]}``, amounts in whole kroner, ``null`` where a cell is empty.

A page of the archived document is a heading of level 1 or 2 with everything under it (level
3 headings stay inside), the way the public reader splits a publication into sections.
Messy on purpose: a heading with an entity (``&amp;``), a text block that is gone (404), one
whose description is ``null``, one that is not JSON, a table cell that is ``null``, the
proposal's key figures typed by hand in a text block (``14&nbsp;912``) while the adopted plan's
are a dynamic table whose inhabitants row is a count among amounts, a link to a publication
that no longer exists, and a republished proposal (``republish``) whose text and figures changed.
"""

from __future__ import annotations

import hashlib
import html
import json
from dataclasses import dataclass, field
from pathlib import Path

from sample.platforms import figures
from sample.platforms.einnsyn import visible_text
from sample.platforms.figures import INHABITANTS_LABEL, KOMMUNER, LINES, PERIOD, RESULT, YEAR, Kommune, Prose
from sample.platforms.store import HTML, JSON, Store
from sample.server import SampleServer
from sample.truth import TruthDoc

HOST = "framsikt"
TENANT = "malvik"
SUMMARY = "11111111-1111-1111-1111-111111111111"
CMS = "malvik"  # host of Malvik's own website
CMS_PAGE = "/politikk-og-organisasjon/okonomi/handlings-og-okonomiplan/"
UNVERIFIED = ["content/data/tree.json (path named by a source map; shape invented here)",
              "content/table/<id>/data.json and the tableId placeholder (invented here)",
              "the leading slash of dataId (inferred from the one public reader)"]  # fmt: skip


def guid(seed: str) -> str:
    h = hashlib.sha1(seed.encode()).hexdigest()
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:32]}"


@dataclass
class Block:
    """One placeholder of content.html: a heading, a text block or a table."""

    kind: str  # h1 | h2 | h3 | text | table
    value: str = ""  # heading text (plain), or the description's HTML, or ""
    table: dict | None = None  # a dynamic table's data.json
    broken: str = ""  # "" | gone (404) | null (description null) | invalid (not JSON)
    bid: str = ""


@dataclass
class Publication:
    key: str
    slug: str
    title: str
    stage: str
    doctype: str
    committee: str | None
    published: str  # ISO day
    kf_table: bool = False  # key figures as a dynamic table (else typed in a text block)
    blocks: list[Block] = field(default_factory=list)

    @property
    def path(self) -> str:
        return f"/{YEAR}/{TENANT}/{self.slug}"


def frames_table(k: Kommune, stage: str, bump: int = 0) -> dict:
    """The net frames as a dynamic table: whole kroner, one row per sector (``bump`` 1000 kr on
    Kulturskole's budget year: the republished correction)."""
    unit, _, columns = figures.TABLE_STYLE[k.source]
    rows = []
    for label in k.labels():
        if label == RESULT:
            continue
        values: list[int | None] = []
        for year in figures.YEARS:
            v = figures.value(k, label, year, stage) + (bump if label == "Kulturskole" and year == YEAR else 0)
            values.append(v * 1000)
        rows.append({"label": label, "values": values})
    rows.append({"label": "Ikke fordelt", "values": [None, None, -2_400_000, -2_400_000, -2_400_000, -2_400_000]})
    return {"title": figures.FRAMES_CAPTION[k.source], "unit": unit, "columns": columns, "rows": rows}


def key_figures_html(k: Kommune, stage: str) -> str:
    """A key-figures table typed in a text block (no unit in it but the row's): inhabitants and result."""
    years = [y for y, _ in k.inhabitants]
    head = "".join(f"<th>{y}</th>" for y in years)
    label = INHABITANTS_LABEL[k.source]
    inh = "".join(f"<td>{figures.groups(k.inhabitants_in(y), '&nbsp;')}</td>" for y in years)
    res = "".join(f"<td>{figures.groups(figures.value(k, RESULT, y, stage), '&nbsp;')}</td>" for y in years)
    return (f"<p>Tabellen viser nøkkeltall for {k.name} kommune. Netto driftsresultat i 1000 kr.</p>"
            f"<table class=\"keyfigures\"><thead><tr><th>Nøkkeltall</th>{head}</tr></thead><tbody>"
            f"<tr><td>{label}</td>{inh}</tr><tr><td>{RESULT} (1000 kr)</td>{res}</tr></tbody></table>")  # fmt: skip


def key_figures_table(k: Kommune, stage: str) -> dict:
    """Key figures as a dynamic table: amounts in kroner, but the inhabitants row is a count
    (its own ``unit``), as a widget mixing figures prints them."""
    years = [y for y, _ in k.inhabitants]
    return {"title": "Nøkkeltall", "unit": "kr", "columns": [str(y) for y in years], "rows": [
        {"label": INHABITANTS_LABEL[k.source], "unit": "antall", "values": [k.inhabitants_in(y) for y in years]},
        {"label": RESULT, "values": [figures.value(k, RESULT, y, stage) * 1000 for y in years]}]}  # fmt: skip


def key_figure_points(k: Kommune, stage: str, as_table: bool) -> tuple[list[dict], list[dict]]:
    """(inhabitants, result cells) as the key figures print them: typed (1000 kr, "14 912") or data."""
    years = [y for y, _ in k.inhabitants]
    inhabitants = [{"kommune": k.name, "source": k.source, "label": INHABITANTS_LABEL[k.source], "year": y,
                    "value": k.inhabitants_in(y),
                    "text": str(k.inhabitants_in(y)) if as_table else figures.groups(k.inhabitants_in(y))}
                   for y in years]  # fmt: skip
    result = []
    for y in years:
        v = figures.value(k, RESULT, y, stage)
        result.append({"kommune": k.name, "source": k.source, "label": RESULT, "column": str(y), "year": y,
                       "kind": "budsjett", "value_kr": v * 1000, "text": str(v * 1000) if as_table else figures.groups(v),
                       "unit": "kr" if as_table else "1000 kr", "stage": stage})  # fmt: skip
    return inhabitants, result


def publication_blocks(k: Kommune, pub_key: str, stage: str, bump: int = 0, corrected: bool = False,
                       kf_table: bool = False) -> list[Block]:  # fmt: skip
    prose = Prose(k, pub_key)

    def p(n: int = 3) -> str:
        return f"<p>{html.escape(prose.paragraph(n), quote=False)}</p>"

    intro = p(4) + (f"<p>Det nye {k.unique_word} skal stå ferdig i planperioden.</p>" if stage == "forslag" else "")
    if corrected:
        intro += "<p><strong>Korrigert 2.&nbsp;november 2023:</strong> rammen til kulturskolen er rettet.</p>"
    kf = key_figures_html(k, stage)
    return [
        Block("h1", "1 Kommunedirektørens innledning"), Block("text", intro), Block("text", p(3) + "<br>" + p(2)),
        Block("h1", "2 Økonomiske rammer"),
        Block("h2", "2.1 Nøkkeltall"),
        *([Block("text", p(1)), Block("table", table=key_figures_table(k, stage))] if kf_table
          else [Block("text", kf)]),
        Block("h2", "2.2 Netto driftsrammer"), Block("text", p(2)), Block("table", table=frames_table(k, stage, bump)),
        Block("h1", "3 Tjenesteområder"), Block("text", p(2)),
        Block("h2", "3.1 Oppvekst & utdanning"), Block("text", p(3)),
        Block("h3", "Grunnskole"), Block("text", p(2) + "<ul><li>Tidlig innsats</li><li>Skolebygg på Sveberg</li></ul>"),
        Block("h3", "Kulturskole"), Block("text", p(2), broken="gone"),
        Block("h2", "3.2 Helse og velferd"), Block("text", "", broken="null"),
        Block("h2", "3.3 Kultur og fritid"), Block("text", p(2), broken="invalid"),
        Block("h1", "4 Investeringer"), Block("text", p(3)),
    ]  # fmt: skip


def content_html(pub: Publication) -> str:
    """The "whole plan on one page" view: headings and placeholders in document order."""
    rows = []
    for b in pub.blocks:
        if b.kind in ("h1", "h2", "h3"):
            rows.append(f'<div class="row {b.kind}" id="s-{b.bid}">{html.escape(b.value, quote=False)}</div>')
        elif b.kind == "text":
            rows.append(f'<div class="row text"><app-text-block dataId="/{b.bid}"></app-text-block></div>')
        else:
            rows.append(f'<div class="row table"><app-dynamic-table tableId="{b.bid}"></app-dynamic-table></div>')
    return ('<div class="summary-content" data-summary="' + SUMMARY + '">\n' + "\n".join(rows) + "\n</div>\n")


def shell_html(pub: Publication) -> str:
    return f"""<!doctype html>
<html lang="nb">
<head>
  <meta charset="utf-8">
  <title>Framsikt</title>
  <base href="{pub.path}/">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <link rel="stylesheet" href="styles.6f1c2e.css">
</head>
<body>
  <app-root></app-root>
  <noscript>Denne siden krever JavaScript.</noscript>
  <script src="runtime.9a7d11.js" type="module"></script>
  <script src="main.41bc0f.js" type="module"></script>
</body>
</html>
"""


def tree_json(pub: Publication) -> dict:
    """The document tree (UNVERIFIED shape): level 1 and 2 headings with their hash routes."""
    nodes: list[dict] = []
    for b in pub.blocks:
        node = {"id": f"{b.bid}-cn", "title": b.value, "route": f"/generic/summary/introduction/{b.bid}-cn",
                "children": []}  # fmt: skip
        if b.kind == "h1":
            nodes.append(node)
        elif b.kind == "h2":
            nodes[-1]["children"].append(node)
    return {"title": pub.title, "tenant": TENANT, "published": pub.published, "nodes": nodes}


def description_bytes(b: Block) -> bytes:
    if b.broken == "null":
        return json.dumps({"description": None}).encode()
    data = json.dumps({"description": b.value}, ensure_ascii=False).encode("utf-8")
    return data[: len(data) // 2] if b.broken == "invalid" else data


def pages_truth(pub: Publication) -> list[dict]:
    """Each level-1 or level-2 heading starts a page: its headings, visible text and tables."""
    pages: list[dict] = []
    for b in pub.blocks:
        if b.kind in ("h1", "h2"):
            pages.append({"n": len(pages) + 1, "level": int(b.kind[1]), "heading": b.value, "headings": [b.value],
                          "text": [], "tables": [], "blocks": [], "problems": []})  # fmt: skip
            continue
        page = pages[-1]
        if b.kind == "h3":
            page["headings"].append(b.value)
        elif b.kind == "table":
            t = b.table or {}
            page["tables"].append({"id": b.bid, **t})
            page["blocks"].append({"kind": "table", "id": b.bid})
        else:
            page["blocks"].append({"kind": "text", "id": b.bid, "broken": b.broken or None})
            if b.broken == "gone":
                page["problems"].append({"kind": "expired_link", "id": b.bid, "status": 404})
            elif b.broken == "invalid":
                page["problems"].append({"kind": "malformed_record", "id": b.bid, "reason": "not JSON"})
            elif b.broken != "null":
                page["text"].append(visible_text(b.value))
    return pages


class Builder:
    def __init__(self, store: Store) -> None:
        self.store = store
        self.k = KOMMUNER["malvik"]
        self.truth: dict = {"tenant": TENANT, "summary_id": SUMMARY, "unverified": UNVERIFIED, "publications": [],
                            "problems": [], "series": [], "inhabitants": [], "gone_publication": None}  # fmt: skip

    def assign_ids(self, pub: Publication) -> None:
        for n, b in enumerate(pub.blocks):
            b.bid = guid(f"{pub.key}-{n}-{b.kind}")

    def files(self, pub: Publication, blocks: list[Block], day: str) -> dict[str, bytes]:
        """Every static file of a publication (path -> bytes), as a snapshot."""
        pub.blocks = blocks
        self.assign_ids(pub)
        out = {f"{pub.path}/": shell_html(pub).encode(),
               f"{pub.path}/content/data/tree.json": json.dumps(tree_json(pub), ensure_ascii=False).encode(),
               f"{pub.path}/content/html/summary/{SUMMARY}/content.html": content_html(pub).encode()}  # fmt: skip
        for b in blocks:
            if b.kind == "text" and b.broken != "gone":
                out[f"{pub.path}/content/text/{b.bid}/description.json"] = description_bytes(b)
            elif b.kind == "table":
                out[f"{pub.path}/content/table/{b.bid}/data.json"] = json.dumps(b.table, ensure_ascii=False).encode()
        for b in blocks:
            figures.check_words(b.value + json.dumps(b.table or {}, ensure_ascii=False))
        return out

    def serve_files(self, files: dict[str, bytes], day: str) -> None:
        for path, data in files.items():
            ctype = HTML if path.endswith((".html", "/")) else JSON
            self.store.put(HOST, path, data, ctype, day)

    def publication(self, pub: Publication) -> None:
        k = self.k
        files = self.files(pub, publication_blocks(k, pub.key, pub.stage, kf_table=pub.kf_table), pub.published)
        self.serve_files(files, pub.published)
        self.store.redirect(HOST, pub.path, "{{FRAMSIKT}}" + pub.path + "/", 301)
        pages = pages_truth(pub)
        entry = {"key": pub.key, "path": pub.path, "title": pub.title, "stage": pub.stage, "published": pub.published,
                 "content_html": f"{pub.path}/content/html/summary/{SUMMARY}/content.html",
                 "tree_json": f"{pub.path}/content/data/tree.json", "pages": pages,
                 "snapshots": {"a": sorted(files)}}  # fmt: skip
        for page in pages:
            for problem in page["problems"]:
                path = f"{pub.path}/content/text/{problem['id']}/description.json"
                self.truth["problems"].append({
                    "platform": "framsikt", "source": "malvik", "kind": problem["kind"], "host": HOST, "path": path,
                    "page": page["n"], "status": problem.get("status"),
                    "reason": "404 Not Found" if problem["kind"] == "expired_link" else "description.json is not JSON",
                    "expect": "keep the page with its heading and the other blocks; record the failure; go on"})  # fmt: skip
        frames_page = next(p for p in pages if p["heading"] == "2.2 Netto driftsrammer")
        kf_page = next(p for p in pages if p["heading"] == "2.1 Nøkkeltall")
        series = []
        table = frames_page["tables"][0]
        for row in table["rows"]:
            if row["label"] not in LINES:
                continue
            for column, year, kind, v in zip(table["columns"], figures.YEARS, figures.KINDS, row["values"], strict=True):
                series.append({"kommune": k.name, "source": k.source, "label": row["label"], "column": column,
                               "year": year, "kind": kind, "value_kr": v, "text": str(v), "unit": "kr",
                               "page": frames_page["n"], "doc": pub.key, "stage": pub.stage})  # fmt: skip
        inhabitants, result = key_figure_points(k, pub.stage, pub.kf_table)
        for item in inhabitants:
            item.update(doc=pub.key, page=kf_page["n"])
        for item in result:
            item.update(doc=pub.key, page=kf_page["n"])
        self.truth["series"] += series + result
        self.truth["inhabitants"] += inhabitants
        self.truth["publications"].append(entry)
        planted = [{"page": 1, "text": f"Det nye {k.unique_word} skal stå ferdig i planperioden."}] \
            if pub.stage == "forslag" else []  # fmt: skip
        self.store.docs.append(TruthDoc(
            key=pub.key, host=HOST, path=pub.path, final_path=pub.path + "/", title=pub.title, year=YEAR,
            period=PERIOD, committee=pub.committee, doctype=pub.doctype, date=pub.published, pages=len(pages),
            media_type="framsikt", content_type=HTML, link_text=pub.title, source_page=CMS_PAGE, planted=planted,
            tables=[{"page": p["n"], **t} for p in pages for t in p["tables"]], series=series + result,
            kommune=k.name,
            kommunenummer=k.number, source=k.source, platform="framsikt"))  # fmt: skip

    def republished(self, pub: Publication) -> None:
        """Snapshot b of the proposal: a corrected frame for Kulturskole and a note in the text."""
        old = {b.bid: b for b in pub.blocks}
        blocks = publication_blocks(self.k, pub.key, pub.stage, bump=300, corrected=True, kf_table=pub.kf_table)
        files = self.files(Publication(**{**pub.__dict__, "blocks": []}), blocks, "2023-11-02")
        entry = next(e for e in self.truth["publications"] if e["key"] == pub.key)
        changed = []
        for path, data in sorted(files.items()):
            current = (self.store.dest / next(r["file"] for r in self.store.routes
                                              if r["host"] == HOST and r["key"] == path)).read_bytes()  # fmt: skip
            if current != data:
                rel = f"files/{HOST}-b/{hashlib.sha1(path.encode()).hexdigest()[:16]}"
                (self.store.dest / rel).parent.mkdir(parents=True, exist_ok=True)
                (self.store.dest / rel).write_bytes(data)
                changed.append({"path": path, "file": rel})
        pub_b = Publication(**{**pub.__dict__, "blocks": blocks})
        assert set(old) == {b.bid for b in blocks}, "a republished publication keeps its block ids"
        pages_b = pages_truth(pub_b)
        entry["snapshots"]["b"] = {"published": "2023-11-02", "changed": changed, "pages": pages_b,
                                   "differs": [p["n"] for p, q in zip(entry["pages"], pages_b, strict=True)
                                               if p != q]}  # fmt: skip

    def cms(self, pubs: list[Publication]) -> None:
        """Malvik's own page: it links the publications (hash URLs), and one that is gone."""
        forslag, vedtatt = pubs
        gone = f"/{YEAR}/{TENANT}/mr-202308-tertialrapport_2_2023"
        self.store.error(HOST, gone, 404, "404", "Not Found", "2023-09-01")
        self.store.error(HOST, gone + "/", 404, "404", "Not Found", "2023-09-01")
        self.truth["gone_publication"] = {"host": HOST, "path": gone, "status": 404}
        self.truth["problems"].append({"platform": "framsikt", "source": "malvik", "kind": "expired_link",
                                       "host": HOST, "path": gone, "status": 404, "reason": "404 Not Found",
                                       "expect": "record the failure with its reason; go on"})  # fmt: skip
        body = f"""<!DOCTYPE html><html lang="nb"><head><meta charset="utf-8">
<title>Handlings- og økonomiplan | Malvik kommune</title></head>
<body><header><a href="/">Malvik kommune</a></header>
<main id="innhold"><nav aria-label="Brødsmuler"><a href="/">Forside</a> / <a href="/politikk-og-organisasjon/">Politikk
og organisasjon</a> / Økonomi</nav>
<h1>Handlings- og økonomiplan</h1>
<p>Handlings- og økonomiplanen publiseres digitalt. Det lages ikke PDF-versjon av dokumentet.</p>
<h2>Handlings- og økonomiplan {PERIOD.replace("-", "–")}</h2>
<ul class="lenkeliste">
<li><a href="{{{{FRAMSIKT}}}}{forslag.path}#/">Kommunedirektørens forslag til handlings- og økonomiplan
{PERIOD.replace("-", "–")}</a> (publisert 24.10.2023)</li>
<li><a href="{{{{FRAMSIKT}}}}{vedtatt.path}">Vedtatt handlings- og økonomiplan {PERIOD.replace("-", "–")}</a>
(vedtatt i kommunestyret 14.12.2023)</li>
</ul>
<h2>Rapportering</h2>
<ul class="lenkeliste"><li><a href="{{{{FRAMSIKT}}}}{gone}#/">2. tertialrapport 2023</a></li>
<li><a href="https://www.ssb.no/kommunefakta/malvik">Kommunefakta for Malvik (SSB)</a></li></ul>
</main><footer>Malvik kommune &middot; Postboks 140 &middot; 7551 Hommelvik</footer></body></html>"""
        self.store.page(CMS, CMS_PAGE, body, "2023-12-15")
        self.store.never_request.append({"url": "https://www.ssb.no/kommunefakta/malvik", "why": "off-site"})


def build_framsikt(store: Store) -> dict:
    """Write Malvik's two publications (and the proposal's second snapshot) and its page."""
    b = Builder(store)
    period = PERIOD.replace("-", "–")
    forslag = Publication("framsikt-forslag", f"bm-{YEAR}-hop_{YEAR}_{YEAR + 3}",
                          f"Kommunedirektørens forslag til handlings- og økonomiplan {period}", "forslag", "forslag",
                          None, "2023-10-24")  # fmt: skip
    vedtatt = Publication("framsikt-vedtak", f"bm-{YEAR}-hop_{YEAR}_{YEAR + 3}_vedtatt",
                          f"Vedtatt handlings- og økonomiplan {period}", "vedtak", "vedtak", "kommunestyret",
                          "2023-12-14", kf_table=True)  # fmt: skip
    b.publication(forslag)
    b.publication(vedtatt)
    b.republished(forslag)
    b.cms([forslag, vedtatt])
    return b.truth


def republish(server: SampleServer, dest: Path, key: str = "framsikt-forslag") -> list[str]:
    """Serve snapshot b of a publication from now on (the files that changed get new bytes and
    ETags); returns the changed paths."""
    answers = json.loads((Path(dest) / "replicas.json").read_text(encoding="utf-8"))
    entry = next(p for p in answers["framsikt"]["publications"] if p["key"] == key)
    for change in entry["snapshots"]["b"]["changed"]:
        server.replace_route(HOST, change["path"], (Path(dest) / change["file"]).read_bytes())
    return [c["path"] for c in entry["snapshots"]["b"]["changed"]]
