"""claims rematch: find again the claims of statements whose speaker an editor changed."""

from __future__ import annotations

import click

from api.cli.actors import _session
from api.cli.base import Context, main


@main.group()
def claims() -> None:
    """Claims: what several statements assert."""


@claims.command("rematch")
@click.option("--limit", type=click.IntRange(1), default=None, help="Stop after N statements.")
@click.pass_obj
def rematch_command(obj: Context, limit: int | None) -> None:
    """Run the matcher over the statements editors' corrections queued.

    A reassigned speaker takes a statement out of a claim that mixed two speakers at once;
    its new claim is found here (and by `statements ingest` and `statements worker`, which
    drain the same queue).
    """
    from api.pipeline.claim_rematch import drain_rematches

    with _session(obj) as session:
        report = drain_rematches(session, limit=limit)
    click.echo(
        f"{report.statements} statements matched again: {report.merged} claims merged, "
        f"{report.split} split off",
        err=True,
    )
