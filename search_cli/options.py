"""The options several commands share, parsed the same everywhere: filters, where to crawl,
extraction workers, and the output format. Filter values and their aliases are the
library's (index/filters.py): this module only reads flags."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import click

from catalog import DataDir, Filters
from present.formats import DIALECTS, FORMATS
from search_cli.errors import bad_input
from search_cli.messages import gettext

LISTING = ("text", *FORMATS)  # what a command that answers with rows offers: text and every export format
OBJECT = ("text", "json")  # what a command that answers with one object offers


def data_dir_of(ctx: click.Context) -> DataDir:
    return ctx.find_root().obj["data_dir"]


def _stack(fn, opts: list):
    for opt in reversed(opts):
        fn = opt(fn)
    return fn


def filter_options(fn):
    """--year/--committee/--type/--from/--to/--undated/--all-versions, the same on every listing."""
    return _stack(fn, [
        click.option("--year", help="Budget year 2021 or a range 2019-2022."),
        click.option("--committee", multiple=True,
                     help="Committee: slug, abbreviation (HBU) or name; repeat it or separate with commas."),
        click.option("--kommune", multiple=True,
                     help="Municipality: kommunenummer (3203), name (Asker) or source name; repeat or use commas."),
        click.option("--type", "doctype", multiple=True,
                     help="Document type (forslag, innstilling, vedtak, protokoll, ...); repeat or use commas."),
        click.option("--from", "date_from", help="Meeting/publication date on or after (YYYY-MM-DD)."),
        click.option("--to", "date_to", help="Meeting/publication date on or before (YYYY-MM-DD)."),
        click.option("--undated", is_flag=True, help="With --from/--to: keep documents that have no date."),
        click.option("--all-versions", is_flag=True, help="Include superseded versions."),
    ])


def build_filters(year: str | None, committee: tuple[str, ...], doctype: tuple[str, ...], date_from: str | None,
                  date_to: str | None, all_versions: bool, undated: bool = False,
                  status: str | None = None, kommune: tuple[str, ...] = ()) -> Filters:
    """The flags as Filters, through the library's one resolver (the query's fields use it too)."""
    from index.errors import FilterError
    from index.filters import make_filters

    try:
        return make_filters(year=year, committee=committee, doctype=doctype, date_from=date_from, date_to=date_to,
                            all_versions=all_versions, status=status, undated=undated, kommune=kommune)
    except FilterError as e:
        raise bad_input(e.translated(gettext)) from None


def source_options(fn):
    return _stack(fn, [
        click.option("--source", default="baerum", show_default=True,
                     help="A shipped source (baerum, asker, malvik, stavanger, nordrefollo), a source TOML file, a "
                          "folder of them, or all; several with commas, crawled side by side."),
        click.option("--start-url", "start_urls", multiple=True,
                     help="Crawl from this page instead (repeatable); its host is allowed."),
        click.option("--allow-host", "allow_hosts", multiple=True, help="Also allow this host (repeatable)."),
        click.option("--wayback", help="A Wayback-compatible archive to ask for earlier states of the pages."),
        click.option("--no-wayback", is_flag=True, help="Do not ask any web archive."),
        click.option("--delay", type=float, help="Seconds between requests to a host (default: polite)."),
    ])


def crawl_options(source: str, start_urls: Sequence[str], allow_hosts: Sequence[str], wayback: str | None,
                  no_wayback: bool, delay: float | None) -> Any:
    """The source flags as the crawl job's options."""
    from jobs.update import CrawlOptions

    return CrawlOptions(source=source, start_urls=tuple(start_urls), allow_hosts=tuple(allow_hosts),
                        wayback=False if no_wayback else wayback, delay=delay)


def extract_options(fn):
    return _stack(fn, [
        click.option("--workers", type=click.IntRange(1, 64), help="Worker processes (default: all cores)."),
        click.option("--ocr/--no-ocr", default=None, help="OCR scanned pages (default: when Tesseract is found)."),
    ])


def format_option(choices: Sequence[str] = LISTING):
    """--format with this command's own choices, named in its help (and --csv-dialect with csv)."""
    others = [c for c in choices if c != "text"]
    for_whom = "text for people, " + ", ".join(others) + " for scripts" if "text" in choices else ", ".join(others)
    if "xlsx" in choices:
        for_whom = for_whom.replace(", xlsx for scripts", " for scripts, xlsx for spreadsheets")
    opt = click.option("--format", "fmt", type=click.Choice(list(choices)), default="text",
                       show_default=True, help=f"Output: {for_whom}.")
    if "csv" not in choices:
        return opt

    def both(fn):
        fn = click.option("--csv-dialect", type=click.Choice(DIALECTS), default="rfc4180", show_default=True,
                          help="rfc4180: commas, as scripts expect; excel-nb: semicolons, a BOM and "
                               "decimal commas, as Norwegian Excel opens.")(fn)
        return opt(fn)

    return both
