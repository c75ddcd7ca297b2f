"""One statement by id, as stored bytes when it has them (the API's hottest read).

``GET /v1/statements/{id}`` asks this first: the statement's document (see
``api.services.statement_documents``) read below the ORM (``api.storage.document_reads``),
else through a session. Only when a statement has no document yet (just written by a
writer that has not rendered it, or a database upgraded without ``statements migrate``)
is it rendered from the tables, as every statement once was.

An actor's page without filters is read the same way: the first page (the one a frontend
opens) as one stored array (``api.services.speaker_page_documents``), later pages as
their statements' documents. So is a claim's provenance
(``api.services.provenance_documents``).
"""

from __future__ import annotations

from dataclasses import dataclass

import msgspec
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

import schemas
from api.services.actors import ActorService
from api.services.claims import ClaimService
from api.services.filters import StatementFilters
from api.services.paging import Slice, Window, split_window
from api.services.provenance_documents import read_provenance
from api.services.speaker_page_documents import joined_documents, read_stored_page
from api.services.statement_documents import read_document
from api.services.statements import StatementService, StatementSort
from api.storage.document_reads import (
    DocumentReads,
    SpeakerRows,
    SqliteDocuments,
    StoredPage,
)
from api.storage.models import StatementDocumentRow, StatementRow


class SessionDocuments:
    """The document reads through ORM sessions: for a database the readers of
    ``api.storage.document_reads`` cannot open (the tests' uncommitted transaction)."""

    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self._sessions = sessions

    async def read(self, statement_id: int) -> bytes | None:
        async with self._sessions() as session:
            return await read_document(session, statement_id)

    async def read_provenance(self, claim_id: int) -> bytes | None:
        async with self._sessions() as session:
            return await read_provenance(session, claim_id)

    async def speaker_rows(self, speaker_id: int, after_id: int, limit: int) -> SpeakerRows | None:
        query = (
            select(StatementRow.id, StatementDocumentRow.body)
            .outerjoin(StatementDocumentRow, StatementDocumentRow.statement_id == StatementRow.id)
            .where(StatementRow.speaker_id == speaker_id, StatementRow.id > after_id)
            .order_by(StatementRow.id)
            .limit(limit)
        )
        async with self._sessions() as session:
            return [(statement_id, body) for statement_id, body in await session.execute(query)]

    async def stored_page(self, speaker_id: int, page_size: int) -> StoredPage | None:
        async with self._sessions() as session:
            return await read_stored_page(session, speaker_id, page_size)

    async def close(self) -> None:
        return None


@dataclass(frozen=True, slots=True)
class EncodedPage:
    """A page of statements already encoded: ``items`` is their JSON array, the bytes a
    list of their documents encodes to."""

    items: msgspec.Raw
    has_more: bool
    # The id of the last item, when there is a next page.
    next_after_id: int | None


class StatementReader:
    """Shared by the requests of one API process; holds no per-request state."""

    def __init__(
        self, sessions: async_sessionmaker[AsyncSession], documents: DocumentReads | None = None
    ) -> None:
        self._sessions = sessions
        # Without a reader below the ORM (an in-memory SQLite, the tests' transaction),
        # documents are read through sessions: one source of documents either way.
        self._documents = documents if documents is not None else SessionDocuments(sessions)

    @property
    def documents_are_local(self) -> bool:
        """Documents come from a file on this machine: reading one costs microseconds."""
        return isinstance(self._documents, SqliteDocuments)

    async def get(self, statement_id: int) -> bytes | schemas.Statement:
        """The statement's JSON bytes, or its struct when it has no document yet.

        Raises NotFoundError when there is no such statement.
        """
        body = await self._documents.read(statement_id)
        if body is not None:
            return body
        async with self._sessions() as session:
            return await StatementService(session).get(statement_id)

    async def provenance(self, claim_id: int) -> bytes | schemas.Provenance:
        """The claim's provenance JSON bytes, or its struct when it has no document yet.

        Raises NotFoundError (MergedClaimError for a merged claim) when there is no such
        claim: a claim that is gone has no document either.
        """
        body = await self._documents.read_provenance(claim_id)
        if body is not None:
            return body
        async with self._sessions() as session:
            return await ClaimService(session).provenance(claim_id)

    async def actor_statements(
        self, actor_id: int, filters: StatementFilters, window: Window, sort: StatementSort
    ) -> Slice[schemas.Statement]:
        """``ActorService.statements`` in a session of its own (a page with filters)."""
        async with self._sessions() as session:
            return await ActorService(session).statements(actor_id, filters, window, sort)

    async def speaker_page(self, speaker_id: int, window: Window) -> EncodedPage | None:
        """An actor's page in id order as stored documents, or None: then the caller asks
        ``ActorService.statements`` (a statement without document, or no statements at
        all, which may be a missing or merged actor)."""
        if window.after_id is None:
            stored = await self._documents.stored_page(speaker_id, window.limit)
            if stored is not None:
                after = stored.last_id if stored.has_more else None
                return EncodedPage(msgspec.Raw(stored.items), stored.has_more, after)
        rows = await self._documents.speaker_rows(
            speaker_id, window.after_id or 0, window.limit + 1
        )
        if not rows or any(body is None for _, body in rows):
            return None
        page, has_more = split_window(rows, window)
        items = msgspec.Raw(joined_documents([body for _, body in page if body is not None]))
        return EncodedPage(items, has_more, page[-1][0] if has_more else None)
