"""What a request asks the library: the data dir, a read-only catalog connection, a document
by id, and searches of pages, years, budget lines and vedtak with the request's parameters.

Shared by the pages (web/pages.py, web/documents.py) and the API (web/api.py), so both ask
the same question the same way. Page searches run in the server's search workers when it has
them (`hparkiv serve --workers N`, web/workers.py: one queue, every core), else in the
server's own threads (the index is safe to read from many threads at once, index/searcher.py).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from starlette.exceptions import HTTPException
from starlette.requests import Request

import catalog
import index
from catalog import DataDir, Filters
from index import EngineUnavailable
from web import params
from web.workers import WorkerFailed, WorkerPool

CHUNK = 500  # hits fetched from the index per step of an export or a feed


SEARCH_TIMEOUT = 600.0  # an export's chunk on a slow disk; a stuck worker is a 503, never a hung page
_searchers: WorkerPool | None = None


def start_search_workers(data_dir: DataDir, workers: int) -> None:
    """Run page searches in `workers` processes from now on (1: in the server's threads), each
    with the index opened by a first search, so no request pays for it."""
    global _searchers
    stop_search_workers()
    if workers > 1:
        _searchers = WorkerPool(workers, SEARCH_TIMEOUT)
        _searchers.warm(_open_index, data_dir)


def stop_search_workers() -> None:
    global _searchers
    pool, _searchers = _searchers, None
    if pool is not None:
        pool.shutdown()


def _open_index(data_dir: DataDir) -> None:
    try:
        index.search(data_dir, "budsjett", Filters(), limit=1)
    except Exception:  # noqa: BLE001 - no index yet, or none that answers: the first request says so
        pass


def search(data_dir: DataDir, query: str, filters: Filters, **options: Any) -> Any:
    """`index.search`, in a search worker when the server has them; a dead worker is a 503."""
    pool = _searchers
    if pool is None:
        return index.search(data_dir, query, filters, **options)
    try:
        return pool.run(index.search, data_dir, query, filters, **options)
    except WorkerFailed as e:
        raise EngineUnavailable("a search worker failed ({reason})", reason=str(e)) from None


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


def run_search(data_dir: DataDir, sp: params.SearchParams, limit: int | None, offset: int, facets: bool = True):
    return search(data_dir, sp.q, sp.filters, limit=limit, offset=offset, facets=facets, sort=sp.sort, exact=sp.exact)


def every_hit(data_dir: DataDir, sp: params.SearchParams, first: Any) -> Iterator[Any]:
    """Every hit of a search, `first` (its first CHUNK) and then a chunk at a time: an export has no cap."""
    result, offset = first, 0
    while True:
        yield from result.hits
        offset += CHUNK
        if offset >= result.total or not result.hits:
            return
        result = run_search(data_dir, sp, CHUNK, offset, facets=False)


def renderable(v: Any) -> bool:
    """Only PDFs that extracted cleanly are rendered: a file that broke the extractor never
    reaches pdfium in the web server's process."""
    return bool(v and v.media_type == "pdf" and v.status == "ok" and v.pages)


def trend_rows(request: Request, sp: params.SearchParams) -> list[Any]:
    """Every budget year the archive covers, with matches (index.years, as `hparkiv trend`)."""
    from index.years import trend_years

    conn = connect(request)
    try:
        return trend_years(data_dir_of(request), sp.q, sp.filters, conn=conn, exact=sp.exact)
    finally:
        conn.close()


def series_lines(request: Request) -> tuple[str, Any, dict[str, str]]:
    """The budget line `label` across the years (budget.series, as `hparkiv series`); with two
    or more municipalities (kommune=asker,malvik), side by side (budget.compare)."""
    from budget import compare
    from budget import series as run_series

    label = (request.query_params.get("label") or "").strip()
    if len(label) > 200:
        raise params.BadRequest("label too long (at most 200 characters)")
    f, raw = params.filters(request.query_params)
    if not label:
        return label, None, raw
    table = (request.query_params.get("table") or "").strip() or None
    if table is not None:
        from budget import FAMILIES, pick_family

        picked = pick_family(table)
        if picked is None:
            raise params.BadRequest(f"table must be one of {', '.join(FAMILIES)}")
        raw = {**raw, "table": table}
        table = picked
    exact = request.query_params.get("exact") == "1"
    kommuner = f.values("kommune")
    conn = connect(request)
    try:
        if len(kommuner) > 1:
            f.kommune = None
            return label, compare(conn, label, list(kommuner), f, exact=exact, table=table), raw
        return label, run_series(conn, label, f, exact=exact, table=table), raw
    finally:
        conn.close()


def period_of(raw: str) -> str:
    """A plan period from the path ("2021-2024" or "2021"); anything else is no page (404)."""
    from budget import parse_period

    try:
        return parse_period(raw)
    except ValueError:
        raise params.NotFound(raw) from None


def _budget_process(request: Request, raw: str, read: Any) -> Any:
    """`read(conn, period, kommune)` for the plan period in the path and the municipality asked for
    (?kommune=asker; budget.endringer.scope says which when none is): no such period is a 404,
    a period of several municipalities without one a 400 that names them."""
    from budget import NoSuchPeriod
    from budget.endringer import SeveralKommuner

    period = period_of(raw)
    kommune = params.filters(request.query_params)[0].kommune
    conn = connect(request)
    try:
        return read(conn, period, kommune)
    except NoSuchPeriod:
        raise params.NotFound(raw) from None
    except SeveralKommuner as e:
        if e.asked:
            raise params.BadRequest(f"a budget process is one municipality's: one kommune=, not "
                                    f"{', '.join(e.kommuner)}") from None
        raise params.BadRequest(f"the plan period {e.period} has documents of several municipalities "
                                f"({', '.join(e.kommuner)}): add kommune=") from None
    finally:
        conn.close()


def endringer_for(request: Request, raw: str) -> Any:
    """What changed between the stages of a plan period (budget.endringer, as `hparkiv endringer`)."""
    from budget import endringer

    return _budget_process(request, raw, endringer)


def process_for(request: Request, raw: str) -> Any:
    """The seven steps of a plan period with their documents (budget.process)."""
    from budget.process import process

    return _budget_process(request, raw, process)


def periods(request: Request) -> list[tuple[str, str | None, str | None]]:
    """Every budget process the archive holds a stage document of, newest first: (plan period,
    kommunenummer, name); the municipality only where the archive holds several (a link per
    municipality, so no process page has to guess)."""
    from budget import STAGES

    try:
        conn = connect(request)
    except HTTPException:
        return []
    try:
        versions = [v for v in catalog.list_versions(conn, catalog.Filters(doctype=STAGES)) if v.period]
    finally:
        conn.close()
    several = len({v.kommunenummer for v in versions if v.kommunenummer}) > 1
    found = {(v.period, v.kommunenummer if several else None, v.kommune if several else None) for v in versions}
    return sorted(sorted(found, key=lambda p: p[2] or ""), key=lambda p: p[0], reverse=True)


def vedtak_search(request: Request, limit: int | None, offset: int = 0) -> tuple[Any, dict[str, str], Any]:
    """Vedtak for the request (index.vedtak, as `hparkiv vedtak`): the result, the request's
    parameters as given (for links) and its filters. A bad filter raises QueryError (status 400)."""
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
    result = search_vedtak(data_dir_of(request), q or None, f, party=party or None, outcome=outcome or None,
                              limit=limit, offset=offset)
    return result, {k: v for k, v in raw.items() if v}, f
