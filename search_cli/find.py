"""Commands that ask the archive a question: `search`, `trend`, `vedtak`, `series`, `endringer`.

Each parses its flags, calls the library, and writes what present/ shapes: text for people
(search_cli/text/) or an export in any format (search_cli/writers.py)."""

from __future__ import annotations

from typing import Any

import click

from present import exports
from present.notes import left_out, past_the_end
from search_cli.click_types import QueryCommand, TranslatedCommand
from search_cli.errors import bad_input, query_failed
from search_cli.messages import _, gettext
from search_cli.options import build_filters, data_dir_of, filter_options, format_option
from search_cli.writers import write_export

TEXT_LIMIT = 20  # hits or vedtak a text answer shows unless --limit says otherwise; exports have no cap


def query_text(words: tuple[str, ...]) -> str:
    query = " ".join(words).strip()
    if not query:
        raise bad_input(_("give a query: words to search for"))
    return query


@click.command("search", cls=QueryCommand)
@click.argument("query", nargs=-1, required=True)
@filter_options
@click.option("--limit", type=click.IntRange(min=0), default=None,
              help="Hits to show (text: 20; json/jsonl/csv/xlsx: all). 0 = all.")
@click.option("--offset", type=click.IntRange(min=0), default=0, help="Skip this many hits.")
@click.option("--sort", type=click.Choice(["relevance", "newest", "oldest"]), default="relevance", show_default=True,
              help="Best first, or by the document's date (newest or oldest first).")
@click.option("--doc", "doc_ref", metavar="DOC_ID", help="Search within this one document.")
@click.option("--tables", "only_tables", is_flag=True, help="Only pages that have a table.")
@click.option("--exact", is_flag=True,
              help="The words as typed: no spelling corrections, amounts printed otherwise, abbreviations, "
                   "Nynorsk or synonyms.")
@format_option()
@click.pass_context
def search_cmd(ctx: click.Context, query: tuple[str, ...], limit: int | None, offset: int, sort: str,
               doc_ref: str | None, only_tables: bool, exact: bool, fmt: str, csv_dialect: str, **fopts: Any) -> None:
    """Search pages: words (all of them), "exact phrases", OR, -word, prefix*, 152/20, 2446,3, committee:HBO.
    Forgives typos, amounts as typed, abbreviations, Nynorsk and synonyms (--exact: none of it).
    After -- everything is the query, so it may start with -word.

    \b
        hparkiv search barnehage sykehjem
        hparkiv search sykehjemsplasser --year 2019-2022 --committee HBO
        hparkiv search '"Carpe Diem" OR demenslandsby' --type protokoll,vedtak --format csv
        hparkiv search "2,4 mrd" Fornebubanen
        hparkiv search demenslandsy --exact
        hparkiv search Lindelia --sort oldest --limit 1
        hparkiv search sykehjem --doc 3fa9c2d1e0b4
        hparkiv search kulturskole --kommune asker,3207
        hparkiv search -- -sykehjem barnehage
    """
    from index import search as run_search
    from present.expansions import committee_notes, expansion_notes
    from search_cli.documents import find_version
    from search_cli.text import print_notes
    from search_cli.text.search import print_expansions

    text = query_text(query)
    filters = build_filters(**fopts)
    filters.tables = only_tables
    within = None
    if doc_ref:
        within = find_version(ctx, doc_ref)[1].sha256
        filters.all_versions = True  # the version asked for, superseded or not
    if limit is None:
        limit = TEXT_LIMIT if fmt == "text" else 0
    try:
        result = run_search(data_dir_of(ctx), text, filters, limit=limit or None, offset=offset, sort=sort,
                            within=within, exact=exact)
    except Exception as e:  # noqa: BLE001 - sorted by query_failed; anything else re-raised
        raise query_failed(ctx, e) from None
    print_notes([n for n in [past_the_end(result.total, offset)] if n] + left_out(data_dir_of(ctx), filters))
    added = expansion_notes(result.expansions, exact) + committee_notes(result.suggestions, filters.values("committee"))
    print_expansions(text, added, plain=fmt != "text")
    if fmt == "text":
        from search_cli.text.search import print_search

        print_search(text, result, offset)
    else:
        write_export(exports.search_export(text, result.total, result.hits, result.facets, exact=exact,
                                           expansions=result.expansions, suggestions=result.suggestions),
                     fmt, csv_dialect)


