"""The API and the feed: `/api/*` answers in the CLI's `--format json` shapes, and streams
every row as `?format=csv|jsonl|xlsx` (`&dialect=excel-nb` for Norwegian Excel), through the
same present/ functions as the CLI, so the two are equal by construction. `/feed.atom` lists
the documents a search matches, newest first."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response

import catalog
from catalog.status import archive_status
from present import exports
from present.records import document_record
from present.snippets import plain
from web import params, queries
from web.streaming import json_document, stream
from web.templating import language, templates

FEED_ENTRIES = 100


def api_search(request: Request) -> Response:
    sp = params.search_params(request.query_params)
    fmt, dialect = params.export_format(request.query_params)
    data_dir = queries.data_dir_of(request)
    first = queries.run_search(data_dir, sp, queries.CHUNK, 0, facets=(fmt == "json"))  # a bad query fails here, as 400
    export = exports.search_export(sp.q, first.total, queries.every_hit(data_dir, sp, first), first.facets,
                                   exact=sp.exact, expansions=first.expansions, suggestions=first.suggestions)
    return stream(export, fmt, dialect)


def api_documents(request: Request) -> Response:
    f, _raw = params.filters(request.query_params)
    status = request.query_params.get("status")
    if status and status not in catalog.models.STATUSES:
        raise params.BadRequest(f"status must be one of {', '.join(catalog.models.STATUSES)}")
    f.status = status or None
    fmt, dialect = params.export_format(request.query_params)
    conn = queries.connect(request)
    try:
        versions = catalog.list_versions(conn, f)
    finally:
        conn.close()
    return stream(exports.documents_export(versions), fmt, dialect)


def api_doc(request: Request) -> Response:
    conn, v = queries.find(request, request.path_params["doc_id"])
    try:
        page_no = params.int_param(request.query_params, "page", 0, 1, max(1, v.pages or 1))
        pages = [p for p in catalog.pages_of(conn, v.sha256) if p.page == page_no] if page_no else []
        body = document_record(v, catalog.urls_of(conn, v.sha256), catalog.links_to(conn, v.sha256), pages)
    finally:
        conn.close()
    return json_document(body)


def api_trend(request: Request) -> Response:
    sp = params.search_params(request.query_params)
    fmt, dialect = params.export_format(request.query_params)
    count, normalise = params.trend_options(request.query_params)
    return stream(exports.trend_export(sp.q, queries.trend_rows(request, sp), count, normalise), fmt, dialect)


def api_series(request: Request) -> Response:
    from budget import NoSuchLine

    fmt, dialect = params.export_format(request.query_params)
    try:
        _label, found, _raw = queries.series_lines(request)
    except NoSuchLine:
        raise params.NotFound("no such line") from None
    if found is None:
        raise params.BadRequest("label is required")
    from budget import Comparison

    if isinstance(found, Comparison):
        return stream(exports.comparison_export(found), fmt, dialect)
    return stream(exports.series_export(found), fmt, dialect)


def api_endringer(request: Request) -> Response:
    """`hparkiv endringer PERIOD` over HTTP: the same bytes in every format (the /prosess page's downloads)."""
    fmt, dialect = params.export_format(request.query_params)
    found = queries.endringer_for(request, request.path_params["period"])
    return stream(exports.endringer_export(found), fmt, dialect)


def api_vedtak(request: Request) -> Response:
    fmt, dialect = params.export_format(request.query_params)
    result, given, _filters = queries.vedtak_search(request, None)
    return stream(exports.vedtak_export(given.get("q"), result.total, result.vedtak), fmt, dialect)


def api_status(request: Request) -> Response:
    return json_document(archive_status(queries.data_dir_of(request)))


def feed(request: Request) -> Response:
    """An Atom feed of the documents matching a search, newest first (by when the archive first saw
    them): subscribe, and a new document that mentions the words shows up."""
    sp = params.search_params(request.query_params)
    data_dir = queries.data_dir_of(request)
    first = queries.run_search(data_dir, sp, queries.CHUNK, 0, facets=False)
    docs: dict[str, dict[str, Any]] = {}
    for h in queries.every_hit(data_dir, sp, first):
        d = docs.setdefault(h.sha256, {"hit": h, "pages": []})
        d["pages"].append(h.page)
    conn = queries.connect(request)
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
