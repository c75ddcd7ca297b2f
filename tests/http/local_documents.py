"""A test's document reader announced as a local file's (``SqliteDocuments``): the API
then treats its documents as cheap to read, as it does a SQLite file's."""

from __future__ import annotations

from api.storage.document_reads import DocumentReads, SpeakerRows, SqliteDocuments, StoredPage


class SqliteLike(SqliteDocuments):
    def __init__(self, inner: DocumentReads) -> None:
        self._inner = inner

    async def read(self, statement_id: int) -> bytes | None:
        return await self._inner.read(statement_id)

    async def speaker_rows(self, speaker_id: int, after_id: int, limit: int) -> SpeakerRows | None:
        return await self._inner.speaker_rows(speaker_id, after_id, limit)

    async def stored_page(self, speaker_id: int, page_size: int) -> StoredPage | None:
        return await self._inner.stored_page(speaker_id, page_size)
