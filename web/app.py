"""The web UI's routes: server-rendered pages over the same data dir as the CLI, read-only.

Every route is a thin function: read and validate the request (web/params.py), call the
library (index/, catalog/), render a template or stream an export (web/export.py). The
routes are a contract (README): `/`, `/search`, `/doc/{id}`, `/trend`, `/series`, `/vedtak`, `/status`,
`/api/search|documents|doc/{id}|trend|series|vedtak|status`, `/feed.atom`.

Handlers are plain functions: Starlette runs them in its thread pool, so a slow search or
render never blocks the event loop.
"""

from __future__ import annotations

import logging
import mimetypes
import re
import threading
from collections import OrderedDict
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup, escape
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import FileResponse, HTMLResponse, JSONResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

import catalog
from catalog import DataDir
from catalog.export import HIT_COLUMNS, TREND_COLUMNS, VERSION_COLUMNS, hit_dict, plain, safe, version_dict
from catalog.status import archive_status
from i18n import from_accept_language, normalise, translations
from index import IndexMissing, QueryError
from index import search as library_search
from index.years import trend_years
from web import charts, export, params, render
from web.security import SecurityHeaders

STATIC = Path(__file__).parent / "static"
HTMX = "htmx-2.0.4.min.js"
MEDIA_TYPES = {"pdf": "application/pdf",
               "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
               "doc": "application/msword"}
FEED_ENTRIES = 100
log = logging.getLogger("hparkiv.web")
_SAFE_NAME = re.compile(r"[^A-Za-z0-9._-]+")


# --- language and templates ------------------------------------------------------------------


def language(request: Request) -> tuple[str, str | None]:
    """(language, explicit choice to carry in links): ?lang= wins, then Accept-Language, then bokmål."""
    explicit = normalise(request.query_params.get("lang"))
    if explicit:
        return explicit, explicit
    return from_accept_language(request.headers.get("accept-language")) or "nb", None


@cache
def templates(lang: str) -> Environment:
    """One Jinja environment per language, with that language's gettext catalog installed."""
    env = Environment(loader=PackageLoader("web", "templates"), extensions=["jinja2.ext.i18n"],
                      autoescape=select_autoescape(("html", "xml", "svg"), default_for_string=True),
                      trim_blocks=True, lstrip_blocks=True)
    env.install_gettext_translations(translations(lang), newstyle=True)  # type: ignore[attr-defined]
    env.filters["mark"] = mark
    env.filters["external"] = external_url
    # Translated messages are trusted markup under newstyle gettext; one that goes into an
    # attribute and holds quotes is escaped as text again.
    env.filters["attr"] = lambda value: escape(str(value))
    env.filters["when"] = when
    return env


def mark(snippet: str | None) -> Markup:
    """A snippet's [[match]] markers as <mark>, everything else escaped."""
    out, rest = [], plain_controls(snippet or "")
    while "[[" in rest:
        before, _, after = rest.partition("[[")
        word, _, rest = after.partition("]]")
        out.append(escape(before) + Markup("<mark>") + escape(word) + Markup("</mark>"))
    out.append(escape(rest))
    return Markup("").join(out)


def when(stamp: str | None) -> str:
    """'2026-11-30T19:09:21Z' -> '2026-11-30 19:09' (UTC, as the catalog records it)."""
    return (stamp or "").replace("T", " ")[:16]


def external_url(url: str | None) -> str:
    """A link to the outside only when it is http(s): a `javascript:` or `data:` URL from a
    crawled page becomes an inert '#'."""
    url = plain_controls(url or "").strip()
    return url if re.match(r"https?://", url, re.IGNORECASE) and not re.search(r"\s", url) else "#"


def plain_controls(text: str) -> str:
    return safe(text)


def page(request: Request, name: str, status: int = 200, **context: Any) -> HTMLResponse:
    lang, explicit = language(request)

    def href(path: str, query: str | dict[str, Any] = "") -> str:
        if isinstance(query, dict):
            query = urlencode({k: v for k, v in query.items() if v not in (None, "")})
        if explicit:
            query = (query + "&" if query else "") + f"lang={explicit}"
        return path + ("?" + query if query else "")

    other = "en" if lang == "nb" else "nb"
    switch = dict(request.query_params) | {"lang": other}
    html = templates(lang).get_template(name).render(
        lang=lang, lang_param=explicit, href=href, htmx=HTMX, path=request.url.path,
        switch_language=request.url.path + "?" + urlencode(switch), other_language=other, **context)
    return HTMLResponse(html, status_code=status)


