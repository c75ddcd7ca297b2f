"""Stored documents read by primary key, below the ORM, for the API's hottest reads:
statements (``statement_documents``), claims' provenances (``provenance_documents``) and
actors' first pages (``speaker_page_documents``).

A session per read (its pool checkout, the ORM's statement compilation, the commit) costs
far more than a lookup of a few hundred bytes by primary key. These readers keep their
own connections and run that one prepared query:

- ``SqliteDocuments``: one plain ``sqlite3`` connection, queried on the caller's thread.
  aiosqlite would hand each query to a thread of its own and back, which costs more than
  the lookup. Under WAL a reader never waits for a writer.
- ``PostgresDocuments`` (``api.storage.postgres_documents``): a few autocommit psycopg
  connections, concurrent lookups coalesced into one prepared query.

Each lookup is its own transaction, so it sees what was last committed. A reader that
cannot answer (busy, a connection lost, a schema without documents) answers None and
the caller renders from the tables, as it does for a statement without a document.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import NamedTuple, Protocol

from sqlalchemy.engine import make_url

from api.storage.engine import READER_CACHE_KIB

STATEMENT_QUERY = "SELECT body FROM statement_documents WHERE statement_id = {}"
PROVENANCE_QUERY = "SELECT body FROM provenance_documents WHERE claim_id = {}"
# A speaker's statements in id order after an id, with their documents (NULL when none).
SPEAKER_QUERY = (
    "SELECT s.id, d.body FROM statements s "
    "LEFT JOIN statement_documents d ON d.statement_id = s.id "
    "WHERE s.speaker_id = {0} AND s.id > {0} ORDER BY s.id LIMIT {0}"
)
SpeakerRows = list[tuple[int, bytes | None]]
# An actor's first page when rendered for that page size: its documents as one array.
STORED_PAGE_QUERY = (
    "SELECT body, has_more, last_id FROM speaker_page_documents "
    "WHERE speaker_id = {0} AND page_size = {0} AND body IS NOT NULL"
)


class StoredPage(NamedTuple):
    items: bytes  # the page's statement documents as one JSON array
    has_more: bool
    last_id: int


# A SQLite reader only waits on the file's rare exclusive moments (WAL recovery).
_BUSY_SECONDS = 0.05


class DocumentReads(Protocol):
    async def read(self, statement_id: int) -> bytes | None: ...

    async def read_provenance(self, claim_id: int) -> bytes | None: ...

    async def speaker_rows(self, speaker_id: int, after_id: int, limit: int) -> SpeakerRows | None:
        """Up to ``limit`` of the speaker's statements after ``after_id``; None: ask the
        tables instead."""

    async def stored_page(self, speaker_id: int, page_size: int) -> StoredPage | None:
        """The speaker's first page as stored for ``page_size``; None: build it."""

    async def close(self) -> None: ...


def sqlite_file(database_url: str) -> Path | None:
    """The file of a SQLite URL; None for another database or an in-memory SQLite."""
    url = make_url(database_url)
    if url.get_backend_name() != "sqlite" or url.database in (None, "", ":memory:"):
        return None
    return Path(url.database)


class SqliteDocuments:
    """One connection; ``read`` blocks for the microseconds a lookup takes."""

    def __init__(self, path: Path) -> None:
        self._connection = sqlite3.connect(
            path, timeout=_BUSY_SECONDS, isolation_level=None, check_same_thread=False
        )
        self._connection.execute("PRAGMA query_only = ON")
        self._connection.execute(f"PRAGMA cache_size = -{READER_CACHE_KIB}")
        self._query = STATEMENT_QUERY.format("?")
        self._provenance_query = PROVENANCE_QUERY.format("?")
        self._speaker_query = SPEAKER_QUERY.format("?")
        self._stored_page_query = STORED_PAGE_QUERY.format("?")

    async def read(self, statement_id: int) -> bytes | None:
        return self._body(self._query, statement_id)

    async def read_provenance(self, claim_id: int) -> bytes | None:
        return self._body(self._provenance_query, claim_id)

    def _body(self, query: str, key: int) -> bytes | None:
        try:
            row = self._connection.execute(query, (key,)).fetchone()
        except sqlite3.OperationalError:  # busy, or a schema without documents
            return None
        return None if row is None or row[0] is None else bytes(row[0])

    async def speaker_rows(self, speaker_id: int, after_id: int, limit: int) -> SpeakerRows | None:
        try:
            cursor = self._connection.execute(self._speaker_query, (speaker_id, after_id, limit))
            return list(cursor.fetchall())
        except sqlite3.OperationalError:
            return None

    async def stored_page(self, speaker_id: int, page_size: int) -> StoredPage | None:
        try:
            row = self._connection.execute(
                self._stored_page_query, (speaker_id, page_size)
            ).fetchone()
        except sqlite3.OperationalError:  # busy, or a schema without stored pages
            return None
        return None if row is None else stored_page(*row)

    async def close(self) -> None:
        self._connection.close()


def stored_page(body: bytes, has_more: object, last_id: int | None) -> StoredPage | None:
    """A stored page row as read by a driver (SQLite keeps booleans as integers)."""
    if last_id is None:
        return None
    return StoredPage(bytes(body), bool(has_more), int(last_id))


def postgres_conninfo(database_url: str) -> str | None:
    url = make_url(database_url)
    if url.get_backend_name() != "postgresql":
        return None
    return url.set(drivername="postgresql").render_as_string(hide_password=False)


def document_reads(database_url: str) -> DocumentReads | None:
    """The reader for this database; None where sessions must do (in-memory SQLite)."""
    path = sqlite_file(database_url)
    if path is not None:
        return SqliteDocuments(path) if path.exists() else None
    conninfo = postgres_conninfo(database_url)
    if conninfo is None:
        return None
    # Imported here: a SQLite deployment never loads the PostgreSQL reader or its driver.
    from api.storage.postgres_documents import PostgresDocuments

    return PostgresDocuments(conninfo)
