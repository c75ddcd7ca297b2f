"""X-Request-ID: accepted, generated or replaced; echoed everywhere; in problems and logs."""

from __future__ import annotations

import re

import pytest
import structlog
from litestar import Litestar
from litestar.testing import AsyncTestClient

import schemas
from api.services.statement_reader import StatementReader
from tests.http.factories import Newsroom

pytestmark = pytest.mark.anyio

Client = AsyncTestClient[Litestar]
GENERATED = re.compile(r"[0-9a-f]{32}")


async def test_a_request_id_is_generated_when_none_is_sent(
    client: Client, newsroom: Newsroom
) -> None:
    first = await client.get("/v1/statements")
    second = await client.get("/v1/statements")

    assert GENERATED.fullmatch(first.headers["x-request-id"])
    assert GENERATED.fullmatch(second.headers["x-request-id"])
    assert first.headers["x-request-id"] != second.headers["x-request-id"]


@pytest.mark.parametrize(
    "request_id", ["abc", "req-2026.01.08_Z", "0" * 128, "a1b2c3d4-e5f6-4711-8899-aabbccddeeff"]
)
async def test_a_valid_request_id_is_echoed(client: Client, request_id: str) -> None:
    response = await client.get("/health", headers={"X-Request-ID": request_id})

    assert response.headers["x-request-id"] == request_id


@pytest.mark.parametrize(
    "request_id",
    ["", "has space", "semi;colon", "slash/es", 'quote"d', "x" * 129, "naïve", "<script>"],
)
async def test_an_invalid_request_id_is_replaced(client: Client, request_id: str) -> None:
    response = await client.get(
        "/v1/sources", headers=[("X-Request-ID", request_id.encode("utf-8"))]
    )

    assert response.status_code == 200
    assert GENERATED.fullmatch(response.headers["x-request-id"])


@pytest.mark.parametrize(
    ("method", "path", "status"),
    [
        ("GET", "/v1/no-such-route", 404),  # no route: Litestar middleware never runs
        ("GET", "/v1/statements/424242", 404),
        ("GET", "/v1/statements?kind=bogus", 400),
        ("DELETE", "/v1/statements", 405),
    ],
)
async def test_errors_echo_the_request_id_in_header_and_problem(
    client: Client, newsroom: Newsroom, method: str, path: str, status: int
) -> None:
    response = await client.request(method, path, headers={"X-Request-ID": "trace-42"})

    assert response.status_code == status
    assert response.headers["content-type"] == "application/problem+json"
    assert response.headers["x-request-id"] == "trace-42"
    assert response.json()["request_id"] == "trace-42"


async def test_a_generated_request_id_is_the_one_in_the_problem(client: Client) -> None:
    response = await client.get("/nope")

    assert response.status_code == 404
    assert GENERATED.fullmatch(response.json()["request_id"])
    assert response.json()["request_id"] == response.headers["x-request-id"]


async def test_a_replaced_request_id_is_the_one_in_the_problem(client: Client) -> None:
    response = await client.get("/nope", headers={"X-Request-ID": "not valid!"})

    assert response.json()["request_id"] == response.headers["x-request-id"] != "not valid!"


async def test_304_and_streams_echo_the_request_id(client: Client, newsroom: Newsroom) -> None:
    etag = (await client.get("/v1/sources")).headers["etag"]
    not_modified = await client.get(
        "/v1/sources", headers={"If-None-Match": etag, "X-Request-ID": "r304"}
    )
    export = await client.get("/v1/statements/export.csv", headers={"X-Request-ID": "rcsv"})

    assert not_modified.status_code == 304
    assert not_modified.headers["x-request-id"] == "r304"
    assert export.headers["x-request-id"] == "rcsv"


async def test_log_lines_carry_the_request_id(
    client: Client, newsroom: Newsroom, monkeypatch: pytest.MonkeyPatch
) -> None:
    original_get = StatementReader.get

    async def logging_get(self: StatementReader, statement_id: int) -> bytes | schemas.Statement:
        structlog.get_logger("test").info("inside the handler", statement_id=statement_id)
        return await original_get(self, statement_id)

    monkeypatch.setattr(StatementReader, "get", logging_get)
    path = f"/v1/statements/{newsroom.s1}"
    with structlog.testing.capture_logs(
        processors=[structlog.contextvars.merge_contextvars]
    ) as logs:
        response = await client.get(path, headers={"X-Request-ID": "log-me"})
        missing = await client.get("/v1/missing")

    assert response.status_code == 200
    inside = [entry for entry in logs if entry["event"] == "inside the handler"]
    assert inside == [
        {
            "event": "inside the handler",
            "statement_id": newsroom.s1,
            "request_id": "log-me",
            "log_level": "info",
        }
    ]
    requests = [entry for entry in logs if entry["event"] == "http.request"]
    assert [(r["request_id"], r["method"], r["path"], r["status"]) for r in requests] == [
        ("log-me", "GET", path, 200),
        (missing.headers["x-request-id"], "GET", "/v1/missing", 404),
    ]
    assert all(r["duration_ms"] >= 0 for r in requests)
    # Bound per request, then reset: nothing is left behind.
    assert "request_id" not in structlog.contextvars.get_contextvars()