def _(request: Request, message: str, **values: Any) -> str:
    text = translations(language(request)[0]).gettext(message)
    return text % values if values else text


def query_error(request: Request, e: QueryError) -> str:
    """A query or filter error in the request's language."""
    return _(request, "Bad query: %(reason)s", reason=e.translated(translations(language(request)[0]).gettext))


# --- shared lookups ---------------------------------------------------------------------------

# The index is read through Whoosh file objects shared by every search of a process (seek,
# then read): two searches at once in two threads garbled each other's reads (measured:
# UnpicklingError under 8 concurrent clients). Searches are CPU-bound Python, serialised by
# the GIL anyway, so one lock costs no throughput; renders run outside it.
INDEX_LOCK = threading.Lock()


def search(*args: Any, **kwargs: Any):
    """index.search, one at a time per process (see INDEX_LOCK)."""
    with INDEX_LOCK:
        return library_search(*args, **kwargs)



@cache
def vocabulary():
    """Committees and document types of every shipped source (light: TOML only, no Scrapy)."""
    from sources import shipped_vocabulary

    return shipped_vocabulary()


def data_dir_of(request: Request) -> DataDir:
    return request.app.state.data_dir


def connect(request: Request):
    try:
        return catalog.connect_readonly(data_dir_of(request))
    except Exception:
        raise HTTPException(503, "no catalog") from None


def find(request: Request, raw_id: str):
    conn = connect(request)
    v = catalog.find_version(conn, params.doc_id(raw_id))
    if v is None:
        conn.close()
        raise params.NotFound(raw_id)
    return conn, v


def run_search(data_dir: DataDir, sp: params.SearchParams, limit: int | None, offset: int,
               facets: bool = True):
    return search(data_dir, sp.q, sp.filters, limit=limit, offset=offset, facets=facets, sort=sp.sort)


def group_hits(hits: list[Any], conn) -> list[dict[str, Any]]:
    """Hits grouped by document in order of first appearance, as the CLI prints them."""
    groups: OrderedDict[str, dict[str, Any]] = OrderedDict()
    for h in hits:
        g = groups.get(h.sha256 or h.doc_id)
        if g is None:
            v = catalog.get_version(conn, h.sha256) if h.sha256 else None
            g = groups[h.sha256 or h.doc_id] = {"first": h, "hits": [], "renderable": renderable(v)}
        g["hits"].append(h)
    return list(groups.values())


def renderable(v: Any) -> bool:
    """Only PDFs that extracted cleanly are rendered: a file that broke the extractor never
    reaches pdfium in the web server's process."""
    return bool(v and v.media_type == "pdf" and v.status == "ok" and v.pages)


# --- pages ----------------------------------------------------------------------------------------


def home(request: Request) -> Response:
    return page(request, "home.html", info=archive_status(data_dir_of(request)))


