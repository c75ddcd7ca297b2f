"""The ``statements`` command: migrate, ingest, serve, export, openapi, eval."""

from __future__ import annotations

import asyncio
import dataclasses
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

import click
from sqlalchemy.orm import Session

from api.logs import configure_logging

if TYPE_CHECKING:
    from api.pipeline.outbox import WebhookConfig
from api.settings import ENV_PREFIX, Settings, SettingsError, load_settings


class Context:
    def __init__(self, database_url: str | None) -> None:
        self.database_url = database_url

    def settings(self, **overrides: object) -> Settings:
        from api.storage.engine import UnsupportedDatabaseError, sync_url

        try:
            values: dict[str, object] = {"database_url": self.database_url, **overrides}
            settings = load_settings(values)
            sync_url(settings.database_url)
        except (SettingsError, UnsupportedDatabaseError) as exc:
            raise click.UsageError(str(exc)) from exc
        return settings


@click.group()
@click.option(
    "--database-url",
    default=None,
    help=f"SQLAlchemy URL (default: ${ENV_PREFIX}DATABASE_URL, else sqlite:///statements.db).",
)
@click.pass_context
def main(ctx: click.Context, database_url: str | None) -> None:
    """Statements API for newsrooms."""
    ctx.obj = Context(database_url)


@main.command()
@click.pass_obj
def migrate(obj: Context) -> None:
    """Upgrade the database to the latest schema (Alembic upgrade head)."""
    from api.storage.migrate import upgrade

    settings = obj.settings()
    upgrade(settings.database_url)
    click.echo(f"database at head: {settings.database_url}", err=True)


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


@main.command()
@click.option("--host", default=None, help="Bind address (default 127.0.0.1).")
@click.option("--port", default=None, type=int, help="Port (default 8000).")
@click.option("--workers", default=None, type=click.IntRange(1, 64), help="Worker processes.")
@click.option(
    "--with-worker",
    is_flag=True,
    help="Also run one ingestion worker in a child process (for a one-machine setup).",
)
@click.pass_obj
def serve(
    obj: Context, host: str | None, port: int | None, workers: int | None, with_worker: bool
) -> None:
    """Serve the HTTP API (never loads spaCy; --with-worker runs a worker beside it)."""
    import subprocess

    import uvicorn

    settings = obj.settings(host=host, port=port, workers=workers)
    # Worker processes rebuild the app from the environment.
    os.environ[f"{ENV_PREFIX}DATABASE_URL"] = settings.database_url
    # The ingestion worker is its own process, so the API process never imports spaCy.
    embedded = (
        subprocess.Popen([sys.executable, "-m", "api.cli", "worker"]) if with_worker else None
    )
    try:
        uvicorn.run(
            "api.http.app:app_from_env",
            factory=True,
            host=settings.host,
            port=settings.port,
            workers=settings.workers,
            log_level=settings.log_level,
        )
    finally:
        if embedded is not None:
            embedded.terminate()
            embedded.wait(timeout=60)


@main.command()
@click.option("--format", "fmt", type=click.Choice(["jsonl"]), default="jsonl", show_default=True)
@click.pass_obj
def export(obj: Context, fmt: str) -> None:
    """Write every statement to stdout, one API Statement JSON object per line."""
    from api.services.export import write_jsonl

    settings = obj.settings()
    count = asyncio.run(write_jsonl(settings.database_url, sys.stdout.buffer))
    sys.stdout.flush()
    click.echo(f"{count} statements exported as {fmt}", err=True)


@main.command()
@click.option(
    "--output",
    type=click.Path(path_type=Path, dir_okay=False),
    default=Path("openapi/openapi.json"),
    show_default=True,
)
def openapi(output: Path) -> None:
    """Write the OpenAPI spec generated from the code."""
    from api.http.openapi import write_spec

    output.parent.mkdir(parents=True, exist_ok=True)
    write_spec(output)
    click.echo(f"wrote {output}", err=True)


