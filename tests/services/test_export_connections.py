"""A streamed export holds a database connection only while it reads a batch: a client
that reads slowly must not starve the API's small pool (``database_pool_size``)."""

from __future__ import annotations

from pathlib import Path

import msgspec
import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine

import schemas
from api.services.export import StatementExport
from api.services.filters import StatementFilters
from api.storage import migrate
from api.storage.engine import async_session_factory, make_async_engine, make_engine
from api.storage.models import StatementRow
from api.storage.synthetic import fill

pytestmark = pytest.mark.anyio


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture
def database(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'export.db'}"
    migrate.upgrade(url)
    engine = make_engine(url)
    try:
        fill(engine, 30, seed=4)
    finally:
        engine.dispose()
    return url


async def one_connection(url: str) -> AsyncEngine:
    return make_async_engine(url, pool_size=1, max_overflow=0, pool_timeout=0.5)


async def test_a_paused_export_leaves_the_connection_to_other_requests(database: str) -> None:
    engine = await one_connection(database)
    sessions = async_session_factory(engine)
    try:
        export = StatementExport(sessions, batch_size=10)
        stream = export.ndjson(StatementFilters())
        first = await anext(stream)  # the client has its first batch and reads no further
        assert len(first.splitlines()) == 10
        # Another request gets the pool's only connection meanwhile.
        async with sessions() as other:
            assert await other.scalar(select(func.count()).select_from(StatementRow)) == 30
        rest = b"".join([chunk async for chunk in stream])
        lines = (first + rest).splitlines()
        ids = [msgspec.json.decode(line, type=schemas.Statement).id for line in lines]
        assert ids == sorted(ids) and len(ids) == 30  # each once, in id order
    finally:
        await engine.dispose()


async def test_the_csv_export_gives_it_back_too(database: str) -> None:
    engine = await one_connection(database)
    sessions = async_session_factory(engine)
    try:
        stream = StatementExport(sessions, batch_size=10).csv(StatementFilters())
        header, batch = await anext(stream), await anext(stream)
        assert header.startswith(b"id,") and len(batch.splitlines()) == 10
        async with sessions() as other:
            assert await other.scalar(select(func.count()).select_from(StatementRow)) == 30
        assert sum([len(chunk.splitlines()) async for chunk in stream]) == 20
    finally:
        await engine.dispose()