def search_page(request: Request) -> Response:
    sp = params.search_params(request.query_params, vocabulary(), required=False)
    context: dict[str, Any] = {"sp": sp, "error": None, "result": None, "groups": [], "suggestions": []}
    partial = request.headers.get("hx-request") == "true" and request.headers.get("hx-target") == "results"
    template = "_results.html" if partial else "search.html"
    if not sp.q:
        return page(request, template, **context)
    data_dir = data_dir_of(request)
    try:
        result = run_search(data_dir, sp, sp.size, sp.offset)
    except QueryError as e:
        context["error"] = query_error(request, e)
        return page(request, template, status=400, **context)
    conn = connect(request)
    try:
        context["groups"] = group_hits(result.hits, conn)
    finally:
        conn.close()
    context["result"] = result
    context["pages"] = max(1, min(params.MAX_RESULT_PAGE, -(-result.total // sp.size)))
    if not result.total:
        context["suggestions"] = suggestions(data_dir, sp)
    return page(request, template, **context)


def suggestions(data_dir: DataDir, sp: params.SearchParams) -> list[dict[str, Any]]:
    """For zero hits: what dropping one filter, or one word, would find (each counted)."""
    out = []
    for key in list(sp.raw):
        if key == "all_versions":
            continue
        raw = {k: v for k, v in sp.raw.items() if k != key}
        try:
            f, _raw = params.filters(raw, vocabulary())
            total = search(data_dir, sp.q, f, limit=0, facets=False).total
        except (QueryError, params.BadRequest):
            continue
        if total:
            out.append({"kind": "filter", "name": key, "value": sp.raw[key], "total": total,
                        "query": urlencode({"q": sp.q, **raw})})
    words = sp.q.split()
    if 1 < len(words) <= 6 and not any(c in sp.q for c in '"()'):
        for i, word in enumerate(words):
            rest = " ".join(words[:i] + words[i + 1:])
            try:
                total = search(data_dir, rest, sp.filters, limit=0, facets=False).total
            except QueryError:
                continue
            if total:
                out.append({"kind": "word", "name": word, "total": total,
                            "query": urlencode({"q": rest, **sp.raw})})
    return out


def doc_page(request: Request) -> Response:
    conn, v = find(request, request.path_params["doc_id"])
    try:
        page_no = params.int_param(request.query_params, "page", 0, 1, max(1, v.pages or 1))
        if page_no:
            return page_view(request, conn, v, page_no)
        links = catalog.links_to(conn, v.sha256)
        history = catalog.versions_at_urls_of(conn, v.sha256)
        return page(request, "doc.html", v=v, urls=catalog.urls_of(conn, v.sha256), links=links,
                    history=history, renderable=renderable(v), q=params.query_text(request.query_params, False),
                    filename=download_name(v), thumb=render.THUMB_WIDTH)
    finally:
        conn.close()


def page_view(request: Request, conn, v: Any, page_no: int) -> Response:
    q = params.query_text(request.query_params, required=False)
    data_dir = data_dir_of(request)
    texts = {p.page: p for p in catalog.pages_of(conn, v.sha256)}
    text = texts.get(page_no)
    error, boxes, hit_pages = None, None, []
    is_hit = None
    if q:
        from index.highlight import word_matcher

        try:
            with INDEX_LOCK:
                is_hit = word_matcher(data_dir, q)
            found = search(data_dir, q, catalog.Filters(all_versions=True), limit=None, facets=False,
                           within=v.sha256)
            hit_pages = sorted({h.page for h in found.hits})
        except QueryError as e:
            error = query_error(request, e)
        except IndexMissing:
            error = _(request, "There is no index yet: run `hparkiv update` first.")
    if renderable(v):
        try:
            boxes = render.word_boxes(data_dir, v.sha256, page_no, is_hit or (lambda _w: False))
        except render.PageMissing:
            boxes = None
    before = [p for p in hit_pages if p < page_no]
    after = [p for p in hit_pages if p > page_no]
    return page(
        request, "page.html", status=400 if error else 200, v=v, page_no=page_no, q=q, error=error,
        text=marked_text(text.text if text else "", is_hit), ocr=bool(text and text.ocr), boxes=boxes,
        tables=catalog.tables_of(conn, v.sha256, page_no), hit_pages=hit_pages,
        previous_hit=before[-1] if before else None, next_hit=after[0] if after else None,
        renderable=renderable(v), width=render.PAGE_WIDTH,
    )


_WORDS = re.compile(r"\w+")


def marked_text(text: str, is_hit) -> Markup:
    """A page's text, escaped, with the words the query matched in <mark>."""
    text = plain_controls(text)
    if is_hit is None:
        return escape(text)
    out, pos = [], 0
    for m in _WORDS.finditer(text):
        if is_hit(m.group()):
            out.append(escape(text[pos:m.start()]) + Markup("<mark>") + escape(m.group()) + Markup("</mark>"))
            pos = m.end()
    out.append(escape(text[pos:]))
    return Markup("").join(out)


def download_name(v: Any) -> str:
    """A clean file name for "download our copy": the URL's last part, else the doc id."""
    ext = {"pdf": ".pdf", "docx": ".docx", "doc": ".doc"}.get(v.media_type, "")
    last = v.url.split("?", 1)[0].split("#", 1)[0].rstrip("/").rsplit("/", 1)[-1]
    stem = _SAFE_NAME.sub("_", last.rsplit(".", 1)[0] if "." in last else last).strip("._-")[:80]
    return f"{stem or 'dokument'}-{v.doc_id}{ext}"


def doc_file(request: Request) -> Response:
    conn, v = find(request, request.path_params["doc_id"])
    conn.close()
    path = data_dir_of(request).file_path(v.sha256)
    if not path.is_file():
        raise params.NotFound(v.doc_id)
    media = MEDIA_TYPES.get(v.media_type) or "application/octet-stream"
    return FileResponse(path, media_type=media, filename=download_name(v),
                        headers={"Cache-Control": "private, max-age=86400"})


def page_image(request: Request) -> Response:
    conn, v = find(request, request.path_params["doc_id"])
    conn.close()
    page_no = request.path_params["page"]
    width = params.int_param(request.query_params, "w", render.THUMB_WIDTH, 1, 10_000)
    if width not in render.WIDTHS:
        raise params.BadRequest(f"w must be one of {', '.join(map(str, render.WIDTHS))}")
    if not renderable(v) or not 1 <= page_no <= (v.pages or 0):
        raise params.NotFound(v.doc_id)
    try:
        path = render.page_image(data_dir_of(request), v.sha256, page_no, width)
    except render.PageMissing:
        raise params.NotFound(v.doc_id) from None
    return FileResponse(path, media_type="image/webp",
                        headers={"Cache-Control": "public, max-age=31536000, immutable"})


def tables_csv(request: Request) -> Response:
    conn, v = find(request, request.path_params["doc_id"])
    try:
        page_no = params.int_param(request.query_params, "page", 0, 1, max(1, v.pages or 1))
        found = catalog.tables_of(conn, v.sha256, page_no or None)
    finally:
        conn.close()
    name = f"{v.doc_id}-tables" + (f"-p{page_no}" if page_no else "") + ".csv"
    return export.stream(export.table_rows(found), "csv", None, name)


def trend_page(request: Request) -> Response:
    sp = params.search_params(request.query_params, vocabulary(), required=False)
    context: dict[str, Any] = {"sp": sp, "rows": [], "chart": None, "error": None}
    if sp.q:
        try:
            rows = trend_rows(request, sp)
        except QueryError as e:
            context["error"] = query_error(request, e)
            return page(request, "trend.html", status=400, **context)
        lang, explicit = language(request)
        context["rows"] = rows
        context["chart"] = charts.bar_chart(
            rows, title=_(request, "Pages matching “%(query)s” per budget year", query=sp.q),
            description=_(request, "A bar for each budget year; its height is the number of matching pages."),
            link=lambda year: "/search?" + sp.query_string(year=year, page=None, lang=explicit),
            label=lambda r: _(request, "%(year)s: %(pages)s pages in %(documents)s documents",
                              year=r.year, pages=r.pages, documents=r.documents))
    return page(request, "trend.html", **context)


def trend_rows(request: Request, sp: params.SearchParams) -> list[Any]:
    """Every budget year the archive covers, with matches (index.years, as `hparkiv trend`)."""
    conn = connect(request)
    try:
        with INDEX_LOCK:
            return trend_years(data_dir_of(request), sp.q, sp.filters, conn=conn)
    finally:
        conn.close()


def series_lines(request: Request) -> tuple[str, Any, dict[str, str]]:
    """The budget line `label` across the years (budget.series, as `hparkiv series`)."""
    from budget import series as run_series

    label = (request.query_params.get("label") or "").strip()
    if len(label) > 200:
        raise params.BadRequest("label too long (at most 200 characters)")
    f, raw = params.filters(request.query_params)
    if not label:
        return label, None, raw
    conn = connect(request)
    try:
        return label, run_series(conn, label, f, exact=request.query_params.get("exact") == "1"), raw
    finally:
        conn.close()


def series_page(request: Request) -> Response:
    from budget import NoSuchLine, lines

    try:
        label, found, raw = series_lines(request)
    except NoSuchLine:
        label = request.query_params.get("label", "")
        return page(request, "series.html", status=404, label=label, raw={}, found=None, budget=[], accounts=[],
                    chart=None, error=_(request, "No table row matches %(label)s; try fewer words.", label=label))
    budget, accounts = lines(found) if found else ([], [])
    chart = None
    if budget:
        best: dict[int, Any] = {}
        for line in budget:  # per year, the latest stage: vedtak over innstilling over forslag
            order = {"forslag": 0, "innstilling": 1, "vedtak": 2}.get(line.stage, -1)
            if line.year not in best or order >= best[line.year][0]:
                best[line.year] = (order, line)
        rows = [line for _o, line in (best[y] for y in sorted(best))]
        lang, explicit = language(request)
        chart = charts.bar_chart(
            rows, title=_(request, "%(label)s per budget year (%(unit)s)", label=label, unit=found.unit or "?"),
            description=_(request, "A bar for each budget year: the latest decided stage's value."),
            link=lambda year: "/search?" + urlencode({"q": label, "year": year}),
            label=lambda r: f"{r.year}: {r.value:,.1f} ({r.stage})", value=lambda r: r.value)
    qs = urlencode({"label": label, **raw})
    return page(request, "series.html", label=label, raw=raw, found=found, budget=budget, accounts=accounts,
                chart=chart, error=None, export=qs)


def api_series(request: Request) -> Response:
    from budget import POINT_COLUMNS, NoSuchLine

    fmt = params.export_format(request.query_params)
    try:
        label, found, _raw = series_lines(request)
    except NoSuchLine:
        raise params.NotFound("no such line") from None
    if found is None:
        raise params.BadRequest("label is required")
    if fmt == "json":
        return JSONResponse(found.to_dict())
    return export.stream(iter(found.to_dict()["points"]), fmt, POINT_COLUMNS, "series.csv" if fmt == "csv" else None)


def vedtak_search(request: Request, limit: int | None, offset: int = 0) -> tuple[Any, dict[str, str]]:
    """Decisions for the request (index.vedtak, as `hparkiv vedtak`): the result and the
    request's filters as given (for links). A bad filter raises QueryError (status 400)."""
    from index.vedtak import OUTCOMES, search_vedtak

    q = params.query_text(request.query_params, required=False)
    party = (request.query_params.get("party") or "").strip()
    outcome = (request.query_params.get("outcome") or "").strip()
    if len(party) > 40:
        raise params.BadRequest("party too long (at most 40 characters)")
    if outcome and outcome not in OUTCOMES:
        raise params.BadRequest(f"outcome must be one of {', '.join(OUTCOMES)}")
    f, raw = params.filters(request.query_params)
    raw = {"q": q, **raw, "party": party, "outcome": outcome}
    with INDEX_LOCK:
        result = search_vedtak(data_dir_of(request), q or None, f, party=party or None,
                                  outcome=outcome or None, limit=limit, offset=offset)
    return result, {k: v for k, v in raw.items() if v}


def vedtak_page(request: Request) -> Response:
    from index.vedtak import vedtak_record

    size = params.PAGE_SIZE
    raw = {k: request.query_params.get(k, "").strip() for k in ("q", "year", "committee", "party", "outcome")}
    context: dict[str, Any] = {"raw": raw, "error": None, "result": None, "records": [], "dropped": [],
                               "page_no": 1}
    try:
        page_no = context["page_no"] = params.int_param(request.query_params, "page", 1, 1, params.MAX_RESULT_PAGE)
        result, given = vedtak_search(request, size, (page_no - 1) * size)
    except QueryError as e:
        context["error"] = query_error(request, e)
        return page(request, "vedtak.html", status=400, **context)
    except params.BadRequest as e:
        context["error"] = _(request, "Bad request: %(reason)s", reason=str(e))
        return page(request, "vedtak.html", status=400, **context)
    context["result"] = result
    context["records"] = [vedtak_record(v, d) for v, d in result.vedtak]
    context["pages"] = max(1, min(params.MAX_RESULT_PAGE, -(-result.total // size)))
    context["query"] = urlencode(given)
    context["export"] = urlencode(given)
    if not result.total:  # zero hits: each filter or the words, dropped, as links
        context["dropped"] = [(k, v, urlencode({kk: vv for kk, vv in given.items() if kk != k}))
                              for k, v in given.items()]
    return page(request, "vedtak.html", **context)


def api_vedtak(request: Request) -> Response:
    from index.vedtak import vedtak_record

    fmt = params.export_format(request.query_params)
    result, given = vedtak_search(request, None)
    records = (vedtak_record(v, d) for v, d in result.vedtak)
    if fmt == "json":  # the shape of `hparkiv vedtak --format json`
        return JSONResponse({"query": given.get("q"), "total": result.total, "decisions": list(records)})
    if fmt == "jsonl":
        return export.stream(records, fmt, None, None)
    return export.stream(export.decision_rows(records), "csv", export.DECISION_COLUMNS, "vedtak.csv")


def status_page(request: Request) -> Response:
    return page(request, "status.html", info=archive_status(data_dir_of(request)))


# --- exports ----------------------------------------------------------------------------------


def api_search(request: Request) -> Response:
    sp = params.search_params(request.query_params, vocabulary())
    fmt = params.export_format(request.query_params)
    data_dir = data_dir_of(request)
    first = run_search(data_dir, sp, export.CHUNK, 0, facets=(fmt == "json"))  # a bad query fails here, as 400

    def rows():
        result, offset = first, 0
        while True:
            yield from (hit_dict(h) for h in result.hits)
            offset += export.CHUNK
            if offset >= result.total or not result.hits:
                return
            result = run_search(data_dir, sp, export.CHUNK, offset, facets=False)

    if fmt == "json":
        return export.stream_object({"query": sp.q, "total": first.total}, "hits", rows(),
                                    {"facets": first.facets})
    return export.stream(rows(), fmt, HIT_COLUMNS, "search.csv" if fmt == "csv" else None)


def api_documents(request: Request) -> Response:
    f, _raw = params.filters(request.query_params, vocabulary())
    status = request.query_params.get("status")
    if status and status not in catalog.models.STATUSES:
        raise params.BadRequest(f"status must be one of {', '.join(catalog.models.STATUSES)}")
    f.status = status or None
    fmt = params.export_format(request.query_params)
    conn = connect(request)
    versions = catalog.list_versions(conn, f)
    conn.close()
    rows = (version_dict(v) for v in versions)
    if fmt == "json":
        return export.stream_array(rows)
    return export.stream(rows, fmt, VERSION_COLUMNS, "documents.csv" if fmt == "csv" else None)


def api_doc(request: Request) -> Response:
    conn, v = find(request, request.path_params["doc_id"])
    try:
        page_no = params.int_param(request.query_params, "page", 0, 1, max(1, v.pages or 1))
        pages = [p for p in catalog.pages_of(conn, v.sha256) if p.page == page_no] if page_no else []
        body = version_dict(v) | {
            "urls": catalog.urls_of(conn, v.sha256),
            "links": [vars(link) for link in catalog.links_to(conn, v.sha256)],
            "pages_text": [{"page": p.page, "text": p.text, "ocr": p.ocr} for p in pages],
        }
    finally:
        conn.close()
    return JSONResponse(body)


def api_trend(request: Request) -> Response:
    sp = params.search_params(request.query_params, vocabulary())
    fmt = params.export_format(request.query_params)
    rows = [vars(r) for r in trend_rows(request, sp)]
    if fmt == "json":
        return JSONResponse({"query": sp.q, "count": "pages", "normalise": False, "years": rows})
    return export.stream(iter(rows), fmt, TREND_COLUMNS, "trend.csv" if fmt == "csv" else None)


def api_status(request: Request) -> Response:
    return JSONResponse(archive_status(data_dir_of(request)))


def feed(request: Request) -> Response:
    """An Atom feed of the documents matching a search, newest first (by when the archive first saw
    them): subscribe, and a new document that mentions the words shows up."""
    sp = params.search_params(request.query_params, vocabulary())
    data_dir = data_dir_of(request)
    first = search(data_dir, sp.q, sp.filters, limit=export.CHUNK, offset=0, facets=False)
    docs: dict[str, dict[str, Any]] = {}
    result, offset = first, 0
    while True:
        for h in result.hits:
            d = docs.setdefault(h.sha256, {"hit": h, "pages": []})
            d["pages"].append(h.page)
        offset += export.CHUNK
        if offset >= result.total or not result.hits:
            break
        result = search(data_dir, sp.q, sp.filters, limit=export.CHUNK, offset=offset, facets=False)
    conn = connect(request)
    try:
        entries = []
        for sha, d in docs.items():
            v = catalog.get_version(conn, sha)
            if v is not None:
                entries.append({"v": v, "hit": d["hit"], "pages": sorted(d["pages"])})
    finally:
        conn.close()
    entries.sort(key=lambda e: (e["v"].first_seen, e["v"].date or ""), reverse=True)
    entries = entries[:FEED_ENTRIES]
    base = str(request.base_url).rstrip("/")
    lang, _explicit = language(request)
    xml = templates(lang).get_template("feed.atom.xml").render(
        sp=sp, entries=entries, base=base, plain=plain, updated=entries[0]["v"].first_seen if entries else
        "1970-01-01T00:00:00Z", self_url=f"{base}/feed.atom?{sp.query_string(page=None)}",
        html_url=f"{base}/search?{sp.query_string(page=None)}")
    return Response(xml, media_type="application/atom+xml; charset=utf-8")


# --- errors ---------------------------------------------------------------------------------------


def _error(request: Request, status: int, message: str) -> Response:
    if request.url.path.startswith("/api/") or request.url.path.endswith((".atom", ".csv", ".webp")):
        return JSONResponse({"error": message, "status": status}, status_code=status)
    return page(request, "error.html", status=status, status_code=status, message=message)


def on_bad_request(request: Request, exc: Exception) -> Response:
    return _error(request, 400, _(request, "Bad request: %(reason)s", reason=str(exc)))


def on_not_found(request: Request, exc: Exception) -> Response:
    return _error(request, 404, _(request, "Not found: no such document or page."))


def on_query_error(request: Request, exc: Exception) -> Response:
    return _error(request, 400, query_error(request, exc))  # type: ignore[arg-type]


def on_index_missing(request: Request, exc: Exception) -> Response:
    return _error(request, 503, _(request, "There is no index yet: run `hparkiv update` first."))


def on_http(request: Request, exc: Exception) -> Response:
    status = getattr(exc, "status_code", 500)
    messages = {404: "Not found: no such document or page.", 405: "Only GET and HEAD: this site is read-only.",
                503: "There is no archive here yet: run `hparkiv update` first."}
    return _error(request, status, _(request, messages.get(status, "Something went wrong.")))


def on_crash(request: Request, exc: Exception) -> Response:
    log.error("%s %s failed", request.method, request.url.path, exc_info=exc)
    return _error(request, 500, _(request, "Something went wrong on our side; the error was logged."))


@asynccontextmanager
async def lifespan(app: Starlette) -> AsyncIterator[None]:
    """Start the render workers with the server, and stop them with it."""
    import anyio

    await anyio.to_thread.run_sync(render.warm)
    yield
    render.shutdown()


def create_app(data_dir: DataDir) -> Starlette:
    """The web UI over `data_dir`: read-only, GET and HEAD only."""
    get = ["GET", "HEAD"]
    routes = [
        Route("/", home, methods=get),
        Route("/search", search_page, methods=get),
        Route("/doc/{doc_id}", doc_page, methods=get),
        Route("/doc/{doc_id}/file", doc_file, methods=get),
        Route("/doc/{doc_id}/page/{page:int}.webp", page_image, methods=get),
        Route("/doc/{doc_id}/tables.csv", tables_csv, methods=get),
        Route("/trend", trend_page, methods=get),
        Route("/status", status_page, methods=get),
        Route("/series", series_page, methods=get),
        Route("/api/series", api_series, methods=get),
        Route("/vedtak", vedtak_page, methods=get),
        Route("/api/vedtak", api_vedtak, methods=get),
        Route("/api/search", api_search, methods=get),
        Route("/api/documents", api_documents, methods=get),
        Route("/api/doc/{doc_id}", api_doc, methods=get),
        Route("/api/trend", api_trend, methods=get),
        Route("/api/status", api_status, methods=get),
        Route("/feed.atom", feed, methods=get),
        Mount("/static", StaticFiles(directory=STATIC), name="static"),
    ]
    handlers = {
        params.BadRequest: on_bad_request, params.NotFound: on_not_found, QueryError: on_query_error,
        IndexMissing: on_index_missing, HTTPException: on_http, Exception: on_crash,
    }
    app = Starlette(routes=routes, exception_handlers=handlers, lifespan=lifespan)  # type: ignore[arg-type]
    app.state.data_dir = data_dir
    mimetypes.add_type("image/webp", ".webp")
    return SecurityHeaders(app)  # type: ignore[return-value]
