"""The PostgreSQL document reader: committed documents and speakers' pages by key,
lookups coalesced into one query per drainer under load, and None (ask the tables) when
it cannot answer."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator
from typing import Any

import msgspec
import psycopg
import pytest

import schemas
from api.cli.commands import render_documents
from api.storage.document_reads import SPEAKER_QUERY, StoredPage, postgres_conninfo
from api.storage.postgres_documents import BATCH_KEYS, PostgresDocuments
from tests.storage.test_statement_documents import filled


@pytest.fixture(scope="module")
def conninfo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with filled("postgresql", tmp_path_factory.mktemp("postgres_documents")) as url:
        render_documents(url)
        info = postgres_conninfo(url)
        assert info is not None
        yield info


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


class CountingReader(PostgresDocuments):
    """Records the keys of each query it sends."""

    def __init__(self, conninfo: str, size: int) -> None:
        super().__init__(conninfo, size)
        self.queries: list[list[int]] = []

    async def _fetch(
        self, query: str, parameters: tuple[object, ...]
    ) -> list[tuple[Any, ...]] | None:
        keys = parameters[0]
        if isinstance(keys, list):
            self.queries.append(sorted(keys))
        return await super()._fetch(query, parameters)


@pytest.fixture
async def reader(conninfo: str) -> AsyncIterator[CountingReader]:
    reader = CountingReader(conninfo, size=1)
    try:
        yield reader
    finally:
        await reader.close()


def statement_id(body: bytes | None) -> int:
    return msgspec.json.decode(body or b"", type=schemas.Statement).id


@pytest.mark.anyio
async def test_committed_documents_are_read_by_key(conninfo: str) -> None:
    reader = PostgresDocuments(conninfo, size=2)
    try:
        bodies = await asyncio.gather(*(reader.read(n) for n in range(1, 41)))
        assert [statement_id(body) for body in bodies] == list(range(1, 41))
        assert await reader.read(10_000_000) is None
        provenances = await asyncio.gather(*(reader.read_provenance(n) for n in range(1, 11)))
        claims = [msgspec.json.decode(p or b"", type=schemas.Provenance) for p in provenances]
        assert [p.claim.id for p in claims] == list(range(1, 11))
        assert await reader.read_provenance(10_000_000) is None
    finally:
        await reader.close()


@pytest.mark.anyio
async def test_requests_waiting_together_share_one_query(reader: CountingReader) -> None:
    bodies = await asyncio.gather(*(reader.read(n) for n in (5, 3, 5, 9_999_999, 7)))
    assert [statement_id(body) for body in bodies[:3]] == [5, 3, 5]
    assert bodies[3] is None  # no such statement: the caller asks the tables
    assert statement_id(bodies[4]) == 7
    # One drainer (size 1) took every key left before it ran; a key asked twice once.
    assert reader.queries == [[3, 5, 7, 9_999_999]]


@pytest.mark.anyio
async def test_a_lone_request_gets_a_query_of_its_own(reader: CountingReader) -> None:
    assert statement_id(await reader.read(4)) == 4
    assert statement_id(await reader.read(6)) == 6  # after the drainer has finished
    assert reader.queries == [[4], [6]]


@pytest.mark.anyio
async def test_statements_and_provenances_are_both_answered(reader: CountingReader) -> None:
    statement, provenance = await asyncio.gather(reader.read(2), reader.read_provenance(3))
    assert statement_id(statement) == 2
    assert msgspec.json.decode(provenance or b"", type=schemas.Provenance).claim.id == 3
    assert reader.queries == [[2], [3]]


@pytest.mark.anyio
async def test_speaker_pages_are_read_together_as_one_by_one(
    reader: CountingReader, conninfo: str
) -> None:
    keys = [(1, 0, 21), (2, 0, 5), (1, 0, 21), (3, 10, 4), (1, 10_000_000, 21), (999_999, 0, 3)]
    pages = await asyncio.gather(*(reader.speaker_rows(*key) for key in keys))
    assert len(reader.queries) == 1  # the speakers of one batch, asked together
    with psycopg.connect(conninfo) as connection:
        for key, page in zip(keys, pages, strict=True):
            expected = connection.execute(SPEAKER_QUERY.format("%s"), key).fetchall()
            assert page == [(i, None if b is None else bytes(b)) for i, b in expected]
    assert pages[0] and pages[1] and len(pages[1]) <= 5
    assert pages[4] == [] and pages[5] == []  # none after that id; no such speaker


@pytest.mark.anyio
async def test_stored_first_pages_are_read_together(reader: CountingReader) -> None:
    keys = [(1, 50), (2, 50), (1, 50), (1, 7), (999_999, 50)]
    pages = await asyncio.gather(*(reader.stored_page(*key) for key in keys))
    assert len(reader.queries) == 1  # the speakers of one batch, asked together
    for (speaker, size), page in zip(keys[:3], pages[:3], strict=True):
        rows = await reader.speaker_rows(speaker, 0, size + 1)
        assert rows
        shown = rows[:size]
        expected = b"[" + b",".join(body or b"" for _, body in shown) + b"]"
        assert page == StoredPage(expected, len(rows) > size, shown[-1][0])
    assert pages[3] is None and pages[4] is None  # another page size; no such speaker


@pytest.mark.anyio
async def test_a_batch_holds_at_most_batch_keys(reader: CountingReader) -> None:
    keys = range(1, BATCH_KEYS + 11)
    bodies = await asyncio.gather(*(reader.read(n) for n in keys))
    assert [statement_id(body) for body in bodies] == list(keys)
    assert [len(query) for query in reader.queries] == [BATCH_KEYS, 10]


@pytest.mark.anyio
async def test_a_cancelled_request_leaves_the_others_answered(reader: CountingReader) -> None:
    first = asyncio.ensure_future(reader.read(8))
    second = asyncio.ensure_future(reader.read(9))
    await asyncio.sleep(0)  # both keys are waiting now
    first.cancel()
    assert statement_id(await second) == 9
    assert first.cancelled()
    assert statement_id(await reader.read(8)) == 8  # and the reader still serves


@pytest.mark.anyio
async def test_an_unreachable_database_answers_none() -> None:
    unreachable = PostgresDocuments("postgresql://nobody@127.0.0.1:1/none")
    try:
        answers = await asyncio.gather(
            unreachable.read(1),
            unreachable.read_provenance(1),
            unreachable.speaker_rows(1, 0, 2),
            unreachable.stored_page(1, 50),
        )
        assert answers == [None, None, None, None]  # the caller renders from the tables
        assert await unreachable.read(2) is None  # no drainer is left stuck
    finally:
        await unreachable.close()
