"""index: build the tantivy search index, or bring it up to date."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from api.cli.base import Context, main
from api.settings import ENV_PREFIX, Settings


def keep_search_index(settings: Settings, *, wait: float | None = None) -> None:
    """After a writer's commit: apply the queued changes, when an index is configured.

    A writer that finds the index locked leaves its changes queued for the process that
    holds it (searches use the database's index until the queue is empty)."""
    if settings.search_index_path is None:
        return
    from api.services.text_index_sync import LOCK_WAIT_SECONDS, sync_text_index
    from api.storage.engine import make_engine

    engine = make_engine(settings.database_url)
    try:
        sync_text_index(
            engine,
            Path(settings.search_index_path),
            wait=LOCK_WAIT_SECONDS if wait is None else wait,
        )
    finally:
        engine.dispose()


@main.command("index")
@click.option("--rebuild", is_flag=True, help="Index every statement again from scratch.")
@click.option(
    "--path",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help=f"Index folder (default {ENV_PREFIX}SEARCH_INDEX_PATH).",
)
@click.pass_obj
def index_command(obj: Context, rebuild: bool, path: Path | None) -> None:
    """Build the search index (the first time), then apply the statements queued since.

    Once built, the index is kept current by every writer that has
    STATEMENTS_SEARCH_INDEX_PATH set (ingest, worker, synth); the API ranks searches
    with it whenever nothing is left queued.
    """
    from tqdm import tqdm

    from api.services.text_index_sync import sync_text_index
    from api.storage.engine import make_engine

    settings = obj.settings()
    folder = path or (Path(settings.search_index_path) if settings.search_index_path else None)
    if folder is None:
        raise click.UsageError(f"give --path or set {ENV_PREFIX}SEARCH_INDEX_PATH")
    engine = make_engine(settings.database_url)
    try:
        with tqdm(unit="statement", disable=not sys.stderr.isatty()) as bar:

            def advance(done: int) -> None:
                bar.update(done - bar.n)

            report = sync_text_index(engine, folder, rebuild=rebuild, progress=advance)
    finally:
        engine.dispose()
    if report.busy:
        raise click.ClickException(
            f"the search index in {folder} is being written by another process"
        )
    click.echo(
        f"search index {folder}: {report.built} statements built, {report.applied} queued applied",
        err=True,
    )
