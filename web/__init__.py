"""`hparkiv serve`: the archive in a browser, for people who don't use a terminal.

A small Starlette app with server-rendered Jinja2 pages (every page works without
JavaScript; vendored htmx only makes facets and paging live), over the same data dir as
the CLI, read-only. It imports present/, index/, catalog/ and i18n/, never the CLI, Scrapy
or pdfplumber (pages are rendered with pypdfium2).

    app = create_app(DataDir(path))     # an ASGI app
    serve(DataDir(path), host="127.0.0.1", port=8765)
"""

from __future__ import annotations

from typing import Any

from catalog import DataDir

__all__ = ["create_app", "serve"]


def create_app(data_dir: DataDir, search_workers: int = 1) -> Any:
    from web.app import create_app as make

    return make(data_dir, search_workers)


def serve(data_dir: DataDir, host: str = "127.0.0.1", port: int = 8765, log_level: str = "warning",
          workers: int | None = None) -> None:
    """Run the app with uvicorn until interrupted, its page searches in `workers` search
    processes (1: in the server's own threads)."""
    import uvicorn

    from web import queries, render

    options: dict[str, Any] = {"host": host, "port": port, "log_level": log_level, "server_header": False,
                               "proxy_headers": False}
    try:
        uvicorn.run(create_app(data_dir, workers or 1), **options)
    finally:
        queries.stop_search_workers()
        render.shutdown()