@main.command("eval")
@click.option(
    "--polnear",
    type=click.Path(path_type=Path, file_okay=False),
    default=None,
    help="PolNeAR folder (default: ../shared/corpora/polnear beside the repository).",
)
@click.option(
    "--cofenet",
    type=click.Path(path_type=Path, file_okay=False),
    default=None,
    help="CofeNet's PolNeAR folder (default: ../shared/corpora/polnear-cofenet).",
)
@click.option("--split", type=click.Choice(["dev", "test"]), default="dev", show_default=True)
@click.option(
    "--metric",
    type=click.Choice(["a", "b", "all"]),
    default="all",
    show_default=True,
    help="a: CofeNet exact token spans; b: article-level statements.",
)
@click.option(
    "--baseline",
    type=click.Choice(["textacy"]),
    default=None,
    help="Also score a baseline (textacy must be installed).",
)
@click.option(
    "--limit",
    type=click.IntRange(min=1),
    default=None,
    help="Only the first N segments (A) and articles (B).",
)
@click.option(
    "--json",
    "json_path",
    type=click.Path(path_type=Path, dir_okay=False),
    default=None,
    help="Write the JSON report here.",
)
def evaluate(
    polnear: Path | None,
    cofenet: Path | None,
    split: str,
    metric: str,
    baseline: str | None,
    limit: int | None,
    json_path: Path | None,
) -> None:
    """Score the extractor against PolNeAR gold attributions (dev unless told otherwise)."""
    from api.evaluation.command import EvalError, run_eval

    try:
        run_eval(
            polnear=polnear,
            cofenet=cofenet,
            split=split,
            metric=metric,
            baseline=baseline,
            limit=limit,
            json_path=json_path,
            echo=click.echo,
            warn=lambda message: click.echo(message, err=True),
            progress=sys.stderr.isatty(),
        )
    except EvalError as exc:
        raise click.ClickException(str(exc)) from exc


@main.group()
def keys() -> None:
    """Create, list and revoke API keys (writes and private reads need one)."""


@contextmanager
def _key_session(obj: Context) -> Iterator[Session]:
    """A session whose engine is disposed with it (a one-shot command holds no pool)."""
    from api.storage.engine import make_engine

    engine = make_engine(obj.settings().database_url)
    try:
        with Session(engine, expire_on_commit=False) as session:
            yield session
    finally:
        engine.dispose()


@keys.command("create")
@click.option("--name", required=True, help="Who or what the key is for.")
@click.option(
    "--scope",
    "scopes",
    multiple=True,
    required=True,
    help="read, ingest, edit or admin; repeat for several.",
)
@click.pass_obj
def create_key_command(obj: Context, name: str, scopes: tuple[str, ...]) -> None:
    """Create a key and print its token once (it is stored only as a hash)."""
    from api.services.keys import InvalidScopeError, create_key, parse_scopes

    try:
        parsed = parse_scopes(list(scopes))
    except InvalidScopeError as exc:
        raise click.UsageError(str(exc)) from exc
    with _key_session(obj) as session:
        row, token = create_key(session, name, parsed)
        session.commit()
        click.echo(
            f"key {row.id} '{name}' scopes {','.join(parsed)}; the token is shown once:", err=True
        )
        click.echo(token)


@keys.command("list")
@click.pass_obj
def list_keys_command(obj: Context) -> None:
    """List keys: id, name, scopes, created, revoked (never the secret)."""
    from api.services.keys import list_keys

    with _key_session(obj) as session:
        for row in list_keys(session):
            revoked = row.revoked_at.isoformat() if row.revoked_at else "-"
            click.echo(
                f"{row.id}\t{row.name}\t{','.join(row.scopes)}\t"
                f"{row.created_at.isoformat()}\trevoked={revoked}"
            )


@keys.command("revoke")
@click.argument("key_id", type=int)
@click.pass_obj
def revoke_key_command(obj: Context, key_id: int) -> None:
    """Revoke a key by id: it stops working at once."""
    from api.services.keys import revoke_key

    with _key_session(obj) as session:
        if not revoke_key(session, key_id):
            raise click.ClickException(f"no active key with id {key_id}")
        session.commit()
    click.echo(f"key {key_id} revoked", err=True)


if __name__ == "__main__":
    main()
