"""`hparkiv demo`: the whole job on the built-in sample archive, served on loopback."""

from __future__ import annotations

import shutil
import time
from collections import Counter
from pathlib import Path

import click

from catalog import DataDir, Filters
from present import labels
from present.cells import safe
from present.snippets import plain
from search_cli.messages import _, gettext, ngettext, num

DEMO_MARKER = ".hparkiv-demo"
EXAMPLE_QUERIES = ("sykehjemsplasser", "barnehage", '"Carpe Diem"')


def sample_cache_dir(variant: int) -> Path:
    import platformdirs

    return Path(platformdirs.user_cache_dir("hparkiv", appauthor=False)) / f"sample-site-v{variant}"


def _fresh_demo_dir(data_dir: DataDir) -> None:
    """A demo starts from scratch, but never wipes a data dir that holds a real archive."""
    root = data_dir.root
    if root.exists() and any(root.iterdir()):
        if not (root / DEMO_MARKER).exists():
            raise click.ClickException(
                _("{root} holds data that is not a demo archive; give the demo an empty --data-dir", root=root)
            )
        shutil.rmtree(root)
    root.mkdir(parents=True, exist_ok=True)
    (root / DEMO_MARKER).write_text("made by `hparkiv demo`; safe to delete\n")


def run_demo(data_dir: DataDir, *, variant: int = 0, verbose: bool = False) -> bool:
    import catalog
    import sample
    from index import search
    from jobs import update as jobs
    from search_cli.progress import run

    started = time.monotonic()
    site = sample_cache_dir(variant)
    click.echo(_("Building the sample archive (variant {variant}) in {site} …", variant=variant, site=site), err=True)
    sample.build(site, variant=variant)
    _fresh_demo_dir(data_dir)
    with sample.serve(site) as server:
        click.echo(_("Serving it on {site} (site), {portal} (meeting portal), {wayback} (web archive)",
                     site=server.main_url, portal=server.portal_url, wayback=server.wayback_url), err=True)
        host = server.portal_url.split("://", 1)[1]
        options = jobs.CrawlOptions(source="baerum", start_urls=(server.landing_url,), allow_hosts=(host,),
                                    wayback=server.wayback_url, delay=0.0)
        run(jobs.update, data_dir, options, verbose=verbose)

    conn = catalog.connect(data_dir)
    versions = catalog.list_versions(conn, Filters())
    click.echo()
    click.echo(ngettext("The archive in {root} now holds {n} document.", "The archive in {root} now holds {n} documents.",
                        len(versions), root=data_dir.root))
    for label, counter in (
        (_("per year"), Counter(str(v.year or "?") for v in versions)),
        (_("per type"), Counter(v.doctype or "?" for v in versions)),
        (_("per committee"), Counter(labels.committee_name(v.committee) or _("no committee") for v in versions)),
        (_("per status"), Counter(labels.status_name(v.status, gettext) for v in versions)),
    ):
        click.echo(f"  {label}: " + ", ".join(f"{k} {num(n)}" for k, n in sorted(counter.items())))
    failed = [v for v in versions if v.status in ("failed", "no_text")]
    for v in failed:
        click.echo(f"  {labels.status_name(v.status, gettext)}: {v.doc_id} {safe(v.url)}: "
                   f"{labels.reason(v.error, gettext)}")
    for f in catalog.fetch_failures(conn):
        click.echo("  " + _("not fetched: {url}: {error}", url=safe(f["url"]), error=labels.reason(f["error"], gettext)))

    any_hits = False
    for q in EXAMPLE_QUERIES:
        result = search(data_dir, q, Filters(), limit=3)
        any_hits = any_hits or result.total > 0
        click.echo()
        click.echo(f"$ hparkiv search {q!s}    → " + ngettext("{n} page", "{n} pages", result.total))
        for h in result.hits:
            page = _("p. {page}", page=h.page)
            title, snippet = _short(safe(h.title), 60), _short(plain(h.snippet), 110)
            click.echo(f"  {h.year} {labels.doctype_name(h.doctype) or '-'} {title} {page}: {snippet}")
    click.echo()
    click.echo(_("Done in {seconds} s. Try: hparkiv --data-dir {root} search barnehage",
                 seconds=f"{time.monotonic() - started:.0f}", root=data_dir.root))
    click.echo(_("What the politicians changed: hparkiv --data-dir {root} endringer 2021", root=data_dir.root))
    click.echo(_("Or in a browser: hparkiv --data-dir {root} serve --open", root=data_dir.root))
    return bool(versions) and any_hits


def _short(text: str, width: int) -> str:
    """`text` cut to about `width` between words, never inside a date, amount or case number
    ("Vedtatt av kommunestyret 2. desember 2020", not "… 2. desem")."""
    from index.snippets import kept_spans

    text = " ".join(text.split())
    if len(text) <= width:
        return text
    cut = text.rfind(" ", 0, width)
    for start, end in kept_spans(text):
        if start < cut < end:
            cut = text.rfind(" ", 0, start)
    return (text[:cut].rstrip() if cut > 0 else text[:width]) + " …"
