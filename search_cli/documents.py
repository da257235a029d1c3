"""Commands about documents: `list`, `show` (metadata, provenance, a page's text, its vedtak)
and `tables`."""

from __future__ import annotations

from typing import Any

import click

from catalog.models import STATUSES
from present import exports
from present.notes import left_out
from search_cli.click_types import TranslatedCommand
from search_cli.errors import bad_input
from search_cli.messages import _, ngettext
from search_cli.options import OBJECT, build_filters, data_dir_of, filter_options, format_option
from search_cli.writers import write_export, write_json


def find_version(ctx: click.Context, doc_id: str):
    """(connection, version) of a doc id or a longer prefix of its sha256; exit 2 when none or several."""
    import catalog

    conn = catalog.connect(data_dir_of(ctx))
    v = catalog.find_version(conn, doc_id)
    if v is None:
        conn.close()
        ref = doc_id.strip().lower()
        if len(ref) < 6 or any(c not in "0123456789abcdef" for c in ref):
            raise bad_input(_("no document {ref!r}: a document id is 6 to 64 hex digits (the first 12 are "
                              "its doc_id); see `hparkiv list`", ref=doc_id))
        raise bad_input(_("no document {ref!r}, or more than one starts so; give more of its id "
                          "(see `hparkiv list`)", ref=doc_id))
    return conn, v


def _page_exists(v: Any, page: int | None) -> None:
    if page is not None and v.pages and page > v.pages:
        raise bad_input(ngettext("{doc} has {n} page, not {page}", "{doc} has {n} pages, not {page}", v.pages,
                                 doc=v.doc_id, page=page))


@click.command("list", cls=TranslatedCommand)
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
    from search_cli.text import print_notes

    filters = build_filters(status=status, **fopts)
    conn = catalog.connect(data_dir_of(ctx))
    try:
        versions = catalog.list_versions(conn, filters)
    finally:
        conn.close()
    print_notes(left_out(data_dir_of(ctx), filters))
    if fmt == "text":
        from present.records import version_record
        from search_cli.text.documents import print_versions

        print_versions([version_record(v) for v in versions])
    else:
        write_export(exports.documents_export(versions), fmt, csv_dialect)


@click.command(cls=TranslatedCommand)
@click.argument("doc_id")
@click.option("--page", type=click.IntRange(min=1), help="Print this page's text.")
@click.option("--vedtak", "with_vedtak", is_flag=True, help="The decisions the document carries.")
@click.option("--decisions", "old_vedtak_flag", is_flag=True, hidden=True)  # the old name of --vedtak
@format_option(OBJECT)
@click.pass_context
def show(ctx: click.Context, doc_id: str, page: int | None, with_vedtak: bool, old_vedtak_flag: bool,
         fmt: str) -> None:
    """A document's metadata (with how each field was decided), links and a page's text.

    \b
        hparkiv show 3fa9c2d1e0b4 --page 12
        hparkiv show 3fa9c2d1e0b4 --vedtak
    """
    import catalog

    if old_vedtak_flag:
        click.echo("hparkiv: " + _("--decisions is now called --vedtak"), err=True)
        with_vedtak = True
    conn, v = find_version(ctx, doc_id)
    try:
        if with_vedtak:
            from catalog.vedtak import vedtak_of
            from present.vedtak import vedtak_record

            records = [vedtak_record(v, d) for d in vedtak_of(conn, v.sha256)]
            if fmt == "json":
                write_json({"doc_id": v.doc_id, "total": len(records), "decisions": records})
            else:
                from search_cli.text.vedtak import print_vedtak

                print_vedtak(records, len(records))
            return
        links = catalog.links_to(conn, v.sha256)
        urls = catalog.urls_of(conn, v.sha256)
        pages = catalog.pages_of(conn, v.sha256)
    finally:
        conn.close()
    _page_exists(v, page)
    if page is not None and not pages:
        raise bad_input(_("{doc} has no text ({status}: {reason})", doc=v.doc_id, status=v.status,
                          reason=v.error or _("nothing extracted yet")))
    chosen = [p for p in pages if p.page == page] if page is not None else []
    if fmt == "json":
        from present.records import document_record

        write_json(document_record(v, urls, links, chosen))
        return
    from search_cli.text.documents import print_show

    print_show(v, urls, links, chosen)


@click.command(cls=TranslatedCommand)
@click.argument("doc_id")
@click.option("--page", type=click.IntRange(min=1), help="Only tables on this page.")
@format_option()
@click.pass_context
def tables(ctx: click.Context, doc_id: str, page: int | None, fmt: str, csv_dialect: str) -> None:
    """Export a document's budget tables.

    \b
        hparkiv tables 3fa9c2d1e0b4 --page 5 --format csv > tabell.csv
    """
    import catalog

    conn, v = find_version(ctx, doc_id)
    try:
        _page_exists(v, page)
        found = catalog.tables_of(conn, v.sha256, page)
    finally:
        conn.close()
    # Tables are numbered from 1 on their page, the same in text, CSV, JSON and xlsx.
    if fmt == "text":
        from search_cli.text.documents import print_tables

        print_tables(v, found)
    else:
        write_export(exports.tables_export(v, found), fmt, csv_dialect)
