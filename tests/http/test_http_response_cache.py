"""Rendered responses kept in memory until the data version moves.

To show that a response was served from memory, a test changes a row and then puts
the data version back where it was: a cache that is consulted still serves the old
text; once the version moves (as every write's triggers make it), the new text shows.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from api.http.app import create_app
from api.http.response_cache import BoundedMemoryStore
from api.services.keys import Scope, create_key
from api.settings import Settings
from api.storage.models import DataVersionRow, StatementRow
from tests.http.factories import Newsroom
from tests.http.local_documents import SqliteLike

pytestmark = pytest.mark.anyio

Client = AsyncTestClient[Litestar]
# Long enough that no test sees a scheduled re-read: only writes move what is served.
HOUR = 3600.0


async def _client(
    session_maker: async_sessionmaker[AsyncSession], settings: Settings
) -> AsyncIterator[Client]:
    async with AsyncTestClient(create_app(settings, session_maker=session_maker)) as client:
        yield client


@pytest.fixture
async def slow_refresh(
    session_maker: async_sessionmaker[AsyncSession],
) -> AsyncIterator[Client]:
    async for client in _client(session_maker, Settings(cache_refresh_seconds=HOUR)):
        yield client


async def _version(session: AsyncSession) -> int:
    return (await session.scalars(select(DataVersionRow.version))).one()


async def _rewrite_quietly(session: AsyncSession, statement_id: int, text: str) -> None:
    """Change a statement's text, then put the data version back as it was."""
    before = await _version(session)
    await session.execute(
        update(StatementRow).where(StatementRow.id == statement_id).values(text=text)
    )
    assert await _version(session) > before  # the trigger saw the write
    await session.execute(update(DataVersionRow).values(version=before))
    await session.commit()


async def test_a_read_is_served_again_from_memory_until_the_version_moves(
    client: Client, newsroom: Newsroom, async_session: AsyncSession
) -> None:
    path = f"/v1/statements/{newsroom.s1}"
    first = await client.get(path)
    assert first.status_code == 200

    await _rewrite_quietly(async_session, newsroom.s1, "Rewritten behind the cache's back.")
    kept = await client.get(path)
    assert kept.json() == first.json()
    assert kept.headers["etag"] == first.headers["etag"]
    assert kept.headers["x-request-id"] != first.headers["x-request-id"]

    await async_session.execute(update(DataVersionRow).values(version=DataVersionRow.version + 1))
    await async_session.commit()
    fresh = await client.get(path)
    assert fresh.json()["text"] == "Rewritten behind the cache's back."
    assert fresh.headers["etag"] != first.headers["etag"]


async def test_a_write_through_the_api_is_read_back_at_once(
    slow_refresh: Client, newsroom: Newsroom, async_session: AsyncSession
) -> None:
    path = f"/v1/statements/{newsroom.s1}"
    assert (await slow_refresh.get(path)).json()["speaker"]["id"] == newsroom.macron
    _row, token = await async_session.run_sync(lambda s: create_key(s, "desk", [Scope.EDIT]))
    await async_session.commit()

    patched = await slow_refresh.patch(
        path, json={"speaker_id": newsroom.zelensky}, headers={"Authorization": f"Bearer {token}"}
    )
    assert patched.status_code == 200
    assert (await slow_refresh.get(path)).json()["speaker"]["id"] == newsroom.zelensky


async def test_another_process_writing_is_seen_after_the_refresh_interval_only(
    slow_refresh: Client, newsroom: Newsroom, async_session: AsyncSession
) -> None:
    path = f"/v1/actors/{newsroom.macron}/statements"
    first = (await slow_refresh.get(path)).json()
    await async_session.execute(
        update(StatementRow).where(StatementRow.id == newsroom.s1).values(text="Changed elsewhere.")
    )
    await async_session.commit()  # the version moved, but this process reads it hourly
    assert (await slow_refresh.get(path)).json() == first


async def test_gzip_and_identity_bodies_are_kept_apart(client: Client, newsroom: Newsroom) -> None:
    path = "/v1/statements?limit=50"
    coded = await client.get(path, headers={"Accept-Encoding": "gzip"})
    assert coded.headers["content-encoding"] == "gzip"
    plain = await client.get(path, headers={"Accept-Encoding": "identity"})
    assert "content-encoding" not in plain.headers
    assert plain.json() == coded.json()
    again = await client.get(path, headers={"Accept-Encoding": "gzip"})
    assert again.headers["content-encoding"] == "gzip"
    assert again.headers["etag"] == coded.headers["etag"]


