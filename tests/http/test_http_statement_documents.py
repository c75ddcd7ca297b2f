"""Statement documents (migration 0013): encoded once, served as stored, never stale.

Every check compares the stored bytes with what the tables render *now*
(``StatementService.get``), so a document that outlived a change shows up as a
difference, whichever change it was.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from api.services import StatementService
from api.services.statement_documents import encode_statement, read_document
from api.settings import Settings
from api.storage.models import (
    ClaimStatementRow,
    StatementCreditRow,
    StatementDocumentRow,
    StatementRow,
)
from tests.http.factories import Newsroom
from tests.http.newsroom_changes import (
    drop_a_credit,
    move_to_another_claim,
    rename_agency,
    rename_outlet,
    rename_speaker,
    retitle_article,
)

pytestmark = pytest.mark.anyio
Client = AsyncTestClient[Litestar]


@pytest.fixture
def settings() -> Settings:
    # No response cache: every request here must reach the documents or the tables.
    return Settings(cache_refresh_seconds=0, response_cache_mb=0)


async def rendered_now(session: AsyncSession, statement_id: int) -> bytes:
    return encode_statement(await StatementService(session).get(statement_id))


async def assert_documents_current(session: AsyncSession, newsroom: Newsroom) -> None:
    session.expire_all()
    for statement_id in newsroom.statements_in_id_order:
        stored = await read_document(session, statement_id)
        assert stored is not None, f"statement {statement_id} has no document"
        assert stored == await rendered_now(session, statement_id)


async def test_every_statement_gets_its_document_when_written(
    async_session: AsyncSession, newsroom: Newsroom
) -> None:
    await assert_documents_current(async_session, newsroom)


async def test_get_statement_sends_the_stored_bytes(
    client: Client, async_session: AsyncSession, newsroom: Newsroom
) -> None:
    for statement_id in newsroom.statements_in_id_order:
        response = await client.get(f"/v1/statements/{statement_id}")
        assert response.status_code == 200
        assert response.headers["content-type"] == "application/json"
        assert response.content == await read_document(async_session, statement_id)
        assert response.headers["etag"]


async def test_a_statement_without_document_is_rendered_from_the_tables(
    client: Client, db_connection: AsyncConnection, newsroom: Newsroom
) -> None:
    served = (await client.get(f"/v1/statements/{newsroom.s3}")).content
    # Below the ORM, as a hand-run fix or an upgrade without `statements migrate` would.
    await db_connection.exec_driver_sql("UPDATE statement_documents SET body = NULL")
    response = await client.get(f"/v1/statements/{newsroom.s3}")
    assert response.status_code == 200
    assert response.content == served
    assert (await client.get("/v1/statements/999999999")).status_code == 404


Change = Callable[[AsyncSession, Newsroom], Awaitable[object]]


async def edit_statement(session: AsyncSession, world: Newsroom) -> None:
    await session.execute(
        update(StatementRow).where(StatementRow.id == world.s2).values(speaker_role="President")
    )


async def credit_an_agency(session: AsyncSession, world: Newsroom) -> None:
    session.add(StatementCreditRow(statement_id=world.s2, source_id=world.reuters))


async def leave_the_claim(session: AsyncSession, world: Newsroom) -> None:
    await session.execute(
        delete(ClaimStatementRow).where(ClaimStatementRow.statement_id == world.s4)
    )


async def join_a_claim(session: AsyncSession, world: Newsroom) -> None:
    session.add(ClaimStatementRow(claim_id=world.c2, statement_id=world.s2))


@pytest.mark.parametrize(
    "change",
    [
        rename_speaker,
        retitle_article,
        rename_outlet,
        rename_agency,
        edit_statement,
        credit_an_agency,
        drop_a_credit,
        move_to_another_claim,
        leave_the_claim,
        join_a_claim,
    ],
)
async def test_a_change_renders_the_documents_it_touches_again(
    client: Client, async_session: AsyncSession, newsroom: Newsroom, change: Change
) -> None:
    before = {s: await read_document(async_session, s) for s in newsroom.statements_in_id_order}
    await change(async_session, newsroom)
    await async_session.commit()
    await assert_documents_current(async_session, newsroom)
    after = {s: await read_document(async_session, s) for s in newsroom.statements_in_id_order}
    assert before != after  # the change is one the documents show
    for statement_id in newsroom.statements_in_id_order:
        response = await client.get(f"/v1/statements/{statement_id}")
        assert response.content == after[statement_id]


async def test_a_write_that_is_rolled_back_leaves_the_documents_as_they_were(
    async_session: AsyncSession, newsroom: Newsroom
) -> None:
    await rename_speaker(async_session, newsroom)
    await async_session.rollback()
    await assert_documents_current(async_session, newsroom)


async def test_a_deleted_statement_takes_its_document_with_it(
    async_session: AsyncSession, newsroom: Newsroom
) -> None:
    await async_session.execute(delete(StatementRow).where(StatementRow.id == newsroom.s5))
    await async_session.commit()
    left = await async_session.scalar(
        select(StatementDocumentRow.statement_id).where(
            StatementDocumentRow.statement_id == newsroom.s5
        )
    )
    assert left is None


LISTINGS = (
    "/v1/statements",
    "/v1/statements?limit=2",
    "/v1/statements?sort=date",
    "/v1/statements?q=Ukraine",
    "/v1/statements?q=Ukraine&sort=id",
    "/v1/statements?kind=direct&source={reuters}",
)


async def test_listings_read_documents_and_tables_alike(
    client: Client, db_connection: AsyncConnection, newsroom: Newsroom
) -> None:
    paths = [p.format(reuters=newsroom.reuters) for p in LISTINGS]
    paths.append(f"/v1/actors/{newsroom.macron}/statements")
    paths.append(f"/v1/actors/{newsroom.macron}/statements?q=Ukraine")
    from_documents = [(await client.get(path)).json() for path in paths]
    assert any(page["items"] for page in from_documents)
    assert any(item.get("snippet") for page in from_documents for item in page["items"])
    await db_connection.exec_driver_sql("UPDATE statement_documents SET body = NULL")
    from_tables = [(await client.get(path)).json() for path in paths]
    assert from_tables == from_documents


async def walk(client: Client, path: str) -> list[dict[str, object]]:
    """Every page of a listing, following next_cursor and the Link header."""
    pages = []
    while True:
        response = await client.get(path)
        assert response.status_code == 200
        page = response.json()
        pages.append({**page, "link": response.headers.get("link")})
        if not page["has_more"]:
            return pages
        path = response.headers["link"].split(">")[0].lstrip("<")


async def test_an_actors_pages_read_from_documents_match_the_tables(
    client: Client, db_connection: AsyncConnection, newsroom: Newsroom
) -> None:
    path = f"/v1/actors/{newsroom.macron}/statements?limit=1"
    from_documents = await walk(client, path)
    assert len(from_documents) == 3  # s1, s6, s3
    await db_connection.exec_driver_sql("UPDATE statement_documents SET body = NULL")
    assert await walk(client, path) == from_documents
    assert (await client.get("/v1/actors/999999999/statements")).status_code == 404
