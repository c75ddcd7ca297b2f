"""Bulk export of statements in the API's own Statement schema: JSON Lines and CSV.

Used by ``statements export`` (every statement to a file) and by the HTTP exports
(``/v1/statements/export.ndjson`` and ``.csv``: any statement query, streamed). Both read
keyset batches, so memory stays bounded by one batch however large the export.
"""

from __future__ import annotations

import csv
import io
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import BinaryIO

import msgspec
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

import schemas
from api.services.filters import StatementFilters
from api.services.paging import Window
from api.services.statements import StatementService
from api.storage.engine import async_session_factory, make_async_engine

EXPORT_BATCH_SIZE = 500

# The CSV export's columns, in order. Empty cells stand for null; ``via`` joins the
# names of the credited upstream sources with ";".
CSV_COLUMNS: tuple[str, ...] = (
    "id",
    "kind",
    "text",
    "speaker_id",
    "speaker_name",
    "speaker_kind",
    "speaker_role",
    "cue",
    "article_id",
    "article_title",
    "outlet",
    "via",
    "date",
    "date_text",
    "confidence",
    "content_start",
    "content_end",
    "claim_id",
)
VIA_SEPARATOR = ";"


async def iter_statement_batches(
    session: AsyncSession,
    filters: StatementFilters | None = None,
    *,
    batch_size: int = EXPORT_BATCH_SIZE,
) -> AsyncIterator[list[schemas.Statement]]:
    """Yield the statements matching ``filters`` in id order, ``batch_size`` at a time.

    Keyset batches (not OFFSET) keep each query cheap however far the export has got.
    Each batch is a separate SELECT: rows committed while an export runs may appear in
    its later batches (never twice, never out of order). Id order even with a search
    ``q`` (whose items carry their snippets): relevance scores shift as rows are added,
    ids do not.
    """
    service = StatementService(session)
    wanted = filters or StatementFilters()
    after_id: int | None = None
    while True:
        batch = await service.page(wanted, Window(limit=batch_size, after_id=after_id))
        if batch.items:
            yield batch.items
        if not batch.has_more:
            return
        # Rows already converted are unreferenced: the session's identity map holds them
        # weakly, so memory stays bounded by one batch without touching the session.
        after_id = batch.next_after_id


async def iter_statements(
    session: AsyncSession,
    filters: StatementFilters | None = None,
    *,
    batch_size: int = EXPORT_BATCH_SIZE,
) -> AsyncIterator[schemas.Statement]:
    """Yield every statement matching ``filters`` (all by default) in id order."""
    async for batch in iter_statement_batches(session, filters, batch_size=batch_size):
        for item in batch:
            yield item


def ndjson_lines(statements: list[schemas.Statement]) -> bytes:
    """One JSON Statement per line, each line ending in ``\\n``."""
    return msgspec.json.Encoder().encode_lines(statements)


def csv_row(statement: schemas.Statement) -> list[str]:
    """The statement as cells in ``CSV_COLUMNS`` order; null is the empty string."""
    speaker = statement.speaker
    return [
        str(statement.id),
        statement.kind.value,
        statement.text,
        str(speaker.id) if speaker else "",
        speaker.name if speaker else "",
        speaker.kind.value if speaker else "",
        statement.speaker_role or "",
        statement.cue.text if statement.cue else "",
        str(statement.article.id),
        statement.article.title or "",
        statement.source.name if statement.source else "",
        VIA_SEPARATOR.join(source.name for source in statement.via),
        statement.date.isoformat() if statement.date else "",
        statement.date_text or "",
        repr(statement.confidence),
        str(statement.content.start),
        str(statement.content.end),
        "" if statement.claim_id is None else str(statement.claim_id),
    ]


def csv_lines(rows: list[list[str]]) -> bytes:
    """RFC 4180 CSV (CRLF line ends, fields quoted when they need it), UTF-8."""
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows(rows)
    return buffer.getvalue().encode("utf-8")


@dataclass(frozen=True, slots=True)
class StatementExport:
    """Streams of encoded export chunks, one chunk per batch.

    Each stream opens its own session when iteration starts and closes it when the
    stream ends: a streamed response outlives the request handler (and its
    request-scoped session), so the rows must be read by the stream itself. The
    session gives its connection back to the pool after each batch, before the batch
    is sent: a client that reads slowly holds no connection (the API keeps a few; see
    ``Settings.database_pool_size``), and on SQLite no read transaction keeps the
    write-ahead log from being checkpointed.
    """

    sessions: async_sessionmaker[AsyncSession]
    batch_size: int = EXPORT_BATCH_SIZE

    async def ndjson(self, filters: StatementFilters) -> AsyncIterator[bytes]:
        """One Statement JSON object per line; nothing at all when nothing matches."""
        async for batch in self._batches(filters):
            yield ndjson_lines(batch)

    async def csv(self, filters: StatementFilters) -> AsyncIterator[bytes]:
        """The header row, then one row per statement in ``CSV_COLUMNS`` order."""
        yield csv_lines([list(CSV_COLUMNS)])
        async for batch in self._batches(filters):
            yield csv_lines([csv_row(statement) for statement in batch])

    async def _batches(self, filters: StatementFilters) -> AsyncIterator[list[schemas.Statement]]:
        async with self.sessions() as session:
            async for batch in iter_statement_batches(session, filters, batch_size=self.batch_size):
                # Batches are structs already; the next batch's query checks out a
                # connection again.
                await session.close()
                yield batch


async def export_jsonl(session: AsyncSession, out: BinaryIO) -> int:
    """Write one JSON Statement per line to ``out``; return how many were written."""
    count = 0
    async for batch in iter_statement_batches(session):
        out.write(ndjson_lines(batch))
        count += len(batch)
    return count


async def write_jsonl(database_url: str, out: BinaryIO) -> int:
    """Export every statement of the database at ``database_url`` as JSON Lines."""
    engine = make_async_engine(database_url)
    try:
        async with async_session_factory(engine)() as session:
            return await export_jsonl(session, out)
    finally:
        await engine.dispose()
