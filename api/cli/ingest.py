"""ingest (files, folders, feeds, URLs) and worker (the queue of submitted articles)."""

from __future__ import annotations

import dataclasses
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click
from sqlalchemy.orm import Session

from api.logs import configure_logging
from api.settings import Settings

if TYPE_CHECKING:
    from api.pipeline.outbox import WebhookConfig


from api.cli.base import Context, main
from api.cli.search_index import keep_search_index


@main.command()
@click.argument("paths", nargs=-1, required=True)
@click.option(
    "--progress/--no-progress", default=None, help="Progress bar (default: on a terminal)."
)
@click.option(
    "--fetch/--no-fetch",
    default=False,
    help="Fetch feed entries that carry only a link (URL arguments are always fetched).",
)
@click.option(
    "--fetch-cache",
    type=click.Path(path_type=Path, dir_okay=False),
    default=None,
    help="ETag/Last-Modified cache for fetched pages (default .statements-fetch-cache.json).",
)
@click.pass_obj
def ingest(
    obj: Context,
    paths: tuple[str, ...],
    progress: bool | None,
    fetch: bool,
    fetch_cache: Path | None,
) -> None:
    """Ingest files, folders, feeds (.json, .ndjson, .rss/.atom/.xml) and http(s) URLs.

    A folder's manifest.json supplies metadata for the text and HTML files in it.
    """
    from api.pipeline.fetch import FetchOptions
    from api.pipeline.inputs import ReadOptions
    from api.pipeline.run import ingest_paths
    from api.storage.engine import make_engine

    settings = obj.settings()
    configure_logging(settings.log_level)
    fetch_options = FetchOptions()
    if fetch_cache is not None:
        fetch_options = dataclasses.replace(fetch_options, cache_path=fetch_cache)
    if settings.fetch_contact_url:
        fetch_options = dataclasses.replace(fetch_options, contact_url=settings.fetch_contact_url)
    options = ReadOptions(fetch=fetch_options, fetch_feed_links=fetch)
    engine = make_engine(settings.database_url)
    try:
        with Session(engine, expire_on_commit=False) as session:
            report = ingest_paths(
                session,
                list(paths),
                batch_size=settings.spacy_batch_size,
                progress=progress,
                options=options,
                webhooks=webhook_config(settings),
            )
    finally:
        engine.dispose()
    keep_search_index(settings)
    for error in report.errors:
        click.echo(f"error: {error.item}: {error.reason}", err=True)
    extra = ""
    if report.new_versions or report.duplicates:
        extra = f" ({report.new_versions} new versions, {report.duplicates} near duplicates)"
    click.echo(
        f"run {report.run_id}: {report.ingested} ingested{extra}, {report.unchanged} unchanged, "
        f"{report.failed} failed, {report.statements} statements",
        err=True,
    )
    if report.failed:
        sys.exit(1)


def webhook_config(settings: Settings) -> WebhookConfig | None:
    from api.pipeline.outbox import WebhookConfig

    if not settings.webhook_urls:
        return None
    return WebhookConfig(urls=settings.webhook_urls, secret=settings.webhook_secret)


@main.command()
@click.option(
    "--exit-when-idle", is_flag=True, help="Stop once the queue is empty instead of waiting."
)
@click.option("--max-jobs", type=click.IntRange(1), default=None, help="Stop after N jobs.")
@click.option(
    "--poll", type=click.FloatRange(0.05), default=1.0, show_default=True, help="Idle wait (s)."
)
@click.pass_obj
def worker(obj: Context, exit_when_idle: bool, max_jobs: int | None, poll: float) -> None:
    """Ingest articles submitted with POST /v1/articles, from the database queue.

    Run one per core, on as many machines as needed; SIGTERM finishes the job in hand.
    """
    import datetime as dt
    import threading

    from api.pipeline.worker import WorkerOptions, run_worker, stop_on_signals
    from api.storage.engine import make_engine, session_factory

    settings = obj.settings()
    configure_logging(settings.log_level)
    options = WorkerOptions(
        lease=dt.timedelta(seconds=settings.worker_lease_seconds),
        poll_seconds=poll,
        exit_when_idle=exit_when_idle,
        max_jobs=max_jobs,
        webhooks=webhook_config(settings),
        search_index=Path(settings.search_index_path) if settings.search_index_path else None,
    )
    stop = threading.Event()
    stop_on_signals(stop)
    engine = make_engine(settings.database_url)
    try:
        stats = run_worker(session_factory(engine), options, stop)
    finally:
        engine.dispose()
    click.echo(
        f"worker {options.name}: {stats.done} done, {stats.failed} failed, "
        f"{stats.statements} statements",
        err=True,
    )
