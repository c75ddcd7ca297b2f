"""Stored documents read from PostgreSQL below the ORM (see ``api.storage.document_reads``
for why), with concurrent lookups coalesced.

A request leaves its key (a statement's id, a claim's id, a speaker's page: speaker,
after id, limit; or a speaker's stored first page: speaker, page size) and waits; up
to ``size`` drainers, each on a connection of its own, take every key waiting (at most
``BATCH_KEYS`` of a kind) and answer them with one
query. An idle server answers a lone request with a query of its own; under load, where
a query's round trip and the driver's overhead cost far more than the rows it returns,
many requests share one. Profiled at 64 connections on 1M statements, one query per
uniformly drawn statement held those reads near a third of the framework's ceiling,
and psycopg's execute path was a fifth of an actor page's time.

A lookup that fails (a lost connection, a schema without documents) answers None, and
the caller renders from the tables.
"""

from __future__ import annotations

import asyncio
from collections.abc import Hashable, Sequence
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from api.storage.document_reads import SpeakerRows, StoredPage, stored_page

if TYPE_CHECKING:
    import psycopg

POSTGRES_CONNECTIONS = 4
BATCH_KEYS = 256
Row = tuple[Any, ...]
K = TypeVar("K", bound=Hashable)
V = TypeVar("V")
PageKey = tuple[int, int, int]  # speaker id, after id, limit


class Lookups(Generic[K, V]):
    """The keys of one kind asked and not answered yet, each with the requests waiting
    for it (two requests for one key share one lookup), and the query for many keys."""

    query = ""

    def __init__(self) -> None:
        self.waiting: dict[K, list[asyncio.Future[V | None]]] = {}

    def take(self, limit: int) -> dict[K, list[asyncio.Future[V | None]]]:
        taken: dict[K, list[asyncio.Future[V | None]]] = {}
        while self.waiting and len(taken) < limit:
            key = next(iter(self.waiting))
            taken[key] = self.waiting.pop(key)
        return taken

    def parameters(self, keys: Sequence[K]) -> tuple[object, ...]:
        raise NotImplementedError

    def answers(self, keys: Sequence[K], rows: list[Row]) -> dict[K, V]:
        raise NotImplementedError


def as_columns(keys: Sequence[tuple[int, ...]]) -> tuple[list[int], ...]:
    """Keys of several parts as one array parameter per part, for ``unnest``."""
    return tuple(list(column) for column in zip(*keys, strict=True))


class BodiesById(Lookups[int, bytes]):
    """Documents by primary key: the keys as one array parameter."""

    def __init__(self, table: str, key_column: str) -> None:
        super().__init__()
        self.query = (
            f"SELECT {key_column}, body FROM {table} WHERE {key_column} = ANY(%s::bigint[])"
        )

    def parameters(self, keys: Sequence[int]) -> tuple[object, ...]:
        return (list(keys),)

    def answers(self, keys: Sequence[int], rows: list[Row]) -> dict[int, bytes]:
        return {int(key): bytes(body) for key, body in rows if body is not None}


class SpeakerPages(Lookups[PageKey, SpeakerRows]):
    """Pages of speakers' statements: each key's page by a lateral join, numbered by
    the key's place in the arrays."""

    query = (
        "SELECT k.n, s.id, d.body "
        "FROM unnest(%s::bigint[], %s::bigint[], %s::int[]) WITH ORDINALITY "
        "AS k(speaker_id, after_id, size, n) "
        "CROSS JOIN LATERAL (SELECT id FROM statements WHERE speaker_id = k.speaker_id "
        "AND id > k.after_id ORDER BY id LIMIT k.size) s "
        "LEFT JOIN statement_documents d ON d.statement_id = s.id "
        "ORDER BY k.n, s.id"
    )

    def parameters(self, keys: Sequence[PageKey]) -> tuple[object, ...]:
        return as_columns(keys)

    def answers(self, keys: Sequence[PageKey], rows: list[Row]) -> dict[PageKey, SpeakerRows]:
        pages: dict[PageKey, SpeakerRows] = {key: [] for key in keys}
        for n, statement_id, body in rows:
            pages[keys[n - 1]].append((int(statement_id), None if body is None else bytes(body)))
        return pages


class StoredPages(Lookups[tuple[int, int], StoredPage]):
    """Actors' stored first pages: keyed by speaker and page size, numbered as above."""

    query = (
        "SELECT k.n, p.body, p.has_more, p.last_id "
        "FROM unnest(%s::bigint[], %s::int[]) WITH ORDINALITY AS k(speaker_id, size, n) "
        "JOIN speaker_page_documents p ON p.speaker_id = k.speaker_id "
        "AND p.page_size = k.size AND p.body IS NOT NULL"
    )

    def parameters(self, keys: Sequence[tuple[int, int]]) -> tuple[object, ...]:
        return as_columns(keys)

    def answers(
        self, keys: Sequence[tuple[int, int]], rows: list[Row]
    ) -> dict[tuple[int, int], StoredPage]:
        found: dict[tuple[int, int], StoredPage] = {}
        for n, body, has_more, last_id in rows:
            page = stored_page(body, has_more, last_id)
            if page is not None:
                found[keys[n - 1]] = page
        return found


