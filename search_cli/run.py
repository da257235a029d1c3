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
@click.pass_context
def index_cmd(ctx: click.Context, rebuild: bool) -> None:
    """Only bring the search index up to date with the catalog (stage 3).

    \b
        hparkiv index --rebuild
    """
    from jobs.update import index as job

    run(job, data_dir_of(ctx), rebuild=rebuild)
