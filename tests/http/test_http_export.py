"""Exports in exactly the API's Statement schema: the services and the streamed routes."""

from __future__ import annotations

import csv
import io
import json

import anyio
import msgspec
import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient
from litestar.types import Message
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

import schemas
from api.http.app import create_app
from api.services import (
    CSV_COLUMNS,
    Slice,
    StatementFilters,
    StatementService,
    Window,
    export_jsonl,
    iter_statements,
    write_jsonl,
)
from api.settings import Settings
from tests.http.factories import Factory, Newsroom

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


# --- GET /v1/statements/export.ndjson and /v1/statements/export.csv ------------------

NDJSON = "application/x-ndjson"

FILTER_QUERIES = [
    "",
    "kind=direct",
    "kind=reported",
    "speaker={macron}",
    "source={afp}",
    "source={reuters}&kind=partial",
    "article={a1}",
    "since=2026-01-07",
    "until=2026-01-07",
    "since=2026-01-07&until=2026-01-07",
    "q=stand%20by",
    "q=kremlin",
]


def query(template: str, newsroom: Newsroom) -> str:
    return template.format(**vars(newsroom))


async def listed_ids(client: AsyncTestClient[Litestar], query_string: str) -> list[int]:
    # sort=id: exports are in id order, also with q (where the list ranks by default).
    response = await client.get(f"/v1/statements?limit=500&sort=id&{query_string}")
    assert response.status_code == 200, response.text
    return [item["id"] for item in response.json()["items"]]


def decode_ndjson(body: bytes) -> list[schemas.Statement]:
    assert body == b"" or body.endswith(b"\n")
    return [
        msgspec.json.decode(line, type=schemas.Statement, strict=True)
        for line in body.split(b"\n")[:-1]
    ]


def parse_csv(body: bytes) -> list[list[str]]:
    # newline="" semantics: the csv module sees the CRLFs and embedded newlines itself.
    return list(csv.reader(io.StringIO(body.decode("utf-8"), newline="")))


async def test_ndjson_export_is_every_statement_in_the_api_schema(
    client: AsyncTestClient[Litestar], newsroom: Newsroom
) -> None:
    response = await client.get("/v1/statements/export.ndjson")

    assert response.status_code == 200
    assert response.headers["content-type"] == NDJSON
    assert response.headers["content-disposition"] == "attachment; filename=statements.ndjson"
    assert response.headers["cache-control"] == "public, max-age=60"
    assert "etag" not in response.headers  # streamed: no validator
    exported = decode_ndjson(response.content)
    assert [s.id for s in exported] == newsroom.statements_in_id_order
    # Line for line what the API serves.
    listed = (await client.get("/v1/statements")).json()["items"]
    assert [json.loads(line) for line in response.content.splitlines()] == listed


@pytest.mark.parametrize("template", FILTER_QUERIES)
async def test_ndjson_export_takes_the_list_filters(
    client: AsyncTestClient[Litestar], newsroom: Newsroom, template: str
) -> None:
    query_string = query(template, newsroom)
    response = await client.get(f"/v1/statements/export.ndjson?{query_string}")

    assert response.status_code == 200
    assert [s.id for s in decode_ndjson(response.content)] == await listed_ids(client, query_string)


async def test_filters_select_the_expected_statements(
    client: AsyncTestClient[Litestar], newsroom: Newsroom
) -> None:
    async def exported(query_string: str) -> list[int]:
        response = await client.get(f"/v1/statements/export.ndjson?{query_string}")
        return [s.id for s in decode_ndjson(response.content)]

    assert await exported("kind=direct") == [newsroom.s1, newsroom.s6]
    assert await exported(f"speaker={newsroom.macron}") == [newsroom.s1, newsroom.s6, newsroom.s3]
    assert await exported(f"source={newsroom.afp}") == [newsroom.s4, newsroom.s3]
    assert await exported("since=2026-01-07&until=2026-01-07") == [newsroom.s3]


