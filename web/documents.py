"""A document's pages: its metadata and history, one page with the query's words marked on
the text and boxed on the page image, the stored file, page images and the tables as CSV."""

from __future__ import annotations

import re
from typing import Any

from markupsafe import Markup, escape
from starlette.requests import Request
from starlette.responses import FileResponse, Response

import catalog
from catalog.vedtak import vedtak_of
from i18n import translations
from index import IndexMissing, QueryError
from present.cells import safe
from present.citation import citation
from present.exports import tables_export
from present.vedtak import vedtak_record
from web import params, queries, render
from web.streaming import stream
from web.templating import _, language, page, query_error

MEDIA_TYPES = {"pdf": "application/pdf",
               "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
               "doc": "application/msword"}
_SAFE_NAME = re.compile(r"[^A-Za-z0-9._-]+")
_WORDS = re.compile(r"\w+")


def doc_page(request: Request) -> Response:
    conn, v = queries.find(request, request.path_params["doc_id"])
    try:
        page_no = params.int_param(request.query_params, "page", 0, 1, max(1, v.pages or 1))
        if page_no:
            return page_view(request, conn, v, page_no)
        links = catalog.links_to(conn, v.sha256)
        history = catalog.versions_at_urls_of(conn, v.sha256)
        q = params.query_text(request.query_params, False)
        hit_pages, error = _hit_pages(request, v, q) if q else ([], None)
        return page(request, "doc.html", v=v, urls=catalog.urls_of(conn, v.sha256), links=links,
                    history=history, renderable=queries.renderable(v), q=q, hit_pages=hit_pages, error=error,
                    back=params.back(request.query_params), filename=download_name(v), thumb=render.THUMB_WIDTH,
                    has_tables=bool(catalog.tables_of(conn, v.sha256)),
                    decisions=[vedtak_record(v, d) for d in vedtak_of(conn, v.sha256)])
    finally:
        conn.close()


def _hit_pages(request: Request, v: Any, q: str) -> tuple[list[int], str | None]:
    """The pages of this document the query matches, and the error to show when it cannot be run."""
    data_dir = queries.data_dir_of(request)
    try:
        found = queries.search(data_dir, q, catalog.Filters(all_versions=True), limit=None, facets=False,
                               within=v.sha256)
    except QueryError as e:
        return [], query_error(request, e)
    except IndexMissing:
        return [], _(request, "There is no index yet: run `hparkiv update` first.")
    return sorted({h.page for h in found.hits}), None


def doc_vedtak(request: Request) -> Response:
    """The vedtak a document carries, in full (as `hparkiv show DOC --vedtak`)."""
    conn, v = queries.find(request, request.path_params["doc_id"])
    try:
        records = [vedtak_record(v, d) for d in vedtak_of(conn, v.sha256)]
    finally:
        conn.close()
    return page(request, "doc_vedtak.html", v=v, records=records)


def page_view(request: Request, conn, v: Any, page_no: int) -> Response:
    q = params.query_text(request.query_params, required=False)
    data_dir = queries.data_dir_of(request)
    texts = {p.page: p for p in catalog.pages_of(conn, v.sha256)}
    text = texts.get(page_no)
    error, boxes, hit_pages = None, None, []
    is_hit = None
    if q:
        from index.highlight import word_matcher

        hit_pages, error = _hit_pages(request, v, q)
        if error is None:
            is_hit = word_matcher(data_dir, q)
    if queries.renderable(v):
        try:
            boxes = render.word_boxes(data_dir, v.sha256, page_no, is_hit or (lambda _w: False))
        except render.PageMissing:
            boxes = None
    before = [p for p in hit_pages if p < page_no]
    after = [p for p in hit_pages if p > page_no]
    archive = archived_copy(request, v, page_no)
    decisions = [vedtak_record(v, d) for d in vedtak_of(conn, v.sha256) if d.page_from <= page_no <= d.page_to]
    return page(
        request, "page.html", status=400 if error else 200, v=v, page_no=page_no, q=q, error=error,
        text=marked_text(text.text if text else "", is_hit), ocr=bool(text and text.ocr), boxes=boxes,
        tables=catalog.tables_of(conn, v.sha256, page_no), hit_pages=hit_pages,
        previous_hit=before[-1] if before else None, next_hit=after[0] if after else None,
        renderable=queries.renderable(v), width=render.PAGE_WIDTH, back=params.back(request.query_params),
        archive=archive, decisions=decisions,
        citation=citation(v, page_no, translations(language(request)[0]).gettext,
                          archive or str(request.base_url).rstrip("/") + f"/doc/{v.doc_id}/file"),
    )


