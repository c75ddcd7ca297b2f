"""keys: create, list and revoke API keys."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import click
from sqlalchemy.orm import Session

from api.cli.base import Context, main


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
