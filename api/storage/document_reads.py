"""Stored documents read by primary key, below the ORM, for the API's hottest reads:
statements (``statement_documents``) and claims' provenances (``provenance_documents``).

A session per read (its pool checkout, the ORM's statement compilation, the commit) costs
far more than a lookup of a few hundred bytes by primary key. These readers keep their
own connections and run that one prepared query:

- ``SqliteDocuments``: one plain ``sqlite3`` connection, queried on the caller's thread.
  aiosqlite would hand each query to a thread of its own and back, which costs more than
  the lookup. Under WAL a reader never waits for a writer.
- ``PostgresDocuments``: a few autocommit psycopg connections, each query prepared by
  the server after its first uses.

Each lookup is its own transaction, so it sees what was last committed. A reader that
cannot answer (busy, a connection lost, a schema without documents) answers None and
the caller renders from the tables, as it does for a statement without a document.
"""

from __future__ import annotations

import asyncio
import sqlite3
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from sqlalchemy.engine import make_url

if TYPE_CHECKING:
    import psycopg

_QUERY = "SELECT body FROM statement_documents WHERE statement_id = {}"
_PROVENANCE_QUERY = "SELECT body FROM provenance_documents WHERE claim_id = {}"
# Many at once (PostgreSQL): the keys as one array parameter, one prepared statement.
_MANY_QUERY = (
    "SELECT statement_id, body FROM statement_documents WHERE statement_id = ANY({}::bigint[])"
)
_MANY_PROVENANCE_QUERY = (
    "SELECT claim_id, body FROM provenance_documents WHERE claim_id = ANY({}::bigint[])"
)
BATCH_KEYS = 256
# A speaker's statements in id order after an id, with their documents (NULL when none).
_SPEAKER_QUERY = (
    "SELECT s.id, d.body FROM statements s "
    "LEFT JOIN statement_documents d ON d.statement_id = s.id "
    "WHERE s.speaker_id = {0} AND s.id > {0} ORDER BY s.id LIMIT {0}"
)
SpeakerRows = list[tuple[int, bytes | None]]
# A SQLite reader only waits on the file's rare exclusive moments (WAL recovery).
_BUSY_SECONDS = 0.05
POSTGRES_CONNECTIONS = 4


class DocumentReads(Protocol):
    async def read(self, statement_id: int) -> bytes | None: ...

    async def read_provenance(self, claim_id: int) -> bytes | None: ...

    async def speaker_rows(self, speaker_id: int, after_id: int, limit: int) -> SpeakerRows | None:
        """Up to ``limit`` of the speaker's statements after ``after_id``; None: ask the
        tables instead."""

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
        self._query = _QUERY.format("?")
        self._provenance_query = _PROVENANCE_QUERY.format("?")
        self._speaker_query = _SPEAKER_QUERY.format("?")

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

    async def close(self) -> None:
        self._connection.close()


def postgres_conninfo(database_url: str) -> str | None:
    url = make_url(database_url)
    if url.get_backend_name() != "postgresql":
        return None
    return url.set(drivername="postgresql").render_as_string(hide_password=False)


class _Lookups:
    """The keys asked of one table and not answered yet, each with the requests waiting
    for it (two requests for one key share one lookup)."""

    def __init__(self, query: str) -> None:
        self.query = query
        self.waiting: dict[int, list[asyncio.Future[bytes | None]]] = {}

    def take(self, limit: int) -> dict[int, list[asyncio.Future[bytes | None]]]:
        taken: dict[int, list[asyncio.Future[bytes | None]]] = {}
        while self.waiting and len(taken) < limit:
            key = next(iter(self.waiting))
            taken[key] = self.waiting.pop(key)
        return taken


def _settle(taken: dict[int, list[asyncio.Future[bytes | None]]], found: dict[int, bytes]) -> None:
    for key, futures in taken.items():
        for future in futures:
            if not future.done():  # a request that went away (cancelled) waits no more
                future.set_result(found.get(key))


