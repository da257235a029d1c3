"""Commands that run the stages: `update` (all of them), `crawl`, `extract`, `index`.

Each parses its flags and runs the job (jobs.update) with live progress (search_cli/progress.py)."""

from __future__ import annotations

from typing import Any

import click

from search_cli.click_types import TranslatedCommand
from search_cli.options import crawl_options, data_dir_of, extract_options, source_options
from search_cli.progress import run


@click.command(cls=TranslatedCommand)
@source_options
@extract_options
@click.pass_context
def update(ctx: click.Context, workers: int | None, ocr: bool | None, **source: Any) -> None:
    """Crawl, extract and index: bring the archive up to date (the main job).

    \b
        hparkiv update
        hparkiv update --source all
        hparkiv update --source asker,malvik
        hparkiv update --start-url http://localhost:8000/ --no-wayback
    """
    from jobs.update import update as job

    run(job, data_dir_of(ctx), crawl_options(**source), workers=workers, ocr=ocr, verbose=ctx.obj["verbose"])


@click.command(cls=TranslatedCommand)
@source_options
@click.pass_context
def crawl(ctx: click.Context, **source: Any) -> None:
    """Only collect documents (stage 1).

    \b
        hparkiv crawl --no-wayback
        hparkiv crawl --source nordrefollo
    """
    from jobs.update import crawl_sources as job

    run(job, data_dir_of(ctx), crawl_options(**source), verbose=ctx.obj["verbose"])


@click.command(cls=TranslatedCommand)
@extract_options
@click.option("--force", is_flag=True, help="Re-extract every version, not only new ones.")
@click.pass_context
def extract(ctx: click.Context, workers: int | None, ocr: bool | None, force: bool) -> None:
    """Only extract text and tables of new document versions (stage 2).

    \b
        hparkiv extract --workers 2
    """
    from jobs.update import extract as job

    run(job, data_dir_of(ctx), workers=workers, ocr=ocr, force=force)


@click.command("index", cls=TranslatedCommand)
@click.option("--rebuild", is_flag=True, help="Rebuild the whole index from the catalog.")
@click.option("--engine", type=click.Choice(["whoosh", "opensearch"]),
              help="Search with this engine from now on (kept in the data dir's engine.toml; default whoosh). "
                   "A new engine's index is built from the catalog.")
@click.option("--url", "urls", multiple=True, metavar="URL[,URL…]",
              help="With --engine opensearch: the cluster's node URLs (default $HPARKIV_OPENSEARCH_URL).")
@click.option("--index-name", help="With --engine opensearch: the prefix of this archive's index names "
                                   "(default: one of the data dir's own).")
@click.option("--shards", type=click.IntRange(1, 1024), help="With --engine opensearch: primary shards of a new index.")
@click.option("--replicas", type=click.IntRange(0, 16), help="With --engine opensearch: copies of each shard "
                                                            "(default 1 when the cluster has two data nodes).")
@click.pass_context
def index_cmd(ctx: click.Context, rebuild: bool, engine: str | None, urls: tuple[str, ...], index_name: str | None,
              shards: int | None, replicas: int | None) -> None:
    """Only bring the search index up to date with the catalog (stage 3), or move it to another engine.

    \b
        hparkiv index --rebuild
        hparkiv index --engine opensearch --url http://127.0.0.1:9200,http://127.0.0.1:9201
        hparkiv index --engine whoosh
    """
    from jobs.update import EngineChoice
    from jobs.update import index as job
    from search_cli.errors import bad_input
    from search_cli.messages import _

    if engine is None and (urls or index_name or shards or replicas is not None):
        raise bad_input(_("--url, --index-name, --shards and --replicas go with --engine opensearch"))
    choice = None if engine is None else EngineChoice(engine, urls, index_name, shards, replicas)
    run(job, data_dir_of(ctx), rebuild=rebuild, engine=choice)
