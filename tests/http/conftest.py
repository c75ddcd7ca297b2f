"""HTTP test fixtures: the real app over a connection that is rolled back per test.

The app gets a session maker bound to one ``AsyncConnection`` inside an outer
transaction; with ``create_savepoint`` the per-request commits only release
savepoints, so nothing a test (or the app) writes outlives it.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession, async_sessionmaker

from api.http.app import create_app
from api.settings import Settings
from api.storage.engine import make_async_engine
from tests.http.factories import Factory, Newsroom, build_newsroom


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture
async def db_connection(database_url: str) -> AsyncIterator[AsyncConnection]:
    engine = make_async_engine(database_url)
    try:
        async with engine.connect() as connection:
            outer = await connection.begin()
            if connection.dialect.name == "postgresql":
                # This transaction never commits: move the data version at each write,
                # as the response cache's tests need (migration 0012 says how).
                await connection.exec_driver_sql("SET CONSTRAINTS ALL IMMEDIATE")
                await connection.exec_driver_sql("SET statements.data_version_per_row = 'on'")
            try:
                yield connection
            finally:
                await outer.rollback()
    finally:
        await engine.dispose()


@pytest.fixture
def session_maker(db_connection: AsyncConnection) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(
        bind=db_connection, join_transaction_mode="create_savepoint", expire_on_commit=False
    )


@pytest.fixture
async def async_session(
    session_maker: async_sessionmaker[AsyncSession],
) -> AsyncIterator[AsyncSession]:
    async with session_maker() as session:
        yield session


@pytest.fixture
async def newsroom(async_session: AsyncSession) -> Newsroom:
    world = await build_newsroom(Factory(async_session))
    await async_session.commit()  # releases the savepoint: visible to the app's sessions
    return world


@pytest.fixture
def settings() -> Settings:
    # Every read checks the data version: what a test writes is served at once.
    return Settings(cache_refresh_seconds=0)


@pytest.fixture
async def client(
    settings: Settings, session_maker: async_sessionmaker[AsyncSession]
) -> AsyncIterator[AsyncTestClient[Litestar]]:
    app = create_app(settings, session_maker=session_maker)
    async with AsyncTestClient(app) as test_client:
        yield test_client
