"""Errors as answers: a page in the request's language for people, `{"error", "status"}` for
the API, feeds and images; never a traceback or a file path."""

from __future__ import annotations

import logging

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from index import EngineUnavailable, IndexMissing, QueryError
from index.errors import IndexOutdated
from web import params
from web.templating import _, page, query_error

log = logging.getLogger("hparkiv.web")


def _error(request: Request, status: int, message: str) -> Response:
    if request.url.path.startswith("/api/") or request.url.path.endswith((".atom", ".csv", ".webp")):
        return JSONResponse({"error": message, "status": status}, status_code=status)
    return page(request, "error.html", status=status, status_code=status, message=message)


def on_bad_request(request: Request, exc: Exception) -> Response:
    return _error(request, 400, _(request, "Bad request: %(reason)s", reason=str(exc)))


def on_not_found(request: Request, exc: Exception) -> Response:
    return _error(request, 404, _(request, "Not found: no such document or page."))


def on_query_error(request: Request, exc: Exception) -> Response:
    return _error(request, 400, query_error(request, exc))


def on_index_missing(request: Request, exc: Exception) -> Response:
    return _error(request, 503, _(request, "There is no index yet: run `hparkiv update` first."))


def on_index_outdated(request: Request, exc: Exception) -> Response:
    return _error(request, 503, _(request, "The index was built by an older hparkiv: run `hparkiv index` to rebuild it."))


def on_engine_down(request: Request, exc: Exception) -> Response:
    log.error("%s %s: the search engine failed: %s", request.method, request.url.path, exc)
    return _error(request, 503, _(request, "The search engine does not answer right now; try again shortly."))


def on_http(request: Request, exc: Exception) -> Response:
    status = getattr(exc, "status_code", 500)
    messages = {404: "Not found: no such document or page.", 405: "Only GET and HEAD: this site is read-only.",
                503: "There is no archive here yet: run `hparkiv update` first."}
    return _error(request, status, _(request, messages.get(status, "Something went wrong.")))


def on_crash(request: Request, exc: Exception) -> Response:
    log.error("%s %s failed", request.method, request.url.path, exc_info=exc)
    return _error(request, 500, _(request, "Something went wrong on our side; the error was logged."))


HANDLERS = {
    params.BadRequest: on_bad_request, params.NotFound: on_not_found, QueryError: on_query_error,
    IndexMissing: on_index_missing, IndexOutdated: on_index_outdated, EngineUnavailable: on_engine_down, HTTPException: on_http, Exception: on_crash,
}
