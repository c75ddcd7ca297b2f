"""Actors' first pages stored as one array (migration 0017): rendered when written, set
NULL by exactly the changes that show on them, and served as the tables would page.

The checks compare each stored page with the page built now from the statements'
documents, so a page that outlived a change shows up as a difference.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import NamedTuple

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from api.http.pagination import encode_cursor
from api.services.speaker_page_documents import (
    joined_documents,
    render_stale_pages,
    stored_page_size,
)
from api.services.statement_documents import read_document
from api.settings import Settings
from api.storage.models import ActorRow, SpeakerPageDocumentRow, StatementRow
from tests.http.factories import Factory, Newsroom
from tests.http.newsroom_changes import rename_speaker

pytestmark = pytest.mark.anyio
Client = AsyncTestClient[Litestar]


@pytest.fixture
def settings() -> Settings:
    # No response cache: every request here must reach the stored pages or the tables.
    return Settings(cache_refresh_seconds=0, response_cache_mb=0)


class Stored(NamedTuple):
    body: bytes | None
    page_size: int
    has_more: bool
    last_id: int | None


async def stored_row(session: AsyncSession, actor_id: int) -> Stored | None:
    row = (
        await session.execute(
            select(
                SpeakerPageDocumentRow.body,
                SpeakerPageDocumentRow.page_size,
                SpeakerPageDocumentRow.has_more,
                SpeakerPageDocumentRow.last_id,
            ).where(SpeakerPageDocumentRow.speaker_id == actor_id)
        )
    ).one_or_none()
    return None if row is None else Stored(*row)


async def page_now(session: AsyncSession, actor_id: int, size: int) -> tuple[bytes, bool, int]:
    """The actor's first page built from the statements' documents as they are now."""
    ids = list(
        await session.scalars(
            select(StatementRow.id)
            .where(StatementRow.speaker_id == actor_id)
            .order_by(StatementRow.id)
            .limit(size + 1)
        )
    )
    shown = ids[:size]
    bodies = [await read_document(session, statement_id) for statement_id in shown]
    assert all(bodies), "a statement on the page has no document"
    return joined_documents([body for body in bodies if body]), len(ids) > size, shown[-1]


async def assert_pages_current(session: AsyncSession, world: Newsroom) -> None:
    for actor_id in (world.macron, world.zelensky, world.kremlin):
        row = await stored_row(session, actor_id)
        assert row is not None and row.body is not None, f"actor {actor_id} has no page"
        expected = await page_now(session, actor_id, row.page_size)
        assert (row.body, row.has_more, row.last_id) == expected


async def test_every_speaking_actor_gets_its_first_page_when_written(
    async_session: AsyncSession, newsroom: Newsroom
) -> None:
    await assert_pages_current(async_session, newsroom)
    row = await stored_row(async_session, newsroom.macron)
    assert row is not None
    assert row.page_size == stored_page_size()
    assert (row.has_more, row.last_id) == (False, newsroom.s3)  # s1, s6, s3 in id order


async def test_the_first_page_is_sent_as_stored(
    client: Client, db_connection: AsyncConnection, newsroom: Newsroom
) -> None:
    path = f"/v1/actors/{newsroom.macron}/statements"
    from_pages = await client.get(path)
    await db_connection.exec_driver_sql("UPDATE speaker_page_documents SET body = NULL")
    from_documents = await client.get(path)
    assert from_pages.status_code == from_documents.status_code == 200
    assert from_pages.content == from_documents.content  # byte for byte
    assert from_pages.headers["etag"] == from_documents.headers["etag"]
    # And it is the stored row that is sent: a marker put there below the ORM shows.
    await db_connection.execute(
        update(SpeakerPageDocumentRow)
        .where(SpeakerPageDocumentRow.speaker_id == newsroom.macron)
        .values(body=b'[{"marker":1}]')
    )
    marked = (await client.get(path)).json()
    assert marked["items"] == [{"marker": 1}]


Change = Callable[[AsyncSession, Newsroom], Awaitable[object]]


async def edit_first_statement(session: AsyncSession, world: Newsroom) -> None:
    await session.execute(
        update(StatementRow).where(StatementRow.id == world.s1).values(speaker_role="President")
    )


async def give_macron_zelenskys_statement(session: AsyncSession, world: Newsroom) -> None:
    await session.execute(
        update(StatementRow).where(StatementRow.id == world.s2).values(speaker_id=world.macron)
    )


async def delete_a_statement(session: AsyncSession, world: Newsroom) -> None:
    await session.execute(delete(StatementRow).where(StatementRow.id == world.s6))


async def add_a_statement(session: AsyncSession, world: Newsroom) -> None:
    factory = Factory(session)
    article = await factory.article("Macron said more.", title="More")
    macron = await session.get(ActorRow, world.macron)
    await factory.statement(article, "more", speaker=macron, kind="reported", cue="said")


@pytest.mark.parametrize(
    ("change", "changed_actors"),
    [
        (rename_speaker, ("macron",)),
        (edit_first_statement, ("macron",)),
        (give_macron_zelenskys_statement, ("macron",)),
        (delete_a_statement, ("macron",)),
        (add_a_statement, ("macron",)),
    ],
)
async def test_a_change_renders_the_pages_it_touches_again(
    client: Client,
    async_session: AsyncSession,
    newsroom: Newsroom,
    change: Change,
    changed_actors: tuple[str, ...],
) -> None:
    actors = {"macron": newsroom.macron, "zelensky": newsroom.zelensky}
    before = {name: (await stored_row(async_session, a)) for name, a in actors.items()}
    bodies = {name: row.body if row else None for name, row in before.items()}
    await change(async_session, newsroom)
    await async_session.commit()
    for name in changed_actors:
        row = await stored_row(async_session, actors[name])
        assert row is not None and row.body is not None
        assert row.body != bodies[name]
        assert (row.body, row.has_more, row.last_id) == await page_now(
            async_session, actors[name], row.page_size
        )
        response = await client.get(f"/v1/actors/{actors[name]}/statements")
        assert (
            response.content == b'{"items":' + row.body + b',"has_more":false,"next_cursor":null}'
        )


async def test_an_actor_whose_statements_all_moved_keeps_no_page(
    client: Client, async_session: AsyncSession, newsroom: Newsroom
) -> None:
    await give_macron_zelenskys_statement(async_session, newsroom)
    await async_session.commit()
    assert await stored_row(async_session, newsroom.zelensky) is None
    response = await client.get(f"/v1/actors/{newsroom.zelensky}/statements")
    assert response.status_code == 200
    assert response.json()["items"] == []


async def render_in_pages_of_two(session: AsyncSession) -> None:
    await session.execute(update(SpeakerPageDocumentRow).values(body=None))
    await session.run_sync(lambda sync: render_stale_pages(sync, page_size=2))
    await session.commit()


async def test_a_page_that_holds_some_of_the_statements_changes_only_with_them(
    client: Client, async_session: AsyncSession, newsroom: Newsroom
) -> None:
    await render_in_pages_of_two(async_session)
    row = await stored_row(async_session, newsroom.macron)
    assert row is not None and row.body is not None
    assert (row.page_size, row.has_more, row.last_id) == (2, True, newsroom.s6)
    assert (row.body, True, newsroom.s6) == await page_now(async_session, newsroom.macron, 2)

    # The page of two is what `?limit=2` asks for: sent as stored, with its next link.
    path = f"/v1/actors/{newsroom.macron}/statements?limit=2"
    response = await client.get(path)
    page = response.json()
    assert page["next_cursor"] == encode_cursor(newsroom.s6)
    assert response.headers["link"].startswith(f"</v1/actors/{newsroom.macron}/statements?")
    assert response.content.startswith(b'{"items":' + row.body + b',"has_more":true')

    # s3 is Macron's third statement: off the page, which stays as it was.
    await async_session.execute(
        update(StatementRow).where(StatementRow.id == newsroom.s3).values(speaker_role="Host")
    )
    await async_session.commit()
    kept = await stored_row(async_session, newsroom.macron)
    assert kept is not None
    assert (kept.body, kept.page_size) == (row.body, 2)

    # s1 is on it: the page is rendered again, at the default page size.
    await edit_first_statement(async_session, newsroom)
    await async_session.commit()
    again = await stored_row(async_session, newsroom.macron)
    assert again is not None and again.body != row.body
    assert again.page_size == stored_page_size()
    await assert_pages_current(async_session, newsroom)


async def test_a_page_with_a_statement_not_rendered_yet_waits(
    async_session: AsyncSession, db_connection: AsyncConnection, newsroom: Newsroom
) -> None:
    await db_connection.exec_driver_sql(
        f"UPDATE statement_documents SET body = NULL WHERE statement_id = {int(newsroom.s6)}"
    )
    row = await stored_row(async_session, newsroom.macron)
    assert row is not None and row.body is None  # s6 is on Macron's page
    taken = await async_session.run_sync(lambda sync: render_stale_pages(sync))
    assert taken >= 1
    row = await stored_row(async_session, newsroom.macron)
    assert row is not None and row.body is None  # left for when s6 has its document
