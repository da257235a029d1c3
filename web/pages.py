"""The pages people read: home, search, trend, series, vedtak and status.

Each reads the request (web/params.py), asks the library (web/queries.py) and renders a
template (web/templating.py); the shapes are present/'s: hits grouped by document, the
vedtak record, what the filters left out."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from starlette.requests import Request
from starlette.responses import Response

import catalog
from catalog import DataDir
from catalog.status import archive_status
from i18n import translations
from index import QueryError
from present.expansions import committee_notes, expansion_notes
from present.hits import group_by_document
from present.notes import left_out, past_the_end
from present.numbers import number
from web import charts, params, queries
from web.templating import _, expansion_texts, language, note_texts, page, query_error


def home(request: Request) -> Response:
    return page(request, "home.html", info=archive_status(queries.data_dir_of(request)), periods=queries.periods(request))


def status_page(request: Request) -> Response:
    return page(request, "status.html", info=archive_status(queries.data_dir_of(request)))


def search_page(request: Request) -> Response:
    sp = params.search_params(request.query_params, required=False)
    context: dict[str, Any] = {"sp": sp, "error": None, "result": None, "groups": [], "suggestions": [], "notes": [],
                               "expansions": [], "expanded": False, "back": back_to(sp)}
    partial = request.headers.get("hx-request") == "true" and request.headers.get("hx-target") == "results"
    template = "_results.html" if partial else "search.html"
    if not sp.q:
        return page(request, template, **context)
    data_dir = queries.data_dir_of(request)
    try:
        result = queries.run_search(data_dir, sp, sp.size, sp.offset)
    except QueryError as e:
        context["error"] = query_error(request, e)
        return page(request, template, status=400, **context)
    conn = queries.connect(request)
    try:
        context["groups"] = [
            {"first": g.first, "hits": g.hits, "passages": g.passages(), "more": g.more,
             "renderable": queries.renderable(catalog_version(conn, g.first))}
            for g in group_by_document(result.hits, result.doc_pages)]
    finally:
        conn.close()
    context["result"] = result
    context["pages"] = max(1, min(params.MAX_RESULT_PAGE, -(-result.total // sp.size)))
    context["notes"] = note_texts(request, [n for n in [past_the_end(result.total, sp.offset)] if n]
                                  + left_out(data_dir, sp.filters))
    context["expansions"] = expansion_texts(request, expansion_notes(result.expansions, sp.exact)
                                            + committee_notes(result.suggestions, sp.filters.values("committee")))
    context["expanded"] = bool(result.expansions)
    if not result.total:
        context["suggestions"] = suggestions(data_dir, sp)
    return page(request, template, **context)


def back_to(sp: params.SearchParams) -> str:
    """This search as a page opened from it carries it (`?back=`): words, filters, sort, result page.
    "" for the words alone on the first page: the page's `q` leads back there already."""
    if not sp.raw and sp.sort == "relevance" and sp.page == 1 and sp.size == params.PAGE_SIZE:
        return ""
    back = sp.query_string(page=sp.page if sp.page > 1 else None,
                           size=sp.size if sp.size != params.PAGE_SIZE else None)
    # A very long query would make every hit's link too long to follow: then its q leads back alone.
    return back if len(urlencode({"back": back})) <= params.MAX_BACK_CHARS else ""


def catalog_version(conn, hit: Any) -> Any:
    """The document version of a hit (for whether its pages can be shown as images)."""
    return catalog.get_version(conn, hit.sha256) if hit.sha256 else None


def suggestions(data_dir: DataDir, sp: params.SearchParams) -> list[dict[str, Any]]:
    """For zero hits: what dropping one filter, or one word, would find (each counted)."""
    out = []
    for key in list(sp.raw):
        if key in params.FLAG_KEYS:
            continue
        raw = {k: v for k, v in sp.raw.items() if k != key}
        try:
            f, _raw = params.filters(raw)
            total = queries.search(data_dir, sp.q, f, limit=0, facets=False).total
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
                total = queries.search(data_dir, rest, sp.filters, limit=0, facets=False).total
            except QueryError:
                continue
            if total:
                out.append({"kind": "word", "name": word, "total": total,
                            "query": urlencode({"q": rest, **sp.raw})})
    return out


