"""The `hparkiv` command: parse flags, call a stage, print the result.

Heavy stages (Scrapy, pdfplumber) are imported inside the commands that need them, so
`hparkiv search` starts in a fraction of a second.

    hparkiv update                      # crawl, extract, index the real site
    hparkiv search "sykehjemsplasser" --year 2019-2022 --committee HBO
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

import click

from catalog import DataDir, Filters, default_data_dir
from search_cli.output import format_option, plain, safe, write_json, write_rows

VERSION_COLUMNS = (
    "doc_id", "url", "title", "year", "period", "committee", "doctype", "date", "pages",
    "status", "error", "sha256", "superseded_by", "first_seen", "last_seen", "ocr_pages", "media_type",
)
HIT_COLUMNS = ("doc_id", "url", "title", "year", "period", "committee", "doctype", "date", "page", "score",
               "snippet")


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
    """--year/--committee/--type/--from/--to/--all-versions, the same on every listing."""
    opts = [
        click.option("--year", help="Budget year 2021 or a range 2019-2022."),
        click.option("--committee", help="Committee slug, abbreviation (HBU) or name."),
        click.option("--type", "doctype", help="Document type slug (forslag, innstilling, vedtak, ...)."),
        click.option("--from", "date_from", help="Meeting/publication date on or after (YYYY-MM-DD)."),
        click.option("--to", "date_to", help="Meeting/publication date on or before (YYYY-MM-DD)."),
        click.option("--all-versions", is_flag=True, help="Include superseded versions."),
    ]
    for opt in reversed(opts):
        fn = opt(fn)
    return fn


def build_filters(year: str | None, committee: str | None, doctype: str | None, date_from: str | None,
                  date_to: str | None, all_versions: bool, status: str | None = None) -> Filters:
    from crawler.source import shipped_vocabulary

    vocab = shipped_vocabulary()
    f = Filters(all_versions=all_versions, status=status)
    if year:
        f.year_from, f.year_to = parse_years(year)
    if committee:
        c = vocab.committee(committee)
        if c is None:
            raise bad_input(f"unknown committee {committee!r}; valid: {', '.join(vocab.committee_slugs())}")
        f.committee = c.slug
    if doctype:
        d = vocab.doctype(doctype)
        if d is None:
            raise bad_input(f"unknown type {doctype!r}; valid: {', '.join(vocab.doctype_slugs())}")
        f.doctype = d.slug
    for name, value in (("--from", date_from), ("--to", date_to)):
        if value and not _is_date(value):
            raise bad_input(f"{name} wants a date like 2020-12-02, not {value!r}")
    f.date_from, f.date_to = date_from, date_to
    return f


def parse_years(text: str) -> tuple[int, int]:
    parts = text.replace("–", "-").split("-")
    try:
        years = [int(p) for p in parts if p.strip()]
    except ValueError:
        raise bad_input(f"--year wants 2021 or 2019-2022, not {text!r}") from None
    if len(years) == 1 and len(parts) == 1:
        return years[0], years[0]
    if len(years) == 2 and years[0] <= years[1]:
        return years[0], years[1]
    raise bad_input(f"--year wants 2021 or 2019-2022, not {text!r}")


def _is_date(value: str) -> bool:
    from datetime import date

    try:
        date.fromisoformat(value)
    except ValueError:
        return False
    return True


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


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--data-dir", type=click.Path(file_okay=False, path_type=Path), envvar="HPARKIV_DATA_DIR",
              help="Where the catalog, files and index live (env HPARKIV_DATA_DIR).")
@click.option("-v", "--verbose", is_flag=True, help="Show the crawler's own log.")
@click.version_option(package_name="hparkiv")
@click.pass_context
def cli(ctx: click.Context, data_dir: Path | None, verbose: bool) -> None:
    """hparkiv: archive and search Bærum kommune's budget documents.

    Start with `hparkiv update`, then `hparkiv search WORDS`.
    """
    ctx.obj = {"data_dir": DataDir(data_dir or default_data_dir()), "verbose": verbose}


# --- the pipeline ------------------------------------------------------------------------


@cli.command()
@source_options
@extract_options
@click.pass_context
def update(ctx: click.Context, **opts: Any) -> None:
    """Crawl, extract and index: bring the archive up to date (the main job).

        hparkiv update
        hparkiv update --start-url http://localhost:8000/ --no-wayback
    """
    from search_cli import pipeline

    ok = pipeline.run_update(data_dir_of(ctx), verbose=ctx.obj["verbose"], **opts)
    ctx.exit(0 if ok else 1)


@cli.command()
@source_options
@click.pass_context
def crawl(ctx: click.Context, **opts: Any) -> None:
    """Only collect documents (stage 1).

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

        hparkiv extract --workers 2
    """
    from search_cli import pipeline

    pipeline.run_extract(data_dir_of(ctx), workers=workers, ocr=ocr, force=force)


@cli.command("index")
@click.option("--rebuild", is_flag=True, help="Rebuild the whole index from the catalog.")
@click.pass_context
def index_cmd(ctx: click.Context, rebuild: bool) -> None:
    """Only bring the search index up to date with the catalog (stage 3).

        hparkiv index --rebuild
    """
    from search_cli import pipeline

    pipeline.run_index(data_dir_of(ctx), rebuild=rebuild)


# --- reading -----------------------------------------------------------------------------


@cli.command("search")
@click.argument("query")
@filter_options
@click.option("--limit", type=click.IntRange(min=0), default=None,
              help="Hits to show (text: 20; json/jsonl/csv: all). 0 = all.")
@click.option("--offset", type=click.IntRange(min=0), default=0, help="Skip this many hits.")
@format_option()
@click.pass_context
def search_cmd(ctx: click.Context, query: str, limit: int | None, offset: int, fmt: str, **fopts: Any) -> None:
    """Search pages: words, "exact phrases", OR, NOT/-word, prefix*.

        hparkiv search sykehjemsplasser --year 2019-2022
        hparkiv search '"Carpe Diem" OR demenslandsby' --type protokoll --format csv
    """
    from index import search as run_search
    from index.errors import IndexMissing, QueryError

    filters = build_filters(**fopts)
    if limit is None:
        limit = 20 if fmt == "text" else 0
    try:
        result = run_search(data_dir_of(ctx), query, filters, limit=limit or None, offset=offset)
    except QueryError as e:
        raise bad_input(f"bad query: {e}") from None
    except IndexMissing as e:
        raise Failure(str(e)) from None
    hits = [_hit_dict(h) for h in result.hits]
    if fmt == "json":
        write_json({"query": query, "total": result.total, "hits": hits, "facets": result.facets})
    elif fmt in ("jsonl", "csv"):
        write_rows(hits, fmt, HIT_COLUMNS)
    else:
        from search_cli.text import print_search

        print_search(query, result, offset)


def _hit_dict(hit: Any) -> dict[str, Any]:
    return {
        "doc_id": hit.doc_id, "url": hit.url, "title": hit.title, "year": hit.year, "period": hit.period,
        "committee": hit.committee, "doctype": hit.doctype, "date": hit.date, "page": hit.page,
        "score": round(float(hit.score), 4), "snippet": plain(hit.snippet),
    }


@cli.command()
@click.argument("query")
@filter_options
@format_option(choices=("text", "json", "csv"))
@click.pass_context
def trend(ctx: click.Context, query: str, fmt: str, **fopts: Any) -> None:
    """Matches per budget year (pages and documents): how mention of X changed.

        hparkiv trend sykehjemsplasser
    """
    from index import trend as run_trend
    from index.errors import IndexMissing, QueryError

    filters = build_filters(**fopts)
    try:
        rows = run_trend(data_dir_of(ctx), query, filters)
    except QueryError as e:
        raise bad_input(f"bad query: {e}") from None
    except IndexMissing as e:
        raise Failure(str(e)) from None
    data = [{"year": r.year, "pages": r.pages, "documents": r.documents} for r in rows]
    if fmt == "json":
        write_json({"query": query, "years": data})
    elif fmt == "csv":
        write_rows(data, "csv", ("year", "pages", "documents"))
    else:
        from search_cli.text import print_trend

        print_trend(query, data)


@cli.command("list")
@filter_options
@click.option("--status", type=click.Choice(["pending", "ok", "no_text", "failed"]), help="Only this status.")
@format_option()
@click.pass_context
def list_cmd(ctx: click.Context, fmt: str, status: str | None, **fopts: Any) -> None:
    """List document versions with their classification and status.

        hparkiv list --year 2021 --format json
    """
    import catalog

    filters = build_filters(status=status, **fopts)
    conn = catalog.connect(data_dir_of(ctx))
    rows = [_version_dict(v) for v in catalog.list_versions(conn, filters)]
    if fmt == "text":
        from search_cli.text import print_versions

        print_versions(rows)
    else:
        write_rows(rows, fmt, VERSION_COLUMNS)


def _version_dict(v: Any) -> dict[str, Any]:
    d = v.to_dict()
    return {k: d.get(k) for k in VERSION_COLUMNS} | {"provenance": d.get("provenance", {})}


def _find(ctx: click.Context, doc_id: str):
    import catalog

    conn = catalog.connect(data_dir_of(ctx))
    v = catalog.find_version(conn, doc_id)
    if v is None:
        raise bad_input(f"no document {doc_id!r}; see `hparkiv list`")
    return conn, v


@cli.command()
@click.argument("doc_id")
@click.option("--page", type=click.IntRange(min=1), help="Print this page's text.")
@click.option("--decisions", "with_decisions", is_flag=True, help="The decisions the document carries.")
@format_option(choices=("text", "json"))
@click.pass_context
def show(ctx: click.Context, doc_id: str, page: int | None, with_decisions: bool, fmt: str) -> None:
    """A document's metadata (with how each field was decided), links and a page's text.

        hparkiv show 3fa9c2d1e0b4 --page 12
        hparkiv show 3fa9c2d1e0b4 --decisions
    """
    import catalog

    conn, v = _find(ctx, doc_id)
    if with_decisions:
        from catalog.decisions import decisions_of
        from index.vedtak import decision_record

        records = [decision_record(v, d) for d in decisions_of(conn, v.sha256)]
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
        raise bad_input(f"{v.doc_id} has {v.pages} pages, not {page}")
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
@format_option(choices=("text", "json", "csv"))
@click.pass_context
def tables(ctx: click.Context, doc_id: str, page: int | None, fmt: str) -> None:
    """Export a document's budget tables.

        hparkiv tables 3fa9c2d1e0b4 --page 5 --format csv > tabell.csv
    """
    import catalog

    conn, v = _find(ctx, doc_id)
    found = catalog.tables_of(conn, v.sha256, page)
    if fmt == "json":
        write_json([{"doc_id": v.doc_id, "page": t.page, "index": t.index, "header": t.header, "rows": t.rows}
                    for t in found])
    elif fmt == "csv":
        import csv

        w = csv.writer(sys.stdout)
        for t in found:
            w.writerow(["page", "table", *t.header])
            for r in t.rows:
                w.writerow([t.page, t.index, *[safe(c) for c in r]])
    else:
        from search_cli.text import print_tables

        print_tables(v, found)


@cli.command()
@click.argument("query", required=False)
@filter_options
@click.option("--party", help="A party (Ap, H, MDG, … or its name): decisions where it took a side.")
@click.option("--outcome", type=click.Choice(["vedtatt", "falt"]),
              help="With --party: its side won (vedtatt) or lost (falt); alone: a vote with this result.")
@click.option("--limit", type=click.IntRange(min=0), default=None, help="Decisions to show (text: 20). 0 = all.")
@format_option(choices=("text", "json", "csv"))
@click.pass_context
def vedtak(ctx: click.Context, query: str | None, party: str | None, outcome: str | None, limit: int | None,
           fmt: str, **fopts: Any) -> None:
    """Decisions and votes: what was decided, on whose proposal, how each party voted.

        hparkiv vedtak sykehjem --year 2021
        hparkiv vedtak --party Ap --outcome falt --format json
    """
    from index.errors import IndexMissing, QueryError
    from index.vedtak import decision_record, search_decisions

    filters = build_filters(**fopts)
    if limit is None:
        limit = 20 if fmt == "text" else 0
    try:
        result = search_decisions(data_dir_of(ctx), query, filters, party=party, outcome=outcome,
                                  limit=limit or None)
    except QueryError as e:
        raise bad_input(str(e) if str(e).startswith(("unknown party", "outcome")) else f"bad query: {e}") from None
    except IndexMissing as e:
        raise Failure(str(e)) from None
    records = [decision_record(v, d) for v, d in result.decisions]
    if fmt == "json":
        write_json({"query": query, "total": result.total, "decisions": records})
    elif fmt == "csv":
        from search_cli.text import vote_line

        rows = [r | {"votes": " | ".join(vote_line(v) for v in r["votes"]),
                     "proposals": " | ".join(f"{p['by']}: {p['text']}" for p in r["proposals"])} for r in records]
        write_rows(rows, "csv", DECISION_COLUMNS)
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

        hparkiv check --repair
    """
    from search_cli.check import run_check

    problems = run_check(data_dir_of(ctx), repair=repair)
    if fmt == "json":
        write_json({"ok": not problems, "problems": problems})
    else:
        for p in problems:
            click.echo(f"{p['kind']}: {safe(p['detail'])}" + (" (repaired)" if p.get("repaired") else ""))
        click.echo("ok: the archive is consistent" if not problems else f"{len(problems)} problem(s) found")
    unrepaired = [p for p in problems if not p.get("repaired")]
    ctx.exit(1 if unrepaired else 0)