async def test_a_kept_response_still_answers_if_none_match_with_304(
    client: Client, newsroom: Newsroom
) -> None:
    path = f"/v1/claims/{newsroom.c1}/provenance"
    first = await client.get(path)
    await client.get(path)  # now kept
    revalidated = await client.get(path, headers={"If-None-Match": first.headers["etag"]})
    assert revalidated.status_code == 304
    assert revalidated.content == b""


async def test_credentials_get_a_private_copy(
    client: Client, newsroom: Newsroom, async_session: AsyncSession
) -> None:
    _row, token = await async_session.run_sync(lambda s: create_key(s, "desk", [Scope.READ]))
    await async_session.commit()
    path = f"/v1/actors/{newsroom.macron}"
    public = await client.get(path)
    private = await client.get(path, headers={"Authorization": f"Bearer {token}"})
    assert public.headers["cache-control"].startswith("public")
    assert private.headers["cache-control"].startswith("private")
    assert (await client.get(path)).headers["cache-control"].startswith("public")


async def test_a_key_is_still_required_for_a_kept_response(
    session_maker: async_sessionmaker[AsyncSession],
    newsroom: Newsroom,
    async_session: AsyncSession,
) -> None:
    _row, token = await async_session.run_sync(lambda s: create_key(s, "desk", [Scope.READ]))
    await async_session.commit()
    settings = Settings(reads_require_key=True, cache_refresh_seconds=HOUR)
    async for client in _client(session_maker, settings):
        path = f"/v1/statements/{newsroom.s2}"
        ok = await client.get(path, headers={"Authorization": f"Bearer {token}"})
        assert ok.status_code == 200
        assert (await client.get(path)).status_code == 401
        wrong = {"Authorization": "Bearer st_nope_nope"}
        assert (await client.get(path, headers=wrong)).status_code == 401


async def test_no_memory_no_cache(
    session_maker: async_sessionmaker[AsyncSession],
    newsroom: Newsroom,
    async_session: AsyncSession,
) -> None:
    async for client in _client(session_maker, Settings(response_cache_mb=0)):
        path = f"/v1/statements/{newsroom.s1}"
        await client.get(path)
        await _rewrite_quietly(async_session, newsroom.s1, "Read from the database.")
        assert (await client.get(path)).json()["text"] == "Read from the database."


async def test_errors_are_never_kept(client: Client, newsroom: Newsroom) -> None:
    missing = await client.get("/v1/statements/999999")
    assert missing.status_code == 404
    assert missing.headers["cache-control"] == "no-store"
    await client.get("/v1/statements/999999")
    store = client.app.stores.get("responses")
    assert isinstance(store, BoundedMemoryStore)
    assert store.entries == 0


async def test_the_store_drops_the_least_recently_used_beyond_its_size() -> None:
    store = BoundedMemoryStore(max_bytes=10)
    await store.set("a", b"1234")
    await store.set("b", b"1234")
    assert await store.get("a") == b"1234"  # a is now the most recent
    await store.set("c", b"1234")  # 12 bytes: b goes
    assert await store.get("b") is None
    assert await store.get("a") == b"1234"
    assert await store.get("c") == b"1234"
    assert store.held_bytes == 8
    await store.set("huge", b"x" * 11)  # larger than the store: never kept
    assert await store.get("huge") is None
    await store.delete_all()
    assert store.entries == 0
    assert store.held_bytes == 0


async def test_a_response_its_handler_skips_is_served_but_not_kept(
    session_maker: async_sessionmaker[AsyncSession], newsroom: Newsroom
) -> None:
    # A statement read from a local SQLite file is cheaper to read again than to keep.
    app = create_app(Settings(cache_refresh_seconds=0), session_maker=session_maker)
    async with AsyncTestClient(app) as client:
        reader = await client.get(f"/v1/statements/{newsroom.s1}")  # builds the reader
        assert reader.status_code == 200
        store = app.stores.get("responses")
        assert isinstance(store, BoundedMemoryStore)
        kept = store.entries
        assert kept >= 1
        statement_reader = app.state["statement_reader"]
        statement_reader._documents = SqliteLike(statement_reader._documents)
        response = await client.get(f"/v1/statements/{newsroom.s2}")
        assert response.status_code == 200
        assert store.entries == kept  # served, not kept
        await client.get(f"/v1/actors/{newsroom.macron}/statements")
        assert store.entries == kept + 1  # other routes still keep theirs