async def test_csv_export_has_the_documented_columns(
    client: AsyncTestClient[Litestar], newsroom: Newsroom
) -> None:
    response = await client.get("/v1/statements/export.csv")

    assert response.status_code == 200
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    assert response.headers["content-disposition"] == "attachment; filename=statements.csv"
    assert "etag" not in response.headers
    header, *rows = parse_csv(response.content)
    assert header == list(CSV_COLUMNS)
    assert header == [
        "id", "kind", "text", "speaker_id", "speaker_name", "speaker_kind", "speaker_role",
        "cue", "article_id", "article_title", "outlet", "via", "date", "date_text", "confidence",
        "content_start", "content_end", "claim_id",
    ]  # fmt: skip
    assert [int(row[0]) for row in rows] == newsroom.statements_in_id_order
    by_id = {int(row[0]): dict(zip(header, row, strict=True)) for row in rows}
    assert by_id[newsroom.s3] == {
        "id": str(newsroom.s3),
        "kind": "partial",
        "text": 'France would "stand by Ukraine" as long as it takes',  # quotes survive
        "speaker_id": str(newsroom.macron),
        "speaker_name": "Emmanuel Macron",
        "speaker_kind": "person",
        "speaker_role": "President",
        "cue": "said",
        "article_id": str(newsroom.a_mid),
        "article_title": "Macron : la France restera aux côtés de l'Ukraine",
        "outlet": "Le Monde",
        "via": "AFP;Reuters",
        "date": "2026-01-07",
        "date_text": "",
        "confidence": "0.9",
        "content_start": "12",
        "content_end": "63",
        "claim_id": str(newsroom.c1),
    }
    # Nulls are empty cells.
    undated = by_id[newsroom.s5]
    for column in ("speaker_id", "speaker_name", "speaker_kind", "speaker_role", "cue"):
        assert undated[column] == "", column
    assert (undated["outlet"], undated["via"], undated["date"], undated["claim_id"]) == (
        "",
        "",
        "",
        "",
    )
    # The CSV says what the NDJSON says.
    ndjson = decode_ndjson((await client.get("/v1/statements/export.ndjson")).content)
    assert [row["text"] for row in by_id.values()] == [s.text for s in ndjson]


async def test_csv_quotes_commas_quotes_and_newlines(
    client: AsyncTestClient[Litestar], newsroom: Newsroom, async_session: AsyncSession
) -> None:
    tricky = 'We said "no", twice;\nthen again,\r\nno.'
    factory = Factory(async_session)
    article = await factory.article(f"Opening. {tricky} Closing.", title='The "no", again')
    statement = await factory.statement(article, tricky, kind="reported")
    await async_session.commit()

    response = await client.get(f"/v1/statements/export.csv?article={article.id}")

    header, *rows = parse_csv(response.content)
    assert len(rows) == 1
    row = dict(zip(header, rows[0], strict=True))
    assert row["id"] == str(statement.id)
    assert row["text"] == tricky
    assert row["article_title"] == 'The "no", again'
    assert response.content.startswith(b"id,kind,text,")
    assert response.content.endswith(b"\r\n")


@pytest.mark.parametrize("template", ["kind=reported", "speaker={zelensky}", "q=TROOPS"])
async def test_csv_export_takes_the_list_filters(
    client: AsyncTestClient[Litestar], newsroom: Newsroom, template: str
) -> None:
    query_string = query(template, newsroom)
    response = await client.get(f"/v1/statements/export.csv?{query_string}")

    _, *rows = parse_csv(response.content)
    assert [int(row[0]) for row in rows] == await listed_ids(client, query_string)


async def test_exports_of_an_empty_result(
    client: AsyncTestClient[Litestar], newsroom: Newsroom
) -> None:
    ndjson = await client.get("/v1/statements/export.ndjson?q=no-statement-says-this")
    csv_response = await client.get("/v1/statements/export.csv?q=no-statement-says-this")

    assert ndjson.status_code == 200
    assert ndjson.headers["content-type"] == NDJSON
    assert ndjson.content == b""
    assert csv_response.status_code == 200
    assert parse_csv(csv_response.content) == [list(CSV_COLUMNS)]


async def test_exports_of_an_empty_database(client: AsyncTestClient[Litestar]) -> None:
    ndjson = await client.get("/v1/statements/export.ndjson")
    csv_response = await client.get("/v1/statements/export.csv")

    assert (ndjson.status_code, ndjson.content) == (200, b"")
    assert parse_csv(csv_response.content) == [list(CSV_COLUMNS)]


@pytest.mark.parametrize("fmt", ["ndjson", "csv"])
@pytest.mark.parametrize(
    ("query_string", "field"),
    [
        ("kind=bogus", "kind"),
        ("since=2026-01-08&until=2026-01-07", "until"),
        ("speaker=0", "speaker"),
    ],
)
async def test_bad_filters_are_400_problems_before_streaming(
    client: AsyncTestClient[Litestar], fmt: str, query_string: str, field: str
) -> None:
    response = await client.get(f"/v1/statements/export.{fmt}?{query_string}")

    assert response.status_code == 400
    assert response.headers["content-type"] == "application/problem+json"
    assert [error["field"] for error in response.json()["errors"]] == [field]


