"""Statement documents outside a request: the backlog ``statements migrate`` renders, and
the SQLite file reader the API uses for ``GET /v1/statements/{id}``."""

from __future__ import annotations

import sqlite3
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from pathlib import Path

import msgspec
import pytest
from sqlalchemy import Engine, distinct, func, select, update
from sqlalchemy.orm import Session

import schemas
from api.cli.commands import render_documents
from api.storage import migrate
from api.storage.document_reads import (
    SqliteDocuments,
    StoredPage,
    sqlite_file,
)
from api.storage.engine import make_engine
from api.storage.models import ClaimRow, StatementDocumentRow, StatementRow
from api.storage.synthetic import fill
from tests.conftest import empty_database_url


@contextmanager
def filled(backend: str, tmp_path: Path) -> Iterator[str]:
    with empty_database_url(backend, tmp_path, "statements_documents_check") as url:
        migrate.upgrade(url)
        engine = make_engine(url)
        try:
            fill(engine, 1_203, seed=5, batch=500)
        finally:
            engine.dispose()
        yield url


@pytest.fixture(params=["sqlite", "postgresql"])
def filled_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    with filled(request.param, tmp_path) as url:
        yield url


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


def stale_count(url: str) -> int:
    engine = make_engine(url)
    try:
        with Session(engine) as session:
            query = select(func.count()).where(StatementDocumentRow.body.is_(None))
            return session.scalar(query) or 0
    finally:
        engine.dispose()


def test_the_backlog_is_rendered_in_full_and_only_once(filled_url: str) -> None:
    # Bulk inserts below the ORM (as synth's, or an upgrade to 0013) leave every body NULL.
    assert stale_count(filled_url) == 1_203
    engine = make_engine(filled_url)
    try:
        with Session(engine) as session:
            claims = session.scalar(select(func.count()).select_from(ClaimRow)) or 0
            speakers = session.scalar(select(func.count(distinct(StatementRow.speaker_id)))) or 0
        assert claims > 100
        assert speakers > 10
        # Every actor who speaks gets a first page, rendered after the statements.
        assert render_documents(filled_url) == (1_203, claims, speakers)
        assert stale_count(filled_url) == 0
        assert render_documents(filled_url) == (0, 0, 0)
        with Session(engine) as session:
            statement_id = session.scalars(select(StatementRow.id).limit(1)).one()
            body = session.scalar(
                select(StatementDocumentRow.body).where(
                    StatementDocumentRow.statement_id == statement_id
                )
            )
        assert body is not None
        statement = msgspec.json.decode(body, type=schemas.Statement)
        assert statement.id == statement_id
    finally:
        engine.dispose()


@asynccontextmanager
async def file_reader(
    tmp_path: Path, statements: int, seed: int
) -> AsyncIterator[tuple[str, Engine, SqliteDocuments]]:
    """A SQLite file filled with ``statements`` (documents not rendered yet), its writer's
    engine and the API's reader of that file."""
    url = f"sqlite:///{tmp_path / 'documents.db'}"
    migrate.upgrade(url)
    engine = make_engine(url)
    try:
        fill(engine, statements, seed=seed)
        path = sqlite_file(url)
        assert path is not None
        reader = SqliteDocuments(path)
        try:
            yield url, engine, reader
        finally:
            await reader.close()
    finally:
        engine.dispose()


@pytest.mark.anyio
async def test_the_sqlite_file_reader_reads_committed_documents(tmp_path: Path) -> None:
    async with file_reader(tmp_path, 40, seed=2) as (url, engine, reader):
        assert await reader.read(1) is None  # not rendered yet
        render_documents(url)
        first = await reader.read(1)
        assert first is not None
        assert msgspec.json.decode(first, type=schemas.Statement).id == 1
        assert await reader.read(10_000) is None
        with Session(engine) as session, session.begin():
            session.execute(update(StatementRow).where(StatementRow.id == 1).values(text="x"))
            # Uncommitted: the reader still sees the committed document.
            assert await reader.read(1) == first
        assert await reader.read(1) != first  # re-rendered by the writer before its commit
        assert (
            msgspec.json.decode((await reader.read(1)) or b"", type=schemas.Statement).text == "x"
        )


@pytest.mark.anyio
async def test_the_sqlite_file_reader_reads_stored_first_pages(tmp_path: Path) -> None:
    async with file_reader(tmp_path, 400, seed=3) as (url, engine, reader):
        assert await reader.stored_page(1, 50) is None  # not rendered yet
        render_documents(url)
        with Session(engine) as session:
            speakers = session.scalars(select(StatementRow.speaker_id).distinct()).all()
        longer = 0  # speakers with more than a page
        for speaker in speakers:
            rows = await reader.speaker_rows(speaker, 0, 51)
            assert rows
            shown = rows[:50]
            expected = b"[" + b",".join(body or b"" for _, body in shown) + b"]"
            assert await reader.stored_page(speaker, 50) == StoredPage(
                expected, len(rows) > 50, shown[-1][0]
            )
            assert await reader.stored_page(speaker, 20) is None  # another page size
            longer += len(rows) > 50
        assert longer
        assert await reader.stored_page(10_000, 50) is None


@pytest.mark.anyio
async def test_the_sqlite_file_reader_answers_none_on_a_database_without_documents(
    tmp_path: Path,
) -> None:
    path = tmp_path / "old.db"
    sqlite3.connect(path).close()
    reader = SqliteDocuments(path)
    try:
        assert await reader.read(1) is None
        assert await reader.stored_page(1, 50) is None
    finally:
        await reader.close()


def test_only_sqlite_files_are_read_directly() -> None:
    assert sqlite_file("sqlite:///statements.db") == Path("statements.db")
    assert sqlite_file("sqlite://") is None
    assert sqlite_file("sqlite:///:memory:") is None
    assert sqlite_file("postgresql://root@127.0.0.1/test") is None