@click.command(cls=QueryCommand)
@click.argument("query", nargs=-1, required=True)
@filter_options
@click.option("--count", "count", type=click.Choice(["pages", "documents"]), default="pages", show_default=True,
              help="Count matching pages or matching documents.")
@click.option("--normalise", is_flag=True,
              help="Matching pages per 1,000 pages of that year (years hold different amounts of text).")
@click.option("--exact", is_flag=True, help="The words as typed (as search --exact).")
@format_option()
@click.pass_context
def trend(ctx: click.Context, query: tuple[str, ...], count: str, normalise: bool, exact: bool, fmt: str,
          csv_dialect: str, **fopts: Any) -> None:
    """Matches per budget year, every year shown: how mention of X changed.

    \b
        hparkiv trend sykehjemsplasser
        hparkiv trend Lindelia --count documents
        hparkiv trend barnehage --normalise --format xlsx > barnehage.xlsx
    """
    from index.years import trend_years
    from present.records import trend_record
    from search_cli.text import print_notes

    text = query_text(query)
    filters = build_filters(**fopts)
    try:
        rows = trend_years(data_dir_of(ctx), text, filters, exact=exact)
    except Exception as e:  # noqa: BLE001 - sorted by query_failed
        raise query_failed(ctx, e) from None
    print_notes(left_out(data_dir_of(ctx), filters))
    if fmt == "text":
        from search_cli.text.search import print_trend

        print_trend(text, [trend_record(r) for r in rows], count=count, normalise=normalise)
    else:
        write_export(exports.trend_export(text, rows, count, normalise), fmt, csv_dialect)


@click.command(cls=TranslatedCommand)
@click.argument("label")
@filter_options
@click.option("--exact", is_flag=True, help="Match the row label exactly as written.")
@click.option("--table", "family", metavar="FAMILY",
              help="One table family: netto_driftsrammer, hovedtall, 1A, 1B, 2A, 2B, investeringer, endringer, annet.")
@format_option()
@click.pass_context
def series(ctx: click.Context, label: str, exact: bool, family: str | None, fmt: str, csv_dialect: str,
           **fopts: Any) -> None:
    """Follow one budget line through the years: the adopted figure per year, the plans' projections
    and the accounts, one series per table family (and municipality); with several
    municipalities, side by side, per inhabitant where their documents state it.

    \b
        hparkiv series "Netto driftsresultat"
        hparkiv series barnehager --table netto_driftsrammer --year 2018-2024 --format csv
        hparkiv series grunnskole --kommune asker,malvik
    """
    import catalog
    from budget import FAMILIES, NoSuchLine, compare, pick_family
    from budget import series as run_series

    table = None
    if family is not None:
        table = pick_family(family)
        if table is None:
            raise bad_input(_("unknown table family {family!r}; one of: {families}", family=family,
                              families=", ".join(FAMILIES)))
    filters = build_filters(**fopts)
    kommuner = filters.values("kommune")
    conn = catalog.connect(data_dir_of(ctx))
    try:
        if len(kommuner) > 1:
            filters.kommune = None
            found = compare(conn, label, list(kommuner), filters, exact=exact, table=table)
        else:
            found = run_series(conn, label, filters, exact=exact, table=table)
    except NoSuchLine:
        raise bad_input(_("no table row matches {label!r}; try fewer words, or leave out --exact",
                          label=label)) from None
    finally:
        conn.close()
    if len(kommuner) > 1:
        if fmt == "text":
            from search_cli.text.budget import print_comparison

            print_comparison(found)
        else:
            write_export(exports.comparison_export(found), fmt, csv_dialect)
        return
    if fmt == "text":
        from search_cli.text.budget import print_series

        print_series(found, picked=table is not None)
    else:
        write_export(exports.series_export(found), fmt, csv_dialect)


