"""`hparkiv sources`: the sources hparkiv knows (municipality, platforms, start points) and
`sources detect URL`, which platform adapter fits a site and why (crawler/detect.py)."""

from __future__ import annotations

import click

from present.cells import safe
from search_cli.click_types import HelpGroup, TranslatedCommand
from search_cli.errors import Failure
from search_cli.messages import _
from search_cli.options import OBJECT, format_option
from search_cli.writers import write_json


@click.group("sources", cls=HelpGroup)
def sources_group() -> None:
    """The sources: which municipalities, on which platforms, and which platform a site is."""


@sources_group.command("list", cls=TranslatedCommand)
@format_option(OBJECT)
def list_sources(fmt: str) -> None:
    """Every known source (shipped, and those in $HPARKIV_SOURCES): municipality and platforms.

    \b
        hparkiv sources list
    """
    from sources import known_sources

    rows = [{"name": s.name, "title": s.title, "kommune": s.kommune.name if s.kommune else None,
             "kommunenummer": s.kommune.number if s.kommune else None, "platforms": list(s.kinds()),
             "file": s.path} for s in known_sources()]
    if fmt == "json":
        write_json(rows)
        return
    for r in rows:
        who = f"{r['kommune']} {r['kommunenummer']}" if r["kommune"] else "-"
        click.echo(f"{safe(r['name']):<14} {safe(who):<20} {', '.join(r['platforms'])}")


@sources_group.command("detect", cls=TranslatedCommand)
@click.argument("url")
@click.option("--toml", "as_toml", is_flag=True, help="Print a starter source file for what was found.")
@format_option(OBJECT)
def detect_cmd(url: str, as_toml: bool, fmt: str) -> None:
    """Which platform adapter fits a site, and why (one or two requests to it).

    \b
        hparkiv sources detect https://opengov.360online.com/Meetings/NORDREFOLLO
        hparkiv sources detect https://pub.framsikt.net/2026/malvik/bm-2026-hop_2026_2029 --toml
    """
    from crawler.detect import DetectError, detect, starter
    from sources.writing import dump_source

    try:
        found = detect(url)
    except DetectError as e:
        raise Failure(_("cannot detect the platform: {reason}", reason=safe(e))) from None
    if fmt == "json":
        write_json({"url": url, "platforms": [{"kind": d.kind, "reason": d.reason} for d in found]})
    elif as_toml:
        click.echo(dump_source(starter(url, found), _("A starter source for {url}: fill in the municipality "
                                                      "and its committees.", url=url)), nl=False)
    elif not found:
        click.echo(_("No adapter recognises {url}.", url=safe(url)))
    else:
        for d in found:
            click.echo(f"{d.kind:<9} {safe(d.reason)}")
    if not found:
        raise Failure(_("no platform adapter fits {url}", url=safe(url)))