def trend_page(request: Request) -> Response:
    """Matches per budget year, as `hparkiv trend`: the same filters, pages or documents counted,
    or pages per 1,000 pages of the year, and the years whose documents gave no text noted."""
    sp = params.search_params(request.query_params, required=False)
    count, normalise = params.trend_options(request.query_params)
    options = {"count": count if count != "pages" else None, "normalise": 1 if normalise else None}
    context: dict[str, Any] = {"sp": sp, "rows": [], "chart": None, "error": None, "notes": [], "count": count,
                               "normalise": normalise, "options": options, "blind": 0}
    if sp.q:
        try:
            rows = queries.trend_rows(request, sp)
        except QueryError as e:
            context["error"] = query_error(request, e)
            return page(request, "trend.html", status=400, **context)
        lang, explicit = language(request)
        t = translations(lang)
        key = "per_1000_pages" if normalise else count
        context["rows"] = rows
        context["blind"] = sum(r.failed for r in rows)
        context["notes"] = note_texts(request, left_out(queries.data_dir_of(request), sp.filters))
        title = {"pages": _(request, "Pages matching “%(query)s” per budget year", query=sp.q),
                 "documents": _(request, "Documents matching “%(query)s” per budget year", query=sp.q),
                 "per_1000_pages": _(request, "Pages matching “%(query)s” per 1,000 pages of the year",
                                     query=sp.q)}[key]

        def label(r: Any) -> str:
            pages = t.ngettext("%(num)s page", "%(num)s pages", r.pages) % {"num": number(r.pages, lang)}
            docs = t.ngettext("%(num)s document", "%(num)s documents", r.documents) % {
                "num": number(r.documents, lang)}
            text = f"{r.year}: {pages}, {docs}"
            if normalise and r.per_1000_pages is not None:
                text += "; " + _(request, "%(n)s per 1,000 pages", n=number(r.per_1000_pages, lang, 1))
            return text

        context["chart"] = charts.bar_chart(
            rows, title=title,
            description=_(request, "A bar for each budget year; its height is the count the title names."),
            link=lambda year: "/search?" + sp.query_string(year=year, page=None, lang=explicit),
            label=label, value=lambda r: getattr(r, key) or 0, number=lambda v: number(v, lang))
    return page(request, "trend.html", **context)


def series_page(request: Request) -> Response:
    """A budget line: one line per (table family, line) in a chart with a legend, and per series its
    adopted figures, the plans' projections and the accounts, each figure with its source; with
    several municipalities (kommune=asker,malvik), side by side."""
    from budget import Comparison, NoSuchLine
    from present.budget import change, figure, mill

    lang, _explicit = language(request)
    try:
        label, found, raw = queries.series_lines(request)
    except NoSuchLine:
        label = request.query_params.get("label", "")
        return page(request, "series.html", status=404, label=label, raw={}, found=None, chart=None,
                    error=_(request, "No table row matches %(label)s; try fewer words.", label=label))
    except params.BadRequest as e:
        return page(request, "series.html", status=400, label=request.query_params.get("label", ""), raw={},
                    found=None, chart=None, error=_(request, "Bad request: %(reason)s", reason=str(e)))
    except QueryError as e:  # an unknown municipality or committee
        return page(request, "series.html", status=400, label=request.query_params.get("label", ""), raw={},
                    found=None, chart=None, error=query_error(request, e))
    if isinstance(found, Comparison):
        notes = [n.translated(lambda m: _(request, m)) for k in found.kommuner for n in k.notes]
        notes += [n.translated(lambda m: _(request, m)) for n in found.notes]
        return page(request, "series.html", label=label, raw=raw, found=None, comparison=found, notes=notes,
                    chart=None, error=None, export=urlencode({"label": label, **raw}))
    chart = None
    if found is not None:
        several = len({ln.kommune for ln in found.lines}) > 1

        def tip(f: Any) -> str:
            said = f"{f.stage}, {change(f.change, lang)}" if f.change is not None else f.stage
            return f"{f.year}: {mill(f.sources[0].value_kr, lang)} mill. kr ({said})"

        lines = [(f"{ln.line} ({ln.family_name}{', ' + ln.kommune if several and ln.kommune else ''})",
                  [(f.year, f.sources[0].value_kr / 1e6, tip(f)) for f in ln.adopted
                   if f.value is not None and f.sources[0].value_kr is not None])
                 for ln in found.lines]
        lines = [(name, pts) for name, pts in lines if pts]
        if lines:
            chart = charts.line_chart(
                lines, title=_(request, "%(label)s: the adopted budget per year (mill. kr)", label=label),
                description=_(request, "One line per table family and line: the adopted figure of each year."),
                value_label=lambda v: figure(v, lang, 1) + " mill. kr")
    qs = urlencode({"label": label, **raw})
    return page(request, "series.html", label=label, raw=raw, found=found, chart=chart, error=None, export=qs,
                lang_code=lang, several=len({ln.kommune for ln in found.lines}) > 1 if found else False)


