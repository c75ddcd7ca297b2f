"""Changes to the factories' newsroom (tests/http/factories.py) that stored documents
show, shared by the statement and the provenance document tests: each must render the
documents it touches again."""

from __future__ import annotations

from sqlalchemy import delete, update
from sqlalchemy.ext.asyncio import AsyncSession

from api.storage.models import (
    ActorRow,
    ArticleRow,
    ClaimStatementRow,
    SourceRow,
    StatementCreditRow,
)
from tests.http.factories import Newsroom


async def rename_speaker(session: AsyncSession, world: Newsroom) -> None:
    await session.execute(
        update(ActorRow).where(ActorRow.id == world.macron).values(name="Emmanuel J. Macron")
    )


async def retitle_article(session: AsyncSession, world: Newsroom) -> None:
    await session.execute(
        update(ArticleRow).where(ArticleRow.id == world.a1).values(title="A new headline")
    )


async def rename_outlet(session: AsyncSession, world: Newsroom) -> None:
    await session.execute(
        update(SourceRow).where(SourceRow.id == world.guardian).values(name="Guardian US")
    )


async def rename_agency(session: AsyncSession, world: Newsroom) -> None:
    await session.execute(
        update(SourceRow).where(SourceRow.id == world.afp).values(name="Agence France-Presse")
    )


async def drop_a_credit(session: AsyncSession, world: Newsroom) -> None:
    await session.execute(
        delete(StatementCreditRow).where(StatementCreditRow.statement_id == world.s1)
    )


async def move_to_another_claim(session: AsyncSession, world: Newsroom) -> None:
    await session.execute(
        update(ClaimStatementRow)
        .where(ClaimStatementRow.statement_id == world.s6)
        .values(claim_id=world.c2)
    )