@cli.command()
@click.option("--variant", type=int, default=0, show_default=True, help="Which variant of the sample site.")
@click.pass_context
def demo(ctx: click.Context, variant: int) -> None:
    """The whole job on the built-in sample archive, served on loopback.

        hparkiv demo
    """
    from search_cli.demo import run_demo

    given = ctx.find_root().params.get("data_dir")
    root = DataDir(Path(given)) if given else DataDir(default_data_dir() / "demo")
    ok = run_demo(root, variant=variant, verbose=ctx.obj["verbose"])
    ctx.exit(0 if ok else 1)


def main() -> None:
    """Entry point: no traceback reaches the user unless HPARKIV_DEBUG is set."""
    try:
        # Without standalone mode, click returns (not raises) the code of ctx.exit(n).
        code = cli.main(standalone_mode=False, prog_name="hparkiv")
        if isinstance(code, int) and code:
            sys.exit(code)
    except click.exceptions.Exit as e:
        sys.exit(e.exit_code)
    except click.UsageError as e:
        e.show()  # with the usage line: the user typed the command wrong
        sys.exit(e.exit_code)
    except click.ClickException as e:
        click.echo(f"hparkiv: {safe(e.format_message())}", err=True)
        sys.exit(e.exit_code)
    except click.Abort:
        click.echo("hparkiv: aborted", err=True)
        sys.exit(130)
    except KeyboardInterrupt:
        click.echo("hparkiv: interrupted; the next run resumes where this one stopped", err=True)
        sys.exit(130)
    except BrokenPipeError:
        sys.stderr.close()
        sys.exit(0)
    except Exception as e:  # the last line of defence: one line, not a traceback
        if os.environ.get("HPARKIV_DEBUG"):
            raise
        click.echo(f"hparkiv: internal error: {safe(type(e).__name__)}: {safe(e)} "
                   "(set HPARKIV_DEBUG=1 for details)", err=True)
        sys.exit(1)
