"""Every statement, in the API's own Statement schema, for ``statements export``."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import BinaryIO

import msgspec
from sqlalchemy.ext.asyncio import AsyncSession

import schemas
from api.services.filters import StatementFilters
from api.services.paging import Window
from api.services.statements import StatementService
from api.storage.engine import async_session_factory, make_async_engine

EXPORT_BATCH_SIZE = 500


async def iter_statements(
    session: AsyncSession, *, batch_size: int = EXPORT_BATCH_SIZE
) -> AsyncIterator[schemas.Statement]:
    """Yield every statement in id order, reading ``batch_size`` rows at a time.

    Keyset batches (not OFFSET) keep each query cheap however far the export has got.
    """
    service = StatementService(session)
    everything = StatementFilters()
    after_id: int | None = None
    while True:
        batch = await service.page(everything, Window(limit=batch_size, after_id=after_id))
        for item in batch.items:
            yield item
        if not batch.has_more:
            return
        # Rows already converted are unreferenced: the session's identity map holds them
        # weakly, so memory stays bounded by one batch without touching the session.
        after_id = batch.next_after_id


async def export_jsonl(session: AsyncSession, out: BinaryIO) -> int:
    """Write one JSON Statement per line to ``out``; return how many were written."""
    encoder = msgspec.json.Encoder()
    count = 0
    async for item in iter_statements(session):
        out.write(encoder.encode(item) + b"\n")
        count += 1
    return count


async def write_jsonl(database_url: str, out: BinaryIO) -> int:
    """Export every statement of the database at ``database_url`` as JSON Lines."""
    engine = make_async_engine(database_url)
    try:
        async with async_session_factory(engine)() as session:
            return await export_jsonl(session, out)
    finally:
        await engine.dispose()
