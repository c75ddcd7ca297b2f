"""migrate, serve, export, openapi."""

from __future__ import annotations

import asyncio
import os
import sys
from pathlib import Path
from typing import NamedTuple

import click

from api.cli.base import Context, main
from api.cli.search_index import keep_search_index
from api.settings import ENV_PREFIX, Settings

APP_FACTORY = "api.http.app:app_from_env"


@main.command()
@click.pass_obj
def migrate(obj: Context) -> None:
    """Upgrade the database to the latest schema (Alembic upgrade head), then encode the
    statements, claims' provenances and actors' first pages that have no stored JSON yet
    (after upgrading to 0013, 0014 and 0017, all of them)."""
    from api.storage.migrate import upgrade

    settings = obj.settings()
    upgrade(settings.database_url)
    click.echo(f"database at head: {settings.database_url}", err=True)
    statements, provenances, pages = render_documents(settings.database_url)
    if statements or provenances or pages:
        click.echo(
            f"{statements} statement and {provenances} provenance documents and "
            f"{pages} actor pages encoded",
            err=True,
        )


# Documents per committed transaction when a backlog is rendered: statements are
# cheap to render, a claim's provenance costs about as much as twenty of them.
RENDER_PER_TRANSACTION = {"statement": 10_000, "provenance": 1_000, "actor page": 2_000}


class Rendered(NamedTuple):
    statements: int
    provenances: int
    pages: int


def render_documents(database_url: str) -> Rendered:
    """Encode every stale statement and provenance document, then every stale actor page
    (made of statement documents), a committed batch at a time."""
    from sqlalchemy import func, select
    from sqlalchemy.orm import Session
    from tqdm import tqdm

    from api.services.provenance_documents import render_stale_provenance
    from api.services.speaker_page_documents import render_stale_pages
    from api.services.statement_documents import render_stale
    from api.storage.engine import make_engine
    from api.storage.models import (
        ProvenanceDocumentRow,
        SpeakerPageDocumentRow,
        StatementDocumentRow,
    )

    kinds = (
        ("statement", StatementDocumentRow.body, render_stale),
        ("provenance", ProvenanceDocumentRow.body, render_stale_provenance),
        ("actor page", SpeakerPageDocumentRow.body, render_stale_pages),
    )
    engine = make_engine(database_url)
    counts: list[int] = []
    try:
        for kind, body, render in kinds:
            with Session(engine) as session:
                total = session.scalar(select(func.count()).where(body.is_(None))) or 0
            done = 0
            bar = tqdm(total=total, unit=kind, disable=not sys.stderr.isatty())
            with bar:
                while done < total:
                    with Session(engine) as session, session.begin():
                        count = render(session, limit=RENDER_PER_TRANSACTION[kind])
                    if not count:
                        break
                    done += count
                    bar.update(count)
            counts.append(done)
        if any(counts) and engine.dialect.name == "postgresql":
            # Every rendered row is an updated row: reclaim the old versions and refresh
            # the planner's view now rather than whenever autovacuum comes round.
            with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
                conn.exec_driver_sql("VACUUM ANALYZE statement_documents")
                conn.exec_driver_sql("VACUUM ANALYZE provenance_documents")
                conn.exec_driver_sql("VACUUM ANALYZE provenance_dependencies")
                conn.exec_driver_sql("VACUUM ANALYZE speaker_page_documents")
    finally:
        engine.dispose()
    return Rendered(*counts)


SERVERS = ("granian", "uvicorn")


@main.command()
@click.option("--host", default=None, help="Bind address (default 127.0.0.1).")
@click.option("--port", default=None, type=int, help="Port (default 8000).")
@click.option("--workers", default=None, type=click.IntRange(1, 64), help="Worker processes.")
@click.option(
    "--server",
    type=click.Choice(SERVERS),
    default="granian",
    show_default=True,
    help="ASGI server (granian measured faster; see docs/benchmarks.md).",
)
@click.option(
    "--with-worker",
    is_flag=True,
    help="Also run one ingestion worker in a child process (for a one-machine setup).",
)
@click.pass_obj
def serve(
    obj: Context,
    host: str | None,
    port: int | None,
    workers: int | None,
    server: str,
    with_worker: bool,
) -> None:
    """Serve the HTTP API (never loads spaCy; --with-worker runs a worker beside it)."""
    import subprocess

    settings = obj.settings(host=host, port=port, workers=workers)
    # Worker processes rebuild the app from the environment.
    os.environ[f"{ENV_PREFIX}DATABASE_URL"] = settings.database_url
    # The ingestion worker is its own process, so the API process never imports spaCy.
    embedded = (
        subprocess.Popen([sys.executable, "-m", "api.cli", "worker"]) if with_worker else None
    )
    try:
        if server == "granian":
            _serve_granian(settings)
        else:
            _serve_uvicorn(settings)
    finally:
        if embedded is not None:
            embedded.terminate()
            embedded.wait(timeout=60)


# Seconds a granian worker has to stop after SIGTERM before it is killed. Without a
# limit granian waits for its workers for ever, so one worker that never stops (seen once
# in CI, under load) keeps the whole server from exiting.
WORKERS_KILL_SECONDS = 10


def _serve_granian(settings: Settings) -> None:
    from granian import Granian
    from granian.constants import Interfaces
    from granian.log import LogLevels

    Granian(
        APP_FACTORY,
        address=settings.host,
        port=settings.port,
        interface=Interfaces.ASGI,
        workers=settings.workers,
        factory=True,
        log_level=LogLevels(settings.log_level.lower()),
        workers_kill_timeout=WORKERS_KILL_SECONDS,
    ).serve()


def _serve_uvicorn(settings: Settings) -> None:
    import uvicorn

    uvicorn.run(
        APP_FACTORY,
        factory=True,
        host=settings.host,
        port=settings.port,
        workers=settings.workers,
        log_level=settings.log_level,
    )


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


@main.command()
@click.option("--statements", "count", type=click.IntRange(1), required=True)
@click.option("--seed", type=int, default=7, show_default=True)
@click.pass_obj
def synth(obj: Context, count: int, seed: int) -> None:
    """Fill the database with COUNT synthetic statements, for benchmarks (appends)."""
    from tqdm import tqdm

    from api.storage.engine import make_engine
    from api.storage.synthetic import fill

    settings = obj.settings()
    engine = make_engine(settings.database_url)
    try:
        with tqdm(total=count, unit="statement", disable=not sys.stderr.isatty()) as bar:

            def advance(done: int) -> None:
                bar.update(done - bar.n)

            report = fill(engine, count, seed=seed, on_progress=advance)
    finally:
        engine.dispose()
    render_documents(settings.database_url)
    keep_search_index(settings)
    click.echo(
        f"{report.statements} statements, {report.articles} articles, {report.actors} actors, "
        f"{report.claims} claims",
        err=True,
    )
