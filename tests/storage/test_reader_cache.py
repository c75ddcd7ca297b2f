"""The API's SQLite connections keep a small page cache of their own; writers keep
SQLite's default (their transactions revisit the pages they write)."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import text

from api.storage import migrate
from api.storage.document_reads import SqliteDocuments
from api.storage.engine import READER_CACHE_KIB, make_async_engine, make_engine

pytestmark = pytest.mark.anyio


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


async def test_readers_keep_a_small_page_cache_and_writers_the_default(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'cache.db'}"
    migrate.upgrade(url)
    reader = make_async_engine(url)
    writer = make_engine(url)
    documents = SqliteDocuments(tmp_path / "cache.db")
    try:
        async with reader.connect() as connection:
            assert await connection.scalar(text("PRAGMA cache_size")) == -READER_CACHE_KIB
        with writer.connect() as connection:
            assert connection.scalar(text("PRAGMA cache_size")) == -2000  # SQLite's default
        direct = documents._connection.execute("PRAGMA cache_size").fetchone()
        assert direct == (-READER_CACHE_KIB,)
    finally:
        await documents.close()
        await reader.dispose()
        writer.dispose()
