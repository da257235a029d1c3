"""`hparkiv serve`: the archive in a browser, for people who don't use a terminal.

A small Starlette app with server-rendered Jinja2 pages (every page works without
JavaScript; vendored htmx only makes facets and paging live), over the same data dir as
the CLI, read-only. It imports present/, index/, catalog/ and i18n/, never the CLI, Scrapy
or pdfplumber (pages are rendered with pypdfium2).

    app = create_app(DataDir(path))     # an ASGI app
    serve(DataDir(path), host="127.0.0.1", port=8765)
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from catalog import DataDir

__all__ = ["create_app", "serve"]

_DATA_DIR_ENV = "HPARKIV_SERVE_DATA_DIR"  # how `serve` hands the data dir to worker processes


def create_app(data_dir: DataDir) -> Any:
    from web.app import create_app as make

    return make(data_dir)


def app_from_environment() -> Any:
    """The app of a worker process started by `serve(workers=N)` (uvicorn imports it by name)."""
    return create_app(DataDir(Path(os.environ[_DATA_DIR_ENV])))


def serve(data_dir: DataDir, host: str = "127.0.0.1", port: int = 8765, log_level: str = "warning",
          workers: int | None = None) -> None:
    """Run the app with uvicorn until interrupted: in this process, or in `workers` processes
    that share the port (each with its own searchers and render workers)."""
    import uvicorn

    from web import render

    options: dict[str, Any] = {"host": host, "port": port, "log_level": log_level, "server_header": False,
                               "proxy_headers": False}
    try:
        if workers and workers > 1:
            os.environ[_DATA_DIR_ENV] = str(data_dir.root)
            uvicorn.run("web:app_from_environment", factory=True, workers=workers, **options)
        else:
            uvicorn.run(create_app(data_dir), **options)
    finally:
        render.shutdown()
