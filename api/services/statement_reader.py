"""One statement by id, as stored bytes when it has them (the API's hottest read).

``GET /v1/statements/{id}`` asks this first: the statement's document (see
``api.services.statement_documents``) read below the ORM (``api.storage.document_reads``),
else through a session. Only when a statement has no document
yet (just written by a writer that has not rendered it, or a database upgraded without
``statements migrate``) is it rendered from the tables, as every statement once was.
"""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

import schemas
from api.services.statement_documents import read_document
from api.services.statements import StatementService
from api.storage.document_reads import DocumentReads


class StatementReader:
    """Shared by the requests of one API process; holds no per-request state."""

    def __init__(
        self, sessions: async_sessionmaker[AsyncSession], documents: DocumentReads | None = None
    ) -> None:
        self._sessions = sessions
        self._documents = documents

    async def get(self, statement_id: int) -> bytes | schemas.Statement:
        """The statement's JSON bytes, or its struct when it has no document yet.

        Raises NotFoundError when there is no such statement.
        """
        if self._documents is not None:
            body = await self._documents.read(statement_id)
            if body is not None:
                return body
        async with self._sessions() as session:
            body = await read_document(session, statement_id)
            if body is not None:
                return body
            return await StatementService(session).get(statement_id)
