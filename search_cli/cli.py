"""The `hparkiv` command: parse flags, call a stage, print the result.

Heavy stages (Scrapy, pdfplumber) are imported inside the commands that need them, so
`hparkiv search` starts in a fraction of a second.

    hparkiv update                      # crawl, extract, index the real site
    hparkiv search sykehjemsplasser --year 2019-2022 --committee HBO

Every message goes through the shared catalog (i18n/): bokmål when the locale is nb, nn
or no, English otherwise, `--lang` to choose. Queries, filter values and their aliases
are the library's (index/query.py, index/filters.py): this module only parses flags.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

import click

from catalog import CatalogError, DataDir, Filters, default_data_dir
from catalog.export import HIT_COLUMNS, TREND_COLUMNS, VERSION_COLUMNS  # one declaration, shared with the web
from catalog.export import hit_dict as _hit_dict
from catalog.export import version_dict as _version_dict
from catalog.models import STATUSES
from search_cli.output import (
    _,
    format_option,
    gettext,
    ngettext,
    safe,
    set_language,
    write_json,
    write_rows,
)


class Failure(click.ClickException):
    """A one-line error with a chosen exit status (2 = the user's input was wrong)."""

    def __init__(self, message: str, exit_code: int = 1) -> None:
        super().__init__(message)
        self.exit_code = exit_code


def bad_input(message: str) -> Failure:
    return Failure(message, exit_code=2)


# --- shared options ----------------------------------------------------------------------


def data_dir_of(ctx: click.Context) -> DataDir:
    return ctx.find_root().obj["data_dir"]


def filter_options(fn):
    """--year/--committee/--type/--from/--to/--undated/--all-versions, the same on every listing."""
    opts = [
        click.option("--year", help="Budget year 2021 or a range 2019-2022."),
        click.option("--committee", multiple=True,
                     help="Committee: slug, abbreviation (HBU) or name; repeat it or separate with commas."),
        click.option("--type", "doctype", multiple=True,
                     help="Document type (forslag, innstilling, vedtak, protokoll, ...); repeat or use commas."),
        click.option("--from", "date_from", help="Meeting/publication date on or after (YYYY-MM-DD)."),
        click.option("--to", "date_to", help="Meeting/publication date on or before (YYYY-MM-DD)."),
        click.option("--undated", is_flag=True, help="With --from/--to: keep documents that have no date."),
        click.option("--all-versions", is_flag=True, help="Include superseded versions."),
    ]
    for opt in reversed(opts):
        fn = opt(fn)
    return fn


def build_filters(year: str | None, committee: tuple[str, ...], doctype: tuple[str, ...], date_from: str | None,
                  date_to: str | None, all_versions: bool, undated: bool = False,
                  status: str | None = None) -> Filters:
    """The flags as Filters, through the library's one resolver (the query's fields use it too)."""
    from index.errors import FilterError
    from index.filters import make_filters

    try:
        return make_filters(year=year, committee=committee, doctype=doctype, date_from=date_from, date_to=date_to,
                            all_versions=all_versions, status=status, undated=undated)
    except FilterError as e:
        raise bad_input(e.translated(gettext)) from None


def source_options(fn):
    opts = [
        click.option("--source", default="baerum", show_default=True,
                     help="A shipped source (baerum, asker) or a source TOML file."),
        click.option("--start-url", "start_urls", multiple=True,
                     help="Crawl from this page instead (repeatable); its host is allowed."),
        click.option("--allow-host", "allow_hosts", multiple=True, help="Also allow this host (repeatable)."),
        click.option("--wayback", help="A Wayback-compatible archive to ask for earlier states of the pages."),
        click.option("--no-wayback", is_flag=True, help="Do not ask any web archive."),
        click.option("--delay", type=float, help="Seconds between requests to a host (default: polite)."),
    ]
    for opt in reversed(opts):
        fn = opt(fn)
    return fn


def extract_options(fn):
    opts = [
        click.option("--workers", type=click.IntRange(1, 64), help="Worker processes (default: all cores)."),
        click.option("--ocr/--no-ocr", default=None, help="OCR scanned pages (default: when Tesseract is found)."),
    ]
    for opt in reversed(opts):
        fn = opt(fn)
    return fn


# --- the group ---------------------------------------------------------------------------


class Translated:
    """Help in the CLI's language: a command's first paragraph and each option's help are
    msgids of the message catalog (the examples after them are commands, left as they are)."""

    help: str | None

    def translated_help(self) -> str:
        import inspect

        text = inspect.cleandoc(self.help or "")
        head, sep, rest = text.partition("\n\n")
        summary = " ".join(head.split())
        return _(summary) + sep + rest if head else text

    def format_help_text(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        original, self.help = self.help, self.translated_help()
        try:
            super().format_help_text(ctx, formatter)  # type: ignore[misc]
        finally:
            self.help = original

    def get_short_help_str(self, limit: int = 45) -> str:
        return self.translated_help().split("\n\n", 1)[0]

    def format_options(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        params = [p for p in self.get_params(ctx) if isinstance(p, click.Option) and p.help]  # type: ignore[attr-defined]
        saved = [p.help for p in params]
        for p in params:
            one_line = " ".join((p.help or "").split())
            p.help = _(one_line)
        try:
            super().format_options(ctx, formatter)  # type: ignore[misc]
        finally:
            for p, h in zip(params, saved, strict=True):
                p.help = h


class TranslatedCommand(Translated, click.Command):
    pass


class HelpGroup(Translated, click.Group):
    """Command summaries in full (click cuts them at 45 characters); a bare `hparkiv` shows the help."""

    command_class = TranslatedCommand

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        rows = []
        for name in self.list_commands(ctx):
            cmd = self.get_command(ctx, name)
            if cmd is not None and not cmd.hidden:
                rows.append((name, cmd.get_short_help_str(limit=1000)))
        if rows:
            with formatter.section(_("Commands")):
                formatter.write_dl(rows)


class QueryCommand(TranslatedCommand):
    """A command whose words are a query: `hparkiv search barnehage -sykehjem` is one query.

    Arguments that are not this command's options (a word starting with "-", a quoted
    query such as '-sykehjem barnehage') are query words; everything after `--` is too.
    """

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        options = {name: p for p in self.params if isinstance(p, click.Option) for name in p.opts + p.secondary_opts}
        front: list[str] = []
        words: list[str] = []
        i = 0
        while i < len(args):
            arg = args[i]
            if arg == "--":
                words.extend(args[i + 1:])
                break
            name = arg.split("=", 1)[0]
            if name in options or name in ctx.help_option_names:
                front.append(arg)
                p = options.get(name)
                if p is not None and not p.is_flag and "=" not in arg and i + 1 < len(args):
                    front.append(args[i + 1])
                    i += 1
            elif arg.startswith("--") and len(arg) > 2 and " " not in arg:
                front.append(arg)  # an unknown long option: click names it and suggests the right one
            else:
                words.append(arg)
            i += 1
        return super().parse_args(ctx, front + (["--", *words] if words else []))


@click.group(cls=HelpGroup, invoke_without_command=True,
             context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 110})
@click.option("--data-dir", type=click.Path(file_okay=False, path_type=Path), envvar="HPARKIV_DATA_DIR",
              help="Where the catalog, files and index live (env HPARKIV_DATA_DIR).")
@click.option("--lang", type=click.Choice(["nb", "nn", "no", "en"]),
              help="Language of messages (default: from the locale; nb, nn and no give bokmål).")
@click.option("-v", "--verbose", is_flag=True, help="Show the crawler's own log.")
@click.version_option(package_name="hparkiv")
@click.pass_context
def cli(ctx: click.Context, data_dir: Path | None, lang: str | None, verbose: bool) -> None:
    """hparkiv: archive and search Bærum kommune's budget documents. `hparkiv demo` builds a sample
    archive to try; `hparkiv update` crawls, extracts and indexes the real site; then search it.

    \b
    hparkiv demo
    hparkiv update
    hparkiv search barnehage sykehjem
    """
    set_language(lang)
    ctx.obj = {"data_dir": DataDir(data_dir or default_data_dir()), "verbose": verbose,
               "data_dir_given": data_dir is not None}
    if ctx.invoked_subcommand is None:
        click.echo(ctx.get_help())


# --- the pipeline ------------------------------------------------------------------------


@cli.command()
@source_options
@extract_options
@click.pass_context
def update(ctx: click.Context, **opts: Any) -> None:
    """Crawl, extract and index: bring the archive up to date (the main job).

    \b
        hparkiv update
        hparkiv update --start-url http://localhost:8000/ --no-wayback
    """
    from search_cli import pipeline

    pipeline.run_update(data_dir_of(ctx), verbose=ctx.obj["verbose"], **opts)


@cli.command()
@source_options
@click.pass_context
def crawl(ctx: click.Context, **opts: Any) -> None:
    """Only collect documents (stage 1).

    \b
        hparkiv crawl --no-wayback
    """
    from search_cli import pipeline

    pipeline.run_crawl(data_dir_of(ctx), verbose=ctx.obj["verbose"], **opts)


@cli.command()
@extract_options
@click.option("--force", is_flag=True, help="Re-extract every version, not only new ones.")
@click.pass_context
def extract(ctx: click.Context, workers: int | None, ocr: bool | None, force: bool) -> None:
    """Only extract text and tables of new document versions (stage 2).

    \b
        hparkiv extract --workers 2
    """
    from search_cli import pipeline

    pipeline.run_extract(data_dir_of(ctx), workers=workers, ocr=ocr, force=force)


@cli.command("index")
@click.option("--rebuild", is_flag=True, help="Rebuild the whole index from the catalog.")
@click.pass_context
def index_cmd(ctx: click.Context, rebuild: bool) -> None:
    """Only bring the search index up to date with the catalog (stage 3).

    \b
        hparkiv index --rebuild
    """
    from search_cli import pipeline

    pipeline.run_index(data_dir_of(ctx), rebuild=rebuild)


# --- reading -----------------------------------------------------------------------------


def _query_text(words: tuple[str, ...]) -> str:
    query = " ".join(words).strip()
    if not query:
        raise bad_input(_("give a query: words to search for"))
    return query


def _query_failed(ctx: click.Context, e: Exception) -> Failure:
    """A query error (exit 2) or no index yet (exit 1, saying where an archive is)."""
    from index.errors import IndexMissing, IndexOutdated, QueryError

    if isinstance(e, IndexOutdated):
        return Failure(_("the index was built before table search: `hparkiv index` rebuilds it"))
    if isinstance(e, IndexMissing):
        return Failure(_no_archive_message(ctx))
    if isinstance(e, QueryError):
        return bad_input(_("bad query: {reason}", reason=e.translated(gettext)))
    raise e


def _no_archive_message(ctx: click.Context) -> str:
    """After `make demo`, a search on the empty default data dir points at the demo archive."""
    from index.writer import index_exists

    root = data_dir_of(ctx).root
    demo = default_data_dir() / "demo"
    if not ctx.find_root().obj.get("data_dir_given") and index_exists(DataDir(demo)):
        return _("no archive in {root} yet. The demo archive is in {demo}: search it with "
                 "`hparkiv --data-dir {demo} search barnehage` (or set HPARKIV_DATA_DIR={demo}); "
                 "`hparkiv update` would crawl the real site into {root}", root=root, demo=demo)
    return _("no archive in {root} yet: `hparkiv demo` builds a sample one, `hparkiv update` crawls the real site",
             root=root)


def _notes_for(ctx: click.Context, filters: Filters, total: int, offset: int) -> list[str]:
    """What a filter or an offset left out, so an answer is never silently incomplete."""
    import catalog

    notes: list[str] = []
    if offset and total and offset >= total:
        notes.append(ngettext("--offset {offset} is past the end: {n} page matches",
                              "--offset {offset} is past the end: {n} pages match", total, offset=offset))
    years_given = filters.year_from is not None or filters.year_to is not None
    if not (years_given or filters.date_from or filters.date_to):
        return notes  # nothing to ask the catalog (a plain search stays fast)
    conn = catalog.connect(data_dir_of(ctx))
    try:
        span = catalog.year_span(conn)
        if span and years_given:
            lo = filters.year_from if filters.year_from is not None else span[0]
            hi = filters.year_to if filters.year_to is not None else span[1]
            if hi < span[0] or lo > span[1]:
                notes.append(_("no documents for {years}: the archive covers {first}–{last}",
                               years=f"{lo}" if lo == hi else f"{lo}–{hi}", first=span[0], last=span[1]))
        if (filters.date_from or filters.date_to) and not filters.undated:
            n = catalog.count_undated(conn, filters)
            if n:
                notes.append(ngettext("{n} document without a date was left out by --from/--to; "
                                      "add --undated to include it",
                                      "{n} documents without a date were left out by --from/--to; "
                                      "add --undated to include them", n))
    finally:
        conn.close()
    return notes


def _print_notes(notes: list[str]) -> None:
    for note in notes:
        click.echo(f"hparkiv: {safe(note)}", err=True)


@cli.command("search", cls=QueryCommand)
@click.argument("query", nargs=-1, required=True)
@filter_options
@click.option("--limit", type=click.IntRange(min=0), default=None,
              help="Hits to show (text: 20; json/jsonl/csv/xlsx: all). 0 = all.")
@click.option("--offset", type=click.IntRange(min=0), default=0, help="Skip this many hits.")
@click.option("--sort", type=click.Choice(["relevance", "newest", "oldest"]), default="relevance", show_default=True,
              help="Best first, or by the document's date (newest or oldest first).")
@click.option("--doc", "doc_ref", metavar="DOC_ID", help="Search within this one document.")
@click.option("--tables", "only_tables", is_flag=True, help="Only pages that have a table.")
@format_option()
@click.pass_context
def search_cmd(ctx: click.Context, query: tuple[str, ...], limit: int | None, offset: int, sort: str,
               doc_ref: str | None, only_tables: bool, fmt: str, csv_dialect: str, **fopts: Any) -> None:
    """Search pages: words (all of them), "exact phrases", OR, -word, prefix*, 152/20, committee:HBO.
    After -- everything is the query, so it may start with -word.

    \b
        hparkiv search barnehage sykehjem
        hparkiv search sykehjemsplasser --year 2019-2022 --committee HBO
        hparkiv search '"Carpe Diem" OR demenslandsby' --type protokoll,vedtak --format csv
        hparkiv search Lindelia --sort oldest --limit 1
        hparkiv search sykehjem --doc 3fa9c2d1e0b4
        hparkiv search -- -sykehjem barnehage
    """
    from index import search as run_search

    text = _query_text(query)
    filters = build_filters(**fopts)
    filters.tables = only_tables
    within = None
    if doc_ref:
        _conn, version = _find(ctx, doc_ref)
        within = version.sha256
        filters.all_versions = True  # the version asked for, superseded or not
    if limit is None:
        limit = 20 if fmt == "text" else 0
    try:
        result = run_search(data_dir_of(ctx), text, filters, limit=limit or None, offset=offset, sort=sort,
                            within=within)
    except Exception as e:  # noqa: BLE001 - sorted by _query_failed; anything else re-raised
        raise _query_failed(ctx, e) from None
    facets = {k: (dict(sorted(v.items())) if k == "year" else v) for k, v in result.facets.items()}
    hits = [_hit_dict(h) for h in result.hits]
    _print_notes(_notes_for(ctx, filters, result.total, offset))
    if fmt == "json":
        write_json({"query": text, "total": result.total, "hits": hits, "facets": facets})
    elif fmt in ("jsonl", "csv", "xlsx"):
        write_rows(hits, fmt, HIT_COLUMNS, dialect=csv_dialect, sheet="treff")
    else:
        from search_cli.text import print_search

        result.facets = facets
        print_search(text, result, offset)


@cli.command(cls=QueryCommand)
@click.argument("query", nargs=-1, required=True)
@filter_options
@click.option("--count", "count", type=click.Choice(["pages", "documents"]), default="pages", show_default=True,
              help="Count matching pages or matching documents.")
@click.option("--normalise", is_flag=True,
              help="Matching pages per 1,000 pages of that year (years hold different amounts of text).")
@format_option(choices=("text", "json", "csv", "xlsx"))
@click.pass_context
def trend(ctx: click.Context, query: tuple[str, ...], count: str, normalise: bool, fmt: str, csv_dialect: str,
          **fopts: Any) -> None:
    """Matches per budget year, every year shown: how mention of X changed.

    \b
        hparkiv trend sykehjemsplasser
        hparkiv trend Lindelia --count documents
        hparkiv trend barnehage --normalise --format xlsx > barnehage.xlsx
    """
    from index.years import trend_years

    text = _query_text(query)
    filters = build_filters(**fopts)
    try:
        rows = trend_years(data_dir_of(ctx), text, filters)
    except Exception as e:  # noqa: BLE001 - sorted by _query_failed
        raise _query_failed(ctx, e) from None
    data = [vars(r) for r in rows]
    _print_notes(_notes_for(ctx, filters, 0, 0))
    if fmt == "json":
        write_json({"query": text, "count": count, "normalise": normalise, "years": data})
    elif fmt in ("csv", "xlsx"):
        write_rows(data, fmt, TREND_COLUMNS, dialect=csv_dialect, sheet="trend")
    else:
        from search_cli.text import print_trend

        print_trend(text, data, count=count, normalise=normalise)


@cli.command()
@click.argument("label")
@filter_options
@click.option("--exact", is_flag=True, help="Match the row label exactly as written.")
@format_option(choices=("text", "json", "csv", "xlsx"))
@click.pass_context
def series(ctx: click.Context, label: str, exact: bool, fmt: str, csv_dialect: str, **fopts: Any) -> None:
    """Follow one budget line through every table of every document, year by year.

    \b
        hparkiv series "Netto driftsresultat"
        hparkiv series barnehager --year 2018-2024 --format csv
    """
    import catalog
    from budget import POINT_COLUMNS, NoSuchLine
    from budget import series as run_series

    filters = build_filters(**fopts)
    conn = catalog.connect(data_dir_of(ctx))
    try:
        found = run_series(conn, label, filters, exact=exact)
    except NoSuchLine:
        raise bad_input(_("no table row matches {label!r}; try fewer words, or leave out --exact",
                          label=label)) from None
    if fmt == "json":
        write_json(found.to_dict())
    elif fmt in ("csv", "xlsx"):
        write_rows(found.to_dict()["points"], fmt, POINT_COLUMNS, dialect=csv_dialect, sheet="serie")
    else:
        from search_cli.text import print_series

        print_series(found)


@cli.command("list")
@filter_options
@click.option("--status", type=click.Choice(STATUSES), help="Only this status.")
@format_option()
@click.pass_context
def list_cmd(ctx: click.Context, fmt: str, csv_dialect: str, status: str | None, **fopts: Any) -> None:
    """List document versions with their classification and status.

    \b
        hparkiv list --year 2021 --format json
    """
    import catalog

    filters = build_filters(status=status, **fopts)
    conn = catalog.connect(data_dir_of(ctx))
    rows = [_version_dict(v) for v in catalog.list_versions(conn, filters)]
    _print_notes(_notes_for(ctx, filters, 0, 0))
    if fmt == "text":
        from search_cli.text import print_versions

        print_versions(rows)
    else:
        write_rows(rows, fmt, VERSION_COLUMNS, dialect=csv_dialect, sheet="dokumenter")


def _find(ctx: click.Context, doc_id: str):
    import catalog

    conn = catalog.connect(data_dir_of(ctx))
    v = catalog.find_version(conn, doc_id)
    if v is None:
        ref = doc_id.strip().lower()
        if len(ref) < 6 or any(c not in "0123456789abcdef" for c in ref):
            raise bad_input(_("no document {ref!r}: a document id is 6 to 64 hex digits (the first 12 are "
                              "its doc_id); see `hparkiv list`", ref=doc_id))
        raise bad_input(_("no document {ref!r}, or more than one starts so; give more of its id "
                          "(see `hparkiv list`)", ref=doc_id))
    return conn, v


@cli.command()
@click.argument("doc_id")
@click.option("--page", type=click.IntRange(min=1), help="Print this page's text.")
@click.option("--decisions", "with_decisions", is_flag=True, help="The decisions the document carries.")
@format_option(choices=("text", "json"))
@click.pass_context
def show(ctx: click.Context, doc_id: str, page: int | None, with_decisions: bool, fmt: str) -> None:
    """A document's metadata (with how each field was decided), links and a page's text.

    \b
        hparkiv show 3fa9c2d1e0b4 --page 12
        hparkiv show 3fa9c2d1e0b4 --decisions
    """
    import catalog

    conn, v = _find(ctx, doc_id)
    if with_decisions:
        from catalog.vedtak import vedtak_of
        from index.vedtak import vedtak_record

        records = [vedtak_record(v, d) for d in vedtak_of(conn, v.sha256)]
        if fmt == "json":
            write_json({"doc_id": v.doc_id, "total": len(records), "decisions": records})
        else:
            from search_cli.text import print_decisions

            print_decisions(records, len(records))
        return
    links = catalog.links_to(conn, v.sha256)
    urls = catalog.urls_of(conn, v.sha256)
    pages = catalog.pages_of(conn, v.sha256)
    if page is not None and v.pages and page > v.pages:
        raise bad_input(ngettext("{doc} has {n} page, not {page}", "{doc} has {n} pages, not {page}", v.pages,
                                 doc=v.doc_id, page=page))
    if page is not None and not pages:
        raise bad_input(_("{doc} has no text ({status}: {reason})", doc=v.doc_id, status=v.status,
                          reason=v.error or _("nothing extracted yet")))
    chosen = [p for p in pages if page is None or p.page == page]
    if fmt == "json":
        write_json(_version_dict(v) | {
            "urls": urls,
            "links": [vars(link) for link in links],
            "pages_text": [{"page": p.page, "text": p.text, "ocr": p.ocr} for p in chosen] if page else [],
        })
        return
    from search_cli.text import print_show

    print_show(v, urls, links, chosen if page else [])


@cli.command()
@click.argument("doc_id")
@click.option("--page", type=click.IntRange(min=1), help="Only tables on this page.")
@format_option(choices=("text", "json", "csv", "xlsx"))
@click.pass_context
def tables(ctx: click.Context, doc_id: str, page: int | None, fmt: str, csv_dialect: str) -> None:
    """Export a document's budget tables.

    \b
        hparkiv tables 3fa9c2d1e0b4 --page 5 --format csv > tabell.csv
    """
    import catalog

    conn, v = _find(ctx, doc_id)
    if page is not None and v.pages and page > v.pages:
        raise bad_input(ngettext("{doc} has {n} page, not {page}", "{doc} has {n} pages, not {page}", v.pages,
                                 doc=v.doc_id, page=page))
    found = catalog.tables_of(conn, v.sha256, page)
    # Tables are numbered from 1 on their page, the same in text, CSV, JSON and xlsx.
    if fmt == "json":
        write_json([{"doc_id": v.doc_id, "page": t.page, "index": t.index, "table": t.index + 1,
                     "caption": t.caption, "unit": t.unit, "bbox": t.bbox, "header": t.header, "rows": t.rows,
                     "values": t.values} for t in found])
    elif fmt == "csv":
        from search_cli.output import csv_writer

        w = csv_writer(csv_dialect)
        for t in found:
            w.writerow(["page", "table", *t.header])
            for r in t.rows:
                w.writerow([t.page, t.index + 1, *[safe(c) for c in r]])
    elif fmt == "xlsx":
        from search_cli.output import write_xlsx

        write_xlsx([(f"s{t.page} t{t.index + 1}", [safe(h) for h in t.header], t.rows) for t in found]
                   or [("tabeller", ["page", "table"], [])])
    else:
        from search_cli.text import print_tables

        print_tables(v, found)


@cli.command()
@click.argument("query", nargs=-1)
@filter_options
@click.option("--party", help="A party (Ap, H, MDG, … or its name): decisions where it took a side.")
@click.option("--outcome", type=click.Choice(["vedtatt", "falt"]),
              help="With --party: its side won (vedtatt) or lost (falt); alone: a vote with this result.")
@click.option("--limit", type=click.IntRange(min=0), default=None, help="Decisions to show (text: 20). 0 = all.")
@format_option(choices=("text", "json", "csv"))
@click.pass_context
def vedtak(ctx: click.Context, query: tuple[str, ...], party: str | None, outcome: str | None,
           limit: int | None, fmt: str, csv_dialect: str, **fopts: Any) -> None:
    """Decisions and votes: what was decided, on whose proposal, how each party voted.

        hparkiv vedtak sykehjem --year 2021
        hparkiv vedtak --party Ap --outcome falt --format json
    """
    from index.errors import FilterError
    from index.vedtak import search_vedtak, vedtak_record

    text = " ".join(query).strip() or None
    filters = build_filters(**fopts)
    if limit is None:
        limit = 20 if fmt == "text" else 0
    try:
        result = search_vedtak(data_dir_of(ctx), text, filters, party=party, outcome=outcome,
                                  limit=limit or None)
    except FilterError as e:  # an unknown party: no query error
        raise bad_input(e.translated(gettext)) from None
    except Exception as e:  # noqa: BLE001 - sorted by _query_failed; anything else re-raised
        raise _query_failed(ctx, e) from None
    records = [vedtak_record(v, d) for v, d in result.vedtak]
    if fmt == "json":
        write_json({"query": text, "total": result.total, "decisions": records})
    elif fmt == "csv":
        from search_cli.text import vote_line

        rows = [r | {"votes": " | ".join(vote_line(v) for v in r["votes"]),
                     "proposals": " | ".join(f"{p['by']}: {p['text']}" for p in r["proposals"])} for r in records]
        write_rows(rows, "csv", DECISION_COLUMNS, dialect=csv_dialect, sheet="vedtak")
    else:
        from search_cli.text import print_decisions

        print_decisions(records, result.total)


DECISION_COLUMNS = ("doc_id", "url", "page", "date", "year", "committee", "case", "archive_case", "title", "kind",
                    "section", "number", "recommendation", "decision", "proposals", "votes")


@cli.command()
@format_option(choices=("text", "json"))
@click.pass_context
def status(ctx: click.Context, fmt: str) -> None:
    """What the archive holds: documents per status, last runs, failures.

    \b
        hparkiv status
    """
    from search_cli.pipeline import archive_status

    info = archive_status(data_dir_of(ctx))
    if fmt == "json":
        write_json(info)
    else:
        from search_cli.text import print_status

        print_status(info)


@cli.command()
@click.option("--repair", is_flag=True, help="Fix what can be fixed (re-extract, re-index, drop orphans).")
@format_option(choices=("text", "json"))
@click.pass_context
def check(ctx: click.Context, repair: bool, fmt: str) -> None:
    """Verify the data dir: files, catalog and index agree.

    \b
        hparkiv check --repair
    """
    from search_cli.check import run_check

    problems = run_check(data_dir_of(ctx), repair=repair)
    if fmt == "json":
        write_json({"ok": not problems, "problems": [p.to_dict() for p in problems]})
    else:
        for p in problems:
            repaired = _(" (repaired)") if p.repaired else ""
            click.echo(f"{p.kind}: {safe(p.detail)}{repaired}")
        click.echo(_("ok: the archive is consistent") if not problems
                   else ngettext("{n} problem found", "{n} problems found", len(problems)))
    unrepaired = [p for p in problems if not p.repaired]
    ctx.exit(1 if unrepaired else 0)


@cli.command()
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on; anything but loopback serves other machines too.")
@click.option("--port", type=click.IntRange(1, 65535), default=8765, show_default=True, help="Port to listen on.")
@click.option("--open", "open_browser", is_flag=True, help="Open the web UI in the default browser.")
@click.pass_context
def serve(ctx: click.Context, host: str, port: int, open_browser: bool) -> None:
    """The archive in a browser: search, pages with the words highlighted, exports, feeds.

    \b
        hparkiv serve --open
        hparkiv serve --host 0.0.0.0 --port 8080
    """
    import ipaddress

    from web import serve as run_server

    data_dir = data_dir_of(ctx)
    if not data_dir.catalog.exists():
        raise Failure(_("no archive in {root}; run `hparkiv update` first", root=data_dir.root))
    try:
        loopback = ipaddress.ip_address(host).is_loopback
    except ValueError:
        loopback = host == "localhost"
    if not loopback:
        click.echo(_("hparkiv: warning: serving on {host}: other machines can read the whole archive", host=host),
                   err=True)
    url = f"http://{'127.0.0.1' if host in ('0.0.0.0', '::') else host}:{port}/"
    click.echo(_("hparkiv: serving {root} on {url} (Ctrl-C stops)", root=data_dir.root, url=url), err=True)
    if open_browser:
        import threading
        import webbrowser

        threading.Timer(1.0, webbrowser.open, (url,)).start()
    run_server(data_dir, host=host, port=port)


@cli.command()
@click.option("--variant", type=int, default=0, show_default=True, help="Which variant of the sample site.")
@click.pass_context
def demo(ctx: click.Context, variant: int) -> None:
    """The whole job on the built-in sample archive, served on loopback.

    \b
        hparkiv demo
    """
    from search_cli.demo import run_demo

    given = ctx.find_root().params.get("data_dir")
    root = DataDir(Path(given)) if given else DataDir(default_data_dir() / "demo")
    ok = run_demo(root, variant=variant, verbose=ctx.obj["verbose"])
    ctx.exit(0 if ok else 1)


def _language_from_argv(argv: list[str]) -> str | None:
    """--lang as given, read before click parses, so even a usage error is in that language."""
    for i, arg in enumerate(argv):
        if arg == "--":
            break
        if arg == "--lang" and i + 1 < len(argv):
            return argv[i + 1]
        if arg.startswith("--lang="):
            return arg.split("=", 1)[1]
    return None


def main() -> None:
    """Entry point: no traceback reaches the user unless HPARKIV_DEBUG is set."""
    set_language(_language_from_argv(sys.argv[1:]))
    try:
        # Without standalone mode, click returns (not raises) the code of ctx.exit(n).
        code = cli.main(standalone_mode=False, prog_name="hparkiv")
        if isinstance(code, int) and code:
            sys.exit(code)
    except click.exceptions.Exit as e:
        sys.exit(e.exit_code)
    except click.UsageError as e:
        # One line, like the tool's own errors, with where to look.
        where = e.ctx.command_path if e.ctx else "hparkiv"
        message = " ".join(e.format_message().split())
        hint = _("see `{command} --help`", command=where)
        click.echo(f"hparkiv: {safe(message)} ({hint})", err=True)
        sys.exit(e.exit_code)
    except click.ClickException as e:
        click.echo(f"hparkiv: {safe(e.format_message())}", err=True)
        sys.exit(e.exit_code)
    except click.Abort:
        click.echo("hparkiv: " + _("aborted"), err=True)
        sys.exit(130)
    except CatalogError as e:  # a catalog from a newer hparkiv, or an old one that cannot be upgraded
        click.echo(f"hparkiv: {safe(e.translated(gettext))}", err=True)
        sys.exit(1)
    except KeyboardInterrupt:
        click.echo("hparkiv: " + _("interrupted; the next run resumes where this one stopped"), err=True)
        sys.exit(130)
    except BrokenPipeError:
        sys.stderr.close()
        sys.exit(0)
    except Exception as e:  # the last line of defence: one line, not a traceback
        if os.environ.get("HPARKIV_DEBUG"):
            raise
        click.echo("hparkiv: " + _("internal error: {kind}: {error} (set HPARKIV_DEBUG=1 for details)",
                                   kind=safe(type(e).__name__), error=safe(e)), err=True)
        sys.exit(1)