class PostgresDocuments:
    """Up to ``size`` connections, opened on demand and reused last-in first-out.

    Lookups by key are coalesced: a request leaves its key and waits; up to ``size``
    drainers, each on a connection, take every key waiting (at most ``BATCH_KEYS``) and
    answer them with one query. An idle server answers a lone request with a query of
    its own, as before; under load, where each query's round trip and driver overhead
    cost far more than the rows it returns, many requests share one. Profiled at 64
    connections on 1M statements, one query per uniformly drawn id held reads near a
    third of the framework's ceiling.
    """

    def __init__(self, conninfo: str, size: int = POSTGRES_CONNECTIONS) -> None:
        self._conninfo = conninfo
        self._size = size
        self._idle: asyncio.LifoQueue[psycopg.AsyncConnection[tuple[Any, ...]]] = (
            asyncio.LifoQueue()
        )
        self._slots = asyncio.Semaphore(size)
        self._open: set[psycopg.AsyncConnection[tuple[Any, ...]]] = set()
        self._documents = _Lookups(_MANY_QUERY.format("%s"))
        self._provenances = _Lookups(_MANY_PROVENANCE_QUERY.format("%s"))
        self._speaker_query = _SPEAKER_QUERY.format("%s")
        self._tables = (self._documents, self._provenances)
        self._draining = 0
        self._drainers: set[asyncio.Task[None]] = set()

    async def read(self, statement_id: int) -> bytes | None:
        return await self._lookup(self._documents, statement_id)

    async def read_provenance(self, claim_id: int) -> bytes | None:
        return await self._lookup(self._provenances, claim_id)

    async def _lookup(self, lookups: _Lookups, key: int) -> bytes | None:
        future: asyncio.Future[bytes | None] = asyncio.get_running_loop().create_future()
        lookups.waiting.setdefault(key, []).append(future)
        if self._draining < self._size:
            self._draining += 1
            # Held here: the event loop keeps only weak references to its tasks.
            drainer = asyncio.create_task(self._drain())
            self._drainers.add(drainer)
            drainer.add_done_callback(self._drainers.discard)
        return await future

    async def _drain(self) -> None:
        try:
            while True:
                # Both tables each round: one never waits behind the other's traffic.
                batches = [(lookups, lookups.take(BATCH_KEYS)) for lookups in self._tables]
                if not any(taken for _, taken in batches):
                    # Counted down in the same step that found nothing waiting, so a key
                    # left after this finds a drainer slot free.
                    return
                for lookups, taken in batches:
                    if taken:
                        await self._answer(lookups.query, taken)
        finally:
            self._draining -= 1

    async def _answer(
        self, query: str, taken: dict[int, list[asyncio.Future[bytes | None]]]
    ) -> None:
        found: dict[int, bytes] = {}
        try:
            rows = await self._fetch(query, (list(taken),))
            for key, body in rows or ():
                if body is not None:
                    found[int(key)] = bytes(body)
        finally:  # a failed or cancelled query answers None: the caller asks the tables
            _settle(taken, found)

    async def speaker_rows(self, speaker_id: int, after_id: int, limit: int) -> SpeakerRows | None:
        rows = await self._fetch(self._speaker_query, (speaker_id, after_id, limit))
        if rows is None:
            return None
        return [(int(row[0]), None if row[1] is None else bytes(row[1])) for row in rows]

    async def _fetch(
        self, query: str, parameters: tuple[object, ...]
    ) -> list[tuple[Any, ...]] | None:
        # Imported here: a SQLite deployment never loads the PostgreSQL driver (11 MB).
        import psycopg

        async with self._slots:
            try:
                connection = self._idle.get_nowait()
            except asyncio.QueueEmpty:
                try:
                    connection = await psycopg.AsyncConnection.connect(
                        self._conninfo, autocommit=True
                    )
                except psycopg.Error:
                    return None
                self._open.add(connection)
            try:
                cursor = await connection.execute(query, parameters)
                rows = await cursor.fetchall()
            except psycopg.Error:  # a lost connection, or a schema without documents
                self._open.discard(connection)
                await connection.close()
                return None
            self._idle.put_nowait(connection)
        return rows

    async def close(self) -> None:
        for drainer in list(self._drainers):
            drainer.cancel()
        for connection in list(self._open):
            await connection.close()
        self._open.clear()


def document_reads(database_url: str) -> DocumentReads | None:
    """The reader for this database; None where sessions must do (in-memory SQLite)."""
    path = sqlite_file(database_url)
    if path is not None:
        return SqliteDocuments(path) if path.exists() else None
    conninfo = postgres_conninfo(database_url)
    return PostgresDocuments(conninfo) if conninfo is not None else None
