"""`hparkiv cluster up|down|status`: the local OpenSearch cluster from the project's own files
(jobs/cluster.py, as `make cluster`), for trying the second engine on one machine. A newsroom
points hparkiv at its own cluster instead: `hparkiv index --engine opensearch --url URL`."""

from __future__ import annotations

from pathlib import Path

import click

from present.cells import safe
from search_cli.click_types import HelpGroup, TranslatedCommand
from search_cli.errors import Failure
from search_cli.messages import _
from search_cli.options import OBJECT, format_option
from search_cli.writers import write_json

dir_option = click.option("--dir", "directory", type=click.Path(file_okay=False, path_type=Path),
                          envvar="HPARKIV_CLUSTER_DIR",
                          help="The cluster's directory (env HPARKIV_CLUSTER_DIR; default .cache/opensearch/cluster "
                               "in a checkout, else the user's cache dir).")


@click.group(cls=HelpGroup)
def cluster() -> None:
    """A local OpenSearch cluster (2 data nodes, 1 manager-only node, 127.0.0.1) for the second engine.

    \b
        hparkiv cluster up
        hparkiv index --engine opensearch --url URL,URL,URL
        hparkiv cluster status
        hparkiv cluster down
    """


def _log(message: str) -> None:
    click.echo(safe(message), err=True)


@cluster.command(cls=TranslatedCommand)
@dir_option
@click.option("--heap-data", default="512m", show_default=True, help="Heap of each data node (1g for benchmarks).")
def up(directory: Path | None, heap_data: str) -> None:
    """Start the cluster (the first start fetches OpenSearch with mvn) and wait until it is green.

    \b
        hparkiv cluster up --heap-data 1g
    """
    from jobs import cluster as job
    from jobs.cluster_state import ClusterError

    click.echo(_("Starting the local OpenSearch cluster (Java 17 and Maven; the first start fetches "
                 "OpenSearch 2.19 with mvn) …"), err=True)
    try:
        started = job.up(directory, heap_data=heap_data, log=_log)
    except ClusterError as e:
        raise Failure(_("the cluster did not start: {reason}", reason=safe(e))) from None
    urls = ",".join(started.urls)
    click.echo(urls)
    click.echo(_("Search with it: hparkiv index --engine opensearch --url {urls}", urls=urls), err=True)


@cluster.command(cls=TranslatedCommand)
@dir_option
@click.option("--wipe", is_flag=True, help="Also delete the nodes' data (every index in the cluster).")
def down(directory: Path | None, wipe: bool) -> None:
    """Stop the cluster's own node processes (none other is ever signalled).

    \b
        hparkiv cluster down
    """
    from jobs import cluster as job
    from jobs.cluster_state import ClusterError

    try:
        job.down(directory, wipe=wipe, log=lambda _m: None)
    except ClusterError as e:
        raise Failure(safe(e)) from None
    click.echo(_("the cluster is stopped") + (" " + _("and its data deleted") if wipe else ""), err=True)


@cluster.command(cls=TranslatedCommand)
@dir_option
@format_option(OBJECT)
@click.pass_context
def status(ctx: click.Context, directory: Path | None, fmt: str) -> None:
    """The cluster's nodes, their processes and its health; exit 1 when it does not answer.

    \b
        hparkiv cluster status
    """
    from jobs import cluster as job
    from jobs.cluster_state import ClusterError

    try:
        st = job.status(directory)
    except ClusterError as e:
        raise Failure(safe(e)) from None
    health = st["health"]
    if fmt == "json":
        write_json(st)
    else:
        state = (_("{status}, {n} nodes", status=health["status"], n=health["number_of_nodes"]) if health
                 else _("not answering"))
        click.echo(f"{safe(st['name'])} ({safe(st['dir'])}): {state}")
        for n in st["nodes"]:
            proc = f"pid {n['pid']}" if n["pid"] else _("stopped")
            click.echo(f"  {n['name']:8} {','.join(n['roles']):28} heap {n['heap']:5} {n['url']}  {proc}")
    ctx.exit(0 if health else 1)
