"""The `hparkiv` command: the root group, its global options, and `main`.

    hparkiv update                      # crawl, extract, index the real site
    hparkiv search sykehjemsplasser --year 2019-2022 --committee HBO

The commands live by job: run.py (update, crawl, extract, index), find.py (search, trend,
vedtak, series), documents.py (list, show, tables), archive.py (status, check, serve, demo),
platforms.py (sources list, sources detect), cluster.py (cluster up, down, status: the local OpenSearch
cluster).
Heavy stages (Scrapy, pdfplumber) are imported inside the commands that need them, so
`hparkiv search` starts in a fraction of a second. Every message goes through the shared
catalog (i18n/): bokmål when the locale is nb, nn or no, English otherwise, `--lang` to choose.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from catalog import CatalogError, DataDir, default_data_dir
from present.cells import safe
from search_cli import archive, cluster, documents, find, platforms, run
from search_cli.click_types import HelpGroup
from search_cli.messages import _, gettext, set_language


@click.group(cls=HelpGroup, invoke_without_command=True,
             context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 110})
@click.option("--data-dir", type=click.Path(file_okay=False, path_type=Path), envvar="HPARKIV_DATA_DIR",
              help="Where the catalog, files and index live (env HPARKIV_DATA_DIR).")
@click.option("--lang", type=click.Choice(["nb", "nn", "no", "en"]),
              help="Language of messages (default: bokmål; English with en or an English locale).")
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


for command in (run.update, run.crawl, run.extract, run.index_cmd,
                find.search_cmd, find.trend, find.vedtak, find.series, find.endringer,
                documents.list_cmd, documents.show, documents.tables,
                archive.status, archive.check, archive.serve, archive.demo, platforms.sources_group,
                cluster.cluster):
    cli.add_command(command)


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