async def test_export_routes_do_not_collide_with_statement_ids(
    client: AsyncTestClient[Litestar], newsroom: Newsroom
) -> None:
    one = await client.get(f"/v1/statements/{newsroom.s1}")
    export = await client.get("/v1/statements/export.ndjson")
    unknown_format = await client.get("/v1/statements/export.xml")

    assert one.status_code == 200
    assert one.json()["id"] == newsroom.s1
    assert export.status_code == 200
    assert unknown_format.status_code == 404
    assert unknown_format.headers["content-type"] == "application/problem+json"


async def test_export_is_gzipped_when_accepted(
    client: AsyncTestClient[Litestar], newsroom: Newsroom
) -> None:
    response = await client.get("/v1/statements/export.csv", headers={"Accept-Encoding": "gzip"})

    assert response.headers["content-encoding"] == "gzip"
    _, *rows = parse_csv(response.content)  # httpx has decoded it
    assert len(rows) == len(newsroom.statements_in_id_order)


async def asgi_get(app: Litestar, path: str, query_string: bytes = b"") -> list[Message]:
    """Call the app directly and keep every ASGI message it sends."""
    messages: list[Message] = []
    finished = anyio.Event()
    requested = False

    async def receive() -> Message:
        nonlocal requested
        if not requested:
            requested = True
            return {"type": "http.request", "body": b"", "more_body": False}
        await finished.wait()
        return {"type": "http.disconnect"}

    async def send(message: Message) -> None:
        messages.append(message)
        if message["type"] == "http.response.body" and not message.get("more_body", False):
            finished.set()

    scope = {
        "type": "http",
        "asgi": {"version": "3.0", "spec_version": "2.3"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": query_string,
        "root_path": "",
        "headers": [(b"host", b"testserver")],
        "client": ("127.0.0.1", 5000),
        "server": ("testserver", 80),
        "state": {},
    }
    await app(scope, receive, send)  # type: ignore[arg-type]
    return messages


@pytest.mark.parametrize(("fmt", "header_chunks"), [("ndjson", 0), ("csv", 1)])
async def test_exports_stream_one_chunk_per_batch(
    session_maker: async_sessionmaker[AsyncSession],
    newsroom: Newsroom,
    fmt: str,
    header_chunks: int,
) -> None:
    app = create_app(Settings(), session_maker=session_maker, export_batch_size=2)
    async with AsyncTestClient(app):
        messages = await asgi_get(app, f"/v1/statements/export.{fmt}")

    start, *bodies = messages
    assert start["type"] == "http.response.start"
    assert start["status"] == 200
    assert not any(name == b"content-length" for name, _ in start["headers"])
    chunks = [m["body"] for m in bodies if m.get("more_body")]
    assert bodies[-1] == {"type": "http.response.body", "body": b"", "more_body": False}
    # Six statements read two at a time: three chunks of two lines, each sent on its own.
    assert len(chunks) == header_chunks + 3
    if fmt == "ndjson":
        assert [len(chunk.splitlines()) for chunk in chunks] == [2, 2, 2]
        ids = [s.id for chunk in chunks for s in decode_ndjson(chunk)]
    else:
        assert parse_csv(chunks[0]) == [list(CSV_COLUMNS)]
        assert [len(parse_csv(chunk)) for chunk in chunks[1:]] == [2, 2, 2]
        ids = [int(row[0]) for chunk in chunks[1:] for row in parse_csv(chunk)]
    assert ids == newsroom.statements_in_id_order


async def test_exports_read_in_keyset_batches(
    session_maker: async_sessionmaker[AsyncSession],
    newsroom: Newsroom,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    windows: list[Window] = []
    original_page = StatementService.page

    async def recording_page(
        self: StatementService, filters: StatementFilters, window: Window
    ) -> Slice[schemas.Statement]:
        windows.append(window)
        return await original_page(self, filters, window)

    monkeypatch.setattr(StatementService, "page", recording_page)
    app = create_app(Settings(), session_maker=session_maker, export_batch_size=4)
    async with AsyncTestClient(app) as client:
        response = await client.get("/v1/statements/export.ndjson")

    assert len(decode_ndjson(response.content)) == 6
    order = newsroom.statements_in_id_order
    assert windows == [Window(limit=4), Window(limit=4, after_id=order[3])]