def _settle(taken: dict[K, list[asyncio.Future[V | None]]], found: dict[K, V]) -> None:
    for key, futures in taken.items():
        for future in futures:
            if not future.done():  # a request that went away (cancelled) waits no more
                future.set_result(found.get(key))


class PostgresDocuments:
    """Up to ``size`` connections, opened on demand and reused last-in first-out."""

    def __init__(self, conninfo: str, size: int = POSTGRES_CONNECTIONS) -> None:
        self._conninfo = conninfo
        self._size = size
        self._idle: asyncio.LifoQueue[psycopg.AsyncConnection[Row]] = asyncio.LifoQueue()
        self._open: set[psycopg.AsyncConnection[Row]] = set()
        self._documents = BodiesById("statement_documents", "statement_id")
        self._provenances = BodiesById("provenance_documents", "claim_id")
        self._pages = SpeakerPages()
        self._stored_pages = StoredPages()
        self._kinds: tuple[Lookups[Any, Any], ...] = (
            self._documents,
            self._provenances,
            self._pages,
            self._stored_pages,
        )
        self._draining = 0
        self._drainers: set[asyncio.Task[None]] = set()

    async def read(self, statement_id: int) -> bytes | None:
        return await self._lookup(self._documents, statement_id)

    async def read_provenance(self, claim_id: int) -> bytes | None:
        return await self._lookup(self._provenances, claim_id)

    async def speaker_rows(self, speaker_id: int, after_id: int, limit: int) -> SpeakerRows | None:
        """Up to ``limit`` of the speaker's statements after ``after_id`` (an empty list
        when there are none); None when the database could not be asked."""
        return await self._lookup(self._pages, (speaker_id, after_id, limit))

    async def stored_page(self, speaker_id: int, page_size: int) -> StoredPage | None:
        return await self._lookup(self._stored_pages, (speaker_id, page_size))

    async def _lookup(self, lookups: Lookups[K, V], key: K) -> V | None:
        future: asyncio.Future[V | None] = asyncio.get_running_loop().create_future()
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
                # Every kind each round: none waits behind another's traffic.
                batches = [(lookups, lookups.take(BATCH_KEYS)) for lookups in self._kinds]
                if not any(taken for _, taken in batches):
                    # Counted down in the same step that found nothing waiting, so a key
                    # left after this finds a drainer slot free.
                    return
                for lookups, taken in batches:
                    if taken:
                        await self._answer(lookups, taken)
        finally:
            self._draining -= 1

    async def _answer(
        self, lookups: Lookups[K, V], taken: dict[K, list[asyncio.Future[V | None]]]
    ) -> None:
        found: dict[K, V] = {}
        try:
            keys = list(taken)
            rows = await self._fetch(lookups.query, lookups.parameters(keys))
            if rows is not None:
                found = lookups.answers(keys, rows)
        finally:  # a failed or cancelled query answers None: the caller asks the tables
            _settle(taken, found)

    async def _fetch(self, query: str, parameters: tuple[object, ...]) -> list[Row] | None:
        # Imported here: a SQLite deployment never loads the PostgreSQL driver (11 MB).
        import psycopg

        # At most ``size`` drainers run, so at most ``size`` connections are ever open.
        try:
            connection = self._idle.get_nowait()
        except asyncio.QueueEmpty:
            try:
                connection = await psycopg.AsyncConnection.connect(self._conninfo, autocommit=True)
            except psycopg.Error:
                return None
            self._open.add(connection)
        try:
            # Binary results: a document arrives as its bytes, not as hex text that the
            # server encodes and the driver decodes (twice the bytes for both). On 1M
            # statements it took actor pages from 0.34-0.35 to 0.39-0.43 of the ceiling.
            cursor = await connection.execute(query, parameters, binary=True)
            rows = await cursor.fetchall()
        except BaseException as error:
            # A lost connection, a schema without documents, or cancelled mid-query:
            # the connection's state is unknown either way.
            self._open.discard(connection)
            await connection.close()
            if isinstance(error, psycopg.Error):
                return None
            raise
        self._idle.put_nowait(connection)
        return rows

    async def close(self) -> None:
        for drainer in list(self._drainers):
            drainer.cancel()
        for connection in list(self._open):
            await connection.close()
        self._open.clear()
