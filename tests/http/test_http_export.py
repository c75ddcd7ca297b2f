"""iter_statements / export_jsonl / write_jsonl emit exactly the API's Statement schema."""

from __future__ import annotations

import io

import msgspec
import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy.ext.asyncio import AsyncSession

import schemas
from api.services import export_jsonl, iter_statements, write_jsonl
from tests.http.factories import Newsroom

pytestmark = pytest.mark.anyio


async def test_iter_statements_matches_the_api(
    client: AsyncTestClient[Litestar], newsroom: Newsroom, async_session: AsyncSession
) -> None:
    exported = [item async for item in iter_statements(async_session, batch_size=4)]
    listed = (await client.get("/v1/statements")).json()["items"]

    assert [s.id for s in exported] == newsroom.statements_in_id_order
    assert msgspec.to_builtins(exported) == listed


async def test_export_jsonl_writes_one_statement_per_line(
    newsroom: Newsroom, async_session: AsyncSession
) -> None:
    out = io.BytesIO()
    count = await export_jsonl(async_session, out)

    lines = out.getvalue().splitlines()
    assert count == len(lines) == 6
    decoded = [msgspec.json.decode(line, type=schemas.Statement) for line in lines]
    assert [s.id for s in decoded] == newsroom.statements_in_id_order


async def test_write_jsonl_opens_its_own_engine(database_url: str) -> None:
    # Its own engine only sees committed rows, never this test run's rolled-back data;
    # what it writes must still be one decodable Statement per line.
    out = io.BytesIO()
    count = await write_jsonl(database_url, out)

    lines = out.getvalue().splitlines()
    assert count == len(lines)
    for line in lines:
        msgspec.json.decode(line, type=schemas.Statement)
