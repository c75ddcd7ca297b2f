"""actors import (a curated actors.toml) and corrections export / import (editors' fixes)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

import click
from sqlalchemy.orm import Session

from api.cli.base import Context, main


@contextmanager
def _session(obj: Context) -> Iterator[Session]:
    """A session whose engine is disposed with it (a one-shot command holds no pool)."""
    from api.storage.engine import make_engine

    engine = make_engine(obj.settings().database_url)
    try:
        with Session(engine, expire_on_commit=False) as session:
            yield session
    finally:
        engine.dispose()


@main.group()
def actors() -> None:
    """Curated actors: names, aliases and Wikidata ids editors vouch for."""


@actors.command("import")
@click.argument("path", type=click.Path(path_type=Path, dir_okay=False, exists=True))
@click.pass_obj
def import_actors_command(obj: Context, path: Path) -> None:
    """Load a curated actor file (actors.toml, see seeds/actors.toml); safe to repeat.

    `statements ingest FOLDER` loads the folder's actors.toml by itself.
    """
    from api.pipeline.actor_seed import ActorFileError, load_actor_file

    with _session(obj) as session:
        try:
            report = load_actor_file(session, path)
        except ActorFileError as exc:
            raise click.ClickException(f"{path}: {exc}") from exc
        session.commit()
    click.echo(
        f"{path}: {report.created} created, {report.updated} updated, "
        f"{report.merged} merged into curated actors",
        err=True,
    )


@main.group()
def corrections() -> None:
    """Editors' corrections (merges, splits, reassigned speakers) as a JSON file."""


@corrections.command("export")
@click.option(
    "--output",
    "-o",
    type=click.File("wb"),
    default="-",
    show_default=True,
    help="Where to write the JSON (- for stdout).",
)
@click.pass_obj
def export_corrections_command(obj: Context, output: BinaryIO) -> None:
    """Write every correction, oldest first, by stable keys (no database ids)."""
    from api.services.correction_files import encode_corrections

    with _session(obj) as session:
        output.write(encode_corrections(session))


@corrections.command("import")
@click.argument("source", type=click.File("rb"))
@click.pass_obj
def import_corrections_command(obj: Context, source: BinaryIO) -> None:
    """Store the corrections of an exported file (- for stdin) and apply them.

    Those already stored are skipped. Each new one applies to the rows already there, and
    ingestion applies them all to what it stores later: to rebuild a database, migrate,
    import the corrections, then ingest.
    """
    from api.services.correction_files import (
        CorrectionFileError,
        decode_corrections,
        import_corrections,
    )

    try:
        data = decode_corrections(source.read())
    except CorrectionFileError as exc:
        raise click.ClickException(f"{source.name}: {exc}") from exc
    with _session(obj) as session:
        summary = import_corrections(session, data)
        session.commit()
    click.echo(
        f"{summary.added} corrections imported ({summary.applied} applied to stored rows), "
        f"{summary.skipped} already there",
        err=True,
    )