def archived_copy(request: Request, v: Any, page_no: int) -> str | None:
    """Our stored copy of a PDF, opened at a page (the browser's viewer reads #page=N); None
    for other files, which have no pages to open at."""
    if v.media_type != "pdf":
        return None
    return str(request.base_url).rstrip("/") + f"/doc/{v.doc_id}/pdf#page={page_no}"


def marked_text(text: str, is_hit) -> Markup:
    """A page's text, escaped, with the words the query matched in <mark>."""
    text = safe(text)
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
    conn, v = queries.find(request, request.path_params["doc_id"])
    conn.close()
    path = queries.data_dir_of(request).file_path(v.sha256)
    if not path.is_file():
        raise params.NotFound(v.doc_id)
    media = MEDIA_TYPES.get(v.media_type) or "application/octet-stream"
    return FileResponse(path, media_type=media, filename=download_name(v),
                        headers={"Cache-Control": "private, max-age=86400"})


# The browser's own PDF viewer shows the file (an <embed> of it, so objects from this site are
# allowed); nothing else runs, and no other page may frame it.
PDF_CSP = "default-src 'none'; object-src 'self'; frame-ancestors 'none'"


def doc_pdf(request: Request) -> Response:
    """Our copy of a PDF shown in the browser (not saved), so `#page=N` opens it at a page."""
    conn, v = queries.find(request, request.path_params["doc_id"])
    conn.close()
    path = queries.data_dir_of(request).file_path(v.sha256)
    if v.media_type != "pdf" or not path.is_file():
        raise params.NotFound(v.doc_id)
    return FileResponse(path, media_type=MEDIA_TYPES["pdf"], filename=download_name(v), content_disposition_type="inline",
                        headers={"Cache-Control": "private, max-age=86400", "Content-Security-Policy": PDF_CSP})


def page_image(request: Request) -> Response:
    conn, v = queries.find(request, request.path_params["doc_id"])
    conn.close()
    page_no = request.path_params["page"]
    width = params.int_param(request.query_params, "w", render.THUMB_WIDTH, 1, 10_000)
    if width not in render.WIDTHS:
        raise params.BadRequest(f"w must be one of {', '.join(map(str, render.WIDTHS))}")
    if not queries.renderable(v) or not 1 <= page_no <= (v.pages or 0):
        raise params.NotFound(v.doc_id)
    try:
        path = render.page_image(queries.data_dir_of(request), v.sha256, page_no, width)
    except render.PageMissing:
        raise params.NotFound(v.doc_id) from None
    return FileResponse(path, media_type="image/webp",
                        headers={"Cache-Control": "public, max-age=31536000, immutable"})


def tables_csv(request: Request) -> Response:
    """A document's tables (or one page's) as `hparkiv tables --format csv` writes them."""
    return _tables(request, "csv")


def tables_xlsx(request: Request) -> Response:
    """A document's tables (or one page's) as `hparkiv tables --format xlsx` writes them: a sheet
    per table, named from its caption, with what its numbers mean above its cells."""
    return _tables(request, "xlsx")


def _tables(request: Request, fmt: str) -> Response:
    conn, v = queries.find(request, request.path_params["doc_id"])
    try:
        page_no = params.int_param(request.query_params, "page", 0, 1, max(1, v.pages or 1))
        found = catalog.tables_of(conn, v.sha256, page_no or None)
    finally:
        conn.close()
    name = f"{v.doc_id}-tables" + (f"-p{page_no}" if page_no else "") + f".{fmt}"
    return stream(tables_export(v, found), fmt, filename=name)