@click.command(cls=TranslatedCommand)
@click.argument("period")
@click.option("--kommune", multiple=True,
              help="Municipality: kommunenummer, name or source name (default: the period's only one, else Bærum).")
@format_option()
@click.pass_context
def endringer(ctx: click.Context, period: str, kommune: tuple[str, ...], fmt: str, csv_dialect: str) -> None:
    """What the politicians changed: every line of one budget's stages, forslag → innstilling → vedtak.

    \b
        hparkiv endringer 2021
        hparkiv endringer 2021-2024 --format xlsx > endringer-2021.xlsx
        hparkiv endringer 2021 --format json
        hparkiv endringer 2024 --kommune asker
    """
    import catalog
    from budget.endringer import NoSuchPeriod, SeveralKommuner, parse_period
    from budget.endringer import endringer as run_endringer

    try:
        period = parse_period(period)
    except ValueError:
        raise bad_input(_("give a plan period (2021-2024) or its budget year (2021), not {period!r}",
                          period=period)) from None
    kommuner = build_filters(None, (), (), None, None, False, kommune=kommune).kommune
    conn = catalog.connect(data_dir_of(ctx))
    try:
        found = run_endringer(conn, period, kommuner)
    except NoSuchPeriod as e:
        if kommune:
            from sources import find_kommune

            names = [known[0].name if (known := find_kommune(k)) else k for k in kommune]
            raise bad_input(_("the archive has no document of {kommune} in the plan period {period}",
                              kommune=", ".join(dict.fromkeys(names)), period=str(e))) from None
        raise bad_input(_("the archive has no document of the plan period {period}", period=str(e))) from None
    except SeveralKommuner as e:
        if e.asked:
            raise bad_input(_("a budget process is one municipality's: give one --kommune, not {kommuner}",
                              kommuner=", ".join(e.kommuner))) from None
        raise bad_input(_("the plan period {period} has documents of several municipalities ({kommuner}); "
                          "pick one with --kommune", period=e.period, kommuner=", ".join(e.kommuner))) from None
    finally:
        conn.close()
    if fmt == "text":
        from search_cli.text.budget import print_endringer

        print_endringer(found)
    else:
        write_export(exports.endringer_export(found), fmt, csv_dialect)


@click.command(cls=TranslatedCommand)
@click.argument("query", nargs=-1)
@filter_options
@click.option("--party", help="A party (Ap, H, MDG, … or its name): decisions where it took a side.")
@click.option("--outcome", type=click.Choice(["vedtatt", "falt"]),
              help="With --party: its side won (vedtatt) or lost (falt); alone: a vote with this result.")
@click.option("--limit", type=click.IntRange(min=0), default=None, help="Decisions to show (text: 20). 0 = all.")
@format_option()
@click.pass_context
def vedtak(ctx: click.Context, query: tuple[str, ...], party: str | None, outcome: str | None,
           limit: int | None, fmt: str, csv_dialect: str, **fopts: Any) -> None:
    """Decisions and votes: what was decided, on whose proposal, how each party voted.

        hparkiv vedtak sykehjem --year 2021
        hparkiv vedtak --party Ap --outcome falt --format json
    """
    from index.errors import FilterError
    from index.vedtak import search_vedtak

    text = " ".join(query).strip() or None
    filters = build_filters(**fopts)
    if limit is None:
        limit = TEXT_LIMIT if fmt == "text" else 0
    try:
        result = search_vedtak(data_dir_of(ctx), text, filters, party=party, outcome=outcome, limit=limit or None)
    except FilterError as e:  # an unknown party: no query error
        raise bad_input(e.translated(gettext)) from None
    except Exception as e:  # noqa: BLE001 - sorted by query_failed; anything else re-raised
        raise query_failed(ctx, e) from None
    if fmt == "text":
        from present.vedtak import vedtak_record
        from search_cli.text.vedtak import print_vedtak

        print_vedtak([vedtak_record(v, d) for v, d in result.vedtak], result.total)
    else:
        write_export(exports.vedtak_export(text, result.total, result.vedtak), fmt, csv_dialect)