def process_page(request: Request) -> Response:
    """One budget process: the seven steps with their documents, then what changed between the stages."""
    from budget.endringer import size_of_change
    from budget.families import RECOGNISED, family_name

    lang, _explicit = language(request)
    proc = queries.process_for(request, request.path_params["period"])
    try:
        found = queries.endringer_for(request, request.path_params["period"])
    except params.NotFound:
        found = None
    if found is None and not any(s.documents for s in proc.steps) and not proc.others:
        raise params.NotFound(request.path_params["period"])
    families = []
    if found is not None:
        for fam in RECOGNISED:
            lines = [ln for ln in found.lines if ln.family == fam]
            if not lines:
                continue
            changed = sorted((ln for ln in lines if ln.changed), key=lambda ln: (-size_of_change(ln), ln.label, ln.year))
            peak = max((size_of_change(ln) for ln in changed), default=0.0)
            rows = [{"ln": ln, "up": _signed_size(ln) > 0, "bar": charts.change_bar(_signed_size(ln), peak)}
                    for ln in changed]
            families.append({"family": fam, "name": family_name(fam, lang), "rows": rows,
                             "unchanged": len(lines) - len(changed), "conflicts": [ln for ln in lines if ln.conflict]})
    return page(request, "prosess.html", proc=proc, found=found, families=families, period=proc.period,
                kommune=(request.query_params.get("kommune") or "").strip())


def _signed_size(ln: Any) -> float:
    from budget.endringer import size_of_change

    if ln.delta_kr is not None:
        return ln.delta_kr
    size = size_of_change(ln)
    stages = [s for s in ln.values if s not in ln.conflicts]
    return -size if stages and ln.values[stages[-1]] is None else size


def vedtak_page(request: Request) -> Response:
    from present.vedtak import vedtak_record

    size = params.PAGE_SIZE
    raw = {k: request.query_params.get(k, "").strip() for k in ("q", "year", "committee", "kommune", "party", "outcome")}
    context: dict[str, Any] = {"raw": raw, "error": None, "result": None, "records": [], "dropped": [],
                               "page_no": 1, "notes": []}
    try:
        page_no = context["page_no"] = params.int_param(request.query_params, "page", 1, 1, params.MAX_RESULT_PAGE)
        result, given, filters = queries.vedtak_search(request, size, (page_no - 1) * size)
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
    context["notes"] = note_texts(request, left_out(queries.data_dir_of(request), filters))
    if not result.total:  # zero hits: each filter or the words, dropped, as links
        context["dropped"] = [(k, v, urlencode({kk: vv for kk, vv in given.items() if kk != k}))
                              for k, v in given.items()]
    return page(request, "vedtak.html", **context)
