"""The web UI's routes: server-rendered pages over the same data dir as the CLI, read-only.

This module only routes. The routes are a contract (README): `/`, `/search`, `/doc/{id}`,
`/trend`, `/series`, `/vedtak`, `/prosess/{period}`, `/status`,
`/api/search|documents|doc/{id}|trend|series|vedtak|endringer/{period}|status`,
`/feed.atom`. Pages live in web/pages.py and web/documents.py, the API and the feed in
web/api.py, errors in web/errors.py.

Handlers are plain functions: Starlette runs them in its thread pool, so a slow search or
render never blocks the event loop. Searches run in the server's search workers
(`search_workers` > 1, web/queries.py) or side by side in those threads.
"""

from __future__ import annotations

import mimetypes
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from starlette.applications import Starlette
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from catalog import DataDir
from web import api, documents, pages, queries, render
from web.errors import HANDLERS
from web.security import SecurityHeaders

STATIC = Path(__file__).parent / "static"
GET = ["GET", "HEAD"]

ROUTES = [
    Route("/", pages.home, methods=GET),
    Route("/search", pages.search_page, methods=GET),
    Route("/doc/{doc_id}", documents.doc_page, methods=GET),
    Route("/doc/{doc_id}/file", documents.doc_file, methods=GET),
    Route("/doc/{doc_id}/pdf", documents.doc_pdf, methods=GET),
    Route("/doc/{doc_id}/vedtak", documents.doc_vedtak, methods=GET),
    Route("/doc/{doc_id}/page/{page:int}.webp", documents.page_image, methods=GET),
    Route("/doc/{doc_id}/tables.csv", documents.tables_csv, methods=GET),
    Route("/doc/{doc_id}/tables.xlsx", documents.tables_xlsx, methods=GET),
    Route("/trend", pages.trend_page, methods=GET),
    Route("/status", pages.status_page, methods=GET),
    Route("/series", pages.series_page, methods=GET),
    Route("/vedtak", pages.vedtak_page, methods=GET),
    Route("/prosess/{period}", pages.process_page, methods=GET),
    Route("/api/search", api.api_search, methods=GET),
    Route("/api/documents", api.api_documents, methods=GET),
    Route("/api/doc/{doc_id}", api.api_doc, methods=GET),
    Route("/api/trend", api.api_trend, methods=GET),
    Route("/api/series", api.api_series, methods=GET),
    Route("/api/vedtak", api.api_vedtak, methods=GET),
    Route("/api/endringer/{period}", api.api_endringer, methods=GET),
    Route("/api/status", api.api_status, methods=GET),
    Route("/feed.atom", api.feed, methods=GET),
    Mount("/static", StaticFiles(directory=STATIC), name="static"),
]


@asynccontextmanager
async def lifespan(app: Starlette) -> AsyncIterator[None]:
    """Start the render and search workers with the server, and stop them with it."""
    import anyio

    await anyio.to_thread.run_sync(render.warm)
    await anyio.to_thread.run_sync(queries.start_search_workers, app.state.data_dir, app.state.search_workers)
    yield
    queries.stop_search_workers()
    render.shutdown()


def create_app(data_dir: DataDir, search_workers: int = 1) -> Starlette:
    """The web UI over `data_dir`: read-only, GET and HEAD only. With `search_workers` > 1,
    page searches run in that many worker processes."""
    app = Starlette(routes=ROUTES, exception_handlers=HANDLERS, lifespan=lifespan)  # type: ignore[arg-type]
    app.state.data_dir = data_dir
    app.state.search_workers = search_workers
    mimetypes.add_type("image/webp", ".webp")
    return SecurityHeaders(app)  # type: ignore[return-value]
