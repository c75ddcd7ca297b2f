"""The ``statements`` command group and the context every command shares."""

from __future__ import annotations

import click

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
